import { bigint, boolean, check, index, integer, jsonb, pgTable, sql, text, timestamp } from "../db/drizzle.ts";

/**
 * The job queue and outbox: a job is a row written in the transaction of the change that causes it,
 * so it exists exactly when that change does. Workers claim rows with `FOR UPDATE SKIP LOCKED`.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    payload: jsonb("payload").notNull().default({}),
    status: text("status").notNull().default("queued"),
    /** Runs started so far, counted when a worker claims the job (a worker dying mid-run uses one). */
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    /** The claiming worker's lease; once past while `running`, the worker is presumed dead. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lockedBy: text("locked_by"),
    /** The last failure's message only: never the payload, which may hold personal data. */
    lastError: text("last_error"),
    /** Idempotency key: a second enqueue with the same key adds nothing. */
    key: text("key").unique("jobs_key_key"),
    /** Jobs sharing an order key run one at a time, in id order (e.g. messages of one dossier). */
    orderKey: text("order_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    check("jobs_status_valid", sql`${t.status} IN ('queued', 'running', 'done', 'dead')`),
    check("jobs_attempts_valid", sql`${t.attempts} >= 0 AND ${t.maxAttempts} >= 1`),
    // The claim: due queued jobs in run_at order.
    index("jobs_due_idx").on(t.runAt, t.id).where(sql`${t.status} = 'queued'`),
    // The reaper: running jobs whose lease has run out.
    index("jobs_lease_idx").on(t.lockedUntil).where(sql`${t.status} = 'running'`),
    // The order check: an unfinished earlier job with the same order key holds back the later ones.
    index("jobs_order_idx").on(t.orderKey, t.id).where(sql`${t.orderKey} IS NOT NULL AND ${t.status} <> 'done'`),
    // `motcua jobs list --status dead`: the dead letters, few among many done jobs.
    index("jobs_dead_idx").on(t.id).where(sql`${t.status} = 'dead'`),
  ],
);

/** Recurring jobs (cron syntax), registered in code and upserted when a worker starts. */
export const jobSchedules = pgTable(
  "job_schedules",
  {
    /** The job definition's name; one schedule per job. */
    name: text("name").primaryKey(),
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull().default("Asia/Ho_Chi_Minh"),
    payload: jsonb("payload").notNull().default({}),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }).notNull(),
    /** An operator may switch a schedule off; restarts keep that choice. */
    enabled: boolean("enabled").notNull().default(true),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("job_schedules_due_idx").on(t.nextRunAt).where(sql`${t.enabled}`)],
);
