import { randomUUID } from "node:crypto";
import os from "node:os";
import { type Database, unavailableReason } from "../db/index.ts";
import { type Logger, scrubText } from "../log/index.ts";
import { type JobDefinition, type JobQueue, nextSlot, PermanentJobError } from "./define.ts";
import {
  claimJobs,
  type ClaimedJob,
  completeJob,
  databaseNow,
  extendLeases,
  failJob,
  lockDueSchedules,
  reapExpired,
  releaseJobs,
  setNextRun,
  upsertSchedule,
} from "./repo.ts";

export interface WorkerOptions {
  database: Database;
  queue: JobQueue;
  logger: Logger;
  /** Jobs run at once. */
  concurrency: number;
  /** How long a claim holds a job; extended while it runs, so only a dead worker's jobs expire. */
  leaseSeconds: number;
  /** How often an idle worker looks for due jobs, expired leases and due schedules. */
  pollMs: number;
  /** How long `stop()` waits for running jobs before giving them back to the queue. */
  shutdownTimeoutMs: number;
  id?: string;
}

export interface Worker {
  readonly id: string;
  /** Writes the queue's schedules, then claims and runs jobs until `stop()`. */
  start(): Promise<void>;
  /**
   * Stops claiming, waits up to the shutdown timeout for running jobs, then releases the unfinished
   * ones (queued again at once, their signal aborted) so another worker takes them without waiting
   * for the lease to run out.
   */
  stop(): Promise<void>;
  /** One pass without the loop, for tests and tools: reap, tick schedules, claim, run and await. */
  runOnce(): Promise<number>;
  /** Enqueues the job of every due schedule (once per slot, whatever the number of workers). */
  tickSchedules(): Promise<number>;
  /** Upserts the queue's schedules into job_schedules; `start()` does this first. */
  writeSchedules(): Promise<void>;
}

interface Run {
  job: ClaimedJob;
  controller: AbortController;
  /** Given back at shutdown: whatever the handler does next is not recorded. */
  released: boolean;
  done: Promise<void>;
}

const MAX_ERROR_CHARS = 2000;
/** How long a job that met an unavailable database waits before it runs again, at least. */
const UNAVAILABLE_RETRY_MS = 2000;
/** The longest wait between two failed passes: the worker resumes within this of the database's return. */
const MAX_BACKOFF_MS = 5000;

/** The wait after `failures` failed passes in a row: the poll interval, doubled each time, up to MAX_BACKOFF_MS. */
export function backoffMs(pollMs: number, failures: number): number {
  return Math.min(Math.max(pollMs, MAX_BACKOFF_MS), pollMs * 2 ** Math.min(failures - 1, 16));
}

/** The error as recorded on the job and logged: without a failed query's parameters (they may be personal data). */
function errorMessage(err: unknown): string {
  const text = scrubText(err instanceof Error ? `${err.name === "Error" ? "" : `${err.name}: `}${err.message}` : String(err));
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}

export function createWorker(opts: WorkerOptions): Worker {
  const { database, queue } = opts;
  const db = database.db;
  const id = opts.id ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logger = opts.logger.child({ worker: id });
  const active = new Set<Run>();
  let stopping = false;
  let loopDone: Promise<void> | null = null;
  let stopped: Promise<void> | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let beating = false;
  let unsubscribe: (() => void) | null = null;

  // Wakes the loop early: a finished job frees a slot (and may unblock the next job of its order key).
  let waiter: (() => void) | null = null;
  let woken = false;
  const wake = () => {
    if (waiter) waiter();
    else woken = true;
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        waiter = null;
        woken = false;
        resolve();
      }
      waiter = finish;
    });

  async function runHandler(def: JobDefinition<unknown>, run: Run, log: Logger): Promise<void> {
    const { job, controller } = run;
    const ctx = {
      id: job.id,
      name: job.name,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      signal: controller.signal,
      logger: log,
      database,
    };
    const work = Promise.resolve().then(() => def.handler(job.payload, ctx));
    if (def.timeoutMs === null) return work;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(`timed out after ${def.timeoutMs} ms`);
        controller.abort(err);
        reject(err);
      }, def.timeoutMs!);
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function execute(run: Run): Promise<void> {
    const { job } = run;
    const def = queue.get(job.name);
    const log = logger.child({ jobId: job.id, job: job.name, attempt: job.attempts });
    let failure: unknown = null;
    try {
      if (!def) throw new PermanentJobError(`no job is defined with the name "${job.name}"`);
      await runHandler(def, run, log);
    } catch (err) {
      failure = err;
    }
    if (run.released) return;
    try {
      if (failure === null) {
        if (!(await completeJob(db, job))) log.warn("job finished after it was taken away; its result is not recorded");
        return;
      }
      const error = errorMessage(failure);
      // The database could not serve (a restart, a lost connection): not the job's fault, so not one of its
      // attempts; it runs again once the database is back.
      if (def && unavailableReason(failure)) {
        const delayMs = Math.max(opts.pollMs, UNAVAILABLE_RETRY_MS);
        if (await failJob(db, job, { dead: false, delayMs, error, uncharged: true })) log.warn({ error, retryInMs: delayMs }, "job met an unavailable database; will run again");
        return;
      }
      const dead = failure instanceof PermanentJobError || job.attempts >= job.maxAttempts;
      const delayMs = dead || !def ? 0 : Math.max(0, def.backoff(job.attempts));
      if (!(await failJob(db, job, { dead, delayMs, error }))) return;
      // The message only: the payload and the error's details may hold personal data.
      if (dead) log.error({ error }, "job failed for the last time; moved to dead letters");
      else log.warn({ error, retryInMs: delayMs }, "job failed; will retry");
    } catch (err) {
      log.error({ error: errorMessage(err) }, "could not record the job's outcome; it runs again when its lease expires");
    }
  }

  function launch(job: ClaimedJob): Run {
    const run: Run = { job: { ...job, id: Number(job.id) }, controller: new AbortController(), released: false, done: Promise.resolve() };
    active.add(run);
    run.done = execute(run).finally(() => {
      active.delete(run);
      if (active.size === 0 && heartbeat) {
        clearInterval(heartbeat);
        heartbeat = null;
      }
      wake();
    });
    if (!heartbeat) heartbeat = setInterval(() => void beat(), Math.max(100, (opts.leaseSeconds * 1000) / 3));
    return run;
  }

  async function beat(): Promise<void> {
    const runs = [...active].filter((r) => !r.released);
    if (runs.length === 0 || beating) return;
    beating = true;
    try {
      const held = new Set(await extendLeases(db, id, runs.map((r) => r.job.id), opts.leaseSeconds));
      for (const run of runs) {
        if (!held.has(run.job.id) && active.has(run) && !run.released) {
          logger.warn({ jobId: run.job.id, job: run.job.name }, "job lease lost; aborting the run");
          run.controller.abort(new Error("lease lost"));
        }
      }
    } catch (err) {
      logger.warn({ error: errorMessage(err) }, "could not extend job leases");
    } finally {
      beating = false;
    }
  }

  async function claim(): Promise<Run[]> {
    const jobs = await claimJobs(db, {
      workerId: id,
      limit: opts.concurrency - active.size,
      leaseSeconds: opts.leaseSeconds,
      names: queue.names(),
    });
    return jobs.map(launch);
  }

  async function reap(): Promise<void> {
    const reaped = await reapExpired(db);
    for (const r of reaped) logger.warn({ jobId: r.id, status: r.status }, "job lease expired; put back");
  }

  async function tickSchedules(): Promise<number> {
    const names = queue.schedules().map((s) => s.name);
    if (names.length === 0) return 0;
    return database.transaction(async (tx) => {
      const { now, due } = await lockDueSchedules(tx, names);
      for (const s of due) {
        // The key makes the slot's job unique even if a schedule row were ever ticked twice.
        await queue.enqueue(tx, s.name, s.payload, { key: `cron:${s.name}:${s.nextRunAt.toISOString()}` });
        // Slots missed while no worker ran are not made up: one run, then the next future slot.
        await setNextRun(tx, s.name, nextSlot(s.cron, s.timezone, now));
      }
      return due.length;
    });
  }

  async function writeSchedules(): Promise<void> {
    const specs = queue.schedules();
    for (const s of specs) {
      if (!queue.get(s.name)) throw new Error(`schedule "${s.name}": no job is defined with that name`);
    }
    if (specs.length === 0) return;
    const now = await databaseNow(db);
    await database.transaction(async (tx) => {
      for (const s of specs) await upsertSchedule(tx, { ...s, nextRunAt: nextSlot(s.cron, s.timezone, now) });
    });
  }

  async function loop(): Promise<void> {
    let maintenanceDue = 0;
    // Passes failed in a row: the wait doubles with each (a database down is not asked twenty times a second).
    let failures = 0;
    while (!stopping) {
      try {
        if (Date.now() >= maintenanceDue) {
          maintenanceDue = Date.now() + opts.pollMs;
          await reap();
          await tickSchedules();
        }
        if (!stopping && active.size < opts.concurrency) await claim();
        if (failures > 0) logger.info({ failedPasses: failures }, "job worker passes again");
        failures = 0;
      } catch (err) {
        failures++;
        const waitMs = backoffMs(opts.pollMs, failures);
        const reason = unavailableReason(err);
        if (reason) logger.warn({ reason, retryInMs: waitMs }, "job worker pass failed: the database is unavailable");
        else logger.error({ error: errorMessage(err), retryInMs: waitMs }, "job worker pass failed");
        maintenanceDue = 0;
        if (stopping) break;
        await sleep(waitMs);
        continue;
      }
      if (stopping) break;
      await sleep(opts.pollMs);
    }
  }

  return {
    id,
    async start() {
      if (loopDone) throw new Error("worker already started");
      await writeSchedules();
      // A job enqueued in this process is claimed once its transaction commits, not at the next poll.
      unsubscribe = queue.onEnqueued(wake);
      loopDone = loop();
      logger.info({ concurrency: opts.concurrency, jobs: queue.names().length }, "job worker started");
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        unsubscribe?.();
        wake();
        await loopDone;
        if (active.size > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            Promise.allSettled([...active].map((r) => r.done)),
            new Promise((resolve) => (timer = setTimeout(resolve, opts.shutdownTimeoutMs))),
          ]);
          clearTimeout(timer);
        }
        const left = [...active];
        for (const run of left) run.released = true;
        if (heartbeat) clearInterval(heartbeat);
        heartbeat = null;
        if (left.length > 0) {
          try {
            const released = await releaseJobs(db, left.map((r) => r.job));
            logger.warn({ released }, "jobs still running at shutdown were released");
          } catch (err) {
            logger.error({ error: errorMessage(err) }, "could not release jobs; they run again when their lease expires");
          }
          for (const run of left) run.controller.abort(new Error("released at shutdown"));
        }
        logger.info("job worker stopped");
      })();
      return stopped;
    },
    async runOnce() {
      await reap();
      await tickSchedules();
      const runs = await claim();
      await Promise.all(runs.map((r) => r.done));
      return runs.length;
    },
    tickSchedules,
    writeSchedules,
  };
}
