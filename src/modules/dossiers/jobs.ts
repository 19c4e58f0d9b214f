import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import { defineJob } from "../../platform/jobs/index.ts";
import { LOOKUP_WINDOW_MS } from "./lookup-throttle.ts";
import { forgetLookupCounts } from "./repo.throttle.ts";
import type { DossierService } from "./service.ts";

/** Flags dossiers due soon and overdue for the officers' queues (issue 5, item 5); every 15 minutes. */
export function latenessJob(dossiers: DossierService) {
  return defineJob<Record<string, never>>({
    name: "dossiers.flag_lateness",
    maxAttempts: 3,
    handler: async (_payload, ctx) => {
      const flagged = await dossiers.flagLateness();
      if (flagged.dueSoon || flagged.overdue) ctx.logger.info(flagged, "dossiers flagged due soon / overdue");
    },
  });
}

/** Removes the lookup throttle's windows that have ended (an address's next lookup starts a new one anyway); hourly. */
export function forgetLookupCountsJob({ database, clock }: { database: Database; clock: Clock }) {
  return defineJob<Record<string, never>>({
    name: "dossiers.forget_lookup_counts",
    maxAttempts: 3,
    handler: async () => {
      await forgetLookupCounts(database.db, new Date(clock.now().getTime() - LOOKUP_WINDOW_MS));
    },
  });
}
