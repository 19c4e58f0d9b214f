// The forms of a real dossier, downloaded as its applicant and its officers see them: Mẫu 01 after
// receipt with the code and the QR to the lookup, Mẫu 02 after a supplement request, Mẫu 04 after an
// apology, Mẫu 05 with the hand-overs, the register of a day as PDF and CSV. Each test files and receives a
// dossier of its own.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { fixedClock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { decodeQr, readPdf } from "../../../test/helpers/pdf.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import type { TestAccount } from "../identity/testing.ts";
import { apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, fileDossier, publishProcedures } from "./testing.ts";

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

  it("gives a form only once its event happened, and only to those who may see the dossier", async () => {
    const { id } = await received();
    const { citizen, business } = s.cast;
    assert.equal((await pdf(citizen, id, "02")).statusCode, 404, "no supplement asked yet");
    assert.equal((await pdf(citizen, id, "03")).statusCode, 404);
    assert.equal((await pdf(citizen, id, "04")).statusCode, 404);
    assert.equal((await pdf(business, id, "01")).statusCode, 404, "another applicant");
    assert.equal((await pdf(citizen, id, "06")).statusCode, 404, "the register is the officers'");
    assert.equal((await api(citizen, "GET", `/api/dossiers/${id}/forms/07.pdf`)).statusCode, 400);
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

  it("gives the control sheet (Mẫu 05) on A5 landscape with every hand-over", async () => {
    const { id } = await received();
    const five = await readPdf((await pdf(s.cast.receiver, id, "05")).rawPayload);
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
