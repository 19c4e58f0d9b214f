// The conformance suite of platform/db (docs/ARCHITECTURE.md, "The database layer"): what the layer promises
// its callers, on the embedded database and on PostgreSQL, and the Drizzle behaviour it is built on. Run it on
// both (`node test/run.mjs src/platform/db/transaction.test.ts`, then again with DATABASE_URL set) after any
// change of the layer or of drizzle-orm, pg or PGlite.
//
// It guarantees:
// - a transaction commits whole or not at all: what it ran, what it queued for its COMMIT (`runAtCommit`,
//   `literalInsert`) and the work to do after it (`afterCommit`);
// - its BEGIN is sent just before its first statement (statements asked for at once run after it, in order),
//   or in one message with the queued statements and COMMIT; a transaction that ran nothing sends nothing;
// - each transaction has a handle of its own: one kept past its end reaches no other transaction, and a
//   transaction cannot be opened on it (no nesting);
// - a `prepared` statement is built once per connection (a named server-side statement on PostgreSQL), its name
//   defined once;
// - `literalInsert` writes a row exactly as Drizzle's insert would;
// - a unique violation reaches the caller recognisable (SQLSTATE and constraint), from a statement run at once
//   (as the cause of Drizzle's error) or from the COMMIT's message (the driver's error);
// - the connection is usable after a failed transaction;
// - and the installed drizzle-orm is the version all this was verified against.
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it, type TestContext } from "node:test";
import { testDatabase } from "../../../test/helpers/db.ts";
import { eq, integer, jsonb, npmVersion, pgTable, text, timestamp } from "./drizzle.ts";
import pg from "pg";
import { HEALTH_APPLICATION_NAME } from "./health.ts";
import { afterCommit, type Database, type Db, DRIZZLE_VERIFIED_VERSION, literal, literalInsert, prepared, runAtCommit, sql } from "./index.ts";

describe("the Drizzle version", () => {
  it("is the one platform/db was verified against, pinned exactly in package.json", () => {
    assert.equal(
      npmVersion,
      DRIZZLE_VERIFIED_VERSION,
      `drizzle-orm ${npmVersion} is installed, but platform/db was verified against ${DRIZZLE_VERIFIED_VERSION}. ` +
        "It relies on Drizzle's internals (docs/ARCHITECTURE.md, \"The database layer\"): check them in the new version, run this " +
        "conformance suite on PGlite and on PostgreSQL (node test/run.mjs src/platform/db/transaction.test.ts, then with DATABASE_URL " +
        `set), and once it passes set DRIZZLE_VERIFIED_VERSION in src/platform/db/index.ts to ${npmVersion}.`,
    );
    const manifest = JSON.parse(fs.readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> };
    assert.equal(
      manifest.dependencies["drizzle-orm"],
      DRIZZLE_VERIFIED_VERSION,
      "package.json must pin drizzle-orm at exactly the verified version (no ^ or ~): a fresh install must not bring another",
    );
  });
});

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

  // Each test writes rows of its own ids (tx_probe) or removes what it wrote (tx_letters), so none depends on another.
  const count = async () => (await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM tx_probe`))[0]!.n;
  const noteOf = async (id: number) => (await database.rows<{ note: string }>(sql`SELECT note FROM tx_probe WHERE id = ${id}`))[0]?.note;

  /** The SQL sent to PostgreSQL (by every pg client) until `stop`; the embedded database has no messages to watch. */
  function watchMessages(t: TestContext) {
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    t.mock.method(pg.Client.prototype, "query", function (this: pg.Client, ...args: unknown[]) {
      const first = args[0];
      // The health checks' own connection (its heartbeat) is not the layer's statements.
      const app = (this as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters?.application_name;
      if (app !== HEALTH_APPLICATION_NAME) sent.push(typeof first === "string" ? first : String((first as { text?: string }).text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    });
    return { sent, stop: () => t.mock.restoreAll() };
  }

  it("runs queued statements with the commit", async () => {
    await database.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO tx_probe VALUES (1, 'a')`);
      assert.equal(runAtCommit(tx, `INSERT INTO tx_probe VALUES (2, ${literal("it's \\ quoted")})`), true);
    });
    assert.deepEqual([await noteOf(1), await noteOf(2)], ["a", "it's \\ quoted"]);
  });

  it("a failing queued statement rolls the whole transaction back", async () => {
    await database.rows(sql`INSERT INTO tx_probe VALUES (10, 'there before')`);
    const before = await count();
    await assert.rejects(
      database.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO tx_probe VALUES (11, 'b')`);
        runAtCommit(tx, "INSERT INTO tx_probe VALUES (10, 'duplicate key')");
      }),
    );
    assert.equal(await count(), before);
  });

  it("a throw drops the queued statements", async () => {
    const before = await count();
    await assert.rejects(
      database.transaction(async (tx) => {
        runAtCommit(tx, "INSERT INTO tx_probe VALUES (20, 'c')");
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(await count(), before);
  });

  it("outside a transaction nothing is queued", () => {
    assert.equal(runAtCommit(database.db, "SELECT 1"), false);
  });

  it("builds a prepared statement once per connection, not once per transaction; on PostgreSQL a named one", async () => {
    await database.rows(sql`INSERT INTO tx_probe VALUES (30, 'thirty'), (31, 'thirty-one')`);
    let built = 0;
    const noteById = prepared("tx_probe_note", (db, name) => {
      built++;
      return db.select({ note: probe.note }).from(probe).where(eq(probe.id, sql.placeholder("id"))).prepare(name);
    });
    assert.deepEqual(await noteById(database.db).execute({ id: 31 }), [{ note: "thirty-one" }]);
    assert.deepEqual(await noteById(database.db).execute({ id: 30 }), [{ note: "thirty" }]);
    assert.equal(built, 1, "the pool's statement is reused");
    // Ten transactions one after another: on PostgreSQL the pool hands out the same idle connection, on PGlite
    // there is one; each transaction has a handle of its own, the connection's statement stays.
    const handles = new Set<Db>();
    for (let i = 0; i < 10; i++) {
      await database.transaction(async (tx) => {
        handles.add(tx);
        assert.deepEqual(await noteById(tx).execute({ id: 30 }), [{ note: "thirty" }]);
        if (database.kind === "postgres" && i === 9) {
          // Parsed and planned once by the server, under its name, for this connection's life.
          const names = await tx.execute(sql`SELECT name FROM pg_prepared_statements`);
          assert.ok((names as unknown as { rows: Array<{ name: string }> }).rows.some((r) => r.name === "tx_probe_note"));
        }
      });
    }
    assert.equal(handles.size, 10);
    assert.equal(built, 2, "one more for the connection, not one per transaction");
    assert.throws(() => prepared("tx_probe_note", () => noteById(database.db)), /defined twice/);
  });

  it("a transaction's handle kept past its end reaches no other transaction", async () => {
    const noteById = prepared("tx_probe_note_after", (db, name) => db.select({ note: probe.note }).from(probe).where(eq(probe.id, sql.placeholder("id"))).prepare(name));
    let kept: Db | null = null;
    await database.transaction(async (tx) => {
      kept = tx;
    });
    const stale = kept as unknown as Db;
    assert.throws(() => noteById(stale), /transaction has ended/);
    const before = await count();
    await database.transaction(async (tx) => {
      // Another transaction is open now (on PostgreSQL, on the same pooled connection): the old handle cannot
      // queue a statement into its COMMIT, nor use its prepared statements.
      assert.equal(runAtCommit(stale, "INSERT INTO tx_probe VALUES (40, 'stray')"), false);
      assert.throws(() => noteById(stale), /transaction has ended/);
      await tx.execute(sql`SELECT 1`);
    });
    assert.equal(await count(), before, "nothing stray was committed");
    if (database.kind === "pglite") {
      await assert.rejects(stale.execute(sql`SELECT 1`), (err: Error) => /transaction has ended/.test(String((err.cause as Error | undefined)?.message)));
    }
  });

  it("refuses a transaction opened on a transaction's handle: the open one is passed down instead", async () => {
    await database.transaction(async (tx) => {
      assert.throws(() => tx.transaction(async () => undefined), /nested transaction/);
      await tx.execute(sql`INSERT INTO tx_probe VALUES (50, 'outer')`);
    });
    assert.equal(await noteOf(50), "outer", "the open transaction went on and committed");
  });

  it("runs after-commit work once the transaction has committed, and none when it rolls back", async () => {
    await database.rows(sql`INSERT INTO tx_probe VALUES (60, 'taken')`);
    const seen: string[] = [];
    await database.transaction(async (tx) => {
      afterCommit(tx, () => seen.push("after"));
      seen.push("inside");
    });
    assert.deepEqual(seen, ["inside", "after"]);
    await assert.rejects(
      database.transaction(async (tx) => {
        afterCommit(tx, () => seen.push("rolled back"));
        runAtCommit(tx, "INSERT INTO tx_probe VALUES (60, 'duplicate key')");
      }),
    );
    assert.deepEqual(seen, ["inside", "after"], "a COMMIT that fails runs nothing");
    afterCommit(database.db, () => seen.push("at once"));
    assert.deepEqual(seen, ["inside", "after", "at once"]);
  });

  it("sends a transaction of queued statements alone as one message: BEGIN, the statements, COMMIT", async (t) => {
    // What is sent is seen on PostgreSQL (the embedded database has no round trips); what is stored on both.
    const onServer = database.kind === "postgres";
    const { sent, stop } = watchMessages(t);
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
    stop();
    const ids = await database.rows<{ id: number }>(sql`SELECT id FROM tx_letters WHERE id >= 100 ORDER BY id`);
    assert.deepEqual(ids.map((r) => r.id), [100, 101], "the failed transaction left nothing");
    await database.rows(sql`DELETE FROM tx_letters WHERE id >= 100`);
  });

  it("sends BEGIN just before the first statement, the queued ones with COMMIT, and nothing for a transaction that ends before a statement", async (t) => {
    const onServer = database.kind === "postgres";
    const { sent, stop } = watchMessages(t);
    const read = await database.transaction(async (tx) => {
      runAtCommit(tx, "INSERT INTO tx_letters (id, note) VALUES (300, 'queued')");
      assert.deepEqual(sent, [], "nothing sent while the transaction only queues");
      return (await tx.execute(sql`SELECT count(*)::int AS n FROM tx_letters WHERE id = 300`)) as unknown as { rows: Array<{ n: number }> };
    });
    assert.equal(read.rows[0]?.n, 0, "the queued row is written at the COMMIT, after the read");
    if (onServer) assert.deepEqual(sent, ["BEGIN", "SELECT count(*)::int AS n FROM tx_letters WHERE id = 300", "INSERT INTO tx_letters (id, note) VALUES (300, 'queued');\nCOMMIT"]);
    sent.length = 0;
    await assert.rejects(
      database.transaction(async (tx) => {
        runAtCommit(tx, "INSERT INTO tx_letters (id, note) VALUES (301, 'never')");
        throw new Error("refused before any statement");
      }),
      /refused before any statement/,
    );
    assert.deepEqual(sent, [], "no BEGIN was sent, so no ROLLBACK is either");
    stop();
    assert.deepEqual((await database.rows<{ id: number }>(sql`SELECT id FROM tx_letters WHERE id >= 300 ORDER BY id`)).map((r) => r.id), [300]);
    await database.rows(sql`DELETE FROM tx_letters WHERE id >= 300`);
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
    const [stored, second] = await database.db.select().from(letters).where(eq(letters.copies, 1)).orderBy(letters.id);
    assert.deepEqual(stored, { ...row, copies: 1 });
    assert.deepEqual(second, { id: 2, note: null, sentAt: null, body: null, copies: 1 });
    // The same row written by Drizzle's own insert reads back the same.
    await database.db.insert(letters).values({ ...row, id: 3 });
    const [drizzles] = await database.db.select().from(letters).where(eq(letters.id, 3));
    assert.deepEqual(drizzles, { ...stored, id: 3 });
    await database.rows(sql`DELETE FROM tx_letters WHERE id IN (1, 2, 3)`);
  });

  it("lets a unique violation be recognised, whether the statement ran at once or with the COMMIT", async () => {
    await database.rows(sql`INSERT INTO tx_probe VALUES (70, 'first')`);
    const violation = (err: unknown) => {
      const e = err as { code?: string; constraint?: string };
      return e.code === "23505" && e.constraint === "tx_probe_pkey";
    };
    // Run at once through Drizzle: Drizzle's error, the driver's as its cause.
    await assert.rejects(
      database.transaction((tx) => tx.execute(sql`INSERT INTO tx_probe VALUES (70, 'again')`)),
      (err: Error) => violation(err.cause),
    );
    // Queued for the COMMIT: the driver's error itself.
    await assert.rejects(
      database.transaction(async (tx) => void runAtCommit(tx, "INSERT INTO tx_probe VALUES (70, 'again')")),
      (err: unknown) => violation(err),
    );
  });

  it("the connection is usable after a failed transaction", async () => {
    const before = await count();
    for (let i = 0; i < 20; i++) {
      await assert.rejects(database.transaction(async (tx) => tx.execute(sql`SELECT 1/0`)));
    }
    await database.transaction((tx) => tx.execute(sql`INSERT INTO tx_probe VALUES (80, 'after the failures')`));
    assert.equal(await count(), before + 1);
  });
});
