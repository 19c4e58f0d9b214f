// Database.transaction: statements queued with runAtCommit commit with the transaction or not at all.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testDatabase } from "../../../test/helpers/db.ts";
import { eq } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { type Database, type Db, literal, prepared, runAtCommit, sql } from "./index.ts";

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

  it("builds a prepared statement once per handle, and a transaction's handle is kept across transactions", async () => {
    let built = 0;
    const noteOf = prepared("tx_probe_note", (db, name) => {
      built++;
      return db.select({ note: probe.note }).from(probe).where(eq(probe.id, sql.placeholder("id"))).prepare(name);
    });
    assert.deepEqual(await noteOf(database.db).execute({ id: 2 }), [{ note: "it's \\ quoted" }]);
    assert.deepEqual(await noteOf(database.db).execute({ id: 1 }), [{ note: "a" }]);
    assert.equal(built, 1, "the pool's statement is reused");
    const handles = new Set<Db>();
    // Ten transactions one after another: on PostgreSQL the pool hands out the same idle connection, on PGlite
    // there is one; either way the handle and its statements stay.
    for (let i = 0; i < 10; i++) {
      await database.transaction(async (tx) => {
        handles.add(tx);
        assert.deepEqual(await noteOf(tx).execute({ id: 1 }), [{ note: "a" }]);
      });
    }
    assert.equal(handles.size, 1);
    assert.equal(built, 2, "one more for the transaction handle, not one per transaction");
  });

  it("a transaction's handle refuses queries after its transaction ended", async () => {
    let kept: Db | null = null;
    await database.transaction(async (tx) => {
      kept = tx;
    });
    if (database.kind === "pglite") {
      await assert.rejects((kept as unknown as Db).execute(sql`SELECT 1`), (err: Error) => /transaction has ended/.test(String((err.cause as Error | undefined)?.message)));
    } else {
      // A pooled connection's handle runs outside any transaction once it is back in the pool: it must not be
      // kept, and the queued-statements list is gone with the transaction.
      assert.equal(runAtCommit(kept as unknown as Db, "SELECT 1"), false);
    }
  });

  it("the connection is usable after a failed transaction", async () => {
    for (let i = 0; i < 20; i++) {
      await assert.rejects(database.transaction(async (tx) => tx.execute(sql`SELECT 1/0`)));
    }
    assert.equal(await count(), 2);
  });
});
