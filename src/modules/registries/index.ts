// Registries: the gateway to the national databases (population, business, civil status) with its
// connectors, the record of every look-up, and `motcua registry-sim`, simulated registries to run against.
import { defineModule } from "../../platform/module.ts";
import { type AnomalyService, makeAnomalyService } from "./anomalies.ts";
import { withLookupLimits } from "./limits.ts";
import { makeExporter } from "./rights/export.ts";
import { dataRightsRoutes } from "./rights/routes.ts";
import { type DataRightsService, makeDataRightsService } from "./rights/service.ts";
import { DEFAULT_RIGHTS } from "./rights/settings.ts";
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
    const gateway = makeRegistriesService({ database, clock, audit, connectors: makeConnectors(config.registries, clock) });
    return {
      registries: withLookupLimits(gateway, rights, clock),
      dataRights: makeDataRightsService({ database, clock, audit, settings: rights, exportOf: makeExporter({ database, dossiers, now: () => clock.now() }) }),
      registryAnomalies: makeAnomalyService({ database, calendar, dossiers, threshold: rights.anomalyDistinct }),
    };
  },
  routes: ({ registries, dataRights, registryAnomalies, clock }) => [registriesRoutes(registries), dataRightsRoutes(dataRights, registryAnomalies, clock)],
  offlineCommands: [registrySimCommand],
});

export type { RegistriesService } from "./service.ts";
export type { BusinessDto, CitizenDto, CivilEventsDto, LookupPurpose } from "./schema.ts";
export { RegistryRateLimited, RegistryRecordNotFound, RegistryUnavailable } from "./errors.ts";
export { DEMO_CLIENT, LISTENING_PREFIX } from "./sim/command.ts";
export { startDemoRegistries } from "./sim/child.ts";
