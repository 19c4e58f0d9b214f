// motcua's OpenID Connect provider (node-oidc-provider), its keys, clients and tokens.
// Its configuration (provider.configuration.ts), its keys (provider.keys.ts), its tokens and clients
// (provider.tokens.ts) are put together here, once per application.
import type Provider from "oidc-provider";
import type { ClientMetadata } from "oidc-provider";
import type { Audit } from "../../../platform/audit/index.ts";
import type { Clock } from "../../../platform/clock.ts";
import type { Database } from "../../../platform/db/index.ts";
import type { Signals } from "../../../platform/signals.ts";
import type { IdentityService } from "../service.ts";
import { builtInClients, OIDC_PATH, providerBuilder } from "./provider.configuration.ts";
import { makeKeyRing, type OidcKeys } from "./provider.keys.ts";
import { makeTokens, type OidcTokens } from "./provider.tokens.ts";

export {
  acrOf,
  attachBrowserSession,
  type BrowserSession,
  CLI_CLIENT_ID,
  loaOf,
  OIDC_PATH,
  OWN_CLIENT_IDS,
  requiredLoa,
} from "./provider.configuration.ts";
export { KEY_RETENTION_SECONDS, MAX_JWT_TTL_SECONDS } from "./provider.keys.ts";
export type { VerifiedToken } from "./provider.tokens.ts";

export interface OidcDeps {
  database: Database;
  /** A key rotated on any node is taken up by every node at once. */
  signals: Signals;
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

export interface Oidc extends OidcTokens, OidcKeys {
  readonly issuer: string;
  /** See OidcDeps.stepUpPath. */
  readonly stepUpPath: string | null;
  provider(): Promise<Provider>;
}

export function createOidc(deps: OidcDeps): Oidc {
  const issuer = `${deps.publicUrl}${OIDC_PATH}`;
  const clients = builtInClients(deps);
  const keys = makeKeyRing(deps, providerBuilder(deps, issuer, clients));
  return {
    issuer,
    stepUpPath: deps.stepUpPath ?? null,
    provider: keys.provider,
    ...makeTokens(deps, issuer, clients, keys),
    rotateKeys: keys.rotateKeys,
    housekeeping: keys.housekeeping,
  };
}
