// Assigning a dossier's step to an officer (issue 5, item 3): whom the form offers — active officers of the
// processing agency who could take the step — what the action refuses, and the office page's choice.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { Actor } from "../../platform/auth/actor.ts";
import type { App } from "../../platform/http/types.ts";
import { readDemoAccounts } from "../identity/index.ts";
import { formBrowser } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { DossierNotFound } from "./errors.ts";
import { buildProvincialProcedure, CENTRE, dossierFixture, JUSTICE, multipart, PDF, type TestUser } from "./testing-demo.ts";

const PASSWORD = readDemoAccounts().password;

describe("assigning a step to an officer", () => {
  let env: TestEnv & { app: App };
  let tokens: Map<TestUser, string>;
  const procedure = buildProvincialProcedure({ name: "Cấp phiếu thử nghiệm giao việc" });
  let id = "";
  const ids = new Map<string, string>();
  const api = (who: TestUser, method: "GET" | "POST", url: string, payload?: object) =>
    env.app.inject({ method, url, headers: { authorization: `Bearer ${tokens.get(who)}` }, ...(payload ? { payload } : {}) });
  const actorOf = async (username: string): Promise<Actor> => env.ctx.identity.actorFor((await env.ctx.identity.findByUsername(username))!, { loa: 0 });

  before(async () => {
    env = await testApp();
    tokens = await dossierFixture(env.ctx, [procedure]);
    // The department's colleagues besides the demo's specialist and leader: another specialist, its clerk (a
    // receiver, who does not examine), a specialist away (disabled), a deputy whose leader's grant is the
    // province's (it covers the department), and a specialist of another agency.
    const extra = [
      { username: "chuyenvien2.tuphap", fullName: "Phạm Thị Thẩm", agencyCode: JUSTICE, departmentCode: "bo-tro-tu-phap", role: "specialist", status: "active" },
      { username: "vanthu.tuphap", fullName: "Đỗ Văn Thư", agencyCode: JUSTICE, departmentCode: "van-phong", role: "receiver", status: "active" },
      { username: "nghiphep.tuphap", fullName: "Bùi Văn Nghỉ", agencyCode: JUSTICE, departmentCode: "hanh-chinh-tu-phap", role: "specialist", status: "disabled" },
      { username: "pholanhdao.tuphap", fullName: "Ngô Văn Tỉnh", agencyCode: JUSTICE, departmentCode: "van-phong", role: "leader", status: "active", grantAt: "000.00.00.H06" },
      { username: "chuyenvien.xaydung", fullName: "Vũ Thị Xây", agencyCode: "000.00.12.H06", departmentCode: "quan-ly-xay-dung", role: "specialist", status: "active" },
    ] as const;
    await env.database.transaction(async (tx) => {
      for (const a of extra) {
        await env.ctx.identity.seedAccount(tx, {
          kind: "officer", username: a.username, fullName: a.fullName, email: null, agencyCode: a.agencyCode, departmentCode: a.departmentCode,
          status: a.status, password: PASSWORD, roles: [{ role: a.role, agencyCode: "grantAt" in a ? a.grantAt : a.agencyCode }],
        });
      }
    });
    for (const u of ["chuyenvien.tuphap", "lanhdao.tuphap", ...extra.map((a) => a.username)]) ids.set(u, (await env.ctx.identity.findByUsername(u))!.id);

    // Filed online, received at the centre: the dossier is at the department's examination step.
    const created = await api("001199000001", "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: CENTRE, formData: { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" }, requestId: randomUUID() });
    id = created.json().id;
    const { payload, headers } = multipart({ component: "to-khai" }, { name: "to-khai.pdf", type: "application/pdf", bytes: PDF });
    await env.app.inject({ method: "POST", url: `/api/dossiers/${id}/attachments`, payload, headers: { ...headers, authorization: `Bearer ${tokens.get("001199000001")}` } });
    assert.equal((await api("001199000001", "POST", `/api/dossiers/${id}/submit`)).statusCode, 200);
    const received = await api("tiepnhan", "POST", `/api/dossiers/${id}/actions/receive`, {});
    assert.equal(received.statusCode, 200, received.body);
    assert.equal(received.json().step.role, "specialist");
  });
  after(() => env.close());

  it("offers the leader the active officers of the department who could examine it, by name", async () => {
    const offered = await env.ctx.dossiers.assignees(await actorOf("lanhdao.tuphap"), id);
    assert.deepEqual(offered.map((o) => o.fullName), ["Lê Thị Chuyên", "Ngô Văn Tỉnh", "Phạm Thị Thẩm", "Phạm Văn Lãnh"], "not the clerk, the one away or another agency's specialist");
    assert.deepEqual(offered.find((o) => o.id === ids.get("chuyenvien2.tuphap")), { id: ids.get("chuyenvien2.tuphap"), fullName: "Phạm Thị Thẩm", agencyCode: JUSTICE, departmentCode: "bo-tro-tu-phap" });
    assert.deepEqual(await env.ctx.dossiers.assignees(await actorOf("chuyenvien.tuphap"), id), [], "a specialist does not assign");
    assert.deepEqual(await env.ctx.dossiers.assignees(await actorOf("tiepnhan"), id), [], "the centre's desk sees the dossier but does not assign the department's work");
    await assert.rejects(env.ctx.dossiers.assignees(await actorOf("chuyenvien.xaydung"), id), (err) => err instanceof DossierNotFound, "another agency does not see it");
  });

  it("refuses an assignee who is away, of another agency, or cannot take the step", async () => {
    const assign = (username: string) => api("lanhdao.tuphap", "POST", `/api/dossiers/${id}/actions/assign`, { assigneeUserId: ids.get(username) });
    for (const [who, message] of [
      ["nghiphep.tuphap", /phải thuộc cơ quan đang xử lý hồ sơ/],
      ["chuyenvien.xaydung", /phải thuộc cơ quan đang xử lý hồ sơ/],
      ["vanthu.tuphap", /không có vai trò thực hiện bước xử lý này/],
    ] as const) {
      const res = await assign(who);
      assert.equal(res.statusCode, 400, `${who}: ${res.body}`);
      const field = res.json().error.fields.find((f: { path: string }) => f.path === "/assigneeUserId");
      assert.match(field?.message ?? "", message, who);
    }
    assert.equal((await api("lanhdao.tuphap", "GET", `/api/dossiers/${id}`)).json().step.assigneeUserId, null, "nothing changed");
  });

  it("assigns through the API to an officer offered, with the hand-over in the history", async () => {
    const res = await api("lanhdao.tuphap", "POST", `/api/dossiers/${id}/actions/assign`, { assigneeUserId: ids.get("chuyenvien2.tuphap"), note: "Giao chị Thẩm" });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().step.assigneeUserId, ids.get("chuyenvien2.tuphap"));
    assert.equal(res.json().history.at(-1).action, "assign");
  });

  it("lists the choice on the leader's page, the current assignee chosen, and assigns what is chosen", async () => {
    const leader = await formBrowser(env.app);
    await signInThroughParty(env.ctx, leader, "office", "lanhdao.tuphap", PASSWORD);
    const page = await leader.get(`/office/ho-so/${id}`, { accept: "text/html" });
    assert.equal(page.statusCode, 200);
    const select = /<select id="act-assign-assignee" name="assigneeUserId"[^>]*>([\s\S]*?)<\/select>/.exec(page.body)?.[1] ?? "";
    const options = [...select.matchAll(/<option value(?:="([^"]*)")?( selected)?>([^<]*)<\/option>/g)].map((m) => ({ value: m[1] ?? "", selected: Boolean(m[2]), text: m[3] }));
    assert.deepEqual(options, [
      { value: "", selected: false, text: "— Không giao cho cán bộ cụ thể —" },
      { value: ids.get("chuyenvien.tuphap"), selected: false, text: "Lê Thị Chuyên — Phòng Hành chính tư pháp" },
      { value: ids.get("pholanhdao.tuphap"), selected: false, text: "Ngô Văn Tỉnh — Văn phòng Sở" },
      { value: ids.get("chuyenvien2.tuphap"), selected: true, text: "Phạm Thị Thẩm — Phòng Bổ trợ tư pháp" },
      { value: ids.get("lanhdao.tuphap"), selected: false, text: "Phạm Văn Lãnh (tôi) — Văn phòng Sở" },
    ]);

    const posted = await leader.post(`/office/ho-so/${id}/thao-tac/assign`, { assigneeUserId: ids.get("chuyenvien.tuphap")! });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    assert.equal((await api("lanhdao.tuphap", "GET", `/api/dossiers/${id}`)).json().step.assigneeUserId, ids.get("chuyenvien.tuphap"));

    // No officer chosen, a department chosen: the department's, nobody's in particular.
    const toDepartment = await leader.post(`/office/ho-so/${id}/thao-tac/assign`, { assigneeUserId: "", department: "bo-tro-tu-phap" });
    assert.equal(toDepartment.statusCode, 303, toDepartment.body.slice(0, 300));
    const step = (await api("lanhdao.tuphap", "GET", `/api/dossiers/${id}`)).json().step;
    assert.deepEqual([step.assigneeUserId, step.department], [null, "bo-tro-tu-phap"]);
  });
});
