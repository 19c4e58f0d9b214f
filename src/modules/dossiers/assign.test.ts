// Assigning a dossier's step to an officer (issue 5, item 3): whom the form offers — active officers of the
// processing agency who could take the step — what the action refuses, and the office page's choice. Each test
// takes a dossier of its own to the department's examination step.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildOfficer, formBrowser, TEST_PASSWORD, type TestAccount } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { DossierNotFound } from "./errors.ts";
import { actorOf, apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, fileDossier, publishProcedures } from "./testing.ts";

describe("assigning a step to an officer", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let procedure: ProcedureContent;
  /**
   * The department's colleagues besides the cast's specialist and leader: another specialist, its clerk (a
   * receiver, who does not examine), a specialist away (disabled), a deputy whose leader's grant is the
   * province's (it covers the department), and a specialist of another agency.
   */
  let colleagues: Record<"specialist2" | "clerk" | "away" | "deputy" | "construction", TestAccount>;

  before(async () => {
    env = await testApp();
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Cấp phiếu thử nghiệm giao việc" }));
    const { province, justice } = s.agencies;
    const construction = await buildAgency(env.ctx, { parent: province, name: "Sở Xây dựng tỉnh Bắc Ninh", departments: ["van-phong", "quan-ly-xay-dung"] });
    const officer = (opts: Parameters<typeof buildOfficer>[1]) => buildOfficer(env.ctx, { email: null, ...opts });
    colleagues = {
      specialist2: await officer({ agency: justice, department: "bo-tro-tu-phap", roles: ["specialist"], fullName: "Phạm Thị Thẩm" }),
      clerk: await officer({ agency: justice, department: "van-phong", roles: ["receiver"], fullName: "Đỗ Văn Thư" }),
      away: await officer({ agency: justice, department: "hanh-chinh-tu-phap", roles: ["specialist"], fullName: "Bùi Văn Nghỉ", status: "disabled" }),
      deputy: await officer({ agency: justice, department: "van-phong", roles: [{ role: "leader", agencyCode: province.code }], fullName: "Ngô Văn Tỉnh" }),
      construction: await officer({ agency: construction, department: "quan-ly-xay-dung", roles: ["specialist"], fullName: "Vũ Thị Xây" }),
    };
  });
  after(() => env.close());

  /** Filed online, received at the centre: a dossier at the department's examination step. */
  const atExamination = async () => {
    const d = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    assert.equal(d.step?.role, "specialist");
    return d.id;
  };

  it("offers the leader the active officers of the department who could examine it, by name", async () => {
    const id = await atExamination();
    const { specialist2 } = colleagues;
    const offered = await env.ctx.dossiers.assignees(actorOf(env.ctx, s.cast.leader), id);
    assert.deepEqual(offered.map((o) => o.fullName), ["Lê Thị Chuyên", "Ngô Văn Tỉnh", "Phạm Thị Thẩm", "Phạm Văn Lãnh"], "not the clerk, the one away or another agency's specialist");
    assert.deepEqual(offered.find((o) => o.id === specialist2.id), { id: specialist2.id, fullName: "Phạm Thị Thẩm", agencyCode: s.place.justice, departmentCode: "bo-tro-tu-phap" });
    assert.deepEqual(await env.ctx.dossiers.assignees(actorOf(env.ctx, s.cast.specialist), id), [], "a specialist does not assign");
    assert.deepEqual(await env.ctx.dossiers.assignees(actorOf(env.ctx, s.cast.receiver), id), [], "the centre's desk sees the dossier but does not assign the department's work");
    await assert.rejects(env.ctx.dossiers.assignees(actorOf(env.ctx, colleagues.construction), id), (err) => err instanceof DossierNotFound, "another agency does not see it");
  });

  it("refuses an assignee who is away, of another agency, or cannot take the step", async () => {
    const id = await atExamination();
    const assign = (who: TestAccount) => api(s.cast.leader, "POST", `/api/dossiers/${id}/actions/assign`, { assigneeUserId: who.id });
    for (const [who, message] of [
      ["away", /phải thuộc cơ quan đang xử lý hồ sơ/],
      ["construction", /phải thuộc cơ quan đang xử lý hồ sơ/],
      ["clerk", /không có vai trò thực hiện bước xử lý này/],
    ] as const) {
      const res = await assign(colleagues[who]);
      assert.equal(res.statusCode, 400, `${who}: ${res.body}`);
      const field = res.json().error.fields.find((f: { path: string }) => f.path === "/assigneeUserId");
      assert.match(field?.message ?? "", message, who);
    }
    assert.equal((await api(s.cast.leader, "GET", `/api/dossiers/${id}`)).json().step.assigneeUserId, null, "nothing changed");
  });

  it("assigns through the API to an officer offered, with the hand-over in the history", async () => {
    const id = await atExamination();
    const res = await api(s.cast.leader, "POST", `/api/dossiers/${id}/actions/assign`, { assigneeUserId: colleagues.specialist2.id, note: "Giao chị Thẩm" });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().step.assigneeUserId, colleagues.specialist2.id);
    assert.equal(res.json().history.at(-1).action, "assign");
  });

  it("lists the choice on the leader's page, the current assignee chosen, and assigns what is chosen", async () => {
    const id = await atExamination();
    const { leader, specialist } = s.cast;
    await env.ctx.dossiers.act(actorOf(env.ctx, leader), id, "assign", { assigneeUserId: colleagues.specialist2.id });
    const b = await formBrowser(env.app);
    await signInThroughParty(env.ctx, b, "office", leader.username, TEST_PASSWORD);
    const page = await b.get(`/office/ho-so/${id}`, { accept: "text/html" });
    assert.equal(page.statusCode, 200);
    const select = /<select id="act-assign-assignee" name="assigneeUserId"[^>]*>([\s\S]*?)<\/select>/.exec(page.body)?.[1] ?? "";
    const options = [...select.matchAll(/<option value(?:="([^"]*)")?( selected)?>([^<]*)<\/option>/g)].map((m) => ({ value: m[1] ?? "", selected: Boolean(m[2]), text: m[3] }));
    assert.deepEqual(options, [
      { value: "", selected: false, text: "— Không giao cho cán bộ cụ thể —" },
      { value: specialist.id, selected: false, text: "Lê Thị Chuyên — Phòng Hành chính tư pháp" },
      { value: colleagues.deputy.id, selected: false, text: "Ngô Văn Tỉnh — Văn phòng Sở" },
      { value: colleagues.specialist2.id, selected: true, text: "Phạm Thị Thẩm — Phòng Bổ trợ tư pháp" },
      { value: leader.id, selected: false, text: "Phạm Văn Lãnh (tôi) — Văn phòng Sở" },
    ]);

    const posted = await b.post(`/office/ho-so/${id}/thao-tac/assign`, { assigneeUserId: specialist.id });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    assert.equal((await api(leader, "GET", `/api/dossiers/${id}`)).json().step.assigneeUserId, specialist.id);

    // No officer chosen, a department chosen: the department's, nobody's in particular.
    const toDepartment = await b.post(`/office/ho-so/${id}/thao-tac/assign`, { assigneeUserId: "", department: "bo-tro-tu-phap" });
    assert.equal(toDepartment.statusCode, 303, toDepartment.body.slice(0, 300));
    const step = (await api(leader, "GET", `/api/dossiers/${id}`)).json().step;
    assert.deepEqual([step.assigneeUserId, step.department], [null, "bo-tro-tu-phap"]);
  });
});
