// The test database template: every test file starts with the reference data the app would load, loaded.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { seeds } from "../src/context.ts";
import { sql } from "../src/platform/db/index.ts";
import { runSeeds } from "../src/platform/db/seeds.ts";
import { testContext, type TestEnv } from "./helpers/app.ts";
import { referenceSeeds } from "./helpers/reference-data.ts";

describe("test database template", () => {
  let env: TestEnv;
  before(async () => {
    env = await testContext();
  });
  after(() => env.close());

  it("holds every seed the app runs outside demo mode, recorded, so none runs again", async () => {
    const app = seeds(env.ctx).filter((s) => !s.demo);
    assert.deepEqual(
      app.map((s) => s.name),
      referenceSeeds().map((s) => s.name),
      "the app's reference seeds changed: keep referenceSeeds() in test/helpers/reference-data.ts in step",
    );
    assert.deepEqual(await runSeeds(env.database, seeds(env.ctx), { demo: false }), []);
    const recorded = await env.database.rows<{ name: string; version: string }>(sql`SELECT name, version FROM motcua_seeds ORDER BY name`);
    assert.deepEqual(
      recorded,
      app.map((s) => ({ name: s.name, version: s.version })).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it("holds the provinces, communes, holidays and default office hours", async () => {
    const [row] = await env.database.rows<{ provinces: number; communes: number; holidays: number; hours: number }>(sql`
      SELECT (SELECT count(*)::int FROM admin_provinces) AS provinces, (SELECT count(*)::int FROM admin_communes) AS communes,
             (SELECT count(*)::int FROM calendar_days WHERE date = '2026-09-02') AS holidays,
             (SELECT count(*)::int FROM office_hours WHERE agency_code IS NULL) AS hours`);
    assert.deepEqual(row, { provinces: 34, communes: 3321, holidays: 1, hours: 1 });
  });
});
