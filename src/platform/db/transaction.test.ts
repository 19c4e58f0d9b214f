// Database.transaction: statements queued with runAtCommit commit with the transaction or not at all.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testDatabase } from "../../../test/helpers/db.ts";
import { type Database, literal, runAtCommit, sql } from "./index.ts";

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

  it("the connection is usable after a failed transaction", async () => {
    for (let i = 0; i < 20; i++) {
      await assert.rejects(database.transaction(async (tx) => tx.execute(sql`SELECT 1/0`)));
    }
    assert.equal(await count(), 2);
  });
});
