import { defineJob } from "../../platform/jobs/index.ts";
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
