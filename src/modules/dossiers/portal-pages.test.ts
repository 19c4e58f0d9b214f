// The portal's dossier pages through a browser's form posts: who is sent to sign in or refused, the form
// generated from the procedure's schema, field errors with the values kept, uploads refused by type,
// filing, the supplement's answer, the result, withdrawal, rating, and the public lookup by code and key. Each
// test starts a draft of its own on the portal, or takes a dossier of its own to the point its page is about.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { type FormBrowser, formBrowser, TEST_PASSWORD as PASSWORD } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import {
  apiAs,
  buildProvincialProcedure,
  dossierSetting,
  type DossierSetting,
  EMPTY_FILE,
  fileDossier,
  type FormPart,
  formOf,
  PDF,
  PNG,
  postMultipart,
  publishProcedures,
  type Stage,
  uploadAs,
  uploadFrom,
} from "./testing.ts";
const HTML = { accept: "text/html" };

/** A procedure whose form uses every widget the generator draws. */
const RICH_FORM = {
  schema: {
    type: "object",
    properties: {
      hoTen: { type: "string", minLength: 1, maxLength: 100 },
      ngaySinh: { type: "string", format: "date" },
      soCccd: { type: "string", pattern: "^[0-9]{12}$" },
      gioiTinh: { type: "string", enum: ["Nam", "Nữ"] },
      mucDich: { type: "string", enum: ["Học tập", "Lao động", "Kết hôn", "Du lịch", "Khác"] },
      soBan: { type: "integer", minimum: 1, maximum: 10 },
      thuDienTu: { type: "string", format: "email" },
      dienThoai: { type: "string" },
      noiDung: { type: "string", maxLength: 2000 },
    },
    required: ["hoTen", "soCccd", "soBan"],
    additionalProperties: false,
  },
  ui: {
    order: ["hoTen", "ngaySinh", "soCccd", "gioiTinh", "mucDich", "soBan", "thuDienTu", "dienThoai", "noiDung"],
    fields: {
      hoTen: { label: "Họ và tên" },
      ngaySinh: { label: "Ngày sinh", widget: "date" as const },
      soCccd: { label: "Số định danh cá nhân", help: "12 chữ số" },
      gioiTinh: { label: "Giới tính" },
      mucDich: { label: "Mục đích sử dụng" },
      soBan: { label: "Số bản cần cấp" },
      thuDienTu: { label: "Thư điện tử" },
      dienThoai: { label: "Số điện thoại", widget: "tel" as const },
      noiDung: { label: "Nội dung yêu cầu", widget: "textarea" as const },
    },
    // What each dossier is about, on the applicant's list: the purpose and the person.
    subject: ["mucDich", "hoTen"],
  },
};

describe("portal dossier pages", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  /** The cast's citizen, signed in to the portal. */
  let citizen: FormBrowser;
  let procedure: ProcedureContent;
  let strict: ProcedureContent;

  before(async () => {
    env = await testApp();
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = buildProvincialProcedure(s.place, { name: "Cấp phiếu lý lịch tư pháp thử nghiệm", form: RICH_FORM });
    strict = buildProvincialProcedure(s.place, { name: "Thủ tục cần định danh mức 2", assuranceLevel: 2 });
    await publishProcedures(env.ctx, procedure, strict);
    citizen = await formBrowser(env.app);
    await signInThroughParty(env.ctx, citizen, "portal", s.cast.citizen.username, PASSWORD);
  });
  after(() => env.close());

  /** A draft started on the portal, as the citizen's browser starts one: its id. */
  const startDraft = async () => {
    const start = await citizen.get(`/nop-ho-so/${procedure.code}`, HTML);
    const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(start.body)![1]!;
    const created = await citizen.post(`/nop-ho-so/${procedure.code}`, { agency: s.place.centre, requestId });
    assert.equal(created.statusCode, 303, created.body.slice(0, 400));
    return String(created.headers.location).split("/")[2]!.split("?")[0]!;
  };
  /** A dossier the citizen filed (its form complete, its paper attached), at `stage`. */
  const dossierAt = async (stage: Stage) => (await fileDossier(env.ctx, s, procedure, { stage, formData: { ...formOf(s.cast.citizen), soBan: 2 } })).id;

  it("sends an anonymous visitor to the portal's sign-in and refuses an officer", async () => {
    const anonymous = await formBrowser(env.app);
    const res = await anonymous.get(`/nop-ho-so/${procedure.code}`, HTML);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/auth/dang-nhap?next=${encodeURIComponent(`/nop-ho-so/${procedure.code}`)}`);
    assert.equal((await anonymous.get("/ho-so-cua-toi", HTML)).headers.location, "/auth/dang-nhap?next=%2Fho-so-cua-toi");
    const officer = await formBrowser(env.app);
    await signInThroughParty(env.ctx, officer, "portal", s.cast.receiver.username, PASSWORD);
    const refused = await officer.get("/ho-so-cua-toi", HTML);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Bạn không có quyền thực hiện thao tác này/);
    // The lookup is public.
    assert.equal((await anonymous.get("/tra-cuu", HTML)).statusCode, 200);
  });

  it("starts a dossier at a receiving agency, once per form shown, and refuses a post without the CSRF token", async () => {
    const start = await citizen.get(`/nop-ho-so/${procedure.code}`, HTML);
    assert.equal(start.statusCode, 200);
    assert.match(start.body, /<legend>Cơ quan tiếp nhận hồ sơ<\/legend>/);
    assert.match(start.body, new RegExp(`name="agency" value="${s.place.centre.replace(/\./g, "\\.")}"`));
    assert.match(start.body, /Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh/);
    const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(start.body)![1]!;

    const noToken = await env.app.inject({
      method: "POST",
      url: `/nop-ho-so/${procedure.code}`,
      headers: { cookie: [...citizen.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": "application/x-www-form-urlencoded" },
      payload: `agency=${s.place.centre}&requestId=${requestId}`,
    });
    assert.equal(noToken.statusCode, 403);
    assert.match(noToken.body, /Biểu mẫu đã hết hạn/);

    const created = await citizen.post(`/nop-ho-so/${procedure.code}`, { agency: s.place.centre, requestId });
    assert.equal(created.statusCode, 303, created.body.slice(0, 400));
    const location = String(created.headers.location);
    assert.match(location, /^\/ho-so-cua-toi\/[0-9a-f-]{36}\?da=tao$/);
    const again = await citizen.post(`/nop-ho-so/${procedure.code}`, { agency: s.place.centre, requestId });
    assert.equal(again.headers.location, location, "a double click makes one dossier");
  });

  it("generates the form from the procedure's schema: order, labels, help, widgets, required marked", async () => {
    const id = await startDraft();
    const page = await citizen.get(`/ho-so-cua-toi/${id}?da=tao`, HTML);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers["cache-control"], "private, no-store");
    const body = page.body;
    assert.match(body, /Đã tạo hồ sơ nháp/);
    assert.match(body, /<label for="f-hoTen">Họ và tên<span class="required"> \(bắt buộc\)<\/span><\/label>/);
    assert.match(body, /<input id="f-ngaySinh" name="f\.ngaySinh" type="date"/);
    assert.match(body, /<p class="sub" id="f-soCccd-hint">12 chữ số<\/p>/);
    assert.match(body, /id="f-soCccd" name="f\.soCccd" aria-describedby="f-soCccd-hint" aria-required="true"/);
    assert.match(body, /<fieldset class="field" id="f-gioiTinh"><legend>Giới tính<\/legend>/);
    assert.match(body, /type="radio" id="f-gioiTinh-1" name="f\.gioiTinh" value="Nữ"/);
    assert.match(body, /<select id="f-mucDich" name="f\.mucDich"><option value>— Chọn —<\/option><option value="Học tập">/);
    assert.match(body, /id="f-soBan" name="f\.soBan" aria-required="true" type="number"[^>]*min="1" max="10"/);
    assert.match(body, /id="f-thuDienTu" name="f\.thuDienTu" type="email"/);
    assert.match(body, /id="f-dienThoai" name="f\.dienThoai" type="tel"/);
    assert.match(body, /<textarea id="f-noiDung" name="f\.noiDung"/);
    const order = ["hoTen", "ngaySinh", "soCccd", "gioiTinh", "mucDich", "soBan", "thuDienTu", "dienThoai", "noiDung"].map((n) => body.indexOf(`id="f-${n}"`));
    assert.deepEqual([...order].sort((a, b) => a - b), order, "in ui.order");
    assert.match(body, /Loại tệp được chấp nhận: PDF/);
    assert.match(body, /Loại tệp được chấp nhận: JPEG, PDF/);
    assert.match(body, /<button type="submit" name="intent" value="check">Tiếp tục<\/button>/);
  });

  it("shows every problem next to its field and above the form, keeping what was typed", async () => {
    const id = await startDraft();
    const res = await citizen.post(`/ho-so-cua-toi/${id}`, { intent: "submit", "f.hoTen": "Nguyễn Thị Mai", "f.soCccd": "123", "f.soBan": "hai", "f.gioiTinh": "Nữ", "f.noiDung": "Cần <gấp>" });
    assert.equal(res.statusCode, 400);
    const body = res.body;
    assert.match(body, /<div class="error" role="alert" id="form-errors"/);
    assert.match(body, /<a href="#f-soCccd">Số định danh cá nhân: không đúng định dạng\.<\/a>/);
    assert.match(body, /<a href="#paper-to-khai">Cần đính kèm: Tờ khai theo mẫu\.<\/a>/);
    assert.match(body, /<p class="field-error" id="f-soCccd-error">Số định danh cá nhân: không đúng định dạng\.<\/p>/);
    assert.match(body, /id="f-soCccd" name="f\.soCccd" aria-invalid="true" aria-describedby="f-soCccd-hint f-soCccd-error"[^>]*value="123"/);
    assert.match(body, /id="f-soBan"[^>]*aria-invalid="true"[^>]*value="hai"/);
    assert.match(body, /id="f-hoTen"[^>]*value="Nguyễn Thị Mai"/);
    assert.match(body, /value="Nữ" checked/);
    assert.match(body, />Cần &lt;gấp><\/textarea>/);
    assert.match(body, /id="paper-to-khai-error">Cần đính kèm: Tờ khai theo mẫu\./);
    const d = (await api(s.cast.citizen, "GET", `/api/dossiers/${id}`)).json();
    assert.equal(d.status, "draft", "nothing was filed");
    assert.equal(d.formData.soCccd, "123", "the draft keeps what was typed");
  });

  it("refuses an upload by its bytes or without the token, and keeps an accepted one", async () => {
    const id = await startDraft();
    const png = await uploadFrom(env.app, citizen, `/ho-so-cua-toi/${id}/tep`, "to-khai", { name: "to-khai.pdf", type: "application/pdf", bytes: PNG });
    assert.equal(png.statusCode, 415);
    assert.match(png.body, /<p class="field-error" id="paper-to-khai-error">Tệp &quot;to-khai\.pdf&quot; có loại image\/png, không được chấp nhận\.<\/p>/);
    assert.match(png.body, /id="paper-to-khai"[^>]*aria-invalid="true"/);
    const noToken = await uploadFrom(env.app, citizen, `/ho-so-cua-toi/${id}/tep`, "to-khai", { name: "a.pdf", type: "application/pdf", bytes: PDF }, false);
    assert.equal(noToken.statusCode, 403);
    const ok = await uploadFrom(env.app, citizen, `/ho-so-cua-toi/${id}/tep`, "to-khai", { name: "tờ khai.pdf", type: "application/pdf", bytes: PDF });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    assert.equal(ok.headers.location, `/ho-so-cua-toi/${id}?da=tai-len`);
    const page = await citizen.get(String(ok.headers.location), HTML);
    assert.match(page.body, /<a href="\/api\/dossiers\/[0-9a-f-]+\/attachments\/[0-9a-f-]+">tờ khai\.pdf<\/a>/);
    assert.equal((await api(s.cast.citizen, "GET", `/api/dossiers/${id}`)).json().attachments.length, 1);
  });

  it("files the dossier and lists it under my dossiers with its status in words", async () => {
    const id = await startDraft();
    assert.equal((await uploadAs(env.app, s.cast.citizen, id, "to-khai")).statusCode, 201);
    const res = await citizen.post(`/ho-so-cua-toi/${id}`, { intent: "submit", "f.hoTen": "Nguyễn Thị Mai", "f.soCccd": "001199000001", "f.soBan": "2" });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, `/ho-so-cua-toi/${id}?da=nop`);
    const page = await citizen.get(String(res.headers.location), HTML);
    assert.match(page.body, /Đã nộp hồ sơ/);
    assert.match(page.body, /<strong>Mới đăng ký, chờ tiếp nhận<\/strong>/);
    assert.equal((await api(s.cast.citizen, "GET", `/api/dossiers/${id}`)).json().formData.soBan, 2, "a number is stored as a number");
    const list = await citizen.get("/ho-so-cua-toi", HTML);
    assert.match(list.body, new RegExp(`<a href="/ho-so-cua-toi/${id}">${procedure.name}</a>`));
    assert.match(list.body, /<td>Mới đăng ký, chờ tiếp nhận<\/td>/);
    assert.match(list.body, /<a href="\/ho-so-cua-toi" aria-current="page">Hồ sơ của tôi<\/a>/);
  });

  it("tells two drafts of one procedure apart in my dossiers: what each is about, when each was begun, and that it has no code yet (issue 15, item 6)", async () => {
    const first = await startDraft();
    const second = await startDraft();
    assert.equal((await citizen.post(`/ho-so-cua-toi/${first}`, { "f.hoTen": "Nguyễn Thị Mai", "f.mucDich": "Kết hôn", intent: "save" })).statusCode, 303);
    assert.equal((await citizen.post(`/ho-so-cua-toi/${second}`, { "f.hoTen": "Nguyễn Văn Nam", intent: "save" })).statusCode, 303);
    await env.database.rows(sql`UPDATE dossiers SET created_at = '2026-11-20T02:05:00Z' WHERE id = ${first} RETURNING id`);
    await env.database.rows(sql`UPDATE dossiers SET created_at = '2026-11-21T03:30:00Z' WHERE id = ${second} RETURNING id`);
    const list = (await citizen.get("/ho-so-cua-toi", HTML)).body;
    assert.match(list, /<th scope="col">Ngày tạo<\/th>/);
    const row = (id: string) => new RegExp(`<a href="/ho-so-cua-toi/${id}">${procedure.name}</a><span class="sub subject">([^<]+)</span></th><td class="nowrap">Chưa có \\(bản nháp\\)</td><td>([^<]+)</td>`).exec(list)?.slice(1);
    assert.deepEqual(row(first), ["Kết hôn – Nguyễn Thị Mai", "20/11/2026 09:05"]);
    assert.deepEqual(row(second), ["Nguyễn Văn Nam", "21/11/2026 10:30"]);
    const api = (await apiAs(env.app)(s.cast.citizen, "GET", "/api/me/dossiers")).json();
    assert.equal(api.items.find((d: { id: string }) => d.id === first)?.subject, "Kết hôn – Nguyễn Thị Mai");
  });

  it("shows a procedure needing a higher assurance level as refused, on the page and on the post", async () => {
    const page = await citizen.get(`/nop-ho-so/${strict.code}`, HTML);
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /<p class="error" role="alert" id="assurance-refusal">Thủ tục này cần tài khoản định danh điện tử mức 2 để nộp trực tuyến\.<\/p>/);
    assert.doesNotMatch(page.body, /Bắt đầu khai hồ sơ/);
    const posted = await citizen.post(`/nop-ho-so/${strict.code}`, { agency: s.place.centre, requestId: crypto.randomUUID() });
    assert.equal(posted.statusCode, 403);
    assert.match(posted.body, /định danh điện tử mức 2/);
  });

  it("after receipt: code, key and due date; a supplement is answered from the page", async () => {
    const id = await dossierAt("filed");
    assert.equal((await api(s.cast.receiver, "POST", `/api/dossiers/${id}/actions/receive`, {})).statusCode, 200);
    const asked = await api(s.cast.specialist, "POST", `/api/dossiers/${id}/actions/request_supplement`, { items: [{ component: "cccd", reason: "Bản sao căn cước bị mờ" }] });
    assert.equal(asked.statusCode, 200, asked.body);
    const page = await citizen.get(`/ho-so-cua-toi/${id}`, HTML);
    const d = asked.json();
    assert.match(page.body, new RegExp(`<dd id="code">${d.code.replace(/\./g, "\\.")}</dd>`));
    assert.match(page.body, new RegExp(`<code>${d.lookupKey}</code>`));
    assert.match(page.body, /<strong>Chờ bổ sung<\/strong>/);
    assert.match(page.body, /<strong>Căn cước công dân: <\/strong>Bản sao căn cước bị mờ/);
    // The forms that apply to it, and no other: the receipt, the supplement request, the control sheet (the register
    // line is the desk's).
    const offered = [...page.body.matchAll(new RegExp(`href="/api/dossiers/${id}/forms/(\\d\\d)\\.pdf">([^<]*)<`, "g"))].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(offered, [
      "01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)",
      "02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)",
      "06 Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06)",
    ]);
    assert.match(page.body, /id="paper-cccd"/);
    assert.doesNotMatch(page.body, /id="paper-to-khai"/, "only the papers asked for are offered for upload");
    // One form for the papers asked for and the e-form: what was typed travels with each upload.
    assert.match(page.body, /<form method="post" action="\/ho-so-cua-toi\/[^"]+\/bo-sung" enctype="multipart\/form-data"/);
    const answer = (typed: Record<string, string>, file: { name: string; type: string; bytes: Buffer } | null, button: [string, string]) =>
      postMultipart(env.app, citizen, `/ho-so-cua-toi/${id}/bo-sung`, [["form", "1"], ...Object.entries(typed).map(([k, v]) => [`f.${k}`, v] as FormPart), ["tep.cccd", file ?? EMPTY_FILE], button]);
    const bad = await answer({ hoTen: "Nguyễn Thị Mai", soCccd: "x", soBan: "2" }, null, ["intent", "send"]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="f-soCccd-error"/);
    assert.match(bad.body, /id="f-soCccd"[^>]*value="x"/);
    const noFileChosen = await answer({ hoTen: "Nguyễn Thị Mai Anh" }, null, ["upload", "cccd"]);
    assert.equal(noFileChosen.statusCode, 400);
    assert.match(noFileChosen.body, /id="paper-cccd-error"/);
    assert.match(noFileChosen.body, /id="f-hoTen"[^>]*value="Nguyễn Thị Mai Anh"/, "kept when the upload had no file");
    const refusedFile = await answer({ hoTen: "Nguyễn Thị Mai Anh" }, { name: "cccd.pdf", type: "application/pdf", bytes: PNG }, ["upload", "cccd"]);
    assert.equal(refusedFile.statusCode, 415);
    assert.match(refusedFile.body, /id="f-hoTen"[^>]*value="Nguyễn Thị Mai Anh"/, "kept through a refused file");
    const up = await answer({ hoTen: "Nguyễn Thị Mai Anh" }, { name: "cccd.pdf", type: "application/pdf", bytes: PDF }, ["upload", "cccd"]);
    assert.equal(up.statusCode, 200);
    assert.match(up.body, /Đã tải lên tệp đính kèm/);
    assert.match(up.body, />cccd\.pdf<\/a>/);
    assert.match(up.body, /id="f-hoTen"[^>]*value="Nguyễn Thị Mai Anh"/, "kept through the upload");
    const answered = await answer({ hoTen: "Nguyễn Thị Mai", soCccd: "001199000001", soBan: "2" }, null, ["intent", "send"]);
    assert.equal(answered.statusCode, 303, answered.body.slice(0, 300));
    const after = await citizen.get(String(answered.headers.location), HTML);
    assert.match(after.body, /Đã gửi bổ sung hồ sơ/);
    assert.match(after.body, /<strong>Đang xử lý<\/strong>/);
  });

  it("after the return: the result to download, and a rating given once", async () => {
    const id = await dossierAt("received");
    const { specialist, leader, receiver } = s.cast;
    await api(specialist, "POST", `/api/dossiers/${id}/actions/forward`, {});
    await api(leader, "POST", `/api/dossiers/${id}/actions/approve`, {});
    const result = await uploadAs(env.app, receiver, id, "result", { name: "ket-qua.pdf" });
    assert.equal(result.statusCode, 201, result.body);
    assert.equal((await api(receiver, "POST", `/api/dossiers/${id}/actions/finish`, { resultFileId: result.json().id })).statusCode, 200);
    const done = await citizen.get(`/ho-so-cua-toi/${id}`, HTML);
    assert.match(done.body, /<strong>Đã có kết quả<\/strong>/);
    assert.match(done.body, new RegExp(`<a href="/api/dossiers/${id}/attachments/${result.json().id}" download>Tải kết quả: ket-qua\\.pdf</a>`));
    assert.doesNotMatch(done.body, /Đánh giá mức độ hài lòng/, "rated after the return");
    assert.equal((await api(receiver, "POST", `/api/dossiers/${id}/actions/return`, { method: "online" })).statusCode, 200);
    const returned = await citizen.get(`/ho-so-cua-toi/${id}`, HTML);
    assert.match(returned.body, /<legend>Bạn có hài lòng với việc giải quyết hồ sơ\?<\/legend>/);
    assert.match(returned.body, /value="very_satisfied"\/> Rất hài lòng/);
    assert.equal((await citizen.post(`/ho-so-cua-toi/${id}/danh-gia`, {})).statusCode, 400);
    const rated = await citizen.post(`/ho-so-cua-toi/${id}/danh-gia`, { level: "very_satisfied", comment: "Nhanh, chu đáo" });
    assert.equal(rated.statusCode, 303);
    const page = await citizen.get(String(rated.headers.location), HTML);
    assert.match(page.body, /Cảm ơn bạn đã đánh giá/);
    assert.match(page.body, /<p id="rating">Rất hài lòng: Nhanh, chu đáo<\/p>/);
    const again = await citizen.post(`/ho-so-cua-toi/${id}/danh-gia`, { level: "unsatisfied" });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Hồ sơ này đã được đánh giá/);
  });

  it("withdraws a dossier only with the confirmation ticked", async () => {
    const other = await startDraft();
    const unconfirmed = await citizen.post(`/ho-so-cua-toi/${other}/rut`, {});
    assert.equal(unconfirmed.statusCode, 400);
    assert.match(unconfirmed.body, /Hãy đánh dấu xác nhận để rút hồ sơ/);
    const withdrawn = await citizen.post(`/ho-so-cua-toi/${other}/rut`, { "xac-nhan": "1" });
    assert.equal(withdrawn.statusCode, 303);
    assert.match((await citizen.get(String(withdrawn.headers.location), HTML)).body, /<strong>Đã rút hồ sơ<\/strong>/);
    // Another's dossier is not found.
    const business = await formBrowser(env.app);
    await signInThroughParty(env.ctx, business, "portal", s.cast.business.username, PASSWORD);
    assert.equal((await business.get(`/ho-so-cua-toi/${other}`, HTML)).statusCode, 404);
  });

  it("offers sign-in to download an electronic result from the lookup, leading to the dossier's own page", async () => {
    const lookupOf = async (b: FormBrowser, id: string) => {
      const d = (await api(s.cast.citizen, "GET", `/api/dossiers/${id}`)).json();
      const res = await b.get(`/tra-cuu?ma=${encodeURIComponent(d.code)}&khoa=${d.lookupKey}`, HTML);
      assert.equal(res.statusCode, 200);
      return /<p class="notice" id="result-download">[^<]*<a href="([^"]+)">([^<]+)<\/a><\/p>/.exec(res.body);
    };
    const visitor = await formBrowser(env.app);
    assert.equal(await lookupOf(visitor, await dossierAt("received")), null, "no result yet: nothing to download");
    const id = await dossierAt("finished");
    const offered = await lookupOf(visitor, id);
    assert.ok(offered, "an electronic result is offered");
    assert.equal(offered[2], "Đăng nhập để tải kết quả");
    const href = offered[1]!.replace(/&amp;/g, "&");
    assert.equal(href, `/auth/dang-nhap?next=${encodeURIComponent(`/ho-so-cua-toi/${id}`)}`);
    // Signed in through that link, the applicant lands on the dossier's page, with the result to download.
    const signIn = await signInThroughParty(env.ctx, visitor, "portal", s.cast.citizen.username, PASSWORD, { next: new URL(href, "http://x").searchParams.get("next")! });
    assert.equal(signIn.callback?.headers.location, `/ho-so-cua-toi/${id}`);
    const page = await visitor.get(`/ho-so-cua-toi/${id}`, HTML);
    assert.match(page.body, /download>Tải kết quả: /);
    // Signed in already, the lookup links straight to it.
    assert.equal((await lookupOf(visitor, id))?.[1], `/ho-so-cua-toi/${id}`);
  });

  it("looks a dossier up by code and key without personal data; a wrong key reads as an unknown code", async () => {
    const id = await dossierAt("returned");
    const d = (await api(s.cast.citizen, "GET", `/api/dossiers/${id}`)).json();
    const anonymous = await formBrowser(env.app);
    const found = await anonymous.get(`/tra-cuu?ma=${encodeURIComponent(d.code)}&khoa=${d.lookupKey}`, HTML);
    assert.equal(found.statusCode, 200);
    assert.match(found.body, /<dd id="status"><strong>Đã trả kết quả<\/strong><\/dd>/);
    assert.match(found.body, new RegExp(procedure.name));
    for (const secret of ["Nguyễn Thị Mai", s.cast.citizen.username, "Lê Thị Chuyên"]) assert.ok(!found.body.includes(secret), secret);
    const wrongKey = await anonymous.get(`/tra-cuu?ma=${encodeURIComponent(d.code)}&khoa=AAAAAAAA`, HTML);
    const unknown = await anonymous.get(`/tra-cuu?ma=${s.place.centre}-261201-9999&khoa=${d.lookupKey}`, HTML);
    assert.equal(wrongKey.statusCode, 404);
    assert.equal(unknown.statusCode, 404);
    const message = (html: string) => /<p class="error" role="alert" id="lookup-error">([^<]*)<\/p>/.exec(html)?.[1];
    assert.equal(message(wrongKey.body), "Không tìm thấy hồ sơ có mã và mã tra cứu này. Hãy kiểm tra lại cả hai.");
    assert.equal(message(wrongKey.body), message(unknown.body));
    // The home page and the navigation lead to it.
    const home = await anonymous.get("/", HTML);
    assert.match(home.body, /<a href="\/tra-cuu">Tra cứu hồ sơ<\/a>/);
    let last = found;
    for (let i = 0; i < 30 && last.statusCode !== 429; i++) last = await anonymous.get(`/tra-cuu?ma=${encodeURIComponent(d.code)}&khoa=${d.lookupKey}`, HTML);
    assert.equal(last.statusCode, 429);
    assert.match(last.body, /Bạn tra cứu quá nhiều lần/);
  });

  it("speaks English through the language switch", async () => {
    await dossierAt("returned");
    citizen.cookies.set("lang", "en");
    try {
      const page = await citizen.get("/ho-so-cua-toi", HTML);
      assert.match(page.body, /<h1>My dossiers<\/h1>/);
      assert.match(page.body, /<td>Result returned<\/td>/);
    } finally {
      citizen.cookies.delete("lang");
    }
  });
});
