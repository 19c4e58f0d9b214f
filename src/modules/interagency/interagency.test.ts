// Một cửa liên thông across nodes (issue 16, item 6), developed on one node: a ministry is
// marked as performing its steps elsewhere, so the minister's step leaves as a package through the exchange's local
// delivery — the same package the transport between nodes carries. Its content; the minister's queue; the result
// coming back onto the origin's control sheet with the minister's times; a refusal sending the origin back a step;
// redelivered packages and jobs run again (and a restart) producing nothing twice; what the minister sees.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { type Context, createContext } from "../../context.ts";
import { systemActor } from "../../platform/auth/actor.ts";
import { testLogger } from "../../platform/log/testing.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { movableClock } from "../../../test/helpers/oidc-server.ts";
import { readPdf } from "../../../test/helpers/pdf.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { actorOf, buildInteragencyProcedure, dossierSetting, type DossierSetting, fileDossier, PDF, publishProcedures } from "../dossiers/testing.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { drain, foreignCertificate } from "../exchange/testing.ts";
import type { RemoteTransport } from "../exchange/index.ts";
import { loadConfig } from "../../platform/config/index.ts";
import { testWorker } from "../../platform/jobs/testing.ts";
import { buildOfficer, type TestAccount } from "../identity/testing.ts";
import { FORMAT, PACKAGE_ID, PACKAGE_NAME, packageBytes, readRequest, REQUEST_TYPE, type RequestPackage, RESULT_TYPE, type ResultPackage } from "./package.ts";
import { TAKE_IN_JOB, TAKE_RESULT_JOB } from "./service.ts";

const SYSTEM = systemActor("test");
const HOUR = 3_600_000;

describe("inter-agency dossiers across nodes", () => {
  let env: TestEnv;
  let s: DossierSetting;
  let procedure: ProcedureContent;
  /** A ministry outside the province (on its own node in real life), and its leader who decides. */
  let ministry: AgencyDto;
  let minister: TestAccount;
  const clock = movableClock();
  const remote = new Set<string>();
  const options = { interagency: { elsewhere: async (code: string) => remote.has(code) } };

  before(async () => {
    env = await testContext({ clock, options });
    s = await dossierSetting(env.ctx);
    ministry = await buildAgency(env.ctx, { name: "Bộ Tư pháp", kind: "ministry", departments: [] });
    minister = await buildOfficer(env.ctx, { agency: ministry, department: null, roles: ["leader"], fullName: "Chu Văn Bộ", email: null });
    remote.add(ministry.code);
    // Examined at Justice, decided by the Minister of Justice (the step elsewhere), returned at the centre.
    procedure = await publishProcedures(
      env.ctx,
      buildInteragencyProcedure(s.place, ministry.code, "Quyết định thử nghiệm liên thông giữa các nút"),
    );
  });
  after(() => env.close());

  const as = (who: keyof DossierSetting["cast"] | "minister") => actorOf(env.ctx, who === "minister" ? minister : s.cast[who]);
  /** A dossier examined at Justice and forwarded to the minister's step: the package is queued. */
  async function forwarded(): ReturnType<Context["dossiers"]["act"]> {
    const d = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    return env.ctx.dossiers.act(as("specialist"), d.id, "forward", { note: "Đủ điều kiện, trình Chủ tịch" });
  }
  /** The dossiers taken in at the province for the origin `code`. */
  async function takenIn(queue: "processing" | "finished" | "due_soon" = "processing") {
    return (await env.ctx.dossiers.queue(as("minister"), { queue, pageSize: 100 })).items;
  }
  const sentBy = async (agency: string) => (await env.ctx.exchange.list(SYSTEM, { box: "out", agency, pageSize: 100 })).items;

  it("sends the step as a package, the minister works it from the queue, and the origin goes on with the minister's times", async () => {
    const d = await forwarded();
    // The origin waits at the minister's step, with Justice: nobody here acts on it, and the minister does not see it.
    // The forward's own answer says so already.
    assert.equal(d.step?.key, "quyet-dinh");
    assert.deepEqual(d.interAgency, { awayAgencyCode: ministry.code, from: null });
    assert.equal(d.processingAgencyCode, s.place.justice);
    assert.deepEqual(d.allowedActions, []);
    const waiting = await env.ctx.dossiers.get(as("leader"), d.id);
    assert.equal(waiting.processingAgencyCode, s.place.justice);
    assert.deepEqual(waiting.allowedActions, []);
    assert.deepEqual(waiting.interAgency, { awayAgencyCode: ministry.code, from: null });
    await assert.rejects(env.ctx.dossiers.act(as("leader"), d.id, "approve", {}), { code: "dossier.invalid_transition" });
    await assert.rejects(env.ctx.dossiers.get(as("minister"), d.id), { code: "dossier.not_found" });

    // The package: one document from Justice to the province, its JSON and the components named by content id.
    const sent = (await sentBy(s.place.justice)).filter((x) => x.subject.includes(d.code!));
    assert.equal(sent.length, 1);
    const doc = await env.ctx.exchange.get(SYSTEM, sent[0]!.id);
    assert.deepEqual(doc.recipients.map((r) => r.code), [ministry.code]);
    assert.equal(doc.documentType.typeName, "Hồ sơ liên thông");
    const pkgFile = doc.files.find((f) => f.contentId === PACKAGE_ID)!;
    const chunks: Buffer[] = [];
    for await (const c of (await env.ctx.exchange.file(SYSTEM, doc.id, pkgFile.sha256)).stream) chunks.push(c as Buffer);
    const pkg = readRequest(Buffer.concat(chunks));
    assert.deepEqual(pkg.origin, { dossierCode: d.code, agencyCode: s.place.justice, agencyName: s.agencies.justice.name, stepIndex: 2, round: 1 });
    assert.deepEqual(pkg.procedure, { code: procedure.code, version: d.procedureVersion, name: procedure.name });
    assert.equal(pkg.step.key, "quyet-dinh");
    assert.equal(pkg.step.agencyCode, ministry.code);
    assert.equal(pkg.applicant.name, "Nguyễn Thị Mai");
    assert.deepEqual(pkg.formData, d.formData);
    const components = d.attachments.filter((f) => f.kind === "component");
    assert.equal(pkg.components.length, components.length);
    for (const c of pkg.components) assert.ok(doc.files.some((f) => f.contentId === c.contentId), `${c.contentId} travels with the package`);

    // Delivered: the minister's queue holds a dossier of the ministry's own, with the package's data.
    await drain(env.ctx);
    const queue = await takenIn();
    assert.equal(queue.length, 1);
    const mine = await env.ctx.dossiers.get(as("minister"), queue[0]!.id);
    assert.notEqual(mine.id, d.id);
    assert.ok(mine.code!.startsWith(ministry.code));
    assert.equal(mine.step?.key, "quyet-dinh");
    assert.deepEqual(mine.interAgency?.from, { dossierCode: d.code, agencyCode: s.place.justice, agencyName: s.agencies.justice.name });
    assert.equal(mine.applicant.name, "Nguyễn Thị Mai");
    assert.equal(mine.attachments.filter((f) => f.kind === "component").length, components.length);
    assert.ok(mine.allowedActions.includes("refuse"));
    // Its applicant deals with the origin: no supplement or apology asked from here.
    assert.ok(!mine.allowedActions.includes("request_supplement") && !mine.allowedActions.includes("apologize"));
    const request = await env.ctx.exchange.get(SYSTEM, doc.id);
    assert.deepEqual(request.timelines[0]!.statuses.map((x) => x.code), ["01", "03"]);

    // An hour later the minister signs and issues; the result reaches the origin an hour after that.
    clock.offsetMs += HOUR;
    const result = await env.ctx.dossiers.attach(as("minister"), mine.id, { component: "result", declaredName: "quyet-dinh.pdf", source: Readable.from(PDF) });
    const done = await env.ctx.dossiers.act(as("minister"), mine.id, "finish", { resultFileId: result.id });
    const finishedAt = done.finishedAt!;
    clock.offsetMs += HOUR;
    await drain(env.ctx);

    const origin = await env.ctx.dossiers.get(as("receiver"), d.id);
    assert.equal(origin.status, "processing");
    assert.equal(origin.step?.key, "tra-ket-qua");
    assert.equal(origin.processingAgencyCode, s.place.centre);
    assert.equal(origin.interAgency, null);
    // The control sheet's row of the minister's step: the ministry, handed over by Justice, done when the minister finished.
    const row = origin.steps.find((x) => x.stepKey === "quyet-dinh")!;
    assert.equal(row.agencyCode, ministry.code);
    assert.equal(row.doneAt, finishedAt);
    assert.equal(row.outcome, "approved");
    // The control sheet itself (Mẫu 06): the ministry's row, done at the minister's time (Vietnam time).
    const sheet = (await readPdf(await env.ctx.dossierForms.form(as("receiver"), d.id, "06"))).pages.map((p) => p.text).join("\n");
    const vn = new Date(new Date(finishedAt).getTime() + 7 * HOUR).toISOString();
    assert.ok(sheet.includes(ministry.name), "the ministry is on the sheet");
    assert.ok(sheet.includes(vn.slice(11, 16)), `the minister's finishing time ${vn.slice(11, 16)} is on the sheet`);
    const forward = origin.history.filter((h) => h.action === "forward").at(-1)!;
    assert.match(forward.actor, /Chu Văn Bộ/);
    // The minister's decision is the origin's result: the desk finishes and returns with it.
    const resultFile = origin.attachments.find((f) => f.kind === "result")!;
    assert.equal(resultFile.name, "quyet-dinh.pdf");
    const finished = await env.ctx.dossiers.act(as("receiver"), d.id, "finish", { resultFileId: resultFile.id });
    assert.equal(finished.status, "done");
    // Both documents went through 01, 03 and 06.
    assert.deepEqual((await env.ctx.exchange.get(SYSTEM, doc.id)).timelines[0]!.statuses.map((x) => x.code), ["01", "03", "06"]);
    const answer = (await sentBy(ministry.code)).find((x) => x.subject.includes(d.code!))!;
    assert.deepEqual((await env.ctx.exchange.get(SYSTEM, answer.id)).timelines[0]!.statuses.map((x) => x.code), ["01", "03", "06"]);
    // Nothing ran twice: one dossier taken in, finished once.
    await drain(env.ctx);
    assert.equal((await takenIn("finished")).filter((x) => x.id === mine.id).length, 1);
  });

  it("a refusal elsewhere sends the origin back a step with the reason; sent again, the step is a new round", async () => {
    const d = await forwarded();
    await drain(env.ctx);
    const [mine] = await takenIn();
    assert.ok(mine);
    const refused = await env.ctx.dossiers.act(as("minister"), mine.id, "refuse", { reason: "Thiếu ý kiến thẩm định của Sở Tài chính" });
    assert.equal(refused.status, "refused");
    await drain(env.ctx);
    const origin = await env.ctx.dossiers.get(as("specialist"), d.id);
    assert.equal(origin.status, "processing");
    assert.equal(origin.step?.key, "tham-dinh");
    assert.equal(origin.processingAgencyCode, s.place.justice);
    const back = origin.history.at(-1)!;
    assert.equal(back.action, "send_back");
    assert.match(back.note ?? "", /Thiếu ý kiến thẩm định của Sở Tài chính/);
    assert.equal(origin.steps.find((x) => x.stepKey === "quyet-dinh")!.outcome, "sent_back");
    // Examined again and forwarded: a second package (round 2), a second dossier in the minister's queue.
    await env.ctx.dossiers.act(as("specialist"), d.id, "forward", {});
    await drain(env.ctx);
    const again = await takenIn();
    assert.equal(again.length, 1);
    assert.notEqual(again[0]!.id, mine.id);
  });

  it("loses and doubles nothing when the node restarts before the jobs run, or a job runs again", async () => {
    const d = await forwarded();
    // The node stops with the package queued; another context on the same database carries on.
    const ctx = createContext(env.config, env.database, { clock, options, logger: testLogger() });
    const earlier = new Set((await takenIn()).map((x) => x.id));
    await drain(ctx);
    await drain(ctx);
    const arrived = (await takenIn()).filter((x) => !earlier.has(x.id));
    assert.equal(arrived.length, 1);
    assert.equal((await sentBy(s.place.justice)).filter((x) => x.subject.includes(d.code!)).length, 1);
    // The package taken in again (a job run twice): no second dossier.
    const received = (await ctx.exchange.list(SYSTEM, { box: "in", agency: ministry.code, pageSize: 100 })).items.filter((x) => x.subject.includes(d.code!));
    assert.equal(received.length, 1);
    await env.database.transaction((tx) => ctx.jobs.enqueue(tx, TAKE_IN_JOB, { copyId: received[0]!.id }, { key: "again-in" }));
    assert.equal(await drain(ctx), 1);
    assert.equal((await takenIn()).filter((x) => !earlier.has(x.id)).length, 1);
    // The result, taken twice: the origin moves on once.
    const decider = actorOf(ctx, minister);
    const file = await ctx.dossiers.attach(decider, arrived[0]!.id, { component: "result", declaredName: "qd.pdf", source: Readable.from(PDF) });
    await ctx.dossiers.act(decider, arrived[0]!.id, "finish", { resultFileId: file.id });
    await drain(ctx);
    const answers = (await ctx.exchange.list(SYSTEM, { box: "in", agency: s.place.justice, pageSize: 100 })).items.filter((x) => x.subject.includes(d.code!));
    assert.equal(answers.length, 1);
    await env.database.transaction((tx) => ctx.jobs.enqueue(tx, TAKE_RESULT_JOB, { copyId: answers[0]!.id }, { key: "again-result" }));
    assert.equal(await drain(ctx), 1);
    const origin = await ctx.dossiers.get(actorOf(ctx, s.cast.receiver), d.id);
    assert.equal(origin.step?.key, "tra-ket-qua");
    assert.equal(origin.steps.filter((x) => x.stepKey === "quyet-dinh").length, 1);
    assert.equal(origin.steps.filter((x) => x.stepKey === "tra-ket-qua").length, 1);
    assert.equal(origin.attachments.filter((f) => f.kind === "result").length, 1);
  });

  it("refuses (02) a package it cannot read, or one speaking for another agency, and takes nothing in", async () => {
    const before = (await takenIn()).length;
    const bad = { ...(await env.ctx.exchange.storeFile(Buffer.from('{"format":"motcua.lien-thong/9"}'), PACKAGE_NAME)), contentId: PACKAGE_ID, contentType: "application/json" };
    const id = await env.ctx.exchange.send(SYSTEM, { from: s.place.justice, to: [ministry.code], subject: "Hồ sơ liên thông hỏng", notation: "HSLT", documentType: { ...REQUEST_TYPE }, signer: { fullName: "Sở Tư pháp" }, files: [bad] });
    await drain(env.ctx);
    const statuses = (await env.ctx.exchange.get(SYSTEM, id)).timelines[0]!.statuses;
    assert.deepEqual(statuses.map((x) => x.code), ["01", "02"]);
    assert.match(statuses[1]!.description ?? "", /Không đọc được hồ sơ liên thông/);
    // A well-formed package speaking for an agency other than its sender: refused too.
    const spoof: RequestPackage = {
      format: FORMAT,
      kind: "request",
      origin: { dossierCode: "000.00.01.H06-261206-0001", agencyCode: s.place.centre, agencyName: s.agencies.centre.name, stepIndex: 2, round: 1 },
      procedure: { code: procedure.code, version: 1, name: procedure.name },
      channel: "online",
      step: { key: "quyet-dinh", name: "Ký quyết định", role: "leader", department: null, hours: 10, leaderSigns: true, agencyCode: ministry.code, dueAt: "2026-12-31T02:00:00.000Z" },
      applicant: { type: "citizen", name: "Nguyễn Văn Giả", idNumber: "001199000009", phone: null, email: null, address: null },
      formData: {},
      dossierDueAt: null,
      components: [],
    };
    const forged = { ...(await env.ctx.exchange.storeFile(packageBytes(spoof), PACKAGE_NAME)), contentId: PACKAGE_ID, contentType: "application/json" };
    const other = await env.ctx.exchange.send(SYSTEM, { from: s.place.justice, to: [ministry.code], subject: "Hồ sơ liên thông mạo danh", notation: "HSLT", documentType: { ...REQUEST_TYPE }, signer: { fullName: "Sở Tư pháp" }, files: [forged] });
    await drain(env.ctx);
    const answered = (await env.ctx.exchange.get(SYSTEM, other)).timelines[0]!.statuses;
    assert.deepEqual(answered.map((x) => x.code), ["01", "02"]);
    assert.match(answered[1]!.description ?? "", /sent by/);
    assert.equal((await takenIn()).length, before);
  });

  it("a package the other agency refuses (02) sends the origin back a step with its reason, and is not taken in", async () => {
    const d = await forwarded();
    const before = (await takenIn()).length;
    // The package arrives; before it is taken in, the ministry refuses the document itself.
    const worker = testWorker(env.database, env.ctx.jobs, { concurrency: 1 });
    const arrived = async () => (await env.ctx.exchange.list(SYSTEM, { box: "in", agency: ministry.code, pageSize: 100 })).items.find((x) => x.subject.includes(d.code!));
    for (let i = 0; i < 20 && !(await arrived()); i++) await worker.runOnce();
    const request = (await arrived())!;
    await env.ctx.exchange.answer(as("minister"), request.id, { code: "02", description: "Không thuộc thẩm quyền của Bộ" });
    await drain(env.ctx);
    const origin = await env.ctx.dossiers.get(as("specialist"), d.id);
    assert.equal(origin.step?.key, "tham-dinh");
    assert.equal(origin.interAgency, null);
    assert.match(origin.history.at(-1)!.note ?? "", /Không thuộc thẩm quyền của Bộ/);
    assert.equal((await takenIn()).length, before);
  });

  it("takes a result only from the agency the step was sent to, for the agency that sent it, answering that request", async () => {
    // Another agency elsewhere (on its own node in real life) that was never asked.
    const finance = await buildAgency(env.ctx, { name: "Bộ Tài chính", kind: "ministry", departments: [] });
    remote.add(finance.code);
    const d = await forwarded();
    await drain(env.ctx);
    const request = (await sentBy(s.place.justice)).find((x) => x.subject.includes(d.code!))!;
    const asked = await env.ctx.exchange.get(SYSTEM, request.id);
    const answering = [{ organId: s.place.justice, code: `${asked.codeNumber}/${asked.codeNotation}`, promulgationDate: asked.promulgationDate, documentId: asked.documentId }];
    const now = clock.now().toISOString();
    const approval: ResultPackage = {
      format: FORMAT,
      kind: "result",
      origin: { dossierCode: d.code!, agencyCode: s.place.justice, agencyName: s.agencies.justice.name, stepIndex: 2, round: 1 },
      agency: { code: ministry.code, name: ministry.name },
      decision: "approved",
      reason: null,
      officer: "Người Không Được Hỏi",
      receivedAt: now,
      finishedAt: now,
      result: null,
    };
    const results: string[] = [];
    async function result(from: string, to: string, pkg: ResultPackage, responseFor = answering): Promise<string> {
      const file = { ...(await env.ctx.exchange.storeFile(packageBytes(pkg), PACKAGE_NAME)), contentId: PACKAGE_ID, contentType: "application/json" };
      const id = await env.ctx.exchange.send(SYSTEM, { from, to: [to], subject: `Kết quả liên thông ${d.code} số ${results.length + 1}`, notation: "KQLT", documentType: { ...RESULT_TYPE }, signer: { fullName: "Người Ký" }, responseFor, files: [file] });
      results.push(id);
      await drain(env.ctx);
      return id;
    }
    const refusedWith = async (id: string) => {
      const statuses = (await env.ctx.exchange.get(SYSTEM, id)).timelines[0]!.statuses;
      assert.deepEqual(statuses.map((x) => x.code), ["01", "02"]);
      return statuses[1]!.description ?? "";
    };
    // From another agency for the same dossier (in its own name, or in the ministry's): refused.
    assert.match(await refusedWith(await result(finance.code, s.place.justice, { ...approval, agency: { code: finance.code, name: finance.name } })), new RegExp(`gửi tới ${ministry.code}`));
    assert.match(await refusedWith(await result(finance.code, s.place.justice, approval)), new RegExp(`gửi tới ${ministry.code}`));
    // From the ministry, speaking for another agency: refused (the control sheet would name that one).
    assert.match(await refusedWith(await result(ministry.code, s.place.justice, { ...approval, agency: { code: finance.code, name: finance.name } })), /nhân danh/);
    // From the ministry, to an agency of the origin other than the one that sent the request: refused.
    assert.match(await refusedWith(await result(ministry.code, s.place.centre, approval)), new RegExp(`do ${s.place.justice} gửi`));
    // From the ministry, answering some other document: refused.
    assert.match(await refusedWith(await result(ministry.code, s.place.justice, approval, [{ ...answering[0]!, documentId: `${s.place.justice},2026/12/06,999/HSLT` }])), /không trả lời/);
    // The origin still waits for the ministry; its step closed by none of them.
    const waiting = await env.ctx.dossiers.get(as("specialist"), d.id);
    assert.equal(waiting.step?.key, "quyet-dinh");
    assert.deepEqual(waiting.interAgency, { awayAgencyCode: ministry.code, from: null });
    // The ministry's own result, answering the request: the origin goes on, with the minister's name.
    const mine = (await Promise.all((await takenIn()).map((x) => env.ctx.dossiers.get(as("minister"), x.id)))).find((x) => x.interAgency?.from?.dossierCode === d.code)!;
    await env.ctx.dossiers.act(as("minister"), mine.id, "refuse", { reason: "Chưa đủ căn cứ" });
    await drain(env.ctx);
    const back = await env.ctx.dossiers.get(as("specialist"), d.id);
    assert.equal(back.step?.key, "tham-dinh");
    assert.match(back.history.at(-1)!.note ?? "", /Chưa đủ căn cứ/);
  });
});

// The default decision (no `elsewhere` option): a step leaves when the exchange delivers to its agency remotely.
// With a hub configured, a ministry this node's directory lists whose certificate is registered here (and which has
// no key here) is elsewhere, reached through the hub with no peer entry; a peer covering it comes first; with neither,
// or with no hub and no peer, the step stays on this node.
describe("which steps leave for another node (the exchange's route)", () => {
  const HUB = "https://truc.example.gov.vn";
  const PEER = "https://bo.example.gov.vn";
  const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  const cli = { type: "cli", name: "test" } as const;

  async function node(hubUrl: string | null) {
    const delivered: Array<{ nodeUrl: string; to: string | undefined; subject: string }> = [];
    const transport: RemoteTransport = {
      deliver: async (peer, message, _from, to) => {
        delivered.push({ nodeUrl: peer.nodeUrl, to, subject: message.kind === "document" ? message.header.subject : "" });
        return { accepted: true };
      },
    };
    const env = await testContext({ config: { exchange: { ...loadConfig({}).exchange, hubUrl } }, options: { exchange: { transport, backoff: () => 0, maxAttempts: 2 } } });
    const s = await dossierSetting(env.ctx);
    const ministry = await buildAgency(env.ctx, { name: "Bộ Tư pháp", kind: "ministry", departments: [] });
    await env.ctx.exchangeKeys.generate(cli, { agencyCode: s.place.justice });
    const procedure = await publishProcedures(
      env.ctx,
      buildInteragencyProcedure(s.place, ministry.code, "Quyết định liên thông qua trục", "Bộ trưởng ký quyết định"),
    );
    /** A dossier forwarded to the ministry's step; the outbox run; where its package went (if it left). */
    const forward = async () => {
      const filed = await fileDossier(env.ctx, s, procedure, { stage: "received" });
      const d = await env.ctx.dossiers.act(actorOf(env.ctx, s.cast.specialist), filed.id, "forward", { note: "Trình Bộ trưởng" });
      await drain(env.ctx);
      return { d, sent: delivered.filter((x) => x.subject.includes(d.code!)) };
    };
    const trustMinistry = async () => {
      await env.ctx.exchangeKeys.trust(cli, { agencyCode: ministry.code, certificatePem: await foreignCertificate(ministry.code, ministry.name) });
    };
    const peerMinistry = () => env.ctx.exchange.setPeer(cli, { agencyCode: ministry.code, name: "Nút Bộ Tư pháp", nodeUrl: PEER, certificate: CERT });
    return { env, s, ministry, forward, trustMinistry, peerMinistry };
  }

  it("with a hub: a listed agency that signs elsewhere is reached through the hub without a peer entry; a peer comes first", async () => {
    const n = await node(HUB);
    try {
      // Its certificate not registered: an agency of this node, the step stays here (with the ministry's officers).
      const here = await n.forward();
      assert.equal(here.d.interAgency, null);
      assert.equal(here.d.processingAgencyCode, n.ministry.code);
      assert.deepEqual(here.sent, []);
      // Registered (it signs on another node): the step leaves, through the hub.
      await n.trustMinistry();
      const viaHub = await n.forward();
      assert.deepEqual(viaHub.d.interAgency, { awayAgencyCode: n.ministry.code, from: null });
      assert.equal(viaHub.d.processingAgencyCode, n.s.place.justice);
      assert.deepEqual(viaHub.sent.map((x) => [x.nodeUrl, x.to]), [[HUB, n.ministry.code]]);
      // A peer entry covering it takes precedence over the hub.
      await n.peerMinistry();
      const viaPeer = await n.forward();
      assert.deepEqual(viaPeer.d.interAgency, { awayAgencyCode: n.ministry.code, from: null });
      assert.deepEqual(viaPeer.sent.map((x) => [x.nodeUrl, x.to]), [[PEER, n.ministry.code]]);
    } finally {
      await n.env.close();
    }
  });

  it("without a hub: only a peer entry makes the agency elsewhere", async () => {
    const n = await node(null);
    try {
      await n.trustMinistry();
      const here = await n.forward();
      assert.equal(here.d.interAgency, null);
      assert.equal(here.d.processingAgencyCode, n.ministry.code);
      assert.deepEqual(here.sent, []);
      await n.peerMinistry();
      const viaPeer = await n.forward();
      assert.deepEqual(viaPeer.d.interAgency, { awayAgencyCode: n.ministry.code, from: null });
      assert.deepEqual(viaPeer.sent.map((x) => [x.nodeUrl, x.to]), [[PEER, n.ministry.code]]);
    } finally {
      await n.env.close();
    }
  });
});
