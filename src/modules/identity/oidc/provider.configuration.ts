// The configuration of node-oidc-provider: motcua's own clients, the assurance levels (`acr`), the login checks
// that tie the provider's session to motcua's, the claims, scopes, features and lifetimes.
import type { IncomingMessage } from "node:http";
import type Provider from "oidc-provider";
import type * as OidcProviderModule from "oidc-provider";
import type { ClientMetadata, Configuration, KoaContextWithOIDC } from "oidc-provider";
import type { Clock } from "../../../platform/clock.ts";
import type { Database } from "../../../platform/db/index.ts";
import type { IdentityService } from "../service.ts";
import { adapterFactory } from "./adapter.ts";
import { rpInitiatedLogout, signOutOnConfirm } from "./logout.tsx";

type OidcProviderLibrary = typeof OidcProviderModule;

/** Where the provider lives under the public URL; discovery is also answered at the root. */
export const OIDC_PATH = "/oidc";
/** The relying parties motcua itself is: the portal and the office (relying-party/). */
export const OWN_CLIENT_IDS: readonly string[] = ["motcua-portal", "motcua-office"];
export const CLI_CLIENT_ID = "motcua-cli";
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
function policy({ Check, base }: OidcProviderLibrary["interactionPolicy"]) {
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

/** motcua's own relying parties (the portal, the office) and the client of `motcua token`. */
export function builtInClients(deps: { publicUrl: string }): ClientMetadata[] {
  return [
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
}

/** What the provider's configuration reads. */
export interface ProviderDeps {
  database: Database;
  clock: Clock;
  identity: IdentityService;
  cookieSecret: string;
  clients?: ClientMetadata[];
}

/**
 * oidc-provider (with koa and its routers), loaded with the first provider built: a process that only checks and
 * mints bearer tokens (the API's callers, `motcua token`, most test files) never builds one, and loading it was a
 * tenth of the time every process took to load the program.
 */
let library: Promise<OidcProviderLibrary> | null = null;

/** The provider on a set of signing keys; provider.keys.ts builds it again when the set changes. */
export function providerBuilder(deps: ProviderDeps, issuer: string, builtInClients: ClientMetadata[]) {
  const { database, clock, identity } = deps;

  async function build(keys: Array<{ jwk: Record<string, unknown> }>): Promise<Provider> {
    const { default: Provider, interactionPolicy, errors } = await (library ??= import("oidc-provider"));
    const configuration: Configuration = {
      adapter: adapterFactory(database, clock, errors),
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
      interactions: { policy: policy(interactionPolicy), url: (_ctx, interaction) => `${OIDC_PATH}/interaction/${interaction.uid}` },
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
      // Every client's refresh token is used once, confidential ones too (the provider's default rotates public
      // clients' only): a refresh returns a new one, and the one used, presented again, revokes the whole grant,
      // its refresh and access tokens (RFC 9700 §4.14.2). The grant's lifetime (ttl.Grant) still ends the family.
      rotateRefreshToken: true,
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

  return build;
}
