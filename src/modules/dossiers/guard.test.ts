// The one guard of dossier actions (issue 12, item 3): for every role at every kind of step and in every
// status, what a dossier's page offers (`allowedActions`) is exactly what the service's `act` lets succeed —
// each offered action succeeds, each other one is refused with 403 or 409 — on the real service and database.
// And the two disagreements the issue found between them, each settled through the API as it was found.
//
// Each state is reached once, by the service itself (a dossier walked through its procedure, one action at a
// time, each step on a copy so every state keeps its own dossier). A cell's refused attempts are made on a
// working copy of its state: a refusal writes nothing, and should one succeed after all, the copy is replaced
// before the next attempt. Each offered attempt gets a fresh copy (`cloneDossier`): a success must not change
// the state the next cell starts from. Copies rather than a rolled-back transaction: the service opens and
// commits its own transactions, and copying a dossier's few rows is cheap.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { Actor } from "../../platform/auth/actor.ts";
import { fixedClock } from "../../platform/clock.ts";
import { DomainError } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { readDemoAccounts } from "../identity/index.ts";
import { DossierNotFound } from "./errors.ts";
import { ACTIONS, type DossierAction } from "./model.ts";
import type { ActionInput } from "./schema.ts";
import type { DossierService } from "./service.ts";
import { actorOf, apiAs, buildTwoSignaturesProcedure, CENTRE, cloneDossier, dossierFixture, multipart, PDF, PROVINCE } from "./testing-demo.ts";

// Tuesday 1 December 2026, 09:00 in Hà Nội.
const clock = fixedClock("2026-12-01T02:00:00Z");
const FORM = { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" };
const OTHER_CITIZEN = "001299000123";
const FILED = "new, at the receiving desk";

/** Each action's input, valid: an offered action must succeed, so no refusal here may be the input's (400). */
const INPUT: Record<DossierAction, ActionInput> = {
  submit: {},
  receive: {},
  refuse_receipt: { reason: "Hồ sơ không thuộc thẩm quyền" },
  assign: { department: "hanh-chinh-tu-phap" },
  forward: { note: "Đủ điều kiện" },
  send_back: { note: "Cần kiểm tra lại" },
  request_supplement: { items: [{ component: "cccd", reason: "Bản sao bị mờ" }] },
  supplement: { formData: FORM },
  approve: {},
  refuse: { reason: "Không đủ điều kiện" },
  apologize: { reason: "Chờ ý kiến cơ quan khác", newDueAt: "2026-12-31T02:00:00.000Z" },
  stop: { reason: "Theo đề nghị của cơ quan có thẩm quyền" },
  finish: {},
  return: { method: "counter" },
  withdraw: {},
};

/** The parties, from the applicant to the node's administrator (demo accounts, and one more citizen). */
const ROLES = [
  ["the applicant (owner)", "001199000001"],
  ["another citizen", OTHER_CITIZEN],
  ["the receiving centre's desk", "tiepnhan"],
  ["the department's desk", "tiepnhan.tuphap"],
  ["another department's desk", "tiepnhan.sxd"],
  ["the department's specialist", "chuyenvien.tuphap"],
  ["the department's leader", "lanhdao.tuphap"],
  ["the province's chairman", "lanhdao.ubndtinh"],
  ["the province's agency admin", "quantri.tinh"],
  ["the province's supervisor", "giamsat.tinh"],
  ["the system admin", "admin"],
] as const;

/**
 * The states, by the kind of step the dossier is at (the procedure: `buildTwoSignaturesProcedure`). Each is
 * reached from an earlier one (`from`) by one action of one party, as the office and the portal would.
 */
const STATES: ReadonlyArray<{ name: string; from?: string; by?: string; action?: DossierAction }> = [
  { name: "draft, online" },
  { name: "draft, at the counter" },
  { name: "new, at the receiving desk", from: "draft, online", by: "001199000001", action: "submit" },
  { name: "incomplete, back with the applicant before receipt", from: "new, at the receiving desk", by: "tiepnhan", action: "request_supplement" },
  { name: "processing, examining step (result attached)", from: "new, at the receiving desk", by: "tiepnhan", action: "receive" },
  { name: "supplementing, examining step", from: "processing, examining step (result attached)", by: "chuyenvien.tuphap", action: "request_supplement" },
  { name: "processing, examining step, its supplement used", from: "supplementing, examining step", by: "001199000001", action: "supplement" },
  { name: "processing, a leader's step that signs nothing", from: "processing, examining step (result attached)", by: "chuyenvien.tuphap", action: "forward" },
  { name: "processing, the first of two signing steps", from: "processing, a leader's step that signs nothing", by: "lanhdao.tuphap", action: "forward" },
  { name: "processing, the last signing step, inter-agency", from: "processing, the first of two signing steps", by: "lanhdao.tuphap", action: "approve" },
  { name: "processing, the desk's return step", from: "processing, the last signing step, inter-agency", by: "lanhdao.ubndtinh", action: "approve" },
  { name: "done, at the desk's return step", from: "processing, the desk's return step", by: "tiepnhan", action: "finish" },
  { name: "returned", from: "done, at the desk's return step", by: "tiepnhan", action: "return" },
  { name: "refused_receipt", from: "new, at the receiving desk", by: "tiepnhan", action: "refuse_receipt" },
  { name: "withdrawn", from: "new, at the receiving desk", by: "001199000001", action: "withdraw" },
  { name: "stopped", from: "processing, examining step (result attached)", by: "lanhdao.tuphap", action: "stop" },
  { name: "refused", from: "processing, examining step (result attached)", by: "lanhdao.tuphap", action: "refuse" },
];

/** How an attempt ended: "ok", or the refusal's HTTP-facing kind and code. */
async function attempt(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (err) {
    if (err instanceof DomainError) return `${err.kind} ${err.code}`;
    throw err;
  }
}

describe("the guard of dossier actions", () => {
  let env: TestEnv & { app: App };
  let svc: DossierService;
  let api: ReturnType<typeof apiAs>;
  let tokens: Awaited<ReturnType<typeof dossierFixture>>;
  const procedure = buildTwoSignaturesProcedure();
  const actors = new Map<string, Actor>();
  /** Each state's dossier, never acted on after it was reached. */
  const states = new Map<string, string>();
  /** A copy of each state for the attempts expected to be refused (refusals write nothing). */
  const working = new Map<string, string>();
  /** Which actions succeeded somewhere: every one must, or the table proves little. */
  const succeeded = new Set<DossierAction>();
  /** Someone who sees every dossier of the test (the province's supervisor), to read one as it is. */
  const observer = () => actors.get("giamsat.tinh")!;

  before(async () => {
    env = await testApp({ clock });
    svc = env.ctx.dossiers;
    tokens = await dossierFixture(env.ctx, [procedure]);
    api = apiAs(env.app, tokens);
    await env.database.transaction(async (tx) => {
      await env.ctx.identity.seedAccount(tx, {
        kind: "citizen", username: OTHER_CITIZEN, fullName: "Trần Văn Bình", email: null, agencyCode: null, departmentCode: null,
        status: "active", password: readDemoAccounts().password, roles: [{ role: "citizen", agencyCode: "" }],
      });
    });
    for (const [, username] of ROLES) actors.set(username, await actorOf(env.ctx, username));
    const as = (username: string) => actors.get(username)!;
    const paper = { component: "to-khai", declaredName: "to-khai.pdf" };

    const online = await svc.create(as("001199000001"), { procedureCode: procedure.code, agencyCode: CENTRE, formData: FORM, requestId: randomUUID() });
    await svc.attach(as("001199000001"), online.dossier.id, { ...paper, source: Readable.from(PDF) });
    states.set("draft, online", online.dossier.id);
    const counter = await svc.create(as("tiepnhan"), {
      procedureCode: procedure.code, agencyCode: CENTRE, channel: "counter", formData: FORM, requestId: randomUUID(),
      applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: "001199000001" },
    });
    await svc.attach(as("tiepnhan"), counter.dossier.id, { ...paper, source: Readable.from(PDF) });
    states.set("draft, at the counter", counter.dossier.id);

    for (const s of STATES) {
      if (!s.from) continue;
      const id = await cloneDossier(env.database, states.get(s.from)!);
      await svc.act(as(s.by!), id, s.action!, INPUT[s.action!]);
      // Every later state carries a result, so that finishing is refused for the state alone, never for its input.
      if (s.action === "receive") await svc.attach(as("chuyenvien.tuphap"), id, { component: "result", declaredName: "ket-qua.pdf", source: Readable.from(PDF) });
      states.set(s.name, id);
    }
    const steps: string[] = [];
    for (const s of STATES.filter((s) => s.name.startsWith("processing"))) steps.push((await svc.get(observer(), states.get(s.name)!)).step!.key);
    assert.deepEqual(steps, ["tham-dinh", "tham-dinh", "xem-xet", "ky-to-trinh", "quyet-dinh", "tra-ket-qua"], "each state at the step it is named for");
  });
  after(() => env.close());

  /**
   * The cell of one party at one state: what its page offers, and what each action's attempt gives. Returns
   * the disagreements, as lines a reader can check against the rules.
   */
  async function cell(stateName: string, role: string, username: string): Promise<string[]> {
    const actor = actors.get(username)!;
    const original = states.get(stateName)!;
    const offeredOf = (id: string) =>
      svc.get(actor, id).then(
        (d) => d.allowedActions,
        (err: unknown) => {
          if (err instanceof DossierNotFound) return null;
          throw err;
        },
      );
    const offered = await offeredOf(original);
    const problems: string[] = [];
    for (const action of ACTIONS) {
      const isOffered = offered?.includes(action) ?? false;
      const id = isOffered ? await cloneDossier(env.database, original) : working.get(stateName)!;
      const retry = action === "submit" && stateName === FILED;
      const before = retry ? await svc.get(observer(), id) : null;
      const outcome = await attempt(() => svc.act(actor, id, action, INPUT[action]));
      if (offered === null) {
        // Not visible to this party: every action is the same 404 as an unknown dossier.
        if (outcome !== "not_found dossier.not_found") problems.push(`${role} cannot see it, yet ${action} → ${outcome}`);
      } else if (isOffered) {
        if (outcome === "ok") succeeded.add(action);
        else problems.push(`${role}: ${action} is offered but → ${outcome}`);
      } else if (retry && outcome === "ok") {
        // Filing twice returns the filed dossier (API.md), unchanged: a retry, not an action, for whoever could file it.
        if (!(await offeredOf(states.get("draft, online")!))?.includes("submit")) problems.push(`${role}: could not file it, yet its retry → ok`);
        if ((await svc.get(observer(), id)).history.length !== before?.history.length) problems.push(`${role}: the retried filing changed the dossier`);
      } else if (!/^(forbidden|conflict) /.test(outcome)) {
        problems.push(`${role}: ${action} is not offered but → ${outcome}`);
      }
      if (!isOffered && outcome === "ok") working.set(stateName, await cloneDossier(env.database, original));
    }
    return problems;
  }

  for (const s of STATES) {
    it(`${s.name}: each party is offered exactly the actions that succeed`, async () => {
      working.set(s.name, await cloneDossier(env.database, states.get(s.name)!));
      const problems: string[] = [];
      for (const [role, username] of ROLES) problems.push(...(await cell(s.name, role, username)));
      assert.deepEqual(problems, []);
    });
  }

  it("has seen every action offered and succeed somewhere (the table is not empty)", () => {
    assert.deepEqual(ACTIONS.filter((a) => !succeeded.has(a)), []);
  });

  const dossierAt = (name: string) => cloneDossier(env.database, states.get(name)!);

  it("approving at a leader's step that signs nothing: not offered, and refused (409) as not offered", async () => {
    const id = await dossierAt("processing, a leader's step that signs nothing");
    const page = (await api("lanhdao.tuphap", "GET", `/api/dossiers/${id}`)).json();
    assert.equal(page.step.key, "xem-xet");
    assert.ok(page.allowedActions.includes("forward"), "the leader puts it up to the director");
    assert.ok(!page.allowedActions.includes("approve"));
    const res = await api("lanhdao.tuphap", "POST", `/api/dossiers/${id}/actions/approve`, {});
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, "dossier.invalid_transition");
    assert.equal((await api("lanhdao.tuphap", "GET", `/api/dossiers/${id}`)).json().step.key, "xem-xet", "nothing was signed");
  });

  it("finishing at the first of two signing steps: refused (409), and not offered as refused", async () => {
    const id = await dossierAt("processing, the first of two signing steps");
    const page = (await api("lanhdao.tuphap", "GET", `/api/dossiers/${id}`)).json();
    assert.equal(page.step.key, "ky-to-trinh");
    assert.ok(page.attachments.some((f: { kind: string }) => f.kind === "result"), "a result is at hand: only the signing is missing");
    assert.ok(page.allowedActions.includes("approve"), "the director signs and sends it to the chairman");
    assert.ok(!page.allowedActions.includes("finish"), "no result before the chairman has signed");
    const res = await api("lanhdao.tuphap", "POST", `/api/dossiers/${id}/actions/finish`, {});
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, "dossier.invalid_transition");

    // At the last signing step (the chairman's, at the province) its leader signs and issues at once.
    const last = await dossierAt("processing, the last signing step, inter-agency");
    const chairman = actors.get("lanhdao.ubndtinh")!;
    const there = await svc.get(chairman, last);
    assert.equal(there.processingAgencyCode, PROVINCE);
    assert.ok(there.allowedActions.includes("finish"));
    const issued = await svc.act(chairman, last, "finish", {});
    assert.equal(issued.status, "done");
    assert.equal(issued.processingAgencyCode, CENTRE, "on to the desk, which returns it");
  });

  it("refuses on the API with the status for the wrong state, 403 for the wrong party, in today's order", async () => {
    const id = await dossierAt("processing, examining step (result attached)");
    const post = (who: Parameters<typeof api>[0], action: string, body: object = {}) => api(who, "POST", `/api/dossiers/${id}/actions/${action}`, body);
    // Wrong status for anyone: 409 first, with the status.
    const receive = await post("chuyenvien.tuphap", "receive");
    assert.equal(receive.statusCode, 409);
    assert.equal(receive.json().error.status, "processing");
    // Right status, wrong party: 403, even where the step would refuse it too.
    assert.equal((await post("chuyenvien.tuphap", "approve")).statusCode, 403);
    assert.equal((await post("001199000001", "send_back", { note: "x" })).statusCode, 403);
    // Filing asks who first: another officer is refused (403), the applicant hears the status (409).
    assert.equal((await api("chuyenvien.tuphap", "POST", `/api/dossiers/${id}/submit`)).statusCode, 403);
    assert.equal((await api("001199000001", "POST", `/api/dossiers/${id}/submit`)).statusCode, 409);
    // The supplement after receipt is limited with its own code.
    const used = await dossierAt("processing, examining step, its supplement used");
    const again = await api("chuyenvien.tuphap", "POST", `/api/dossiers/${used}/actions/request_supplement`, INPUT.request_supplement);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, "dossier.supplement_limit");
    // An upload the state does not allow is refused as forbidden, as ever.
    const { payload, headers } = multipart({ component: "cccd" }, { name: "cccd.pdf", type: "application/pdf", bytes: PDF });
    const upload = await env.app.inject({ method: "POST", url: `/api/dossiers/${id}/attachments`, payload, headers: { ...headers, authorization: `Bearer ${tokens.get("001199000001")}` } });
    assert.equal(upload.statusCode, 403);
  });
});
