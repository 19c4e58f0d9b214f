// Filing anywhere in the province (Decree 118/2025/NĐ-CP; DOMAIN.md §2–3): a commune's desk receives a dossier of
// a Department of Justice procedure at its counter under its own code, hands it over to the department (a liên
// thông row of the control sheet with its own due time, on time or late), the department's officers see it
// "transferred to us" and process it, and the result comes back to the commune's desk to be returned. Online, the
// applicant chooses where to collect the result. Who may act stays the guard's: the desk receives, the competent
// agency processes, other agencies see nothing.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { after, before, beforeEach, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { readPdf } from "../../../test/helpers/pdf.ts";
import { fixedClock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { buildOfficer, formBrowser, TEST_PASSWORD, type TestAccount } from "../identity/testing.ts";
import { planSteps, TRANSFER_STEP } from "../workflow/index.ts";
import type { DossierDto } from "./schema.ts";
import { actorOf, apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, formOf, PDF, publishProcedures, uploadAs } from "./testing.ts";

// Tuesday 1 December 2026, 09:00 in Hà Nội.
const START = "2026-12-01T02:00:00Z";
const clock = fixedClock(START);
const HOUR = 3600_000;

describe("filing anywhere in the province", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let procedure: ProcedureContent;
  /** Phường Kinh Bắc: a commune's People's Committee, whose one-stop desk receives for the whole province. */
  let ward: AgencyDto;
  let wardDesk: TestAccount;
  let wardClerk: TestAccount;
  /** Another department of the province, and a desk of another province: neither has anything to do with it. */
  let construction: TestAccount;
  let otherProvinceDesk: AgencyDto;
  let otherProvinceReceiver: TestAccount;

  before(async () => {
    env = await testApp({ clock });
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Cấp phiếu thử nghiệm nộp ở bất kỳ đâu" }));
    ward = await buildAgency(env.ctx, {
      parent: s.agencies.province,
      kind: "people_committee",
      name: "Ủy ban nhân dân phường Kinh Bắc",
      communeCode: "09187",
      departments: [
        { code: "tiep-nhan", name: "Trung tâm Phục vụ hành chính công phường" },
        { code: "van-phong", name: "Văn phòng" },
      ],
    });
    wardDesk = await buildOfficer(env.ctx, { agency: ward, department: "tiep-nhan", roles: ["receiver"], fullName: "Ngô Thị Kinh", email: null });
    wardClerk = await buildOfficer(env.ctx, { agency: ward, department: "van-phong", roles: ["specialist"], fullName: "Vũ Văn Bắc", email: null });
    const constructionDept = await buildAgency(env.ctx, { parent: s.agencies.province, kind: "specialised_agency", name: "Sở Xây dựng tỉnh Bắc Ninh" });
    construction = await buildOfficer(env.ctx, { agency: constructionDept, department: null, roles: ["specialist", "leader", "receiver"], fullName: "Đinh Văn Dựng", email: null });
    const otherProvince = await buildAgency(env.ctx, { provinceCode: "01", kind: "people_committee", name: "Ủy ban nhân dân thành phố Hà Nội" });
    otherProvinceDesk = await buildAgency(env.ctx, { parent: otherProvince, kind: "service_centre", name: "Trung tâm Phục vụ hành chính công thành phố Hà Nội" });
    otherProvinceReceiver = await buildOfficer(env.ctx, { agency: otherProvinceDesk, department: null, roles: ["receiver"], fullName: "Lý Văn Hà", email: null });
  });
  after(() => env.close());
  beforeEach(() => clock.set(START));

  const act = (who: TestAccount, d: { id: string }, action: string, body: unknown = {}) => api(who, "POST", `/api/dossiers/${d.id}/actions/${action}`, body);
  const ok = async (res: Awaited<ReturnType<typeof api>>, status = 200): Promise<DossierDto> => {
    assert.equal(res.statusCode, status, res.body);
    return res.json() as DossierDto;
  };

  /** A walk-in's dossier of the department's procedure, made and filed at the ward's counter, then received there. */
  async function receivedAtWard(): Promise<DossierDto> {
    const made = await ok(
      await api(wardDesk, "POST", "/api/dossiers", {
        procedureCode: procedure.code,
        agencyCode: ward.code,
        channel: "counter",
        applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: s.cast.citizen.username, phone: "0912345678", address: "Xã Phật Tích, tỉnh Bắc Ninh" },
        formData: formOf(s.cast.citizen),
        requestId: randomUUID(),
      }),
      201,
    );
    assert.equal((await uploadAs(env.app, wardDesk, made.id, "to-khai")).statusCode, 201);
    await ok(await act(wardDesk, made, "submit"));
    return ok(await act(wardDesk, made, "receive"));
  }

  it("plans a dossier received at another desk: that desk's reception, a hand-over to the competent agency with the reception's time, the return at the desk", () => {
    const plan = planSteps(procedure, "counter", s.place.justice, { receiving: ward.code, returning: ward.code });
    assert.deepEqual(
      plan.map((p) => [p.key, p.role, p.agencyCode, p.hours]),
      [
        ["tiep-nhan", "receiver", ward.code, 0],
        [TRANSFER_STEP, "specialist", s.place.justice, 2],
        ["tham-dinh", "specialist", s.place.justice, 14],
        ["ky-duyet", "leader", s.place.justice, 6],
        ["tra-ket-qua", "receiver", ward.code, 2],
      ],
    );
    assert.deepEqual(plan.map((p) => p.index), [0, 1, 2, 3, 4]);
    // At the procedure's own desk nothing changes.
    const own = planSteps(procedure, "counter", s.place.justice, { receiving: s.place.centre, returning: null });
    assert.deepEqual(own, planSteps(procedure, "counter", s.place.justice));
  });

  it("lets a commune's desk receive a department's procedure at its counter, under the desk's own code, and hands it over to the department", async () => {
    const d = await receivedAtWard();
    assert.equal(d.agencyCode, ward.code);
    assert.match(d.code ?? "", new RegExp(`^${ward.code.replaceAll(".", "\\.")}-261201-\\d{4}$`), "the receipt's code is the receiving desk's");
    assert.equal(d.processingAgencyCode, s.place.justice);
    assert.equal(d.returnAgencyCode, ward.code, "the result comes back where it was filed");
    assert.equal(d.step?.key, TRANSFER_STEP);
    // The control sheet's rows: the desk's reception, done at once; the hand-over to the department, due two
    // working hours later (the procedure's share for its reception).
    assert.deepEqual(
      d.steps.map((x) => [x.stepKey, x.agencyCode, x.outcome]),
      [
        ["tiep-nhan", ward.code, "received"],
        [TRANSFER_STEP, s.place.justice, null],
      ],
    );
    const handOver = d.steps[1]!;
    assert.equal(handOver.startedAt, START.replace("Z", ".000Z"));
    assert.equal(Date.parse(handOver.dueAt) - Date.parse(handOver.startedAt), 2 * HOUR);
  });

  it("shows the department's officers that it was transferred to them, and no other agency anything", async () => {
    const d = await receivedAtWard();
    const queue = await api(s.cast.specialist, "GET", "/api/office/dossiers?queue=processing&pageSize=100");
    const item = (queue.json() as { items: Array<{ id: string; agencyCode: string; processingAgencyCode: string }> }).items.find((x) => x.id === d.id);
    assert.ok(item, "in the department's queue");
    assert.deepEqual([item.agencyCode, item.processingAgencyCode], [ward.code, s.place.justice]);
    const b = await formBrowser(env.app);
    await signInThroughParty(env.ctx, b, "office", s.cast.specialist.username, TEST_PASSWORD);
    const page = await b.get("/office/ho-so?hang-doi=processing", { accept: "text/html" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Được chuyển đến từ Ủy ban nhân dân phường Kinh Bắc/);

    for (const stranger of [s.cast.receiver, construction, otherProvinceReceiver]) {
      assert.equal((await api(stranger, "GET", `/api/dossiers/${d.id}`)).statusCode, 404, stranger.username);
    }
    // The ward's own clerk sees the dossier its desk received, but the department's step is not theirs.
    assert.equal((await act(wardClerk, d, "forward")).statusCode, 403);
    assert.equal((await act(wardDesk, d, "forward")).statusCode, 403, "the desk handed it over; the department takes it up");
  });

  it("is walked to its end: the department takes it up, examines and signs it; the result comes back to the ward's desk, which returns it", async () => {
    let d = await receivedAtWard();
    clock.advance(HOUR);
    d = await ok(await act(s.cast.specialist, d, "forward"));
    assert.equal(d.step?.key, "tham-dinh");
    assert.equal(d.steps[1]!.timeliness, "on_time", "taken up within its two hours");
    d = await ok(await act(s.cast.specialist, d, "forward"));
    assert.equal(d.step?.key, "ky-duyet");
    const result = await env.ctx.dossiers.attach(actorOf(env.ctx, s.cast.leader), d.id, { component: "result", declaredName: "ket-qua.pdf", source: Readable.from(PDF) });
    d = await ok(await act(s.cast.leader, d, "finish", { resultFileId: result.id }));
    assert.equal(d.status, "done");
    assert.equal(d.processingAgencyCode, ward.code, "the result is back at the desk that received it");
    assert.equal(d.step?.key, "tra-ket-qua");
    assert.equal((await api(s.cast.leader, "GET", `/api/dossiers/${d.id}`)).statusCode, 404, "the department handed it back");

    const toReturn = await api(wardDesk, "GET", "/api/office/dossiers?queue=finished&pageSize=100");
    assert.ok((toReturn.json() as { items: Array<{ id: string }> }).items.some((x) => x.id === d.id), "in the ward desk's queue to return");
    assert.equal((await act(s.cast.receiver, d, "return", { method: "counter" })).statusCode, 404, "not the provincial centre's");
    d = await ok(await act(wardDesk, d, "return", { method: "counter" }));
    assert.equal(d.status, "returned");
    assert.deepEqual(
      d.steps.map((x) => [x.stepKey, x.agencyCode, x.outcome]),
      [
        ["tiep-nhan", ward.code, "received"],
        [TRANSFER_STEP, s.place.justice, "forwarded"],
        ["tham-dinh", s.place.justice, "forwarded"],
        ["ky-duyet", s.place.justice, "finished"],
        ["tra-ket-qua", ward.code, "returned"],
      ],
    );
    // The control sheet (Mẫu 06 of Circular 03/2025) lists the hand-over as a row of its own.
    const sheet = await api(wardDesk, "GET", `/api/dossiers/${d.id}/forms/06.pdf`);
    assert.equal(sheet.statusCode, 200);
    const text = (await readPdf(sheet.rawPayload)).pages.map((p) => p.text).join(" ").replace(/\s+/g, " ");
    // Handed by the ward, taken by the department's division; when, due, done, on time.
    assert.match(text, /2 Tiếp nhận hồ sơ liên thông từ nơi tiếp nhận Ủy ban nhân dân phường Kinh Bắc Phòng Hành chính tư pháp - Sở Tư pháp tỉnh Bắc Ninh 09:00 01\/12\/2026 11:00 01\/12\/2026 10:00 01\/12\/2026 Đúng hạn/);
  });

  it("records a hand-over taken up after its due time as late", async () => {
    let d = await receivedAtWard();
    clock.advance(24 * HOUR);
    d = await ok(await act(s.cast.specialist, d, "forward"));
    assert.equal(d.steps[1]!.stepKey, TRANSFER_STEP);
    assert.equal(d.steps[1]!.timeliness, "late");
  });

  it("refuses a desk of another province, an agency that is no desk, and an online filing at another desk", async () => {
    const base = { procedureCode: procedure.code, channel: "counter", formData: formOf(s.cast.citizen), applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: s.cast.citizen.username } };
    const foreign = await api(otherProvinceReceiver, "POST", "/api/dossiers", { ...base, agencyCode: otherProvinceDesk.code, requestId: randomUUID() });
    assert.equal(foreign.statusCode, 400, foreign.body);
    assert.equal(foreign.json().error.code, "dossier.procedure_not_offered");
    const notADesk = await api(construction, "POST", "/api/dossiers", { ...base, agencyCode: construction.user.agencyCode, requestId: randomUUID() });
    assert.equal(notADesk.json().error.code, "dossier.procedure_not_offered");
    const online = await api(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: ward.code, formData: formOf(s.cast.citizen), requestId: randomUUID() });
    assert.equal(online.json().error.code, "dossier.procedure_not_offered");
  });

  it("lets an online applicant choose the desk to collect the result at, by default the procedure's own", async () => {
    const file = (extra: Record<string, unknown>) =>
      api(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: formOf(s.cast.citizen), requestId: randomUUID(), ...extra });
    const plain = await ok(await file({}), 201);
    assert.equal(plain.returnAgencyCode, s.place.centre);
    const refused = await file({ returnAgencyCode: otherProvinceDesk.code });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json().error.fields.map((p: { path: string }) => p.path), ["/returnAgencyCode"]);
    assert.equal((await file({ returnAgencyCode: s.place.justice })).statusCode, 400, "a department is no desk");

    let d = await ok(await file({ returnAgencyCode: ward.code }), 201);
    assert.equal(d.returnAgencyCode, ward.code);
    assert.equal((await uploadAs(env.app, s.cast.citizen, d.id, "to-khai")).statusCode, 201);
    d = await ok(await act(s.cast.citizen, d, "submit"));
    d = await ok(await act(s.cast.receiver, d, "receive"));
    const receipt = await api(s.cast.citizen, "GET", `/api/dossiers/${d.id}/forms/01.pdf`);
    assert.equal(receipt.statusCode, 200);
    assert.match((await readPdf(receipt.rawPayload)).pages.map((p) => p.text).join(" ").replace(/\s+/g, " "), /phường Kinh Bắc/, "the receipt names where to collect");
    assert.equal(d.step?.key, "tham-dinh", "received at the procedure's own desk: no hand-over of its own");
    d = await ok(await act(s.cast.specialist, d, "forward"));
    d = await ok(await act(s.cast.leader, d, "approve"));
    assert.equal(d.processingAgencyCode, ward.code);
    const result = await uploadAs(env.app, wardDesk, d.id, "result");
    assert.equal(result.statusCode, 201, result.body);
    d = await ok(await act(wardDesk, d, "finish", { resultFileId: result.json().id }));
    d = await ok(await act(wardDesk, d, "return", { method: "counter" }));
    assert.equal(d.status, "returned");
    assert.equal(d.steps.at(-1)!.agencyCode, ward.code);
  });

  it("offers the province's desks on the filing page", async () => {
    const b = await formBrowser(env.app);
    await signInThroughParty(env.ctx, b, "portal", s.cast.citizen.username, TEST_PASSWORD);
    const page = await b.get(`/nop-ho-so/${procedure.code}`, { accept: "text/html" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<select id="return-desk" name="returnAgency"/);
    assert.match(page.body, new RegExp(`<option value="${ward.code.replaceAll(".", "\\.")}">Ủy ban nhân dân phường Kinh Bắc</option>`));
    assert.doesNotMatch(page.body, new RegExp(`<option value="${otherProvinceDesk.code.replaceAll(".", "\\.")}"`));
    assert.doesNotMatch(page.body, new RegExp(`<option value="${s.place.justice.replaceAll(".", "\\.")}"`));
    // Chosen there, it is the dossier's.
    const requestId = /name="requestId" value="([0-9a-f-]{36})"/.exec(page.body)![1]!;
    const started = await b.post(`/nop-ho-so/${procedure.code}`, { requestId, agency: s.place.centre, returnAgency: ward.code });
    assert.equal(started.statusCode, 303, started.body.slice(0, 300));
    const id = String(started.headers.location).split("/")[2]!.split("?")[0]!;
    assert.equal((await api(s.cast.citizen, "GET", `/api/dossiers/${id}`)).json().returnAgencyCode, ward.code);
    const mine = await b.get(`/ho-so-cua-toi/${id}`, { accept: "text/html" });
    assert.match(mine.body, /<dd id="return-desk">Ủy ban nhân dân phường Kinh Bắc<\/dd>/);
  });
});
