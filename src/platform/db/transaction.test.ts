// Database.transaction: statements queued with runAtCommit commit with the transaction or not at all.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testDatabase } from "../../../test/helpers/db.ts";
import { eq } from "drizzle-orm";
import { integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterCommit, type Database, type Db, literal, literalInsert, prepared, runAtCommit, sql } from "./index.ts";

const probe = pgTable("tx_probe", { id: integer("id").primaryKey(), note: text("note") });
const letters = pgTable("tx_letters", {
  id: integer("id").primaryKey(),
  note: text("note"),
  sentAt: timestamp("sent_at", { withTimezone: true }),
  body: jsonb("body").$type<Record<string, unknown>>(),
  copies: integer("copies").notNull().default(1),
});

describe("transactions", () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
    await database.rows(sql`CREATE TABLE tx_probe (id int PRIMARY KEY, note text)`);
    await database.rows(sql`CREATE SEQUENCE tx_order`);
    await database.rows(sql`CREATE TABLE tx_letters (id int PRIMARY KEY, note text, sent_at timestamptz, body jsonb, copies int NOT NULL DEFAULT 1)`);
  });
  after(() => database.close());

  const count = async () => (await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM tx_probe`))[0]?.n;

  it("runs queued statements with the commit", async () => {
    await database.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO tx_probe VALUES (1, 'a')`);
      assert.equal(runAtCommit(tx, `INSERT INTO tx_probe VALUES (2, ${literal("it's \\ quoted")})`), true);
    });
    const rows = await database.rows<{ note: string }>(sql`SELECT note FROM tx_probe WHERE id = 2`);
    assert.equal(rows[0]?.note, "it's \\ quoted");
  });

  it("a failing queued statement rolls the whole transaction back", async () => {
    const before = await count();
    await assert.rejects(
      database.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO tx_probe VALUES (3, 'b')`);
        runAtCommit(tx, "INSERT INTO tx_probe VALUES (1, 'duplicate key')");
      }),
    );
    assert.equal(await count(), before);
  });

  it("a throw drops the queued statements", async () => {
    const before = await count();
    await assert.rejects(
      database.transaction(async (tx) => {
        runAtCommit(tx, "INSERT INTO tx_probe VALUES (4, 'c')");
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(await count(), before);
  });

  it("outside a transaction nothing is queued", () => {
    assert.equal(runAtCommit(database.db, "SELECT 1"), false);
  });

  it("builds a prepared statement once per connection, not once per transaction", async () => {
    let built = 0;
    const noteOf = prepared("tx_probe_note", (db, name) => {
      built++;
      return db.select({ note: probe.note }).from(probe).where(eq(probe.id, sql.placeholder("id"))).prepare(name);
    });
    assert.deepEqual(await noteOf(database.db).execute({ id: 2 }), [{ note: "it's \\ quoted" }]);
    assert.deepEqual(await noteOf(database.db).execute({ id: 1 }), [{ note: "a" }]);
    assert.equal(built, 1, "the pool's statement is reused");
    // Ten transactions one after another: on PostgreSQL the pool hands out the same idle connection, on PGlite
    // there is one; each transaction has a handle of its own, the connection's statement stays.
    const handles = new Set<Db>();
    for (let i = 0; i < 10; i++) {
      await database.transaction(async (tx) => {
        handles.add(tx);
        assert.deepEqual(await noteOf(tx).execute({ id: 1 }), [{ note: "a" }]);
      });
    }
    assert.equal(handles.size, 10);
    assert.equal(built, 2, "one more for the connection, not one per transaction");
    assert.throws(() => prepared("tx_probe_note", () => noteOf(database.db)), /defined twice/);
  });

  it("a transaction's handle kept past its end reaches no other transaction", async () => {
    const noteOf = prepared("tx_probe_note_after", (db, name) => db.select({ note: probe.note }).from(probe).where(eq(probe.id, sql.placeholder("id"))).prepare(name));
    let kept: Db | null = null;
    await database.transaction(async (tx) => {
      kept = tx;
    });
    const stale = kept as unknown as Db;
    assert.throws(() => noteOf(stale), /transaction has ended/);
    const before = await count();
    await database.transaction(async (tx) => {
      // Another transaction is open now (on PostgreSQL, on the same pooled connection): the old handle cannot
      // queue a statement into its COMMIT, nor use its prepared statements.
      assert.equal(runAtCommit(stale, "INSERT INTO tx_probe VALUES (9, 'stray')"), false);
      assert.throws(() => noteOf(stale), /transaction has ended/);
      await tx.execute(sql`SELECT 1`);
    });
    assert.equal(await count(), before, "nothing stray was committed");
    if (database.kind === "pglite") {
      await assert.rejects(stale.execute(sql`SELECT 1`), (err: Error) => /transaction has ended/.test(String((err.cause as Error | undefined)?.message)));
    }
  });

  it("runs after-commit work once the transaction has committed, and none when it rolls back", async () => {
    const seen: string[] = [];
    await database.transaction(async (tx) => {
      afterCommit(tx, () => seen.push("after"));
      seen.push("inside");
    });
    assert.deepEqual(seen, ["inside", "after"]);
    await assert.rejects(
      database.transaction(async (tx) => {
        afterCommit(tx, () => seen.push("rolled back"));
        runAtCommit(tx, "INSERT INTO tx_probe VALUES (1, 'duplicate key')");
      }),
    );
    assert.deepEqual(seen, ["inside", "after"], "a COMMIT that fails runs nothing");
    afterCommit(database.db, () => seen.push("at once"));
    assert.deepEqual(seen, ["inside", "after", "at once"]);
  });

  it("sends a transaction of queued statements alone as one message: BEGIN, the statements, COMMIT", async (t) => {
    // What is sent is seen on PostgreSQL (the embedded database has no round trips); what is stored on both.
    const onServer = database.kind === "postgres";
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    t.mock.method(pg.Client.prototype, "query", function (this: pg.Client, ...args: unknown[]) {
      const first = args[0];
      sent.push(typeof first === "string" ? first : String((first as { text?: string }).text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    });
    await database.transaction(async (tx) => {
      runAtCommit(tx, "INSERT INTO tx_letters (id, note) VALUES (100, 'one')");
      runAtCommit(tx, "INSERT INTO tx_letters (id, note) VALUES (101, 'two')");
    });
    if (onServer) {
      assert.deepEqual(sent, ["BEGIN;\nINSERT INTO tx_letters (id, note) VALUES (100, 'one');\nINSERT INTO tx_letters (id, note) VALUES (101, 'two');\nCOMMIT"]);
    }
    sent.length = 0;
    await database.transaction(async () => {});
    assert.deepEqual(sent, [], "a transaction that did nothing costs nothing");
    await assert.rejects(
      database.transaction(async (tx) => {
        runAtCommit(tx, "INSERT INTO tx_letters (id, note) VALUES (102, 'three')");
        runAtCommit(tx, "INSERT INTO tx_letters (id, note) VALUES (100, 'duplicate')");
      }),
    );
    if (onServer) assert.equal(sent.at(-1), "ROLLBACK", "the failed message's transaction is ended");
    t.mock.restoreAll();
    const ids = await database.rows<{ id: number }>(sql`SELECT id FROM tx_letters WHERE id >= 100 ORDER BY id`);
    assert.deepEqual(ids.map((r) => r.id), [100, 101], "the failed transaction left nothing");
    await database.rows(sql`DELETE FROM tx_letters WHERE id >= 100`);
  });

  it("a statement run inside a transaction is undone with it (its BEGIN went first)", async () => {
    await assert.rejects(
      database.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO tx_letters (id, note) VALUES (200, 'undone')`);
        const seen = await tx.execute(sql`SELECT count(*)::int AS n FROM tx_letters WHERE id = 200`);
        assert.equal((seen as unknown as { rows: Array<{ n: number }> }).rows[0]?.n, 1, "visible inside");
        throw new Error("changed my mind");
      }),
      /changed my mind/,
    );
    assert.deepEqual(await database.rows(sql`SELECT id FROM tx_letters WHERE id = 200`), []);
  });

  it("queries asked for at once run in the transaction, in the order asked", async () => {
    type Row = { t: string; n: number };
    const rowOf = (r: unknown) => (r as { rows: Row[] }).rows[0]!;
    await database.transaction(async (tx) => {
      const q = () => tx.execute(sql`SELECT now()::text AS t, nextval('tx_order')::int AS n`);
      const [a, b, c] = (await Promise.all([q(), q(), q()])).map(rowOf);
      assert.ok(a && b && c);
      assert.equal(a.t, b.t, "one transaction: one now()");
      assert.equal(b.t, c.t);
      assert.deepEqual([a.n, b.n, c.n], [a.n, a.n + 1, a.n + 2], "in the order asked");
    });
  });

  it("writes a row as literal SQL exactly as Drizzle would (quotes, backslashes, Vietnamese, JSON, time, null)", async () => {
    const row = {
      id: 1,
      note: "Hồ sơ của ông Nguyễn Văn A'; DROP TABLE tx_letters; -- \\ \n",
      sentAt: new Date("2026-12-01T07:30:15.123Z"),
      body: { lời: "Xin chào", nested: { n: 1.5, list: [true, null, "a'b\\c"] } },
    };
    await database.transaction(async (tx) => {
      assert.equal(runAtCommit(tx, literalInsert(letters, row)), true);
      // Left out, or undefined: the column's default. Null: NULL.
      assert.equal(runAtCommit(tx, literalInsert(letters, { id: 2, note: null, sentAt: undefined })), true);
    });
    const [stored, second] = await database.db.select().from(letters).orderBy(letters.id);
    assert.deepEqual(stored, { ...row, copies: 1 });
    assert.deepEqual(second, { id: 2, note: null, sentAt: null, body: null, copies: 1 });
    await database.rows(sql`DELETE FROM tx_letters`);
  });

  it("the connection is usable after a failed transaction", async () => {
    for (let i = 0; i < 20; i++) {
      await assert.rejects(database.transaction(async (tx) => tx.execute(sql`SELECT 1/0`)));
    }
    assert.equal(await count(), 2);
  });
});
