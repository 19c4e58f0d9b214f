// motcua's OpenID Connect provider (node-oidc-provider), its keys, clients and tokens.
import { randomBytes, randomUUID } from "node:crypto";
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from "jose";
import type { IncomingMessage } from "node:http";
import { LRUCache } from "lru-cache";
import Provider, { type ClientMetadata, type Configuration, interactionPolicy, type KoaContextWithOIDC } from "oidc-provider";
import type { Audit } from "../../../platform/audit/index.ts";
import type { Actor } from "../../../platform/auth/actor.ts";
import type { Clock } from "../../../platform/clock.ts";
import type { Database } from "../../../platform/db/index.ts";
import type { IdentityService, UserView } from "../service.ts";
import { adapterFactory } from "./adapter.ts";
import { InvalidToken } from "./errors.ts";
import { rpInitiatedLogout, signOutOnConfirm } from "./logout.tsx";
import * as repo from "./repo.ts";

/** Where the provider lives under the public URL; discovery is also answered at the root. */
export const OIDC_PATH = "/oidc";
/** The relying parties motcua itself is: the portal and the office (web/relying-party). */
export const OWN_CLIENT_IDS: readonly string[] = ["motcua-portal", "motcua-office"];
export const CLI_CLIENT_ID = "motcua-cli";
/** The longest a JWT signed with our keys lives: `motcua token` up to 30 days (ID tokens live an hour). */
export const MAX_JWT_TTL_SECONDS = 30 * 86400;
/** A superseded signing key stays published this long after its successor took over. */
export const KEY_RETENTION_SECONDS = MAX_JWT_TTL_SECONDS + 3600;
/** How often a node looks for keys another node added (rotation there reaches here within this time). */
const KEY_RECHECK_MS = 30_000;
/** `acr` values: the assurance level (0 password only; 1 and 2 as VNeID's levels). */
export const acrOf = (loa: number) => `urn:motcua:loa:${loa}`;
export const loaOf = (acr: string | undefined): number => {
  const m = /^urn:motcua:loa:([0-2])$/.exec(acr ?? "");
  return m ? Number(m[1]) : 0;
};

/** A level no sign-in reaches: asked for with an `acr` motcua does not know. */
const UNREACHABLE_LOA = 3;

/**
 * The assurance level a relying party requires, from an essential `acr` in the `claims` request parameter
 * (`{"id_token":{"acr":{"essential":true,"value":"urn:motcua:loa:2"}}}`, or `values`); null when none is
 * required. Levels are ordered: a sign-in at level 2 satisfies a request for level 1, and the ID token
 * then says `urn:motcua:loa:2`. (`acr_values` stays a voluntary request, as in OpenID Connect Core.)
 */
export function requiredLoa(claims: unknown): number | null {
  let parsed = claims;
  if (typeof claims === "string") {
    try {
      parsed = JSON.parse(claims);
    } catch {
      return null;
    }
  }
  const acr = (parsed as { id_token?: { acr?: { essential?: unknown; value?: unknown; values?: unknown } } } | null)?.id_token?.acr;
  if (!acr || acr.essential !== true) return null;
  const values = Array.isArray(acr.values) ? acr.values : acr.value !== undefined ? [acr.value] : [];
  if (values.length === 0) return null;
  const levels = values.map((v) => (typeof v === "string" && /^urn:motcua:loa:[0-2]$/.test(v) ? loaOf(v) : UNREACHABLE_LOA));
  return Math.min(...levels);
}

/** The motcua browser session behind a request to the provider, as the actor hook resolved it. */
export interface BrowserSession {
  userId: string;
  loa: number;
  /** How the person signed in (RFC 8176 values), for the ID token's `amr`. */
  amr: string[] | undefined;
}

const BROWSER_SESSION = Symbol("motcua.browserSession");

/** Hands the request's motcua session (or none) to the provider, which reads it in its login checks. */
export function attachBrowserSession(raw: IncomingMessage, session: BrowserSession | null): void {
  (raw as IncomingMessage & { [BROWSER_SESSION]?: BrowserSession | null })[BROWSER_SESSION] = session;
}

function browserSessionOf(raw: IncomingMessage): BrowserSession | null {
  return (raw as IncomingMessage & { [BROWSER_SESSION]?: BrowserSession | null })[BROWSER_SESSION] ?? null;
}

/**
 * The interaction policy: oidc-provider's, plus a login check that ties the provider's session to the
 * motcua browser session. Signing out of motcua, or another person signing in on the same browser, or a
 * sign-in at another assurance level, makes the provider ask again (or answer `login_required` to
 * prompt=none) instead of vouching for whoever was signed in before.
 */
function policy() {
  const { Check, base } = interactionPolicy;
  const rules = base();
  rules.get("login")!.checks.add(
    new Check("motcua_session", "The motcua sign-in ended or changed", "login_required", (ctx) => {
      const session = ctx.oidc.session;
      if (!session?.accountId) return Check.NO_NEED_TO_PROMPT; // `no_session` asks already
      const browser = browserSessionOf(ctx.req);
      if (!browser || browser.userId !== session.accountId || acrOf(browser.loa) !== session.acr) return Check.REQUEST_PROMPT;
      return Check.NO_NEED_TO_PROMPT;
    }),
  );
  // Required assurance levels are ordered (see requiredLoa) instead of oidc-provider's exact matching.
  const login = rules.get("login")!;
  login.checks.remove("essential_acr");
  login.checks.remove("essential_acrs");
  login.checks.add(
    new Check(
      "motcua_loa",
      "The sign-in does not reach the assurance level required",
      "login_required",
      (ctx) => {
        const required = requiredLoa(ctx.oidc.claims);
        if (required === null || !ctx.oidc.session?.accountId) return Check.NO_NEED_TO_PROMPT;
        return loaOf(ctx.oidc.session.acr) >= required ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
      },
      (ctx) => ({ requiredLoa: requiredLoa(ctx.oidc.claims) }),
    ),
  );
  return rules;
}

export interface OidcDeps {
  database: Database;
  clock: Clock;
  audit: Audit;
  identity: IdentityService;
  publicUrl: string;
  cookieSecret: string;
  /**
   * Where a signed-in person can raise their assurance level (the federated sign-in, when an external
   * provider is configured), for relying parties that require a level above the session's.
   */
  stepUpPath?: string | null;
  /** Relying parties besides the built-in ones (tests, integrations registered by configuration). */
  clients?: ClientMetadata[];
}

export interface VerifiedToken {
  actor: Actor;
  user: UserView | null;
  clientId: string;
  scope: string;
  expiresAt: Date;
}

export interface Oidc {
  readonly issuer: string;
  /** See OidcDeps.stepUpPath. */
  readonly stepUpPath: string | null;
  provider(): Promise<Provider>;
  /** The actor behind a bearer access token; `InvalidToken` otherwise. */
  verifyAccessToken(value: string): Promise<VerifiedToken>;
  /** Mints an access token for a user (the `motcua token` command), audited. */
  mintToken(actor: Actor, username: string, ttlSeconds: number): Promise<string>;
  /**
   * Adds a new signing key, which signs from now on; superseded keys stay published (tokens they signed
   * still verify) until KEY_RETENTION_SECONDS after their successor took over, then they are retired.
   */
  rotateKeys(): Promise<string>;
  /** Daily: removes expired provider records (codes, tokens, sessions, interactions), retires old keys. */
  housekeeping(): Promise<{ expired: number; retired: number }>;
  /**
   * Registers a client stored in the database (an integration or another system's relying party): with
   * redirect URIs it uses the code flow with PKCE, otherwise client credentials. Returns its secret.
   */
  addClient(actor: Actor, clientId: string, redirectUris: string[]): Promise<string>;
}

async function newSigningKey(database: Database, now: Date): Promise<string> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  await repo.insertKey(database.db, kid, { ...jwk, kid, alg: "RS256", use: "sig" }, now);
  return kid;
}

export function createOidc(deps: OidcDeps): Oidc {
  const { database, clock, identity, audit } = deps;
  const issuer = `${deps.publicUrl}${OIDC_PATH}`;
  /** The provider, built on the signing keys `kids`; re-checked against the database every KEY_RECHECK_MS. */
  let state: { provider: Provider; kids: string; checkedAt: number } | null = null;
  let refreshing: Promise<Provider> | null = null;

  const builtInClients: ClientMetadata[] = [
    {
      client_id: "motcua-portal",
      token_endpoint_auth_method: "none",
      redirect_uris: [`${deps.publicUrl}/auth/callback`],
      post_logout_redirect_uris: [`${deps.publicUrl}/`],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    },
    {
      client_id: "motcua-office",
      token_endpoint_auth_method: "none",
      redirect_uris: [`${deps.publicUrl}/office/auth/callback`],
      post_logout_redirect_uris: [`${deps.publicUrl}/office`],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    },
    // Tokens minted by `motcua token`: no flow of its own.
    { client_id: CLI_CLIENT_ID, token_endpoint_auth_method: "none", redirect_uris: [], grant_types: [], response_types: [] },
  ];

  function build(keys: Array<{ jwk: Record<string, unknown> }>): Provider {
    const configuration: Configuration = {
      adapter: adapterFactory(database, clock),
      clients: [...builtInClients, ...(deps.clients ?? [])],
      jwks: { keys: keys.map((k) => k.jwk) as NonNullable<Configuration["jwks"]>["keys"] },
      cookies: { keys: [deps.cookieSecret] },
      findAccount: async (ctx: KoaContextWithOIDC, sub: string, token) => {
        const user = await identity.user(sub);
        if (!user || user.status !== "active") return undefined;
        const acr = (token as { acr?: string } | undefined)?.acr ?? ctx.oidc.session?.acr;
        return {
          accountId: sub,
          claims: async () => ({
            sub,
            name: user.fullName,
            preferred_username: user.username,
            loa: loaOf(acr),
            roles: user.roles.map((r) => (r.agencyCode ? `${r.role}@${r.agencyCode}` : r.role)),
          }),
        };
      },
      claims: {
        acr: null,
        amr: null,
        auth_time: null,
        sid: null,
        iss: null,
        // The assurance level in every ID token: `acr` (urn:motcua:loa:N), `loa` (N) and how (amr).
        openid: ["sub", "loa", "acr", "amr", "auth_time"],
        profile: ["name", "preferred_username", "roles"],
      },
      scopes: ["openid", "offline_access", "profile", "api"],
      acrValues: [acrOf(0), acrOf(1), acrOf(2)],
      interactions: { policy: policy(), url: (_ctx, interaction) => `${OIDC_PATH}/interaction/${interaction.uid}` },
      features: {
        claimsParameter: { enabled: true },
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        introspection: { enabled: true },
        revocation: { enabled: true },
        rpInitiatedLogout: rpInitiatedLogout(OWN_CLIENT_IDS),
      },
      pkce: { required: () => true },
      responseTypes: ["code"],
      ttl: {
        AccessToken: 3600,
        AuthorizationCode: 60,
        ClientCredentials: 600,
        IdToken: 3600,
        Interaction: 600,
        RefreshToken: 14 * 24 * 3600,
        Session: 12 * 3600,
        Grant: 14 * 24 * 3600,
      },
      issueRefreshToken: async (_ctx, client, code) =>
        client.grantTypeAllowed("refresh_token") && code.scopes.has("offline_access"),
      extraTokenClaims: async (ctx, token) => {
        if (token.kind !== "AccessToken") return undefined;
        // The level of the sign-in behind the grant: the code's, the refresh token's (at refresh), the session's.
        const code = ctx.oidc.entities.AuthorizationCode as { acr?: string } | undefined;
        const refresh = ctx.oidc.entities.RefreshToken as { acr?: string } | undefined;
        const session = ctx.oidc.session as { acr?: string } | undefined;
        return { loa: loaOf(code?.acr ?? refresh?.acr ?? session?.acr) };
      },
      // motcua's own clients are registered by administrators: the user is not asked to consent.
      loadExistingGrant: async (ctx) => {
        const accountId = ctx.oidc.session?.accountId;
        const client = ctx.oidc.client;
        if (!accountId || !client) return undefined;
        const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(client.clientId);
        if (grantId) {
          const existing = await ctx.oidc.provider.Grant.find(grantId);
          if (existing) return existing;
        }
        const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId });
        grant.addOIDCScope("openid offline_access profile api");
        await grant.save();
        return grant;
      },
      renderError: async (ctx, out) => {
        ctx.type = "text/plain; charset=utf-8";
        ctx.body = `Lỗi đăng nhập / Sign-in error: ${String(out.error)}${out.error_description ? ` — ${String(out.error_description)}` : ""}\n`;
      },
    };
    const provider = new Provider(issuer, configuration);
    // Its URLs are the configured public address's, whatever the request's Host or scheme (a TLS proxy in
    // front, or a request made inside the process): routes.ts sets the forwarded headers from the issuer.
    provider.proxy = true;
    provider.use(signOutOnConfirm(issuer));
    return provider;
  }

  async function refresh(): Promise<Provider> {
    let keys = await repo.activeKeys(database.db);
    if (keys.length === 0) {
      await newSigningKey(database, clock.now());
      keys = await repo.activeKeys(database.db);
    }
    const kids = keys.map((k) => k.kid).join(" ");
    const checkedAt = clock.now().getTime();
    if (state?.kids === kids) state.checkedAt = checkedAt;
    else state = { provider: build(keys), kids, checkedAt };
    return state.provider;
  }

  // Another node's rotation (or retirement) is seen here within KEY_RECHECK_MS: the provider is rebuilt on
  // the new key set, so this node signs with the newest key and publishes every live one.
  const provider = (): Promise<Provider> => {
    if (state && clock.now().getTime() - state.checkedAt < KEY_RECHECK_MS) return Promise.resolve(state.provider);
    return (refreshing ??= refresh().finally(() => {
      refreshing = null;
    }));
  };

  // The published keys, re-read at most every KEY_RECHECK_MS (and at once after a rotation here), with the
  // tokens already verified against them: a bearer token is sent with every call of an API client, and its
  // RSA signature need not be checked again until the keys are re-read (its expiry is, on every call).
  let keyCache: { at: number; jwks: ReturnType<typeof createLocalJWKSet>; verified: LRUCache<string, JWTPayload> } | null = null;
  async function currentKeys() {
    const now = clock.now().getTime();
    if (keyCache && now - keyCache.at < KEY_RECHECK_MS) return keyCache;
    const keys = await repo.activeKeys(database.db);
    const publicKeys = keys.map(({ jwk }) => {
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
      return pub as JWK;
    });
    keyCache = { at: now, jwks: createLocalJWKSet({ keys: publicKeys }), verified: new LRUCache({ max: 10_000 }) };
    return keyCache;
  }

  /** The claims of a token signed by a published key, checked for issuer, audience, type and time. */
  async function verifiedClaims(value: string): Promise<JWTPayload> {
    const keys = await currentKeys();
    const now = clock.now();
    const seen = keys.verified.get(value);
    // A token seen before: only its time is checked again (jose's check, without clock tolerance).
    if (seen && typeof seen.exp === "number" && seen.exp * 1000 > now.getTime() && (typeof seen.nbf !== "number" || seen.nbf * 1000 <= now.getTime())) return seen;
    const { payload } = await jwtVerify(value, keys.jwks, { issuer, audience: issuer, typ: "at+jwt", algorithms: ["RS256"], currentDate: now });
    keys.verified.set(value, payload);
    return payload;
  }

  /** A JWT access token of this issuer (`motcua token`): signature by a published key, issuer, audience, expiry. */
  async function verifyJwt(value: string): Promise<VerifiedToken> {
    let payload: JWTPayload;
    try {
      payload = await verifiedClaims(value);
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
    issuer,
    stepUpPath: deps.stepUpPath ?? null,
    provider,

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
      await provider(); // makes the first signing key when there is none yet
      const [key] = await repo.activeKeys(database.db);
      if (!key) throw new Error("no signing key");
      const now = Math.floor(clock.now().getTime() / 1000);
      // A JWT access token (RFC 9068) signed with the provider's current key: verified like any other.
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

    async rotateKeys() {
      const now = clock.now();
      const kid = await newSigningKey(database, now);
      await repo.retireSupersededKeys(database.db, new Date(now.getTime() - KEY_RETENTION_SECONDS * 1000), now);
      state = null;
      keyCache = null;
      return kid;
    },

    async housekeeping() {
      const now = clock.now();
      const expired = await repo.deleteExpired(database.db, now);
      const retired = await repo.retireSupersededKeys(database.db, new Date(now.getTime() - KEY_RETENTION_SECONDS * 1000), now);
      if (retired) {
        state = null;
        keyCache = null;
      }
      return { expired, retired };
    },
  };
}
