// The dashboards' data: rollups kept from the dossiers' events, the summary of a scope and period, the Decision 766
// index by versioned formulas, and the dossiers behind a count (docs/kpi.md).
import type { Db } from "../../platform/db/index.ts";
import { defineJob } from "../../platform/jobs/index.ts";
import { defineModule } from "../../platform/module.ts";
import type { DossierRated, DossierTransition } from "../dossiers/index.ts";
import { kpiCommands } from "./commands.ts";
import { makeKpiListeners } from "./listener.ts";
import { kpiPages } from "./pages.tsx";
import { FIGURE_ROLES } from "./policy.ts";
import { kpiRoutes } from "./routes.ts";
import { formulasSeed, monthlyRollupsSeed } from "./seeds.ts";
import { type KpiService, makeKpiService } from "./service.ts";
import { makeSubscriptions, REPORT_JOB, reportJob } from "./subscriptions.ts";
import { readTargets } from "./targets.ts";

declare module "../../platform/module.ts" {
  interface Services {
    /** The statistics: summary, Decision 766 index, breakdowns, the dossiers behind a count. */
    kpi: KpiService;
  }
}

export const kpiModule = defineModule({
  name: "kpi",
  needs: ["directory", "identity", "catalog", "dossiers"],
  provides: ["kpi"],
  build: ({ database, clock, directory, catalog }) => ({ kpi: makeKpiService({ database, clock, directory, catalog, targets: readTargets() }) }),
  parts: ({ dossiers, catalog, database, clock, mail, logger, kpi, directory, identity }) => ({
    listeners: makeKpiListeners({ dossiers, catalog }),
    subscriptions: makeSubscriptions({ database, clock, mail, logger, kpi, directory, identity }),
  }),
  listens: {
    "dossiers.transition": ({ listeners }) => (tx: Db, e: DossierTransition) => listeners.transition(tx, e),
    "dossiers.rated": ({ listeners }) => (tx: Db, e: DossierRated) => listeners.rated(tx, e),
  },
  routes: ({ kpi }) => [kpiRoutes(kpi)],
  pages: ({ kpi, directory, clock, subscriptions }) => [kpiPages({ kpi, directory, clock, subscriptions })],
  nav: [{ area: "office", href: "/office/chi-so", label: { vi: "Chỉ số", en: "Indicators" }, roles: FIGURE_ROLES, order: 60 }],
  jobs: ({ kpi, subscriptions }) => [
    reportJob(subscriptions),
    defineJob<Record<string, never>>({
      name: "kpi.fold",
      maxAttempts: 3,
      handler: async () => {
        await kpi.fold();
      },
    }),
  ],
  // The monthly report on the first of each month, once the last month's figures are in (07:00).
  schedules: { "kpi.fold": "*/5 * * * *", [REPORT_JOB]: "0 7 1 * *" },
  seeds: () => [formulasSeed(), monthlyRollupsSeed()],
  commands: kpiCommands,
});

export type { KpiService } from "./service.ts";
/** The Decision 766 formulas shipped with motcua: reference data every deployment gets (and the tests' template). */
export { formulasSeed, monthlyRollupsSeed } from "./seeds.ts";
