// The one-stop rules beside the main path: counter intake, the assurance level, lateness flags and what
// counts as late, the apology's lead time, refusal, stop and withdrawal with their reasons, upload
// limits, and an audit entry for every change. Each test files the dossiers it needs, on a clock set for it.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { sql } from "../../platform/db/drizzle.ts";
import { fixedClock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import type { TestAccount } from "../identity/testing.ts";
import { apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, fileDossier, formOf, multipart, PDF, publishProcedures, uploadAs } from "./testing.ts";

// Monday 7 December 2026, 08:00 in Hà Nội.
const START = "2026-12-07T01:00:00Z";
const clock = fixedClock(START);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("one-stop rules", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let easy: ProcedureContent;
  let strict: ProcedureContent;
  let strictFree: ProcedureContent;
  /** No required paper, for citizens (the factory's audience). */
  const buildEasy = (place: DossierSetting["place"]) =>
    buildProvincialProcedure(place, {
      name: "Thủ tục thử quy tắc",
      components: [{ key: "giay-to", name: "Giấy tờ kèm theo", required: false, counts: { original: 1, certifiedCopy: 0, copy: 0 }, fileTypes: ["application/pdf"] }],
    });

  before(async () => {
    env = await testApp({ clock, config: { maxUploadBytes: 2048 } });
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    easy = buildEasy(s.place);
    strict = buildProvincialProcedure(s.place, { name: "Thủ tục cần định danh mức 2", assuranceLevel: 2 });
    // A required paper (the factory's `to-khai`), no assurance level.
    strictFree = buildProvincialProcedure(s.place, { name: "Thủ tục cần tờ khai" });
    await publishProcedures(env.ctx, easy, strict, strictFree);
  });
  after(() => env.close());
  beforeEach(() => clock.set(START));

  /** A dossier of `procedure` (`easy` by default) filed online by the citizen and received at the centre. */
  const fileAndReceive = async (setting = s, procedure = easy) => {
    const d = await fileDossier(env.ctx, setting, procedure, { stage: "received" });
    return { id: d.id, dueAt: d.dueAt! };
  };
  const act = (who: TestAccount, id: string, action: string, body: unknown = {}) => api(who, "POST", `/api/dossiers/${id}/actions/${action}`, body);

  it("takes a dossier at the counter for the applicant named, with a checked CCCD, visible to their account", async () => {
    const bad = await api(s.cast.receiver, "POST", "/api/dossiers", {
      procedureCode: easy.code,
      agencyCode: s.place.centre,
      channel: "counter",
      applicant: { type: "citizen", name: "Trần Văn B", idNumber: "999999999999" },
      formData: {},
      requestId: randomUUID(),
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.fields[0].path, "/applicant/idNumber");
    const res = await api(s.cast.receiver, "POST", "/api/dossiers", {
      procedureCode: easy.code,
      agencyCode: s.place.centre,
      channel: "counter",
      applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: s.cast.citizen.username, phone: "0912345678" },
      formData: formOf(s.cast.citizen),
      requestId: randomUUID(),
      submit: true,
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().channel, "counter");
    assert.equal(res.json().status, "new");
    const mine = (await api(s.cast.citizen, "GET", "/api/me/dossiers?pageSize=100")).json();
    assert.ok(mine.items.some((i: { id: string }) => i.id === res.json().id), "the walk-in's account sees the counter dossier");
    // A department's specialist does not take dossiers at the counter.
    assert.equal((await api(s.cast.specialist, "POST", "/api/dossiers", { procedureCode: easy.code, agencyCode: s.place.centre, formData: {}, requestId: randomUUID() })).statusCode, 403);
  });

  it("before receipt, asks the applicant to complete the dossier or refuses receipt with a reason (Mẫu 03)", async () => {
    const file = async () =>
      (
        await api(s.cast.citizen, "POST", "/api/dossiers", {
          procedureCode: easy.code,
          agencyCode: s.place.centre,
          formData: formOf(s.cast.citizen),
          requestId: randomUUID(),
          submit: true,
        })
      ).json().id as string;
    const a = await file();
    const asked = await act(s.cast.receiver, a, "request_supplement", { items: [{ component: "giay-to", reason: "Thiếu bản chính" }] });
    assert.equal(asked.json().status, "incomplete");
    assert.equal(asked.json().nationalStatus, 5);
    assert.equal(asked.json().paused, false, "not received yet: no clock to pause");
    const completed = await act(s.cast.citizen, a, "supplement");
    assert.equal(completed.json().status, "new");
    assert.equal((await act(s.cast.receiver, a, "receive")).json().status, "processing");
    assert.equal((await act(s.cast.citizen, a, "withdraw")).json().status, "withdrawn");

    const b = await file();
    assert.equal((await act(s.cast.receiver, b, "refuse_receipt", {})).statusCode, 400, "a refusal states its reason");
    const refused = await act(s.cast.receiver, b, "refuse_receipt", { reason: "Thủ tục không thuộc thẩm quyền của cơ quan" });
    assert.equal(refused.json().status, "refused_receipt");
    assert.equal(refused.json().nationalStatus, 3);
    // Before issue 14 a dossier got its code at receipt, and one refused had none; now it keeps the code it was
    // filed with (DOMAIN.md §3), which its applicant can quote about the refusal.
    assert.match(refused.json().code, new RegExp(`^${s.place.centre.replace(/\./g, "\\.")}-\\d{6}-\\d{4}$`), "the code it was filed with");
    assert.equal(refused.json().lookupKey, null, "no lookup key without a receipt");
  });

  it("refuses online filing below the procedure's assurance level, or by an applicant the procedure is not for", async () => {
    const res = await api(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: strict.code, agencyCode: s.place.centre, formData: {}, requestId: randomUUID() });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "dossier.assurance_required");
    assert.match(res.json().error.message, /mức 2/);
    // `easy` is for citizens (the factory's audience): a business may not file it.
    const business = await api(s.cast.business, "POST", "/api/dossiers", { procedureCode: easy.code, agencyCode: s.place.centre, formData: {}, requestId: randomUUID() });
    assert.equal(business.statusCode, 403);
    assert.equal(business.json().error.code, "dossier.audience_not_served");
  });

  it("files at once (`submit: true`) or creates nothing: a refused filing leaves no draft behind", async () => {
    const requestId = randomUUID();
    const body = { procedureCode: strictFree.code, agencyCode: s.place.centre, formData: formOf(s.cast.citizen), requestId, submit: true };
    const before = (await api(s.cast.citizen, "GET", "/api/me/dossiers?pageSize=100")).json().items.length;
    const refused = await api(s.cast.citizen, "POST", "/api/dossiers", body);
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json().error.fields.map((f: { path: string }) => f.path), ["/attachments/to-khai"]);
    assert.equal((await api(s.cast.citizen, "GET", "/api/me/dossiers?pageSize=100")).json().items.length, before, "no draft was left");
    // The same request again is refused the same way, not answered with a half-made dossier.
    assert.equal((await api(s.cast.citizen, "POST", "/api/dossiers", body)).statusCode, 400);
  });

  it("answers a retried request id with the dossier it filed, even where the filing would now be refused", async () => {
    const requestId = randomUUID();
    const body = { procedureCode: easy.code, agencyCode: s.place.centre, formData: formOf(s.cast.citizen), requestId, submit: true };
    const first = await api(s.cast.citizen, "POST", "/api/dossiers", body);
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual(
      first.json().history.map((h: { action: string; fromStatus: string; toStatus: string; actor: string }) => [h.action, h.fromStatus, h.toStatus, h.actor]),
      [["submit", "draft", "new", "Người nộp hồ sơ"]],
    );
    const again = await api(s.cast.citizen, "POST", "/api/dossiers", body);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, first.json().id);
    // A retry whose form no longer passes (say, the client re-sent a cleared form): still the first result,
    // not a 400 for a dossier that was filed.
    const cleared = await api(s.cast.citizen, "POST", "/api/dossiers", { ...body, formData: {} });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.equal(cleared.json().id, first.json().id);
    assert.equal(cleared.json().status, "new");
  });

  it("refuses an upload over the size limit", async () => {
    const created = await api(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: easy.code, agencyCode: s.place.centre, formData: {}, requestId: randomUUID() });
    const { payload, headers } = multipart({ component: "giay-to" }, { name: "lon.pdf", type: "application/pdf", bytes: Buffer.concat([PDF, Buffer.alloc(4096, 32)]) });
    const res = await env.app.inject({ method: "POST", url: `/api/dossiers/${created.json().id}/attachments`, payload, headers: { ...headers, authorization: `Bearer ${await s.cast.citizen.token()}` } });
    assert.equal(res.statusCode, 413, res.body);
    assert.equal((await api(s.cast.citizen, "GET", `/api/dossiers/${created.json().id}`)).json().attachments.length, 0);
  });

  it("flags dossiers due soon and overdue for the queues; finished past due without an apology is late", async () => {
    // A province of its own, so its queues hold this test's dossier only; and whatever other tests left being
    // processed is flagged first, at a time past every due date, so the counts below are this dossier's.
    const own = await dossierSetting(env.ctx);
    const { specialist, leader } = own.cast;
    const procedure = await publishProcedures(env.ctx, buildEasy(own.place));
    clock.set("2027-12-01T01:00:00Z");
    await env.ctx.dossiers.flagLateness();
    clock.set(START);
    const d = await fileAndReceive(own, procedure);
    assert.deepEqual(await env.ctx.dossiers.flagLateness(), { dueSoon: 0, overdue: 0 });
    clock.set(new Date(new Date(d.dueAt).getTime() - 2 * HOUR));
    assert.equal((await env.ctx.dossiers.flagLateness()).dueSoon, 1);
    const soon = (await api(specialist, "GET", "/api/office/dossiers?queue=due_soon")).json();
    assert.deepEqual(soon.items.map((i: { id: string }) => i.id), [d.id]);
    clock.set(new Date(new Date(d.dueAt).getTime() + HOUR));
    assert.equal((await env.ctx.dossiers.flagLateness()).overdue, 1);
    assert.deepEqual((await api(specialist, "GET", "/api/office/dossiers?queue=overdue")).json().items.map((i: { id: string }) => i.id), [d.id]);
    assert.deepEqual((await api(specialist, "GET", "/api/office/dossiers?queue=due_soon")).json().items, []);
    // Too late for an apology now: it had to come a working day before the due date.
    const late = await act(leader, d.id, "apologize", { reason: "Chậm", newDueAt: new Date(clock.now().getTime() + 5 * DAY).toISOString() });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().error.code, "dossier.apology_too_late");
    await act(specialist, d.id, "forward");
    await uploadAs(env.app, leader, d.id, "result", { name: "kq.pdf" });
    const done = await act(leader, d.id, "finish");
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().timeliness, "late");
  });

  // Before issue 14 this test read "the new date is the one that counts": an apology moved the due date, and a
  // dossier finished by the new date was on time. DOMAIN.md §3 (corrected 4 December 2026): the new date is what
  // the applicant is told, the legal due date stays, and a dossier finished after it is late all the same.
  it("with an apology issued in time, the applicant is promised a new date, but the legal due date stays and counts", async () => {
    const own = await dossierSetting(env.ctx);
    const procedure = await publishProcedures(env.ctx, buildEasy(own.place));
    // Flag whatever other tests left being processed first, so the counts below are this dossier's.
    clock.set("2027-12-01T01:00:00Z");
    await env.ctx.dossiers.flagLateness();
    clock.set("2026-12-14T01:00:00Z");
    const d = await fileAndReceive(own, procedure);
    const newDueAt = new Date(new Date(d.dueAt).getTime() + 3 * DAY).toISOString();
    assert.equal((await act(own.cast.leader, d.id, "apologize", { reason: "Chờ ý kiến cơ quan khác" })).statusCode, 400, "a new date is needed");
    const apology = await act(own.cast.leader, d.id, "apologize", { reason: "Chờ ý kiến cơ quan khác", newDueAt });
    assert.equal(apology.statusCode, 200, apology.body);
    assert.equal(apology.json().dueAt, d.dueAt, "the legal due date stays on the dossier");
    assert.equal(apology.json().promisedAt, newDueAt, "the date promised to the applicant");
    assert.equal(apology.json().apologies, 1);
    // A second apology must move the promised date on, a working day before it.
    const same = await act(own.cast.leader, d.id, "apologize", { reason: "Chờ thêm", newDueAt });
    assert.equal(same.statusCode, 400, same.body);

    // Past the legal due date it is overdue in the queues, whatever was promised.
    clock.set(new Date(new Date(d.dueAt).getTime() + 2 * HOUR));
    assert.equal((await env.ctx.dossiers.flagLateness()).overdue, 1);
    assert.deepEqual((await api(own.cast.specialist, "GET", "/api/office/dossiers?queue=overdue")).json().items.map((i: { id: string }) => i.id), [d.id]);

    // Finished before the promised date but after the legal one: late, and shown as late, apologised.
    await act(own.cast.specialist, d.id, "forward");
    await uploadAs(env.app, own.cast.leader, d.id, "result", { name: "kq.pdf" });
    const done = await act(own.cast.leader, d.id, "finish");
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().timeliness, "late");
    assert.equal(done.json().dueAt, d.dueAt);

    const officerPage = await env.app.inject({ method: "GET", url: `/office/ho-so/${d.id}`, headers: { authorization: `Bearer ${await own.cast.receiver.token()}`, accept: "text/html" } });
    assert.equal(officerPage.statusCode, 200);
    assert.match(officerPage.body, /id="timeliness">Trễ hạn, đã xin lỗi</);
    const citizenPage = await env.app.inject({ method: "GET", url: `/ho-so-cua-toi/${d.id}`, headers: { authorization: `Bearer ${await own.cast.citizen.token()}`, accept: "text/html" } });
    assert.equal(citizenPage.statusCode, 200);
    assert.match(citizenPage.body, /id="timeliness">Trễ hạn, đã xin lỗi</);
    assert.match(citizenPage.body, /Ngày hẹn trả mới/);

    const { code, lookupKey } = done.json();
    const lookup = await api(null, "GET", `/api/lookup/${encodeURIComponent(code)}?key=${lookupKey}`);
    assert.equal(lookup.statusCode, 200, lookup.body);
    assert.deepEqual([lookup.json().dueAt, lookup.json().promisedAt, lookup.json().timeliness, lookup.json().apologized], [d.dueAt, newDueAt, "late", true]);
    const lookupPage = await env.app.inject({ method: "GET", url: `/tra-cuu?ma=${encodeURIComponent(code)}&khoa=${lookupKey}` });
    assert.match(lookupPage.body, /id="timeliness">Trễ hạn, đã xin lỗi</);
    assert.match(lookupPage.body, /Ngày hẹn trả mới/);
  });

  it("received after 15:00: the first step starts at the next working day's opening; the deadline moves only if the procedure says so", async () => {
    const nextDay = buildProvincialProcedure(s.place, {
      name: "Thủ tục tính từ ngày làm việc tiếp theo",
      components: easy.components,
      processingTimes: [
        { channel: "counter", amount: 3, unit: "working_days", countFromNextDayAfterCutoff: true },
        { channel: "online", amount: 2, unit: "working_days", countFromNextDayAfterCutoff: true },
      ],
    });
    // Trong ngày: the steps share one working day.
    const sameDay = buildProvincialProcedure(s.place, {
      name: "Thủ tục giải quyết trong ngày",
      components: easy.components,
      processingTimes: [
        { channel: "counter", amount: 1, unit: "same_day" },
        { channel: "online", amount: 1, unit: "same_day" },
      ],
      steps: easy.steps.map((step, i) => ({ ...step, hours: [1, 4, 2, 1][i]! })),
    });
    await publishProcedures(env.ctx, nextDay, sameDay);
    const received = async (procedure: ProcedureContent, at: string) => {
      clock.set(at);
      return fileDossier(env.ctx, s, procedure, { stage: "received" });
    };
    const firstStep = (d: { steps: Array<{ stepKey: string; startedAt: string }> }) => d.steps.find((x) => x.stepKey === "tham-dinh")!.startedAt;

    // Monday 7 December 2026, 15:30 in Hà Nội: online, 2 working days from 15:30 (Mon 1.5 h, Tue 8 h, Wed 6.5 h).
    const late = await received(easy, "2026-12-07T08:30:00Z");
    assert.equal(late.receivedAt, "2026-12-07T08:30:00.000Z");
    assert.equal(late.dueAt, "2026-12-09T08:30:00.000Z", "Wednesday 15:30: the cut-off does not move the deadline");
    assert.equal(firstStep(late), "2026-12-08T00:00:00.000Z", "handed to the department at Tuesday's opening, 07:00");
    // Before the cut-off the department has it at once.
    const early = await received(easy, "2026-12-07T07:30:00Z");
    assert.equal(early.dueAt, "2026-12-09T07:30:00.000Z");
    assert.equal(firstStep(early), "2026-12-07T07:30:00.000Z");
    // A procedure that counts from the next working day: Tuesday 07:00 + 16 h = Wednesday 17:00.
    assert.equal((await received(nextDay, "2026-12-07T08:30:00Z")).dueAt, "2026-12-09T10:00:00.000Z");
    assert.equal((await received(nextDay, "2026-12-07T07:30:00Z")).dueAt, "2026-12-09T07:30:00.000Z");
    // Trong ngày: by 15:00 the same day's close (17:00), after it the next working day's.
    assert.equal((await received(sameDay, "2026-12-07T08:00:00Z")).dueAt, "2026-12-07T10:00:00.000Z");
    assert.equal((await received(sameDay, "2026-12-07T08:30:00Z")).dueAt, "2026-12-08T10:00:00.000Z");
  });

  it("refuses and stops only with a reason, lets the applicant withdraw before the result, and audits every change", async () => {
    const a = await fileAndReceive();
    assert.equal((await act(s.cast.leader, a.id, "refuse")).statusCode, 400);
    const refused = await act(s.cast.leader, a.id, "refuse", { reason: "Không đủ điều kiện theo quy định" });
    assert.equal(refused.json().status, "refused");
    assert.equal(refused.json().nationalStatus, 8);
    assert.equal((await act(s.cast.leader, a.id, "forward")).statusCode, 409);

    const b = await fileAndReceive();
    assert.equal((await act(s.cast.specialist, b.id, "stop", { reason: "x" })).statusCode, 403, "a leader stops processing");
    const stopped = await act(s.cast.leader, b.id, "stop", { reason: "Theo đề nghị của cơ quan điều tra" });
    assert.equal(stopped.json().status, "stopped");

    const c = await fileAndReceive();
    assert.equal((await act(s.cast.receiver, c.id, "withdraw")).statusCode, 403, "only the applicant withdraws");
    const withdrawn = await act(s.cast.citizen, c.id, "withdraw");
    assert.equal(withdrawn.json().status, "withdrawn");
    assert.equal(withdrawn.json().nationalStatus, 7);

    const audited = await env.database.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE subject_type = 'dossier' AND subject_id = ${a.id} ORDER BY id`);
    assert.deepEqual(audited.map((r) => r.action), ["dossier.create", "dossier.submit", "dossier.receive", "dossier.refuse"]);
    assert.equal(s.place.justice, refused.json().processingAgencyCode);
  });
});
