// Migration 0039: the look-up throttles' clean-up moved from the dossiers module to the platform; the old job's
// schedule, and a run of it still queued (no worker claims a name no module defines), are removed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { databaseBefore } from "../../../test/helpers/db.ts";
import { sql } from "../db/index.ts";

const MIGRATION = "0039_forget_old_schedule";

describe(`migration ${MIGRATION}`, () => {
  let db: Awaited<ReturnType<typeof databaseBefore>>;
  before(async () => {
    db = await databaseBefore(MIGRATION);
  });
  after(() => db?.close());

  it("removes the old clean-up's schedule and its queued run, and nothing else", async () => {
    const { database } = db;
    for (const name of ["dossiers.forget_lookup_counts", "dossiers.flag_lateness"]) {
      await database.rows(sql`INSERT INTO job_schedules (name, cron, next_run_at) VALUES (${name}, '7 * * * *', now())`);
      await database.rows(sql`INSERT INTO jobs (name, status) VALUES (${name}, 'queued')`);
    }
    await database.rows(sql`INSERT INTO jobs (name, status) VALUES ('dossiers.forget_lookup_counts', 'done')`);
    assert.deepEqual(await db.applyIt(), [MIGRATION]);
    const schedules = await database.rows<{ name: string }>(sql`SELECT name FROM job_schedules ORDER BY name`);
    assert.deepEqual(schedules.map((r) => r.name), ["dossiers.flag_lateness"]);
    const jobs = await database.rows<{ name: string; status: string }>(sql`SELECT name, status FROM jobs ORDER BY name, status`);
    assert.deepEqual(jobs.map((j) => [j.name, j.status]), [["dossiers.flag_lateness", "queued"], ["dossiers.forget_lookup_counts", "done"]], "a finished run stays in the history");
  });
});
