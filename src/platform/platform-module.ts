// The platform's own jobs and commands, in the shape of a module so that the worker and the CLI are built
// from one list (src/modules.ts, where it comes first). It provides no service: the platform's mechanisms
// reach every module as `Platform`.
import { auditCommands } from "./audit/commands.ts";
import { backupCommand } from "./backup/commands.ts";
import { auditSealJob } from "./audit/jobs.ts";
import { jobCommands } from "./jobs/commands.ts";
import { pruneJobsJob } from "./jobs/housekeeping.ts";
import { defineModule } from "./module.ts";
import { forgetEndedWindowsJob } from "./throttle/index.ts";

export const platformModule = defineModule({
  name: "platform",
  needs: [],
  provides: [],
  build: () => ({}),
  jobs: ({ audit, mail, database, clock }) => [pruneJobsJob, auditSealJob(audit), mail.job, forgetEndedWindowsJob({ database, clock })],
  schedules: { "jobs.prune": "0 3 * * *", "audit.seal": "* * * * *", "throttle.forget_ended": "7 * * * *" },
  commands: [...jobCommands, ...auditCommands, backupCommand],
});
