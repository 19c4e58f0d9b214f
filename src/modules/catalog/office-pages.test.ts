// The office's catalogue pages through a browser's form posts: who may open them, creating a procedure
// by form, a bad JSON textarea coming back as typed, checking, publishing, the next version and the diff.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { Actor } from "../../platform/auth/actor.ts";
import type { App } from "../../platform/http/types.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildCitizen, buildOfficer, type FormBrowser, formBrowser, TEST_PASSWORD as PASSWORD } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { type DraftFormValues, valuesOf } from "./draft-form.ts";
import type { ProcedureContent } from "./model.ts";
import { buildProcedure } from "./testing.ts";

let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
const HTML = { accept: "text/html" };

/** The form's fields as a browser posts them. */
function fields(v: DraftFormValues): Record<string, string | string[]> {
  const { json, ...simple } = v;
  return { ...simple, ...json };
}
/** What a browser shows in textarea `id`: its content with the entities decoded. */
function textarea(html: string, id: string): string | undefined {
  const m = new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m?.[1]?.replace(/&(quot|lt|gt|#39|amp);/g, (_e, n: string) => ({ quot: '"', lt: "<", gt: ">", "#39": "'", amp: "&" })[n]!);
}

describe("office catalogue pages", () => {
  let env: TestEnv & { app: App };
  // A province with two wards; the province's administrator, signed in to the office.
  let province: AgencyDto;
  let ward: AgencyDto;
  let otherWard: AgencyDto;
  let admin: FormBrowser;
  before(async () => {
    env = await testApp({ clock });
    province = await buildAgency(env.ctx);
    const departments = ["tiep-nhan", "van-hoa-xa-hoi", "van-phong"];
    ward = await buildAgency(env.ctx, { parent: province, kind: "people_committee", departments });
    otherWard = await buildAgency(env.ctx, { parent: province, kind: "people_committee", departments });
    admin = await formBrowser(env.app);
    await signInThroughParty(env.ctx, admin, "office", (await buildOfficer(env.ctx, { agency: province, roles: ["agency_admin"] })).username, PASSWORD);
  });
  after(() => env.close());

  /** A publishable procedure of the ward. */
  const procedure = (overrides: Partial<ProcedureContent> = {}) => buildProcedure({ agencies: [ward.code], ...overrides });

  const versionsOf = async (code: string) => env.ctx.catalog.versions({ type: "cli", name: "test" }, code);

  it("sends an anonymous browser to sign in and shows a citizen a refusal page (403)", async () => {
    const anonymous = await formBrowser(env.app);
    const res = await anonymous.get("/quan-tri/thu-tuc?q=khai", HTML);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/office/auth/dang-nhap?next=%2Fquan-tri%2Fthu-tuc%3Fq%3Dkhai");
    const posted = await anonymous.post("/quan-tri/thu-tuc", { name: "x" });
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, "/office/auth/dang-nhap?next=%2Fquan-tri%2Fthu-tuc");

    const citizen = await formBrowser(env.app);
    await signInThroughParty(env.ctx, citizen, "office", (await buildCitizen(env.ctx)).username, PASSWORD);
    const refused = await citizen.get("/quan-tri/thu-tuc", HTML);
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers["content-type"]), /text\/html/);
    assert.match(refused.body, /Bạn không có quyền thực hiện thao tác này/);
    const nav = /<nav class="site-nav"[\s\S]*?<\/nav>/.exec((await citizen.get("/office", HTML)).body)?.[0] ?? "";
    assert.match(nav, /Bàn làm việc/);
    assert.doesNotMatch(nav, /href="\/quan-tri\/thu-tuc"/, "no catalogue link in a citizen's navigation");
  });

  it("an administrator creates a procedure by form, then finds it in the list and the office navigation", async () => {
    const form = await admin.get("/quan-tri/thu-tuc/moi", HTML);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`<textarea id="agencies" name="agencies"[^>]*>${province.code.replaceAll(".", "\\.")}</textarea>`), "the administrator's agency is proposed");
    assert.match(form.body, /<a href="\/quan-tri\/thu-tuc" aria-current="page">Quản lý thủ tục<\/a>/);

    const p = procedure({ name: "Cấp phép thử nghiệm qua biểu mẫu" });
    const res = await admin.post("/quan-tri/thu-tuc", fields(valuesOf(p)));
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, `/quan-tri/thu-tuc/${p.code}?da=tao-moi`);
    const page = await admin.get(String(res.headers.location), HTML);
    assert.match(page.body, /Đã tạo thủ tục \(bản dự thảo phiên bản 1\)\./);
    assert.match(page.body, /<th scope="row">1<\/th><td>Dự thảo<\/td>/);
    const draft = await env.ctx.catalog.draft({ type: "cli", name: "test" }, p.code);
    assert.equal(draft?.name, "Cấp phép thử nghiệm qua biểu mẫu");
    assert.deepEqual(draft?.steps, p.steps);

    const list = await admin.get("/quan-tri/thu-tuc?q=bieu+mau", HTML);
    assert.match(list.body, new RegExp(`<a href="/quan-tri/thu-tuc/${p.code}">Cấp phép thử nghiệm qua biểu mẫu</a>`));
    assert.match(list.body, /Chưa công bố; dự thảo phiên bản 1/);
    // The same code twice is refused on the form, next to the code.
    const twice = await admin.post("/quan-tri/thu-tuc", fields(valuesOf(p)));
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /id="code"[^>]*aria-invalid="true"/);
  });

  it("a malformed JSON textarea or a structural error comes back as the same form, text kept, problem next to the field", async () => {
    const p = procedure({ name: "Thủ tục sửa lỗi JSON" });
    await env.ctx.catalog.create({ type: "cli", name: "test" }, p);
    const broken = '[{"key": "tiep-nhan", "name": "Tiếp nhận <hồ sơ>",';
    const values = valuesOf({ ...p, name: "Tên mới chưa lưu" });
    const res = await admin.post(`/quan-tri/thu-tuc/${p.code}`, fields({ ...values, json: { ...values.json, steps: broken } }));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<textarea id="steps" name="steps"[^>]*aria-invalid="true"[^>]*>/);
    assert.equal(textarea(res.body, "steps"), broken, "the text is kept as typed");
    assert.match(res.body, /<ul class="field-error" id="steps-error"><li>Trình tự thực hiện: JSON không hợp lệ/);
    assert.match(res.body, /id="name" name="name" type="text" value="Tên mới chưa lưu"/);
    assert.equal((await env.ctx.catalog.draft({ type: "cli", name: "test" }, p.code))?.name, "Thủ tục sửa lỗi JSON", "nothing saved");

    const fees = JSON.stringify([{ ...p.fees[0], amount: "mười nghìn" }]);
    const structural = await admin.post(`/quan-tri/thu-tuc/${p.code}`, fields({ ...values, levels: [], json: { ...values.json, fees } }));
    assert.equal(structural.statusCode, 400);
    assert.match(structural.body, /<ul class="field-error" id="fees-error"><li>Phí, lệ phí › khoản thu 1 › mức thu \/ thời hạn: /);
    assert.match(structural.body, /<ul class="field-error" id="levels-error"><li>Cấp thực hiện: /);
    assert.equal(textarea(structural.body, "fees"), fees);
  });

  it("Kiểm tra lists every problem in words; Công bố refuses with them all, then publishes once corrected", async () => {
    const good = procedure({ name: "Thủ tục kiểm tra trước khi công bố" });
    const bad: ProcedureContent = { ...good, steps: good.steps.map((s, i) => (i === 1 ? { ...s, hours: 13, department: "khong-co" } : s)) };
    await env.ctx.catalog.create({ type: "cli", name: "test" }, bad);
    const check = await admin.get(`/quan-tri/thu-tuc/${good.code}/kiem-tra`, HTML);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Bản dự thảo còn 2 lỗi cần sửa trước khi công bố\./);
    assert.match(check.body, /<strong>Trình tự thực hiện<\/strong>: Tổng thời gian các bước \(25 giờ làm việc\) phải bằng thời hạn giải quyết \(24 giờ làm việc\)/);
    assert.match(check.body, /<strong>Trình tự thực hiện › bước 2 › phòng ban<\/strong>: Phòng ban khong-co/);

    const refused = await admin.post(`/quan-tri/thu-tuc/${good.code}/cong-bo`, {});
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Chưa công bố được: bản dự thảo còn 2 lỗi\./);
    assert.match(refused.body, /Trình tự thực hiện › bước 2 › phòng ban/);

    const saved = await admin.post(`/quan-tri/thu-tuc/${good.code}`, fields(valuesOf(good)));
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/quan-tri/thu-tuc/${good.code}?da=luu#check`);
    assert.match((await admin.get(`/quan-tri/thu-tuc/${good.code}/kiem-tra`, HTML)).body, /Bản dự thảo đủ điều kiện công bố\./);
    const published = await admin.post(`/quan-tri/thu-tuc/${good.code}/cong-bo`, {});
    assert.equal(published.statusCode, 303);
    assert.equal(published.headers.location, `/quan-tri/thu-tuc/${good.code}?da=cong-bo`);
    assert.match((await admin.get(String(published.headers.location), HTML)).body, /Đã công bố/);
    assert.equal((await env.ctx.catalog.published(good.code)).version, 1);
  });

  it("editing after publication starts version 2; the diff page shows the changed name and fee as text", async () => {
    const p = procedure({ name: "Cấp bản sao trích lục thử" });
    await env.ctx.catalog.create({ type: "cli", name: "test" }, p);
    await env.ctx.catalog.publish({ type: "cli", name: "test" }, p.code);
    const page = await admin.get(`/quan-tri/thu-tuc/${p.code}`, HTML);
    assert.match(page.body, /<h2 id="edit">Soạn phiên bản mới<\/h2>/);
    assert.match(page.body, /value="Cấp bản sao trích lục thử"/, "the form starts from the version in force");

    const next = { ...p, name: "Cấp bản sao trích lục hộ tịch", fees: [{ ...p.fees[0]!, amount: 20000 }] };
    const saved = await admin.post(`/quan-tri/thu-tuc/${p.code}`, fields(valuesOf(next)));
    assert.equal(saved.statusCode, 303);
    assert.deepEqual((await versionsOf(p.code)).map((v) => `${v.version}:${v.status}`), ["1:published", "2:draft"]);
    assert.equal((await env.ctx.catalog.published(p.code)).name, "Cấp bản sao trích lục thử", "the public still sees version 1");

    const shown = await admin.get(`/quan-tri/thu-tuc/${p.code}`, HTML);
    assert.match(shown.body, new RegExp(`<a href="/quan-tri/thu-tuc/${p.code}/so-sanh\\?from=1&amp;to=2">Với phiên bản 1</a>`));
    const diff = await admin.get(`/quan-tri/thu-tuc/${p.code}/so-sanh?from=1&to=2`, HTML);
    assert.equal(diff.statusCode, 200);
    assert.match(diff.body, /<h1>So sánh phiên bản 1 và 2<\/h1>/);
    assert.match(diff.body, /<th scope="row">Tên thủ tục<\/th><td>Sửa đổi<\/td><td>Cấp bản sao trích lục thử<\/td><td>Cấp bản sao trích lục hộ tịch<\/td>/);
    assert.match(diff.body, /<th scope="row">Phí, lệ phí «Lệ phí» — mức thu \/ thời hạn<\/th><td>Sửa đổi<\/td><td>10\.000<\/td><td>20\.000<\/td>/);
    assert.match(diff.body, /<caption>2 thay đổi<\/caption>/);
    assert.equal((await admin.get(`/quan-tri/thu-tuc/${p.code}/so-sanh?from=1&to=9`, HTML)).statusCode, 404);
  });

  it("refuses a form without its CSRF token (403 page) and changes nothing", async () => {
    const p = procedure();
    await env.ctx.catalog.create({ type: "cli", name: "test" }, p);
    const cookies = [...admin.cookies].filter(([k]) => k !== "motcua_csrf").map(([k, v]) => `${k}=${v}`).join("; ");
    const forged = await env.app.inject({
      method: "POST",
      url: `/quan-tri/thu-tuc/${p.code}/cong-bo`,
      headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    assert.equal(forged.statusCode, 403);
    assert.match(String(forged.headers["content-type"]), /text\/html/);
    assert.match(forged.body, /Biểu mẫu đã hết hạn/);
    assert.deepEqual((await versionsOf(p.code)).map((v) => v.status), ["draft"]);
  });

  it("a supervisor reads procedures but gets no form; an unknown code is a 404 page", async () => {
    const p = procedure({ name: "Thủ tục giám sát xem" });
    await env.ctx.catalog.create({ type: "cli", name: "test" }, p);
    offset += 60_000;
    const supervisor = await formBrowser(env.app);
    await signInThroughParty(env.ctx, supervisor, "office", (await buildOfficer(env.ctx, { agency: province, roles: ["supervisor"] })).username, PASSWORD);
    const list = await supervisor.get("/quan-tri/thu-tuc", HTML);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Thủ tục giám sát xem<\/a><\/th><td class="nowrap">[^<]+<\/td><td>Thử nghiệm<\/td><td>[^<]+<\/td><td>Chỉ xem<\/td>/);
    assert.doesNotMatch(list.body, /Thêm thủ tục/);
    const page = await supervisor.get(`/quan-tri/thu-tuc/${p.code}`, HTML);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<form method="post"/);
    assert.match(page.body, /Bạn chỉ xem được thủ tục này/);
    assert.equal((await supervisor.get("/quan-tri/thu-tuc/moi", HTML)).statusCode, 403);
    assert.equal((await admin.get("/quan-tri/thu-tuc/1.999999", HTML)).statusCode, 404);
    assert.equal((await admin.get("/quan-tri/thu-tuc/khong-phai-ma", HTML)).statusCode, 404);
  });

  it("lists for an administrator only the procedures with an agency in their subtree, drafts under their latest agencies", async () => {
    const commune = (code: string): Actor => ({ type: "user", userId: `u-${code}`, username: code, fullName: code, email: null, roles: [{ role: "agency_admin", agencyCode: code }], agencyCode: code, loa: 0 });
    const system: Actor = { type: "cli", name: "test" };
    const kinhBac = procedure({ name: "Phạm vi Kinh Bắc", agencies: [ward.code] });
    const phatTich = procedure({ name: "Phạm vi Phật Tích", agencies: [otherWard.code] });
    for (const p of [kinhBac, phatTich]) await env.ctx.catalog.create(system, p);
    const names = async (actor: Actor) => (await env.ctx.catalog.listForAdmin(actor, { q: "pham vi" })).items.map((i) => `${i.name}:${i.editable}`);
    assert.deepEqual(await names(commune(ward.code)), ["Phạm vi Kinh Bắc:true"]);
    assert.deepEqual(await names(commune(otherWard.code)), ["Phạm vi Phật Tích:true"]);
    assert.deepEqual(await names(system), ["Phạm vi Kinh Bắc:true", "Phạm vi Phật Tích:true"]);
    assert.deepEqual(await names({ type: "anonymous" }), []);
    // A draft moved to another agency is listed under the draft's agencies, not the ones it was created with.
    await env.ctx.catalog.saveDraft(system, kinhBac.code, { ...kinhBac, agencies: [otherWard.code] });
    assert.deepEqual(await names(commune(ward.code)), []);
    assert.deepEqual(await names(commune(otherWard.code)), ["Phạm vi Kinh Bắc:true", "Phạm vi Phật Tích:true"]);
    // Shared with an agency outside the subtree: listed (it is reviewed) but not editable.
    await env.ctx.catalog.saveDraft(system, phatTich.code, { ...phatTich, agencies: [ward.code, otherWard.code] });
    assert.deepEqual(await names(commune(ward.code)), ["Phạm vi Phật Tích:false"]);
    const paged = await env.ctx.catalog.listForAdmin(system, { q: "pham vi", pageSize: 1 });
    assert.equal(paged.items.length, 1);
    assert.equal(paged.hasMore, true);
    assert.equal((await env.ctx.catalog.listForAdmin(system, { q: "pham vi", pageSize: 1, page: 2 })).hasMore, false);
  });
});
