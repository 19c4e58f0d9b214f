// Abuse controls on look-ups (issue 18, item 6): at most so many look-ups a minute per signed-in person (an
// officer, or a citizen about themselves) and per client address, on top of each connector's own quota to its
// registry. A refusal is 429 `registries.throttled` with Retry-After; nothing is asked of the registry and nothing
// is recorded, as the registry was not reached. The counters are per node (in memory): behind N nodes the effective
// limit is at most N times the setting.
import { type Actor, actorRef } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import { LookupThrottled } from "./rights/errors.ts";
import type { LookupMeta, RegistriesService } from "./service.ts";

const WINDOW_MS = 60_000;

/** Fixed one-minute windows of counts per key. */
export class WindowCounter {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
  ) {}

  /** Counts one more for `key`; the seconds until the next window when over the limit, else null. */
  take(key: string): number | null {
    const now = this.clock.now().getTime();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const used = this.counts.get(key) ?? 0;
    if (used >= this.limit) return Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    this.counts.set(key, used + 1);
    return null;
  }
}

export interface LookupLimits {
  officerPerMinute: number;
  clientPerMinute: number;
}

/** The registries service with each look-up counted against its person and its client. Throws LookupThrottled. */
export function withLookupLimits(inner: RegistriesService, limits: LookupLimits, clock: Clock): RegistriesService {
  const byPerson = new WindowCounter(limits.officerPerMinute, clock);
  const byClient = new WindowCounter(limits.clientPerMinute, clock);
  const check = (actor: Actor, meta: LookupMeta | undefined) => {
    if (actor.type === "user") {
      const wait = byPerson.take(actorRef(actor));
      if (wait !== null) throw new LookupThrottled("officer", wait);
    }
    if (meta?.client) {
      const wait = byClient.take(meta.client);
      if (wait !== null) throw new LookupThrottled("client", wait);
    }
  };
  return {
    ...inner,
    async lookupCitizen(actor, cccd, purpose, meta) {
      check(actor, meta);
      return inner.lookupCitizen(actor, cccd, purpose, meta);
    },
    async lookupBusiness(actor, taxCode, purpose, meta) {
      check(actor, meta);
      return inner.lookupBusiness(actor, taxCode, purpose, meta);
    },
    async civilEvents(actor, cccd, purpose, meta) {
      check(actor, meta);
      return inner.civilEvents(actor, cccd, purpose, meta);
    },
  };
}
