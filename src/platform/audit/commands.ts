import { type Command, UsageError } from "../cli.ts";
import type { AuditLog } from "./service.ts";

/** `motcua audit …`: they need only the audit log. */
export const auditCommands: Array<Command<{ audit: AuditLog }>> = [
  {
    words: ["audit", "verify"],
    usage: "motcua audit verify",
    summary: "seal pending audit entries, then check the whole chain; exit 1 at the first entry altered or removed",
    async run({ audit }, args, out) {
      if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
      await audit.seal();
      const report = await audit.verify();
      if (report.ok) {
        out.write(`audit log intact: ${report.sealed} entries in the chain, ${report.seals} seals, ${report.unsealed} pending\n`);
        return 0;
      }
      out.write(`AUDIT LOG DAMAGED (${report.problem}) at entry #${report.seq}: ${report.message}\n`);
      return 1;
    },
  },
  {
    words: ["audit", "seal"],
    usage: "motcua audit seal",
    summary: "give pending audit entries their place in the hash chain now",
    async run({ audit }, args, out) {
      if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
      const n = await audit.seal();
      out.write(`sealed ${n} entries\n`);
      return 0;
    },
  },
];

