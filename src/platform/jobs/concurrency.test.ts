import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "../db/drizzle.ts";
import { testDatabase } from "../../../test/helpers/db.ts";
import { type Database, execRows } from "../db/index.ts";
import { createJobQueue } from "./define.ts";
import { secondPool, sleep, testWorker, waitFor } from "./testing.ts";

describe("two workers on PostgreSQL", () => {
  let database: Database;
  let other: Database | null;
  before(async () => {
    database = await testDatabase();
    other = await secondPool(database);
  });
  after(async () => {
    await other?.close();
    await database.close();
  });

  it("never run the same job at once: each of 300 jobs runs exactly once", async (t) => {
    if (!other) {
      // PGlite is one process's single connection: two workers cannot race there. CI runs this on PostgreSQL.
      t.diagnostic("PostgreSQL only (set DATABASE_URL): PGlite cannot host two workers with separate connections");
      return;
    }
    // A second run of a job fails on the primary key, and with one attempt it would end dead.
    await database.rows(sql`CREATE TABLE job_runs (job_id bigint PRIMARY KEY, worker text NOT NULL)`);
    const calls = new Map<number, number>();
    const makeQueue = (worker: string) => {
      const queue = createJobQueue();
      queue.define<{ n: number }>({
        name: "race.run",
        maxAttempts: 1,
        handler: async (_p, ctx) => {
          calls.set(ctx.id, (calls.get(ctx.id) ?? 0) + 1);
          await execRows(ctx.database.db, sql`INSERT INTO job_runs (job_id, worker) VALUES (${ctx.id}, ${worker})`);
          await sleep(2 + Math.floor(Math.random() * 6));
        },
      });
      return queue;
    };
    const workers = [
      testWorker(database, makeQueue("a"), { concurrency: 4, pollMs: 10 }),
      testWorker(other, makeQueue("b"), { concurrency: 4, pollMs: 10 }),
    ];
    for (const w of workers) await w.start();
    const queue = makeQueue("enqueuer");
    try {
      await database.transaction(async (tx) => {
        for (let n = 0; n < 300; n++) await queue.enqueue(tx, "race.run", { n });
      });
      await waitFor(
        "all 300 jobs to finish",
        async () => {
          const rows = await database.rows<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM jobs WHERE name = 'race.run' AND status IN ('queued', 'running')`,
          );
          return rows[0]?.n === 0;
        },
        60_000,
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    const statuses = await database.rows<{ status: string; n: number }>(
      sql`SELECT status, count(*)::int AS n FROM jobs WHERE name = 'race.run' GROUP BY status`,
    );
    assert.deepEqual(statuses, [{ status: "done", n: 300 }]);
    assert.equal(calls.size, 300);
    assert.deepEqual([...new Set(calls.values())], [1], "no job ran twice");
    const perWorker = await database.rows<{ worker: string; n: number }>(
      sql`SELECT worker, count(*)::int AS n FROM job_runs GROUP BY worker ORDER BY worker`,
    );
    assert.equal(perWorker.reduce((s, r) => s + r.n, 0), 300);
    assert.deepEqual(perWorker.map((r) => r.worker), ["a", "b"], "both workers took a share");
  });
});
