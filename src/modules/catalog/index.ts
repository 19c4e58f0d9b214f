// Catalogue of administrative procedures (issue 4).
export { catalogRoutes } from "./routes.ts";
export { demoCatalogSeed } from "./seeds.ts";
export { type BoundVersion, type CatalogService, makeCatalogService } from "./service.ts";
export type { ProcedureContent } from "./model.ts";
