// The provider's tokens and clients: a bearer access token verified (the provider's own or a JWT of
// `motcua token`), a JWT minted for the command line, a client registered in the database.
import { randomBytes, randomUUID } from "node:crypto";
import type { JWK, JWTPayload } from "jose";
import type { ClientMetadata } from "oidc-provider";
import type { Audit } from "../../../platform/audit/index.ts";
import type { Actor } from "../../../platform/auth/actor.ts";
import type { Clock } from "../../../platform/clock.ts";
import type { Database } from "../../../platform/db/index.ts";
import type { IdentityService, UserView } from "../service.ts";
import { InvalidToken } from "./errors.ts";
import { CLI_CLIENT_ID } from "./provider.configuration.ts";
import { jose, type KeyRing, MAX_JWT_TTL_SECONDS } from "./provider.keys.ts";
import * as repo from "./repo.ts";

export interface VerifiedToken {
  actor: Actor;
  user: UserView | null;
  clientId: string;
  scope: string;
  expiresAt: Date;
}

/** The provider's tokens and clients as the Oidc service offers them. */
export interface OidcTokens {
  /** The actor behind a bearer access token; `InvalidToken` otherwise. */
  verifyAccessToken(value: string): Promise<VerifiedToken>;
  /** Mints an access token for a user (the `motcua token` command), audited. */
  mintToken(actor: Actor, username: string, ttlSeconds: number): Promise<string>;
  /**
   * Registers a client stored in the database (an integration or another system's relying party): with
   * redirect URIs it uses the code flow with PKCE, otherwise client credentials. Returns its secret.
   */
  addClient(actor: Actor, clientId: string, redirectUris: string[]): Promise<string>;
}

export function makeTokens(
  deps: { database: Database; clock: Clock; audit: Audit; identity: IdentityService },
  issuer: string,
  builtInClients: ClientMetadata[],
  keys: KeyRing,
): OidcTokens {
  const { database, clock, identity, audit } = deps;
  const { provider, signingKeys, currentKeys } = keys;

  /** The claims of a token signed by a published key, checked for issuer, audience, type and time. */
  async function verifiedClaims(value: string, keys: Awaited<ReturnType<typeof currentKeys>>): Promise<JWTPayload> {
    const now = clock.now();
    const seen = keys.verified.get(value);
    // A token seen before: only its time is checked again (jose's check, without clock tolerance).
    if (seen && typeof seen.exp === "number" && seen.exp * 1000 > now.getTime() && (typeof seen.nbf !== "number" || seen.nbf * 1000 <= now.getTime())) return seen;
    const { jwtVerify } = await jose();
    const { payload } = await jwtVerify(value, keys.jwks, { issuer, audience: issuer, typ: "at+jwt", algorithms: ["RS256"], currentDate: now });
    keys.verified.set(value, payload);
    return payload;
  }

  /** A JWT access token of this issuer (`motcua token`): signature by a published key, issuer, audience, expiry. */
  async function verifyJwt(value: string): Promise<VerifiedToken> {
    // Read before the check: keys that cannot be read (the database cannot serve) say nothing of the token.
    const keys = await currentKeys();
    let payload: JWTPayload;
    try {
      payload = await verifiedClaims(value, keys);
    } catch {
      throw new InvalidToken();
    }
    const user = payload.sub ? await identity.user(payload.sub) : null;
    if (!user || user.status !== "active") throw new InvalidToken();
    const loa = typeof payload.loa === "number" ? payload.loa : 0;
    return {
      actor: identity.actorFor(user, { loa }),
      user,
      clientId: String(payload.client_id ?? ""),
      scope: String(payload.scope ?? ""),
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  }

  return {
    async verifyAccessToken(value) {
      if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return verifyJwt(value);
      const p = await provider();
      const token = await p.AccessToken.find(value);
      if (token && !token.isExpired) {
        const user = await identity.user(token.accountId);
        if (!user || user.status !== "active") throw new InvalidToken();
        const loa = typeof token.extra?.loa === "number" ? token.extra.loa : 0;
        return {
          actor: identity.actorFor(user, { loa }),
          user,
          clientId: token.clientId ?? "",
          scope: token.scope ?? "",
          expiresAt: new Date((token.exp ?? 0) * 1000),
        };
      }
      const cc = await p.ClientCredentials.find(value);
      if (cc && !cc.isExpired) {
        return {
          actor: { type: "system", name: `client:${cc.clientId ?? ""}` },
          user: null,
          clientId: cc.clientId ?? "",
          scope: cc.scope ?? "",
          expiresAt: new Date((cc.exp ?? 0) * 1000),
        };
      }
      throw new InvalidToken();
    },

    async mintToken(actor, username, ttlSeconds) {
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > MAX_JWT_TTL_SECONDS) {
        throw new RangeError(`token lifetime ${ttlSeconds} s is outside 60 s – ${MAX_JWT_TTL_SECONDS} s`);
      }
      const found = await identity.findByUsername(username);
      if (!found || found.status !== "active") throw new InvalidToken();
      // The newest key, as the provider signs with (the first one is made when there is none yet).
      const [key] = await signingKeys();
      if (!key) throw new Error("no signing key");
      const now = Math.floor(clock.now().getTime() / 1000);
      // A JWT access token (RFC 9068) signed with the provider's current key: verified like any other.
      const { importJWK, SignJWT } = await jose();
      const value = await new SignJWT({ client_id: CLI_CLIENT_ID, scope: "openid profile api", loa: 0 })
        .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: key.kid })
        .setIssuer(issuer)
        .setAudience(issuer)
        .setSubject(found.id)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(await importJWK(key.jwk as JWK, "RS256"));
      await database.transaction((tx) =>
        audit.record(tx, {
          actor,
          action: "identity.token_issued",
          subject: { type: "user", id: found.id },
          change: { clientId: CLI_CLIENT_ID, ttlSeconds },
        }),
      );
      return value;
    },

    async addClient(actor, clientId, redirectUris) {
      if (!/^[a-z][a-z0-9._-]{2,63}$/.test(clientId) || builtInClients.some((c) => c.client_id === clientId)) {
        throw new Error(`client id "${clientId}" is not usable`);
      }
      for (const uri of redirectUris) new URL(uri);
      const secret = randomBytes(32).toString("base64url");
      const metadata: ClientMetadata = {
        client_id: clientId,
        client_secret: secret,
        redirect_uris: redirectUris,
        grant_types: redirectUris.length ? ["authorization_code", "refresh_token"] : ["client_credentials"],
        response_types: redirectUris.length ? ["code"] : [],
        token_endpoint_auth_method: "client_secret_post",
      };
      // oidc-provider looks clients it was not configured with up through the adapter's Client model.
      await database.transaction(async (tx) => {
        await repo.upsertPayload(tx, { model: "Client", id: clientId, payload: metadata, grantId: null, userCode: null, uid: null, expiresAt: null });
        await audit.record(tx, { actor, action: "oidc.client_registered", subject: { type: "oidc_client", id: clientId }, change: { redirectUris } });
      });
      return secret;
    },
  };
}
