// Who may call each route (issue 3, item 6). A route missing here stops the application from
// building, and the authorization matrix test (test/authorization.test.ts) checks every entry for
// every role. Finer rules (an agency's subtree, a dossier's owner) live in each module's policy.
import { type AccessTable, PUBLIC, rolesOnly, SIGNED_IN } from "./platform/http/access.ts";

const ADMINS = rolesOnly("agency_admin", "system_admin");
const REVIEWERS = rolesOnly("agency_admin", "system_admin", "supervisor");
const OFFICERS = rolesOnly("receiver", "specialist", "leader", "agency_admin", "supervisor");
const APPLICANTS = rolesOnly("citizen", "business");
const RECEIVERS = rolesOnly("receiver");

export const ROUTE_ACCESS: AccessTable = {
  // Service

  // Reference data and working time

  // Pages
  "GET /": PUBLIC,
  "GET /office": PUBLIC,
  "GET /ngay-nghi": PUBLIC,
  "GET /ngon-ngu": PUBLIC,
  "GET /assets/:name": PUBLIC,

  // The portal and the office as relying parties of the provider: signing in and out is for everyone.
  "GET /auth/dang-nhap": PUBLIC,
  "GET /auth/callback": PUBLIC,
  "POST /auth/dang-xuat": PUBLIC,
  "GET /office/auth/dang-nhap": PUBLIC,
  "GET /office/auth/callback": PUBLIC,
  "POST /office/auth/dang-xuat": PUBLIC,

  // Identity: the sign-in pages are for everyone; the account page sends a visitor to sign in itself.

  // Administration of accounts (the subtree rule is the identity module's policy)

  // Catalogue: reading is public (drafts only for their reviewers, the module's policy); changes are for
  // administrators of the implementing agencies (the module's policy checks which).

  // Dossiers: who sees and does what is the dossier policy's (owner, officers of its agencies, the step's role).
  // Dossier pages: the portal's for applicants (others are sent to sign in or refused), the public lookup,
  // the office's for officers; counter intake and a counter draft's form for the desk.

  // The OIDC provider authenticates its own endpoints (clients, tokens, the browser's session).
  "* /oidc": PUBLIC,
  "* /oidc/*": PUBLIC,
  "GET /oidc/interaction/:uid": PUBLIC,
  "GET /.well-known/openid-configuration": PUBLIC,
};
