// The public lookup's plan: a dossier by its code, its history read from the history index alone (migration
// 0016 puts the lookup's columns in dossier_events_dossier_idx), not one table page per event.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Database, literal, sql } from "../../platform/db/index.ts";
import { testDatabase } from "../../../test/helpers/db.ts";
import { appendEvent, insertDossier, lookupSelect, prepareLookup } from "./repo.ts";
import { buildDossier } from "./testing-events.ts";

describe("public lookup plan", () => {
  let database: Database;
  const dossier = buildDossier();
  before(async () => {
    database = await testDatabase();
    await insertDossier(database.db, dossier);
    const at = (minutes: number) => new Date(dossier.createdAt.getTime() + minutes * 60_000);
    const event = { dossierId: dossier.id, provinceCode: dossier.provinceCode, actor: "user:test", actorName: "Trần Văn Chuyên", note: null, details: null };
    await appendEvent(database.db, { ...event, at: at(0), action: "submit", fromStatus: "draft", toStatus: "new" });
    await appendEvent(database.db, { ...event, at: at(5), action: "receive", fromStatus: "new", toStatus: "processing" });
    await appendEvent(database.db, { ...event, at: at(9), action: "forward", fromStatus: "processing", toStatus: "processing" });
    // What a table's history looks like once autovacuum has passed: its pages all visible.
    await database.rows(sql`VACUUM ANALYZE dossier_events`);
  });
  after(() => database.close());

  it("finds the dossiers asked for at once, each with its history, oldest first", async () => {
    const unknown = "000.00.01.H06-000101-9999";
    const answer = await prepareLookup(database.db)([unknown, dossier.code!]);
    assert.deepEqual([...answer.keys()], [dossier.code], "an unknown code is absent");
    const found = answer.get(dossier.code!);
    assert.equal(found?.dossier.id, dossier.id);
    assert.deepEqual(found?.events.map((e) => e.action), ["submit", "receive", "forward"]);
    assert.equal(found?.events[2]?.at, new Date(dossier.createdAt.getTime() + 9 * 60_000).toISOString());
  });

  it("reads the history from the index alone", async () => {
    const { sql: text } = lookupSelect(database.db).toSQL();
    const plan = await database.transaction(async (tx) => {
      // A three-event table is read fastest whole; the plan wanted is the one a million dossiers get.
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      await tx.execute(sql`SET LOCAL enable_bitmapscan = off`);
      const res = await tx.execute(sql.raw(`EXPLAIN (FORMAT JSON) ${text.replace("$1", `ARRAY[${literal(dossier.code!)}]`)}`));
      return JSON.stringify((res as unknown as { rows: unknown[] }).rows);
    });
    assert.match(plan, /"Node Type":\s*"Index Only Scan"[^}]*"Index Name":\s*"dossier_events_dossier_idx"/, plan);
  });
});
