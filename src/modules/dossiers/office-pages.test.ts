// The office's dossier pages through a browser's form posts: who is sent to sign in or refused, the
// queues per role, the actions each role is offered, a refused action's message in its form, a 409
// when the dossier moved on, the result's upload and return, and counter intake in one go. Each test takes a
// dossier of its own to the point its page is about.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { type FormBrowser, formBrowser, TEST_PASSWORD as PASSWORD } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { apiAs, buildProvincialProcedure, buildTwoSignaturesProcedure, dossierSetting, type DossierSetting, fileDossier, PDF, PNG, publishProcedures, type Stage, uploadFrom } from "./testing.ts";

const HTML = { accept: "text/html" };
const forms = (html: string) => [...html.matchAll(/<form method="post" action="\/office\/ho-so\/[0-9a-f-]+\/(?:thao-tac\/([a-z_]+)|(ket-qua))"/g)].map((m) => m[1] ?? "finish");
/** The action the page leads with (the step's own). */
const primary = (html: string) => /<section class="action next-action" aria-labelledby="act-([a-z_]+)">/.exec(html)?.[1] ?? null;
/** The actions behind the disclosure, and whether it is open. */
const disclosed = (html: string) => {
  const m = /<details class="more-actions" id="more-actions"( open(?:="")?)?>([\s\S]*?)<\/details>/.exec(html);
  return m ? { open: Boolean(m[1]), actions: forms(m[2]!) } : null;
};
/** What a form says about where its action sends the dossier, as text. */
const destination = (html: string, action: string) =>
  new RegExp(`<p class="destination" id="act-${action}-to">([\\s\\S]*?)</p>`).exec(html)?.[1]?.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&") ?? null;
/** The control sheet's table on the page, between its heading and the history's. */
const controlTable = (html: string) => html.slice(html.indexOf('id="steps"'), html.indexOf('id="history"'));

describe("office dossier pages", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let procedure: ProcedureContent;
  /** The officers' browsers, each signed in to the office. */
  const officers = new Map<"receiver" | "specialist" | "leader", FormBrowser>();
  const as = (who: "receiver" | "specialist" | "leader") => officers.get(who)!;

  before(async () => {
    env = await testApp();
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Cấp phiếu thử nghiệm tại bàn làm việc" }));
    for (const who of ["receiver", "specialist", "leader"] as const) {
      const b = await formBrowser(env.app);
      await signInThroughParty(env.ctx, b, "office", s.cast[who].username, PASSWORD);
      officers.set(who, b);
    }
  });
  after(() => env.close());

  /** A dossier filed online by the citizen, at `stage`. */
  const dossierAt = async (stage: Stage) => (await fileDossier(env.ctx, s, procedure, { stage })).id;

  it("shows officers the e-form's dates as Vietnamese write them, never ISO (issue 15, item 6)", async () => {
    const id = (await fileDossier(env.ctx, s, procedure, { formData: { hoTen: "Nguyễn Thị Mai", soCccd: s.cast.citizen.username, ngaySinh: "1990-11-20" } })).id;
    const body = (await as("receiver").get(`/office/ho-so/${id}`, HTML)).body;
    assert.match(body, /<dt>Ngày sinh<\/dt><dd><time datetime="1990-11-20">20\/11\/1990<\/time><\/dd>/);
    // Nothing an officer reads on the page is an ISO date (attributes aside).
    assert.deepEqual(body.replace(/<[^>]*>/g, " ").match(/\b\d{4}-\d{2}-\d{2}\b/g), null);
  });

  it("sends an anonymous visitor to the office's sign-in and refuses a citizen", async () => {
    const anonymous = await formBrowser(env.app);
    const res = await anonymous.get("/office/ho-so?hang-doi=new", HTML);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/office/auth/dang-nhap?next=%2Foffice%2Fho-so%3Fhang-doi%3Dnew");
    const citizen = await formBrowser(env.app);
    await signInThroughParty(env.ctx, citizen, "office", s.cast.citizen.username, PASSWORD);
    const refused = await citizen.get("/office/ho-so", HTML);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Bạn không có quyền thực hiện thao tác này/);
    assert.equal((await as("specialist").get("/office/tiep-nhan/moi", HTML)).statusCode, 403, "counter intake is the desk's");
  });

  it("shows each officer the queues of their agency, with tabs in Vietnamese", async () => {
    const id = await dossierAt("filed");
    const desk = await as("receiver").get("/office/ho-so", HTML);
    assert.equal(desk.statusCode, 200);
    assert.match(desk.body, /<a href="\/office\/ho-so\?hang-doi=new" aria-current="page">Mới tiếp nhận<\/a>/);
    for (const tab of ["Đang xử lý", "Chờ bổ sung", "Sắp đến hạn", "Quá hạn", "Đã có kết quả", "Đã trả kết quả"]) assert.match(desk.body, new RegExp(`>${tab}</a>`));
    // A filed dossier has its code from the moment it was filed (issue 14: it used to read "Hồ sơ mới nộp").
    assert.match(desk.body, new RegExp(`<a href="/office/ho-so/${id}">${s.place.centre.replace(/\./g, "\\.")}-\\d{6}-\\d{4}</a>`));
    assert.match(desk.body, /<td>Nguyễn Thị Mai<\/td>/);
    assert.match(desk.body, /<a href="\/office\/ho-so" aria-current="page">Hồ sơ cần xử lý<\/a>/);
    const specialist = await as("specialist").get("/office/ho-so?hang-doi=new", HTML);
    assert.match(specialist.body, /id="queue-empty"/, "the department has not been handed it");
    assert.equal((await as("specialist").get(`/office/ho-so/${id}`, HTML)).statusCode, 404);
  });

  it("offers the desk the reception's actions only, and refuses a post without the CSRF token", async () => {
    const id = await dossierAt("filed");
    const page = await as("receiver").get(`/office/ho-so/${id}`, HTML);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(forms(page.body), ["receive", "refuse_receipt", "request_supplement"]);
    assert.match(page.body, /<dd id="applicant-name">Nguyễn Thị Mai<\/dd>/);
    assert.match(page.body, /<a href="\/api\/dossiers\/[0-9a-f-]+\/attachments\/[0-9a-f-]+">to-khai\.pdf<\/a>/);
    assert.match(page.body, /<select id="act-request_supplement-c0" name="items\.0\.component">/);
    const b = as("receiver");
    const noToken = await env.app.inject({
      method: "POST",
      url: `/office/ho-so/${id}/thao-tac/receive`,
      headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    assert.equal(noToken.statusCode, 403);
    const refuse = await b.post(`/office/ho-so/${id}/thao-tac/refuse_receipt`, { reason: "" });
    assert.equal(refuse.statusCode, 400);
    assert.match(refuse.body, /<p class="field-error" id="act-refuse_receipt-reason-error">Cần nêu rõ lý do từ chối tiếp nhận\.<\/p>/);
    assert.match(refuse.body, /id="act-refuse_receipt-reason"[^>]*aria-invalid="true"/);
  });

  it("receives the dossier; a second officer acting on the old page is told it moved on (409)", async () => {
    const id = await dossierAt("filed");
    const res = await as("receiver").post(`/office/ho-so/${id}/thao-tac/receive`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/office/ho-so/${id}?da=receive`);
    const page = await as("receiver").get(String(res.headers.location), HTML);
    assert.match(page.body, /Đã thực hiện: Tiếp nhận hồ sơ\./);
    const code = (await api(s.cast.receiver, "GET", `/api/dossiers/${id}`)).json().code as string;
    assert.match(page.body, new RegExp(`<dd id="code">${code.replace(/\./g, "\\.")}</dd>`));
    const again = await as("receiver").post(`/office/ho-so/${id}/thao-tac/receive`, {});
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /<p class="error" role="alert" id="action-error">Thao tác không thực hiện được: hồ sơ vừa được người khác xử lý/);
    assert.match(again.body, /<strong>Đang xử lý<\/strong> — Thẩm định hồ sơ/, "the page as it is now");
  });

  it("offers the forms that apply to the dossier and no other: the stop notice once it is stopped", async () => {
    const id = await dossierAt("received");
    const offered = async () => {
      const page = await as("receiver").get(`/office/ho-so/${id}`, HTML);
      return [...page.body.matchAll(new RegExp(`<a href="/api/dossiers/${id}/forms/(\\d\\d)\\.pdf">([^<]*)</a>`, "g"))].map((m) => `${m[1]} ${m[2]}`);
    };
    assert.deepEqual(await offered(), [
      "01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)",
      "06 Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06)",
      "07 Sổ theo dõi hồ sơ (Mẫu 07)",
    ]);
    const stopped = await api(s.cast.leader, "POST", `/api/dossiers/${id}/actions/stop`, { reason: "Theo đề nghị của người yêu cầu" });
    assert.equal(stopped.statusCode, 200, stopped.body);
    assert.deepEqual((await offered()).map((l) => l.slice(0, 2)), ["01", "05", "06", "07"]);
    assert.ok((await offered()).includes("05 Thông báo dừng giải quyết hồ sơ (Mẫu 05)"));
  });

  it("offers each role the actions of the step it is at", async () => {
    const id = await dossierAt("received");
    const specialist = await as("specialist").get(`/office/ho-so/${id}`, HTML);
    assert.deepEqual(forms(specialist.body), ["forward", "request_supplement", "send_back"], "no result before the leader has signed");
    assert.ok(!forms(specialist.body).includes("approve"));
    // Mẫu 06 of Circular 03/2025 (the dossier was received after 15/09/2025; Circular 01/2018 numbered it 05).
    assert.match(specialist.body, /Phiếu kiểm soát quá trình giải quyết hồ sơ \(Mẫu 06\)/);
    const queue = await as("specialist").get("/office/ho-so?hang-doi=processing", HTML);
    assert.match(queue.body, new RegExp(`<a href="/office/ho-so/${id}">`));
    const fwd = await as("specialist").post(`/office/ho-so/${id}/thao-tac/forward`, { note: "Đủ điều kiện" });
    assert.equal(fwd.statusCode, 303);
    const leader = await as("leader").get(`/office/ho-so/${id}`, HTML);
    assert.deepEqual(forms(leader.body), ["approve", "assign", "finish", "request_supplement", "forward", "send_back", "refuse", "apologize", "stop"]);
    // What is offered is what the guard allows, arranged, nothing added or left out.
    const allowed = (await api(s.cast.leader, "GET", `/api/dossiers/${id}`)).json().allowedActions as string[];
    assert.deepEqual([...forms(leader.body)].sort(), [...allowed].sort());
    assert.match(leader.body, /<input id="act-apologize-newDueAt" name="newDueAt" type="datetime-local"/);
    const back = await as("leader").post(`/office/ho-so/${id}/thao-tac/send_back`, {});
    assert.equal(back.statusCode, 400);
    assert.match(back.body, /id="act-send_back-note-error">Cần ghi lý do chuyển trả bước trước\./);
    assert.deepEqual(disclosed(back.body)?.open, true, "a rare action refused opens the disclosure to show why");
    assert.equal(disclosed(leader.body)?.open, false);
    const approved = await as("leader").post(`/office/ho-so/${id}/thao-tac/approve`, {});
    assert.equal(approved.statusCode, 303);
    assert.deepEqual(forms((await as("leader").get(`/office/ho-so/${id}`, HTML)).body), [], "the dossier went back to the centre");
  });

  it("leads each step with its own action, naming where it sends the dossier, and keeps the rare ones behind a disclosure", async () => {
    const justice = s.agencies.justice.name;
    const centre = s.agencies.centre.name;
    const id = await dossierAt("filed");
    const page = async (who: "receiver" | "specialist" | "leader") => (await as(who).get(`/office/ho-so/${id}`, HTML)).body;

    // The desk receives; the dossier then goes to the department's specialist.
    let html = await page("receiver");
    assert.equal(primary(html), "receive");
    assert.equal(destination(html, "receive"), `Sau khi tiếp nhận, hồ sơ chuyển đến: Thẩm định hồ sơ — Chuyên viên xử lý, Phòng Hành chính tư pháp - ${justice}`);
    assert.deepEqual(disclosed(html), { open: false, actions: ["refuse_receipt", "request_supplement"] });
    assert.match(html, /<summary>Thao tác khác: từ chối tiếp nhận, yêu cầu bổ sung hồ sơ<\/summary>/);
    assert.match(html, /<button type="submit" class="primary" aria-describedby="act-receive-to">Tiếp nhận hồ sơ<\/button>/);
    assert.equal((await as("receiver").post(`/office/ho-so/${id}/thao-tac/receive`, {})).statusCode, 303);

    // The specialist forwards it to the leader who signs; sending it back is rare.
    html = await page("specialist");
    assert.equal(primary(html), "forward");
    assert.equal(destination(html, "forward"), `Hồ sơ chuyển đến bước tiếp theo: Lãnh đạo Sở ký duyệt — Lãnh đạo, Văn phòng Sở - ${justice}`);
    assert.deepEqual(disclosed(html)?.actions, ["request_supplement", "send_back"]);
    assert.equal(destination(html, "send_back"), `Hồ sơ trả lại bước trước: Tiếp nhận tại Trung tâm — Bộ phận tiếp nhận và trả kết quả - ${centre}`);
    assert.equal((await as("specialist").post(`/office/ho-so/${id}/thao-tac/forward`, {})).statusCode, 303);

    // The signing leader approves, and the result goes back to the centre's desk; forwarding unsigned is rare.
    html = await page("leader");
    assert.equal(primary(html), "approve");
    assert.match(html, /<p class="notice" id="next-step">Việc cần làm ở bước này: <a href="#act-approve">Phê duyệt<\/a><\/p>/, "pointed to from the top");
    assert.match(html, /<button type="submit" class="primary" aria-describedby="act-approve-to">Phê duyệt<\/button>/);
    assert.equal(destination(html, "approve"), `Hồ sơ chuyển đến bước tiếp theo: Trả kết quả — Bộ phận tiếp nhận và trả kết quả - ${centre}`);
    assert.deepEqual(disclosed(html)?.actions, ["request_supplement", "forward", "send_back", "refuse", "apologize", "stop"]);
    assert.equal(destination(html, "send_back"), `Hồ sơ trả lại bước trước: Thẩm định hồ sơ — Chuyên viên xử lý, Phòng Hành chính tư pháp - ${justice}`);
    assert.equal(destination(html, "finish"), `Kết quả chuyển đến: Trả kết quả — Bộ phận tiếp nhận và trả kết quả - ${centre}`);
    assert.equal((await as("leader").post(`/office/ho-so/${id}/thao-tac/approve`, {})).statusCode, 303);

    // At the end the desk registers the result, then returns it to the applicant.
    html = await page("receiver");
    assert.equal(primary(html), "finish");
    assert.equal(destination(html, "finish"), "Kết quả trả cho người nộp hồ sơ: Nguyễn Thị Mai");
    assert.deepEqual(disclosed(html)?.actions, ["send_back"], "the desk may send it back to the leader, seldom");
    const ok = await uploadFrom(env.app, as("receiver"), `/office/ho-so/${id}/ket-qua`, "", { name: "ket-qua.pdf", type: "application/pdf", bytes: PDF });
    assert.equal(ok.statusCode, 303);
    html = await page("receiver");
    assert.equal(primary(html), "return");
    assert.equal(destination(html, "return"), "Kết quả trả cho người nộp hồ sơ: Nguyễn Thị Mai");
  });

  it("names another agency's step where a decision goes up to it (two signatures)", async () => {
    const two = await publishProcedures(env.ctx, buildTwoSignaturesProcedure(s.place));
    const id = (await fileDossier(env.ctx, s, two, { stage: "received" })).id;
    assert.equal((await api(s.cast.specialist, "POST", `/api/dossiers/${id}/actions/forward`, {})).statusCode, 200);
    // The head of unit signs nothing: reviewing, they forward it to the director.
    let html = (await as("leader").get(`/office/ho-so/${id}`, HTML)).body;
    assert.equal(primary(html), "forward");
    assert.equal(destination(html, "forward"), `Hồ sơ chuyển đến bước tiếp theo: Giám đốc Sở ký tờ trình — Lãnh đạo, Văn phòng Sở - ${s.agencies.justice.name}`);
    assert.equal((await as("leader").post(`/office/ho-so/${id}/thao-tac/forward`, {})).statusCode, 303);
    // The director signs the proposal, which goes up to the province's chairman.
    html = (await as("leader").get(`/office/ho-so/${id}`, HTML)).body;
    assert.equal(primary(html), "approve");
    assert.equal(destination(html, "approve"), `Hồ sơ chuyển đến bước tiếp theo: Chủ tịch Ủy ban nhân dân tỉnh ký quyết định — Lãnh đạo, ${s.agencies.province.name}`);
    assert.ok(!forms(html).includes("finish"), "no result before the chairman has signed");
  });

  it("shows the control sheet's hand-overs in the words of its PDF, not in codes", async () => {
    const id = await dossierAt("returned");
    const table = controlTable((await as("receiver").get(`/office/ho-so/${id}`, HTML)).body);
    const rows = [...table.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>([^<]*)<\/td>(?:<td>[^<]*<\/td>){3}<td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[3]!.split(", ")[0]]);
    const { justice, centre } = s.agencies;
    assert.deepEqual(rows, [
      ["Tiếp nhận tại Trung tâm", `Bộ phận tiếp nhận và trả kết quả - ${centre.name}`, "Đã tiếp nhận"],
      ["Thẩm định hồ sơ", `Phòng Hành chính tư pháp - ${justice.name}`, "Chuyển bước tiếp theo"],
      ["Lãnh đạo Sở ký duyệt", `Văn phòng Sở - ${justice.name}`, "Đã ký duyệt"],
      ["Trả kết quả", `Bộ phận tiếp nhận và trả kết quả - ${centre.name}`, "Đã trả kết quả"],
    ]);
    for (const code of [centre.code, justice.code, "tiep-nhan", "van-phong", "received", "forwarded", "approved", "returned"]) assert.ok(!table.includes(code), `${code} is not shown`);
  });

  it("the desk uploads the result (a PDF only), finishes and returns it", async () => {
    const id = await dossierAt("approved");
    const page = await as("receiver").get(`/office/ho-so/${id}`, HTML);
    assert.ok(forms(page.body).includes("finish"));
    assert.match(page.body, /<form method="post" action="\/office\/ho-so\/[0-9a-f-]+\/ket-qua" enctype="multipart\/form-data"/);
    const png = await uploadFrom(env.app, as("receiver"), `/office/ho-so/${id}/ket-qua`, "", { name: "ket-qua.pdf", type: "application/pdf", bytes: PNG });
    assert.equal(png.statusCode, 415);
    assert.match(png.body, /có loại image\/png, không được chấp nhận/);
    const ok = await uploadFrom(env.app, as("receiver"), `/office/ho-so/${id}/ket-qua`, "", { name: "ket-qua.pdf", type: "application/pdf", bytes: PDF });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const done = await as("receiver").get(String(ok.headers.location), HTML);
    assert.match(done.body, /<strong>Đã có kết quả<\/strong>/);
    assert.deepEqual(forms(done.body), ["return"]);
    assert.match(done.body, /<option value="online" selected>Trực tuyến \(tải về trên Cổng\)<\/option>/);
    assert.match((await as("receiver").get("/office/ho-so?hang-doi=finished", HTML)).body, new RegExp(`/office/ho-so/${id}`));
    const returned = await as("receiver").post(`/office/ho-so/${id}/thao-tac/return`, { method: "online" });
    assert.equal(returned.statusCode, 303);
    assert.equal((await api(s.cast.receiver, "GET", `/api/dossiers/${id}`)).json().status, "returned");
  });

  it("takes a dossier at the counter: procedure, applicant and form, papers, then files and receives it in one go", async () => {
    const b = as("receiver");
    const search = await b.get(`/office/tiep-nhan/moi?q=${encodeURIComponent("bàn làm việc")}`, HTML);
    assert.equal(search.statusCode, 200);
    assert.match(search.body, new RegExp(`<a href="/office/tiep-nhan/moi\\?thu-tuc=${procedure.code}">${procedure.name}</a>`));
    const form = await b.get(`/office/tiep-nhan/moi?thu-tuc=${procedure.code}`, HTML);
    assert.match(form.body, /<legend>Loại người nộp<\/legend>/);
    assert.match(form.body, /<label for="a-idNumber">Số CCCD hoặc mã số thuế/);
    assert.match(form.body, /<label for="f-hoTen">Họ và tên/);
    assert.match(form.body, new RegExp(`<option value="${s.place.centre.replace(/\./g, "\\.")}" selected>`), "the desk's own agency first");
    const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(form.body)![1]!;
    const fields = { "thu-tuc": procedure.code, requestId, agency: s.place.centre, "a.type": "citizen", "a.name": "Trần Văn Bình", "a.phone": "0912345678", "f.hoTen": "Trần Văn Bình" };
    const bad = await b.post("/office/tiep-nhan/moi", { ...fields, "a.idNumber": "12345" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="a-idNumber-error">Số CCCD \(12 chữ số\) hoặc mã số thuế/);
    assert.match(bad.body, /id="a-name"[^>]*value="Trần Văn Bình"/);
    const created = await b.post("/office/tiep-nhan/moi", { ...fields, "a.idNumber": "001099000123" });
    assert.equal(created.statusCode, 303, created.body.slice(0, 500));
    const location = String(created.headers.location);
    const counterId = location.split("/")[3]!.split("?")[0]!;
    const draft = await b.get(location, HTML);
    assert.match(draft.body, /Đã tạo hồ sơ tại quầy/);
    assert.match(draft.body, /<button type="submit" form="dossier-form" name="intent" value="receive">Nộp và tiếp nhận hồ sơ<\/button>/);
    const missing = await b.post(`/office/ho-so/${counterId}`, { intent: "receive", "f.hoTen": "Trần Văn Bình", "f.soCccd": "001099000123" });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Cần đính kèm: Tờ khai theo mẫu\./);
    const up = await uploadFrom(env.app, b, `/office/ho-so/${counterId}/tep`, "to-khai", { name: "ban-quet.pdf", type: "application/pdf", bytes: PDF });
    assert.equal(up.statusCode, 303);
    const received = await b.post(`/office/ho-so/${counterId}`, { intent: "receive", "f.hoTen": "Trần Văn Bình", "f.soCccd": "001099000123" });
    assert.equal(received.statusCode, 303, received.body.slice(0, 500));
    const page = await b.get(String(received.headers.location), HTML);
    assert.match(page.body, /Đã tiếp nhận hồ sơ: mã hồ sơ và ngày hẹn trả kết quả ghi dưới đây\./);
    const d = (await api(s.cast.receiver, "GET", `/api/dossiers/${counterId}`)).json();
    assert.equal(d.channel, "counter");
    assert.equal(d.status, "processing");
    assert.match(page.body, new RegExp(`<dd id="code">${d.code.replace(/\./g, "\\.")}</dd>`));
  });
});
