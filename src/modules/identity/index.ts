// Identity: accounts, passwords, sessions, roles and the second factor; the OpenID Connect provider
// (single sign-on, access tokens) and the portal's and the office's sign-in as its relying parties.
import type { ClientMetadata } from "oidc-provider";
import { defineModule } from "../../platform/module.ts";
import { adminRoutes } from "./admin-routes.ts";
import { FEDERATION_PATH, federationRoutes } from "./federation.tsx";
import { oidcCommands } from "./oidc/commands.ts";
import { forgetSignInFailuresJob } from "./jobs.ts";
import { oidcHousekeepingJob } from "./oidc/jobs.ts";
import { createOidc, type Oidc } from "./oidc/provider.ts";
import { oidcRoutes } from "./oidc/routes.ts";
import { relyingPartyRoutes } from "./relying-party/routes.tsx";
import { adminPages, providerPages } from "./pages/index.ts";
import { identityRoutes } from "./routes.ts";
import { makeSecondFactor, type SecondFactor } from "./second-factor.ts";
import { demoAccountsSeed } from "./seeds.ts";
import { type IdentityService, makeIdentityService } from "./service.ts";
import { registerActorHook, signOutBrowser } from "./web-session.ts";
import { PARTIES, signInHref } from "./relying-party/paths.ts";
import { csrfToken } from "../../web/cookies.ts";
import { registerViewer } from "../../web/routes.tsx";

declare module "../../platform/module.ts" {
  interface Services {
    /** Accounts, sign-in, sessions and roles. */
    identity: IdentityService;
    /** TOTP second factor of officers and administrators. */
    secondFactor: SecondFactor;
    /** The OpenID Connect provider: single sign-on, access tokens. */
    oidc: Oidc;
  }
  interface ModuleOptions {
    /** Relying parties of the provider besides the built-in ones (tests). */
    oidcClients: ClientMetadata[];
  }
}

declare module "../../platform/signals.ts" {
  interface SignalMap {
    /** An account's status, roles, name, address or password changed (its id): every node forgets it. */
    "identity.account_changed": string;
    /** The provider's signing keys changed (a key added or retired): every node re-reads them. */
    "oidc.keys_changed": string;
  }
}

export const identityModule = defineModule({
  name: "identity",
  needs: ["directory"],
  provides: ["identity", "secondFactor", "oidc"],
  build: ({ database, clock, audit, directory, mail, signals, config, secret, options }) => {
    const identity = makeIdentityService({ database, clock, audit, directory, mail, signals, publicUrl: config.publicUrl });
    const oidc = createOidc({
      database,
      signals,
      clock,
      audit,
      identity,
      publicUrl: config.publicUrl,
      cookieSecret: secret("oidc-cookies"),
      stepUpPath: config.federation ? FEDERATION_PATH : null,
      ...(options.oidcClients ? { clients: options.oidcClients } : {}),
    });
    const secondFactor = makeSecondFactor({ database, clock, audit, key: secret("totp") });
    return { identity, secondFactor, oidc };
  },
  http: (app, { identity, oidc, config }) => {
    // Who the actor of every request is: a bearer access token of the provider, or the browser's session.
    registerActorHook(app, identity, config.publicUrl, (token) => oidc.verifyAccessToken(token));
    // Who the pages say is signed in: the party's session, or the party's sign-in link.
    registerViewer(app, (request, reply, area, here) =>
      request.user
        ? { name: request.user.fullName, signOut: PARTIES[area].signOut, csrf: csrfToken(request, reply) }
        : { signIn: signInHref(area, here) },
    );
  },
  routes: ({ identity, oidc }) => [
    identityRoutes(),
    oidcRoutes(oidc, { signOut: (request) => signOutBrowser(identity, request) }),
    adminRoutes(identity),
  ],
  pages: ({ identity, secondFactor, directory, oidc, clock, config, secret }) => [
    providerPages({ identity, secondFactor, federation: config.federation?.name ?? null }),
    adminPages(identity, directory),
    ...(config.federation
      ? [federationRoutes({ identity, federation: config.federation, publicUrl: config.publicUrl, secret: secret("federation") })]
      : []),
    relyingPartyRoutes({ identity, clock, publicUrl: config.publicUrl, issuer: oidc.issuer, secret: secret("rp-flow") }),
  ],
  jobs: ({ oidc, database, clock }) => [oidcHousekeepingJob(oidc), forgetSignInFailuresJob({ database, clock })],
  schedules: { "oidc.housekeeping": "40 3 * * *", "identity.forget_sign_in_failures": "17 * * * *" },
  seeds: ({ identity, logger }) => [demoAccountsSeed(identity, logger)],
  commands: oidcCommands,
});

export { CCCD_PROVINCES, checkCccd, checkTaxCode } from "./ids.ts";
export { demoAccountsSeed, readDemoAccounts } from "./seeds.ts";
export type { IdentityService, RelyingParty, UserView } from "./service.ts";
export type { SecondFactor } from "./second-factor.ts";
export { InvalidToken } from "./oidc/errors.ts";
export { acrOf, CLI_CLIENT_ID, loaOf, OIDC_PATH, type Oidc, type VerifiedToken } from "./oidc/provider.ts";
export { PARTIES, signInHref } from "./relying-party/paths.ts";
