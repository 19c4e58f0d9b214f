import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { sql } from "./drizzle.ts";
import { testDatabase } from "../../../test/helpers/db.ts";
import type { Database } from "./index.ts";
import { migrate, MigrationError, readMigrations } from "./migrate.ts";

describe("migrations", () => {
  let database: Database;
  let dir: string;
  before(async () => {
    database = await testDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-mig-"));
  });
  after(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("are numbered uniquely and all applied to a test database", async () => {
    const all = readMigrations();
    assert.ok(all.length >= 3);
    const rows = await database.rows<{ name: string }>(sql`SELECT name FROM motcua_migrations ORDER BY id`);
    assert.deepEqual(rows.map((r) => r.name), all.map((m) => m.name));
  });

  it("apply new files in order, each in its own transaction, once", async () => {
    fs.writeFileSync(path.join(dir, "9001_a.sql"), "CREATE TABLE mig_a (x int);");
    fs.writeFileSync(path.join(dir, "9002_b.sql"), "INSERT INTO mig_a VALUES (1);\n--> statement-breakpoint\nINSERT INTO mig_a VALUES (2);");
    assert.deepEqual(await migrate(database, dir), ["9001_a", "9002_b"]);
    assert.deepEqual(await migrate(database, dir), []);
    const rows = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM mig_a`);
    assert.equal(rows[0]?.n, 2);
  });

  it("roll back a failing migration whole and stop there", async () => {
    fs.writeFileSync(path.join(dir, "9003_bad.sql"), "INSERT INTO mig_a VALUES (3);\n--> statement-breakpoint\nSELECT no_such_function();");
    fs.writeFileSync(path.join(dir, "9004_after.sql"), "INSERT INTO mig_a VALUES (4);");
    await assert.rejects(migrate(database, dir));
    const rows = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM mig_a`);
    assert.equal(rows[0]?.n, 2);
    const names = await database.rows<{ name: string }>(sql`SELECT name FROM motcua_migrations WHERE id >= 9000 ORDER BY id`);
    assert.deepEqual(names.map((r) => r.name), ["9001_a", "9002_b"]);
    fs.unlinkSync(path.join(dir, "9003_bad.sql"));
    fs.unlinkSync(path.join(dir, "9004_after.sql"));
  });

  it("refuse a migration edited after it was applied", async () => {
    fs.writeFileSync(path.join(dir, "9001_a.sql"), "CREATE TABLE mig_a (x int, y int);");
    await assert.rejects(migrate(database, dir), MigrationError);
  });
});
