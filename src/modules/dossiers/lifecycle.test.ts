// A dossier's whole life through the API: filed online, received at the centre with its code and
// appointment, examined and signed at the department, a supplement with the clock paused, the result
// issued and returned, rated; and what each party may and may not do on the way.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { fixedClock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { apiAs, buildProvincialProcedure, CENTRE, dossierFixture, JUSTICE, multipart, PDF, PNG, type TestUser } from "./testing.ts";

// Tuesday 1 December 2026, 09:00 in Hà Nội.
const clock = fixedClock("2026-12-01T02:00:00Z");
const HOUR = 3600_000;

describe("a dossier's life", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  const procedure = buildProvincialProcedure();
  let id = "";

  before(async () => {
    env = await testApp({ clock });
    api = apiAs(env.app, await dossierFixture(env.ctx, [procedure]));
  });
  after(() => env.close());

  const act = (who: TestUser, action: string, body: unknown = {}) => api(who, "POST", `/api/dossiers/${id}/actions/${action}`, body);
  const upload = (who: TestUser, component: string, bytes: Buffer, name = "giay-to.pdf") => {
    const { payload, headers } = multipart({ component }, { name, type: "application/pdf", bytes });
    return env.app.inject({ method: "POST", url: `/api/dossiers/${id}/attachments`, payload, headers: { ...headers, authorization: `Bearer ${tokensOf(who)}` } });
  };
  let tokensOf: (who: TestUser) => string;
  before(async () => {
    const map = new Map<TestUser, string>();
    for (const u of ["001199000001", "tiepnhan", "chuyenvien.tuphap", "lanhdao.tuphap", "0100233488"] as const) {
      map.set(u, await env.ctx.oidc.mintToken({ type: "cli", name: "test" }, u, 24 * 3600));
    }
    tokensOf = (who) => map.get(who)!;
  });

  it("is drafted online once per request id, and filed only with its form and required papers", async () => {
    const requestId = randomUUID();
    const body = { procedureCode: procedure.code, agencyCode: CENTRE, formData: { hoTen: "Nguyễn Thị Mai" }, requestId, applicant: { type: "citizen", name: "x", idNumber: "001199000001", phone: "0912345678" } };
    const first = await api("001199000001", "POST", "/api/dossiers", body);
    assert.equal(first.statusCode, 201, first.body);
    id = first.json().id;
    assert.equal(first.json().status, "draft");
    assert.equal(first.json().channel, "online");
    assert.equal(first.json().applicant.name, "Nguyễn Thị Mai", "the applicant is the signed-in account, not what the body says");
    assert.equal(first.json().applicant.phone, "0912345678");
    assert.equal(first.json().code, null);
    const retry = await api("001199000001", "POST", "/api/dossiers", body);
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.json().id, id);

    const incomplete = await api("001199000001", "POST", `/api/dossiers/${id}/submit`);
    assert.equal(incomplete.statusCode, 400);
    assert.equal(incomplete.json().error.code, "dossier.invalid");
    assert.deepEqual(
      incomplete.json().error.fields.map((f: { path: string }) => f.path).sort(),
      ["/attachments/to-khai", "/formData/soCccd"],
    );
    assert.match(incomplete.json().error.fields.find((f: { path: string }) => f.path === "/formData/soCccd").message, /Cần nhập Số định danh cá nhân/);

    // A PNG sent as a PDF is refused by its bytes.
    const wrong = await upload("001199000001", "to-khai", PNG, "to-khai.pdf");
    assert.equal(wrong.statusCode, 415, wrong.body);
    assert.equal((await upload("001199000001", "khong-co", PDF)).statusCode, 400);
    const ok = await upload("001199000001", "to-khai", PDF, "tờ khai.pdf");
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().contentType, "application/pdf");
    assert.equal(ok.json().name, "tờ khai.pdf");

    const saved = await api("001199000001", "PUT", `/api/dossiers/${id}/form`, { formData: { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" } });
    assert.equal(saved.statusCode, 200);
    const filed = await api("001199000001", "POST", `/api/dossiers/${id}/submit`);
    assert.equal(filed.statusCode, 200, filed.body);
    assert.equal(filed.json().status, "new");
    assert.equal(filed.json().nationalStatus, 1);
    // Filing again returns the filed dossier.
    assert.equal((await api("001199000001", "POST", `/api/dossiers/${id}/submit`)).json().status, "new");
  });

  it("is visible to its applicant and the officers of its agencies only", async () => {
    assert.equal((await api("0100233488", "GET", `/api/dossiers/${id}`)).statusCode, 404);
    // Before receipt the department has not been handed it.
    assert.equal((await api("chuyenvien.tuphap", "GET", `/api/dossiers/${id}`)).statusCode, 404);
    assert.equal((await api("tiepnhan", "GET", `/api/dossiers/${id}`)).statusCode, 200);
    assert.equal((await api("giamsat.tinh", "GET", `/api/dossiers/${id}`)).statusCode, 200);
    assert.equal((await api(null, "GET", `/api/dossiers/${id}`)).statusCode, 401);
    const queue = await api("tiepnhan", "GET", "/api/office/dossiers?queue=new");
    assert.deepEqual(queue.json().items.map((i: { id: string }) => i.id), [id]);
    assert.deepEqual((await api("001199000001", "GET", "/api/me/dossiers")).json().items.map((i: { id: string }) => i.id), [id]);
  });

  it("is received at the centre: code of the day, lookup key, appointment, on to the department", async () => {
    assert.equal((await act("001199000001", "receive")).statusCode, 403);
    const res = await act("tiepnhan", "receive");
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json();
    assert.equal(d.code, `${CENTRE}-261201-0001`);
    assert.match(d.lookupKey, /^[0-9A-HJKMNP-TV-Z]{8}$/);
    assert.equal(d.status, "processing");
    assert.equal(d.nationalStatus, 4);
    assert.equal(d.receivedAt, "2026-12-01T02:00:00.000Z");
    const due = await env.ctx.calendar.due({ from: clock.now(), amount: 2, unit: "working_days", agency: CENTRE });
    assert.equal(d.dueAt, due.toISOString(), "two working days online");
    assert.equal(d.originalDueAt, d.dueAt);
    assert.equal(d.processingAgencyCode, JUSTICE);
    assert.equal(d.step.key, "tham-dinh");
    assert.deepEqual(
      d.history.map((h: { action: string; toStatus: string }) => `${h.action}:${h.toStatus}`),
      ["submit:new", "received:processing", "receive:processing"],
    );
    assert.deepEqual(d.steps.map((s: { stepKey: string; outcome: string | null }) => [s.stepKey, s.outcome]), [["tiep-nhan", "received"], ["tham-dinh", null]]);
    // Receiving twice is refused with the current status.
    const again = await act("tiepnhan", "receive");
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, "dossier.invalid_transition");
    assert.equal(again.json().error.status, "processing", "the response says the current status");
    assert.equal(again.json().error.message, "Không thể «Tiếp nhận hồ sơ» khi hồ sơ ở trạng thái «Đang xử lý».", "in words, not codes");
    // Now the department sees it.
    assert.equal((await api("chuyenvien.tuphap", "GET", `/api/dossiers/${id}`)).statusCode, 200);
    assert.deepEqual((await api("chuyenvien.tuphap", "GET", "/api/office/dossiers?queue=processing")).json().items.map((i: { id: string }) => i.id), [id]);
  });

  it("asks for a supplement once, with the clock paused until the applicant answers", async () => {
    const before = (await api("001199000001", "GET", `/api/dossiers/${id}`)).json();
    assert.equal((await act("chuyenvien.tuphap", "request_supplement", { items: [] })).statusCode, 400);
    const asked = await act("chuyenvien.tuphap", "request_supplement", { items: [{ component: "cccd", reason: "Bản sao căn cước bị mờ" }] });
    assert.equal(asked.statusCode, 200, asked.body);
    assert.equal(asked.json().status, "supplementing");
    assert.equal(asked.json().nationalStatus, 5);
    assert.equal(asked.json().paused, true);
    // 09:00 to 12:00: two and a half working hours, the lunch break (11:30–13:30) does not count.
    clock.advance(3 * HOUR);
    const answered = await act("001199000001", "supplement", { formData: { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" } });
    assert.equal(answered.statusCode, 200, answered.body);
    assert.equal(answered.json().status, "processing");
    assert.equal(answered.json().paused, false);
    const moved = await env.ctx.calendar.due({ from: new Date(before.dueAt), amount: 2.5, unit: "hours", agency: JUSTICE });
    assert.equal(answered.json().dueAt, moved.toISOString(), "the due time moves by the paused working time");
    assert.equal(answered.json().pauses.length, 1);
    assert.ok(answered.json().pauses[0].to);
    const twice = await act("chuyenvien.tuphap", "request_supplement", { items: [{ reason: "Thiếu" }] });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, "dossier.supplement_limit");
  });

  it("walks the steps: a specialist forwards, only the leader signs, a step may be sent back", async () => {
    const offered = (await api("chuyenvien.tuphap", "GET", `/api/dossiers/${id}`)).json().allowedActions as string[];
    assert.ok(offered.includes("forward"));
    assert.ok(!offered.includes("finish"), "no result before the leader has signed");
    assert.ok(!offered.includes("approve"));
    const fwd = await act("chuyenvien.tuphap", "forward", { note: "Hồ sơ đủ điều kiện" });
    assert.equal(fwd.statusCode, 200, fwd.body);
    assert.equal(fwd.json().step.key, "ky-duyet");
    assert.equal((await act("chuyenvien.tuphap", "approve")).statusCode, 403, "a specialist does not sign");
    const leaderMay = (await api("lanhdao.tuphap", "GET", `/api/dossiers/${id}`)).json().allowedActions as string[];
    assert.deepEqual(["approve", "finish", "send_back"].filter((a) => leaderMay.includes(a)), ["approve", "finish", "send_back"]);
    assert.equal((await act("lanhdao.tuphap", "send_back", {})).statusCode, 400, "sending back needs a reason");
    const back = await act("lanhdao.tuphap", "send_back", { note: "Kiểm tra lại số liệu" });
    assert.equal(back.json().step.key, "tham-dinh");
    await act("chuyenvien.tuphap", "forward");
    const approved = await act("lanhdao.tuphap", "approve");
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().step.key, "tra-ket-qua");
    assert.equal(approved.json().processingAgencyCode, CENTRE);
    const steps = approved.json().steps.map((s: { stepKey: string; outcome: string | null }) => `${s.stepKey}:${s.outcome}`);
    assert.deepEqual(steps, ["tiep-nhan:received", "tham-dinh:forwarded", "ky-duyet:sent_back", "tham-dinh:forwarded", "ky-duyet:approved", "tra-ket-qua:null"]);
  });

  it("finishes only with the result attached, early or on time, then is returned and rated once", async () => {
    const none = await act("tiepnhan", "finish");
    assert.equal(none.statusCode, 400);
    assert.equal(none.json().error.fields[0].path, "/resultFileId");
    assert.equal((await upload("001199000001", "result", PDF)).statusCode, 403, "the applicant does not issue results");
    const result = await upload("tiepnhan", "result", PDF, "ket-qua.pdf");
    assert.equal(result.statusCode, 201, result.body);
    const done = await act("tiepnhan", "finish", { resultFileId: result.json().id });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().status, "done");
    assert.equal(done.json().nationalStatus, 9);
    assert.equal(done.json().timeliness, "early", "finished the day it was received");
    assert.equal((await api("001199000001", "POST", `/api/dossiers/${id}/rating`, { level: "satisfied" })).statusCode, 409, "rated after the return");
    const returned = await act("tiepnhan", "return", { method: "online" });
    assert.equal(returned.statusCode, 200, returned.body);
    assert.equal(returned.json().status, "returned");
    assert.equal(returned.json().nationalStatus, 10);
    assert.equal(returned.json().steps.at(-1).outcome, "returned");
    // The applicant downloads the result.
    const file = await api("001199000001", "GET", `/api/dossiers/${id}/attachments/${result.json().id}`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers["content-type"], "application/pdf");
    assert.ok(file.rawPayload.equals(PDF));
    const rated = await api("001199000001", "POST", `/api/dossiers/${id}/rating`, { level: "very_satisfied", comment: "Nhanh, chu đáo" });
    assert.equal(rated.statusCode, 200, rated.body);
    assert.equal(rated.json().rating.level, "very_satisfied");
    const again = await api("001199000001", "POST", `/api/dossiers/${id}/rating`, { level: "unsatisfied" });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, "dossier.already_rated");
    assert.equal((await act("001199000001", "withdraw")).statusCode, 409, "nothing to withdraw after the return");
  });

  it("is looked up in public by code and key, without personal data; a wrong key is the same 404", async () => {
    const d = (await api("001199000001", "GET", `/api/dossiers/${id}`)).json();
    const res = await api(null, "GET", `/api/lookup/${d.code}?key=${d.lookupKey}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, "returned");
    assert.equal(res.json().procedureName, procedure.name);
    assert.equal(res.json().agencyName, "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh");
    // The whole history, oldest first, with the same instants as the dossier's own page (ISO 8601, UTC).
    const history = d.history.map((e: { at: string; action: string; toStatus: string }) => ({ at: e.at, action: e.action, toStatus: e.toStatus }));
    assert.ok(history.length >= 8, `a long history: ${history.length}`);
    assert.deepEqual(res.json().history, history);
    for (const secret of ["Nguyễn Thị Mai", "001199000001", "0912345678", "chuyenvien", "Lê Thị Chuyên"]) assert.ok(!res.body.includes(secret), `no ${secret} in the lookup`);
    const wrongKey = await api(null, "GET", `/api/lookup/${d.code}?key=AAAAAAAA`);
    const unknown = await api(null, "GET", `/api/lookup/${CENTRE}-261201-9999?key=${d.lookupKey}`);
    assert.equal(wrongKey.statusCode, 404);
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(wrongKey.json().error.code, unknown.json().error.code);
    assert.equal(wrongKey.json().error.message, unknown.json().error.message);
  });
});
