import { defineJob } from "../../../platform/jobs/index.ts";
import type { Oidc } from "./provider.ts";

/** Daily: expired provider records removed, signing keys superseded long enough ago retired. */
export function oidcHousekeepingJob(oidc: Oidc) {
  return defineJob<Record<string, never>>({
    name: "oidc.housekeeping",
    maxAttempts: 3,
    handler: async (_payload, job) => {
      const done = await oidc.housekeeping();
      if (done.expired || done.retired) job.logger.info(done, "OIDC housekeeping");
    },
  });
}
