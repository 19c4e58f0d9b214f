// Database fault drills (issue 13, item 1): a PostgreSQL server of the drill's own, a TCP proxy in front of it, the
// real `motcua start` process on it, and citizens filing dossiers (each with a request id, retried until
// acknowledged, as a client that may retry must) while a fault is made. After each fault, every acknowledged
// dossier is looked for in the database. Used by the fault test (test/faults/) and the fault benchmark
// (bench/faults/run.ts, which prints the figures).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openContext } from "../../src/boot.ts";
import { systemActor } from "../../src/platform/auth/actor.ts";
import { loadConfig } from "../../src/platform/config/index.ts";
import { buildProvincialProcedure, DEMO_PLACE } from "../../src/modules/dossiers/testing.ts";
import { freePort } from "./net.ts";
import { type PostgresInstance, startPostgres } from "./postgres-instance.ts";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/motcua.js");
/** A procedure with no required paper: `submit: true` files it without uploads. */
const PROCEDURE = "1.800098";
const CITIZEN = "001199000001";
/** The drill runs on the demo (MOTCUA_DEMO): its service centre receives, its citizen files. */
const CENTRE = DEMO_PLACE.centre;
const DATABASE = "motcua";

/** The server process under test: it must never exit during a drill. */
export interface ServerProcess {
  url: string;
  /** Why it exited (code or signal), or null while it runs. */
  exited(): string | null;
  /** What it printed (JSON log lines). */
  output(): string;
  stop(): Promise<void>;
}

export interface Stack {
  pg: PostgresInstance;
  proxy: TcpProxy;
  server: ServerProcess;
  /** A citizen's access token on the server. */
  token: string;
  stop(): Promise<void>;
}

async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs: number, exited?: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ok().catch(() => false)) return;
    const gone = exited?.();
    if (gone) throw new Error(`${what}: the server exited (${gone})`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts the drill's stack. `tmpfsMb` puts the server's data directory on a tmpfs of that size (root only), for the
 * full-disk fault. `env` adds settings of the motcua process.
 */
export async function startStack(opts: { tmpfsMb?: number; env?: Record<string, string> } = {}): Promise<Stack> {
  const pg = await startPostgres(opts.tmpfsMb ? { tmpfsMb: opts.tmpfsMb } : {});
  const cleanups: Array<() => Promise<void>> = [() => pg.destroy()];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    await pg.sql(`CREATE DATABASE ${DATABASE}`);
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: pg.port });
    cleanups.push(() => proxy.close());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-drill-"));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const env: Record<string, string> = {
      // The tokens minted here name the server as their issuer.
      MOTCUA_PUBLIC_URL: `http://127.0.0.1:${port}`,
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_SECRET: randomBytes(24).toString("hex"),
      MOTCUA_AUDIT_KEY: randomBytes(24).toString("hex"),
      MOTCUA_DEMO: "true",
      LOG_LEVEL: "warn",
      ...opts.env,
    };
    // Migrated, seeded and given the drill's procedure and token here, on the server directly.
    const setup = await openContext(loadConfig({ ...env, DATABASE_URL: pg.url(DATABASE) }));
    let token: string;
    try {
      const { ctx } = setup;
      const procedure = buildProvincialProcedure(DEMO_PLACE, { code: PROCEDURE, name: "Cấp phiếu thử nghiệm sự cố cơ sở dữ liệu" });
      await ctx.catalog.create(systemActor("drill"), { ...procedure, components: procedure.components.map((c) => ({ ...c, required: false })) });
      await ctx.catalog.publish(systemActor("drill"), PROCEDURE);
      token = await ctx.oidc.mintToken({ type: "cli", name: "drill" }, CITIZEN, 4 * 3600);
    } finally {
      await setup.close();
    }
    const server = await startServer(port, { ...env, DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/${DATABASE}` });
    cleanups.push(() => server.stop());
    return { pg, proxy, server, token, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function startServer(port: number, env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, "start"], {
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let exited: string | null = null;
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  child.on("exit", (code, signal) => (exited = signal ? `signal ${signal}` : `code ${code}`));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    exited: () => exited,
    output: () => output,
    stop: async () => {
      if (exited) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await done;
      clearTimeout(timer);
    },
  };
  await waitFor("the server's start", async () => (await fetch(`${url}/healthz`)).ok, 90_000, server.exited).catch((err: Error) => {
    child.kill("SIGKILL");
    throw new Error(`${err.message}\n${output}`);
  });
  return server;
}

/** One answer to a filing, or its failure to come. */
export interface Outcome {
  /** When it was sent and answered, ms since the epoch. */
  sentAt: number;
  at: number;
  /** The HTTP status, or 0 when no answer came (the connection failed, or 20 s passed). */
  status: number;
  code: string | null;
  reason: string | null;
  retryAfter: string | null;
}

export interface HealthSample {
  at: number;
  status: number;
  reason: string | null;
}

/** Filings and health checks under way; `stop` ends them (a filing not yet acknowledged is abandoned). */
export interface Load {
  outcomes: Outcome[];
  health: HealthSample[];
  /** Request id → the dossier id its acknowledgement named. */
  acknowledged: Map<string, string>;
  /** Request ids acknowledged twice with different dossiers. */
  conflicting: Set<string>;
  /** Every request id sent. */
  sent: Set<string>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `workers` citizens filing one dossier after another, each retried with its request id every 100 ms until
 * acknowledged (2xx), and `/healthz` asked every 100 ms.
 */
export function startLoad(stack: Stack, opts: { workers: number; thinkMs: number }): Load {
  const load: Load = { outcomes: [], health: [], acknowledged: new Map(), conflicting: new Set(), sent: new Set(), stop: async () => undefined };
  let stopping = false;
  const headers = { authorization: `Bearer ${stack.token}`, "content-type": "application/json" };
  const file = async (requestId: string): Promise<boolean> => {
    const sentAt = Date.now();
    const body = JSON.stringify({ procedureCode: PROCEDURE, agencyCode: CENTRE, formData: { hoTen: "Nguyễn Thị Mai", soCccd: CITIZEN }, submit: true, requestId });
    let status = 0;
    let json: { id?: string; error?: { code?: string; reason?: string } } = {};
    let retryAfter: string | null = null;
    try {
      const res = await fetch(`${stack.server.url}/api/dossiers`, { method: "POST", headers, body, signal: AbortSignal.timeout(20_000) });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      json = (await res.json().catch(() => ({}))) as typeof json;
    } catch {
      status = 0;
    }
    load.outcomes.push({ sentAt, at: Date.now(), status, code: json.error?.code ?? null, reason: json.error?.reason ?? null, retryAfter });
    if (status !== 200 && status !== 201) return false;
    const id = String(json.id);
    const before = load.acknowledged.get(requestId);
    if (before !== undefined && before !== id) load.conflicting.add(requestId);
    load.acknowledged.set(requestId, id);
    return true;
  };
  const worker = async () => {
    while (!stopping) {
      const requestId = randomUUID();
      load.sent.add(requestId);
      while (!stopping && !(await file(requestId))) await sleep(100);
      await sleep(opts.thinkMs);
    }
  };
  const watcher = async () => {
    while (!stopping) {
      let status = 0;
      let reason: string | null = null;
      try {
        const res = await fetch(`${stack.server.url}/healthz`, { signal: AbortSignal.timeout(20_000) });
        status = res.status;
        if (!res.ok) reason = ((await res.json()) as { error?: { reason?: string } }).error?.reason ?? null;
        else await res.arrayBuffer();
      } catch {
        status = 0;
      }
      load.health.push({ at: Date.now(), status, reason });
      await sleep(100);
    }
  };
  const running = [...Array.from({ length: opts.workers }, worker), watcher()];
  load.stop = async () => {
    stopping = true;
    await Promise.all(running);
  };
  return load;
}

/** What a fault did, as the drill measured it. */
export interface Figures {
  fault: string;
  /** Seconds the fault lasted, as made (0 for an instant one: a killed backend). */
  faultSeconds: number;
  requests: number;
  acknowledged: number;
  /** Acknowledged dossiers not in the database. */
  lost: number;
  /** Request ids with more than one dossier in the database, or acknowledged with two different ones. */
  duplicated: number;
  /** Dossiers in the database whose filing was never acknowledged (its answer lost with the connection): not lost. */
  unacknowledgedButStored: number;
  /** Answers 503 platform.unavailable, and how many of them lacked Retry-After. */
  unavailable: number;
  withoutRetryAfter: number;
  /** Failures that were not 503 platform.unavailable: other statuses, or no answer at all. */
  otherFailures: Record<string, number>;
  /** The slowest failed answer, and the median one, ms (fail fast: no failure waits out the fault). */
  slowestFailureMs: number;
  medianFailureMs: number;
  /** The reasons `/healthz` gave while it answered 503. */
  healthReasons: string[];
  /** Seconds from the fault's end to the first acknowledged filing sent after it, and to `/healthz` 200. */
  recoverySeconds: number | null;
  healthRecoverySeconds: number | null;
  /** Whether the motcua process still runs. */
  alive: boolean;
}

/**
 * Runs `fault` under the load: `warmMs` of load before it, then until a filing sent after its end is acknowledged
 * (and `settleMs` more), or `recoverWithinMs` passes. `fault` resolves when the fault is over (the time its recovery
 * is measured from) and gives how long it lasted.
 */
export async function drill(
  stack: Stack,
  name: string,
  fault: () => Promise<void>,
  opts: { workers?: number; thinkMs?: number; warmMs?: number; settleMs?: number; recoverWithinMs?: number } = {},
): Promise<Figures> {
  const load = startLoad(stack, { workers: opts.workers ?? 8, thinkMs: opts.thinkMs ?? 20 });
  // DRILL_PROGRESS=1: what the last second's answers were, every second.
  let seen = 0;
  const progress = process.env.DRILL_PROGRESS
    ? setInterval(() => {
        const counts: Record<string, number> = {};
        for (const o of load.outcomes.slice(seen)) counts[`${o.status}${o.reason ? ` ${o.reason}` : ""}`] = (counts[`${o.status}${o.reason ? ` ${o.reason}` : ""}`] ?? 0) + 1;
        seen = load.outcomes.length;
        const h = load.health.at(-1);
        process.stderr.write(`  [${name}] ${JSON.stringify(counts)} healthz ${h?.status ?? "-"}${h?.reason ? ` ${h.reason}` : ""}\n`);
      }, 1000)
    : null;
  let faultStart = 0;
  let faultEnd = 0;
  try {
    await sleep(opts.warmMs ?? 2000);
    faultStart = Date.now();
    await fault();
    faultEnd = Date.now();
    const recovered = () => load.outcomes.some((o) => o.sentAt >= faultEnd && (o.status === 200 || o.status === 201));
    await waitFor(`recovery after ${name}`, async () => recovered() || stack.server.exited() !== null, opts.recoverWithinMs ?? 60_000).catch(() => undefined);
    await sleep(opts.settleMs ?? 1500);
  } finally {
    await load.stop();
    if (progress) clearInterval(progress);
  }
  return figures(stack, name, load, faultStart, faultEnd);
}

async function figures(stack: Stack, name: string, load: Load, faultStart: number, faultEnd: number): Promise<Figures> {
  const rows = await stack.pg.sql<{ request_id: string; id: string }>(`SELECT request_id, id::text FROM dossiers WHERE request_id = ANY($1)`, [[...load.sent]], DATABASE);
  const stored = new Map<string, string[]>();
  for (const r of rows) stored.set(r.request_id, [...(stored.get(r.request_id) ?? []), r.id]);
  let lost = 0;
  for (const [requestId, id] of load.acknowledged) if (!stored.get(requestId)?.includes(id)) lost++;
  const duplicated = new Set([...load.conflicting, ...[...stored].filter(([, ids]) => ids.length > 1).map(([r]) => r)]).size;
  const failures = load.outcomes.filter((o) => o.status !== 200 && o.status !== 201);
  const unavailable = failures.filter((o) => o.status === 503 && o.code === "platform.unavailable");
  const otherFailures: Record<string, number> = {};
  for (const o of failures) {
    if (o.status === 503 && o.code === "platform.unavailable") continue;
    const key = o.status === 0 ? "no answer" : `${o.status} ${o.code ?? ""}`.trim();
    otherFailures[key] = (otherFailures[key] ?? 0) + 1;
  }
  const firstAck = load.outcomes.filter((o) => o.sentAt >= faultEnd && (o.status === 200 || o.status === 201)).sort((a, b) => a.at - b.at)[0];
  const firstOk = load.health.find((h) => h.at >= faultEnd && h.status === 200);
  return {
    fault: name,
    faultSeconds: (faultEnd - faultStart) / 1000,
    requests: load.outcomes.length,
    acknowledged: load.acknowledged.size,
    lost,
    duplicated,
    unacknowledgedButStored: [...stored.keys()].filter((r) => !load.acknowledged.has(r)).length,
    unavailable: unavailable.length,
    withoutRetryAfter: unavailable.filter((o) => !o.retryAfter).length,
    otherFailures,
    slowestFailureMs: Math.max(0, ...failures.map((o) => o.at - o.sentAt)),
    medianFailureMs: failures.map((o) => o.at - o.sentAt).sort((a, b) => a - b)[Math.floor(failures.length / 2)] ?? 0,
    healthReasons: [...new Set(load.health.filter((h) => h.status === 503).map((h) => h.reason ?? "?"))],
    recoverySeconds: firstAck ? (firstAck.at - faultEnd) / 1000 : null,
    healthRecoverySeconds: firstOk ? (firstOk.at - faultEnd) / 1000 : null,
    alive: stack.server.exited() === null,
  };
}

/** Faults the drills make. */
export const faults = {
  /** `pg_ctl restart -m fast`: every session ends, the server is down for as long as it takes to start again. */
  restart: (stack: Stack) => () => stack.pg.restart(),
  /** `pg_ctl stop -m fast`, `seconds` down (connections refused), then started again. */
  stopAndStart: (stack: Stack, seconds: number) => async () => {
    await stack.pg.stop();
    await sleep(seconds * 1000);
    await stack.pg.start();
  },
  /** pg_terminate_backend of every connection of the application (its pool's and its health checks'). */
  terminateBackends: (stack: Stack) => async () => {
    await stack.pg.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'motcua%'`);
  },
  /** kill -9 of one of the application's backends: the postmaster ends every session and recovers from the crash. */
  killBackend: (stack: Stack) => async () => {
    const [pid] = await stack.pg.backends("motcua", true);
    if (pid === undefined) throw new Error("no backend of the application to kill");
    process.kill(pid, "SIGKILL");
  },
  /** The network stops forwarding for `seconds` (the proxy holds every byte), then carries on. */
  pause: (stack: Stack, seconds: number) => async () => {
    stack.proxy.pause();
    await sleep(seconds * 1000);
    stack.proxy.resume();
  },
  /**
   * The data directory's disk filled (a file grown until the tmpfs has no room) while `holdSeconds` pass once
   * writes fail, then the file removed.
   */
  fullDisk: (stack: Stack, holdSeconds: number) => async () => {
    if (!stack.pg.tmpfs) throw new Error("the full-disk fault needs the server's data directory on a tmpfs (startStack({ tmpfsMb }))");
    const filler = path.join(stack.pg.tmpfs, "filler");
    const fd = fs.openSync(filler, "w");
    const chunk = Buffer.alloc(1024 * 1024);
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
    } finally {
      fs.closeSync(fd);
    }
    // Writes of whatever the last megabyte left room for: a few kilobytes at a time until none fits.
    const small = Buffer.alloc(4096);
    const tail = fs.openSync(`${filler}-tail`, "w");
    try {
      for (;;) fs.writeSync(tail, small);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
    } finally {
      fs.closeSync(tail);
    }
    await sleep(holdSeconds * 1000);
    fs.rmSync(filler);
    fs.rmSync(`${filler}-tail`);
  },
};
