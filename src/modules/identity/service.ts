// The identity service: accounts, signing in and sessions, officers and their roles, a business's
// representatives. Each use case has its file (service.*.ts); this one puts them together over one set of
// dependencies and the helpers they share (service.support.ts).
import { type Accounts, makeAccounts } from "./service.accounts.ts";
import { makeOfficers, type Officers } from "./service.officers.ts";
import { makeRepresentatives, type Representatives } from "./service.representatives.ts";
import { makeSignIn, type SignIn } from "./service.sign-in.ts";
import { type IdentityDeps, makeAccountCore } from "./service.support.ts";

export { MAILS_PER_HOUR } from "./service.accounts.ts";
export { accountDelayMs, type LiveSession, type RelyingParty, SESSION_IDLE_SECONDS, SESSION_MAX_SECONDS, THROTTLE } from "./service.sign-in.ts";
export { type AccountKind, type IdentityDeps, RESET_LINK_SECONDS, type RequestMeta, type UserView, VERIFY_LINK_SECONDS } from "./service.support.ts";

export interface IdentityService extends Accounts, SignIn, Officers, Representatives {}

export function makeIdentityService(deps: IdentityDeps): IdentityService {
  const core = makeAccountCore(deps);
  return { ...makeAccounts(deps, core), ...makeSignIn(deps, core), ...makeOfficers(deps, core), ...makeRepresentatives(deps) };
}
