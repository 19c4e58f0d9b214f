// The OpenID Connect provider: single sign-on for the portal, the office and other systems (issue 3).
export { InvalidToken } from "./errors.ts";
export { acrOf, CLI_CLIENT_ID, createOidc, loaOf, OIDC_PATH, type Oidc, type VerifiedToken } from "./provider.ts";
export { oidcHousekeepingJob } from "./jobs.ts";
export { oidcRoutes } from "./routes.ts";
