// The benchmark harness: starts a server as a child process (the real app on PGlite or PostgreSQL,
// or a bare node:http baseline), drives it with autocannon on 127.0.0.1 and prints requests/s,
// p50 and p99, and the ratio to a baseline measured in the same run.
import { type ChildProcess, execFile, fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
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

/**
 * Starts the app (mode `motcua`) or the bare baseline (mode `bare`) in a child process. On PostgreSQL it gets a
 * database of its own, dropped when it stops; `keepDb` names one to use instead, created when missing and kept
 * (a loaded dataset then serves the next run too).
 */
export async function startServer(mode: "motcua" | "bare", db: DbKind, pgUrl: string, env: Record<string, string> = {}, keepDb?: string): Promise<Server> {
  let databaseUrl: string | null = null;
  let dbName: string | null = null;
  if (mode === "motcua" && db === "postgres") {
    if (keepDb !== undefined) {
      const reserved = ["postgres", "template0", "template1", new URL(pgUrl).pathname.slice(1)];
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(keepDb) || reserved.includes(keepDb)) throw new Error(`--keep-db: ${keepDb} is not a plain database name of its own`);
    }
    const name = keepDb ?? `motcua_bench_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    const exists = keepDb !== undefined && (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1;
    if (!exists) await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    dbName = keepDb === undefined ? name : null;
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
  }
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), ...env };
  delete childEnv.DATABASE_URL;
  if (databaseUrl) childEnv.DATABASE_URL = databaseUrl;
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (for finding where time goes).
  const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : [];
  // BENCH_NODE_ARGS="--trace-gc …": more Node or V8 flags for the server (for finding its pauses).
  const extra = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child: ChildProcess = fork(CHILD, [mode], { execArgv: ["--import", "tsx", ...prof, ...extra], env: childEnv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  // The benchmark's own database goes with the server, also when the server fails to start.
  const dropDatabase = async () => {
    if (!dbName) return;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  };
  let started: { port: number; token?: string };
  try {
    started = await new Promise<{ port: number; token?: string }>((resolve, reject) => {
      child.once("message", (m) => resolve(m as { port: number; token?: string }));
      child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    });
  } catch (err) {
    await dropDatabase();
    throw err;
  }
  return {
    url: `http://127.0.0.1:${started.port}`,
    databaseUrl,
    token: started.token ?? null,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      await dropDatabase();
    },
  };
}

export interface Figure {
  rps: number;
  p50: number;
  /** wrk's 95th percentile (autocannon gives none: undefined). */
  p95?: number;
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

/** A program's path on PATH, or null. */
export function onPath(program: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, program))) return path.join(dir, program);
  }
  return null;
}

/** The wrk binary (Debian's package `wrk`), or null when it is not installed. */
export const wrkBinary = (): string | null => onPath("wrk");

/**
 * Drives `url` with wrk (C, two threads): a load generator that costs the 2-core machine a fraction of what
 * autocannon (JavaScript) does, as pgbench costs the database's baseline. `body` may hold `__UUID__`, replaced
 * by a new UUID in every request (a request id that is never retried), and `__PICK__`, replaced by the values of
 * `picks` in turn (the receiving agency of a filing). The figure's status codes hold the
 * non-2xx count only (wrk does not count statuses); the caller checks what was written where it matters.
 */
export async function measureWrk(opts: {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Paths to request in turn (each thread through its own share of the list); else the URL's own path. */
  paths?: string[];
  /** What `__PICK__` in the body becomes, in turn. */
  picks?: readonly string[];
  warmup?: number;
  /**
   * Requests per second offered in all (paced): each thread sends its share on a fixed schedule rather than
   * as fast as answers come back, so the latencies are those of a server at that load, not of a queue of
   * `connections` requests always waiting. Unset: as fast as possible.
   */
  rate?: number;
}): Promise<Figure & { sent: number }> {
  const wrk = wrkBinary();
  if (!wrk) throw new Error("wrk not found: apt-get install -y wrk");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-wrk-"));
  const script = path.join(dir, "script.lua");
  const lua = (v: string) => JSON.stringify(v); // a JSON string is a valid Lua string literal for this text
  const threads = 2;
  fs.writeFileSync(
    script,
    `local threads = 0
local threads_total = ${threads}
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local n = 0
local headers = {}
${Object.entries(opts.headers ?? {})
  .map(([k, v]) => `headers[${lua(k)}] = ${lua(v)}`)
  .join("\n")}
local body = ${lua(opts.body ?? "")}
local paths = {${(opts.paths ?? []).map(lua).join(",")}}
local picks = {${(opts.picks ?? []).map(lua).join(",")}}
local salt = 0
local rate = 0
function init(args) salt = tonumber(args[1]); rate = tonumber(args[2]) end
-- Pacing (opts.rate): this thread's next send slot on a wall clock; each request takes the next one.
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } motcua_timespec; int clock_gettime(int, motcua_timespec *); ]]
local ts = ffi.new("motcua_timespec")
local function now_ms() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6 end
local next_slot = nil
if ${opts.rate ? "true" : "false"} then
  delay = function()
    local t = now_ms()
    if next_slot == nil or next_slot < t then next_slot = t end
    local wait = next_slot - t
    next_slot = next_slot + 1000 / (rate / threads_total)
    return math.floor(wait)
  end
end
request = function()
  n = n + 1
  local b = body
  if b:find("__UUID__", 1, true) then
    local uuid = string.format("%08x-%04x-4%03x-8%03x-%012x", salt, tid, math.floor(n / 4096) % 4096, n % 4096, n)
    b = b:gsub("__UUID__", uuid)
  end
  if #picks > 0 and b:find("__PICK__", 1, true) then
    -- A function as the replacement: the value is taken as it is, with no pattern characters to escape.
    local pick = picks[((n - 1 + tid) % #picks) + 1]
    b = b:gsub("__PICK__", function() return pick end)
  end
  local p = nil
  -- Each thread walks its own share of the list, so a list of distinct paths is never sent twice in one run.
  if #paths > 0 then p = paths[((n - 1 + (tid - 1) * math.floor(#paths / threads_total)) % #paths) + 1] end
  return wrk.format(${lua(opts.method ?? "GET")}, p, headers, #b > 0 and b or nil)
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout, latency:percentile(95)))
end
`,
  );
  const run = async (seconds: number) => {
    const { stdout } = await promisify(execFile)(wrk, ["-t", String(threads), "-c", String(opts.connections), "-d", `${seconds}s`, "--timeout", "10s", "-s", script, opts.url, "--", String(Math.floor(Math.random() * 0xffffffff)), String(opts.rate ?? 0)], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const m = /WRK (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(stdout);
    if (!m) throw new Error(`wrk: no figures in its output:\n${stdout}`);
    const [requests, durationUs, p50us, p99us, non2xx, socketErrors, timeouts, p95us] = m.slice(1).map(Number) as [number, number, number, number, number, number, number, number];
    return { requests, durationUs, p50us, p95us, p99us, non2xx, errors: socketErrors + timeouts };
  };
  try {
    const warm = (opts.warmup ?? 2) > 0 ? await run(opts.warmup ?? 2) : null;
    const r = await run(opts.duration);
    return {
      sent: r.requests + (warm?.requests ?? 0),
      rps: r.requests / (r.durationUs / 1e6),
      p50: r.p50us / 1000,
      p95: r.p95us / 1000,
      p99: r.p99us / 1000,
      errors: r.errors,
      non2xx: r.non2xx,
      requests: r.requests,
      statusCodes: r.non2xx ? { non2xx: r.non2xx } : {},
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
