// The data-rights pages through forms, as a browser without JavaScript uses them: the citizen consents and
// withdraws, files a request and follows its status; the supervisor answers it, keeps the breach register and
// reads the unusual look-ups; the desk sees none of it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../../test/helpers/app.ts";
import { fixedClock } from "../../../platform/clock.ts";
import type { App } from "../../../platform/http/types.ts";
import { dossierSetting, type DossierSetting } from "../../dossiers/testing.ts";
import { signInThroughParty } from "../../identity/relying-party/testing.ts";
import { formBrowser, type FormBrowser } from "../../identity/testing.ts";

const clock = fixedClock("2026-12-01T02:00:00Z");

describe("data-rights pages", () => {
  let env: TestEnv & { app: App };
  let s: DossierSetting;
  let citizen: FormBrowser;
  let supervisor: FormBrowser;

  before(async () => {
    env = await testApp({ clock });
    s = await dossierSetting(env.ctx);
    citizen = await formBrowser(env.app);
    await signInThroughParty(env.ctx, citizen, "portal", s.cast.citizen.username, s.cast.citizen.password);
    supervisor = await formBrowser(env.app);
    await signInThroughParty(env.ctx, supervisor, "office", s.cast.supervisor.username, s.cast.supervisor.password);
  });
  after(() => env?.close());

  it("lets a citizen consent, withdraw and file a request, and the supervisor answer it", async () => {
    const page = await citizen.get("/quyen-du-lieu");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Quyền đối với dữ liệu cá nhân/);

    const granted = await citizen.post("/quyen-du-lieu/dong-y", { purpose: "notify_email", action: "grant" });
    assert.equal(granted.statusCode, 303, granted.body);
    assert.equal(await env.ctx.dataRights.allows(s.cast.citizen.id, "notify_email"), true);
    const withdrawn = await citizen.post("/quyen-du-lieu/dong-y", { purpose: "notify_email", action: "withdraw" });
    assert.equal(withdrawn.statusCode, 303);
    assert.equal(await env.ctx.dataRights.allows(s.cast.citizen.id, "notify_email"), false);
    assert.match((await citizen.get("/quyen-du-lieu?da=rut-lai")).body, /dừng từ bây giờ/);

    const short = await citizen.post("/quyen-du-lieu/yeu-cau", { kind: "delete", detail: "" });
    assert.equal(short.statusCode, 400);
    assert.match(short.body, /cần chỉnh sửa hoặc xóa/);
    assert.equal((await citizen.post("/quyen-du-lieu/yeu-cau", { kind: "correct", detail: "Sai địa chỉ thường trú", agencyCode: s.place.centre })).statusCode, 303);
    const mine = (await citizen.get("/quyen-du-lieu")).body;
    assert.match(mine, /Đã tiếp nhận/);
    assert.match(mine, /Hạn phản hồi[\s\S]*Hạn thực hiện/, "both deadlines of Decree 356/2025 Art. 5 shown to the person");

    const office = await supervisor.get("/office/bao-ve-du-lieu");
    assert.equal(office.statusCode, 200);
    assert.match(office.body, /Sai địa chỉ thường trú/);
    assert.match(office.body, /phản hồi trước[\s\S]*hạn thực hiện/, "and to the officer");
    const [request] = await env.ctx.dataRights.myRequests(env.ctx.identity.actorFor(s.cast.citizen.user, { loa: 0 }));
    const answered = await supervisor.post(`/office/bao-ve-du-lieu/yeu-cau/${request!.id}`, { status: "done", answer: "Đã sửa địa chỉ trên tài khoản." });
    assert.equal(answered.statusCode, 303, answered.body);
    assert.match((await citizen.get("/quyen-du-lieu")).body, /Đã trả lời[\s\S]*Đã sửa địa chỉ trên tài khoản/);
  });

  it("keeps the breach register and shows the unusual look-ups to the supervisor only", async () => {
    const recorded = await supervisor.post("/office/bao-ve-du-lieu/su-co", {
      discoveredAt: "2026-12-01T08:30",
      occurredAt: "",
      description: "Danh sách người nộp gửi nhầm",
      subjects: "Người nộp hồ sơ tháng 11",
    });
    assert.equal(recorded.statusCode, 303, recorded.body);
    const register = await supervisor.get("/office/bao-ve-du-lieu");
    assert.match(register.body, /Danh sách người nộp gửi nhầm/);
    const [breach] = await env.ctx.dataRights.breaches(env.ctx.identity.actorFor(s.cast.supervisor.user, { loa: 0 }));
    assert.equal(breach!.notifyDueAt.toISOString(), "2026-12-04T01:30:00.000Z", "72 hours from 08:30 in Hà Nội");

    const report = await supervisor.get("/office/tra-cuu-bat-thuong?tu=2026-11-25&den=2026-12-01");
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /Tra cứu ngoài giờ làm việc/);

    const desk = await formBrowser(env.app);
    await signInThroughParty(env.ctx, desk, "office", s.cast.receiver.username, s.cast.receiver.password);
    assert.equal((await desk.get("/office/bao-ve-du-lieu")).statusCode, 403);
    assert.equal((await desk.get("/office/tra-cuu-bat-thuong")).statusCode, 403);
  });
});
