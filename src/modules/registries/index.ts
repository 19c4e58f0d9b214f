// Registries: the gateway to the national databases (population, business, civil status) with its
// connectors, the record of every look-up, and `motcua registry-sim`, simulated registries to run against.
import { REVIEWER_ROLES } from "../../platform/http/access.ts";
import { defineModule } from "../../platform/module.ts";
import { type AnomalyService, makeAnomalyService } from "./anomalies.ts";
import { withLookupLimits } from "./limits.ts";
import { makeExporter } from "./rights/export.ts";
import { ANOMALIES_PATH, PROTECTION_PATH, rightsOfficePages } from "./rights/office-pages.tsx";
import { RIGHTS_PATH, rightsPortalPages } from "./rights/portal-page.tsx";
import { dataRightsRoutes } from "./rights/routes.ts";
import { type DataRightsService, makeDataRightsService } from "./rights/service.ts";
import { DEFAULT_RIGHTS } from "./rights/settings.ts";
import { makeOnceOnly } from "./once-only.ts";
import { registriesPages } from "./pages.tsx";
import { registriesRoutes } from "./routes.ts";
import { makeConnectors, makeRegistriesService, type RegistriesService } from "./service.ts";
import { registrySimCommand } from "./sim/command.ts";

declare module "../../platform/module.ts" {
  interface Services {
    /** Look-ups in the national registries, each recorded with its purpose. */
    registries: RegistriesService;
    /** Data-subject rights: consents, requests to see, correct or delete, the breach register. */
    dataRights: DataRightsService;
    /** The supervisors' report of unusual look-ups. */
    registryAnomalies: AnomalyService;
  }
}

export const registriesModule = defineModule({
  name: "registries",
  needs: ["calendar", "dossiers"],
  provides: ["registries", "dataRights", "registryAnomalies"],
  build: ({ database, clock, audit, config, calendar, dossiers }) => {
    const rights = config.registries.rights ?? DEFAULT_RIGHTS;
    const gateway = makeRegistriesService({
      database,
      clock,
      audit,
      connectors: makeConnectors(config.registries, clock),
      ...(config.registries.covertPurposes ? { covertPurposes: config.registries.covertPurposes } : {}),
    });
    return {
      registries: withLookupLimits(gateway, rights, { database, clock }),
      dataRights: makeDataRightsService({ database, clock, calendar, audit, settings: rights, exportOf: makeExporter({ database, dossiers, now: () => clock.now() }) }),
      registryAnomalies: makeAnomalyService({ database, calendar, dossiers, threshold: rights.anomalyDistinct }),
    };
  },
  routes: ({ registries, dataRights, registryAnomalies, clock }) => [registriesRoutes(registries), dataRightsRoutes(dataRights, registryAnomalies, clock)],
  pages: ({ registries, dossiers, dataRights, registryAnomalies, clock }) => [
    registriesPages({ registries, onceOnly: makeOnceOnly({ registries, dossiers }), now: () => clock.now() }),
    rightsPortalPages({ rights: dataRights, now: () => clock.now() }),
    rightsOfficePages({ rights: dataRights, anomalies: registryAnomalies, now: () => clock.now() }),
  ],
  nav: [
    { area: "portal", href: "/ai-da-xem-du-lieu-cua-toi", label: { vi: "Ai đã xem dữ liệu của tôi", en: "Who has seen my data" }, roles: ["citizen", "business"], order: 26 },
    { area: "portal", href: RIGHTS_PATH, label: { vi: "Quyền dữ liệu", en: "Data rights" }, roles: ["citizen", "business"], order: 60 },
    { area: "office", href: PROTECTION_PATH, label: { vi: "Bảo vệ dữ liệu", en: "Data protection" }, roles: REVIEWER_ROLES, order: 60 },
    { area: "office", href: ANOMALIES_PATH, label: { vi: "Tra cứu bất thường", en: "Unusual look-ups" }, roles: REVIEWER_ROLES, order: 61 },
  ],
  offlineCommands: [registrySimCommand],
});

export type { RegistriesService } from "./service.ts";
export { makeOnceOnly, type OnceOnly } from "./once-only.ts";
export type { BusinessDto, CitizenDto, CivilEventsDto, LookupPurpose } from "./schema.ts";
export { RegistryRateLimited, RegistryRecordNotFound, RegistryUnavailable } from "./errors.ts";
export { DEMO_CLIENT, LISTENING_PREFIX } from "./sim/command.ts";
export { startDemoRegistries } from "./sim/child.ts";
