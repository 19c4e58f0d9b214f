// Document exchange between real nodes (issue 16, items 2, 3 and 8): three `motcua start` processes on 127.0.0.1 —
// A and B, and a hub H — each with its own PostgreSQL database and data directory, exchanging signed edXML over HTTP.
// A ↔ B directly (a PDF arrives once, the 01 comes back at once, B's 03/04/06 reach A's timeline); B stopped while
// A sends three documents, which arrive exactly once and in order when it is back; a document signed with a key not
// registered for its sender, and one whose attachment was changed in transit, refused with B's signed 02 and
// audited on B; A → H → B through the hub, which appends its TraceHeader without breaking the sender's signature.
// The test's own contexts on each database act as the operators and officers (keys, trust, peers, sending).
// (A status B cannot deliver — about a document A never sent — would hold back B's later messages to A, in order.)
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { sql } from "../src/platform/db/index.ts";
import type { ProcedureContent } from "../src/modules/catalog/index.ts";
import type { AgencyDto } from "../src/modules/directory/index.ts";
import type { DossierDto } from "../src/modules/dossiers/index.ts";
import { actorOf, buildInteragencyProcedure, deciderCopy, type DossierSetting, dossierSetting, fileDossier, multipart, PDF as DOSSIER_PDF, publishProcedures } from "../src/modules/dossiers/testing.ts";
import type { TestAccount } from "../src/modules/identity/testing.ts";
import { buildAgency } from "../src/modules/directory/testing.ts";
import { buildEdxml, type EdxmlDocument, parseEdxml } from "../src/modules/exchange/edxml/index.ts";
import { copyById } from "../src/modules/exchange/repo.ts";
import { PDF } from "../src/modules/exchange/testing.ts";
import { type Site as BaseSite, exchangeSite, ministryAcross, removeSites } from "./helpers/sites.ts";
import { eventually, startNode } from "./helpers/cluster.ts";
import { freePort } from "./helpers/net.ts";

const cli = { type: "cli", name: "test" } as const;
const HUB_CODE = "000.00.00.G22";

interface Site extends BaseSite {
  root: AgencyDto;
  unit: AgencyDto;
}

/** A node with a council and one unit of its own in its directory. */
async function site(name: string, port: number, extra: Record<string, string> = {}): Promise<Site> {
  const base = await exchangeSite(name, port, extra);
  const root = await buildAgency(base.ctx, { name: `Ủy ban nhân dân nút ${name}` });
  const unit = await buildAgency(base.ctx, { parent: root, name: `Sở Nội vụ nút ${name}`, kind: "specialised_agency" });
  return { ...base, root, unit };
}

describe("document exchange between nodes", () => {
  let A: Site;
  let B: Site;
  let H: Site;
  const sites = () => [A, B, H].filter(Boolean);
  /** The inter-agency case: A's province (centre, Justice and their officers), the ministry on B and its minister. */
  let s: DossierSetting;
  let ministry: AgencyDto;
  let minister: TestAccount;
  let procedure: ProcedureContent;

  before(async () => {
    const [pa, pb, ph] = [await freePort(), await freePort(), await freePort()];
    H = await site("H", ph, { MOTCUA_EXCHANGE_HUB: HUB_CODE });
    A = await site("A", pa, { MOTCUA_EXCHANGE_HUB_URL: H.url });
    B = await site("B", pb, { MOTCUA_EXCHANGE_HUB_URL: H.url });
    // Keys from each node's development CA; each side registers the other's certificate (and the hub both).
    const certA = (await A.ctx.exchangeKeys.generate(cli, { agencyCode: A.unit.code })).certificatePem;
    const certB = (await B.ctx.exchangeKeys.generate(cli, { agencyCode: B.unit.code })).certificatePem;
    await B.ctx.exchangeKeys.trust(cli, { agencyCode: A.unit.code, certificatePem: certA });
    await A.ctx.exchangeKeys.trust(cli, { agencyCode: B.unit.code, certificatePem: certB });
    for (const [code, pem] of [[A.unit.code, certA], [B.unit.code, certB]] as const) await H.ctx.exchangeKeys.trust(cli, { agencyCode: code, certificatePem: pem });
    await A.ctx.exchange.setPeer(cli, { agencyCode: B.root.code, name: "Nút B", nodeUrl: B.url, certificate: certB });
    await B.ctx.exchange.setPeer(cli, { agencyCode: A.root.code, name: "Nút A", nodeUrl: A.url, certificate: certA });
    await H.ctx.exchange.setPeer(cli, { agencyCode: A.root.code, name: "Nút A", nodeUrl: A.url, certificate: certA });
    // Một cửa liên thông through the hub (issue 16, item 6): a procedure of A's province has a step at a ministry on B.
    // A's directory lists the ministry by its national code and A registers its certificate, with no peer entry:
    // it signs elsewhere, so A reaches it through H. B knows A's Justice only by its certificate; H routes both.
    s = await dossierSetting(A.ctx);
    const across = await ministryAcross(A, B, s);
    ({ ministry, minister } = across);
    const { certJustice, certMinistry } = across;
    for (const [code, pem] of [[s.place.justice, certJustice], [ministry.code, certMinistry]] as const) await H.ctx.exchangeKeys.trust(cli, { agencyCode: code, certificatePem: pem });
    await H.ctx.exchange.setPeer(cli, { agencyCode: s.place.province, name: "Nút tỉnh", nodeUrl: A.url, certificate: certJustice });
    await H.ctx.exchange.setPeer(cli, { agencyCode: ministry.code, name: "Nút Bộ Tư pháp", nodeUrl: B.url, certificate: certMinistry });
    procedure = await publishProcedures(
      A.ctx,
      buildInteragencyProcedure(s.place, ministry.code, "Quyết định liên thông qua trục"),
    );
    await publishProcedures(B.ctx, deciderCopy(procedure, ministry.code));
    await Promise.all(sites().map(async (s) => (s.node = await startNode("start", s.env, { port: s.port }))));
  });

  after(() => removeSites(sites()));

  const send = async (from: Site, to: string, subject: string) =>
    from.ctx.exchange.send(cli, { from: from.unit.code, to: [to], subject, notation: "SNV-VP", signer: { fullName: "Nguyễn Văn Ký" }, files: [await from.ctx.exchange.storeFile(PDF, "cong-van.pdf")] });
  const timeline = async (s: Site, id: string) => (await s.ctx.exchange.get(cli, id)).timelines[0]!;
  const inbox = async (s: Site, q?: string) => (await s.ctx.exchange.list(cli, { box: "in", agency: s.unit.code, pageSize: 100, ...(q ? { q } : {}) })).items;
  const output = () => sites().map((s) => `--- ${s.name}\n${s.node?.output() ?? ""}`).join("\n");

  it("A → B directly: the PDF arrives once, B's 01 comes back at once, its 03, 04 and 06 reach A's timeline", async () => {
    const id = await send(A, B.unit.code, "Về việc báo cáo số liệu quý IV trực tiếp");
    await eventually(async () => (await timeline(A, id)).delivery === "delivered", `delivered A → B\n${output()}`);
    // B's 01 came back as the answer to the POST: on the timeline as it is marked delivered.
    assert.deepEqual((await timeline(A, id)).statuses.map((x) => x.code), ["01"]);
    const [copy, ...more] = await inbox(B, "quy IV truc tiep");
    assert.equal(more.length, 0);
    const doc = await B.ctx.exchange.get(cli, copy!.id);
    assert.equal(doc.sender.code, A.unit.code);
    const file = await B.ctx.exchange.file(cli, copy!.id, doc.files[0]!.sha256);
    const chunks: Buffer[] = [];
    for await (const c of file.stream) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), PDF);
    // The signed edXML, byte for byte the same with both copies: the evidence of what was sent, which B verifies.
    const sent = await A.ctx.exchange.get(cli, id);
    assert.ok(doc.signedEdxml);
    assert.equal(doc.signedEdxml, sent.signedEdxml);
    let xml = "";
    for await (const c of (await B.ctx.exchange.file(cli, copy!.id, doc.signedEdxml)).stream) xml += (c as Buffer).toString("utf8");
    assert.equal((await B.ctx.exchangeKeys.verifyIncoming(xml, A.unit.code)).ok, true);
    await B.ctx.exchange.answer(cli, copy!.id, { code: "03" });
    await B.ctx.exchange.answer(cli, copy!.id, { code: "04", department: "van-phong" });
    await B.ctx.exchange.answer(cli, copy!.id, { code: "06", description: "Đã xử lý xong" });
    const codes = async () => (await timeline(A, id)).statuses.map((x) => x.code).join(",");
    await eventually(async () => (await codes()) === "01,03,04,06", `A's timeline has B's 03, 04, 06 (${await codes()})\n${output()}`);
  });

  it("B stopped while A sends three documents: they wait, then arrive exactly once and in order", async () => {
    await B.node!.stop();
    const ids: string[] = [];
    for (const n of ["một", "hai", "ba"]) ids.push(await send(A, B.unit.code, `Văn bản gửi khi nút B dừng số ${n}`));
    await eventually(async () => (await timeline(A, ids[0]!)).attempts >= 2, "A retries the first");
    const first = await timeline(A, ids[0]!);
    assert.equal(first.delivery, "pending");
    assert.match(first.lastError ?? "", /cannot be reached/);
    // The others wait behind it (one sender–recipient pair, in order).
    assert.equal((await timeline(A, ids[2]!)).attempts, 0);
    B.node = await startNode("start", B.env, { port: B.port });
    await eventually(async () => (await Promise.all(ids.map((id) => timeline(A, id)))).every((t) => t.delivery === "delivered"), `all three delivered\n${output()}`);
    const got = (await inbox(B, "khi nut B dung")).sort((x, y) => x.registerNumber - y.registerNumber);
    assert.deepEqual(got.map((d) => d.subject.split(" ").at(-1)), ["một", "hai", "ba"]);
    // The first's job took the two queued behind it in the same request (/exchange/inbox/batch): theirs never ran.
    const runs = await A.database.rows<{ copy_id: string; attempts: number; status: string }>(
      sql`SELECT o.copy_id, j.attempts, j.status FROM exchange_outbox o JOIN jobs j ON j.id = o.job_id WHERE o.copy_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`,
    );
    const [ran, ...took] = ids.map((id) => runs.find((r) => r.copy_id === id));
    assert.ok(ran?.status === "done" && ran.attempts >= 2);
    assert.deepEqual(took.map((r) => [r?.status, r?.attempts]), [["done", 0], ["done", 0]]);
  });

  it("a document signed with a key not registered for its sender is refused (no agency-signed answer to a stranger), audited on B", async () => {
    const stranger = await buildAgency(A.ctx, { parent: A.root, name: "Sở Tư pháp nút A", kind: "specialised_agency" });
    await A.ctx.exchangeKeys.generate(cli, { agencyCode: stranger.code });
    const id = await A.ctx.exchange.send(cli, { from: stranger.code, to: [B.unit.code], subject: "Văn bản ký bằng khóa lạ", notation: "STP-VP", signer: { fullName: "A" }, files: [await A.ctx.exchange.storeFile(PDF, "a.pdf")] });
    await eventually(async () => (await timeline(A, id)).delivery === "undelivered", `refused\n${output()}`);
    const t = await timeline(A, id);
    // B answers 400 with the reason, unsigned: a signed 02 goes only to a message signed by its sender's registered
    // key, so nobody can collect agency-signed answers by posting unsigned or strangers' documents.
    assert.deepEqual(t.statuses.map((x) => x.code), []);
    assert.match(t.lastError ?? "", /untrusted_certificate/);
    assert.equal(t.attempts, 1);
    assert.deepEqual(await inbox(B, "khoa la"), []);
    const audit = await B.database.rows<{ subject_id: string }>(sql`SELECT subject_id FROM audit_log WHERE action = 'exchange.signature_refused'`);
    assert.ok(audit.some((r) => r.subject_id === stranger.code));
  });

  it("a signed document whose attachment changed in transit is refused with 02; the genuine one is stored once", async () => {
    // The edXML of a document A sent, as A's node builds it, posted again by hand.
    const id = await send(A, B.unit.code, "Văn bản gửi lại thẳng vào hộp thư đến");
    await eventually(async () => (await timeline(A, id)).delivery === "delivered", `delivered\n${output()}`);
    const row = (await copyById(A.database.db, id))!;
    const doc: EdxmlDocument = {
      kind: "document",
      header: row.header,
      traces: [{ organId: A.unit.code, timestamp: "2026/12/06 09:00:00" }],
      bussiness: row.bussiness,
      attachments: row.attachments.map((a) => ({ contentId: a.contentId, contentType: a.contentType, attachmentName: a.attachmentName, content: new Uint8Array(PDF) })),
    };
    const signed = await A.ctx.exchangeKeys.signOutgoing(buildEdxml(doc), A.unit.code);
    const post = (body: string) => fetch(`${B.url}/exchange/inbox?to=${B.unit.code}`, { method: "POST", headers: { "content-type": "application/xml" }, body });
    const forged = Buffer.from(PDF.toString("latin1").replace("Catalog", "Katalog"), "latin1").toString("base64");
    const tampered = signed.replace(PDF.toString("base64"), forged);
    assert.notEqual(tampered, signed);
    const refused = await post(tampered);
    assert.equal(refused.status, 422);
    const answer = await refused.text();
    const status = parseEdxml(answer);
    assert.ok(status.kind === "status" && status.statusCode === "02" && /digest_mismatch/.test(status.description ?? ""), answer);
    assert.equal((await A.ctx.exchangeKeys.verifyIncoming(answer, B.unit.code)).ok, true);
    const malformed = await post(signed.replace("<edXML:Subject>", "<edXML:Subject><x>"));
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { code: string } }).error.code, "exchange.edxml_malformed");
    for (let i = 0; i < 2; i++) assert.equal((await post(signed)).status, 200);
    assert.equal((await inbox(B, "gui lai thang vao hop thu")).length, 1);

    // Several at once (/exchange/inbox/batch), each taken as the inbox takes it, in order, until one is not taken.
    const another = async (n: string) => {
      const code = { ...row.header.code, codeNumber: n };
      const header = { ...row.header, code, subject: `Văn bản gửi theo lô số ${n}`, documentId: `${A.unit.code},${row.header.promulgationInfo.promulgationDate},${n}/${code.codeNotation}` };
      return A.ctx.exchangeKeys.signOutgoing(buildEdxml({ ...doc, header }), A.unit.code);
    };
    const [first, last] = [await another("9001"), await another("9002")];
    const batch = (messages: string[]) => fetch(`${B.url}/exchange/inbox/batch?to=${B.unit.code}`, { method: "POST", headers: { "content-type": "application/json", "x-motcua-takes-answer": "1" }, body: JSON.stringify({ messages }) });
    const res = await batch([first, tampered, last]);
    assert.equal(res.status, 200);
    const { answers } = (await res.json()) as { answers: Array<{ status: number; body: string }> };
    assert.deepEqual(answers.map((a) => a.status), [200, 422]);
    const ok = parseEdxml(answers[0]!.body);
    assert.ok(ok.kind === "status" && ok.statusCode === "01" && ok.responseFor.documentId.endsWith(",9001/SNV-VP"), answers[0]!.body);
    assert.match(answers[1]!.body, /digest_mismatch/);
    // The one after the refused one was not taken; sent again, it is.
    assert.deepEqual((await inbox(B, "gui theo lo")).map((d) => d.subject), ["Văn bản gửi theo lô số 9001"]);
    const again = await batch([first, last]);
    assert.deepEqual(((await again.json()) as { answers: Array<{ status: number }> }).answers.map((a) => a.status), [200, 200]);
    assert.equal((await inbox(B, "gui theo lo")).length, 2);
    // The first not taken: the answer is the inbox's own for it.
    const bad = await batch([signed.replace("<edXML:Subject>", "<edXML:Subject><x>"), last]);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, "exchange.edxml_malformed");
    assert.equal((await batch([tampered])).status, 422);
    const empty = await batch([""]);
    assert.equal(empty.status, 400, "an empty message is the inbox's malformed edXML, as a body with nothing in it");
    assert.equal(((await empty.json()) as { error: { code: string } }).error.code, "exchange.edxml_malformed");
  });

  it("A → H → B through the hub: H appends its TraceHeader, B verifies A's signature, B's statuses come back", async () => {
    // A proxy between H and B keeps what H routes onward.
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        seen.push(body);
        void fetch(`${B.url}${req.url}`, { method: "POST", headers: { "content-type": "application/xml" }, body }).then(async (r) => {
          res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/xml" });
          res.end(await r.text());
        });
      });
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      await H.ctx.exchange.setPeer(cli, { agencyCode: B.root.code, name: "Nút B", nodeUrl: proxyUrl, certificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" });
      // No peer of A covers B any more, nor of B covers A: each hands the other's messages to the hub.
      await A.ctx.exchange.removePeer(cli, B.root.code);
      await B.ctx.exchange.removePeer(cli, A.root.code);
      const id = await send(A, B.unit.code, "Văn bản chuyển qua trục trung gian");
      await eventually(async () => (await timeline(A, id)).statuses.some((x) => x.code === "01"), `delivered through H\n${output()}`);
      const [copy] = await inbox(B, "truc trung gian");
      assert.ok(copy);
      const routed = seen.map((x) => parseEdxml(x)).find((m) => m.kind === "document" && m.header.subject === "Văn bản chuyển qua trục trung gian");
      assert.deepEqual(routed?.traces.map((t) => t.organId), [A.unit.code, HUB_CODE]);
      await B.ctx.exchange.answer(cli, copy.id, { code: "03" });
      const codes = async () => (await timeline(A, id)).statuses.map((x) => x.code).join(",");
      await eventually(async () => (await codes()) === "01,03", `B's 03 back through H (${await codes()})\n${output()}`);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it("an inter-agency dossier A → H → B and its result back, with no peer entry for the ministry on A", async () => {
    // A reaches the ministry only through the hub: no peer of A covers it.
    const route = await A.ctx.exchange.route(ministry.code);
    assert.equal(route.kind === "remote" && route.peer.nodeUrl, H.url);
    const minister$ = async <T>(method: "GET" | "POST", url: string, body?: unknown): Promise<T> => {
      const init: RequestInit = { method, headers: { authorization: `Bearer ${await minister.token()}`, ...(body === undefined ? {} : { "content-type": "application/json" }) } };
      if (body !== undefined) init.body = JSON.stringify(body);
      const res = await fetch(`${B.url}${url}`, init);
      const text = await res.text();
      assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
      return JSON.parse(text) as T;
    };
    const queued = async (code: string) => {
      const page = await minister$<{ items: Array<{ id: string }> }>("GET", `/api/office/dossiers?queue=processing&pageSize=100`);
      return (await Promise.all(page.items.map((d) => minister$<DossierDto>("GET", `/api/dossiers/${d.id}`)))).filter((d) => d.interAgency?.from?.dossierCode === code);
    };
    const filed = await fileDossier(A.ctx, s, procedure, { stage: "received" });
    const d = await A.ctx.dossiers.act(actorOf(A.ctx, s.cast.specialist), filed.id, "forward", { note: "Trình Bộ trưởng" });
    assert.deepEqual(d.interAgency, { awayAgencyCode: ministry.code, from: null });
    assert.equal(d.processingAgencyCode, s.place.justice);
    const [request] = (await A.ctx.exchange.list(cli, { box: "out", agency: s.place.justice, q: d.code!, pageSize: 100 })).items;
    assert.ok(request);
    await eventually(async () => (await queued(d.code!)).length === 1, `taken into the ministry's queue on B\n${output()}`);
    const [mine] = await queued(d.code!);
    assert.deepEqual(mine!.interAgency?.from, { dossierCode: d.code, agencyCode: s.place.justice, agencyName: s.agencies.justice.name });
    // The package came through H: its TraceHeader follows Justice's in what B received and verified.
    const [copy] = (await B.ctx.exchange.list(cli, { box: "in", agency: ministry.code, q: d.code!, pageSize: 100 })).items;
    const received = await B.ctx.exchange.get(cli, copy!.id);
    assert.ok(received.signedEdxml);
    let xml = "";
    for await (const c of (await B.ctx.exchange.file(cli, copy!.id, received.signedEdxml)).stream) xml += (c as Buffer).toString("utf8");
    const arrived = parseEdxml(xml);
    assert.deepEqual(arrived.kind === "document" ? arrived.traces.map((t) => t.organId) : [], [s.place.justice, HUB_CODE]);
    // The minister finishes with a decision through B's API; the result goes back through H and A's dossier goes on.
    const { payload, headers } = multipart({ component: "result" }, { name: "quyet-dinh.pdf", type: "application/pdf", bytes: DOSSIER_PDF });
    const res = await fetch(`${B.url}/api/dossiers/${mine!.id}/attachments`, { method: "POST", body: new Uint8Array(payload), headers: { ...headers, authorization: `Bearer ${await minister.token()}` } });
    const file = (await res.json()) as { id: string };
    assert.equal(res.status, 201, JSON.stringify(file));
    const done = await minister$<DossierDto>("POST", `/api/dossiers/${mine!.id}/actions/finish`, { resultFileId: file.id });
    const origin = () => A.ctx.dossiers.get(actorOf(A.ctx, s.cast.receiver), d.id);
    await eventually(async () => (await origin()).step?.key === "tra-ket-qua", `A's dossier goes on\n${output()}`);
    const back = await origin();
    assert.equal(back.interAgency, null);
    assert.equal(back.steps.find((x) => x.stepKey === "quyet-dinh")!.doneAt, done.finishedAt);
    assert.equal(back.attachments.find((f) => f.kind === "result")!.sha256, done.attachments.find((f) => f.kind === "result")!.sha256);
    await eventually(async () => (await timeline(A, request.id)).statuses.map((x) => x.code).join() === "01,03,06", `the request's 06 reaches A through H\n${output()}`);
  });
});
