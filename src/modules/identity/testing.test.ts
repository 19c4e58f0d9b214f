// The factories tests build their data with: real accounts and agencies, through the services, never the same twice.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import { buildAgency } from "../directory/testing.ts";
import { checkCccd, checkTaxCode } from "./ids.ts";
import { buildBusiness, buildCitizen, buildOfficer, TEST_PASSWORD } from "./testing.ts";

describe("test factories", () => {
  let env: TestEnv & { app: App };
  before(async () => {
    env = await testApp();
  });
  after(() => env.close());

  const me = async (token: string) => (await env.app.inject({ method: "GET", url: "/api/me", headers: { authorization: `Bearer ${token}` } })).json();

  it("make agencies with their own codes, at level 1 or under a parent, with departments", async () => {
    const province = await buildAgency(env.ctx);
    const other = await buildAgency(env.ctx);
    const unit = await buildAgency(env.ctx, { parent: province, departments: ["mot-cua"] });
    const deeper = await buildAgency(env.ctx, { parent: unit });
    assert.notEqual(province.code, other.code);
    assert.deepEqual([province.level, unit.level, deeper.level], [1, 2, 3]);
    assert.equal(unit.parentCode, province.code);
    assert.equal(deeper.parentCode, unit.code);
    assert.deepEqual(unit.departments.map((d) => d.code), ["mot-cua"]);
    assert.deepEqual(province.departments.map((d) => d.code), ["tiep-nhan", "van-phong"]);
    assert.equal(unit.provinceCode, "24");
  });

  it("make citizens and businesses with valid, distinct identifiers who sign in and call the API", async () => {
    const [a, b] = [await buildCitizen(env.ctx), await buildCitizen(env.ctx, { sex: "male" })];
    assert.notEqual(a.username, b.username);
    assert.ok(checkCccd(a.username, { now: new Date(), birthDate: "1990-01-01", sex: "female" }).ok, a.username);
    assert.ok(checkCccd(b.username, { now: new Date(), birthDate: "1990-01-01", sex: "male" }).ok, b.username);
    const business = await buildBusiness(env.ctx);
    assert.ok(checkTaxCode(business.username).ok, business.username);
    assert.deepEqual(business.user.roles, [{ role: "business", agencyCode: "" }]);

    const { user } = await env.ctx.identity.signIn({ username: a.username, password: TEST_PASSWORD });
    assert.equal(user.id, a.id);
    assert.deepEqual([(await me(await a.token())).username, (await me(await business.token())).kind], [a.username, "business"]);
    assert.equal(await a.token(), await a.token(), "minted once");
  });

  it("make officers at an agency, in a department, with their roles, audited as seeded accounts", async () => {
    const agency = await buildAgency(env.ctx);
    const officer = await buildOfficer(env.ctx, { agency, department: "tiep-nhan", roles: ["receiver", "specialist"] });
    assert.deepEqual(
      [officer.user.kind, officer.user.agencyCode, officer.user.departmentCode, officer.user.roles],
      ["officer", agency.code, "tiep-nhan", [{ role: "receiver", agencyCode: agency.code }, { role: "specialist", agencyCode: agency.code }]],
    );
    const admin = await buildOfficer(env.ctx, { agency, roles: ["system_admin"] });
    assert.equal(admin.user.kind, "admin");
    const elsewhere = await buildOfficer(env.ctx);
    assert.notEqual(elsewhere.user.agencyCode, agency.code, "a new agency when none is given");
    await assert.rejects(buildOfficer(env.ctx, { agency, department: "khong-co" }), /no department khong-co/);
    const away = await buildOfficer(env.ctx, { agency, status: "disabled" });
    assert.equal(away.user.status, "disabled");
    await assert.rejects(env.ctx.identity.signIn({ username: away.username, password: TEST_PASSWORD }), "a disabled account does not sign in");
    assert.equal((await me(await officer.token())).username, officer.username);
    const [row] = await env.database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'identity.account_seeded' AND subject_id = ${officer.id}`,
    );
    assert.equal(row?.n, 1);
  });
});
