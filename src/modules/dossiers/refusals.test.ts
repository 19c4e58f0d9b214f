// 403 or 409 (issue 13, item 7): one who may never take an action on a dossier — no role of theirs takes it at any
// status or step of its plan — is refused with 403 in every state, never told that the state is wrong; a party to
// the action hears 409 exactly where the dossier's status does not allow it. As a table over the pure guard
// (`decide`), then through the API for the supervisor and the agency's administrator, who read but never act.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { Actor, Role } from "../../platform/auth/actor.ts";
import type { App } from "../../platform/http/types.ts";
import { planSteps } from "../workflow/index.ts";
import { DEFAULT_RULES } from "./actions.ts";
import type { DossierRow } from "./hooks.ts";
import { ACTIONS, FROM, STATUSES, type DossierStatus } from "./model.ts";
import { decide } from "./policy.ts";
import { newDossierRow } from "./repo.ts";
import { buildOfficer, type TestAccount } from "../identity/testing.ts";
import { apiAs, buildTwoSignaturesProcedure, type DossierPlace, type DossierSetting, dossierSetting, publishProcedures, uploadAs, VALID_ACTION_INPUT } from "./testing.ts";

// Codes only (no database): a province, its centre, its Department of Justice and of Construction.
const PLACE: DossierPlace = { province: "000.00.00.T01", centre: "000.00.T0.T01", justice: "000.00.T1.T01" };
const { province: PROVINCE, centre: CENTRE, justice: JUSTICE } = PLACE;
/** Another department of the province: none of its staff works on this procedure. */
const CONSTRUCTION = "000.00.T2.T01";
const procedure = buildTwoSignaturesProcedure(PLACE);
const plan = planSteps(procedure, "online", JUSTICE);

const person = (userId: string, roles: Array<[Role, string]>): Actor => ({
  type: "user", userId, username: userId, fullName: userId, email: null,
  roles: roles.map(([role, agencyCode]) => ({ role, agencyCode })), agencyCode: roles[0]?.[1] || null, loa: 0,
});

/** Every status at every place a dossier can be: before receipt at the centre, and at each step of its plan. */
const STATES: DossierRow[] = STATUSES.flatMap((status) =>
  [null, ...plan.map((s) => s.index)].map((step) => {
    const now = new Date("2026-12-01T02:00:00Z");
    return {
      ...newDossierRow({
        procedureCode: procedure.code, procedureVersion: 1, agencyCode: CENTRE, provinceCode: "24",
        processingAgencyCode: step === null ? CENTRE : plan[step]!.agencyCode, channel: "online", status,
        nationalStatus: null, applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: "001199000001", phone: null, email: null, address: null },
        ownerUserId: "owner", formData: {}, createdBy: "user:owner", requestId: null, createdAt: now, updatedAt: now, submittedAt: now,
      }),
      stepIndex: step,
    };
  }),
);
const nameOf = (actor: Actor) => (actor.type === "user" ? actor.userId : actor.type);
const where = (d: DossierRow) => `${d.status} at ${d.stepIndex === null ? "reception" : plan[d.stepIndex]!.key}`;

describe("403 for an action one may never take, 409 only for the state", () => {
  it("refuses those who never act on a dossier with 403 for every action in every state", () => {
    const never = [
      person("supervisor", [["supervisor", PROVINCE]]),
      person("agency-admin", [["agency_admin", PROVINCE]]),
      person("system-admin", [["system_admin", ""]]),
      person("another-citizen", [["citizen", ""]]),
      person("construction", [["receiver", CONSTRUCTION], ["specialist", CONSTRUCTION], ["leader", CONSTRUCTION]]),
    ];
    const problems: string[] = [];
    for (const actor of never) {
      for (const action of ACTIONS) {
        for (const d of STATES) {
          const decision = decide(action, d, plan, actor, DEFAULT_RULES);
          if (decision.allowed || decision.reason !== "forbidden") problems.push(`${nameOf(actor)} ${action} (${where(d)}): ${JSON.stringify(decision)}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it("refuses a party to an action with 409 wherever the dossier's status does not allow it", () => {
    const parties = [
      person("owner", [["citizen", ""]]),
      person("desk", [["receiver", CENTRE]]),
      person("specialist", [["specialist", JUSTICE]]),
      person("leader", [["leader", JUSTICE]]),
      person("chairman", [["leader", PROVINCE]]),
    ];
    const problems: string[] = [];
    let checked = 0;
    for (const actor of parties) {
      for (const action of ACTIONS) {
        if (!STATES.some((d) => decide(action, d, plan, actor, DEFAULT_RULES).allowed)) continue;
        for (const d of STATES.filter((s) => !FROM[action].includes(s.status as DossierStatus))) {
          checked += 1;
          const decision = decide(action, d, plan, actor, DEFAULT_RULES);
          if (decision.allowed || decision.reason !== "state" || decision.rule !== "status") problems.push(`${nameOf(actor)} ${action} (${where(d)}): ${JSON.stringify(decision)}`);
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(checked > 500, `the table is not empty (${checked})`);
  });
});

const INPUT = VALID_ACTION_INPUT;

describe("the API's refusals of the supervisor and the agency's administrator", () => {
  let env: TestEnv & { app: App };
  let s: DossierSetting;
  let systemAdmin: TestAccount;
  let id = "";
  const api = (who: TestAccount, method: "GET" | "POST", url: string, payload?: object) => apiAs(env.app)(who, method, url, payload);

  before(async () => {
    env = await testApp();
    s = await dossierSetting(env.ctx);
    const published = await publishProcedures(env.ctx, buildTwoSignaturesProcedure(s.place));
    systemAdmin = await buildOfficer(env.ctx, { agency: s.agencies.province, roles: ["system_admin"], fullName: "Quản trị hệ thống" });
    const { citizen, receiver } = s.cast;
    const created = await api(citizen, "POST", "/api/dossiers", {
      procedureCode: published.code, agencyCode: s.place.centre, formData: { hoTen: citizen.user.fullName, soCccd: citizen.username }, requestId: randomUUID(),
    });
    id = created.json().id;
    assert.equal((await uploadAs(env.app, citizen, id, "to-khai")).statusCode, 201);
    assert.equal((await api(citizen, "POST", `/api/dossiers/${id}/submit`)).statusCode, 200);
    assert.equal((await api(receiver, "POST", `/api/dossiers/${id}/actions/receive`, {})).json().status, "processing");
  });
  after(() => env.close());

  it("answers every action of those who only read with 403, whatever the dossier's status allows", async () => {
    const problems: string[] = [];
    for (const [name, who] of [["supervisor", s.cast.supervisor], ["agency admin", s.cast.admin]] as const) {
      assert.equal((await api(who, "GET", `/api/dossiers/${id}`)).statusCode, 200, `${name} reads it`);
      for (const action of ACTIONS) {
        const res = await api(who, "POST", `/api/dossiers/${id}/actions/${action}`, INPUT[action]);
        if (res.statusCode !== 403 || res.json().error.code !== "dossier.forbidden") problems.push(`${name} ${action} → ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    assert.deepEqual(problems, []);
    // The node's administrator sees no dossier: the same 404 as for none.
    assert.equal((await api(systemAdmin, "POST", `/api/dossiers/${id}/actions/receive`, {})).statusCode, 404);
    // The desk, which receives, hears the state: 409 with the status.
    const again = await api(s.cast.receiver, "POST", `/api/dossiers/${id}/actions/receive`, {});
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.status, "processing");
  });
});
