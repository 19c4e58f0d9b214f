// The benchmark harness: starts a server as a child process (the real app on PGlite or PostgreSQL,
// or a bare node:http baseline), drives it with autocannon on 127.0.0.1 and prints requests/s,
// p50 and p99, and the ratio to a baseline measured in the same run.
import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";

export type DbKind = "pglite" | "postgres";

export interface Options {
  db: DbKind;
  /** Seconds of measured load per figure. */
  duration: number;
  connections: number;
  /** PostgreSQL server to create the benchmark database on. */
  pgUrl: string;
}

/** `--db=pglite|postgres|both --duration=10 --connections=50`. */
export function parseArgs(argv: string[]): { dbs: DbKind[]; duration: number; connections: number; pgUrl: string } {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=").slice(1).join("=");
  const db = get("db") ?? "both";
  const dbs: DbKind[] = db === "both" ? ["postgres", "pglite"] : [db as DbKind];
  if (!dbs.every((d) => d === "pglite" || d === "postgres")) throw new Error("--db must be pglite, postgres or both");
  return {
    dbs,
    duration: Number(get("duration") ?? 10),
    connections: Number(get("connections") ?? 50),
    pgUrl: get("pg") ?? "postgres://postgres@127.0.0.1:5432/postgres",
  };
}

export interface Server {
  url: string;
  /** The benchmark database's URL on PostgreSQL, for loading datasets or running pgbench. */
  databaseUrl: string | null;
  /** An access token of the demo citizen (MOTCUA_BENCH_IDENTITY=1). */
  token: string | null;
  stop(): Promise<void>;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "server-child.ts");

/** Starts the app (mode `motcua`) or the bare baseline (mode `bare`) in a child process. */
export async function startServer(mode: "motcua" | "bare", db: DbKind, pgUrl: string, env: Record<string, string> = {}): Promise<Server> {
  let databaseUrl: string | null = null;
  let dbName: string | null = null;
  if (mode === "motcua" && db === "postgres") {
    dbName = `motcua_bench_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    const u = new URL(pgUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), ...env };
  delete childEnv.DATABASE_URL;
  if (databaseUrl) childEnv.DATABASE_URL = databaseUrl;
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (for finding where time goes).
  const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : [];
  const child: ChildProcess = fork(CHILD, [mode], { execArgv: ["--import", "tsx", ...prof], env: childEnv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const { port, token } = await new Promise<{ port: number; token?: string }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { port: number; token?: string }));
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    databaseUrl,
    token: token ?? null,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      if (dbName) {
        const admin = new pg.Client({ connectionString: pgUrl });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        await admin.end();
      }
    },
  };
}

export interface Figure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  /** Responses by HTTP status, to check a write answered what it should (201, not 200 or 4xx). */
  statusCodes: Record<string, number>;
}

/** Runs autocannon against one URL: a short warm-up, then the measured run. */
export async function measure(opts: autocannon.Options & { warmup?: number }): Promise<Figure> {
  const { warmup = 2, ...rest } = opts;
  if (warmup > 0) await autocannon({ ...rest, duration: warmup });
  const r = await autocannon(rest);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    requests: r.requests.total,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [code, (v as { count: number }).count])),
  };
}

/** Prints one figure with its ratio to the baseline measured in the same run. */
export function report(name: string, fig: Figure, baseline?: { name: string; fig: Figure }): void {
  const ratio = baseline ? ` ratio=${(fig.rps / baseline.fig.rps).toFixed(3)} (vs ${baseline.name})` : "";
  const bad = fig.errors + fig.non2xx > 0 ? ` errors=${fig.errors} non2xx=${fig.non2xx}` : "";
  console.log(
    `${name.padEnd(44)} ${fig.rps.toFixed(0).padStart(7)} req/s  p50=${fig.p50.toFixed(1)}ms  p99=${fig.p99.toFixed(1)}ms${ratio}${bad}`,
  );
}

/** The figure of median throughput among several runs (machine noise: compare medians, not single runs). */
export function medianFigure(figs: Figure[]): Figure {
  const sorted = [...figs].sort((a, b) => a.rps - b.rps);
  const mid = sorted[Math.floor(sorted.length / 2)];
  if (!mid) throw new Error("no figures");
  return mid;
}
