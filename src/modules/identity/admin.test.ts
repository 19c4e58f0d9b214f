// Administration API: an agency administrator manages officers of their subtree; others cannot.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { generate } from "otplib";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildBusiness, buildCitizen, buildOfficer, type TestAccount } from "./testing.ts";

describe("account administration API", () => {
  let env: TestEnv & { app: App };
  // A province with its service centre and two departments; its administrator, a department's leader.
  let province: AgencyDto;
  let centre: AgencyDto;
  let construction: AgencyDto;
  let justice: AgencyDto;
  let provinceAdmin: TestAccount;
  let admin = "";
  let leader = "";
  before(async () => {
    env = await testApp();
    province = await buildAgency(env.ctx);
    centre = await buildAgency(env.ctx, { parent: province, kind: "service_centre", departments: ["tiep-nhan"] });
    construction = await buildAgency(env.ctx, { parent: province, departments: ["van-phong", "quan-ly-xay-dung"] });
    justice = await buildAgency(env.ctx, { parent: province, departments: ["van-phong", "hanh-chinh-tu-phap"] });
    provinceAdmin = await buildOfficer(env.ctx, { agency: province, roles: ["agency_admin"] });
    admin = await provinceAdmin.token();
    leader = await (await buildOfficer(env.ctx, { agency: justice, department: "van-phong", roles: ["leader"] })).token();
    officer = { username: "tiepnhan.xaydung", fullName: "Mai Văn Tiếp", agencyCode: construction.code, departmentCode: "van-phong", roles: [{ role: "receiver" }], password: "tiep-nhan-2026" };
  });
  after(() => env.close());

  const call = (method: "GET" | "POST" | "PUT", url: string, token: string, payload?: unknown) =>
    env.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload: payload as object } : {}) });

  /** A new officer of the Department of Construction, as an administrator enters one. */
  let officer: { username: string; fullName: string; agencyCode: string; departmentCode: string; roles: Array<{ role: string }>; password: string };

  it("creates an officer, lists, changes roles and disables — all audited", async () => {
    const created = await call("POST", "/api/admin/officers", admin, officer);
    assert.equal(created.statusCode, 201);
    const id = created.json().id as string;
    assert.deepEqual(created.json().roles, [{ role: "receiver", agencyCode: construction.code }]);
    const list = await call("GET", `/api/admin/officers?agency=${province.code}`, admin);
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

  it("a bearer token's account is kept by the node, yet its new roles, a disabling and an enabling count at once", async () => {
    const specialist = await buildOfficer(env.ctx, { agency: construction, department: "van-phong", roles: ["specialist"] });
    const token = await specialist.token();
    const me = async () => call("GET", "/api/me", token);
    assert.deepEqual((await me()).json().roles, [{ role: "specialist", agencyCode: construction.code }]);
    assert.equal((await call("PUT", `/api/admin/users/${specialist.id}/roles`, admin, { roles: [{ role: "leader" }] })).statusCode, 200);
    assert.deepEqual((await me()).json().roles, [{ role: "leader", agencyCode: construction.code }]);
    assert.equal((await call("POST", `/api/admin/users/${specialist.id}/disable`, admin)).statusCode, 204);
    assert.equal((await me()).statusCode, 401);
    assert.equal((await call("POST", `/api/admin/users/${specialist.id}/enable`, admin)).statusCode, 204);
    assert.equal((await me()).statusCode, 200);
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

  const actionsOn = async (id: string) =>
    (await env.database.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE subject_id = ${id} ORDER BY id`)).map((a) => a.action);

  it("assigns a department of the officer's own agency; refuses one it lacks (400), naming the field, and nothing changes", async () => {
    const created = await call("POST", "/api/admin/officers", admin, { ...officer, username: "phongban.xaydung" });
    assert.equal(created.statusCode, 201);
    const id = created.json().id as string;
    const moved = await call("PUT", `/api/admin/users/${id}/department`, admin, { departmentCode: "quan-ly-xay-dung" });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().departmentCode, "quan-ly-xay-dung");
    // "hanh-chinh-tu-phap" belongs to the Department of Justice, not to Construction.
    const wrong = await call("PUT", `/api/admin/users/${id}/department`, admin, { departmentCode: "hanh-chinh-tu-phap" });
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(wrong.json().error.fields.map((f: { path: string }) => f.path), ["/departmentCode"]);
    assert.equal((await call("GET", `/api/admin/users/${id}`, admin)).json().departmentCode, "quan-ly-xay-dung");
    const none = await call("PUT", `/api/admin/users/${id}/department`, admin, { departmentCode: null });
    assert.equal(none.json().departmentCode, null);
    assert.deepEqual(
      (await actionsOn(id)).filter((a) => a === "identity.department_changed"),
      ["identity.department_changed", "identity.department_changed"],
    );
    // At creation too: a department the agency does not have is refused.
    const bad = await call("POST", "/api/admin/officers", admin, { ...officer, username: "x.dept", departmentCode: "khong-co" });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.fields.map((f: { path: string }) => f.path), ["/departmentCode"]);
  });

  it("re-enables a disabled account (audited); the officer signs in again", async () => {
    const created = await call("POST", "/api/admin/officers", admin, { ...officer, username: "molai.xaydung" });
    const id = created.json().id as string;
    assert.equal((await call("POST", `/api/admin/users/${id}/disable`, admin)).statusCode, 204);
    await assert.rejects(env.ctx.identity.signIn({ username: "molai.xaydung", password: officer.password }), { code: "identity.account_disabled" });
    assert.equal((await call("POST", `/api/admin/users/${id}/enable`, admin)).statusCode, 204);
    assert.equal((await call("GET", `/api/admin/users/${id}`, admin)).json().status, "active");
    await env.ctx.identity.signIn({ username: "molai.xaydung", password: officer.password });
    assert.deepEqual((await actionsOn(id)).filter((a) => a.startsWith("identity.account_")), ["identity.account_disabled", "identity.account_enabled"]);
  });

  it("resets a lost second factor: the officer's sessions end and the next sign-in enrols again", async () => {
    const created = await call("POST", "/api/admin/officers", admin, { ...officer, username: "matdienthoai" });
    const id = created.json().id as string;
    const user = (await env.ctx.identity.user(id))!;
    const { token } = await env.ctx.identity.signIn({ username: "matdienthoai", password: officer.password });
    const { secret } = await env.ctx.secondFactor.begin(user);
    const sessionId = createHash("sha256").update(token).digest("hex");
    await env.ctx.secondFactor.confirm(user, await generate({ secret, epoch: Math.floor(Date.now() / 1000) }), sessionId);
    assert.equal((await env.ctx.identity.session(token))?.mfa, true);
    assert.equal((await call("GET", `/api/admin/users/${id}`, admin)).json().secondFactor, true);

    assert.equal((await call("POST", `/api/admin/users/${id}/second-factor/reset`, admin)).statusCode, 204);
    assert.equal(await env.ctx.identity.session(token), null, "the officer's sessions ended");
    assert.equal(await env.ctx.secondFactor.enrolled(id), false, "the next sign-in enrols a new authenticator");
    assert.equal((await call("GET", `/api/admin/users/${id}`, admin)).json().secondFactor, false);
    assert.ok((await actionsOn(id)).includes("identity.second_factor_reset"));
  });

  it("an administrator cannot disable or reset their own account (409); nothing changes", async () => {
    const self = provinceAdmin.user;
    assert.equal((await call("POST", `/api/admin/users/${self.id}/disable`, admin)).statusCode, 409);
    assert.equal((await call("POST", `/api/admin/users/${self.id}/second-factor/reset`, admin)).statusCode, 409);
    assert.equal((await env.ctx.identity.user(self.id))?.status, "active");
    const actions = await actionsOn(self.id);
    assert.ok(!actions.includes("identity.account_disabled") && !actions.includes("identity.second_factor_reset"), actions.join());
  });

  it("an agency administrator of one department sees and changes nothing outside it (403); an unknown id is 404", async () => {
    await env.ctx.identity.createOfficer(
      { type: "cli", name: "test" },
      { username: "quantri.tuphap", fullName: "Quản trị Sở Tư pháp", agencyCode: justice.code, roles: [{ role: "agency_admin" }], password: "quan-tri-2026" },
    );
    const justiceAdmin = await env.ctx.oidc.mintToken({ type: "cli", name: "test" }, "quantri.tuphap", 600);
    const receiver = (await buildOfficer(env.ctx, { agency: centre, department: "tiep-nhan", roles: ["receiver"] })).user;
    const specialist = (await buildOfficer(env.ctx, { agency: justice, department: "hanh-chinh-tu-phap" })).user;
    assert.equal((await call("GET", `/api/admin/users/${receiver.id}`, justiceAdmin)).statusCode, 403);
    assert.equal((await call("PUT", `/api/admin/users/${receiver.id}/department`, justiceAdmin, { departmentCode: null })).statusCode, 403);
    assert.equal((await call("POST", `/api/admin/users/${receiver.id}/disable`, justiceAdmin)).statusCode, 403);
    assert.equal((await call("POST", `/api/admin/users/${receiver.id}/second-factor/reset`, justiceAdmin)).statusCode, 403);
    assert.equal((await call("GET", `/api/admin/officers?agency=${centre.code}`, justiceAdmin)).statusCode, 403);
    assert.equal((await env.ctx.identity.user(receiver.id))?.departmentCode, "tiep-nhan");
    assert.equal((await call("GET", `/api/admin/users/${specialist.id}`, justiceAdmin)).statusCode, 200);
    const listed = (await call("GET", `/api/admin/officers?agency=${justice.code}`, justiceAdmin)).json().items.map((u: { username: string }) => u.username);
    assert.ok(listed.includes(specialist.username) && !listed.includes(receiver.username));
    assert.equal((await call("GET", "/api/admin/users/00000000-0000-0000-0000-000000000000", admin)).statusCode, 404);
    assert.deepEqual(
      await env.ctx.identity.administeredAgencies({ type: "user", userId: "x", username: "quantri.tuphap", fullName: "Quản trị", email: null, roles: [{ role: "agency_admin", agencyCode: justice.code }], agencyCode: justice.code, loa: 0 }),
      [justice.code],
    );
  });

  it("a business links its representative citizens by CCCD", async () => {
    const business = await (await buildBusiness(env.ctx)).token();
    const person = await buildCitizen(env.ctx, { fullName: "Nguyễn Thị Mai" });
    const bad = await call("POST", "/api/me/representatives", business, { cccd: "999999999999" });
    assert.equal(bad.statusCode, 400);
    const unknown = await call("POST", "/api/me/representatives", business, { cccd: "001299000002" });
    assert.equal(unknown.statusCode, 400);
    const ok = await call("POST", "/api/me/representatives", business, { cccd: person.username });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json().items, [{ username: person.username, fullName: "Nguyễn Thị Mai" }]);
    assert.deepEqual((await call("GET", "/api/me/representatives", business)).json().items.length, 1);
    // A citizen is not a business.
    const citizen = await person.token();
    assert.equal((await call("POST", "/api/me/representatives", citizen, { cccd: person.username })).statusCode, 403);
  });
});
