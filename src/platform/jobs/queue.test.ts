import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "../db/drizzle.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { runCommand } from "../../cli/commands.ts";
import "./commands.ts";
import { createJobQueue, exponentialBackoff, PermanentJobError } from "./define.ts";
import { pruneJobsJob } from "./housekeeping.ts";
import { failQueuedJob } from "./repo.ts";
import { jobState, testWorker } from "./testing.ts";

describe("job queue", () => {
  let env: TestEnv;
  before(async () => {
    env = await testContext();
  });
  after(() => env.close());

  it("never runs a job enqueued in a rolled-back transaction, and runs a committed one", async () => {
    const queue = createJobQueue();
    const ran: string[] = [];
    const job = queue.define<{ tag: string }>({ name: "rollback.run", handler: async (p) => void ran.push(p.tag) });
    await assert.rejects(
      env.database.transaction(async (tx) => {
        await queue.enqueue(tx, job, { tag: "rolled back" });
        throw new Error("the change fails");
      }),
      /the change fails/,
    );
    await env.database.transaction((tx) => queue.enqueue(tx, job, { tag: "committed" }));
    const worker = testWorker(env.database, queue);
    assert.equal(await worker.runOnce(), 1);
    assert.equal(await worker.runOnce(), 0);
    assert.deepEqual(ran, ["committed"]);
    const rows = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM jobs WHERE name = 'rollback.run'`);
    assert.equal(rows[0]?.n, 1);
  });

  it("adds nothing when the idempotency key was used before", async () => {
    const queue = createJobQueue();
    let runs = 0;
    const job = queue.define<{ n: number }>({ name: "idem.run", handler: async () => void runs++ });
    const first = await env.database.transaction((tx) => queue.enqueue(tx, job, { n: 1 }, { key: "idem:1" }));
    const again = await env.database.transaction((tx) => queue.enqueue(tx, job, { n: 2 }, { key: "idem:1" }));
    assert.equal(first.created, true);
    assert.deepEqual(again, { id: first.id, created: false });
    await testWorker(env.database, queue).runOnce();
    // Still a no-op once the first job is done: the key is spent.
    const late = await env.database.transaction((tx) => queue.enqueue(tx, job, { n: 3 }, { key: "idem:1" }));
    assert.deepEqual(late, { id: first.id, created: false });
    assert.equal(await testWorker(env.database, queue).runOnce(), 0);
    assert.equal(runs, 1);
  });

  it("marks a queued job dead for another run that found its work cannot be done, and only a queued one", async () => {
    const queue = createJobQueue();
    let runs = 0;
    const job = queue.define<Record<string, never>>({ name: "failed.elsewhere", handler: async () => void runs++ });
    const { id } = await env.database.transaction((tx) => queue.enqueue(tx, job, {}));
    assert.equal(await failQueuedJob(env.database.db, id, "refused for good by its peer"), true);
    assert.equal(await testWorker(env.database, queue).runOnce(), 0, "not run");
    const [row] = await env.database.rows<{ status: string; last_error: string }>(sql`SELECT status, last_error FROM jobs WHERE id = ${id}`);
    assert.deepEqual(row, { status: "dead", last_error: "refused for good by its peer" });
    assert.equal(await failQueuedJob(env.database.db, id, "again"), false, "a job that is not queued is left as it is");
    assert.equal(runs, 0);
  });

  it("refuses to enqueue a job no definition has", async () => {
    const queue = createJobQueue();
    await assert.rejects(
      env.database.transaction((tx) => queue.enqueue(tx, "nobody.defines_this", {})),
      /no job is defined/,
    );
  });

  it("retries a failing job after a backoff, then dead-letters it with its error", async () => {
    const queue = createJobQueue();
    let calls = 0;
    const job = queue.define<{ citizenId: string }>({
      name: "failing.run",
      maxAttempts: 3,
      backoff: () => 60_000,
      handler: async () => {
        calls++;
        throw new Error(`peer refused (call ${calls})`);
      },
    });
    const { id } = await env.database.transaction((tx) => queue.enqueue(tx, job, { citizenId: "001099012345" }));
    const worker = testWorker(env.database, queue);

    assert.equal(await worker.runOnce(), 1);
    let state = await jobState(env.database, id);
    assert.equal(state.status, "queued");
    assert.equal(state.attempts, 1);
    assert.equal(state.lastError, "peer refused (call 1)");
    assert.equal(state.due, false, "the retry waits for its backoff");
    assert.equal(await worker.runOnce(), 0, "not run again before the backoff has passed");

    for (const attempt of [2, 3]) {
      await env.database.rows(sql`UPDATE jobs SET run_at = now() WHERE id = ${id}`); // the backoff passes
      assert.equal(await worker.runOnce(), 1);
      state = await jobState(env.database, id);
      assert.equal(state.attempts, attempt);
    }
    assert.equal(state.status, "dead");
    assert.equal(state.lastError, "peer refused (call 3)");
    assert.equal(state.lockedBy, null);
    await env.database.rows(sql`UPDATE jobs SET run_at = now() WHERE id = ${id}`);
    assert.equal(await worker.runOnce(), 0, "a dead job stays dead");
    assert.equal(calls, 3);
    const raw = await env.database.rows<{ last_error: string }>(sql`SELECT last_error FROM jobs WHERE id = ${id}`);
    assert.doesNotMatch(raw[0]!.last_error, /001099012345/, "the error keeps no payload data");
  });

  it("dead-letters at once a job whose handler says retrying cannot help", async () => {
    const queue = createJobQueue();
    const job = queue.define<object>({
      name: "permanent.run",
      handler: async () => {
        throw new PermanentJobError("the portal rejects this message as malformed");
      },
    });
    const { id } = await env.database.transaction((tx) => queue.enqueue(tx, job, {}));
    await testWorker(env.database, queue).runOnce();
    const state = await jobState(env.database, id);
    assert.equal(state.status, "dead");
    assert.equal(state.attempts, 1);
    assert.equal(state.lastError, "PermanentJobError: the portal rejects this message as malformed");
  });

  it("fails a run that passes its timeout and aborts its signal", async () => {
    const queue = createJobQueue();
    let aborted = false;
    const job = queue.define<object>({
      name: "slow.run",
      timeoutMs: 50,
      backoff: () => 60_000,
      handler: (_p, ctx) =>
        new Promise<void>((resolve) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
    });
    const { id } = await env.database.transaction((tx) => queue.enqueue(tx, job, {}));
    await testWorker(env.database, queue).runOnce();
    const state = await jobState(env.database, id);
    assert.equal(state.status, "queued");
    assert.equal(state.lastError, "timed out after 50 ms");
    assert.equal(aborted, true);
  });

  it("backs off exponentially with jitter, up to a cap", () => {
    const backoff = exponentialBackoff({ baseMs: 1000, maxMs: 60_000 });
    for (let i = 0; i < 200; i++) {
      const first = backoff(1);
      assert.ok(first >= 500 && first <= 1000, `first retry ${first}`);
      const fourth = backoff(4);
      assert.ok(fourth >= 4000 && fourth <= 8000, `fourth retry ${fourth}`);
      const late = backoff(30);
      assert.ok(late >= 30_000 && late <= 60_000, `capped retry ${late}`);
    }
    const spread = new Set(Array.from({ length: 50 }, () => backoff(5)));
    assert.ok(spread.size > 1, "jittered");
  });

  it("lists dead jobs and retries one from the CLI", async () => {
    let fail = true;
    const job = env.ctx.jobs.define<object>({
      name: "cli.run",
      maxAttempts: 1,
      handler: async () => {
        if (fail) throw new Error("mail server unreachable");
      },
    });
    const { id } = await env.database.transaction((tx) => env.ctx.jobs.enqueue(tx, job, {}));
    await testWorker(env.database, env.ctx.jobs).runOnce();

    let output = "";
    const out = { write: (t: string) => void (output += t) };
    assert.equal(await runCommand(env.ctx, ["jobs", "list", "--status", "dead"], out), 0);
    const line = output.split("\n").find((l) => l.startsWith(`${id} `));
    assert.ok(line, output);
    assert.match(line, /cli\.run\s+dead\s+1\/1 .* mail server unreachable$/);
    assert.equal(await runCommand(env.ctx, ["jobs", "list", "--status", "limbo"], out), 2);

    output = "";
    assert.equal(await runCommand(env.ctx, ["jobs", "retry", String(id)], out), 0);
    assert.equal((await jobState(env.database, id)).status, "queued");
    assert.equal(await runCommand(env.ctx, ["jobs", "retry", String(id)], out), 1, "only a dead job can be retried");
    fail = false;
    await testWorker(env.database, env.ctx.jobs).runOnce();
    const state = await jobState(env.database, id);
    assert.equal(state.status, "done");
    assert.equal(state.attempts, 1);
  });

  it("prunes jobs finished longer ago than the retention, keeping recent and dead ones", async () => {
    const queue = createJobQueue();
    queue.register(pruneJobsJob);
    const job = queue.define<{ n: number }>({ name: "prune.sample", handler: async () => undefined });
    const ids: number[] = [];
    for (let n = 0; n < 3; n++) ids.push((await env.database.transaction((tx) => queue.enqueue(tx, job, { n }))).id);
    const worker = testWorker(env.database, queue);
    while ((await worker.runOnce()) > 0);
    // The first finished long ago; the second recently; the third is dead.
    await env.database.rows(sql`UPDATE jobs SET finished_at = now() - interval '31 days' WHERE id = ${ids[0]}`);
    await env.database.rows(sql`UPDATE jobs SET status = 'dead', finished_at = now() - interval '90 days' WHERE id = ${ids[2]}`);
    await env.database.transaction((tx) => queue.enqueue(tx, pruneJobsJob, {}));
    assert.equal(await worker.runOnce(), 1);
    const left = await env.database.rows<{ id: number }>(
      sql`SELECT id FROM jobs WHERE name = 'prune.sample' ORDER BY id`,
    );
    assert.deepEqual(left.map((r) => r.id), [ids[1], ids[2]]);
    assert.ok(env.ctx.jobs.schedules().some((s) => s.name === "jobs.prune"));
  });
});
