import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "../db/drizzle.ts";
import { testDatabase } from "../../../test/helpers/db.ts";
import type { Database } from "../db/index.ts";
import { createJobQueue, nextSlot } from "./define.ts";
import { secondPool, testWorker, waitFor } from "./testing.ts";

interface ScheduleRow {
  cron: string;
  enabled: boolean;
  nextRunAt: Date;
}

async function scheduleRow(database: Database, name: string): Promise<ScheduleRow> {
  const rows = await database.rows<ScheduleRow>(
    sql`SELECT cron, enabled, next_run_at AS "nextRunAt" FROM job_schedules WHERE name = ${name}`,
  );
  assert.ok(rows[0], `schedule ${name}`);
  return { ...rows[0], nextRunAt: new Date(rows[0].nextRunAt) };
}

async function jobKeys(database: Database, name: string): Promise<string[]> {
  const rows = await database.rows<{ key: string }>(sql`SELECT key FROM jobs WHERE name = ${name} ORDER BY id`);
  return rows.map((r) => r.key);
}

describe("recurring jobs", () => {
  let database: Database;
  // On PostgreSQL the second worker has its own pool, as a second process would.
  let other: Database | null;
  before(async () => {
    database = await testDatabase();
    other = await secondPool(database);
  });
  after(async () => {
    await other?.close();
    await database.close();
  });

  it("computes slots in Vietnam's time zone", () => {
    // 03:00 in Hà Nội is 20:00 UTC the day before.
    assert.equal(nextSlot("0 3 * * *", "Asia/Ho_Chi_Minh", new Date("2026-01-01T00:00:00Z")).toISOString(), "2026-01-01T20:00:00.000Z");
    assert.equal(nextSlot("0 3 * * *", "Asia/Ho_Chi_Minh", new Date("2026-01-01T20:00:00Z")).toISOString(), "2026-01-02T20:00:00.000Z");
    assert.throws(() => createJobQueue().schedule("x.y", "not a cron"));
  });

  it("enqueues a due schedule's job exactly once per slot with two workers ticking at once", async () => {
    const makeQueue = () => {
      const queue = createJobQueue();
      queue.define<{ scope: string }>({ name: "report.nightly", handler: async () => undefined });
      queue.schedule("report.nightly", "0 3 * * *", { scope: "all" });
      return queue;
    };
    // Not started: the test drives the ticks, so no loop takes a slot behind its back.
    const a = testWorker(database, makeQueue());
    const b = testWorker(other ?? database, makeQueue());
    await Promise.all([a.writeSchedules(), b.writeSchedules()]);
    const written = await scheduleRow(database, "report.nightly");
    assert.ok(written.nextRunAt.getTime() > Date.now() - 5000, "the first slot is in the future");
    assert.equal(written.nextRunAt.getUTCHours(), 20);

    const slots = ["2026-03-01T20:00:00.000Z", "2026-03-02T20:00:00.000Z"];
    for (const slot of slots) {
      // As if no worker ran since that slot.
      await database.rows(sql`UPDATE job_schedules SET next_run_at = ${slot} WHERE name = 'report.nightly'`);
      const ticks = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).tickSchedules()));
      assert.equal(ticks.reduce((s, n) => s + n, 0), 1, `one tick took slot ${slot}`);
      const after = await scheduleRow(database, "report.nightly");
      assert.ok(after.nextRunAt.getTime() > Date.now(), "next run moved past now, missed slots skipped");
      assert.equal(after.nextRunAt.getUTCHours(), 20);
    }
    assert.deepEqual(await jobKeys(database, "report.nightly"), slots.map((s) => `cron:report.nightly:${s}`));
    const payloads = await database.rows<{ payload: unknown }>(sql`SELECT payload FROM jobs WHERE name = 'report.nightly'`);
    assert.deepEqual(payloads.map((p) => p.payload), [{ scope: "all" }, { scope: "all" }]);
  });

  it("runs a schedule's job from the worker loop", async () => {
    const queue = createJobQueue();
    let runs = 0;
    queue.define<object>({ name: "tick.every_second", handler: async () => void runs++ });
    queue.schedule("tick.every_second", "* * * * * *");
    const worker = testWorker(database, queue, { pollMs: 20 });
    await worker.start();
    try {
      await waitFor("the scheduled job to run", () => runs > 0);
    } finally {
      await worker.stop();
    }
  });

  it("keeps an operator's switch-off and the next run across restarts; a new cron takes effect", async () => {
    const queue = (cron: string) => {
      const q = createJobQueue();
      q.define<object>({ name: "cleanup.daily", handler: async () => undefined });
      q.schedule("cleanup.daily", cron);
      return q;
    };
    await testWorker(database, queue("0 2 * * *")).writeSchedules();
    const first = await scheduleRow(database, "cleanup.daily");
    await database.rows(sql`UPDATE job_schedules SET enabled = false, next_run_at = now() - interval '1 hour' WHERE name = 'cleanup.daily'`);

    const restarted = testWorker(database, queue("0 2 * * *"));
    await restarted.writeSchedules();
    const kept = await scheduleRow(database, "cleanup.daily");
    assert.equal(kept.enabled, false);
    assert.ok(kept.nextRunAt < first.nextRunAt, "the stored next run stays");
    assert.equal(await restarted.tickSchedules(), 0, "a switched-off schedule enqueues nothing");

    await testWorker(database, queue("30 4 * * *")).writeSchedules();
    const moved = await scheduleRow(database, "cleanup.daily");
    assert.equal(moved.cron, "30 4 * * *");
    assert.equal(moved.enabled, false);
    assert.equal(moved.nextRunAt.getUTCHours() * 60 + moved.nextRunAt.getUTCMinutes(), 21 * 60 + 30);
    assert.deepEqual(await jobKeys(database, "cleanup.daily"), []);
  });

  it("refuses to start with a schedule for a job no definition has", async () => {
    const queue = createJobQueue();
    queue.schedule("ghost.run", "0 * * * *");
    await assert.rejects(testWorker(database, queue).start(), /no job is defined/);
  });
});
