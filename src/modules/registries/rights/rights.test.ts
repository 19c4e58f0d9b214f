// Data-subject rights (issue 18, item 5) on a real database and the test clock: consents and their withdrawal
// stopping the optional use, requests to see/correct/delete tracked to their deadline and answered (a "see" with
// the person's data export), and the breach register with its notification deadline, overdue flagged.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../../test/helpers/app.ts";
import { fixedClock } from "../../../platform/clock.ts";
import { DomainError } from "../../../platform/http/errors.ts";
import type { App } from "../../../platform/http/types.ts";
import { actorOf, apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, fileDossier, publishProcedures } from "../../dossiers/testing.ts";
import { buildAgency } from "../../directory/testing.ts";
import { buildCitizen, buildOfficer } from "../../identity/testing.ts";
import * as lookups from "../repo.ts";
import { type PersonalDataExport, subjectActorOf } from "./export.ts";

// Tuesday 1 December 2026, 09:00 in Hà Nội.
const clock = fixedClock("2026-12-01T02:00:00Z");
const HOUR = 3_600_000;

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof DomainError && err.code === code);
}

describe("data-subject rights", () => {
  let env: TestEnv & { app: App };
  let s: DossierSetting;
  let api: ReturnType<typeof apiAs>;

  before(async () => {
    env = await testApp({ clock });
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
  });
  after(() => env?.close());

  it("records consent to an optional use and stops the use once it is withdrawn", async () => {
    const person = await buildCitizen(env.ctx);
    const me = actorOf(env.ctx, person);
    const rights = env.ctx.dataRights;
    assert.equal(await rights.allows(person.id, "notify_sms"), false, "no optional use without consent");
    const granted = await rights.grant(me, "notify_sms");
    assert.equal(granted.grantedBy, `user:${person.id}`);
    assert.equal((await rights.grant(me, "notify_sms")).id, granted.id, "granting again keeps the grant in force");
    assert.equal(await rights.allows(person.id, "notify_sms"), true);
    assert.equal(await rights.allows(person.id, "statistics"), false, "consent is per purpose");

    clock.advance(HOUR);
    const withdrawn = await rights.withdraw(me, "notify_sms");
    assert.equal(withdrawn.withdrawnAt?.toISOString(), clock.now().toISOString());
    assert.equal(await rights.allows(person.id, "notify_sms"), false, "withdrawal stops the use");
    await rejectsWith(rights.withdraw(me, "notify_sms"), "registries.rights_not_found");
    await rejectsWith(rights.grant(me, "marketing"), "registries.invalid_rights_input");
    await rejectsWith(rights.grant(actorOf(env.ctx, s.cast.receiver), "notify_sms"), "registries.rights_forbidden");

    // Through the API: the person's consents, in force and withdrawn.
    assert.equal((await api(person, "PUT", "/api/me/consents/statistics")).statusCode, 200);
    const list = (await api(person, "GET", "/api/me/consents")).json() as { items: Array<{ purpose: string; inForce: boolean }> };
    assert.deepEqual(list.items.map((c) => [c.purpose, c.inForce]).sort(), [["notify_sms", false], ["statistics", true]]);
  });

  it("tracks a request to see one's data to its deadline and answers it with what motcua holds", async () => {
    const procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Thủ tục thử quyền dữ liệu" }));
    const dossier = await fileDossier(env.ctx, s, procedure);
    const applicant = actorOf(env.ctx, s.cast.citizen);
    await lookups.insertLookup(env.database.db, {
      at: clock.now(),
      actor: "user:someone",
      actorName: "Trần Văn Tiếp",
      agencyCode: s.place.centre,
      registry: "population",
      subjectType: "citizen",
      subjectId: s.cast.citizen.username,
      fields: ["fullName"],
      purpose: "Tiếp nhận hồ sơ",
      legalBasis: "Nghị định 118/2025/NĐ-CP",
      dossierId: dossier.id,
      outcome: "ok",
    });

    clock.set("2026-12-01T03:00:00Z");
    const filed = await api(s.cast.citizen, "POST", "/api/me/data-requests", { kind: "see", detail: "", agencyCode: s.place.centre });
    assert.equal(filed.statusCode, 201, filed.body);
    const request = filed.json() as { id: string; status: string; filedAt: string; replyDueAt: string; repliedAt: string | null; dueAt: string; late: boolean };
    assert.equal(request.status, "received");
    // Filed on Tuesday 1 December at 10:00 in Hà Nội (Decree 356/2025 Art. 5): a reply within 2 working days (16
    // office hours: Thursday 10:00), the data given within 10 days (Friday 11 December, at the office's close).
    assert.equal(request.filedAt, "2026-12-01T03:00:00.000Z");
    assert.equal(request.replyDueAt, "2026-12-03T03:00:00.000Z", "2 working days");
    assert.equal(request.dueAt, "2026-12-11T10:00:00.000Z", "10 days, ending at 17:00 on the last");
    assert.equal(request.repliedAt, null);

    // Nobody else reads it; a citizen cannot handle it.
    const stranger = await buildCitizen(env.ctx);
    await rejectsWith(env.ctx.dataRights.request(actorOf(env.ctx, stranger), request.id), "registries.rights_not_found");
    assert.equal((await api(s.cast.citizen, "POST", `/api/data-requests/${request.id}/handle`, { status: "in_progress" })).statusCode, 403);

    const supervisor = actorOf(env.ctx, s.cast.supervisor);
    const takenUp = await env.ctx.dataRights.handleRequest(supervisor, request.id, { status: "in_progress" });
    assert.equal(takenUp.repliedAt?.toISOString(), clock.now().toISOString(), "taking it up is its reply");
    // Friday 11 December, 18:00: past the deadline to carry it out, replied in time.
    clock.advance(10 * 24 * HOUR + 8 * HOUR);
    const queue = (await api(s.cast.supervisor, "GET", "/api/data-requests")).json() as { items: Array<{ id: string; late: boolean; replyLate: boolean; status: string }> };
    assert.deepEqual(queue.items.find((r) => r.id === request.id), { ...queue.items.find((r) => r.id === request.id), late: true, replyLate: false, status: "in_progress" }, "past its deadline it is flagged late");

    const done = await env.ctx.dataRights.handleRequest(supervisor, request.id, { status: "done", answer: "Bản dữ liệu đính kèm." });
    assert.equal(done.status, "done");
    await rejectsWith(env.ctx.dataRights.handleRequest(supervisor, request.id, { status: "refused", answer: "Không" }), "registries.rights_conflict");

    const mine = (await api(s.cast.citizen, "GET", "/api/me/data-requests")).json() as { items: Array<{ id: string; status: string; hasExport: boolean }> };
    assert.deepEqual(mine.items.map((r) => [r.id, r.status, r.hasExport]), [[request.id, "done", true]], "the person sees the status");
    const exported = (await api(s.cast.citizen, "GET", `/api/data-requests/${request.id}/export`)).json() as PersonalDataExport;
    assert.equal(exported.account.username, s.cast.citizen.username);
    assert.ok(exported.dossiers.some((d) => d.id === dossier.id), "their dossiers");
    assert.deepEqual(exported.lookups.map((l) => [l.dossierId, l.registry]), [[dossier.id, "population"]], "the look-ups about them");
    assert.equal((await api(stranger, "GET", `/api/data-requests/${request.id}/export`)).statusCode, 404);

    // The same export on demand, with the request's deadlines and when it was replied to and answered.
    const onDemand = await env.ctx.dataRights.exportMine(applicant);
    assert.equal(onDemand.lookups.length, 1);
    assert.deepEqual(onDemand.requests, [
      { kind: "see", status: "done", filedAt: "2026-12-01T03:00:00.000Z", replyDueAt: "2026-12-03T03:00:00.000Z", repliedAt: "2026-12-01T03:00:00.000Z", dueAt: "2026-12-11T10:00:00.000Z", answeredAt: "2026-12-11T11:00:00.000Z" },
    ]);
  });

  it("flags a request not replied to within 2 working days, and gives a deletion 20 days", async () => {
    const person = await buildCitizen(env.ctx);
    const me = actorOf(env.ctx, person);
    // Friday 11 December, 18:00 (after the office's close): the 2 working days run from Monday's opening.
    clock.set("2026-12-11T11:00:00Z");
    // A request to see, taken up at once: its next deadline is its 10 days' (Monday 21 December).
    const seen = await env.ctx.dataRights.fileRequest(me, { kind: "see", detail: "", agencyCode: s.place.centre });
    await env.ctx.dataRights.handleRequest(actorOf(env.ctx, s.cast.supervisor), seen.id, { status: "in_progress" });
    const row = await env.ctx.dataRights.fileRequest(me, { kind: "delete", detail: "Xóa số điện thoại cũ", agencyCode: s.place.centre });
    assert.equal(row.replyDueAt?.toISOString(), "2026-12-15T10:00:00.000Z", "Tuesday 15 December, 17:00");
    assert.equal(row.dueAt.toISOString(), "2026-12-31T10:00:00.000Z", "20 days: Thursday 31 December, 17:00");
    const queue = async () => ((await api(s.cast.supervisor, "GET", "/api/data-requests")).json() as { items: Array<{ id: string; replyLate: boolean; late: boolean; repliedAt: string | null }> }).items;
    const item = async () => (await queue()).find((r) => r.id === row.id)!;
    const ids = (await queue()).map((r) => r.id);
    assert.ok(ids.indexOf(row.id) < ids.indexOf(seen.id), "the queue puts the deletion's reply (15 December) before the other's 10 days (21 December)");
    assert.equal((await item()).replyLate, false);
    clock.advance(4 * 24 * HOUR);
    assert.deepEqual(await item(), { ...(await item()), replyLate: true, late: false, repliedAt: null }, "not replied to by Tuesday's close");
    const taken = await env.ctx.dataRights.handleRequest(actorOf(env.ctx, s.cast.supervisor), row.id, { status: "in_progress" });
    assert.equal(taken.repliedAt?.toISOString(), clock.now().toISOString());
    assert.deepEqual(await item(), { ...(await item()), replyLate: true, late: false }, "replied, but late");
  });

  it("reads a branch's 13-digit tax code as a business, not a citizen, in the data export", async () => {
    for (const username of ["0100233488001", "0100233488-001", "0100233488"]) {
      assert.deepEqual(subjectActorOf({ userId: "u", username, fullName: "Chi nhánh" }).roles.map((r) => r.role), ["business"], username);
    }
    assert.deepEqual(subjectActorOf({ userId: "u", username: "001199000001", fullName: "Công dân" }).roles.map((r) => r.role), ["citizen"]);

    // A branch's request to see its data, answered: the export holds the look-ups of the branch as a business.
    const branch = { userId: "branch-user", username: "0100233488001", fullName: "Chi nhánh Công ty TNHH Ví dụ" };
    await lookups.insertLookup(env.database.db, {
      at: clock.now(),
      actor: "user:someone",
      actorName: "Trần Văn Tiếp",
      agencyCode: s.place.centre,
      registry: "business",
      subjectType: "business",
      subjectId: branch.username,
      fields: ["name"],
      purpose: "Tiếp nhận hồ sơ",
      legalBasis: "Nghị định 168/2025/NĐ-CP",
      dossierId: "ho-so-chi-nhanh",
      outcome: "ok",
    });
    const filed = await env.ctx.dataRights.fileRequest(subjectActorOf(branch), { kind: "see", detail: "", agencyCode: s.place.centre });
    const done = await env.ctx.dataRights.handleRequest(actorOf(env.ctx, s.cast.admin), filed.id, { status: "done", answer: "Bản dữ liệu đính kèm." });
    const exported = done.export as PersonalDataExport;
    assert.deepEqual(exported.account.roles, ["business"]);
    assert.deepEqual(exported.lookups.map((l) => l.dossierId), ["ho-so-chi-nhanh"]);
  });

  it("shows a data subject's request, and its export, only to the data officers of the agency it is addressed to and those above it", async () => {
    const person = await buildCitizen(env.ctx);
    const me = actorOf(env.ctx, person);
    const here = await env.ctx.dataRights.fileRequest(me, { kind: "see", detail: "", agencyCode: s.place.centre });
    const elsewhereAgency = await buildAgency(env.ctx, { name: "Ủy ban nhân dân tỉnh Nơi Khác", kind: "people_committee", departments: [] });
    const there = await env.ctx.dataRights.fileRequest(me, { kind: "correct", detail: "Sai số điện thoại", agencyCode: elsewhereAgency.code });
    const node = await env.ctx.dataRights.fileRequest(me, { kind: "delete", detail: "Xóa tài khoản của tôi" });
    await rejectsWith(env.ctx.dataRights.fileRequest(me, { kind: "see", detail: "", agencyCode: "không phải mã" }), "registries.invalid_rights_input");
    const stranger = await buildOfficer(env.ctx, { agency: elsewhereAgency, department: null, roles: ["supervisor"], fullName: "Giám sát Nơi Khác", email: null });

    const listed = async (who: typeof stranger) => ((await api(who, "GET", "/api/data-requests")).json() as { items: Array<{ id: string }> }).items.map((r) => r.id);
    const ours = await listed(s.cast.supervisor);
    assert.ok(ours.includes(here.id), "the province's supervisor sees the request to an agency of the province");
    assert.ok(!ours.includes(there.id) && !ours.includes(node.id), "not another province's, nor one to the node");
    const theirs = await listed(stranger);
    assert.ok(theirs.includes(there.id));
    assert.ok(!theirs.includes(here.id) && !theirs.includes(node.id));

    // Another agency's request and its export are not there for them; nor can they answer it.
    await env.ctx.dataRights.handleRequest(actorOf(env.ctx, s.cast.supervisor), here.id, { status: "done", answer: "Bản dữ liệu đính kèm." });
    assert.equal((await api(stranger, "GET", `/api/data-requests/${here.id}/export`)).statusCode, 404);
    assert.equal((await api(s.cast.supervisor, "GET", `/api/data-requests/${here.id}/export`)).statusCode, 200);
    await rejectsWith(env.ctx.dataRights.request(actorOf(env.ctx, stranger), here.id), "registries.rights_not_found");
    await rejectsWith(env.ctx.dataRights.handleRequest(actorOf(env.ctx, stranger), node.id, { status: "refused", answer: "Không" }), "registries.rights_not_found");
    assert.equal((await api(person, "GET", `/api/data-requests/${here.id}/export`)).statusCode, 200, "the person reads their own");
  });

  it("asks what to correct or delete, and an answer to close a request", async () => {
    const person = await buildCitizen(env.ctx);
    await rejectsWith(env.ctx.dataRights.fileRequest(actorOf(env.ctx, person), { kind: "delete", detail: "" }), "registries.invalid_rights_input");
    const row = await env.ctx.dataRights.fileRequest(actorOf(env.ctx, person), { kind: "correct", detail: "Sai ngày sinh trên tài khoản", agencyCode: s.place.centre });
    await rejectsWith(env.ctx.dataRights.handleRequest(actorOf(env.ctx, s.cast.admin), row.id, { status: "refused" }), "registries.invalid_rights_input");
    const refused = await env.ctx.dataRights.handleRequest(actorOf(env.ctx, s.cast.admin), row.id, { status: "refused", answer: "Ngày sinh lấy từ CSDL dân cư." });
    assert.equal(refused.status, "refused");
    assert.equal(refused.export, null);
  });

  it("keeps the breach register with the deadline to notify the authority, overdue flagged", async () => {
    const discoveredAt = new Date(clock.now().getTime() - 2 * HOUR);
    const res = await api(s.cast.supervisor, "POST", "/api/data-breaches", {
      discoveredAt: discoveredAt.toISOString(),
      description: "Bảng kê hồ sơ gửi nhầm địa chỉ thư",
      subjects: "12 người nộp hồ sơ khai sinh",
      agencyCode: s.place.centre,
    });
    assert.equal(res.statusCode, 201, res.body);
    const breach = res.json() as { id: string; notifyDueAt: string; overdue: boolean };
    assert.equal(new Date(breach.notifyDueAt).getTime(), discoveredAt.getTime() + 72 * HOUR);
    assert.equal(breach.overdue, false);

    // When it occurred is known, the deadline still counts from its discovery (Law 91/2025 Art. 23(1)); when it
    // occurred is kept for the notice.
    const earlier = await env.ctx.dataRights.recordBreach(actorOf(env.ctx, s.cast.supervisor), {
      discoveredAt,
      occurredAt: new Date(discoveredAt.getTime() - 24 * HOUR),
      description: "Tài khoản cán bộ bị lộ mật khẩu",
      subjects: "Người có hồ sơ tại Trung tâm",
    });
    assert.equal(earlier.notifyDueAt.getTime(), discoveredAt.getTime() + 72 * HOUR);
    assert.equal(earlier.occurredAt?.getTime(), discoveredAt.getTime() - 24 * HOUR);

    assert.equal((await api(s.cast.receiver, "GET", "/api/data-breaches")).statusCode, 403, "not the desk's register");
    await rejectsWith(
      env.ctx.dataRights.recordBreach(actorOf(env.ctx, s.cast.supervisor), { discoveredAt, description: "Sự cố ở nơi khác", subjects: "Không rõ", agencyCode: "999.99.99.H99" }),
      "registries.invalid_rights_input",
    );

    clock.advance(71 * HOUR);
    const register = () => api(s.cast.admin, "GET", "/api/data-breaches").then((r) => r.json() as { items: Array<{ id: string; overdue: boolean; notifiedAt: string | null }> });
    const byId = async (id: string) => (await register()).items.find((b) => b.id === id)!;
    assert.equal((await byId(breach.id)).overdue, true, "72 hours after discovery without notice");
    const notified = await api(s.cast.admin, "POST", `/api/data-breaches/${breach.id}/notified`);
    assert.equal(notified.statusCode, 200, notified.body);
    assert.equal((await byId(breach.id)).notifiedAt, clock.now().toISOString());
    assert.equal((await api(s.cast.admin, "POST", `/api/data-breaches/${breach.id}/notified`)).statusCode, 409);
  });
});
