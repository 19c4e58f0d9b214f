import type { SQL } from "drizzle-orm";
import { and, desc, eq, sql } from "../db/drizzle.ts";
import { type Db, execRows, literal, runAtCommit } from "../db/index.ts";
import { jobs, jobSchedules } from "./tables.ts";

export type JobStatus = "queued" | "running" | "done" | "dead";

/** A job as a worker holds it; `lockedBy` and `attempts` together identify this run of it. */
export interface ClaimedJob {
  id: number;
  name: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  lockedBy: string;
}

export interface NewJob {
  name: string;
  payload: unknown;
  maxAttempts: number;
  runAt?: Date | undefined;
  key?: string | undefined;
  orderKey?: string | undefined;
}

/** Inserts a job in the caller's transaction; with a key already used, returns that job instead. */
export async function insertJob(tx: Db, job: NewJob): Promise<{ id: number; created: boolean }> {
  const inserted = await tx
    .insert(jobs)
    .values({
      name: job.name,
      payload: job.payload ?? {},
      maxAttempts: job.maxAttempts,
      ...(job.runAt ? { runAt: job.runAt } : {}),
      key: job.key ?? null,
      orderKey: job.orderKey ?? null,
    })
    .onConflictDoNothing({ target: jobs.key })
    .returning({ id: jobs.id });
  const row = inserted[0];
  if (row) return { id: row.id, created: true };
  // Only a key conflict lands here; ON CONFLICT waited for the other writer, so the row is visible now.
  const existing = await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.key, job.key ?? ""));
  return { id: existing[0]?.id ?? 0, created: false };
}

function list(values: string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/**
 * Claims up to `limit` due jobs among `names` for `workerId`, with a lease. SKIP LOCKED lets any number
 * of workers claim at once without waiting on each other or taking the same row. A job with an order
 * key is claimable only when no earlier job with that key is unfinished (queued, running or dead).
 */
export async function claimJobs(
  db: Db,
  opts: { workerId: string; limit: number; leaseSeconds: number; names: string[] },
): Promise<ClaimedJob[]> {
  if (opts.limit <= 0 || opts.names.length === 0) return [];
  return execRows<ClaimedJob>(
    db,
    sql`UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = ${opts.workerId},
          locked_until = now() + make_interval(secs => ${opts.leaseSeconds}::int)
        WHERE id IN (
          SELECT j.id FROM jobs j
          WHERE j.status = 'queued' AND j.run_at <= now() AND j.name IN (${list(opts.names)})
            AND (j.order_key IS NULL OR NOT EXISTS (
              SELECT 1 FROM jobs e WHERE e.order_key = j.order_key AND e.id < j.id AND e.status <> 'done'))
          ORDER BY j.run_at, j.id
          LIMIT ${opts.limit}
          FOR UPDATE OF j SKIP LOCKED)
        RETURNING id, name, payload, attempts, max_attempts AS "maxAttempts", locked_by AS "lockedBy"`,
  );
}

/**
 * Puts back the jobs whose lease ran out while `running` (their worker died or lost the database):
 * queued to run again at once, or dead when that run was their last attempt.
 */
export async function reapExpired(db: Db, limit = 100): Promise<Array<{ id: number; status: JobStatus }>> {
  return execRows(
    db,
    sql`UPDATE jobs SET
          status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
          finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
          last_error = 'lease expired: the worker stopped during the run',
          locked_by = NULL, locked_until = NULL, run_at = now()
        WHERE id IN (
          SELECT id FROM jobs WHERE status = 'running' AND locked_until < now()
          ORDER BY locked_until LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING id, status`,
  );
}

/** Extends the lease of this worker's running jobs; returns the ids it still holds. */
export async function extendLeases(db: Db, workerId: string, ids: number[], leaseSeconds: number): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await execRows<{ id: number }>(
    db,
    sql`UPDATE jobs SET locked_until = now() + make_interval(secs => ${leaseSeconds}::int)
        WHERE locked_by = ${workerId} AND status = 'running' AND id IN (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})
        RETURNING id`,
  );
  return rows.map((r) => Number(r.id));
}

function thisRun(job: ClaimedJob): SQL {
  return sql`id = ${job.id} AND locked_by = ${job.lockedBy} AND attempts = ${job.attempts} AND status = 'running'`;
}

/**
 * Queues into the transaction's COMMIT the mark done of queued jobs whose work another run did (the outbox job that
 * took its pair's queued messages in one request): they are not run. False when `tx` is not a transaction.
 */
export function queueJobsDone(tx: Db, ids: readonly number[]): boolean {
  if (ids.length === 0) return true;
  return runAtCommit(
    tx,
    `UPDATE jobs SET status = 'done', finished_at = now(), locked_by = NULL, locked_until = NULL WHERE status = 'queued' AND id IN (${ids.map((id) => literal(id)).join(", ")})`,
  );
}

/**
 * Marks a queued job dead with `error`: another run found its work cannot be done (the outbox job whose batch the
 * peer refused one of for good). False when it was not queued. `motcua jobs retry` puts it back, as any dead job.
 */
export async function failQueuedJob(db: Db, id: number, error: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: "dead", finishedAt: sql`now()`, lastError: error.slice(0, 2000) })
    .where(and(eq(jobs.id, id), eq(jobs.status, "queued")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Marks this run done; false when the job was taken from it meanwhile (lease lost, released). */
export async function completeJob(db: Db, job: ClaimedJob): Promise<boolean> {
  const rows = await execRows(
    db,
    sql`UPDATE jobs SET status = 'done', finished_at = now(), locked_by = NULL, locked_until = NULL
        WHERE ${thisRun(job)} RETURNING id`,
  );
  return rows.length > 0;
}

/**
 * Records this run's failure: queued again after `delayMs`, or dead. `uncharged`: the run does not count among
 * the job's attempts (it failed for want of the database, not of its own).
 */
export async function failJob(
  db: Db,
  job: ClaimedJob,
  outcome: { dead: boolean; delayMs: number; error: string; uncharged?: boolean },
): Promise<boolean> {
  const rows = await execRows(
    db,
    outcome.dead
      ? sql`UPDATE jobs SET status = 'dead', finished_at = now(), last_error = ${outcome.error},
              locked_by = NULL, locked_until = NULL
            WHERE ${thisRun(job)} RETURNING id`
      : sql`UPDATE jobs SET status = 'queued', last_error = ${outcome.error}, locked_by = NULL, locked_until = NULL,
              attempts = attempts - ${outcome.uncharged ? 1 : 0},
              run_at = now() + make_interval(secs => ${outcome.delayMs / 1000}::double precision)
            WHERE ${thisRun(job)} RETURNING id`,
  );
  return rows.length > 0;
}

/**
 * Gives back jobs a stopping worker could not finish: queued, due at once, and without charging the
 * interrupted run to the job's attempts.
 */
export async function releaseJobs(db: Db, jobsHeld: ClaimedJob[]): Promise<number> {
  let released = 0;
  for (const job of jobsHeld) {
    const rows = await execRows(
      db,
      sql`UPDATE jobs SET status = 'queued', attempts = attempts - 1, locked_by = NULL, locked_until = NULL,
            run_at = now()
          WHERE ${thisRun(job)} RETURNING id`,
    );
    released += rows.length;
  }
  return released;
}

export interface ScheduleRow {
  name: string;
  cron: string;
  timezone: string;
  payload: unknown;
  nextRunAt: Date;
}

/** The database's clock: leases and schedules follow one clock for every worker. */
export async function databaseNow(db: Db): Promise<Date> {
  const rows = await execRows<{ now: Date | string }>(db, sql`SELECT now() AS now`);
  return new Date(rows[0]!.now);
}

/**
 * Writes the schedules declared in code. A changed cron expression or time zone takes the new next
 * run; otherwise the stored next run and the operator's `enabled` stay as they are.
 */
export async function upsertSchedule(
  tx: Db,
  s: { name: string; cron: string; timezone: string; payload: unknown; nextRunAt: Date },
): Promise<void> {
  await tx
    .insert(jobSchedules)
    .values({ name: s.name, cron: s.cron, timezone: s.timezone, payload: s.payload, nextRunAt: s.nextRunAt })
    .onConflictDoUpdate({
      target: jobSchedules.name,
      set: {
        nextRunAt: sql`CASE WHEN ${jobSchedules.cron} = excluded.cron AND ${jobSchedules.timezone} = excluded.timezone
          THEN ${jobSchedules.nextRunAt} ELSE excluded.next_run_at END`,
        cron: sql`excluded.cron`,
        timezone: sql`excluded.timezone`,
        payload: sql`excluded.payload`,
        updatedAt: sql`now()`,
      },
    });
}

/** Locks the due schedules among `names` that no other worker holds, with the database's now. */
export async function lockDueSchedules(tx: Db, names: string[]): Promise<{ now: Date; due: ScheduleRow[] }> {
  const now = await databaseNow(tx);
  if (names.length === 0) return { now, due: [] };
  const rows = await execRows<ScheduleRow & { nextRunAt: Date | string }>(
    tx,
    sql`SELECT name, cron, timezone, payload, next_run_at AS "nextRunAt" FROM job_schedules
        WHERE enabled AND next_run_at <= now() AND name IN (${list(names)})
        ORDER BY next_run_at
        FOR UPDATE SKIP LOCKED`,
  );
  return { now, due: rows.map((r) => ({ ...r, nextRunAt: new Date(r.nextRunAt) })) };
}

export async function setNextRun(tx: Db, name: string, nextRunAt: Date): Promise<void> {
  await tx.update(jobSchedules).set({ nextRunAt, updatedAt: sql`now()` }).where(eq(jobSchedules.name, name));
}

export type JobRow = typeof jobs.$inferSelect;

/** The latest jobs, newest first, optionally of one status. */
export async function listJobs(db: Db, opts: { status?: JobStatus | undefined; limit: number }): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(opts.status ? eq(jobs.status, opts.status) : undefined)
    .orderBy(desc(jobs.id))
    .limit(opts.limit);
}

/** Puts a dead job back in the queue with its attempts reset; false when no dead job has that id. */
export async function retryDeadJob(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: "queued", attempts: 0, runAt: sql`now()`, finishedAt: null })
    .where(and(eq(jobs.id, id), eq(jobs.status, "dead")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/**
 * Deletes up to `limit` jobs that finished (`done`) more than `days` days ago; their idempotency keys
 * become usable again. Dead jobs stay until someone retries them.
 */
export async function pruneDoneJobs(db: Db, days: number, limit: number): Promise<number> {
  const rows = await execRows<{ id: number }>(
    db,
    sql`DELETE FROM jobs WHERE id IN (
          SELECT id FROM jobs WHERE status = 'done' AND finished_at < now() - make_interval(days => ${days}::int)
          ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id`,
  );
  return rows.length;
}
