// One registry behind the gateway: its rate limit, its circuit breaker, its client credentials (a kept token)
// or client certificate, and bounded retries with backoff for a registry that is down, too slow or answering
// 5xx. Every request carries what the look-up is for; every answer is mapped and checked before it is believed.
import { type Clock, waitOn } from "../../../platform/clock.ts";
import type { RegistryConnectorConfig } from "../../../platform/config/index.ts";
import { RegistryRateLimited, RegistryUnavailable, type UnavailableReason } from "../errors.ts";
import type { LookupPurpose } from "../schema.ts";
import { type Breaker, makeBreaker, makeRateLimit } from "./breaker.ts";
import { mapAnswer, type RegistryName } from "./mapping.ts";
import { makeTokenSource, TokenGarbage, TokenRefused, TokenServerError, type TokenSource } from "./token.ts";
import { getJson, readTls, type Tls, TransportError } from "./transport.ts";

/** The headers that carry a look-up's purpose (percent-encoded UTF-8: header values are bytes). */
export const PURPOSE_HEADERS = { purpose: "x-purpose", legalBasis: "x-legal-basis", dossierId: "x-dossier-id" } as const;

const BACKOFF_MS = 100;
const BACKOFF_MAX_MS = 2000;

export interface Connector {
  readonly registry: RegistryName;
  /** The mapped, checked answer, or null when the registry has no such record; throws `registries.unavailable`. */
  lookUp(path: string, query: Record<string, string>, purpose: LookupPurpose, check?: AnswerCheck): Promise<unknown | null>;
  breaker: Breaker;
}

/** What the answer must say (`expect`: the CCCD asked about) and what the gateway adds to it (`add`). */
export interface AnswerCheck {
  expect?: Record<string, unknown>;
  add?: Record<string, unknown>;
}

class Failed extends Error {
  constructor(
    readonly reason: UnavailableReason,
    readonly retryable: boolean,
  ) {
    super(reason);
  }
}

export function makeConnector(
  registry: RegistryName,
  config: RegistryConnectorConfig,
  deps: { clock: Clock; breaker: { failures: number; resetMs: number } },
): Connector {
  const breaker = makeBreaker({ ...deps.breaker, clock: deps.clock });
  const rate = makeRateLimit({ perMinute: config.perMinute, clock: deps.clock });
  const tokens: TokenSource | null = config.auth.kind === "oauth2" ? makeTokenSource(config.auth, { clock: deps.clock, timeoutMs: config.timeoutMs }) : null;
  let tls: Tls | null = null;
  const tlsOf = () => (config.auth.kind === "mtls" ? (tls ??= readTls(config.auth)) : null);

  const attempt = async (url: URL, purpose: LookupPurpose, check: AnswerCheck, renewed = false): Promise<unknown | null> => {
    let bearer: Record<string, string> = {};
    if (tokens) {
      try {
        bearer = { authorization: `Bearer ${await tokens.token()}` };
      } catch (err) {
        if (err instanceof TokenRefused) throw new Failed("refused", false);
        if (err instanceof TokenGarbage) throw new Failed("invalid_answer", false);
        if (err instanceof TokenServerError) throw new Failed("error", true);
        if (err instanceof TransportError) throw new Failed(err.reason, true);
        throw err;
      }
    }
    let answer: { status: number; body: unknown };
    try {
      answer = await getJson(url, {
        headers: {
          ...bearer,
          [PURPOSE_HEADERS.purpose]: encodeURIComponent(purpose.purpose),
          [PURPOSE_HEADERS.legalBasis]: encodeURIComponent(purpose.legalBasis),
          [PURPOSE_HEADERS.dossierId]: encodeURIComponent(purpose.dossierId),
        },
        timeoutMs: config.timeoutMs,
        tls: tlsOf(),
      });
    } catch (err) {
      if (err instanceof TransportError) throw new Failed(err.reason, true);
      throw err;
    }
    if (answer.status === 401 && tokens && !renewed) {
      // The kept token expired early or the registry restarted: one new token, then the same request once.
      tokens.forget();
      return attempt(url, purpose, check, true);
    }
    if (answer.status === 404) return null;
    if (answer.status >= 500) throw new Failed("error", true);
    if (answer.status !== 200) throw new Failed("refused", false);
    const mapped = mapAnswer(registry, answer.body, config.fields, check.add);
    if (!mapped.ok) throw new Failed("invalid_answer", false);
    // The registry must answer about whom it was asked: another's record is garbage too.
    for (const [key, value] of Object.entries(check.expect ?? {})) if ((mapped.value as Record<string, unknown>)[key] !== value) throw new Failed("invalid_answer", false);
    return mapped.value;
  };

  return {
    registry,
    breaker,
    async lookUp(path, query, purpose, check = {}) {
      if (!rate.take()) throw new RegistryRateLimited(registry, Math.ceil(rate.retryInMs() / 1000));
      if (!breaker.allow()) throw new RegistryUnavailable(registry, "circuit_open", Math.ceil(breaker.retryInMs() / 1000));
      const url = new URL(`${config.baseUrl}${path}`);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      for (let n = 0; ; n++) {
        try {
          const value = await attempt(url, purpose, check);
          breaker.success();
          return value;
        } catch (err) {
          if (!(err instanceof Failed)) {
            breaker.failure();
            throw err;
          }
          if (!err.retryable || n >= config.retries) {
            breaker.failure();
            throw new RegistryUnavailable(registry, err.reason);
          }
          await waitOn(deps.clock, Math.min(BACKOFF_MAX_MS, BACKOFF_MS * 2 ** n) * (0.5 + Math.random() / 2));
        }
      }
    },
  };
}
