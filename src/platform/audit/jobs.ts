import { defineJob } from "../jobs/define.ts";
import type { AuditLog } from "./service.ts";

/** Seals the entries written since the last run; scheduled every minute (and run by `audit verify`). */
export function auditSealJob(audit: AuditLog) {
  return defineJob<Record<string, never>>({
    name: "audit.seal",
    maxAttempts: 3,
    handler: async (_payload, job) => {
      const n = await audit.seal();
      if (n) job.logger.debug({ sealed: n }, "audit entries sealed");
    },
  });
}
