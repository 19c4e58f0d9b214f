// The administration pages of officer accounts, through a browser's form posts with CSRF tokens.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { signInThroughParty } from "./relying-party/testing.ts";
import { buildOfficer, type FormBrowser, formBrowser, TEST_PASSWORD as PASSWORD, type TestAccount } from "./testing.ts";

let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
const HTML = { accept: "text/html" };
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("administration pages", () => {
  let env: TestEnv & { app: App };
  // A province with its service centre and two departments, and the province's administrator, signed in.
  let province: AgencyDto;
  let centre: AgencyDto;
  let justice: AgencyDto;
  let construction: AgencyDto;
  let provinceAdmin: TestAccount;
  let admin: FormBrowser;
  before(async () => {
    env = await testApp({ clock });
    province = await buildAgency(env.ctx);
    centre = await buildAgency(env.ctx, { parent: province, kind: "service_centre", departments: ["tiep-nhan"] });
    justice = await buildAgency(env.ctx, { parent: province, name: "Sở Tư pháp tỉnh Thử Nghiệm", departments: ["van-phong", "hanh-chinh-tu-phap", "bo-tro-tu-phap"] });
    construction = await buildAgency(env.ctx, { parent: province, name: "Sở Xây dựng tỉnh Thử Nghiệm", departments: ["van-phong", "quan-ly-xay-dung"] });
    provinceAdmin = await buildOfficer(env.ctx, { agency: province, roles: ["agency_admin"] });
    admin = await formBrowser(env.app);
    await signInThroughParty(env.ctx, admin, "office", provinceAdmin.username, PASSWORD);
  });
  after(() => env.close());

  const actions = async (id: string) =>
    (await env.database.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE subject_id = ${id} ORDER BY id`)).map((r) => r.action);

  it("sends an anonymous browser to sign in, shows a leader a refusal page (403), and answers API callers in JSON", async () => {
    const anonymous = await formBrowser(env.app);
    const res = await anonymous.get(`/quan-tri/tai-khoan?agency=${justice.code}`, HTML);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/office/auth/dang-nhap?next=%2Fquan-tri%2Ftai-khoan%3Fagency%3D${justice.code}`);
    const json = await env.app.inject({ method: "GET", url: "/quan-tri/tai-khoan" });
    assert.equal(json.statusCode, 401);
    assert.equal(json.json().error.code, "access.unauthenticated");

    offset += 60_000;
    const leader = await formBrowser(env.app);
    await signInThroughParty(env.ctx, leader, "office", (await buildOfficer(env.ctx, { agency: justice, roles: ["leader"] })).username, PASSWORD);
    const refused = await leader.get("/quan-tri/tai-khoan", HTML);
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers["content-type"]), /text\/html/);
    assert.match(refused.body, /Bạn không có quyền thực hiện thao tác này/);
  });

  it("lists the officers of the administered province, agency by agency", async () => {
    const receiver = await buildOfficer(env.ctx, { agency: centre, department: "tiep-nhan", roles: ["receiver"] });
    const specialist = await buildOfficer(env.ctx, { agency: justice, department: "hanh-chinh-tu-phap" });
    const leader = await buildOfficer(env.ctx, { agency: justice, department: "van-phong", roles: ["leader"] });
    const supervisor = await buildOfficer(env.ctx, { agency: province, roles: ["supervisor"] });
    const all = await admin.get("/quan-tri/tai-khoan", HTML);
    assert.equal(all.statusCode, 200);
    for (const u of [receiver, specialist, leader, supervisor]) assert.match(all.body, new RegExp(`>${escaped(u.username)}</a>`));
    assert.match(all.body, new RegExp(`<option value="${escaped(justice.code)}"[^>]*>Sở Tư pháp`));
    const ofJustice = await admin.get(`/quan-tri/tai-khoan?agency=${justice.code}`, HTML);
    assert.match(ofJustice.body, new RegExp(`>${escaped(specialist.username)}</a>`));
    assert.doesNotMatch(ofJustice.body, new RegExp(`>${escaped(receiver.username)}</a>`));
    assert.equal((await admin.get("/quan-tri/tai-khoan?agency=999.99.99.H99", HTML)).statusCode, 404);
  });

  it("creates an officer through the form with a department and roles (audited); a bad form comes back naming the fields and creates nothing", async () => {
    const form = await admin.get(`/quan-tri/tai-khoan/moi?agency=${justice.code}`, HTML);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<option value="bo-tro-tu-phap"/);

    const bad = await admin.post("/quan-tri/tai-khoan", {
      agencyCode: justice.code,
      username: "X",
      fullName: "",
      departmentCode: "bo-tro-tu-phap",
      password: "short",
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Chọn ít nhất một vai trò/);
    const again = await admin.post("/quan-tri/tai-khoan", {
      agencyCode: justice.code,
      username: "X",
      fullName: "",
      departmentCode: "bo-tro-tu-phap",
      role: `specialist@${justice.code}`,
      password: "short",
    });
    assert.equal(again.statusCode, 400);
    for (const field of ["username", "fullName", "password"]) assert.match(again.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
    assert.match(again.body, /<option value="bo-tro-tu-phap" selected/, "the choices are kept");
    assert.equal(await env.ctx.identity.findByUsername("x"), null);

    const ok = await admin.post("/quan-tri/tai-khoan", {
      agencyCode: justice.code,
      username: "congchung.tuphap",
      fullName: "Vũ Thị Công",
      email: "cong@example.gov.vn",
      departmentCode: "bo-tro-tu-phap",
      role: [`specialist@${justice.code}`, `receiver@${justice.code}`],
      password: "cong-chung-2026",
    });
    assert.equal(ok.statusCode, 303);
    const id = (await env.ctx.identity.findByUsername("congchung.tuphap"))!.id;
    assert.equal(ok.headers.location, `/quan-tri/tai-khoan/${id}?da=tao-moi`);
    const page = await admin.get(String(ok.headers.location), HTML);
    assert.match(page.body, /Đã tạo tài khoản cán bộ/);
    const user = (await env.ctx.identity.user(id))!;
    assert.equal(user.departmentCode, "bo-tro-tu-phap");
    assert.deepEqual(user.roles.map((r) => `${r.role}@${r.agencyCode}`).sort(), [`receiver@${justice.code}`, `specialist@${justice.code}`]);
    assert.deepEqual(await actions(id), ["identity.officer_created"]);
  });

  it("changes department and roles, resets the second factor, disables and enables, each back on the officer's page with a notice", async () => {
    const { id, username } = await buildOfficer(env.ctx, { agency: justice, department: "hanh-chinh-tu-phap" });
    const base = `/quan-tri/tai-khoan/${id}`;
    // The officer signs in (enrolling a second factor) so there is a session to end and a factor to reset.
    offset += 60_000;
    const officer = await formBrowser(env.app);
    await signInThroughParty(env.ctx, officer, "office", username, PASSWORD);
    assert.match((await admin.get(base, HTML)).body, /<dd id="second-factor">Đã đăng ký<\/dd>/);

    const dept = await admin.post(`${base}/phong-ban`, { departmentCode: "van-phong" });
    assert.equal(dept.headers.location, `${base}?da=phong-ban`);
    assert.equal((await env.ctx.identity.user(id))?.departmentCode, "van-phong");
    const wrongDept = await admin.post(`${base}/phong-ban`, { departmentCode: "quan-ly-xay-dung" });
    assert.equal(wrongDept.statusCode, 400);
    assert.match(wrongDept.body, /không có phòng ban này/);

    const roles = await admin.post(`${base}/vai-tro`, { role: [`specialist@${justice.code}`, `leader@${justice.code}`] });
    assert.equal(roles.headers.location, `${base}?da=vai-tro`);
    assert.match((await admin.get(String(roles.headers.location), HTML)).body, /Đã lưu vai trò/);
    assert.deepEqual((await env.ctx.identity.user(id))!.roles.map((r) => r.role).sort(), ["leader", "specialist"]);

    const reset = await admin.post(`${base}/dat-lai-xac-thuc`, {});
    assert.equal(reset.headers.location, `${base}?da=dat-lai-xac-thuc`);
    assert.equal((await officer.get("/api/me")).statusCode, 401, "the officer's sessions ended");
    assert.doesNotMatch((await officer.get("/office", HTML)).body, /Xin chào/, "the office's too");
    assert.equal(await env.ctx.secondFactor.enrolled(id), false);

    const disabled = await admin.post(`${base}/khoa`, {});
    assert.equal(disabled.headers.location, `${base}?da=khoa`);
    const shown = await admin.get(String(disabled.headers.location), HTML);
    assert.match(shown.body, /<dd id="status"><strong>Đã khóa<\/strong><\/dd>/);
    assert.match(shown.body, /Mở khóa tài khoản/);
    await assert.rejects(env.ctx.identity.signIn({ username, password: PASSWORD }), { code: "identity.account_disabled" });
    assert.equal((await admin.post(`${base}/mo-khoa`, {})).headers.location, `${base}?da=mo-khoa`);
    assert.equal((await env.ctx.identity.user(id))?.status, "active");

    assert.deepEqual(
      (await actions(id)).filter((a) => /department_changed|roles_changed|second_factor_reset|account_(dis|en)abled/.test(a)),
      ["identity.department_changed", "identity.roles_changed", "identity.second_factor_reset", "identity.account_disabled", "identity.account_enabled"],
    );
  });

  it("offers no disable or reset on the administrator's own page, and refuses them (409)", async () => {
    const self = provinceAdmin.id;
    const page = await admin.get(`/quan-tri/tai-khoan/${self}`, HTML);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /\/khoa"/);
    assert.match(page.body, /Đây là tài khoản của bạn/);
    assert.equal((await admin.post(`/quan-tri/tai-khoan/${self}/khoa`, {})).statusCode, 409);
    assert.equal((await env.ctx.identity.user(self))?.status, "active");
  });

  it("refuses a form without its CSRF token (403) and changes nothing", async () => {
    const { id } = await buildOfficer(env.ctx, { agency: centre, department: "tiep-nhan", roles: ["receiver"] });
    const cookies = [...admin.cookies].filter(([k]) => k !== "motcua_csrf").map(([k, v]) => `${k}=${v}`).join("; ");
    const forged = await env.app.inject({
      method: "POST",
      url: `/quan-tri/tai-khoan/${id}/khoa`,
      headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    assert.equal(forged.statusCode, 403);
    assert.match(String(forged.headers["content-type"]), /text\/html/, "a browser gets a page, not JSON");
    assert.match(forged.body, /Biểu mẫu đã hết hạn/);
    assert.equal((await env.ctx.identity.user(id))?.status, "active");
  });

  it("an administrator of one department cannot open or change an officer of another agency (403)", async () => {
    await env.ctx.identity.createOfficer(
      { type: "cli", name: "test" },
      { username: "quantri.xaydung", fullName: "Quản trị Sở Xây dựng", agencyCode: construction.code, roles: [{ role: "agency_admin" }], password: "quan-tri-2026" },
    );
    offset += 60_000;
    const b = await formBrowser(env.app);
    await signInThroughParty(env.ctx, b, "office", "quantri.xaydung", "quan-tri-2026");
    const list = await b.get("/quan-tri/tai-khoan", HTML);
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, new RegExp(escaped(justice.code)), "only the Construction department is offered");
    const justiceOfficer = (await buildOfficer(env.ctx, { agency: justice, department: "van-phong", roles: ["leader"] })).id;
    assert.equal((await b.get(`/quan-tri/tai-khoan/${justiceOfficer}`, HTML)).statusCode, 403);
    assert.equal((await b.get(`/quan-tri/tai-khoan/moi?agency=${justice.code}`, HTML)).statusCode, 403);
    assert.equal((await b.post(`/quan-tri/tai-khoan/${justiceOfficer}/khoa`, {})).statusCode, 403);
    assert.equal((await env.ctx.identity.user(justiceOfficer))?.status, "active");
  });
});
