// Registries: the gateway to the national databases (population, business, civil status) with its
// connectors, the record of every look-up, and `motcua registry-sim`, simulated registries to run against.
import { defineModule } from "../../platform/module.ts";
import { makeOnceOnly } from "./once-only.ts";
import { registriesPages } from "./pages.tsx";
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
  needs: ["dossiers"],
  provides: ["registries"],
  build: ({ database, clock, audit, config }) => ({
    registries: makeRegistriesService({
      database,
      clock,
      audit,
      connectors: makeConnectors(config.registries, clock),
      ...(config.registries.covertPurposes ? { covertPurposes: config.registries.covertPurposes } : {}),
    }),
  }),
  routes: ({ registries }) => [registriesRoutes(registries)],
  pages: ({ registries, dossiers, clock }) => [registriesPages({ registries, onceOnly: makeOnceOnly({ registries, dossiers }), now: () => clock.now() })],
  nav: [{ area: "portal", href: "/ai-da-xem-du-lieu-cua-toi", label: { vi: "Ai đã xem dữ liệu của tôi", en: "Who has seen my data" }, roles: ["citizen", "business"], order: 26 }],
  offlineCommands: [registrySimCommand],
});

export type { RegistriesService } from "./service.ts";
export { makeOnceOnly, type OnceOnly } from "./once-only.ts";
export type { BusinessDto, CitizenDto, CivilEventsDto, LookupPurpose } from "./schema.ts";
export { RegistryRateLimited, RegistryRecordNotFound, RegistryUnavailable } from "./errors.ts";
export { DEMO_CLIENT, LISTENING_PREFIX } from "./sim/command.ts";
export { startDemoRegistries } from "./sim/child.ts";
