// Signals between nodes: heard once the change commits, never for a rollback, by this node at once and by the
// others through LISTEN; after a lost LISTEN connection a node comes back and forgets everything.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { serverDatabase, testDatabase } from "../../test/helpers/db.ts";
import { type Database, sql } from "./db/index.ts";
import { createSignals, SIGNAL_CHANNEL, type Signals } from "./signals.ts";

declare module "./signals.ts" {
  interface SignalMap {
    "test.changed": string;
  }
}

/** Waits (bounded) until `check` holds; the test fails when it never does. */
async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const failOnError = (err: Error, context: string) => {
  throw new Error(`${context}: ${err.message}`);
};

describe("signals on this node", () => {
  let database: Database;
  let signals: Signals;
  const heard: Array<string | null> = [];
  before(async () => {
    database = await testDatabase();
    signals = createSignals({ kind: database.kind, databaseUrl: null, onError: failOnError });
    signals.on("test.changed", (payload) => heard.push(payload));
  });
  after(() => database.close());

  it("are heard once the transaction commits, never for one that rolls back, and at once outside one", async () => {
    await database.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      await signals.send(tx, "test.changed", "a");
      assert.deepEqual(heard, [], "not before the commit");
    });
    assert.deepEqual(heard, ["a"]);
    await assert.rejects(
      database.transaction(async (tx) => {
        await signals.send(tx, "test.changed", "rolled back");
        throw new Error("no");
      }),
    );
    await signals.send(database.db, "test.changed", "b");
    assert.deepEqual(heard, ["a", "b"]);
  });
});

describe("signals between nodes (PostgreSQL)", () => {
  let database: Database;
  let url: string;
  let sender: Signals;
  let receiver: Signals;
  const sent: Array<string | null> = [];
  const received: Array<string | null> = [];
  const problems: string[] = [];
  before(async () => {
    ({ database, url } = await serverDatabase());
    // The LISTEN connections are cut below on purpose: the problems they report then are expected.
    sender = createSignals({ kind: "postgres", databaseUrl: url, onError: (err, context) => problems.push(`${context}: ${err.message}`) });
    receiver = createSignals({ kind: "postgres", databaseUrl: url, onError: (err, context) => problems.push(`${context}: ${err.message}`) });
    sender.on("test.changed", (p) => sent.push(p));
    receiver.on("test.changed", (p) => received.push(p));
    await sender.start();
    await receiver.start();
  });
  after(async () => {
    await sender.stop();
    await receiver.stop();
    await database.close();
  });

  it("reach another node only once the transaction commits, in the order committed, and the sender only once", async () => {
    const signals = (tx: Parameters<Signals["send"]>[0], p: string) => sender.send(tx, "test.changed", p);
    let releaseTx: () => void = () => undefined;
    const held = new Promise<void>((r) => (releaseTx = r));
    const tx1 = database.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      await signals(tx, "first");
      await held;
    });
    await assert.rejects(
      database.transaction(async (tx) => {
        await signals(tx, "rolled back");
        await tx.execute(sql`SELECT 1`);
        throw new Error("no");
      }),
    );
    // The first transaction is still open: nothing of it may have been heard anywhere.
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(received, []);
    releaseTx();
    await tx1;
    await signals(database.db, "second");
    await eventually(() => received.length >= 2, "the receiver hears both signals");
    assert.deepEqual(received, ["first", "second"]);
    // The sender heard its own at its commits, and not again through LISTEN.
    await database.transaction((tx) => signals(tx, "third"));
    await eventually(() => received.length === 3, "the receiver hears the third");
    assert.deepEqual(sent, ["first", "second", "third"]);
    assert.deepEqual(problems, []);
  });

  it("come back after the LISTEN connection is lost, telling subscribers to forget everything meanwhile", async () => {
    received.length = 0;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = $1`,
        [`LISTEN ${SIGNAL_CHANNEL}`],
      );
      assert.ok(killed.rowCount! >= 2, "both nodes' LISTEN connections were cut");
    } finally {
      await admin.end();
    }
    // A change made while it was down cannot be heard: the receiver is told to forget everything instead.
    await eventually(() => received.includes(null), "the receiver forgets everything once listening again");
    await sender.send(database.db, "test.changed", "after");
    await eventually(() => received.includes("after"), "signals are heard again");
  });
});
