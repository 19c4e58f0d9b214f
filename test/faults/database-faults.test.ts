// Database faults (issue 13, item 1) against a PostgreSQL server of the test's own (never the machine's shared
// one): the driver's failures are recognised as what they are, the database layer fails fast while the server is
// out of reach and recovers by itself, and the real `motcua start` process, under citizens filing dossiers, lives
// through a restart, killed backends and a network pause answering 503 platform.unavailable with Retry-After,
// `/healthz` saying so, with no acknowledged dossier lost or filed twice. Its own CI stage (`npm run test:faults`);
// bench/faults/run.ts makes the same faults, a full disk too, and prints the figures.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type Database, DatabaseUnavailableError, openDatabase, sql } from "../../src/platform/db/index.ts";
import { unavailability } from "../../src/platform/db/faults.ts";
import { drill, faults, type Figures, type Stack, startStack } from "../helpers/fault-drill.ts";
import { freePort } from "../helpers/net.ts";
import { type PostgresInstance, startPostgres } from "../helpers/postgres-instance.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function failure(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (err) {
    return err;
  }
  throw new Error("it did not fail");
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe("database faults", () => {
  let server: PostgresInstance;
  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.destroy());

  describe("the driver's failures, provoked on a real server (pg and pg-pool as pinned)", () => {
    it("a refused connection is unreachable", async () => {
      const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/postgres` });
      assert.deepEqual(unavailability(await failure(c.connect())), { reason: "unreachable", check: true });
    });

    it("a server that accepts and never answers is a timeout, for a client and for a pool", async () => {
      const silent = net.createServer(() => undefined);
      await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
      const url = `postgres://postgres@127.0.0.1:${(silent.address() as net.AddressInfo).port}/postgres`;
      try {
        const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 200 });
        c.on("error", () => undefined);
        assert.equal(unavailability(await failure(c.connect()))?.reason, "timeout");
        const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 200 });
        assert.equal(unavailability(await failure(pool.query("SELECT 1")))?.reason, "timeout");
        await pool.end();
      } finally {
        silent.close();
      }
    });

    it("a full pool is busy; a query unanswered in its query_timeout is a timeout; statement_timeout needs no check", async () => {
      const pool = new pg.Pool({ connectionString: server.url(), max: 1, connectionTimeoutMillis: 200 });
      const held = await pool.connect();
      assert.equal(unavailability(await failure(pool.connect()))?.reason, "busy");
      held.release();
      await pool.end();
      const c = new pg.Client({ connectionString: server.url(), query_timeout: 100 });
      await c.connect();
      assert.equal(unavailability(await failure(c.query("SELECT pg_sleep(1)")))?.reason, "timeout");
      await c.end();
      const s = new pg.Client({ connectionString: server.url(), statement_timeout: 100 });
      await s.connect();
      assert.deepEqual(unavailability(await failure(s.query("SELECT pg_sleep(1)"))), { reason: "timeout", check: false });
      await s.end();
    });

    it("a terminated session is restarting for its query, and the client's error and next query say it is gone", async () => {
      const c = new pg.Client({ connectionString: server.url(), application_name: "doomed" });
      const errors: unknown[] = [];
      c.on("error", (err) => errors.push(err));
      await c.connect();
      const pending = failure(c.query("SELECT pg_sleep(5)"));
      await until("the session to run", async () => (await server.backends("doomed", true)).length === 1);
      await server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'doomed'");
      assert.equal(unavailability(await pending)?.reason, "restarting");
      await until("the client's error", () => errors.length > 0);
      assert.ok(errors.every((e) => unavailability(e) !== null), String(errors));
      assert.equal(unavailability(await failure(c.query("SELECT 1")))?.reason, "unreachable");
    });
  });

  describe("the database layer", () => {
    let proxy: TcpProxy;
    let database: Database;
    before(async () => {
      proxy = await startTcpProxy({ host: "127.0.0.1", port: server.port });
      database = await openDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`, pgliteDir: null, poolMax: 4, heartbeatMs: 200 });
    });
    after(async () => {
      await database?.close();
      await proxy?.close();
    });

    it("survives the loss of a connection handed out of the pool, mid-transaction", async () => {
      // The process used to end here: node-postgres emits a lost connection's error on its client, and the
      // pool handled it only for idle ones.
      const outcome = failure(
        database.transaction(async (tx) => {
          await tx.execute(sql`SELECT 1`);
          await server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'motcua'");
          await sleep(200);
          await tx.execute(sql`SELECT 2`);
        }),
      );
      assert.ok(unavailability(await outcome), "the transaction fails as unavailable");
      await until("the next transaction to work", async () => (await database.transaction((tx) => tx.execute(sql`SELECT 1`)).then(() => true, () => false)));
      assert.equal(database.health.problem, null);
    });

    it("fails at once while the server does not answer, and serves again once it does", async () => {
      proxy.pause();
      try {
        await until("the heartbeat to find the server silent", () => database.health.problem?.reason === "timeout", 3000);
        const started = Date.now();
        const err = await failure(database.rows(sql`SELECT 1`));
        assert.ok(Date.now() - started < 100, "no wait on a silent network");
        assert.equal(unavailability(err)?.reason, "timeout");
        assert.ok(await failure(database.transaction(async () => undefined)) instanceof DatabaseUnavailableError);
        assert.equal((await database.health.check())?.reason, "timeout");
      } finally {
        proxy.resume();
      }
      await until("the database to serve again", () => database.health.problem === null, 5000);
      assert.deepEqual(await database.rows(sql`SELECT 1 AS one`), [{ one: 1 }]);
      assert.equal(await database.health.check(), null);
    });
  });

  describe("the motcua process, filing dossiers, through", () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack();
    });
    after(() => stack?.stop());

    /** What every fault must leave: the process running, nothing acknowledged lost or doubled, only 503 platform.unavailable with Retry-After as failures, filings acknowledged again. */
    function survived(f: Figures): void {
      const context = `${JSON.stringify(f)}\n${stack.server.output().slice(-3000)}`;
      assert.equal(f.alive, true, context);
      assert.equal(f.lost, 0, context);
      assert.equal(f.duplicated, 0, context);
      assert.deepEqual(f.otherFailures, {}, context);
      assert.equal(f.withoutRetryAfter, 0, context);
      assert.ok(f.recoverySeconds !== null && f.recoverySeconds < 10, context);
      assert.ok(f.acknowledged > 0, context);
    }

    it("a PostgreSQL stop and start: 503 platform.unavailable and /healthz 503 while it is down, both back by themselves", async () => {
      const f = await drill(stack, "stop, 3 s down, start", faults.stopAndStart(stack, 3), { workers: 4, warmMs: 1000, settleMs: 500 });
      survived(f);
      assert.ok(f.unavailable > 0, JSON.stringify(f));
      assert.ok(f.healthReasons.length > 0, "/healthz answered 503 while the server was down");
      assert.ok(f.healthRecoverySeconds !== null && f.healthRecoverySeconds < 5, JSON.stringify(f));
      assert.ok(f.slowestFailureMs < 1000, `refused connections fail fast: ${f.slowestFailureMs} ms`);
    });

    it("a PostgreSQL restart (pg_ctl restart -m fast)", async () => {
      survived(await drill(stack, "restart", faults.restart(stack), { workers: 4, warmMs: 1000, settleMs: 500 }));
    });

    it("pg_terminate_backend of every connection of the application", async () => {
      survived(await drill(stack, "terminate", faults.terminateBackends(stack), { workers: 4, warmMs: 1000, settleMs: 500 }));
    });

    it("kill -9 of a backend (the server ends every session and recovers)", async () => {
      survived(await drill(stack, "kill -9", faults.killBackend(stack), { workers: 4, warmMs: 1000, settleMs: 500 }));
    });

    it("a network pause of 6 s: failures within the heartbeat's timeout, fast ones after, /healthz 503 then 200", async () => {
      const f = await drill(stack, "pause 6 s", faults.pause(stack, 6), { workers: 4, warmMs: 1000, settleMs: 500 });
      survived(f);
      assert.ok(f.unavailable > 0, JSON.stringify(f));
      assert.deepEqual(f.healthReasons, ["timeout"], JSON.stringify(f));
      assert.ok(f.healthRecoverySeconds !== null && f.healthRecoverySeconds < 5, JSON.stringify(f));
      // A request caught in the pause waits for the heartbeat to find the server silent (2 s), not for the pause.
      assert.ok(f.slowestFailureMs < 4000, `slowest failure ${f.slowestFailureMs} ms`);
      assert.ok(f.medianFailureMs < 500, `median failure ${f.medianFailureMs} ms`);
    });
  });
});
