// The officers' queue pages: the most urgent first (due, then filed, then id), and the page read in that order off
// the queue's index, never sorted: at a million dossiers a desk's queue holds thousands (bench/dossiers.ts).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Database, literal, sql } from "../../platform/db/index.ts";
import { testDatabase } from "../../../test/helpers/db.ts";
import { insertDossier } from "./repo.ts";
import { onePairSelect, queue } from "./repo.queues.ts";
import { buildDossier } from "./testing-events.ts";

const AGENCY = "000.00.13.H06";

describe("work queue pages", () => {
  let database: Database;
  const hours = (h: number) => new Date(Date.UTC(2026, 2, 10, h));
  // Filed in this order; due times chosen so that due, then filed, then id decide.
  const rows = [
    buildDossier({ processingAgencyCode: AGENCY, dueAt: hours(9), createdAt: hours(1) }),
    buildDossier({ processingAgencyCode: AGENCY, dueAt: hours(5), createdAt: hours(2) }),
    buildDossier({ processingAgencyCode: AGENCY, dueAt: hours(5), createdAt: hours(1) }),
    buildDossier({ processingAgencyCode: AGENCY, dueAt: null, createdAt: hours(0) }),
    buildDossier({ processingAgencyCode: AGENCY, dueAt: hours(7), createdAt: hours(3), status: "done" }),
  ];
  before(async () => {
    database = await testDatabase();
    for (const r of rows) await insertDossier(database.db, r);
    await database.rows(sql`VACUUM ANALYZE dossiers`);
  });
  after(() => database.close());

  it("lists an agency's dossiers in a state, the earliest due first, those without a due time last, a page at a time", async () => {
    const page = (offset: number) => queue(database.db, { agencies: [AGENCY], statuses: ["processing"], byReceivingAgency: false, limit: 2, offset });
    const ids = [...(await page(0)), ...(await page(2))].map((r) => r.id);
    assert.deepEqual(ids, [rows[2]!.id, rows[1]!.id, rows[0]!.id, rows[3]!.id]);
    // Several agencies or states take the general statement: the same order.
    const both = await queue(database.db, { agencies: [AGENCY, "000.00.12.H06"], statuses: ["processing", "done"], byReceivingAgency: false, limit: 10, offset: 0 });
    assert.deepEqual(both.map((r) => r.id), [rows[2]!.id, rows[1]!.id, rows[4]!.id, rows[0]!.id, rows[3]!.id]);
  });

  it("reads a page off the queue's index in its order, without sorting", async () => {
    const { sql: text } = onePairSelect(database.db, false, {}).toSQL();
    const values = [literal(AGENCY), literal("processing"), "21", "0"];
    const plan = await database.transaction(async (tx) => {
      // A five-row table is read fastest whole; the plan wanted is the one a million dossiers get.
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      await tx.execute(sql`SET LOCAL enable_bitmapscan = off`);
      const res = await tx.execute(sql.raw(`EXPLAIN (FORMAT JSON) ${text.replace(/\$(\d)/g, (_, n: string) => values[Number(n) - 1]!)}`));
      return JSON.stringify((res as unknown as { rows: unknown[] }).rows);
    });
    assert.match(plan, /"Index Name":\s*"dossiers_queue_idx"/, plan);
    assert.doesNotMatch(plan, /Sort/, plan);
  });
});
