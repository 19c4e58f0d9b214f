// The identity module's pages, one file per use case: the provider's (sign-in, the second factor,
// registration, the account page, the mails' links) and the office's administration of officer accounts.
import type { App } from "../../../platform/http/types.ts";
import { registerPageErrors } from "../../../web/page-errors.tsx";
import type { DirectoryService } from "../../directory/index.ts";
import type { IdentityService } from "../service.ts";
import { officerListRoutes } from "./admin-list.tsx";
import { officerRoutes } from "./admin-officer.tsx";
import { adminLookups } from "./admin-parts.tsx";
import { accountRoutes } from "./account.tsx";
import { emailLinkRoutes } from "./email-links.tsx";
import { ACCOUNT_PATH, ADMIN_ACCOUNTS_PATH } from "./paths.ts";
import { registrationRoutes } from "./registration.tsx";
import { secondFactorRoutes } from "./second-factor.tsx";
import { signInRoutes } from "./sign-in.tsx";
import { type ProviderPageDeps, registerProviderPageErrors } from "./support.ts";

/** The identity provider's own pages. */
export function providerPages(deps: ProviderPageDeps) {
  return async (app: App) => {
    registerProviderPageErrors(app);
    signInRoutes(app, deps);
    secondFactorRoutes(app, deps);
    registrationRoutes(app, deps);
    accountRoutes(app, deps);
    emailLinkRoutes(app, deps);
  };
}

/**
 * The administration of officer accounts (office pages): a signed-out visitor signs in at the office, as the
 * viewer source links it.
 */
export function adminPages(identity: IdentityService, directory: DirectoryService) {
  return async (app: App) => {
    registerPageErrors(app, { signInReturn: ADMIN_ACCOUNTS_PATH, signIn: "office", back: { href: ACCOUNT_PATH, vi: "Tài khoản của tôi", en: "My account" } });
    const lookups = adminLookups(identity, directory);
    officerListRoutes(app, identity, lookups);
    officerRoutes(app, identity, lookups);
  };
}
