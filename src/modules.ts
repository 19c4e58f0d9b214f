// Every module of motcua, in dependency order: a module may need the services of those above it. The web
// app, the worker, the CLI, the seeds and the authorization matrix are built from this list; adding a
// module is its folder and one line here (docs/ARCHITECTURE.md, "Adding a module").
import { calendarModule } from "./modules/calendar/index.ts";
import { catalogModule } from "./modules/catalog/index.ts";
import { directoryModule } from "./modules/directory/index.ts";
import { dossiersModule } from "./modules/dossiers/index.ts";
import { exchangeModule } from "./modules/exchange/index.ts";
import { identityModule } from "./modules/identity/index.ts";
import { interagencyModule } from "./modules/interagency/index.ts";
import { kpiModule } from "./modules/kpi/index.ts";
import { registriesModule } from "./modules/registries/index.ts";
import { workflowModule } from "./modules/workflow/index.ts";
import type { ModuleDefinition } from "./platform/module.ts";
import { platformModule } from "./platform/platform-module.ts";

export const MODULES: readonly ModuleDefinition[] = [
  platformModule,
  directoryModule,
  calendarModule,
  identityModule,
  catalogModule,
  workflowModule,
  dossiersModule,
  exchangeModule,
  registriesModule,
  interagencyModule,
  kpiModule,
];
