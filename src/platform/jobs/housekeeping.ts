import { defineJob } from "./define.ts";
import { pruneDoneJobs } from "./repo.ts";

/** How long finished jobs stay visible (`motcua jobs list`) and keep their idempotency keys. */
export const DONE_RETENTION_DAYS = 30;

/** Daily: removes jobs finished more than DONE_RETENTION_DAYS ago, in batches, so the queue stays small. */
export const pruneJobsJob = defineJob<{ days?: number }>({
  name: "jobs.prune",
  maxAttempts: 3,
  handler: async (payload, job) => {
    const days = payload.days ?? DONE_RETENTION_DAYS;
    let total = 0;
    for (;;) {
      if (job.signal.aborted) break;
      const n = await pruneDoneJobs(job.database.db, days, 5000);
      total += n;
      if (n < 5000) break;
    }
    if (total) job.logger.info({ pruned: total }, "finished jobs pruned");
  },
});
