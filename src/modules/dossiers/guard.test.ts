// The one guard of dossier actions (issue 12, item 3): for every role at every kind of step and in every
// status, what a dossier's page offers (`allowedActions`) is exactly what the service's `act` lets succeed —
// each offered action succeeds, each other one is refused with 403 or 409 — on the real service and database.
// And the two disagreements the issue found between them, each settled through the API as it was found.
//
// Each state is reached once, when a test first needs it, by the service itself (a dossier walked through its
// procedure, one action at a time, each step on a copy so every state keeps its own dossier); a test that runs
// alone reaches the states it needs. A cell's refused attempts are made on a working copy of its state: a refusal
// writes nothing, and should one succeed after all, the copy is replaced before the next attempt. Each offered
// attempt gets a fresh copy (`cloneDossier`): a success must not change the state the next cell starts from.
// Copies rather than a rolled-back transaction: the service opens and commits its own transactions, and copying
// a dossier's few rows is cheap. Each state's table is worked out once too, and read by its test and by the test
// that every action succeeds somewhere.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { Actor } from "../../platform/auth/actor.ts";
import { fixedClock } from "../../platform/clock.ts";
import { DomainError } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildCitizen, buildOfficer, type TestAccount } from "../identity/testing.ts";
import { DossierNotFound } from "./errors.ts";
import { ACTIONS, type DossierAction } from "./model.ts";
import type { DossierService } from "./service.ts";
import {
  actorOf,
  apiAs,
  buildTwoSignaturesProcedure,
  cloneDossier,
  dossierSetting,
  type DossierSetting,
  PDF,
  publishProcedures,
  uploadAs,
  VALID_ACTION_INPUT,
} from "./testing.ts";

// Tuesday 1 December 2026, 09:00 in Hà Nội.
const clock = fixedClock("2026-12-01T02:00:00Z");
const FORM = { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" };
const FILED = "new, at the receiving desk";

const INPUT = VALID_ACTION_INPUT;

/** The parties, from the applicant to the node's administrator: the cast, and those made for this test. */
type Party = keyof DossierSetting["cast"] | "otherCitizen" | "justiceDesk" | "constructionDesk" | "systemAdmin";
const ROLES: ReadonlyArray<readonly [string, Party]> = [
  ["the applicant (owner)", "citizen"],
  ["another citizen", "otherCitizen"],
  ["the receiving centre's desk", "receiver"],
  ["the department's desk", "justiceDesk"],
  ["another department's desk", "constructionDesk"],
  ["the department's specialist", "specialist"],
  ["the department's leader", "leader"],
  ["the province's chairman", "chairman"],
  ["the province's agency admin", "admin"],
  ["the province's supervisor", "supervisor"],
  ["the system admin", "systemAdmin"],
];

/**
 * The states, by the kind of step the dossier is at (the procedure: `buildTwoSignaturesProcedure`). Each is
 * reached from an earlier one (`from`) by one action of one party, as the office and the portal would.
 */
const STATES: ReadonlyArray<{ name: string; from?: string; by?: Party; action?: DossierAction }> = [
  { name: "draft, online" },
  { name: "draft, at the counter" },
  { name: "new, at the receiving desk", from: "draft, online", by: "citizen", action: "submit" },
  { name: "incomplete, back with the applicant before receipt", from: "new, at the receiving desk", by: "receiver", action: "request_supplement" },
  { name: "processing, examining step (result attached)", from: "new, at the receiving desk", by: "receiver", action: "receive" },
  { name: "supplementing, examining step", from: "processing, examining step (result attached)", by: "specialist", action: "request_supplement" },
  { name: "processing, examining step, its supplement used", from: "supplementing, examining step", by: "citizen", action: "supplement" },
  { name: "processing, a leader's step that signs nothing", from: "processing, examining step (result attached)", by: "specialist", action: "forward" },
  { name: "processing, the first of two signing steps", from: "processing, a leader's step that signs nothing", by: "leader", action: "forward" },
  { name: "processing, the last signing step, inter-agency", from: "processing, the first of two signing steps", by: "leader", action: "approve" },
  { name: "processing, the desk's return step", from: "processing, the last signing step, inter-agency", by: "chairman", action: "approve" },
  { name: "done, at the desk's return step", from: "processing, the desk's return step", by: "receiver", action: "finish" },
  { name: "returned", from: "done, at the desk's return step", by: "receiver", action: "return" },
  { name: "refused_receipt", from: "new, at the receiving desk", by: "receiver", action: "refuse_receipt" },
  { name: "withdrawn", from: "new, at the receiving desk", by: "citizen", action: "withdraw" },
  { name: "stopped", from: "processing, examining step (result attached)", by: "leader", action: "stop" },
  { name: "refused", from: "processing, examining step (result attached)", by: "leader", action: "refuse" },
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
  let s: DossierSetting;
  let people: Record<Party, TestAccount>;
  let procedure: ProcedureContent;
  const actors = new Map<Party, Actor>();
  const as = (who: Party) => actors.get(who)!;
  /** Someone who sees every dossier of the test (the province's supervisor), to read one as it is. */
  const observer = () => as("supervisor");

  before(async () => {
    env = await testApp({ clock });
    svc = env.ctx.dossiers;
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildTwoSignaturesProcedure(s.place));
    const { province, justice } = s.agencies;
    const construction = await buildAgency(env.ctx, { parent: province, name: "Sở Xây dựng tỉnh Bắc Ninh", departments: ["van-phong", "quan-ly-xay-dung"] });
    people = {
      ...s.cast,
      otherCitizen: await buildCitizen(env.ctx, { fullName: "Trần Văn Bình", sex: "male" }),
      justiceDesk: await buildOfficer(env.ctx, { agency: justice, department: "van-phong", roles: ["receiver"], fullName: "Kiều Thị Thư" }),
      constructionDesk: await buildOfficer(env.ctx, { agency: construction, department: "van-phong", roles: ["receiver"], fullName: "Lưu Văn Văn" }),
      systemAdmin: await buildOfficer(env.ctx, { agency: province, roles: ["system_admin"], fullName: "Quản trị hệ thống" }),
    };
    for (const [, who] of ROLES) actors.set(who, actorOf(env.ctx, people[who]));
  });
  after(() => env.close());

  /** Each state's dossier, made when first asked for and never acted on after it was reached. */
  const states = new Map<string, Promise<string>>();
  const stateOf = (name: string): Promise<string> => {
    let made = states.get(name);
    if (!made) {
      made = reach(name);
      states.set(name, made);
    }
    return made;
  };
  async function reach(name: string): Promise<string> {
    const state = STATES.find((x) => x.name === name)!;
    const paper = { component: "to-khai", declaredName: "to-khai.pdf" };
    if (name === "draft, online") {
      const online = await svc.create(as("citizen"), { procedureCode: procedure.code, agencyCode: s.place.centre, formData: FORM, requestId: randomUUID() });
      await svc.attach(as("citizen"), online.dossier.id, { ...paper, source: Readable.from(PDF) });
      return online.dossier.id;
    }
    if (name === "draft, at the counter") {
      const counter = await svc.create(as("receiver"), {
        procedureCode: procedure.code, agencyCode: s.place.centre, channel: "counter", formData: FORM, requestId: randomUUID(),
        applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: people.citizen.username },
      });
      await svc.attach(as("receiver"), counter.dossier.id, { ...paper, source: Readable.from(PDF) });
      return counter.dossier.id;
    }
    const id = await cloneDossier(env.database, await stateOf(state.from!));
    await svc.act(as(state.by!), id, state.action!, INPUT[state.action!]);
    // Every later state carries a result, so that finishing is refused for the state alone, never for its input.
    if (state.action === "receive") await svc.attach(as("specialist"), id, { component: "result", declaredName: "ket-qua.pdf", source: Readable.from(PDF) });
    return id;
  }

  it("reaches each state being processed at the step it is named for", async () => {
    const steps: string[] = [];
    for (const x of STATES.filter((x) => x.name.startsWith("processing"))) steps.push((await svc.get(observer(), await stateOf(x.name))).step!.key);
    assert.deepEqual(steps, ["tham-dinh", "tham-dinh", "xem-xet", "ky-to-trinh", "quyet-dinh", "tra-ket-qua"]);
  });

  /** What each party of a state was offered and what its attempts gave: the disagreements, and what succeeded. */
  interface Table {
    problems: string[];
    succeeded: Set<DossierAction>;
  }

  /**
   * The cell of one party at one state: what its page offers, and what each action's attempt gives. Adds the
   * disagreements to the table, as lines a reader can check against the rules.
   */
  async function cell(stateName: string, role: string, who: Party, working: { id: string }, table: Table): Promise<void> {
    const actor = as(who);
    const original = await stateOf(stateName);
    const offeredOf = (id: string) =>
      svc.get(actor, id).then(
        (d) => d.allowedActions,
        (err: unknown) => {
          if (err instanceof DossierNotFound) return null;
          throw err;
        },
      );
    const offered = await offeredOf(original);
    const { problems } = table;
    for (const action of ACTIONS) {
      const isOffered = offered?.includes(action) ?? false;
      const id = isOffered ? await cloneDossier(env.database, original) : working.id;
      const retry = action === "submit" && stateName === FILED;
      const before = retry ? await svc.get(observer(), id) : null;
      const outcome = await attempt(() => svc.act(actor, id, action, INPUT[action]));
      if (offered === null) {
        // Not visible to this party: every action is the same 404 as an unknown dossier.
        if (outcome !== "not_found dossier.not_found") problems.push(`${role} cannot see it, yet ${action} → ${outcome}`);
      } else if (isOffered) {
        if (outcome === "ok") table.succeeded.add(action);
        else problems.push(`${role}: ${action} is offered but → ${outcome}`);
      } else if (retry && outcome === "ok") {
        // Filing twice returns the filed dossier (API.md), unchanged: a retry, not an action, for whoever could file it.
        if (!(await offeredOf(await stateOf("draft, online")))?.includes("submit")) problems.push(`${role}: could not file it, yet its retry → ok`);
        if ((await svc.get(observer(), id)).history.length !== before?.history.length) problems.push(`${role}: the retried filing changed the dossier`);
      } else if (!/^(forbidden|conflict) /.test(outcome)) {
        problems.push(`${role}: ${action} is not offered but → ${outcome}`);
      }
      if (!isOffered && outcome === "ok") working.id = await cloneDossier(env.database, original);
    }
  }

  /** Each state's table, worked out once, when first asked for. */
  const tables = new Map<string, Promise<Table>>();
  const tableOf = (stateName: string): Promise<Table> => {
    let made = tables.get(stateName);
    if (!made) {
      made = (async () => {
        const table: Table = { problems: [], succeeded: new Set() };
        const working = { id: await cloneDossier(env.database, await stateOf(stateName)) };
        for (const [role, who] of ROLES) await cell(stateName, role, who, working, table);
        return table;
      })();
      tables.set(stateName, made);
    }
    return made;
  };

  for (const x of STATES) {
    it(`${x.name}: each party is offered exactly the actions that succeed`, async () => {
      assert.deepEqual((await tableOf(x.name)).problems, []);
    });
  }

  it("has seen every action offered and succeed somewhere (the table is not empty)", async () => {
    const succeeded = new Set<DossierAction>();
    for (const x of STATES) for (const a of (await tableOf(x.name)).succeeded) succeeded.add(a);
    assert.deepEqual(ACTIONS.filter((a) => !succeeded.has(a)), []);
  });

  const dossierAt = async (name: string) => cloneDossier(env.database, await stateOf(name));

  it("approving at a leader's step that signs nothing: not offered, and refused (409) as not offered", async () => {
    const id = await dossierAt("processing, a leader's step that signs nothing");
    const page = (await api(people.leader, "GET", `/api/dossiers/${id}`)).json();
    assert.equal(page.step.key, "xem-xet");
    assert.ok(page.allowedActions.includes("forward"), "the leader puts it up to the director");
    assert.ok(!page.allowedActions.includes("approve"));
    const res = await api(people.leader, "POST", `/api/dossiers/${id}/actions/approve`, {});
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, "dossier.invalid_transition");
    assert.equal((await api(people.leader, "GET", `/api/dossiers/${id}`)).json().step.key, "xem-xet", "nothing was signed");
  });

  it("finishing at the first of two signing steps: refused (409), and not offered as refused", async () => {
    const id = await dossierAt("processing, the first of two signing steps");
    const page = (await api(people.leader, "GET", `/api/dossiers/${id}`)).json();
    assert.equal(page.step.key, "ky-to-trinh");
    assert.ok(page.attachments.some((f: { kind: string }) => f.kind === "result"), "a result is at hand: only the signing is missing");
    assert.ok(page.allowedActions.includes("approve"), "the director signs and sends it to the chairman");
    assert.ok(!page.allowedActions.includes("finish"), "no result before the chairman has signed");
    const res = await api(people.leader, "POST", `/api/dossiers/${id}/actions/finish`, {});
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, "dossier.invalid_transition");

    // At the last signing step (the chairman's, at the province) its leader signs and issues at once.
    const last = await dossierAt("processing, the last signing step, inter-agency");
    const chairman = as("chairman");
    const there = await svc.get(chairman, last);
    assert.equal(there.processingAgencyCode, s.place.province);
    assert.ok(there.allowedActions.includes("finish"));
    const issued = await svc.act(chairman, last, "finish", {});
    assert.equal(issued.status, "done");
    assert.equal(issued.processingAgencyCode, s.place.centre, "on to the desk, which returns it");
  });

  it("refuses on the API with 403 one who may never take the action, then 409 for the wrong state, 403 for the wrong party", async () => {
    const id = await dossierAt("processing, examining step (result attached)");
    const post = (who: Parameters<typeof api>[0], action: string, body: object = {}) => api(who, "POST", `/api/dossiers/${id}/actions/${action}`, body);
    // The desk that receives, at the wrong status: 409, with the status.
    const receive = await post(people.receiver, "receive");
    assert.equal(receive.statusCode, 409);
    assert.equal(receive.json().error.status, "processing");
    // One who never receives, whatever the status: 403.
    assert.equal((await post(people.specialist, "receive")).statusCode, 403);
    // Right status, wrong party: 403, even where the step would refuse it too.
    assert.equal((await post(people.specialist, "approve")).statusCode, 403);
    assert.equal((await post(people.citizen, "send_back", { note: "x" })).statusCode, 403);
    // Filing too: another officer never files (403), the applicant hears the status (409).
    assert.equal((await api(people.specialist, "POST", `/api/dossiers/${id}/submit`)).statusCode, 403);
    assert.equal((await api(people.citizen, "POST", `/api/dossiers/${id}/submit`)).statusCode, 409);
    // The supplement after receipt is limited with its own code.
    const used = await dossierAt("processing, examining step, its supplement used");
    const again = await api(people.specialist, "POST", `/api/dossiers/${used}/actions/request_supplement`, INPUT.request_supplement);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, "dossier.supplement_limit");
    // The applicant's upload the state does not allow: 409, as any change the state does not allow.
    const upload = await uploadAs(env.app, people.citizen, id, "cccd");
    assert.equal(upload.statusCode, 409);
  });
});
