// A dossier's whole life through the API: filed online, received at the centre with its code and
// appointment, examined and signed at the department, a supplement with the clock paused, the result
// issued and returned, rated; and what each party may and may not do on the way. Each test takes a dossier
// of its own to the point where its part of the life begins (`fileDossier`, `driveTo`).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { fixedClock } from "../../platform/clock.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { TestAccount } from "../identity/testing.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import {
  actorOf,
  apiAs,
  buildProvincialProcedure,
  driveTo,
  dossierSetting,
  type DossierSetting,
  fileDossier,
  formOf,
  PDF,
  PNG,
  publishProcedures,
  uploadAs,
} from "./testing.ts";

// Tuesday 1 December 2026, 09:00 in Hà Nội.
const START = "2026-12-01T02:00:00Z";
const clock = fixedClock(START);
const HOUR = 3600_000;

describe("a dossier's life", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let procedure: ProcedureContent;

  before(async () => {
    env = await testApp({ clock });
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place));
  });
  after(() => env.close());
  beforeEach(() => clock.set(START));

  const actOn = (id: string) => (who: TestAccount, action: string, body: unknown = {}) => api(who, "POST", `/api/dossiers/${id}/actions/${action}`, body);
  /** A province of the test's own, with the procedure: for what is counted or listed whole (queues, the day's codes). */
  const ownProvince = async () => {
    const own = await dossierSetting(env.ctx);
    return { ...own, procedure: await publishProcedures(env.ctx, buildProvincialProcedure(own.place)) };
  };

  it("is drafted online once per request id, and filed only with its form and required papers", async () => {
    const { citizen } = s.cast;
    const requestId = randomUUID();
    const body = { procedureCode: procedure.code, agencyCode: s.place.centre, formData: { hoTen: "Nguyễn Thị Mai" }, requestId, applicant: { type: "citizen", name: "x", idNumber: "001199000001", phone: "0912345678" } };
    const first = await api(citizen, "POST", "/api/dossiers", body);
    assert.equal(first.statusCode, 201, first.body);
    const id = first.json().id as string;
    assert.equal(first.json().status, "draft");
    assert.equal(first.json().channel, "online");
    assert.equal(first.json().applicant.name, "Nguyễn Thị Mai", "the applicant is the signed-in account, not what the body says");
    assert.equal(first.json().applicant.idNumber, citizen.username);
    assert.equal(first.json().applicant.phone, "0912345678");
    assert.equal(first.json().code, null);
    const retry = await api(citizen, "POST", "/api/dossiers", body);
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.json().id, id);

    const incomplete = await api(citizen, "POST", `/api/dossiers/${id}/submit`);
    assert.equal(incomplete.statusCode, 400);
    assert.equal(incomplete.json().error.code, "dossier.invalid");
    assert.deepEqual(
      incomplete.json().error.fields.map((f: { path: string }) => f.path).sort(),
      ["/attachments/to-khai", "/formData/soCccd"],
    );
    assert.match(incomplete.json().error.fields.find((f: { path: string }) => f.path === "/formData/soCccd").message, /Cần nhập Số định danh cá nhân/);

    // A PNG sent as a PDF is refused by its bytes.
    const wrong = await uploadAs(env.app, citizen, id, "to-khai", { name: "to-khai.pdf", bytes: PNG });
    assert.equal(wrong.statusCode, 415, wrong.body);
    assert.equal((await uploadAs(env.app, citizen, id, "khong-co")).statusCode, 400);
    const ok = await uploadAs(env.app, citizen, id, "to-khai", { name: "tờ khai.pdf" });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().contentType, "application/pdf");
    assert.equal(ok.json().name, "tờ khai.pdf");

    const saved = await api(citizen, "PUT", `/api/dossiers/${id}/form`, { formData: formOf(citizen) });
    assert.equal(saved.statusCode, 200);
    const filed = await api(citizen, "POST", `/api/dossiers/${id}/submit`);
    assert.equal(filed.statusCode, 200, filed.body);
    assert.equal(filed.json().status, "new");
    assert.equal(filed.json().nationalStatus, 1);
    // Filing again returns the filed dossier.
    assert.equal((await api(citizen, "POST", `/api/dossiers/${id}/submit`)).json().status, "new");
  });

  it("is visible to its applicant and the officers of its agencies only", async () => {
    const own = await ownProvince();
    const { citizen, business, receiver, specialist, supervisor } = own.cast;
    const { id } = await fileDossier(env.ctx, own, own.procedure);
    assert.equal((await api(business, "GET", `/api/dossiers/${id}`)).statusCode, 404);
    // Before receipt the department has not been handed it.
    assert.equal((await api(specialist, "GET", `/api/dossiers/${id}`)).statusCode, 404);
    assert.equal((await api(receiver, "GET", `/api/dossiers/${id}`)).statusCode, 200);
    assert.equal((await api(supervisor, "GET", `/api/dossiers/${id}`)).statusCode, 200);
    assert.equal((await api(null, "GET", `/api/dossiers/${id}`)).statusCode, 401);
    // Another province's officers do not see it.
    assert.equal((await api(s.cast.receiver, "GET", `/api/dossiers/${id}`)).statusCode, 404);
    const queue = await api(receiver, "GET", "/api/office/dossiers?queue=new");
    assert.deepEqual(queue.json().items.map((i: { id: string }) => i.id), [id]);
    assert.deepEqual((await api(citizen, "GET", "/api/me/dossiers")).json().items.map((i: { id: string }) => i.id), [id]);
  });

  it("gets its code of the day when it is filed, online or at the counter, and the receipt keeps it", async () => {
    const own = await ownProvince();
    const { citizen, receiver } = own.cast;
    // A filing refused (the procedure's paper is missing) takes no number.
    const refused = await api(citizen, "POST", "/api/dossiers", { procedureCode: own.procedure.code, agencyCode: own.place.centre, formData: formOf(citizen), requestId: randomUUID(), submit: true });
    assert.equal(refused.statusCode, 400);
    const draft = await api(citizen, "POST", "/api/dossiers", { procedureCode: own.procedure.code, agencyCode: own.place.centre, formData: formOf(citizen), requestId: randomUUID() });
    assert.equal(draft.json().code, null, "a draft has no code: it is nobody's business yet");
    await uploadAs(env.app, citizen, draft.json().id, "to-khai");
    const filed = await api(citizen, "POST", `/api/dossiers/${draft.json().id}/submit`);
    assert.equal(filed.json().code, `${own.place.centre}-261201-0001`, "the citizen has a code to quote from the first moment");
    assert.equal(filed.json().lookupKey, null, "the lookup key comes with the receipt");
    // Filed at once at the counter: the next number.
    const counter = await api(receiver, "POST", "/api/dossiers", {
      procedureCode: own.procedure.code,
      agencyCode: own.place.centre,
      channel: "counter",
      applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: citizen.username },
      formData: formOf(citizen),
      requestId: randomUUID(),
    });
    await uploadAs(env.app, receiver, counter.json().id, "to-khai");
    assert.equal((await api(receiver, "POST", `/api/dossiers/${counter.json().id}/submit`)).json().code, `${own.place.centre}-261201-0002`);
    // Received the next day, the online dossier keeps the code it was filed with; no number is taken for it.
    clock.set(new Date(clock.now().getTime() + 24 * HOUR));
    const received = await actOn(draft.json().id)(receiver, "receive");
    assert.equal(received.statusCode, 200, received.body);
    assert.equal(received.json().code, `${own.place.centre}-261201-0001`);
    assert.match(received.json().lookupKey, /^[0-9A-HJKMNP-TV-Z]{8}$/);
    const next = await fileDossier(env.ctx, own, own.procedure, { stage: "filed" });
    assert.equal(next.code, `${own.place.centre}-261202-0001`, "the next day's sequence was not touched by the receipt");
  });

  it("refuses a filing past the day's 9,999th code, rather than write a code of five digits", async () => {
    const own = await ownProvince();
    const { citizen } = own.cast;
    await env.database.rows(sql`INSERT INTO dossier_counters (agency_code, day, last) VALUES (${own.place.centre}, '2026-12-01', 9998)`);
    const last = await fileDossier(env.ctx, own, own.procedure, { stage: "filed" });
    assert.equal(last.code, `${own.place.centre}-261201-9999`);
    const draft = await api(citizen, "POST", "/api/dossiers", { procedureCode: own.procedure.code, agencyCode: own.place.centre, formData: formOf(citizen), requestId: randomUUID() });
    await uploadAs(env.app, citizen, draft.json().id, "to-khai");
    const refused = await api(citizen, "POST", `/api/dossiers/${draft.json().id}/submit`);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().error.code, "dossier.code_sequence_exhausted");
    assert.match(refused.json().error.message, /đã cấp hết 9\.999 mã hồ sơ của ngày 01\/12\/2026/);
    // Nothing changed: the draft is a draft, and the counter is where it was.
    assert.equal((await api(citizen, "GET", `/api/dossiers/${draft.json().id}`)).json().status, "draft");
    const counter = await env.database.rows<{ last: number }>(sql`SELECT last FROM dossier_counters WHERE agency_code = ${own.place.centre} AND day = '2026-12-01'`);
    assert.equal(counter[0]!.last, 9999);
    // The next day starts again at 0001.
    clock.set(new Date(clock.now().getTime() + 24 * HOUR));
    assert.equal((await api(citizen, "POST", `/api/dossiers/${draft.json().id}/submit`)).json().code, `${own.place.centre}-261202-0001`);
  });

  it("is received at the centre: code of the day, lookup key, appointment, on to the department", async () => {
    // The first receipt of the day at a centre of its own: number 0001.
    const own = await ownProvince();
    const { citizen, receiver, specialist } = own.cast;
    const { id } = await fileDossier(env.ctx, own, own.procedure);
    const act = actOn(id);
    assert.equal((await act(citizen, "receive")).statusCode, 403);
    const res = await act(receiver, "receive");
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json();
    assert.equal(d.code, `${own.place.centre}-261201-0001`);
    assert.match(d.lookupKey, /^[0-9A-HJKMNP-TV-Z]{8}$/);
    assert.equal(d.status, "processing");
    assert.equal(d.nationalStatus, 4);
    assert.equal(d.receivedAt, "2026-12-01T02:00:00.000Z");
    const due = await env.ctx.calendar.due({ from: clock.now(), amount: 2, unit: "working_days", agency: own.place.centre });
    assert.equal(d.dueAt, due.toISOString(), "two working days online");
    assert.equal(d.originalDueAt, d.dueAt);
    assert.equal(d.processingAgencyCode, own.place.justice);
    assert.equal(d.step.key, "tham-dinh");
    assert.deepEqual(
      d.history.map((h: { action: string; toStatus: string }) => `${h.action}:${h.toStatus}`),
      ["submit:new", "received:processing", "receive:processing"],
    );
    assert.deepEqual(d.steps.map((s: { stepKey: string; outcome: string | null }) => [s.stepKey, s.outcome]), [["tiep-nhan", "received"], ["tham-dinh", null]]);
    // Receiving twice is refused with the current status.
    const again = await act(receiver, "receive");
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, "dossier.invalid_transition");
    assert.equal(again.json().error.status, "processing", "the response says the current status");
    assert.equal(again.json().error.message, "Không thể «Tiếp nhận hồ sơ» khi hồ sơ ở trạng thái «Đang xử lý».", "in words, not codes");
    // Now the department sees it.
    assert.equal((await api(specialist, "GET", `/api/dossiers/${id}`)).statusCode, 200);
    assert.deepEqual((await api(specialist, "GET", "/api/office/dossiers?queue=processing")).json().items.map((i: { id: string }) => i.id), [id]);
  });

  it("asks for a supplement once, with the clock paused until the applicant answers", async () => {
    const { citizen, specialist } = s.cast;
    const { id } = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    const act = actOn(id);
    const before = (await api(citizen, "GET", `/api/dossiers/${id}`)).json();
    assert.equal((await act(specialist, "request_supplement", { items: [] })).statusCode, 400);
    const asked = await act(specialist, "request_supplement", { items: [{ component: "cccd", reason: "Bản sao căn cước bị mờ" }] });
    assert.equal(asked.statusCode, 200, asked.body);
    assert.equal(asked.json().status, "supplementing");
    assert.equal(asked.json().nationalStatus, 5);
    assert.equal(asked.json().paused, true);
    // 09:00 to 12:00: two and a half working hours, the lunch break (11:30–13:30) does not count.
    clock.advance(3 * HOUR);
    const answered = await act(citizen, "supplement", { formData: formOf(citizen) });
    assert.equal(answered.statusCode, 200, answered.body);
    assert.equal(answered.json().status, "processing");
    assert.equal(answered.json().paused, false);
    const moved = await env.ctx.calendar.due({ from: new Date(before.dueAt), amount: 2.5, unit: "hours", agency: s.place.justice });
    assert.equal(answered.json().dueAt, moved.toISOString(), "the due time moves by the paused working time");
    assert.equal(answered.json().pauses.length, 1);
    assert.ok(answered.json().pauses[0].to);
    const twice = await act(specialist, "request_supplement", { items: [{ reason: "Thiếu" }] });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, "dossier.supplement_limit");
  });

  it("walks the steps: a specialist forwards, only the leader signs, a step may be sent back", async () => {
    const { specialist, leader } = s.cast;
    const { id } = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    const act = actOn(id);
    const offered = (await api(specialist, "GET", `/api/dossiers/${id}`)).json().allowedActions as string[];
    assert.ok(offered.includes("forward"));
    assert.ok(!offered.includes("finish"), "no result before the leader has signed");
    assert.ok(!offered.includes("approve"));
    const fwd = await act(specialist, "forward", { note: "Hồ sơ đủ điều kiện" });
    assert.equal(fwd.statusCode, 200, fwd.body);
    assert.equal(fwd.json().step.key, "ky-duyet");
    assert.equal((await act(specialist, "approve")).statusCode, 403, "a specialist does not sign");
    const leaderMay = (await api(leader, "GET", `/api/dossiers/${id}`)).json().allowedActions as string[];
    assert.deepEqual(["approve", "finish", "send_back"].filter((a) => leaderMay.includes(a)), ["approve", "finish", "send_back"]);
    assert.equal((await act(leader, "send_back", {})).statusCode, 400, "sending back needs a reason");
    const back = await act(leader, "send_back", { note: "Kiểm tra lại số liệu" });
    assert.equal(back.json().step.key, "tham-dinh");
    await act(specialist, "forward");
    const approved = await act(leader, "approve");
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().step.key, "tra-ket-qua");
    assert.equal(approved.json().processingAgencyCode, s.place.centre);
    const steps = approved.json().steps.map((s: { stepKey: string; outcome: string | null }) => `${s.stepKey}:${s.outcome}`);
    assert.deepEqual(steps, ["tiep-nhan:received", "tham-dinh:forwarded", "ky-duyet:sent_back", "tham-dinh:forwarded", "ky-duyet:approved", "tra-ket-qua:null"]);
  });

  it("finishes only with the result attached, early or on time, then is returned and rated once", async () => {
    const { citizen, receiver } = s.cast;
    const { id } = await fileDossier(env.ctx, s, procedure, { stage: "approved" });
    const act = actOn(id);
    const none = await act(receiver, "finish");
    assert.equal(none.statusCode, 400);
    assert.equal(none.json().error.fields[0].path, "/resultFileId");
    assert.equal((await uploadAs(env.app, citizen, id, "result")).statusCode, 403, "the applicant does not issue results");
    const result = await uploadAs(env.app, receiver, id, "result", { name: "ket-qua.pdf" });
    assert.equal(result.statusCode, 201, result.body);
    const done = await act(receiver, "finish", { resultFileId: result.json().id });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().status, "done");
    assert.equal(done.json().nationalStatus, 9);
    assert.equal(done.json().timeliness, "early", "finished the day it was received");
    assert.equal((await api(citizen, "POST", `/api/dossiers/${id}/rating`, { level: "satisfied" })).statusCode, 409, "rated after the return");
    const returned = await act(receiver, "return", { method: "online" });
    assert.equal(returned.statusCode, 200, returned.body);
    assert.equal(returned.json().status, "returned");
    assert.equal(returned.json().nationalStatus, 10);
    assert.equal(returned.json().steps.at(-1).outcome, "returned");
    // The applicant downloads the result.
    const file = await api(citizen, "GET", `/api/dossiers/${id}/attachments/${result.json().id}`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers["content-type"], "application/pdf");
    assert.ok(file.rawPayload.equals(PDF));
    const rated = await api(citizen, "POST", `/api/dossiers/${id}/rating`, { level: "very_satisfied", comment: "Nhanh, chu đáo" });
    assert.equal(rated.statusCode, 200, rated.body);
    assert.equal(rated.json().rating.level, "very_satisfied");
    const again = await api(citizen, "POST", `/api/dossiers/${id}/rating`, { level: "unsatisfied" });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, "dossier.already_rated");
    assert.equal((await act(citizen, "withdraw")).statusCode, 409, "nothing to withdraw after the return");
  });

  it("is looked up in public by code and key, without personal data; a wrong key is the same 404", async () => {
    const { citizen, specialist } = s.cast;
    // A life with a supplement asked for and answered, returned: a long history, the specialist's name in it.
    const applicant = { type: "citizen" as const, name: "Nguyễn Thị Mai", idNumber: citizen.username, phone: "0912345678" };
    const received = await fileDossier(env.ctx, s, procedure, { stage: "received", applicant });
    await env.ctx.dossiers.act(actorOf(env.ctx, specialist), received.id, "request_supplement", { items: [{ reason: "Thiếu bản sao" }] });
    const answered = await env.ctx.dossiers.act(actorOf(env.ctx, citizen), received.id, "supplement", { formData: formOf(citizen) });
    const { id } = await driveTo(env.ctx, s, answered, "returned");

    const d = (await api(citizen, "GET", `/api/dossiers/${id}`)).json();
    assert.equal(d.applicant.phone, "0912345678");
    const res = await api(null, "GET", `/api/lookup/${d.code}?key=${d.lookupKey}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, "returned");
    assert.equal(res.json().procedureName, procedure.name);
    assert.equal(res.json().agencyName, "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh");
    // The whole history, oldest first, with the same instants as the dossier's own page (ISO 8601, UTC).
    const history = d.history.map((e: { at: string; action: string; toStatus: string }) => ({ at: e.at, action: e.action, toStatus: e.toStatus }));
    assert.ok(history.length >= 8, `a long history: ${history.length}`);
    assert.deepEqual(res.json().history, history);
    assert.ok(JSON.stringify(d.history).includes("Lê Thị Chuyên"), "the officers are named in the dossier's own history");
    for (const secret of ["Nguyễn Thị Mai", citizen.username, "0912345678", specialist.username, "Lê Thị Chuyên"]) assert.ok(!res.body.includes(secret), `no ${secret} in the lookup`);
    const wrongKey = await api(null, "GET", `/api/lookup/${d.code}?key=AAAAAAAA`);
    const unknown = await api(null, "GET", `/api/lookup/${s.place.centre}-261201-9999?key=${d.lookupKey}`);
    assert.equal(wrongKey.statusCode, 404);
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(wrongKey.json().error.code, unknown.json().error.code);
    assert.equal(wrongKey.json().error.message, unknown.json().error.message);
  });
});
