// OAuth 2 client credentials through openid-client: a token asked once and kept until shortly before it expires
// (on the platform's clock); several look-ups waiting for one token share the request.
import * as oauth from "openid-client";
import type { Clock } from "../../../platform/clock.ts";
import { TransportError } from "./transport.ts";

/** The token endpoint refused the client (wrong id or secret): asking again will not help. */
export class TokenRefused extends Error {
  override name = "TokenRefused";
}

/** The token endpoint answered, but not a token. */
export class TokenGarbage extends Error {
  override name = "TokenGarbage";
}

export interface TokenSource {
  token(): Promise<string>;
  /** Forgets the kept token (the registry refused it). */
  forget(): void;
}

const EARLY_MS = 30_000;

export function makeTokenSource(
  auth: { tokenUrl: string; clientId: string; clientSecret: string; scope: string | null },
  opts: { clock: Clock; timeoutMs: number },
): TokenSource {
  const endpoint = new URL(auth.tokenUrl);
  const config = new oauth.Configuration({ issuer: endpoint.origin, token_endpoint: endpoint.href }, auth.clientId, undefined, oauth.ClientSecretBasic(auth.clientSecret));
  // A registry on the loopback address or an internal network (the simulator) speaks plain HTTP.
  if (endpoint.protocol === "http:") oauth.allowInsecureRequests(config);
  config.timeout = Math.max(1, Math.ceil(opts.timeoutMs / 1000));
  let kept: { token: string; until: number } | null = null;
  let pending: Promise<string> | null = null;

  const ask = async (): Promise<string> => {
    try {
      const answer = await oauth.clientCredentialsGrant(config, auth.scope ? { scope: auth.scope } : {});
      const ttl = answer.expiresIn() ?? 60;
      kept = { token: answer.access_token, until: opts.clock.now().getTime() + Math.max(0, ttl * 1000 - EARLY_MS) };
      return answer.access_token;
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError && err.status >= 400 && err.status < 500) throw new TokenRefused(err.error);
      if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) throw new TransportError("timeout");
      if (err instanceof oauth.ResponseBodyError || err instanceof oauth.ClientError) {
        throw (err as { status?: number }).status !== undefined && (err as { status: number }).status >= 500 ? new TransportError("down") : new TokenGarbage(err.message);
      }
      throw new TransportError("down");
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
