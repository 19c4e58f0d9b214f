// Helpers for the jobs tests (not used by the running program).
import { sql } from "../db/drizzle.ts";
import { type Database, openDatabase } from "../db/index.ts";
import { testLogger } from "../log/testing.ts";
import type { JobQueue } from "./define.ts";
import { createWorker, type Worker, type WorkerOptions } from "./worker.ts";

export function testWorker(database: Database, queue: JobQueue, opts: Partial<WorkerOptions> = {}): Worker {
  return createWorker({
    database,
    queue,
    logger: testLogger(),
    concurrency: 4,
    leaseSeconds: 300,
    pollMs: 20,
    shutdownTimeoutMs: 1000,
    ...opts,
  });
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface JobState {
  id: number;
  status: string;
  attempts: number;
  lastError: string | null;
  lockedBy: string | null;
  due: boolean;
}

export async function jobState(database: Database, id: number): Promise<JobState> {
  const rows = await database.rows<JobState>(
    sql`SELECT id, status, attempts, last_error AS "lastError", locked_by AS "lockedBy", run_at <= now() AS due
        FROM jobs WHERE id = ${id}`,
  );
  if (!rows[0]) throw new Error(`no job ${id}`);
  return { ...rows[0], id: Number(rows[0].id) };
}

/**
 * A second connection pool to the same PostgreSQL database, as a second worker process would have;
 * null on PGlite, which is one process's database.
 */
export async function secondPool(database: Database): Promise<Database | null> {
  const url = database.pool?.options.connectionString;
  // The suite's heartbeat (test/helpers/db.ts, TEST_HEARTBEAT_MS): a loaded machine must not find its database silent.
  return url ? openDatabase({ databaseUrl: url, pgliteDir: null, poolMax: 10, heartbeatMs: 5000 }) : null;
}
