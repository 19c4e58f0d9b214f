// Administration API: an agency administrator manages officers of their subtree; others cannot.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import { createLogger } from "../../platform/log/index.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../directory/seeds.ts";
import { demoAccountsSeed } from "./seeds.ts";

describe("account administration API", () => {
  let env: TestEnv & { app: App };
  let admin = "";
  let leader = "";
  before(async () => {
    env = await testApp();
    await runSeeds(env.database, [adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory), demoAccountsSeed(env.ctx.identity, createLogger("silent"))], {
      demo: true,
    });
    admin = await env.ctx.oidc.mintToken({ type: "cli", name: "test" }, "quantri.tinh", 600);
    leader = await env.ctx.oidc.mintToken({ type: "cli", name: "test" }, "lanhdao.tuphap", 600);
  });
  after(() => env.close());

  const call = (method: "GET" | "POST" | "PUT", url: string, token: string, payload?: unknown) =>
    env.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload: payload as object } : {}) });

  const officer = {
    username: "tiepnhan.xaydung",
    fullName: "Mai Văn Tiếp",
    agencyCode: "000.00.12.H06",
    departmentCode: "van-phong",
    roles: [{ role: "receiver" }],
    password: "tiep-nhan-2026",
  };

  it("creates an officer, lists, changes roles and disables — all audited", async () => {
    const created = await call("POST", "/api/admin/officers", admin, officer);
    assert.equal(created.statusCode, 201);
    const id = created.json().id as string;
    assert.deepEqual(created.json().roles, [{ role: "receiver", agencyCode: "000.00.12.H06" }]);
    const list = await call("GET", "/api/admin/officers?agency=000.00.00.H06", admin);
    assert.ok(list.json().items.some((u: { username: string }) => u.username === "tiepnhan.xaydung"));
    const roles = await call("PUT", `/api/admin/users/${id}/roles`, admin, { roles: [{ role: "specialist" }, { role: "leader" }] });
    assert.equal(roles.statusCode, 200);
    assert.deepEqual(roles.json().roles.map((r: { role: string }) => r.role).sort(), ["leader", "specialist"]);
    const session = await env.ctx.identity.signIn({ username: "tiepnhan.xaydung", password: "tiep-nhan-2026" });
    assert.equal((await call("POST", `/api/admin/users/${id}/disable`, admin)).statusCode, 204);
    assert.equal(await env.ctx.identity.session(session.token), null, "the disabled account's sessions end");
    const audited = await env.database.rows<{ action: string }>(
      sql`SELECT action FROM audit_log WHERE subject_id = ${id} ORDER BY id`,
    );
    assert.deepEqual(
      audited.map((a) => a.action).filter((a) => a !== "identity.signed_in"),
      ["identity.officer_created", "identity.roles_changed", "identity.account_disabled"],
    );
  });

  it("refuses a leader (403), a grant beyond the subtree (403) and bad input naming the field (400)", async () => {
    assert.equal((await call("POST", "/api/admin/officers", leader, { ...officer, username: "x.leader" })).statusCode, 403);
    const sys = await call("POST", "/api/admin/officers", admin, { ...officer, username: "x.root", roles: [{ role: "system_admin" }] });
    assert.equal(sys.statusCode, 403);
    const bad = await call("POST", "/api/admin/officers", admin, { ...officer, username: "x.bad", agencyCode: "nope", roles: [] });
    assert.equal(bad.statusCode, 400);
    const paths = (bad.json().error.details?.fields ?? bad.json().error.fields ?? []).map((f: { path: string }) => f.path);
    assert.ok(paths.includes("/body/agencyCode") || paths.includes("/agencyCode"), JSON.stringify(bad.json()));
    const weak = await call("POST", "/api/admin/officers", admin, { ...officer, username: "x.weak", password: "short" });
    assert.equal(weak.statusCode, 400);
    const rows = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users WHERE username LIKE 'x.%'`);
    assert.equal(rows[0]?.n, 0);
  });

  it("a business links its representative citizens by CCCD", async () => {
    const business = await env.ctx.oidc.mintToken({ type: "cli", name: "test" }, "0100233488", 600);
    const bad = await call("POST", "/api/me/representatives", business, { cccd: "999999999999" });
    assert.equal(bad.statusCode, 400);
    const unknown = await call("POST", "/api/me/representatives", business, { cccd: "001299000002" });
    assert.equal(unknown.statusCode, 400);
    const ok = await call("POST", "/api/me/representatives", business, { cccd: "001199000001" });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json().items, [{ username: "001199000001", fullName: "Nguyễn Thị Mai" }]);
    assert.deepEqual((await call("GET", "/api/me/representatives", business)).json().items.length, 1);
    // A citizen is not a business.
    const citizen = await env.ctx.oidc.mintToken({ type: "cli", name: "test" }, "001199000001", 600);
    assert.equal((await call("POST", "/api/me/representatives", citizen, { cccd: "001199000001" })).statusCode, 403);
  });
});
