// The identity module's housekeeping jobs.
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import { defineJob } from "../../platform/jobs/index.ts";
import { forgetSignInFailures } from "./repo.ts";
import { THROTTLE } from "./service.sign-in.ts";

/** The longest window any sign-in count is read over. */
const LONGEST_WINDOW_MS = Math.max(...Object.values(THROTTLE).map((t) => t.windowSeconds)) * 1000;

/** Removes the sign-in throttle's counts whose window has ended and that lock nothing; hourly. */
export function forgetSignInFailuresJob({ database, clock }: { database: Database; clock: Clock }) {
  return defineJob<Record<string, never>>({
    name: "identity.forget_sign_in_failures",
    maxAttempts: 3,
    handler: async (_payload, job) => {
      const now = clock.now();
      const forgotten = await forgetSignInFailures(database.db, new Date(now.getTime() - LONGEST_WINDOW_MS), now);
      if (forgotten) job.logger.debug({ forgotten }, "sign-in failures forgotten");
    },
  });
}
