// The guard of dossier actions as a pure function (policy.ts `decide`): its rules one by one, on dossiers
// written by hand at each step of a two-signature procedure, without a database. guard.test.ts drives the
// same guard through the service at every state for every party.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Actor, Role } from "../../platform/auth/actor.ts";
import { planSteps } from "../workflow/index.ts";
import { DEFAULT_RULES } from "./actions.ts";
import type { DossierRow } from "./hooks.ts";
import type { DossierStatus } from "./model.ts";
import { allowedActions, decide, type Decision, type GuardedAction } from "./policy.ts";
import { newDossierRow } from "./repo.ts";
import { buildTwoSignaturesProcedure, type DossierPlace } from "./testing.ts";

// Codes only (no database): a province, its centre and its Department of Justice, each a unit of the province.
const PLACE: DossierPlace = { province: "000.00.00.T01", centre: "000.00.T0.T01", justice: "000.00.T1.T01" };
const { province: PROVINCE, centre: CENTRE, justice: JUSTICE } = PLACE;

// 0 reception at the centre · 1 examining at Justice · 2 its leader's review (signs nothing) · 3 the director
// signs · 4 the province's chairman signs (inter-agency) · 5 the centre returns the result.
const plan = planSteps(buildTwoSignaturesProcedure(PLACE), "online", JUSTICE);
const STEP = { examining: 1, review: 2, firstSigning: 3, chairman: 4, returnDesk: 5 } as const;

const person = (userId: string, roles: Array<[Role, string]>): Actor => ({
  type: "user",
  userId,
  username: userId,
  fullName: userId,
  email: null,
  roles: roles.map(([role, agencyCode]) => ({ role, agencyCode })),
  agencyCode: roles[0]?.[1] || null,
  loa: 0,
});
const owner = person("owner", [["citizen", ""]]);
const stranger = person("stranger", [["citizen", ""]]);
const officer = (role: Role, agency: string) => person(`${role}@${agency}`, [[role, agency]]);
const desk = officer("receiver", CENTRE);
const clerk = officer("receiver", JUSTICE);
const specialist = officer("specialist", JUSTICE);
const leader = officer("leader", JUSTICE);
const chairman = officer("leader", PROVINCE);

/** A dossier received at the centre for the owner, in `status`, at step `step` (none before receipt). */
function dossier(status: DossierStatus, step: number | null = null, set: Partial<DossierRow> = {}): DossierRow {
  const now = new Date("2026-12-01T02:00:00Z");
  return {
    ...newDossierRow({
      procedureCode: "1.999999",
      procedureVersion: 1,
      agencyCode: CENTRE,
      provinceCode: "24",
      processingAgencyCode: step === null ? CENTRE : plan[step]!.agencyCode,
      channel: "online",
      status,
      nationalStatus: null,
      applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: "001199000001", phone: null, email: null, address: null },
      ownerUserId: "owner",
      formData: {},
      createdBy: "user:owner",
      requestId: null,
      createdAt: now,
      updatedAt: now,
      submittedAt: now,
    }),
    stepIndex: step,
    ...set,
  };
}

const decided = (action: GuardedAction, d: DossierRow, actor: Actor, rules = DEFAULT_RULES, p = plan): Decision => decide(action, d, p, actor, rules);
const ALLOWED: Decision = { allowed: true };
const FORBIDDEN: Decision = { allowed: false, reason: "forbidden" };
const state = (rule: string): Decision => ({ allowed: false, reason: "state", rule } as Decision);

describe("decide, the guard of dossier actions", () => {
  it("lets a leader approve only at a signing step, which is the signature: not at a review that signs nothing", () => {
    assert.deepEqual(decided("approve", dossier("processing", STEP.review), leader), state("not_signing_step"));
    assert.deepEqual(decided("forward", dossier("processing", STEP.review), leader), ALLOWED, "the review is put up by forwarding it");
    assert.deepEqual(decided("approve", dossier("processing", STEP.firstSigning), leader), ALLOWED);
    assert.deepEqual(decided("approve", dossier("processing", STEP.examining), leader), state("not_signing_step"));
    // The last step signing: approving has nowhere to go, the leader signs and issues the result (finish).
    const endsSigning = plan.slice(0, STEP.chairman + 1);
    assert.deepEqual(decided("approve", dossier("processing", STEP.chairman), chairman, DEFAULT_RULES, endsSigning), state("no_next_step"));
    assert.deepEqual(decided("finish", dossier("processing", STEP.chairman), chairman, DEFAULT_RULES, endsSigning), ALLOWED);
  });

  it("issues a result once the signing is done: not at the first of two signing steps, by the last one's leader, or after", () => {
    assert.deepEqual(decided("finish", dossier("processing", STEP.firstSigning), leader), state("not_signed"));
    assert.deepEqual(decided("finish", dossier("processing", STEP.examining), leader), state("not_signed"));
    assert.deepEqual(decided("finish", dossier("processing", STEP.chairman), chairman), ALLOWED, "the chairman signs and issues at once");
    // Someone else at the chairman's step may finish a dossier, but not before the chairman has signed.
    assert.deepEqual(decided("finish", dossier("processing", STEP.chairman), officer("specialist", PROVINCE)), state("not_signed"));
    assert.deepEqual(decided("finish", dossier("processing", STEP.returnDesk), desk), ALLOWED, "the desk registers the result it was handed");
    assert.deepEqual(decided("finish", dossier("processing", STEP.returnDesk), specialist), FORBIDDEN, "the department no longer has it");
  });

  it("forwards only to a next step and sends back only to a previous one", () => {
    assert.deepEqual(decided("forward", dossier("processing", STEP.returnDesk), desk), state("no_next_step"));
    assert.deepEqual(decided("send_back", dossier("processing", STEP.examining), specialist), ALLOWED, "back to the reception");
    assert.deepEqual(decided("send_back", dossier("processing", 0, { processingAgencyCode: CENTRE }), desk), state("no_previous_step"));
    assert.deepEqual(decided("forward", dossier("processing", STEP.examining), officer("receiver", JUSTICE)), FORBIDDEN, "a step is done by its role");
  });

  it("asks for a supplement once after receipt (the rules' number), and before receipt as often as needed", () => {
    const used = dossier("processing", STEP.examining, { supplementsAfterReceipt: 1 });
    assert.deepEqual(decided("request_supplement", used, specialist), state("supplement_limit"));
    assert.deepEqual(decided("request_supplement", used, specialist, { ...DEFAULT_RULES, supplementsAfterReceipt: 2 }), ALLOWED);
    assert.deepEqual(decided("request_supplement", dossier("new", null, { supplementsAfterReceipt: 1 }), desk), ALLOWED);
    assert.deepEqual(decided("request_supplement", dossier("new"), specialist), FORBIDDEN, "before receipt it is the desk's");
  });

  it("gives an inter-agency step to the other agency: the province's leader there, and over the departments below it", () => {
    assert.deepEqual(decided("approve", dossier("processing", STEP.chairman), leader), FORBIDDEN);
    assert.deepEqual(decided("approve", dossier("processing", STEP.chairman), chairman), ALLOWED);
    assert.deepEqual(decided("approve", dossier("processing", STEP.firstSigning), chairman), ALLOWED, "the province is above the department");
    assert.deepEqual(decided("stop", dossier("processing", STEP.chairman), leader), FORBIDDEN);
  });

  it("refuses one who may never take the action with 403 in any state; a party hears the status, then who, then the step", () => {
    assert.deepEqual(decided("forward", dossier("new"), owner), FORBIDDEN, "an applicant never forwards: 403, not the status");
    assert.deepEqual(decided("return", dossier("returned", STEP.returnDesk), stranger), FORBIDDEN);
    assert.deepEqual(decided("receive", dossier("processing", STEP.examining), officer("supervisor", CENTRE)), FORBIDDEN, "a supervisor reads, never acts");
    assert.deepEqual(decided("forward", dossier("returned", STEP.returnDesk), specialist), state("status"), "a party to forwarding: the status");
    assert.deepEqual(decided("approve", dossier("processing", STEP.review), specialist), FORBIDDEN, "wrong party and wrong step: who");
    assert.deepEqual(decided("submit", dossier("processing", STEP.examining), specialist), FORBIDDEN);
    assert.deepEqual(decided("submit", dossier("processing", STEP.examining), owner), state("status"));
  });

  it("lets the applicant, or the desk at its counter, file, save and complete a draft; the applicant's papers wait for a draft or a request", () => {
    const counter = dossier("draft", null, { channel: "counter" });
    for (const action of ["submit", "save", "attach"] as const) {
      assert.deepEqual(decided(action, dossier("draft"), owner), ALLOWED, action);
      assert.deepEqual(decided(action, counter, desk), ALLOWED, action);
      assert.deepEqual(decided(action, dossier("draft"), desk), FORBIDDEN, `${action}: an online draft is the applicant's alone`);
      assert.deepEqual(decided(action, counter, clerk), FORBIDDEN, `${action}: another agency's desk`);
    }
    assert.deepEqual(decided("attach", dossier("new"), owner), state("status"), "filed: the applicant waits for the desk");
    assert.deepEqual(decided("attach", dossier("new"), desk), ALLOWED);
    assert.deepEqual(decided("attach", dossier("supplementing", STEP.examining), owner), ALLOWED, "the papers asked for");
    assert.deepEqual(decided("withdraw", dossier("draft"), desk), FORBIDDEN, "only the applicant withdraws");
  });

  it("lets those working on the dossier attach its result, the desk at its own step only", () => {
    assert.deepEqual(decided("attach_result", dossier("processing", STEP.examining), specialist), ALLOWED);
    assert.deepEqual(decided("attach_result", dossier("processing", STEP.examining), clerk), FORBIDDEN);
    assert.deepEqual(decided("attach_result", dossier("processing", STEP.returnDesk), desk), ALLOWED);
    assert.deepEqual(decided("attach_result", dossier("done", STEP.returnDesk), desk), state("status"));
    assert.deepEqual(decided("attach_result", dossier("processing", STEP.examining), owner), FORBIDDEN, "the applicant does not issue results");
  });

  it("gives a dossier received at a commune's desk to that desk, then to the department, then back to the desk (filing anywhere)", () => {
    // Decree 118/2025 (DOMAIN.md §3): 0 reception at the ward · 1 the hand-over taken up at Justice · 2 examining ·
    // 3 review · 4 the director signs · 5 the chairman signs · 6 the ward returns the result.
    const WARD = "000.00.T5.T01";
    const wardDesk = officer("receiver", WARD);
    const wardClerk = officer("specialist", WARD);
    const anywhere = planSteps(buildTwoSignaturesProcedure(PLACE), "counter", JUSTICE, { receiving: WARD, returning: WARD });
    const at = (status: DossierStatus, step: number | null) =>
      dossier(status, null, { stepIndex: step, agencyCode: WARD, channel: "counter", processingAgencyCode: step === null ? WARD : anywhere[step]!.agencyCode });
    const take = (action: GuardedAction, d: DossierRow, actor: Actor) => decided(action, d, actor, DEFAULT_RULES, anywhere);
    assert.deepEqual(take("receive", at("new", null), wardDesk), ALLOWED);
    assert.deepEqual(take("receive", at("new", null), desk), FORBIDDEN, "not the provincial centre's");
    assert.deepEqual(take("forward", at("processing", 1), specialist), ALLOWED, "the department takes up the hand-over");
    for (const other of [wardDesk, wardClerk, desk]) assert.deepEqual(take("forward", at("processing", 1), other), FORBIDDEN, other.type === "user" ? other.userId : "");
    assert.deepEqual(take("request_supplement", at("processing", 1), specialist), ALLOWED);
    assert.deepEqual(take("return", at("done", 6), wardDesk), ALLOWED, "returned where it was filed");
    assert.deepEqual(take("return", at("done", 6), desk), FORBIDDEN);
    assert.deepEqual(take("return", at("done", 6), specialist), FORBIDDEN);
  });

  it("offers exactly the actions it allows", () => {
    assert.deepEqual(allowedActions(leader, dossier("processing", STEP.firstSigning), plan, DEFAULT_RULES), [
      "assign", "forward", "send_back", "request_supplement", "approve", "refuse", "apologize", "stop",
    ]);
    assert.deepEqual(allowedActions(chairman, dossier("processing", STEP.chairman), plan, DEFAULT_RULES), [
      "assign", "forward", "send_back", "request_supplement", "approve", "refuse", "apologize", "stop", "finish",
    ]);
    assert.deepEqual(allowedActions(owner, dossier("processing", STEP.examining), plan, DEFAULT_RULES), ["withdraw"]);
    assert.deepEqual(allowedActions(desk, dossier("draft", null, { channel: "counter" }), plan, DEFAULT_RULES), ["submit"], "the desk files at the counter");
    assert.deepEqual(allowedActions(desk, dossier("done", STEP.returnDesk), plan, DEFAULT_RULES), ["return"]);
  });
});
