// The forms of a real dossier, downloaded as its applicant and its officers see them. A dossier received from
// 15 September 2025 has Circular 03/2025/TT-VPCP's seven: Mẫu 01 after receipt with the code, the papers actually
// filed and the QR to the lookup, 02 after a supplement request, 03 after a refusal, 04 (apology and request for an
// extension) after an apology, 05 (notice of stopping) after a stop, 06 with the hand-overs, 07 the register line;
// one received before keeps Circular 01/2018/TT-VPCP's six. A form whose event has not happened is a 404
// `dossier.form_not_applicable`. The register of a day as PDF and CSV. Each test files and receives a dossier of
// its own.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { fixedClock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { decodeQr, readPdf } from "../../../test/helpers/pdf.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import type { TestAccount } from "../identity/testing.ts";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import {
  actorOf,
  apiAs,
  buildProvincialProcedure,
  dossierSetting,
  type DossierSetting,
  driveTo,
  fileDossier,
  formOf,
  PDF,
  publishProcedures,
  uploadAs,
  VALID_ACTION_INPUT,
} from "./testing.ts";

const clock = fixedClock("2026-12-01T02:00:00Z");

describe("forms of a dossier", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let procedure: ProcedureContent;
  const build = (place: DossierSetting["place"]) => buildProvincialProcedure(place, { name: "Cấp phiếu thử nghiệm biểu mẫu" });

  before(async () => {
    env = await testApp({ clock, config: { publicUrl: "https://dvc.bacninh.example.gov.vn" } });
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, build(s.place));
  });
  after(() => env.close());

  /** A dossier filed online by the cast's citizen and received at the centre. */
  const received = async (setting = s, p = procedure) => {
    const d = await fileDossier(env.ctx, setting, p, { stage: "received" });
    return { id: d.id, code: d.code!, lookupKey: d.lookupKey! };
  };
  const pdf = async (who: TestAccount, id: string, n: string) => api(who, "GET", `/api/dossiers/${id}/forms/${n}.pdf`);

  it("gives the receipt (Mẫu 01) on A5, in Vietnamese, with the QR code that opens the public lookup", async () => {
    const d = await received();
    const res = await pdf(s.cast.citizen, d.id, "01");
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "application/pdf");
    const doc = await readPdf(res.rawPayload);
    const page = doc.pages[0]!;
    assert.equal(Math.round(page.width), 420);
    assert.equal(Math.round(page.height), 595);
    const text = doc.pages.map((p) => p.text).join("\n");
    for (const t of [d.code, "Nguyễn Thị Mai", "Cấp phiếu thử nghiệm biểu mẫu", "Tờ khai theo mẫu", "02 ngày làm việc", "Trần Văn Tiếp"]) {
      assert.ok(text.includes(t), `"${t}" on the receipt`);
    }
    const url = `https://dvc.bacninh.example.gov.vn/tra-cuu?ma=${encodeURIComponent(d.code)}&khoa=${d.lookupKey}`;
    const qr = page.images.map(decodeQr).find(Boolean);
    assert.equal(qr, url);
  });

  const titleOf = async (who: TestAccount, id: string, n: string) => {
    const res = await pdf(who, id, n);
    assert.equal(res.statusCode, 200, `Mẫu ${n}: ${res.body.slice(0, 300)}`);
    const doc = await readPdf(res.rawPayload);
    return { title: doc.info.Title, subject: doc.info.Subject, text: doc.pages.map((p) => p.text).join("\n").replace(/\s+/g, " "), pages: doc.pages };
  };

  it("gives a form only once its event happened (404 dossier.form_not_applicable), and only to those who may see the dossier", async () => {
    const { id } = await received();
    const { citizen, business } = s.cast;
    for (const [n, title] of [
      ["02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"],
      ["03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"],
      ["04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"],
      ["05", "Thông báo dừng giải quyết hồ sơ"],
    ]) {
      const res = await pdf(citizen, id, n!);
      assert.equal(res.statusCode, 404, `Mẫu ${n}`);
      const error = res.json().error;
      assert.equal(error.code, "dossier.form_not_applicable", `Mẫu ${n} is not "no such dossier"`);
      assert.equal(error.message, `Mẫu ${n} (${title}) không áp dụng cho hồ sơ này: hồ sơ chưa có sự việc mà biểu mẫu ghi nhận.`);
      assert.equal(error.form, n);
    }
    assert.equal((await pdf(business, id, "01")).json().error.code, "dossier.not_found", "another applicant");
    assert.equal((await pdf(citizen, id, "07")).json().error.code, "dossier.not_found", "the register is the officers'");
    assert.equal((await pdf(citizen, randomUUID(), "02")).json().error.code, "dossier.not_found");
    assert.equal((await api(citizen, "GET", `/api/dossiers/${id}/forms/08.pdf`)).statusCode, 400);
  });

  it("gives a dossier received from 15/09/2025 the seven forms of Circular 03/2025, each once its event happened", async () => {
    const { id } = await received();
    const { citizen, receiver, specialist, leader } = s.cast;
    const forms: Record<string, unknown> = {};
    for (const n of ["01", "06"]) forms[n] = (await titleOf(citizen, id, n)).title;
    forms["07"] = (await titleOf(receiver, id, "07")).title;
    await api(specialist, "POST", `/api/dossiers/${id}/actions/request_supplement`, VALID_ACTION_INPUT.request_supplement);
    forms["02"] = (await titleOf(citizen, id, "02")).title;
    const now = (await api(specialist, "GET", `/api/dossiers/${id}`)).json();
    assert.equal(now.status, "supplementing");
    await api(citizen, "POST", `/api/dossiers/${id}/actions/supplement`, VALID_ACTION_INPUT.supplement);
    const due = (await api(specialist, "GET", `/api/dossiers/${id}`)).json().dueAt as string;
    // Three more working days: from a Wednesday 17:00 to the next Monday 17:00.
    const newDueAt = new Date(new Date(due).getTime() + 5 * 86_400_000).toISOString();
    const apologized = await api(leader, "POST", `/api/dossiers/${id}/actions/apologize`, { reason: "Cần xác minh thêm với cơ quan khác", newDueAt });
    assert.equal(apologized.statusCode, 200, apologized.body);
    const four = await titleOf(citizen, id, "04");
    forms["04"] = four.title;
    for (const t of ["VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", "Cần xác minh thêm với cơ quan khác", "Thời gian đề nghị gia hạn: 03 ngày làm việc", "Phạm Văn Lãnh"]) {
      assert.ok(four.text.includes(t), `"${t}" in Mẫu 04`);
    }
    const stopped = await api(leader, "POST", `/api/dossiers/${id}/actions/stop`, { reason: "Người yêu cầu đề nghị dừng giải quyết hồ sơ" });
    assert.equal(stopped.statusCode, 200, stopped.body);
    const five = await titleOf(citizen, id, "05");
    forms["05"] = five.title;
    assert.equal(five.subject, "Thông tư 03/2025/TT-VPCP");
    for (const t of ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Kính gửi: Ông/Bà Nguyễn Thị Mai", "thông báo dừng giải quyết hồ sơ nêu trên", "Lý do: Người yêu cầu đề nghị dừng giải quyết hồ sơ", "Phạm Văn Lãnh"]) {
      assert.ok(five.text.includes(t), `"${t}" in Mẫu 05`);
    }
    // Refused at the desk: another dossier, filed and not received, has no code yet and so no forms; one refused
    // after receipt has Mẫu 03.
    const refused = await received();
    assert.equal((await api(leader, "POST", `/api/dossiers/${refused.id}/actions/refuse`, VALID_ACTION_INPUT.refuse)).statusCode, 200);
    const three = await titleOf(citizen, refused.id, "03");
    forms["03"] = three.title;
    assert.ok(three.text.includes("Không đủ điều kiện"));
    assert.deepEqual(forms, {
      "01": "Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
      "02": "Mẫu 02 - Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
      "03": "Mẫu 03 - Phiếu từ chối tiếp nhận giải quyết hồ sơ",
      "04": "Mẫu 04 - Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
      "05": "Mẫu 05 - Thông báo dừng giải quyết hồ sơ",
      "06": "Mẫu 06 - Phiếu kiểm soát quá trình giải quyết hồ sơ",
      "07": "Mẫu 07 - Sổ theo dõi hồ sơ",
    });
  });

  it("gives a dossier received on 1 September 2025 the six forms of Circular 01/2018, with their old numbers and titles", async () => {
    // The procedure is in force before the dossier is filed; the dossier is filed, received and apologised for in
    // September 2025; its forms are asked for now (December 2026).
    const old = await dossierSetting(env.ctx);
    clock.set("2025-08-25T02:00:00Z");
    try {
      const p = await publishProcedures(env.ctx, build(old.place));
      clock.set("2025-09-01T02:00:00Z");
      const d = await fileDossier(env.ctx, old, p, { stage: "received" });
      assert.ok(d.receivedAt!.startsWith("2025-09-01"), d.receivedAt!);
      const newDueAt = new Date(new Date(d.dueAt!).getTime() + 3 * 86_400_000).toISOString();
      // Through the service: a bearer token minted now would not be valid in 2025.
      await env.ctx.dossiers.act(actorOf(env.ctx, old.cast.leader), d.id, "apologize", { reason: "Chờ ý kiến cơ quan khác", newDueAt });
      clock.set("2026-12-01T02:00:00Z");
      const { citizen, receiver, leader } = old.cast;
      const forms: Record<string, unknown> = {};
      for (const n of ["01", "04", "05"]) forms[n] = (await titleOf(citizen, d.id, n)).title;
      const register = await titleOf(receiver, d.id, "06");
      forms["06"] = register.title;
      assert.equal(register.subject, "Thông tư 01/2018/TT-VPCP");
      assert.deepEqual(forms, {
        "01": "Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "04": "Mẫu 04 - Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "05": "Mẫu 05 - Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "06": "Mẫu 06 - Sổ theo dõi hồ sơ",
      });
      assert.equal((await pdf(citizen, d.id, "06")).json().error.code, "dossier.not_found", "the register is the officers'");
      const seven = (await pdf(receiver, d.id, "07")).json().error;
      assert.equal(seven.code, "dossier.form_not_applicable");
      assert.equal(seven.message, "Hồ sơ này áp dụng các biểu mẫu của Thông tư 01/2018/TT-VPCP, không có Mẫu 07.");
      // Stopped, it still has no notice of stopping: Circular 01/2018 has none.
      assert.equal((await api(leader, "POST", `/api/dossiers/${d.id}/actions/stop`, VALID_ACTION_INPUT.stop)).statusCode, 200);
      assert.equal((await titleOf(citizen, d.id, "05")).title, "Mẫu 05 - Phiếu kiểm soát quá trình giải quyết hồ sơ");
      // The registers follow their period: Mẫu 06 up to 14/09/2025, Mẫu 07 from the 15th, and never both in one.
      const q = (from: string, to: string) => `/api/office/register?agency=${old.place.centre}&from=${from}&to=${to}`;
      const before = await readPdf((await api(receiver, "GET", q("2025-09-01", "2025-09-14"))).rawPayload);
      assert.equal(before.info.Title, "Mẫu 06 - Sổ theo dõi hồ sơ");
      assert.ok(before.pages.map((p) => p.text).join("").replace(/\s+/g, "").includes(d.code!));
      const since = await readPdf((await api(receiver, "GET", q("2025-09-15", "2025-09-30"))).rawPayload);
      assert.equal(since.info.Title, "Mẫu 07 - Sổ theo dõi hồ sơ");
      const across = await api(receiver, "GET", q("2025-09-01", "2025-09-30"));
      assert.equal(across.statusCode, 400);
      assert.equal(across.json().error.fields[0].path, "/query/to");
    } finally {
      clock.set("2026-12-01T02:00:00Z");
    }
  });

  it("lists on the receipt only the papers filed by receipt, with how many files each, on one page with the signatures", async () => {
    const { citizen, specialist } = s.cast;
    const actor = actorOf(env.ctx, citizen);
    const { dossier } = await env.ctx.dossiers.create(actor, { procedureCode: procedure.code, agencyCode: s.place.centre, formData: formOf(citizen), requestId: randomUUID() });
    // The form in two files; no copy of the CCCD (optional) before receipt.
    for (const name of ["to-khai-trang-1.pdf", "to-khai-trang-2.pdf"]) {
      await env.ctx.dossiers.attach(actor, dossier.id, { component: "to-khai", declaredName: name, source: Readable.from(PDF) });
    }
    const d = await driveTo(env.ctx, s, dossier, "received");
    clock.advance(60_000);
    // The CCCD comes later, as a supplement after receipt: it is the supplement's paper, not the receipt's.
    await api(specialist, "POST", `/api/dossiers/${d.id}/actions/request_supplement`, VALID_ACTION_INPUT.request_supplement);
    assert.equal((await uploadAs(env.app, citizen, d.id, "cccd")).statusCode, 201);
    const receipt = await titleOf(citizen, d.id, "01");
    assert.ok(receipt.text.includes("1 Tờ khai theo mẫu 02"), `the form with its two files: ${receipt.text}`);
    assert.ok(!receipt.text.includes("Căn cước công dân"), "a paper not filed by receipt is not on the receipt");
    assert.equal(receipt.pages.length, 1);
    assert.ok(receipt.pages[0]!.text.includes("NGƯỜI TIẾP NHẬN HỒ SƠ"), "the signatures on the page that holds the papers");
  });

  it("gives the supplement request (Mẫu 02) with its items, and the apology (Mẫu 04) with the new date", async () => {
    const { id } = await received();
    const { citizen, specialist, leader } = s.cast;
    await api(specialist, "POST", `/api/dossiers/${id}/actions/request_supplement`, { items: [{ component: "cccd", reason: "Bản sao bị mờ, không đọc được" }] });
    const two = await readPdf((await pdf(citizen, id, "02")).rawPayload);
    const text2 = two.pages.map((p) => p.text).join("\n");
    assert.ok(text2.includes("Bản sao bị mờ, không đọc được"));
    assert.ok(text2.includes("Căn cước công dân"), "the component's name, not its key");

    const now = (await api(specialist, "GET", `/api/dossiers/${id}`)).json();
    const newDueAt = new Date(new Date(now.dueAt).getTime() + 3 * 86_400_000).toISOString();
    const apologized = await api(leader, "POST", `/api/dossiers/${id}/actions/apologize`, { reason: "Cần xác minh thêm với cơ quan khác", newDueAt });
    assert.equal(apologized.statusCode, 200, apologized.body);
    const four = await readPdf((await pdf(citizen, id, "04")).rawPayload);
    const text4 = four.pages.map((p) => p.text).join("\n");
    assert.ok(text4.includes("Cần xác minh thêm với cơ quan khác"));
    assert.ok(text4.includes("Phạm Văn Lãnh"));
  });

  // Mẫu 06 since Circular 03/2025 (it was 05 under Circular 01/2018, whose 05 the stop notice now is).
  it("gives the control sheet (Mẫu 06) on A5 landscape with every hand-over", async () => {
    const { id } = await received();
    const five = await readPdf((await pdf(s.cast.receiver, id, "06")).rawPayload);
    assert.deepEqual([Math.round(five.pages[0]!.width), Math.round(five.pages[0]!.height)], [595, 420]);
    // Table cells wrap: compare the text with its line breaks folded.
    const text = five.pages.map((p) => p.text).join("\n").replace(/\s+/g, " ");
    for (const t of ["Tiếp nhận tại Trung tâm", "Thẩm định hồ sơ", "Sở Tư pháp tỉnh Bắc Ninh", "Phòng Hành chính tư pháp", "Đã tiếp nhận", "Đúng hạn"]) assert.ok(text.includes(t), t);
    assert.ok(!text.includes("hanh-chinh-tu-phap"), "departments by name, not code");
  });

  it("gives the register of a day as PDF and as CSV for the agency's officers", async () => {
    // A centre of its own: the day's register holds this test's receipt and nothing else.
    const own = await dossierSetting(env.ctx);
    const d = await received(own, await publishProcedures(env.ctx, build(own.place)));
    const { citizen, receiver } = own.cast;
    const centre = own.place.centre;
    const q = `agency=${centre}&from=2026-12-01&to=2026-12-01`;
    const csv = await api(receiver, "GET", `/api/office/register?${q}&format=csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers["content-type"]), /text\/csv/);
    assert.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), "a BOM so spreadsheets read UTF-8");
    const rows = parse(csv.rawPayload.subarray(3).toString("utf8"), { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 1);
    assert.ok(Object.values(rows[0]!).includes(d.code));
    assert.ok(Object.values(rows[0]!).includes("Nguyễn Thị Mai"));
    assert.ok(Object.values(rows[0]!).includes("01/12/2026"), "received that day");
    const reg = await readPdf((await api(receiver, "GET", `/api/office/register?${q}`)).rawPayload);
    assert.ok(reg.pages[0]!.width > reg.pages[0]!.height, "landscape");
    assert.ok(reg.pages.map((p) => p.text).join("").replace(/\s+/g, "").includes(d.code));
    assert.equal((await api(citizen, "GET", `/api/office/register?${q}`)).statusCode, 403);
    const backwards = await api(receiver, "GET", `/api/office/register?agency=${centre}&from=2026-12-02&to=2026-12-01`);
    assert.equal(backwards.statusCode, 400, "a period that ends before it starts is bad input, not a refusal");
    assert.equal(backwards.json().error.fields[0].path, "/query/to");
    assert.equal((await api(receiver, "GET", `/api/office/register?agency=${centre}&from=2024-01-01&to=2026-12-01`)).statusCode, 400);
    const empty = await api(receiver, "GET", `/api/office/register?agency=${centre}&from=2026-11-01&to=2026-11-30&format=csv`);
    assert.equal((parse(empty.rawPayload.subarray(3).toString("utf8"), { columns: true }) as unknown[]).length, 0);
  });
});
