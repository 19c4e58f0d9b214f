// Một cửa liên thông across nodes (issue 16, item 6): a dossier's step at an agency on another node leaves as a
// package through the exchange, is worked there as a dossier of that agency's queue, and its result comes back to
// close the step (docs/ARCHITECTURE.md, "Inter-agency dossiers across nodes").
import { defineJob } from "../../platform/jobs/index.ts";
import { defineModule } from "../../platform/module.ts";
import { type Elsewhere, makeInterAgency, REFUSED_JOB, REPORT_JOB, TAKE_IN_JOB, TAKE_RESULT_JOB } from "./service.ts";

declare module "../../platform/module.ts" {
  interface ModuleOptions {
    /** Which agencies' steps are performed on another node: by default those the exchange delivers to remotely (a peer's, or the hub's). */
    interagency: { elsewhere?: Elsewhere };
  }
}

type CopyJob = { copyId: string };

export const interagencyModule = defineModule({
  name: "interagency",
  needs: ["directory", "catalog", "dossiers", "exchange"],
  provides: [],
  build: () => ({}),
  parts: ({ database, clock, jobs, catalog, directory, dossiers, exchange, options }) => ({
    interAgency: makeInterAgency({ database, clock, jobs, catalog, directory, dossiers, exchange, ...(options.interagency?.elsewhere ? { elsewhere: options.interagency.elsewhere } : {}) }),
  }),
  listens: {
    "dossiers.transition": ({ interAgency }) => (tx, event) => interAgency.onTransition(tx, event),
    "exchange.received": ({ interAgency }) => (tx, doc) => interAgency.onReceived(tx, doc),
    "exchange.status_received": ({ interAgency }) => (tx, status) => interAgency.onStatus(tx, status),
  },
  jobs: ({ interAgency }) => [
    defineJob<CopyJob>({ name: TAKE_IN_JOB, maxAttempts: 12, handler: ({ copyId }) => interAgency.takeIn(copyId) }),
    defineJob<CopyJob & { answers?: string[] }>({ name: TAKE_RESULT_JOB, maxAttempts: 12, handler: ({ copyId, answers }) => interAgency.takeResult(copyId, answers) }),
    defineJob<CopyJob>({ name: REPORT_JOB, maxAttempts: 12, handler: ({ copyId }) => interAgency.report(copyId) }),
    defineJob<CopyJob & { reason: string | null; at: string }>({ name: REFUSED_JOB, maxAttempts: 12, handler: ({ copyId, reason, at }) => interAgency.requestRefused(copyId, reason, new Date(at)) }),
  ],
});

export { FORMAT, REQUEST_TYPE, RESULT_TYPE } from "./package.ts";
