// What the identity provider's pages share: the request's facts for the audit log, and the page errors of
// the provider's own pages (a visitor signs in at the provider's own sign-in page).
import type { FastifyRequest } from "fastify";
import type { App } from "../../../platform/http/types.ts";
import { registerPageErrors } from "../../../web/page-errors.tsx";
import type { SecondFactor } from "../second-factor.ts";
import type { IdentityService } from "../service.ts";
import { ACCOUNT_PATH, SIGN_IN_PATH } from "./paths.ts";

/** What the provider's pages are given. */
export interface ProviderPageDeps {
  identity: IdentityService;
  secondFactor: SecondFactor;
  /** The external provider's name (VNeID…), when federation is configured. */
  federation: string | null;
}

/** Who asked, for the audit log and the throttles. */
export function meta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers["user-agent"] ?? null, requestId: request.id };
}

/** The provider's pages send a signed-out visitor to its own sign-in page, and back. */
export function registerProviderPageErrors(app: App): void {
  registerPageErrors(app, { signInReturn: ACCOUNT_PATH, signIn: { path: SIGN_IN_PATH }, back: { href: ACCOUNT_PATH, vi: "Quay lại", en: "Back" } });
}
