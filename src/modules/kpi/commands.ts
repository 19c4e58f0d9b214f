import fs from "node:fs";
import path from "node:path";
import { attempt, cliActor, type Command, UsageError } from "../../platform/cli.ts";
import type { KpiService } from "./service.ts";

export interface KpiCommandDeps {
  kpi: KpiService;
}

export const kpiCommands: Array<Command<KpiCommandDeps>> = [
  {
    words: ["kpi", "rebuild"],
    usage: "motcua kpi rebuild",
    summary: "recompute the statistics' rollups from the log of dossier events (dossier changes wait meanwhile)",
    async run(ctx, args, out) {
      if (args.length) throw new UsageError("takes no argument");
      const r = await ctx.kpi.rebuild(cliActor());
      out.write(`rebuilt: ${r.dossiers} dossiers, ${r.events} events, ${r.rows} rollup rows\n`);
      return 0;
    },
  },
  {
    words: ["kpi", "fold"],
    usage: "motcua kpi fold",
    summary: "fold the statistics' pending changes into the rollups now (the worker does it every 5 minutes)",
    async run(ctx, args, out) {
      if (args.length) throw new UsageError("takes no argument");
      out.write(`folded into ${await ctx.kpi.fold()} rollup rows\n`);
      return 0;
    },
  },
  {
    words: ["kpi", "formulas"],
    usage: "motcua kpi formulas [add <file.json>]",
    summary: "list the Decision 766 formula versions, or add one from a JSON file",
    async run(ctx, args, out) {
      if (args.length === 0) {
        for (const v of await ctx.kpi.formulaVersions()) out.write(`${v.validFrom}  ${v.version}  ${v.source.legal.slice(0, 80)}\n`);
        return 0;
      }
      if (args[0] !== "add" || args.length !== 2) throw new UsageError("give: add <file.json>");
      const file = path.resolve(out.cwd ?? process.cwd(), args[1]!);
      let candidate: unknown;
      try {
        candidate = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch (err) {
        throw new UsageError(`${file}: ${(err as Error).message}`);
      }
      return attempt(out, async () => {
        const v = await ctx.kpi.addFormulaVersion(cliActor(), candidate);
        out.write(`added ${v.version}, in force from ${v.validFrom}\n`);
        return 0;
      });
    },
  },
];
