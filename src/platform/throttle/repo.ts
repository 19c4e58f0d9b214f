// The shared throttles' counts (lookup_throttle): per key for a window from its first count, added in one statement
// for every key of a batch.
import { sql } from "../db/drizzle.ts";
import { type Db, execRows, prepared } from "../db/index.ts";
import { lookupThrottle } from "./tables.ts";

export interface ThrottleCount {
  /** The key's counts in its current window, this batch's included. */
  count: number;
  resetAt: Date;
}

const p = sql.placeholder;

// A window that has ended starts again with this batch's count; a live one adds it.
const countStatement = prepared("shared_throttle_count", (db, name) =>
  db
    .insert(lookupThrottle)
    .select(
      db
        .select({
          key: sql<string>`u.key`.as("key"),
          count: sql<number>`u.n`.as("count"),
          resetAt: sql<Date>`${p("resetAt")}::timestamptz`.as("reset_at"),
        })
        .from(sql`unnest(${p("keys")}::text[], ${p("counts")}::int[]) AS u(key, n)`),
    )
    .onConflictDoUpdate({
      target: lookupThrottle.key,
      set: {
        count: sql`CASE WHEN ${lookupThrottle.resetAt} <= ${p("now")}::timestamptz THEN excluded.count ELSE ${lookupThrottle.count} + excluded.count END`,
        resetAt: sql`CASE WHEN ${lookupThrottle.resetAt} <= ${p("now")}::timestamptz THEN excluded.reset_at ELSE ${lookupThrottle.resetAt} END`,
      },
    })
    .returning({ key: lookupThrottle.key, count: lookupThrottle.count, resetAt: lookupThrottle.resetAt })
    .prepare(name),
);

/** Adds `counts` (per key) at `now`, in one statement; returns each key's count in its window. */
export async function countInWindows(db: Db, counts: Map<string, number>, now: Date, windowMs: number): Promise<Map<string, ThrottleCount>> {
  if (counts.size === 0) return new Map();
  const rows = (await countStatement(db).execute({
    keys: [...counts.keys()],
    counts: [...counts.values()],
    now: now.toISOString(),
    resetAt: new Date(now.getTime() + windowMs).toISOString(),
  })) as Array<{ key: string; count: number; resetAt: Date | string }>;
  return new Map(rows.map((r) => [r.key, { count: r.count, resetAt: new Date(r.resetAt) }]));
}

/** Forgets the windows that ended before `before`; returns how many. */
export async function forgetEndedWindows(db: Db, before: Date): Promise<number> {
  const rows = await execRows<{ n: number }>(
    db,
    sql`WITH gone AS (DELETE FROM ${lookupThrottle} WHERE ${lookupThrottle.resetAt} < ${before.toISOString()}::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}
