import { type Command, UsageError } from "../cli.ts";
import type { Database } from "../db/index.ts";
import { type JobStatus, listJobs, retryDeadJob } from "./repo.ts";

const STATUSES: readonly JobStatus[] = ["queued", "running", "done", "dead"];

function parseList(args: string[]): { status?: JobStatus; limit: number } {
  const out: { status?: JobStatus; limit: number } = { limit: 50 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--status") {
      const v = value();
      if (!(STATUSES as readonly string[]).includes(v)) throw new UsageError(`--status must be one of ${STATUSES.join(", ")}`);
      out.status = v as JobStatus;
    } else if (flag === "--limit") {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 10000) throw new UsageError("--limit must be 1 to 10000");
      out.limit = Number(v);
    } else {
      throw new UsageError(`unknown argument ${arg}`);
    }
  }
  return out;
}

function oneLine(text: string | null, max: number): string {
  if (!text) return "";
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `motcua jobs …`: they need only the database. */
export const jobCommands: Array<Command<{ database: Database }>> = [
  {
    words: ["jobs", "list"],
    usage: "motcua jobs list [--status queued|running|done|dead] [--limit N]",
    summary: "show the latest jobs (newest first), e.g. the dead letters",
    async run({ database }, args, out) {
      const opts = parseList(args);
      const rows = await listJobs(database.db, opts);
      if (rows.length === 0) {
        out.write(opts.status ? `no ${opts.status} jobs\n` : "no jobs\n");
        return 0;
      }
      const header = ["id", "name", "status", "attempts", "run at", "last error"];
      const lines = rows.map((r) => [
        String(r.id),
        r.name,
        r.status,
        `${r.attempts}/${r.maxAttempts}`,
        new Date(r.runAt).toISOString(),
        oneLine(r.lastError, 80),
      ]);
      const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
      for (const l of [header, ...lines]) out.write(`${l.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()}\n`);
      return 0;
    },
  },
  {
    words: ["jobs", "retry"],
    usage: "motcua jobs retry <id>",
    summary: "put a dead job back in the queue with fresh attempts",
    async run({ database }, args, out) {
      const [raw, ...rest] = args;
      if (raw === undefined || rest.length > 0 || !/^\d+$/.test(raw)) throw new UsageError("give one job id");
      const id = Number(raw);
      if (!(await retryDeadJob(database.db, id))) {
        out.write(`job ${id}: no dead job has this id\n`);
        return 1;
      }
      out.write(`job ${id} queued again\n`);
      return 0;
    },
  },
];

