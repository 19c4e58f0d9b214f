// OAuth 2 client credentials through openid-client: a token asked once and kept until shortly before it expires
// (on the platform's clock); several look-ups waiting for one token share the request.
import type * as OpenidClient from "openid-client";
import type { Clock } from "../../../platform/clock.ts";
import { lazy } from "../../../platform/lazy.ts";
import { TransportError } from "./transport.ts";

/** The token endpoint refused the client (wrong id or secret): asking again will not help. */
export class TokenRefused extends Error {
  override name = "TokenRefused";
}

/** The token endpoint answered, but not a token. */
export class TokenGarbage extends Error {
  override name = "TokenGarbage";
}

/** The token endpoint answered 5xx: the registry's trouble, worth another try. */
export class TokenServerError extends Error {
  override name = "TokenServerError";
  constructor(readonly status: number) {
    super(`token endpoint answered ${status}`);
  }
}

/** The HTTP status an openid-client error carries (its own, or its cause's, the Response), if any. */
function statusOf(err: unknown): number | null {
  if (!err || typeof err !== "object") return null;
  const own = (err as { status?: unknown }).status;
  if (typeof own === "number") return own;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Response) return cause.status;
  return cause && typeof cause === "object" && typeof (cause as { status?: unknown }).status === "number" ? (cause as { status: number }).status : null;
}

export interface TokenSource {
  token(): Promise<string>;
  /** Forgets the kept token (the registry refused it). */
  forget(): void;
}

const EARLY_MS = 30_000;

/** openid-client, loaded by the first look-up (docs/ARCHITECTURE.md: libraries some requests use load on first use). */
const openid = lazy(() => import("openid-client"));

export function makeTokenSource(
  auth: { tokenUrl: string; clientId: string; clientSecret: string; scope: string | null },
  opts: { clock: Clock; timeoutMs: number },
): TokenSource {
  let configuration: OpenidClient.Configuration | null = null;
  const configure = (oauth: typeof OpenidClient): OpenidClient.Configuration => {
    if (configuration) return configuration;
    const endpoint = new URL(auth.tokenUrl);
    const config = new oauth.Configuration({ issuer: endpoint.origin, token_endpoint: endpoint.href }, auth.clientId, undefined, oauth.ClientSecretBasic(auth.clientSecret));
    // A registry on the loopback address or an internal network (the simulator) speaks plain HTTP.
    if (endpoint.protocol === "http:") oauth.allowInsecureRequests(config);
    config.timeout = Math.max(1, Math.ceil(opts.timeoutMs / 1000));
    return (configuration = config);
  };
  let kept: { token: string; until: number } | null = null;
  let pending: Promise<string> | null = null;

  const ask = async (): Promise<string> => {
    try {
      const oauth = await openid();
      const answer = await oauth.clientCredentialsGrant(configure(oauth), auth.scope ? { scope: auth.scope } : {});
      const ttl = answer.expiresIn() ?? 60;
      kept = { token: answer.access_token, until: opts.clock.now().getTime() + Math.max(0, ttl * 1000 - EARLY_MS) };
      return answer.access_token;
    } catch (err) {
      const status = statusOf(err);
      if (status !== null && status >= 500) throw new TokenServerError(status);
      if (status !== null && status >= 400) throw new TokenRefused(`token endpoint answered ${status}`);
      if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) throw new TransportError("timeout");
      // fetch's own failure (refused, reset, no such host) is a TypeError; anything else is an answer not understood.
      if (err instanceof TypeError) throw new TransportError("down");
      throw new TokenGarbage(err instanceof Error ? err.message : String(err));
    }
  };

  return {
    token() {
      if (kept && kept.until > opts.clock.now().getTime()) return Promise.resolve(kept.token);
      pending ??= ask().finally(() => {
        pending = null;
      });
      return pending;
    },
    forget() {
      kept = null;
    },
  };
}
