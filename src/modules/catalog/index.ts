// The catalogue of administrative procedures: versions, publishing, search, the national catalogue's format.
import { REVIEWER_ROLES } from "../../platform/http/access.ts";
import { defineModule } from "../../platform/module.ts";
import { catalogOfficePages } from "./office-pages.tsx";
import { catalogPortalPages } from "./portal-pages.tsx";
import { catalogRoutes } from "./routes.ts";
import { demoCatalogSeed } from "./seeds.ts";
import { type CatalogService, makeCatalogService } from "./service.ts";

declare module "../../platform/module.ts" {
  interface Services {
    /** Administrative procedures: versions, publishing, search. */
    catalog: CatalogService;
  }
}

declare module "../../platform/signals.ts" {
  interface SignalMap {
    /** A procedure's new version is in force (its code): searches and its number in force are stale. */
    "catalog.published": string;
  }
}

export const catalogModule = defineModule({
  name: "catalog",
  needs: ["directory"],
  provides: ["catalog"],
  build: ({ database, clock, audit, directory, signals, config }) => ({
    catalog: makeCatalogService({ database, clock, audit, directory, signals, searchCacheSeconds: config.searchCacheSeconds }),
  }),
  routes: ({ catalog }) => [catalogRoutes(catalog)],
  pages: ({ catalog, directory }) => [catalogPortalPages({ catalog, directory }), catalogOfficePages(catalog)],
  seeds: ({ catalog }) => [demoCatalogSeed(catalog)],
  nav: [
    { area: "portal", href: "/thu-tuc", label: { vi: "Thủ tục hành chính", en: "Procedures" }, order: 10 },
    { area: "office", href: "/quan-tri/thu-tuc", label: { vi: "Quản lý thủ tục", en: "Manage procedures" }, roles: REVIEWER_ROLES, order: 40 },
  ],
});

export { formDataProblems } from "./form-schema.ts";
export {
  type Channel,
  type Component,
  FormDefinition,
  Literals,
  needsUpload,
  type PrefillFact,
  type ProcedureContent,
  REGISTRY_FIELDS,
  REGISTRY_SOURCES,
  type RegistryHint,
  type RegistrySource,
  ProcedureCode,
  type ProcessingTime,
  type StepRole,
  timeInHours,
} from "./model.ts";
export { agencyNames } from "./portal-pages.tsx";
export { roleName } from "./words.ts";
export type { ProcedureListItem } from "./schema.ts";
export { type BoundVersion, type CatalogService } from "./service.ts";
export { demoCatalogSeed, readDemoCatalog } from "./seeds.ts";
