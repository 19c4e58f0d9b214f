// Identity: accounts, passwords, sessions and roles (issue 3).
export { checkCccd, checkTaxCode } from "./ids.ts";
export { identityRoutes } from "./routes.tsx";
export { demoAccountsSeed } from "./seeds.ts";
export { type IdentityService, makeIdentityService, type UserView } from "./service.ts";
export { registerActorHook, signOutBrowser } from "./web-session.ts";
