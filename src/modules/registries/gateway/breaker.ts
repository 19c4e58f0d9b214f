// A circuit breaker per connector: after `failures` failed look-ups in a row the registry is not asked for
// `resetMs`; then one look-up is let through (half open), whose success closes the breaker and whose failure
// opens it again. It runs on the platform's clock, so a test moves time instead of waiting. (A kept library,
// opossum, times itself on real timers and wraps the call; this needs neither, and is small.)
import type { Clock } from "../../../platform/clock.ts";

export type BreakerState = "closed" | "open" | "half_open";

export interface Breaker {
  /** Whether a call may go now; in the half-open state only the first caller is let through. */
  allow(): boolean;
  success(): void;
  failure(): void;
  state(): BreakerState;
  /** Milliseconds until the breaker lets a trial call through (0 when it does now). */
  retryInMs(): number;
}

export function makeBreaker(opts: { failures: number; resetMs: number; clock: Clock }): Breaker {
  let failures = 0;
  let openedAt: number | null = null;
  let trialInFlight = false;
  const now = () => opts.clock.now().getTime();
  const state = (): BreakerState => (openedAt === null ? "closed" : now() - openedAt >= opts.resetMs ? "half_open" : "open");
  return {
    allow() {
      const s = state();
      if (s === "closed") return true;
      if (s === "open" || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    success() {
      failures = 0;
      openedAt = null;
      trialInFlight = false;
    },
    failure() {
      trialInFlight = false;
      failures++;
      if (openedAt !== null || failures >= opts.failures) openedAt = now();
    },
    state,
    retryInMs: () => (openedAt === null ? 0 : Math.max(0, opts.resetMs - (now() - openedAt))),
  };
}

/** At most `perMinute` requests in any minute (a token bucket refilled continuously), on the platform's clock. */
export function makeRateLimit(opts: { perMinute: number; clock: Clock }): { take(): boolean; retryInMs(): number } {
  let tokens = opts.perMinute;
  let at = opts.clock.now().getTime();
  const refill = () => {
    const t = opts.clock.now().getTime();
    tokens = Math.min(opts.perMinute, tokens + ((t - at) * opts.perMinute) / 60_000);
    at = t;
  };
  return {
    take() {
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    retryInMs() {
      refill();
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 60_000) / opts.perMinute);
    },
  };
}
