// Registries: the gateway to the national databases (population, business, civil status) with its
// connectors, the record of every look-up, and `motcua registry-sim`, simulated registries to run against.
import { defineModule } from "../../platform/module.ts";
import { registrySimCommand } from "./sim/command.ts";

export const registriesModule = defineModule({
  name: "registries",
  needs: [],
  provides: [],
  build: () => ({}),
  offlineCommands: [registrySimCommand],
});
