// Registries: the gateway to the national databases (population, business, civil status) with its
// connectors, the record of every look-up, and `motcua registry-sim`, simulated registries to run against.
import { defineModule } from "../../platform/module.ts";
import { registriesRoutes } from "./routes.ts";
import { makeConnectors, makeRegistriesService, type RegistriesService } from "./service.ts";
import { registrySimCommand } from "./sim/command.ts";

declare module "../../platform/module.ts" {
  interface Services {
    /** Look-ups in the national registries, each recorded with its purpose. */
    registries: RegistriesService;
  }
}

export const registriesModule = defineModule({
  name: "registries",
  needs: [],
  provides: ["registries"],
  build: ({ database, clock, audit, config }) => ({
    registries: makeRegistriesService({ database, clock, audit, connectors: makeConnectors(config.registries, clock) }),
  }),
  routes: ({ registries }) => [registriesRoutes(registries)],
  offlineCommands: [registrySimCommand],
});

export type { RegistriesService } from "./service.ts";
export type { BusinessDto, CitizenDto, CivilEventsDto, LookupPurpose } from "./schema.ts";
export { RegistryRateLimited, RegistryRecordNotFound, RegistryUnavailable } from "./errors.ts";
export { DEMO_CLIENT, LISTENING_PREFIX } from "./sim/command.ts";
export { startDemoRegistries } from "./sim/child.ts";
