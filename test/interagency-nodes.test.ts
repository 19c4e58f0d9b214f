// Một cửa liên thông between real nodes (issue 16, items 6 and 8): two `motcua` processes on 127.0.0.1, each with
// its own PostgreSQL database and data directory. A — a province (its service centre and Department of Justice) —
// and B, a ministry's node. A procedure of A has a step at the ministry: its agency is listed in A's directory (the
// national list of agency codes) and served by B (a peer of A's exchange covers its code), so the step leaves as a
// signed edXML package with the dossier's data and components. B takes it into the ministry's queue; the minister
// works it through B's HTTP API, as an officer's client would, and finishes it with a result; the result comes back
// and A's dossier goes on, its control sheet showing the ministry's times. Then the same with both nodes killed
// (SIGKILL) mid-way: B after the package arrived and before it was taken in, A before the result came back and
// again after it arrived and before it was taken: one dossier on B, one result step on A, every status once.
// The test's own contexts on each database act as the operators (keys, trust, peers, procedures) and as A's officers.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "../src/platform/db/index.ts";
import type { ProcedureContent } from "../src/modules/catalog/index.ts";
import type { AgencyDto } from "../src/modules/directory/index.ts";
import type { DossierDto } from "../src/modules/dossiers/index.ts";
import { actorOf, buildInteragencyProcedure, deciderCopy, type DossierSetting, dossierSetting, fileDossier, multipart, PDF, publishProcedures } from "../src/modules/dossiers/testing.ts";
import type { TestAccount } from "../src/modules/identity/testing.ts";
import { exchangeSite, ministryAcross, removeSites, type Site } from "./helpers/sites.ts";
import { eventually as within, startNode } from "./helpers/cluster.ts";
import { freePort } from "./helpers/net.ts";
import { readPdf } from "./helpers/pdf.ts";

const cli = { type: "cli", name: "test" } as const;
const HOUR = 3_600_000;
/** A bound on each wait, not a timing: a loaded machine (the suite's other files on 2 cores) may take seconds a hop. */
const eventually = (check: () => Promise<boolean>, what: string) => within(check, what, 30_000);

describe("inter-agency dossiers between real nodes", () => {
  let A: Site;
  let B: Site;
  /** A's province: the centre receives and returns, Justice examines; the cast works there. */
  let s: DossierSetting;
  /** The ministry, on B, whose minister decides; listed in A's directory by the same code. */
  let ministry: AgencyDto;
  let minister: TestAccount;
  let procedure: ProcedureContent;
  const sites = () => [A, B].filter(Boolean);
  const output = () => sites().map((x) => `--- ${x.name}\n${x.node?.output() ?? "(stopped)"}`).join("\n");

  before(async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    A = await exchangeSite("A", pa);
    B = await exchangeSite("B", pb);
    s = await dossierSetting(A.ctx);
    // The ministry on B, listed in A's directory; each side trusts the other's agency; each knows the other's node.
    const across = await ministryAcross(A, B, s);
    ({ ministry, minister } = across);
    const { certJustice, certMinistry } = across;
    await A.ctx.exchange.setPeer(cli, { agencyCode: ministry.code, name: "Nút Bộ Tư pháp", nodeUrl: B.url, certificate: certMinistry });
    await B.ctx.exchange.setPeer(cli, { agencyCode: s.place.province, name: "Nút tỉnh Bắc Ninh", nodeUrl: A.url, certificate: certJustice });
    // Examined at Justice, decided by the Minister of Justice (on B), returned at the centre.
    procedure = await publishProcedures(
      A.ctx,
      buildInteragencyProcedure(s.place, ministry.code, "Quyết định liên thông giữa hai nút"),
    );
    // The ministry's catalogue holds the same procedure (code and version), answered for by the ministry.
    await publishProcedures(B.ctx, deciderCopy(procedure, ministry.code));
    await Promise.all(sites().map(async (x) => (x.node = await startNode("start", x.env, { port: x.port }))));
  });

  after(() => removeSites(sites()));

  /** kill -9: the node stops where it is, nothing flushed or finished. */
  async function kill(x: Site): Promise<void> {
    const node = x.node!;
    x.node = null;
    node.process.kill("SIGKILL");
    await node.exited;
  }
  async function start(x: Site, role: "start" | "web" = "start"): Promise<void> {
    x.node = await startNode(role, x.env, { port: x.port });
  }

  const as = (who: keyof DossierSetting["cast"]) => actorOf(A.ctx, s.cast[who]);
  /** The minister's calls to B's API, with their bearer token. */
  async function api<T>(method: "GET" | "POST", url: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${await minister.token()}` } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    const res = await fetch(`${B.url}${url}`, init);
    const text = await res.text();
    assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
  /** The dossiers of the ministry's queue (B's API) taken in for A's dossier `code`. */
  async function queued(code: string, queue: "processing" | "finished" = "processing"): Promise<DossierDto[]> {
    const page = await api<{ items: Array<{ id: string }> }>("GET", `/api/office/dossiers?queue=${queue}&pageSize=100`);
    const all = await Promise.all(page.items.map((d) => api<DossierDto>("GET", `/api/dossiers/${d.id}`)));
    return all.filter((d) => d.interAgency?.from?.dossierCode === code);
  }
  /** Every dossier of B taken in for `code`, whatever its state (its database). */
  const takenInCount = async (code: string) =>
    Number((await B.database.rows<{ n: string }>(sql`SELECT count(*) AS n FROM dossiers WHERE taken_in_step->>'originCode' = ${code}`))[0]!.n);
  /** The minister attaches the decision and finishes, through B's API. */
  async function finishOnB(id: string): Promise<DossierDto> {
    const { payload, headers } = multipart({ component: "result" }, { name: "quyet-dinh.pdf", type: "application/pdf", bytes: PDF });
    const res = await fetch(`${B.url}/api/dossiers/${id}/attachments`, { method: "POST", body: new Uint8Array(payload), headers: { ...headers, authorization: `Bearer ${await minister.token()}` } });
    const file = (await res.json()) as { id: string };
    assert.equal(res.status, 201, JSON.stringify(file));
    return api<DossierDto>("POST", `/api/dossiers/${id}/actions/finish`, { resultFileId: file.id });
  }
  /** A dossier filed at A's centre, examined at Justice and forwarded to the minister's step. */
  async function forwarded(): Promise<DossierDto> {
    const d = await fileDossier(A.ctx, s, procedure, { stage: "received" });
    return A.ctx.dossiers.act(as("specialist"), d.id, "forward", { note: "Đủ điều kiện, trình Bộ trưởng" });
  }
  const origin = (id: string) => A.ctx.dossiers.get(as("receiver"), id);
  const requestOf = async (code: string) => (await A.ctx.exchange.list(cli, { box: "out", agency: s.place.justice, q: code, pageSize: 100 })).items.filter((x) => x.subject.includes(code));
  const statuses = async (x: Site, id: string) => (await x.ctx.exchange.get(cli, id)).timelines[0]!;

  it("the minister's step leaves A as a signed package, is worked from B's queue through its API, and A's dossier goes on with the ministry's times", async () => {
    const d = await forwarded();
    assert.equal(d.step?.key, "quyet-dinh");
    // It waits at A, with Justice, for the ministry: nobody at A can act on it.
    const waiting = await A.ctx.dossiers.get(as("leader"), d.id);
    assert.deepEqual(waiting.interAgency, { awayAgencyCode: ministry.code, from: null });
    assert.equal(waiting.processingAgencyCode, s.place.justice);
    assert.deepEqual(waiting.allowedActions, []);
    const [request, ...more] = await requestOf(d.code!);
    assert.ok(request);
    assert.equal(more.length, 0);
    await eventually(async () => (await statuses(A, request.id)).statuses.some((x) => x.code === "01"), `the package reaches B\n${output()}`);

    // B: a dossier of the ministry's own in the minister's queue, with A's applicant, form data and papers.
    await eventually(async () => (await queued(d.code!)).length === 1, `taken into the ministry's queue\n${output()}`);
    const [mine] = await queued(d.code!);
    assert.ok(mine!.code!.startsWith(ministry.code));
    assert.equal(mine!.agencyCode, ministry.code);
    assert.equal(mine!.step?.key, "quyet-dinh");
    assert.deepEqual(mine!.interAgency?.from, { dossierCode: d.code, agencyCode: s.place.justice, agencyName: s.agencies.justice.name });
    assert.equal(mine!.applicant.name, "Nguyễn Thị Mai");
    assert.deepEqual(mine!.formData, d.formData);
    const components = (x: DossierDto) => x.attachments.filter((f) => f.kind === "component").map((f) => `${f.component}:${f.sha256}`).sort();
    assert.deepEqual(components(mine!), components(d));
    // The package came signed by Justice's key, and was verified as it came.
    const [copy] = (await B.ctx.exchange.list(cli, { box: "in", agency: ministry.code, q: d.code!, pageSize: 100 })).items;
    assert.ok((await B.ctx.exchange.get(cli, copy!.id)).signedEdxml);

    const done = await finishOnB(mine!.id);
    assert.equal(done.status, "done");
    await eventually(async () => (await origin(d.id)).step?.key === "tra-ket-qua", `A's dossier goes on\n${output()}`);
    const back = await origin(d.id);
    assert.equal(back.status, "processing");
    assert.equal(back.processingAgencyCode, s.place.centre);
    assert.equal(back.interAgency, null);
    const row = back.steps.find((x) => x.stepKey === "quyet-dinh")!;
    assert.equal(row.agencyCode, ministry.code);
    assert.equal(row.doneAt, done.finishedAt);
    assert.equal(row.outcome, "approved");
    assert.match(back.history.filter((h) => h.action === "forward").at(-1)!.actor, /Chu Văn Bộ/);
    const result = back.attachments.find((f) => f.kind === "result")!;
    assert.equal(result.name, "quyet-dinh.pdf");
    assert.equal(result.sha256, done.attachments.find((f) => f.kind === "result")!.sha256);
    // The control sheet (Mẫu 06): the ministry's row, done at the minister's time (Vietnam time).
    const sheet = (await readPdf(await A.ctx.dossierForms.form(as("receiver"), d.id, "06"))).pages.map((p) => p.text).join("\n");
    const vn = new Date(new Date(done.finishedAt!).getTime() + 7 * HOUR).toISOString();
    assert.ok(sheet.includes(ministry.name), "the ministry is on the sheet");
    assert.ok(sheet.includes(vn.slice(11, 16)), `the minister's finishing time ${vn.slice(11, 16)} is on the sheet`);
    // Both documents went through 01, 03 and 06 on their sender's timeline.
    await eventually(async () => (await statuses(A, request.id)).statuses.map((x) => x.code).join() === "01,03,06", `the request's 06 reaches A\n${output()}`);
    const [answer] = (await B.ctx.exchange.list(cli, { box: "out", agency: ministry.code, q: d.code!, pageSize: 100 })).items;
    await eventually(async () => (await statuses(B, answer!.id)).statuses.map((x) => x.code).join() === "01,03,06", `the result's 06 reaches B\n${output()}`);
    // The desk returns with the minister's decision.
    const finished = await A.ctx.dossiers.act(as("receiver"), d.id, "finish", { resultFileId: result.id });
    assert.equal(finished.status, "done");
  });

  it("loses and doubles nothing when B is killed before taking the package in and A before taking the result", async () => {
    // B's web process alone: it receives (and answers 01) but takes nothing in until a worker runs.
    await kill(B);
    await start(B, "web");
    const d = await forwarded();
    const [request] = await requestOf(d.code!);
    await eventually(async () => (await statuses(A, request!.id)).statuses.some((x) => x.code === "01"), `the package reaches B's web process\n${output()}`);
    assert.equal(await takenInCount(d.code!), 0);
    // Killed after the package arrived, before it was processed; started again in full.
    await kill(B);
    await start(B);
    await eventually(async () => (await takenInCount(d.code!)) === 1, `taken in after B's restart\n${output()}`);
    const [mine] = await queued(d.code!);
    assert.ok(mine);

    // A killed before the minister finishes: the result waits in B's outbox, retried.
    await kill(A);
    const done = await finishOnB(mine.id);
    const [answer] = (await B.ctx.exchange.list(cli, { box: "out", agency: ministry.code, q: d.code!, pageSize: 100 })).items;
    assert.ok(answer);
    // B's messages to Justice (the request's 03, then the result, in order) are tried again and again meanwhile.
    const tries = async () =>
      Number((await B.database.rows<{ n: number | null }>(sql`SELECT max(attempts) AS n FROM exchange_outbox WHERE to_agency = ${s.place.justice} AND state = 'pending'`))[0]!.n ?? 0);
    await eventually(async () => (await tries()) >= 2, `B retries while A is down\n${output()}`);
    assert.equal((await statuses(B, answer.id)).delivery, "pending");
    // A's web process alone receives it (01) and is killed before the result is taken; then A starts in full.
    await start(A, "web");
    await eventually(async () => (await statuses(B, answer.id)).statuses.some((x) => x.code === "01"), `the result reaches A's web process\n${output()}`);
    assert.equal((await origin(d.id)).step?.key, "quyet-dinh");
    await kill(A);
    await start(A);
    await eventually(async () => (await origin(d.id)).step?.key === "tra-ket-qua", `A's dossier goes on after A's restart\n${output()}`);
    await eventually(async () => (await statuses(A, request!.id)).statuses.map((x) => x.code).join() === "01,03,06", `the request's 06 reaches A\n${output()}`);
    await eventually(async () => (await statuses(B, answer.id)).statuses.map((x) => x.code).join() === "01,03,06", `the result's 06 reaches B\n${output()}`);

    // Exactly once on both ends: one dossier on B, one request and one result, one result step on A.
    assert.equal(await takenInCount(d.code!), 1);
    assert.equal((await queued(d.code!, "finished")).length, 1);
    assert.equal((await requestOf(d.code!)).length, 1);
    assert.equal((await B.ctx.exchange.list(cli, { box: "in", agency: ministry.code, q: d.code!, pageSize: 100 })).items.length, 1);
    assert.equal((await A.ctx.exchange.list(cli, { box: "in", agency: s.place.justice, q: d.code!, pageSize: 100 })).items.length, 1);
    const back = await origin(d.id);
    assert.equal(back.steps.filter((x) => x.stepKey === "quyet-dinh").length, 1);
    assert.equal(back.steps.filter((x) => x.stepKey === "tra-ket-qua").length, 1);
    assert.equal(back.steps.find((x) => x.stepKey === "quyet-dinh")!.doneAt, done.finishedAt);
    assert.equal(back.attachments.filter((f) => f.kind === "result").length, 1);
    assert.equal(back.history.filter((h) => h.action === "forward" && /Chu Văn Bộ/.test(h.actor)).length, 1);
  });
});
