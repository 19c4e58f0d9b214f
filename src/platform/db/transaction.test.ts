// Database.transaction: statements queued with runAtCommit commit with the transaction or not at all.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testDatabase } from "../../../test/helpers/db.ts";
import { eq } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterCommit, type Database, type Db, literal, prepared, runAtCommit, sql } from "./index.ts";

const probe = pgTable("tx_probe", { id: integer("id").primaryKey(), note: text("note") });

describe("transactions", () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
    await database.rows(sql`CREATE TABLE tx_probe (id int PRIMARY KEY, note text)`);
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

  it("the connection is usable after a failed transaction", async () => {
    for (let i = 0; i < 20; i++) {
      await assert.rejects(database.transaction(async (tx) => tx.execute(sql`SELECT 1/0`)));
    }
    assert.equal(await count(), 2);
  });
});
