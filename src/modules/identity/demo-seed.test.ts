// The demo accounts' seed across editions: a demo database seeded by an earlier edition gets the accounts added
// since at its next start, and keeps the ones it has as their users changed them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "../../platform/db/index.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import { testLogger } from "../../platform/log/testing.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../directory/index.ts";
import { demoAccountsSeed, readDemoAccounts } from "./seeds.ts";

describe("demo accounts seed", () => {
  let env: TestEnv;
  const seeds = () => [adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory), demoAccountsSeed(env.ctx.identity, testLogger())];
  before(async () => {
    env = await testContext();
  });
  after(() => env.close());

  it("adds to an earlier edition's database the accounts it lacks, leaving the others as they are", async () => {
    await runSeeds(env.database, seeds(), { demo: true });
    const all = readDemoAccounts().accounts.map((a) => a.username);
    const count = async () => Number((await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`))[0]!.n);
    assert.equal(await count(), all.length);

    // As the first edition left it: its record, without a commune's officer, and an account its user renamed.
    await env.database.rows(sql`UPDATE motcua_seeds SET version = '1' WHERE name = 'identity.demo-accounts'`);
    await env.database.rows(sql`DELETE FROM user_roles WHERE user_id = (SELECT id FROM users WHERE username = 'tuphap.phattich')`);
    await env.database.rows(sql`DELETE FROM users WHERE username = 'tuphap.phattich'`);
    await env.database.rows(sql`UPDATE users SET full_name = 'Lê Thị Chuyên (đã đổi)' WHERE username = 'chuyenvien.tuphap'`);

    assert.deepEqual(await runSeeds(env.database, seeds(), { demo: true }), ["identity.demo-accounts"]);
    assert.equal(await count(), all.length);
    const back = await env.ctx.identity.findByUsername("tuphap.phattich");
    assert.deepEqual(back?.roles, [{ role: "specialist", agencyCode: "000.00.52.H06" }]);
    assert.equal((await env.ctx.identity.findByUsername("chuyenvien.tuphap"))?.fullName, "Lê Thị Chuyên (đã đổi)");
    assert.deepEqual(await runSeeds(env.database, seeds(), { demo: true }), [], "and once only");
  });
});
