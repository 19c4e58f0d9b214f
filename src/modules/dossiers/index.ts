// The one-stop core: dossiers from filing to the returned result (issue 5).
export { dossierRoutes } from "./routes.ts";
export { type DossierService, makeDossierService } from "./service.ts";
export type { DossierHooks, TransitionEvent } from "./hooks.ts";
export { latenessJob } from "./jobs.ts";
