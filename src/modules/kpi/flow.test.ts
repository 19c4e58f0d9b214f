// The statistics kept by the running program: dossiers filed and driven through the dossier service publish their
// events to the kpi module's listener in their own transactions; the figures are read over HTTP by who may read
// them; `motcua kpi fold` and `motcua kpi rebuild` leave them as they were.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCommand } from "../../cli/commands.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { fixedClock } from "../../platform/clock.ts";
import { sql } from "../../platform/db/drizzle.ts";
import { execRows } from "../../platform/db/index.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import type { App } from "../../platform/http/types.ts";
import { actorOf, apiAs, buildProvincialProcedure, type DossierSetting, dossierSetting, fileDossier, publishProcedures } from "../dossiers/testing.ts";
import { formulasSeed, shippedFormulas } from "./seeds.ts";

// Monday 2 March 2026, 09:00 in Hà Nội.
const clock = fixedClock("2026-03-02T02:00:00Z");

type DossierDto = Awaited<ReturnType<typeof fileDossier>>;

describe("kpi: kept from the dossiers' own events", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let open: DossierDto;
  let province: string;
  let procedure: Awaited<ReturnType<typeof publishProcedures>>;

  before(async () => {
    env = await testApp({ clock });
    api = apiAs(env.app);
    await runSeeds(env.database, [formulasSeed()], { demo: false });
    s = await dossierSetting(env.ctx);
    province = s.agencies.province.provinceCode!;
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place));
    open = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    const returned = await fileDossier(env.ctx, s, procedure, { stage: "returned" });
    await fileDossier(env.ctx, s, procedure);
    await env.ctx.dossiers.rate(actorOf(env.ctx, s.cast.citizen), returned.id, { level: "satisfied" });
  });
  after(() => env.close());

  const summary = async (who: Parameters<typeof api>[0], query: string) => {
    const res = await api(who, "GET", `/api/kpi/summary?${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  it("counts the day's dossiers for the province's supervisor, the desk's and the department's leaders", async () => {
    const day = "from=2026-03-02&to=2026-03-02";
    const p = await summary(s.cast.supervisor, `province=${province}&${day}`);
    assert.equal(p.counts.filed, 3);
    assert.equal(p.counts.received, 2);
    assert.equal(p.counts.finishedEarly, 1);
    assert.equal(p.counts.inProgressOnTime, 1);
    assert.equal(p.counts.electronicResults, 1);
    assert.deepEqual(p.counts.ratings, { verySatisfied: 0, satisfied: 1, unsatisfied: 0 });
    assert.equal(p.onTimeRatio, 1);
    // The Department of Justice handles what the centre received.
    const justice = await summary(s.cast.leader, day);
    assert.deepEqual(justice.scope, { agency: s.place.justice, province });
    assert.equal(justice.counts.received, 2);
    const by = await api(s.cast.supervisor, "GET", `/api/kpi/breakdown?province=${province}&${day}&by=competent`);
    assert.equal(by.statusCode, 200, by.body);
    assert.deepEqual(
      by.json().items.map((i: { key: string; counts: { received: number } }) => [i.key, i.counts.received]),
      [[s.place.justice, 2], [s.place.centre, 0]].sort(),
    );
  });

  it("refuses the figures to a citizen, a signed-out caller, and a leader outside the province", async () => {
    assert.equal((await api(s.cast.citizen, "GET", "/api/kpi/summary")).statusCode, 403);
    assert.equal((await api(null, "GET", "/api/kpi/summary")).statusCode, 401);
    assert.equal((await api(s.cast.leader, "GET", `/api/kpi/summary?province=${province}`)).json().error.code, "kpi.forbidden");
    assert.equal((await api(s.cast.leader, "GET", `/api/kpi/summary?agency=${s.place.centre}`)).statusCode, 403);
    assert.equal((await api(s.cast.citizen, "GET", "/api/kpi/dossiers/received")).statusCode, 403);
  });

  it("finds the open dossier overdue at the end of a day past its due day, and lists it to the desk", async () => {
    const later = await summary(s.cast.supervisor, `province=${province}&from=2026-03-01&to=2026-04-20`);
    assert.equal(later.counts.inProgressOverdue, 1);
    assert.equal(later.counts.inProgressOnTime, 0);
    const behind = await api(s.cast.receiver, "GET", "/api/kpi/dossiers/in_progress_overdue?from=2026-03-01&to=2026-04-20");
    assert.equal(behind.statusCode, 200, behind.body);
    assert.deepEqual(
      behind.json().items.map((i: { code: string }) => i.code),
      [open.code],
    );
    // At the end of March it was already overdue; on 2 March it was not.
    assert.equal((await summary(s.cast.supervisor, `province=${province}&from=2026-03-02&to=2026-03-02`)).counts.inProgressOverdue, 0);
  });

  it("scores the quarter's Decision 766 index with the inputs used", async () => {
    const res = await api(s.cast.supervisor, "GET", `/api/kpi/index766?province=${province}&period=2026-Q1`);
    assert.equal(res.statusCode, 200, res.body);
    const x = res.json();
    assert.deepEqual(
      x.groups.map((g: { key: string }) => g.key),
      ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"],
    );
    assert.equal(x.formula.version, "766-2022.1");
    assert.equal(x.inputs.received, 2);
    assert.equal(x.inputs.procedures, 1);
    assert.equal((await api(s.cast.supervisor, "GET", `/api/kpi/index766?province=${province}&period=2026-Q5`)).statusCode, 400);
  });

  it("keeps the figures through `motcua kpi fold` and `motcua kpi rebuild`", async () => {
    const query = `province=${province}&from=2026-03-01&to=2026-04-20`;
    const before = await summary(s.cast.supervisor, query);
    let out = "";
    const write = { write: (t: string) => (out += t) };
    assert.equal(await runCommand(env.ctx, ["kpi", "fold"], write), 0);
    assert.deepEqual(await summary(s.cast.supervisor, query), before);
    assert.equal(await runCommand(env.ctx, ["kpi", "rebuild"], write), 0);
    assert.match(out, /rebuilt: 3 dossiers/);
    assert.deepEqual(await summary(s.cast.supervisor, query), before);
  });

  it("adds a formula version from a file with `motcua kpi formulas add`, and refuses one that does not read", async () => {
    const [shipped] = shippedFormulas();
    const dir = fs.mkdtempSync(path.join(env.dataDir, "formulas-"));
    fs.writeFileSync(path.join(dir, "v2.json"), JSON.stringify({ ...shipped, version: "766-2027.1", validFrom: "2027-01-01" }));
    fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ ...shipped, version: "766-2028.1", validFrom: "2028-01-01", groups: [] }));
    let out = "";
    const write = { write: (t: string) => (out += t), cwd: dir };
    assert.equal(await runCommand(env.ctx, ["kpi", "formulas", "add", "v2.json"], write), 0);
    assert.equal(await runCommand(env.ctx, ["kpi", "formulas", "add", "bad.json"], write), 1);
    assert.match(out, /kpi\.invalid_formula/);
    out = "";
    assert.equal(await runCommand(env.ctx, ["kpi", "formulas"], write), 0);
    assert.match(out, /2022-06-23 {2}766-2022\.1/);
    assert.match(out, /2027-01-01 {2}766-2027\.1/);
  });

  it("takes a receipt's papers from its event (read with the dossier's UPDATE), with no query of its own", async () => {
    const service = env.ctx.dossiers as { componentFlags: typeof env.ctx.dossiers.componentFlags };
    const kept = service.componentFlags;
    let asked = 0;
    service.componentFlags = async (db, id) => {
      asked++;
      return kept(db, id);
    };
    try {
      const received = await fileDossier(env.ctx, s, procedure, { stage: "received" });
      assert.equal(asked, 0);
      const [row] = await execRows<{ fact: { receivedAt: number | null; digitised: boolean } }>(env.database.db, sql`SELECT fact FROM kpi_facts WHERE dossier_id = ${received.id} ORDER BY id DESC LIMIT 1`);
      assert.ok(row && row.fact.receivedAt !== null && row.fact.digitised === false);
    } finally {
      service.componentFlags = kept;
    }
  });
});
