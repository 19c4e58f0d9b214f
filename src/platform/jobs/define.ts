import { CronExpressionParser } from "cron-parser";
import { afterCommit, type Database, type Db } from "../db/index.ts";
import type { Logger } from "../log/index.ts";
import { insertJob } from "./repo.ts";

/** What a handler gets besides its payload. */
export interface JobContext {
  id: number;
  name: string;
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the run times out, loses its lease or is released at shutdown: stop work then. */
  signal: AbortSignal;
  logger: Logger;
  database: Database;
}

/** Delay before the next attempt, in ms, given the attempt that just failed (1 = the first). */
export type Backoff = (attempt: number) => number;

export interface JobOptions<P> {
  /** `module.verb`, e.g. `dossiers.notify`. */
  name: string;
  handler: (payload: P, ctx: JobContext) => Promise<void>;
  /** Runs before the job is dead-lettered; 5 by default. */
  maxAttempts?: number;
  backoff?: Backoff;
  /** A run taking longer fails (and its signal is aborted); none by default. */
  timeoutMs?: number;
}

export interface JobDefinition<P> {
  readonly name: string;
  readonly handler: (payload: P, ctx: JobContext) => Promise<void>;
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly timeoutMs: number | null;
}

/**
 * Thrown by a handler for a failure that retrying cannot fix (a payload the peer rejects as
 * malformed): the job goes straight to `dead`.
 */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/**
 * Exponential backoff with "equal jitter": half the exponential delay, plus a random part up to the
 * other half, so jobs that failed together (a peer down) do not all retry in the same instant.
 */
export function exponentialBackoff(opts: { baseMs?: number; maxMs?: number } = {}): Backoff {
  const base = opts.baseMs ?? 10_000;
  const max = opts.maxMs ?? 3_600_000;
  return (attempt) => {
    const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
    return Math.round(exp / 2 + Math.random() * (exp / 2));
  };
}

const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** A typed job definition; register it on the queue (`ctx.jobs.register`) to run and enqueue it. */
export function defineJob<P>(opts: JobOptions<P>): JobDefinition<P> {
  if (!NAME.test(opts.name)) throw new Error(`job name "${opts.name}" must look like module.verb`);
  const maxAttempts = opts.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`${opts.name}: maxAttempts must be >= 1`);
  return {
    name: opts.name,
    handler: opts.handler,
    maxAttempts,
    backoff: opts.backoff ?? exponentialBackoff(),
    timeoutMs: opts.timeoutMs ?? null,
  };
}

export interface EnqueueOptions {
  /** Not before this time; now by default. */
  runAt?: Date;
  /** Idempotency key: when a job with this key exists (whatever its status), nothing is added. */
  key?: string;
  /**
   * Jobs with the same order key run one at a time, in id order; an earlier one that is dead holds the
   * later ones back until it is retried (`motcua jobs retry`), so a peer never sees them out of order.
   */
  orderKey?: string;
}

export interface ScheduleSpec {
  name: string;
  cron: string;
  timezone: string;
  payload: unknown;
}

export const DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh";

/** The first slot of `cron` strictly after `after`, in `timezone`. */
export function nextSlot(cron: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toDate();
}

/** The job queue of a process: the registered definitions, enqueueing, and recurring schedules. */
export interface JobQueue {
  /** Defines and registers a job in one step. */
  define<P>(opts: JobOptions<P>): JobDefinition<P>;
  register(...defs: Array<JobDefinition<never>>): void;
  get(name: string): JobDefinition<unknown> | undefined;
  names(): string[];
  /**
   * Adds a job in the caller's transaction: it exists only if that transaction commits. Returns the
   * job's id and whether it was created (false when `key` was used before). Throws on a name no
   * definition has.
   */
  enqueue<P>(tx: Db, job: JobDefinition<P>, payload: P, opts?: EnqueueOptions): Promise<{ id: number; created: boolean }>;
  enqueue(tx: Db, name: string, payload: unknown, opts?: EnqueueOptions): Promise<{ id: number; created: boolean }>;
  /** Runs job `name` on a cron schedule (5 or 6 fields, Asia/Ho_Chi_Minh time); written when a worker starts. */
  schedule(name: string, cron: string, payload?: unknown, opts?: { timezone?: string }): void;
  schedules(): readonly ScheduleSpec[];
  /**
   * Calls `fn` each time a job enqueued here is committed (a worker of this process wakes instead of waiting for
   * its next poll); returns the unsubscribe.
   */
  onEnqueued(fn: () => void): () => void;
}

export function createJobQueue(): JobQueue {
  const defs = new Map<string, JobDefinition<unknown>>();
  const specs = new Map<string, ScheduleSpec>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const fn of listeners) fn();
  };

  const register = (...list: Array<JobDefinition<never>>) => {
    for (const def of list) {
      if (defs.has(def.name)) throw new Error(`job "${def.name}" is defined twice`);
      defs.set(def.name, def as unknown as JobDefinition<unknown>);
    }
  };

  return {
    define<P>(opts: JobOptions<P>) {
      const def = defineJob(opts);
      register(def as unknown as JobDefinition<never>);
      return def;
    },
    register,
    get: (name) => defs.get(name),
    names: () => [...defs.keys()],
    async enqueue(tx: Db, job: JobDefinition<unknown> | string, payload: unknown, opts: EnqueueOptions = {}) {
      const name = typeof job === "string" ? job : job.name;
      const def = defs.get(name);
      if (!def) throw new Error(`enqueue: no job is defined with the name "${name}"`);
      const inserted = await insertJob(tx, {
        name,
        payload: payload ?? {},
        maxAttempts: def.maxAttempts,
        runAt: opts.runAt,
        key: opts.key,
        orderKey: opts.orderKey,
      });
      if (inserted.created && listeners.size > 0 && (!opts.runAt || opts.runAt.getTime() <= Date.now())) afterCommit(tx, notify);
      return inserted;
    },
    schedule(name, cron, payload = {}, opts = {}) {
      const timezone = opts.timezone ?? DEFAULT_TIMEZONE;
      // Parse now, so a bad expression fails at start rather than on the first tick.
      nextSlot(cron, timezone, new Date());
      if (specs.has(name)) throw new Error(`job "${name}" is scheduled twice`);
      specs.set(name, { name, cron, timezone, payload });
    },
    schedules: () => [...specs.values()],
    onEnqueued(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
