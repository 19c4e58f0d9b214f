// The statistics on a known set of dossiers (issue 17, item 6): every indicator and every Decision 766 group of the
// first quarter of 2026 asserted to the value computed by hand (docs/kpi.md, "The hand-computed fixture").
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "../../platform/db/drizzle.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { fixedClock } from "../../platform/clock.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { FormulaExists, InvalidFormula, KpiForbidden } from "./errors.ts";
import { kpiModule } from "./index.ts";
import { formulasSeed, shippedFormulas } from "./seeds.ts";
import { type KpiService, makeKpiService } from "./service.ts";
import { readTargets } from "./targets.ts";
import { grantee, playLife, testListeners } from "./testing.ts";
import * as repo from "./repo.ts";

const P1 = "1.000101"; // fee-bearing
const P2 = "1.000102";
const P3 = "1.000103"; // offered online, no dossier
const Q1 = { from: "2026-01-01", to: "2026-03-31" };
const rx = (received: string, due: string) => ({ status: "processing" as const, nationalStatus: 4, receivedAt: new Date(received), dueAt: new Date(due), originalDueAt: new Date(due) });
const done = (at: string, timeliness: "early" | "on_time" | "late", electronic = true) => ({
  status: "done" as const,
  nationalStatus: 9,
  finishedAt: new Date(at),
  timeliness,
  resultFileSha256: electronic ? "a".repeat(64) : null,
});

describe("kpi: the hand-computed quarter", () => {
  let env: TestEnv;
  let kpi: KpiService;
  let province: AgencyDto;
  let centre: AgencyDto;
  let justice: AgencyDto;
  const clock = fixedClock("2026-04-01T03:00:00Z");
  const listeners = testListeners({ D1: { digitised: true, reused: true }, D2: { digitised: true, reused: false } }, [P1]);
  const leader = () => grantee("leader", [{ role: "leader", agencyCode: centre.code }]);
  const supervisor = () => grantee("supervisor", [{ role: "supervisor", agencyCode: province.code }]);
  const life = (id: string, base: Parameters<typeof playLife>[2], changes: Parameters<typeof playLife>[3]) =>
    playLife(env.database, listeners, { id, code: `${centre.code}-${id}`, agencyCode: centre.code, processingAgencyCode: centre.code, provinceCode: centre.provinceCode!, ...base }, changes);

  before(async () => {
    env = await testContext({ clock });
    await runSeeds(env.database, [formulasSeed()], { demo: false });
    province = await buildAgency(env.ctx, { provinceCode: "24" });
    centre = await buildAgency(env.ctx, { parent: province });
    justice = await buildAgency(env.ctx, { parent: province });
    const search = async () => ({
      items: [P1, P2, P3].map((code) => ({ code, fees: code === P1 ? [{ name: "Lệ phí", kind: "fee" as const, amount: 50_000, channel: null }] : [] })),
      page: 1,
      pageSize: 100,
      hasMore: false,
      total: 3,
      correctedQuery: null,
    });
    kpi = makeKpiService({ database: env.database, clock, directory: env.ctx.directory, catalog: { search: search as never }, targets: readTargets() });

    const online = { channel: "online" as const };
    const counter = { channel: "counter" as const };
    // D1 early, online, VNeID, digitised and reused papers, electronic result, rated very satisfied.
    await life("D1", { ...online, procedureCode: P1, filedLoa: 2, submittedAt: new Date("2026-03-02T01:00:00Z") }, [
      { action: "submit", at: "2026-03-02T01:00:00Z" },
      { action: "receive", at: "2026-03-02T02:00:00Z", set: rx("2026-03-02T02:00:00Z", "2026-03-06T09:00:00Z") },
      { action: "finish", at: "2026-03-04T03:00:00Z", set: done("2026-03-04T03:00:00Z", "early") },
      { action: "return", at: "2026-03-05T02:00:00Z", set: { status: "returned", nationalStatus: 10, returnedAt: new Date("2026-03-05T02:00:00Z") } },
      { action: "rated", at: "2026-03-05T03:00:00Z", level: "very_satisfied" },
    ]);
    // D2 on time (the due day), at the counter, digitised, electronic result.
    await life("D2", { ...counter, procedureCode: P1, submittedAt: new Date("2026-03-02T02:00:00Z") }, [
      { action: "submit", at: "2026-03-02T02:00:00Z" },
      { action: "receive", at: "2026-03-02T02:00:00Z", set: rx("2026-03-02T02:00:00Z", "2026-03-06T09:00:00Z") },
      { action: "finish", at: "2026-03-06T08:00:00Z", set: done("2026-03-06T08:00:00Z", "on_time") },
    ]);
    // D3 late, online, paper result only, rated unsatisfied.
    await life("D3", { ...online, procedureCode: P2, submittedAt: new Date("2026-03-03T01:00:00Z") }, [
      { action: "submit", at: "2026-03-03T01:00:00Z" },
      { action: "receive", at: "2026-03-03T02:00:00Z", set: rx("2026-03-03T02:00:00Z", "2026-03-09T09:00:00Z") },
      { action: "finish", at: "2026-03-11T02:00:00Z", set: done("2026-03-11T02:00:00Z", "late", false) },
      { action: "return", at: "2026-03-12T02:00:00Z", set: { status: "returned", nationalStatus: 10, returnedAt: new Date("2026-03-12T02:00:00Z") } },
      { action: "rated", at: "2026-03-12T03:00:00Z", level: "unsatisfied" },
    ]);
    // D4 paused four days for a supplement, its due time moved by the pause, finished early against it.
    await life("D4", { ...counter, procedureCode: P2, submittedAt: new Date("2026-03-03T02:00:00Z") }, [
      { action: "submit", at: "2026-03-03T02:00:00Z" },
      { action: "receive", at: "2026-03-03T02:00:00Z", set: rx("2026-03-03T02:00:00Z", "2026-03-10T09:00:00Z") },
      { action: "request_supplement", at: "2026-03-05T02:00:00Z", set: { status: "supplementing", nationalStatus: 5, pausedAt: new Date("2026-03-05T02:00:00Z"), supplementsAfterReceipt: 1 } },
      { action: "supplement", at: "2026-03-09T02:00:00Z", set: { status: "processing", nationalStatus: 4, pausedAt: null, dueAt: new Date("2026-03-16T09:00:00Z") } },
      { action: "finish", at: "2026-03-13T02:00:00Z", set: done("2026-03-13T02:00:00Z", "early", false) },
    ]);
    // D5 refused after receipt, before its due time.
    await life("D5", { ...online, procedureCode: P1, submittedAt: new Date("2026-03-04T01:00:00Z") }, [
      { action: "submit", at: "2026-03-04T01:00:00Z" },
      { action: "receive", at: "2026-03-04T02:00:00Z", set: rx("2026-03-04T02:00:00Z", "2026-03-10T09:00:00Z") },
      { action: "refuse", at: "2026-03-06T02:00:00Z", set: { status: "refused", nationalStatus: 8, finishedAt: new Date("2026-03-06T02:00:00Z"), timeliness: "early" } },
    ]);
    // D6 withdrawn by the applicant after receipt.
    await life("D6", { ...counter, procedureCode: P1, submittedAt: new Date("2026-03-04T02:00:00Z") }, [
      { action: "submit", at: "2026-03-04T02:00:00Z" },
      { action: "receive", at: "2026-03-04T02:00:00Z", set: rx("2026-03-04T02:00:00Z", "2026-03-12T09:00:00Z") },
      { action: "withdraw", at: "2026-03-05T02:00:00Z", set: { status: "withdrawn", nationalStatus: 7, finishedAt: new Date("2026-03-05T02:00:00Z") } },
    ]);
    // D7 still open at the quarter's end, overdue since 20 March.
    await life("D7", { ...online, procedureCode: P1, submittedAt: new Date("2026-03-16T01:00:00Z") }, [
      { action: "submit", at: "2026-03-16T01:00:00Z" },
      { action: "receive", at: "2026-03-16T02:00:00Z", set: rx("2026-03-16T02:00:00Z", "2026-03-20T09:00:00Z") },
    ]);
    // D8 still open, due after the quarter.
    await life("D8", { ...counter, procedureCode: P2, submittedAt: new Date("2026-03-27T02:00:00Z") }, [
      { action: "submit", at: "2026-03-27T02:00:00Z" },
      { action: "receive", at: "2026-03-27T02:00:00Z", set: rx("2026-03-27T02:00:00Z", "2026-04-03T09:00:00Z") },
    ]);
    // D9 refused at the desk: filed, never received.
    await life("D9", { ...online, procedureCode: P1, submittedAt: new Date("2026-03-10T02:00:00Z") }, [
      { action: "submit", at: "2026-03-10T02:00:00Z" },
      { action: "refuse_receipt", at: "2026-03-10T03:00:00Z", set: { status: "refused_receipt", nationalStatus: 3 } },
    ]);
    // D10 paused before its due time and not answered by the quarter's end: its clock stands still, not overdue.
    await life("D10", { ...counter, procedureCode: P1, submittedAt: new Date("2026-03-20T02:00:00Z") }, [
      { action: "submit", at: "2026-03-20T02:00:00Z" },
      { action: "receive", at: "2026-03-20T02:00:00Z", set: rx("2026-03-20T02:00:00Z", "2026-03-26T09:00:00Z") },
      { action: "request_supplement", at: "2026-03-24T02:00:00Z", set: { status: "supplementing", nationalStatus: 5, pausedAt: new Date("2026-03-24T02:00:00Z"), supplementsAfterReceipt: 1 } },
    ]);
    // D11 received in December 2025, finished late in January.
    await life("D11", { ...counter, procedureCode: P2, submittedAt: new Date("2025-12-29T02:00:00Z") }, [
      { action: "submit", at: "2025-12-29T02:00:00Z" },
      { action: "receive", at: "2025-12-29T02:00:00Z", set: rx("2025-12-29T02:00:00Z", "2026-01-05T09:00:00Z") },
      { action: "finish", at: "2026-01-08T02:00:00Z", set: done("2026-01-08T02:00:00Z", "late", false) },
    ]);
    // D12 received on 30 March, due at 10:00 on the 31st: overdue at the quarter's end (finished in April, below).
    await life("D12", { ...counter, procedureCode: P1, submittedAt: new Date("2026-03-30T02:00:00Z") }, [
      { action: "submit", at: "2026-03-30T02:00:00Z" },
      { action: "receive", at: "2026-03-30T02:00:00Z", set: rx("2026-03-30T02:00:00Z", "2026-03-31T03:00:00Z") },
    ]);
    // D13 at another agency of the province (the Department of Justice), received and open.
    await playLife(env.database, listeners, { id: "D13", code: "J-D13", agencyCode: justice.code, processingAgencyCode: justice.code, provinceCode: "24", channel: "online", procedureCode: P2, submittedAt: new Date("2026-03-10T01:00:00Z") }, [
      { action: "submit", at: "2026-03-10T01:00:00Z" },
      { action: "receive", at: "2026-03-10T02:00:00Z", set: rx("2026-03-10T02:00:00Z", "2026-05-10T09:00:00Z") },
    ]);
  });
  after(() => env.close());

  it("counts every case of the quarter as computed by hand", async () => {
    const s = await kpi.summary(leader(), Q1);
    assert.deepEqual(s.scope, { agency: centre.code, province: "24" });
    assert.deepEqual(s.counts, {
      filed: 11,
      received: 10,
      onlineReceived: 4,
      refusedAtReceipt: 1,
      finishedEarly: 2,
      finishedOnTime: 1,
      finishedLate: 2,
      refused: 1,
      stopped: 0,
      withdrawn: 1,
      endedOnTime: 5,
      endedLate: 2,
      inProgressOnTime: 2,
      inProgressOverdue: 2,
      supplements: 2,
      paidOnline: 0,
      feeBearing: 7,
      electronicResults: 2,
      digitised: 2,
      reused: 1,
      vneid: 1,
      ratings: { verySatisfied: 1, satisfied: 0, unsatisfied: 1 },
      processingSeconds: 2_617_200,
    });
    assert.equal(s.onTimeRatio, 0.5556); // (2 in progress on time + 2 early + 1 on time) / (4 in progress + 5 finished)
    assert.equal(s.onlineRatio, 0.4);
    assert.equal(s.paidOnlineRatio, 0);
    assert.equal(s.digitisedRatio, 0.2);
    assert.equal(s.electronicResultRatio, 0.4);
    assert.equal(s.satisfactionRatio, 0.5);
    assert.equal(s.averageProcessingHours, 145.4); // 2,617,200 s / 5 finished
    assert.deepEqual(s.procedures, [
      { procedureCode: P1, finished: 2, averageProcessingHours: 75.5, onTimeRatio: 0.6 },
      { procedureCode: P2, finished: 3, averageProcessingHours: 192, onTimeRatio: 0.5 },
    ]);
    assert.deepEqual(
      s.targets.map((t) => [t.indicator, t.actual, t.target, t.edition]),
      [
        ["onlineRatio", 0.4, 0.5, "2025"],
        ["authenticatedRatio", 0.25, 1, "2025"],
      ],
    );
  });

  it("scores the six groups of Decision 766 as computed by hand, each with its inputs", async () => {
    const x = await kpi.index766(leader(), { agency: centre.code, period: "2026-Q1" });
    assert.equal(x.formula.version, "766-2022.1");
    assert.deepEqual(
      x.groups.map((g) => [g.key, g.points]),
      [
        ["CKMB", 0],
        ["TDGQ", 12.73], // 20 × (5 ended on time + 2 open on time) / 11 processed
        ["CLGQ", 7.67], // 2 (3/3 procedures online) + 4 × 2/3 procedures with online dossiers + 3 (4/10 online < 50%)
        ["TTTT", 3.6], // 1.6 (0/1 fee procedures paid online) + 2 + 0 (0/7 paid online)
        ["MDSH", 7.2], // 6 × 2/5 electronic results + 3.2 (2/10 digitised) + 1.6 (1/10 reused) + VNeID not scored
        ["MDHL", 3.64], // 6 × (1 − 4/11 late − 1/11 unsatisfied) / 0.9
      ],
    );
    assert.equal(x.total, 34.84);
    const tdgq = x.groups.find((g) => g.key === "TDGQ")!.components[0]!;
    assert.deepEqual(tdgq.inputs, { ended_on_time: 5, open_on_time: 2, processed: 11 });
    assert.equal(x.inputs.vneid, 1);
    assert.equal(x.groups.find((g) => g.key === "MDSH")!.components.find((c) => c.key === "population_data")!.value, 0.1);
  });

  it("gives the province's figure to its supervisor, and each agency's subtree to whom it belongs", async () => {
    assert.equal((await kpi.summary(supervisor(), { ...Q1, province: "24" })).counts.received, 11);
    assert.equal((await kpi.summary(supervisor(), { ...Q1, agency: centre.code })).counts.received, 10);
    assert.equal((await kpi.summary(supervisor(), { ...Q1, agency: justice.code })).counts.received, 1);
    await assert.rejects(kpi.summary(leader(), { ...Q1, agency: justice.code }), KpiForbidden);
    await assert.rejects(kpi.summary(leader(), { ...Q1, province: "24" }), KpiForbidden);
    await assert.rejects(kpi.summary(grantee("s2", [{ role: "supervisor", agencyCode: centre.code }]), { ...Q1, province: "24" }), KpiForbidden);
    await assert.rejects(kpi.summary(grantee("sp", [{ role: "specialist", agencyCode: centre.code }]), Q1), KpiForbidden);
  });

  it("lists the dossiers behind a count to the officers who may see them", async () => {
    const late = await kpi.dossiersBehind(leader(), "finished_late", Q1);
    assert.deepEqual(late.items.map((i) => i.code), [`${centre.code}-D11`, `${centre.code}-D3`]);
    const overdue = await kpi.dossiersBehind(leader(), "in_progress_overdue", Q1);
    assert.deepEqual(overdue.items.map((i) => i.code).sort(), [`${centre.code}-D12`, `${centre.code}-D7`]);
    const officer = grantee("sp", [{ role: "specialist", agencyCode: centre.code }]);
    assert.equal((await kpi.dossiersBehind(officer, "received", Q1)).total, 10);
    const other = grantee("j", [{ role: "specialist", agencyCode: justice.code }]);
    await assert.rejects(kpi.dossiersBehind(other, "received", { ...Q1, agency: centre.code }), KpiForbidden);
    assert.deepEqual((await kpi.dossiersBehind(other, "received", Q1)).items.map((i) => i.code), ["J-D13"]);
  });

  it("reads the facts behind a count within the period, and an export's list in one call", async () => {
    const scope = { province: "24", agencySuffix: null };
    const at = (from: string, to: string) => ({ start: new Date(`${from}T00:00:00+07:00`), end: new Date(`${to}T00:00:00+07:00`) });
    // A flow reads only the facts heard in the period: none in November, before the fixture's first dossier (D11,
    // received in December and finished in January)…
    assert.deepEqual(await repo.factsAt(env.database.db, scope, { ...at("2025-11-01", "2025-12-01"), stock: false }), []);
    // …December's: D11 only, as it stood then (open).
    const dec = await repo.factsAt(env.database.db, scope, { ...at("2025-12-01", "2026-01-01"), stock: false });
    assert.deepEqual(dec.map((f) => [f.dossierId, f.fact.endedAt]), [["D11", null]]);
    // …and in the quarter, the last fact of each dossier heard in it.
    const q1 = await repo.factsAt(env.database.db, scope, { ...at("2026-01-01", "2026-04-01"), stock: false });
    assert.ok(q1.length >= 11);
    // A stock: the dossiers still open at the end, wherever their last change fell (none ended among them).
    const open = await repo.factsAt(env.database.db, scope, { ...at("2026-03-01", "2026-04-01"), stock: true });
    assert.ok(open.length > 0 && open.every((f) => f.fact.receivedAt !== null && f.fact.endedAt === null));
    assert.ok(open.length < q1.length);
    // The procedure and the channel are filtered in the query.
    const p2 = await repo.factsAt(env.database.db, scope, { ...at("2026-01-01", "2026-04-01"), stock: false, procedure: P2 });
    assert.ok(p2.length > 0 && p2.every((f) => f.fact.procedure === P2));
    // An export takes every dossier at once, whatever the page size.
    const all = await kpi.dossiersBehind(leader(), "received", { ...Q1, pageSize: 1, all: true });
    assert.equal(all.items.length, all.total);
    assert.equal(all.hasMore, false);
  });

  it("keeps a closed quarter's numbers when later events come, and the rebuild finds the same", async () => {
    const before = await kpi.summary(leader(), Q1);
    const index = await kpi.index766(leader(), { agency: centre.code, period: "2026-Q1" });
    await life("D12", { channel: "counter", procedureCode: P1, submittedAt: new Date("2026-03-30T02:00:00Z"), ...rx("2026-03-30T02:00:00Z", "2026-03-31T03:00:00Z") }, [
      { action: "finish", at: "2026-04-02T02:00:00Z", set: done("2026-04-02T02:00:00Z", "late") },
    ]);
    await life("D10", { channel: "counter", procedureCode: P1, submittedAt: new Date("2026-03-20T02:00:00Z"), ...rx("2026-03-20T02:00:00Z", "2026-03-26T09:00:00Z"), status: "supplementing", pausedAt: new Date("2026-03-24T02:00:00Z"), supplementsAfterReceipt: 1 }, [
      { action: "supplement", at: "2026-04-06T02:00:00Z", set: { status: "processing", pausedAt: null, dueAt: new Date("2026-04-08T09:00:00Z") } },
    ]);
    assert.deepEqual(await kpi.summary(leader(), Q1), before);
    // At the end of 2 April: D12 finished late that day; D7 still overdue; D8 (due 3 April) and D10 (paused) on time.
    const april = await kpi.summary(leader(), { from: "2026-04-01", to: "2026-04-02" });
    assert.equal(april.counts.finishedLate, 1);
    assert.equal(april.counts.inProgressOverdue, 1);
    assert.equal(april.counts.inProgressOnTime, 2);

    const all = { province: "24", agencySuffix: null };
    const ends = ["2025-12-31", "2026-01-07", "2026-02-28", "2026-03-20", "2026-03-31"];
    const unfolded = await Promise.all(ends.map((to) => kpi.summary(supervisor(), { province: "24", from: "2025-12-01", to })));
    await kpi.fold();
    // The fold snapshots the stocks at the end of each closed month (December to February: today is 1 April). Only
    // December's has rows (D11 open); January and February end with every stock of the province at zero.
    const snapshots = await env.database.rows<{ month: string; n: number }>(sql`SELECT month_end::text AS month, sum(n)::int AS n FROM kpi_stock_snapshots GROUP BY 1`);
    assert.deepEqual(snapshots, [{ month: "2025-12-31", n: 1 }]);
    assert.deepEqual(await Promise.all(ends.map((to) => kpi.summary(supervisor(), { province: "24", from: "2025-12-01", to }))), unfolded);
    const folded = await repo.totals(env.database.db, all, "2025-01-01", "2026-12-31");
    assert.ok(folded.length > 0);
    const rebuilt = await kpi.rebuild(grantee("admin", [{ role: "system_admin", agencyCode: "" }]));
    assert.equal(rebuilt.dossiers, 13);
    const sort = (rows: repo.TotalRow[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    assert.deepEqual(sort(await repo.totals(env.database.db, all, "2025-01-01", "2026-12-31")), sort(folded));
    assert.deepEqual(await kpi.summary(leader(), Q1), before);
    assert.deepEqual(await kpi.index766(leader(), { agency: centre.code, period: "2026-Q1" }), index);
    await assert.rejects(kpi.rebuild(leader()), KpiForbidden);
  });

  it("computes a period with the formula version in force on its first day", async () => {
    const shipped = shippedFormulas()[0]!;
    const next = {
      ...shipped,
      version: "test-2026.2",
      validFrom: "2026-04-01",
      groups: shipped.groups.map((g) => (g.key === "TDGQ" ? { ...g, components: [{ ...g.components[0]!, rule: { kind: "scaled" as const, target: 0.5 } }] } : g)),
    };
    await assert.rejects(kpi.addFormulaVersion(leader(), next), KpiForbidden);
    await kpi.addFormulaVersion(grantee("admin", [{ role: "system_admin", agencyCode: "" }]), next);
    const admin = grantee("admin", [{ role: "system_admin", agencyCode: "" }]);
    await assert.rejects(kpi.addFormulaVersion(admin, next), FormulaExists);
    const broken = { ...next, version: "broken", validFrom: "2027-01-01", groups: [{ ...next.groups[1]!, maxPoints: 25 }] };
    await assert.rejects(kpi.addFormulaVersion(admin, broken), (err: InstanceType<typeof InvalidFormula>) => err.fields?.[0]?.path === "/groups/0/maxPoints");
    await assert.rejects(kpi.addFormulaVersion(admin, { ...next, version: "evil", validFrom: "2027-01-01", groups: [{ ...next.groups[1]!, components: [{ ...next.groups[1]!.components[0]!, value: "inputs.received * 2" }] }] }), InvalidFormula);
    const q1 = await kpi.index766(leader(), { agency: centre.code, period: "2026-Q1" });
    assert.equal(q1.formula.version, "766-2022.1");
    assert.equal(q1.groups.find((g) => g.key === "TDGQ")!.points, 12.73);
    const q2 = await kpi.index766(leader(), { agency: centre.code, period: "2026-Q2" });
    assert.equal(q2.formula.version, "test-2026.2");
    assert.equal(q2.groups.find((g) => g.key === "TDGQ")!.components[0]!.rule.kind, "scaled");
  });

  it("keeps the monthly rollups equal to the daily ones summed per month, folded and rebuilt", async () => {
    assert.deepEqual(repo.wholeMonths("2026-01-01", "2026-03-31"), { first: "2026-01-01", lastMonth: "2026-03-01", last: "2026-03-31" });
    assert.deepEqual(repo.wholeMonths("2026-01-15", "2026-04-10"), { first: "2026-02-01", lastMonth: "2026-03-01", last: "2026-03-31" });
    assert.equal(repo.wholeMonths("2026-01-15", "2026-02-10"), null);
    const compare = async () => {
      const rows = await env.database.db.execute(sql`
        SELECT count(*)::int AS n FROM (
          (SELECT province_code, agency_code, competent_agency_code, procedure_code, channel, date_trunc('month', day)::date AS month, measure, sum(n)::bigint AS n
             FROM kpi_rollups GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0
           EXCEPT SELECT province_code, agency_code, competent_agency_code, procedure_code, channel, month, measure, n FROM kpi_rollups_monthly WHERE n <> 0)
          UNION ALL
          (SELECT province_code, agency_code, competent_agency_code, procedure_code, channel, month, measure, n FROM kpi_rollups_monthly WHERE n <> 0
           EXCEPT SELECT province_code, agency_code, competent_agency_code, procedure_code, channel, date_trunc('month', day)::date, measure, sum(n)::bigint
             FROM kpi_rollups GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0)) d`);
      return (rows as unknown as { rows: Array<{ n: number }> }).rows[0]!.n;
    };
    await kpi.fold();
    const monthly = await env.database.db.execute(sql`SELECT count(*)::int AS n FROM kpi_rollups_monthly`);
    assert.ok((monthly as unknown as { rows: Array<{ n: number }> }).rows[0]!.n > 0);
    assert.equal(await compare(), 0);
    await kpi.rebuild(grantee("admin", [{ role: "system_admin", agencyCode: "" }]));
    assert.equal(await compare(), 0);
    // A period of whole months reads them, one of partial months the days: the same figures.
    const whole = await kpi.summary(leader(), Q1);
    const days = await kpi.summary(leader(), { from: "2025-12-31", to: "2026-03-31" });
    assert.equal(whole.counts.received, 10);
    assert.equal(days.counts.inProgressOverdue, whole.counts.inProgressOverdue);
  });

  it("makes the monthly rollups at start for a deployment whose daily ones came before them (migration 0034)", async () => {
    await kpi.fold();
    const expected = await kpi.summary(leader(), Q1);
    assert.equal(expected.counts.received, 10);
    // As a deployment migrated to 0034 is: its daily rows, no monthly ones, the seed not yet run.
    await env.database.db.execute(sql`DELETE FROM kpi_rollups_monthly`);
    await env.database.db.execute(sql`DELETE FROM motcua_seeds WHERE name = 'kpi.monthly-rollups'`);
    assert.equal((await kpi.summary(leader(), Q1)).counts.received, 0);
    // What the start runs: every module's seeds.
    const seeds = kpiModule.spec.seeds!({} as never);
    assert.deepEqual(await runSeeds(env.database, seeds, { demo: false }), ["kpi.monthly-rollups"]);
    assert.deepEqual(await kpi.summary(leader(), Q1), expected);
    // Once: a second start (or a second node) runs it no more.
    assert.deepEqual(await runSeeds(env.database, seeds, { demo: false }), []);
  });

  it("keeps a closed period's figures in memory until the rollups are recomputed", async () => {
    await kpi.fold();
    // A month later the first quarter is closed: its figures change only by a recomputation (the epoch).
    const later = makeKpiService({ database: env.database, clock: fixedClock("2026-05-01T03:00:00Z"), directory: env.ctx.directory, catalog: { search: async () => ({ items: [], page: 1, pageSize: 100, hasMore: false, total: 0, correctedQuery: null }) } as never, targets: readTargets() });
    const summary = await later.summary(leader(), Q1);
    const index = await later.index766(leader(), { agency: centre.code, period: "2026-Q1" });
    assert.deepEqual(summary.counts, (await kpi.summary(leader(), Q1)).counts);
    // Rows changed behind the service's back (no recomputation): the kept figures are answered.
    await env.database.db.execute(sql`UPDATE kpi_rollups_monthly SET n = n + 100 WHERE measure = 'received' AND month = '2026-03-01'`);
    assert.deepEqual(await later.summary(leader(), Q1), summary);
    assert.deepEqual(await later.index766(leader(), { agency: centre.code, period: "2026-Q1" }), index);
    // An open period is read each time.
    assert.ok((await later.summary(leader(), { from: "2026-03-01", to: "2026-04-30" })).counts.received > summary.counts.received);
    // A recomputation (its epoch) makes every node read again: the changed rows, then the rebuilt ones.
    await env.database.transaction((tx) => repo.bumpRollupsEpoch(tx));
    assert.ok((await later.summary(leader(), Q1)).counts.received > summary.counts.received);
    assert.notDeepEqual((await later.index766(leader(), { agency: centre.code, period: "2026-Q1" })).inputs, index.inputs);
    await later.rebuild(grantee("admin", [{ role: "system_admin", agencyCode: "" }]));
    assert.deepEqual(await later.summary(leader(), Q1), summary);
    assert.deepEqual(await later.index766(leader(), { agency: centre.code, period: "2026-Q1" }), index);
  });
});
