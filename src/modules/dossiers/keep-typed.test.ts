// Nothing typed is lost while filing (issue 15, item 2): the dossier's form posts its papers with what was typed
// (one multipart post that saves the draft and stores the files), a refused file, a missing one, a validation
// error and an expired form come back with every typed value, a session that expired midway signs in again and
// comes back to the same form with its draft, and the draft is checked on "Kiểm tra lại thông tin" before filing.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { type FormBrowser, formBrowser, setCookies, TEST_PASSWORD as PASSWORD } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, EMPTY_FILE, type FormPart, PDF, PNG, postMultipart, publishProcedures } from "./testing.ts";

const HTML = { accept: "text/html" };
describe("nothing typed is lost while filing", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let citizen: FormBrowser;
  let procedure: ProcedureContent;

  before(async () => {
    env = await testApp();
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = buildProvincialProcedure(s.place, { name: "Thủ tục giữ những gì đã nhập" });
    await publishProcedures(env.ctx, procedure);
    citizen = await formBrowser(env.app);
    await signInThroughParty(env.ctx, citizen, "portal", s.cast.citizen.username, PASSWORD);
  });
  after(() => env.close());

  const startDraft = async () => {
    const start = await citizen.get(`/nop-ho-so/${procedure.code}`, HTML);
    const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(start.body)![1]!;
    const created = await citizen.post(`/nop-ho-so/${procedure.code}`, { agency: s.place.centre, requestId });
    assert.equal(created.statusCode, 303, created.body.slice(0, 400));
    return String(created.headers.location).split("/")[2]!.split("?")[0]!;
  };
  /** Posts the dossier's form as the browser does: token, marker, typed fields, each paper's file input, the button. */
  const postForm = (b: FormBrowser, id: string, typed: Record<string, string>, files: Record<string, { name: string; type: string; bytes: Buffer }>, button: [string, string], token?: string) => {
    const parts: FormPart[] = [["form", "1"], ...Object.entries(typed).map(([k, v]) => [`f.${k}`, v] as FormPart)];
    for (const c of procedure.components) parts.push([`tep.${c.key}`, files[c.key] ?? EMPTY_FILE]);
    parts.push(button);
    return postMultipart(env.app, b, `/ho-so-cua-toi/${id}/tep`, parts, token);
  };
  const draftOf = async (id: string) => (await api(s.cast.citizen, "GET", `/api/dossiers/${id}`)).json();

  it("draws one form for the e-form and the papers, posting both together", async () => {
    const id = await startDraft();
    const page = await citizen.get(`/ho-so-cua-toi/${id}`, HTML);
    assert.match(page.body, new RegExp(`<form method="post" action="/ho-so-cua-toi/${id}/tep" enctype="multipart/form-data" id="dossier-form"`));
    const form = page.body.slice(page.body.indexOf('id="dossier-form"'), page.body.indexOf("</form>", page.body.indexOf('id="dossier-form"')));
    assert.match(form, /name="f\.hoTen"/);
    assert.match(form, /<input id="paper-to-khai" type="file" name="tep\.to-khai"/);
    assert.match(form, /<button type="submit" name="upload" value="to-khai">Tải lên<\/button>/);
    assert.match(form, /<button type="submit" name="intent" value="check">Tiếp tục<\/button>/);
    assert.ok(form.indexOf('value="save"') < form.indexOf('name="upload"'), "Enter presses Lưu bản nháp, not an upload");
  });

  it("uploads a paper with the typed fields: the draft keeps them, the page shows both", async () => {
    const id = await startDraft();
    const res = await postForm(citizen, id, { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" }, { "to-khai": { name: "tờ khai.pdf", type: "application/pdf", bytes: PDF } }, ["upload", "to-khai"]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 400));
    assert.equal(res.headers.location, `/ho-so-cua-toi/${id}?da=tai-len`);
    const d = await draftOf(id);
    assert.deepEqual(d.formData, { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" });
    assert.deepEqual(d.attachments.map((f: { component: string; name: string }) => [f.component, f.name]), [["to-khai", "tờ khai.pdf"]]);
    const page = await citizen.get(String(res.headers.location), HTML);
    assert.match(page.body, /id="f-hoTen"[^>]*value="Nguyễn Thị Mai"/);
    assert.match(page.body, />tờ khai\.pdf<\/a>/);
    // Every file chosen is stored, whichever button was pressed.
    const both = await postForm(citizen, id, { hoTen: "Nguyễn Thị Mai" }, { cccd: { name: "cccd.pdf", type: "application/pdf", bytes: PDF } }, ["intent", "save"]);
    assert.equal(both.statusCode, 303);
    assert.equal((await draftOf(id)).attachments.length, 2);
    // Leaving for the data store saves what was typed first.
    const store = await postForm(citizen, id, { hoTen: "Nguyễn Thị Mai Hoa" }, {}, ["intent", "store"]);
    assert.equal(store.headers.location, `/kho-du-lieu?ho-so=${id}`);
    assert.equal((await draftOf(id)).formData.hoTen, "Nguyễn Thị Mai Hoa");
  });

  it("a refused file or a missing one comes back with every typed value, and the draft keeps them", async () => {
    const id = await startDraft();
    const typed = { hoTen: "Trần Văn Bình <Bé>", soCccd: "12" };
    const png = await postForm(citizen, id, typed, { "to-khai": { name: "to-khai.pdf", type: "application/pdf", bytes: PNG } }, ["upload", "to-khai"]);
    assert.equal(png.statusCode, 415);
    assert.match(png.body, /id="paper-to-khai-error">Tệp &quot;to-khai\.pdf&quot; có loại image\/png, không được chấp nhận\./);
    assert.match(png.body, /id="f-hoTen"[^>]*value="Trần Văn Bình &lt;Bé>"/);
    assert.match(png.body, /id="f-soCccd"[^>]*value="12"/);
    assert.deepEqual((await draftOf(id)).formData, typed);
    const none = await postForm(citizen, id, { ...typed, hoTen: "Trần Văn Bình Minh" }, {}, ["upload", "to-khai"]);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /id="paper-to-khai-error">Cần chọn tệp đính kèm\./);
    assert.match(none.body, /id="f-hoTen"[^>]*value="Trần Văn Bình Minh"/);
    assert.equal((await draftOf(id)).formData.hoTen, "Trần Văn Bình Minh");
    assert.equal((await draftOf(id)).attachments.length, 0);
  });

  it("a validation error on continuing shows every problem with every typed value", async () => {
    const id = await startDraft();
    const res = await postForm(citizen, id, { hoTen: "Lê Văn Cường", soCccd: "123" }, {}, ["intent", "check"]);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/ho-so-cua-toi/${id}/kiem-tra`);
    const page = await citizen.get(String(res.headers.location), HTML);
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /<div class="error" role="alert" id="form-errors"/);
    assert.match(page.body, /<a href="#f-soCccd">Số định danh cá nhân: không đúng định dạng\.<\/a>/);
    assert.match(page.body, /<a href="#paper-to-khai">Cần đính kèm: Tờ khai theo mẫu\.<\/a>/);
    assert.match(page.body, /id="f-hoTen"[^>]*value="Lê Văn Cường"/);
    assert.match(page.body, /id="f-soCccd"[^>]*aria-invalid="true"[^>]*value="123"/);
    assert.doesNotMatch(page.body, /Kiểm tra lại thông tin/);
  });

  it("an expired form (its token gone) shows what was typed again, stores nothing, and saves on the next press", async () => {
    const id = await startDraft();
    const stale = await postForm(citizen, id, { hoTen: "Phạm Thị Dung" }, { "to-khai": { name: "a.pdf", type: "application/pdf", bytes: PDF } }, ["intent", "save"], "a".repeat(32));
    assert.equal(stale.statusCode, 403);
    assert.match(stale.body, /Biểu mẫu đã hết hạn: những gì bạn đã nhập vẫn còn dưới đây/);
    assert.match(stale.body, /id="f-hoTen"[^>]*value="Phạm Thị Dung"/);
    const d = await draftOf(id);
    assert.deepEqual([d.formData, d.attachments.length], [{}, 0], "nothing was stored");
    const token = /name="_csrf" value="([^"]+)"/.exec(stale.body)![1]!;
    const again = await postForm(citizen, id, { hoTen: "Phạm Thị Dung" }, {}, ["intent", "save"], token);
    assert.equal(again.statusCode, 303);
    assert.equal((await draftOf(id)).formData.hoTen, "Phạm Thị Dung");
  });

  it("a session that expired midway signs in again and comes back to the same form with what it typed since the last save", async () => {
    const b = await formBrowser(env.app);
    await signInThroughParty(env.ctx, b, "portal", s.cast.citizen.username, PASSWORD);
    const newDraft = async () => {
      const start = await b.get(`/nop-ho-so/${procedure.code}`, HTML);
      const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(start.body)![1]!;
      return String((await b.post(`/nop-ho-so/${procedure.code}`, { agency: s.place.centre, requestId })).headers.location).split("/")[2]!.split("?")[0]!;
    };
    const id = await newDraft();
    const other = await newDraft();
    assert.equal((await postForm(b, id, { hoTen: "Hoàng Văn Em" }, {}, ["intent", "save"])).statusCode, 303);
    const endSession = () => {
      // The portal's session ends (expired, or signed out in another tab) while the next step is typed.
      b.cookies.delete("motcua_portal");
      b.cookies.delete("motcua_session");
    };
    endSession();
    // The upload with the form: refused before its body is read, it is read by the refusal and kept in this browser.
    const res = await postForm(b, id, { hoTen: "Hoàng Văn Em", soCccd: "001199000002" }, { "to-khai": { name: "to-khai.pdf", type: "application/pdf", bytes: PDF } }, ["intent", "upload"]);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/auth/dang-nhap?next=${encodeURIComponent(`/ho-so-cua-toi/${id}`)}`);
    const kept = setCookies(res).find(([k]) => k === "motcua_typed");
    assert.ok(kept?.[1], "what was typed is kept in a cookie");
    assert.doesNotMatch(decodeURIComponent(kept[1]), /001199000002|Hoàng/, "sealed, not readable in the cookie");
    assert.match(String(res.headers["set-cookie"]), /motcua_typed=[^;]+; Path=\/ho-so-cua-toi; Max-Age=3600; HttpOnly; SameSite=Lax/);
    b.cookies.set("motcua_typed", kept[1]);

    await signInThroughParty(env.ctx, b, "portal", s.cast.citizen.username, PASSWORD);
    // Another draft's page leaves it for its own form.
    const elsewhere = await b.get(`/ho-so-cua-toi/${other}`, HTML);
    assert.doesNotMatch(elsewhere.body, /001199000002/);
    assert.equal(b.cookies.get("motcua_typed"), kept[1]);
    const back = await b.get(`/ho-so-cua-toi/${id}`, HTML);
    assert.equal(back.statusCode, 200);
    assert.match(back.body, /id="f-hoTen"[^>]*value="Hoàng Văn Em"/);
    assert.match(back.body, /id="f-soCccd"[^>]*value="001199000002"/, "typed after the last save, shown again");
    assert.match(back.body, /Phiên đăng nhập đã hết hạn khi bạn gửi biểu mẫu/);
    assert.equal((await draftOf(id)).formData.soCccd, undefined, "shown to be saved, not saved behind the applicant's back");
    assert.equal(b.cookies.get("motcua_typed"), undefined, "shown once");
    const again = await b.get(`/ho-so-cua-toi/${id}`, HTML);
    assert.doesNotMatch(again.body, /001199000002|Phiên đăng nhập đã hết hạn/);

    // A form posted without a file (urlencoded) is kept the same way.
    endSession();
    const plain = await b.post(`/ho-so-cua-toi/${id}`, { "f.hoTen": "Hoàng Văn Em", "f.soCccd": "001199000003", intent: "save" });
    assert.equal(plain.statusCode, 303);
    assert.ok(b.cookies.get("motcua_typed"));
    await signInThroughParty(env.ctx, b, "portal", s.cast.citizen.username, PASSWORD);
    assert.match((await b.get(`/ho-so-cua-toi/${id}`, HTML)).body, /id="f-soCccd"[^>]*value="001199000003"/);
    // Saved by the button the notice names.
    assert.equal((await postForm(b, id, { hoTen: "Hoàng Văn Em", soCccd: "001199000003" }, {}, ["intent", "save"])).statusCode, 303);
    assert.equal((await draftOf(id)).formData.soCccd, "001199000003");
  });

  it("checks the answers before filing: every field and paper with a link to change it, and the button that files", async () => {
    const id = await startDraft();
    const typed = { hoTen: "Võ Thị Giang", soCccd: "001199000001", ngaySinh: "1990-03-05" };
    assert.equal((await postForm(citizen, id, typed, { "to-khai": { name: "to-khai.pdf", type: "application/pdf", bytes: PDF } }, ["intent", "check"])).statusCode, 303);
    const page = await citizen.get(`/ho-so-cua-toi/${id}/kiem-tra`, HTML);
    assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    assert.match(page.body, /<h1>Kiểm tra lại thông tin trước khi nộp<\/h1>/);
    assert.match(page.body, /<dt>Họ và tên<\/dt><dd id="answer-hoTen">Võ Thị Giang<\/dd><dd><a href="\/ho-so-cua-toi\/[0-9a-f-]+#f-hoTen">Sửa<span class="visually-hidden"> Họ và tên<\/span><\/a><\/dd>/);
    assert.match(page.body, /<dd id="answer-ngaySinh">05\/03\/1990<\/dd>/);
    assert.match(page.body, /<dd id="answer-paper-to-khai">to-khai\.pdf<\/dd><dd><a href="\/ho-so-cua-toi\/[0-9a-f-]+#paper-to-khai">Sửa/);
    assert.match(page.body, new RegExp(`<form method="post" action="/ho-so-cua-toi/${id}" class="stack"><input type="hidden" name="_csrf"[^>]*><p><button type="submit" name="intent" value="submit">Nộp hồ sơ</button>`));
    assert.equal((await draftOf(id)).status, "draft", "nothing is filed until the button is pressed");
    const filed = await citizen.post(`/ho-so-cua-toi/${id}`, { intent: "submit" });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 400));
    assert.equal(filed.headers.location, `/ho-so-cua-toi/${id}?da=nop`);
    const d = await draftOf(id);
    assert.equal(d.status, "new");
    assert.deepEqual(d.formData, typed, "filed as checked");
    // Filed, the check page leads back to the dossier.
    assert.equal((await citizen.get(`/ho-so-cua-toi/${id}/kiem-tra`, HTML)).headers.location, `/ho-so-cua-toi/${id}`);
  });
});
