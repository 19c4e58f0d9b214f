import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "../db/drizzle.ts";
import { testDatabase } from "../../../test/helpers/db.ts";
import { type Database, DatabaseUnavailableError } from "../db/index.ts";
import { createJobQueue } from "./define.ts";
import { claimJobs } from "./repo.ts";
import { backoffMs } from "./worker.ts";
import { jobState, sleep, testWorker, waitFor } from "./testing.ts";

describe("job worker", () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.close());

  it("runs again a job whose worker died mid-run, once its lease has expired", async () => {
    const queue = createJobQueue();
    const runs: number[] = [];
    const job = queue.define<object>({ name: "orphan.run", handler: async (_p, ctx) => void runs.push(ctx.attempt) });
    const { id } = await database.transaction((tx) => queue.enqueue(tx, job, {}));
    // A worker claims it with a one-second lease and dies: it never finishes nor extends the lease.
    const claimed = await claimJobs(database.db, { workerId: "crashed-worker", limit: 1, leaseSeconds: 1, names: ["orphan.run"] });
    assert.deepEqual(claimed.map((j) => Number(j.id)), [id]);

    const worker = testWorker(database, queue, { leaseSeconds: 1, pollMs: 50 });
    await worker.start();
    try {
      await waitFor("the orphaned job to run", async () => (await jobState(database, id)).status === "done");
    } finally {
      await worker.stop();
    }
    assert.deepEqual(runs, [2], "run once more, as its second attempt");
  });

  it("keeps the lease of a job that runs longer than the lease, so no other worker takes it", async () => {
    const queue = createJobQueue();
    let runs = 0;
    const job = queue.define<object>({
      name: "long.run",
      handler: async () => {
        runs++;
        await sleep(2500);
      },
    });
    const { id } = await database.transaction((tx) => queue.enqueue(tx, job, {}));
    const workers = [1, 2].map(() => testWorker(database, queue, { leaseSeconds: 1, pollMs: 50 }));
    for (const w of workers) await w.start();
    try {
      await waitFor("the long job to finish", async () => (await jobState(database, id)).status === "done");
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    assert.equal(runs, 1);
    assert.equal((await jobState(database, id)).attempts, 1);
  });

  it("releases the job still running at stop, and the next worker runs it at once", async () => {
    const queue = createJobQueue();
    let started = false;
    let abortedWith: unknown = null;
    const stuck = queue.define<object>({
      name: "stuck.run",
      handler: (_p, ctx) =>
        new Promise<void>((resolve) => {
          started = true;
          ctx.signal.addEventListener("abort", () => {
            abortedWith = ctx.signal.reason;
            resolve();
          });
        }),
    });
    const { id } = await database.transaction((tx) => queue.enqueue(tx, stuck, {}));
    // A lease of five minutes: only the release lets another worker have the job before then.
    const first = testWorker(database, queue, { leaseSeconds: 300, shutdownTimeoutMs: 100 });
    await first.start();
    await waitFor("the first worker to start the job", () => started);
    await first.stop();
    assert.match(String(abortedWith), /released at shutdown/);
    const released = await jobState(database, id);
    assert.equal(released.status, "queued");
    assert.equal(released.lockedBy, null);
    assert.equal(released.attempts, 0, "the interrupted run is not charged to the job");

    const next = createJobQueue();
    let ranOnNext = 0;
    next.define<object>({ name: "stuck.run", handler: async () => void ranOnNext++ });
    assert.equal(await testWorker(database, next).runOnce(), 1);
    assert.equal(ranOnNext, 1);
    assert.equal((await jobState(database, id)).status, "done");
  });

  it("lets a running job finish at stop when it does within the shutdown timeout", async () => {
    const queue = createJobQueue();
    let started = false;
    const job = queue.define<object>({
      name: "finishing.run",
      handler: async () => {
        started = true;
        await sleep(300);
      },
    });
    const { id } = await database.transaction((tx) => queue.enqueue(tx, job, {}));
    const worker = testWorker(database, queue, { shutdownTimeoutMs: 10_000 });
    await worker.start();
    await waitFor("the job to start", () => started);
    await worker.stop();
    assert.equal((await jobState(database, id)).status, "done");
  });

  it("runs jobs sharing an order key one at a time, in id order, even across a retry", async () => {
    const queue = createJobQueue();
    const running = new Map<string, number>();
    const overlaps: string[] = [];
    const finished = new Map<string, number[]>();
    let failedOnce = false;
    const job = queue.define<{ dossier: string; seq: number }>({
      name: "ordered.deliver",
      backoff: () => 100,
      handler: async ({ dossier, seq }) => {
        running.set(dossier, (running.get(dossier) ?? 0) + 1);
        if (running.get(dossier)! > 1) overlaps.push(`${dossier}#${seq}`);
        try {
          await sleep(5 + Math.floor(Math.random() * 15));
          if (dossier === "H1" && seq === 2 && !failedOnce) {
            failedOnce = true;
            throw new Error("portal busy");
          }
          finished.set(dossier, [...(finished.get(dossier) ?? []), seq]);
        } finally {
          running.set(dossier, running.get(dossier)! - 1);
        }
      },
    });
    const dossiers = ["H1", "H2", "H3"];
    await database.transaction(async (tx) => {
      for (let seq = 1; seq <= 8; seq++) {
        for (const dossier of dossiers) await queue.enqueue(tx, job, { dossier, seq }, { orderKey: `dossier:${dossier}` });
      }
    });
    const workers = [1, 2].map(() => testWorker(database, queue, { concurrency: 4, pollMs: 20 }));
    for (const w of workers) await w.start();
    try {
      await waitFor("every ordered job to finish", async () => {
        const rows = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM jobs WHERE name = 'ordered.deliver' AND status <> 'done'`,
        );
        return rows[0]?.n === 0;
      });
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    assert.equal(failedOnce, true);
    assert.deepEqual(overlaps, []);
    for (const dossier of dossiers) assert.deepEqual(finished.get(dossier), [1, 2, 3, 4, 5, 6, 7, 8], dossier);
  });

  it("does not charge a job an attempt for a database that could not serve it, and runs it again", async () => {
    const queue = createJobQueue();
    const attempts: number[] = [];
    const job = queue.define<object>({
      name: "outage.run",
      maxAttempts: 1,
      handler: async (_p, ctx) => {
        attempts.push(ctx.attempt);
        // The database restarting under the job: its one attempt must not be spent on that.
        if (attempts.length === 1) throw new DatabaseUnavailableError("restarting");
      },
    });
    const { id } = await database.transaction((tx) => queue.enqueue(tx, job, {}));
    const worker = testWorker(database, queue, { pollMs: 20 });
    assert.equal(await worker.runOnce(), 1);
    const after = await jobState(database, id);
    assert.deepEqual([after.status, after.attempts], ["queued", 0]);
    assert.match(String(after.lastError), /unavailable \(restarting\)/);
    await database.rows(sql`UPDATE jobs SET run_at = now() WHERE id = ${id}`);
    assert.equal(await worker.runOnce(), 1);
    assert.equal((await jobState(database, id)).status, "done");
    assert.deepEqual(attempts, [1, 1]);
  });

  it("runs a job enqueued in its process once the transaction commits, without waiting for its next poll", async () => {
    const queue = createJobQueue();
    const ran: string[] = [];
    const job = queue.define<{ n: string }>({ name: "woken.run", handler: async ({ n }) => void ran.push(n) });
    // A poll of ten minutes: the job runs within the wait below only if the commit wakes the worker.
    const worker = testWorker(database, queue, { pollMs: 600_000 });
    await worker.start();
    try {
      await sleep(100);
      // A rolled-back enqueue wakes nothing and leaves no job.
      await database.transaction(async (tx) => {
        await queue.enqueue(tx, job, { n: "rolled back" });
        throw new Error("undo");
      }).catch(() => undefined);
      const { id } = await database.transaction((tx) => queue.enqueue(tx, job, { n: "committed" }));
      await waitFor("the enqueued job to run", async () => (await jobState(database, id)).status === "done", 10_000);
    } finally {
      await worker.stop();
    }
    assert.deepEqual(ran, ["committed"]);
  });

  it("waits longer after each failed pass, up to five seconds (or the poll interval, when longer)", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 40].map((n) => backoffMs(1000, n)), [1000, 2000, 4000, 5000, 5000, 5000, 5000]);
    assert.deepEqual([1, 2, 9].map((n) => backoffMs(50, n)), [50, 100, 5000]);
    assert.equal(backoffMs(10_000, 3), 10_000);
  });
});
