// The directory: administrative units (34 provinces, 3,321 communes of the 2025 reform) and agencies with
// their QCVN 102:2016 codes and departments.
import { defineModule } from "../../platform/module.ts";
import { directoryRoutes } from "./routes.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "./seeds.ts";
import { type DirectoryService, makeDirectoryService } from "./service.ts";

declare module "../../platform/module.ts" {
  interface Services {
    directory: DirectoryService;
  }
}

declare module "../../platform/signals.ts" {
  interface SignalMap {
    /** An agency was added (its code): every node forgets the subtrees it keeps. */
    "directory.agency_added": string;
  }
}

export const directoryModule = defineModule({
  name: "directory",
  needs: [],
  provides: ["directory"],
  build: ({ database, audit, signals }) => ({ directory: makeDirectoryService({ database, audit, signals }) }),
  routes: ({ directory }) => [directoryRoutes(directory)],
  seeds: ({ directory }) => [adminUnitsSeed(), demoAgenciesSeed(directory)],
});

export {
  AGENCY_CODE_PATTERN,
  agencyLevel,
  ancestorAgencyCodes,
  isAgencyCode,
  isWithinAgency,
  parentAgencyCode,
  parseAgencyCode,
  subtreeSuffix,
} from "./codes.ts";
export { AGENCY_KINDS, type AgencyKind } from "./kinds.ts";
export { adminUnitsSeed, demoAgenciesSeed, readAdminUnits, readDemoAgencies } from "./seeds.ts";
export type { AgencySearch, DirectoryService } from "./service.ts";
export type { AgencyDto, AgencySummaryDto, DepartmentDto } from "./schema.ts";
/** The agencies' table, for other modules' foreign keys only: they read agencies through the service. */
export { agencies } from "./tables.ts";
