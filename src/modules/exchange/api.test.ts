// The exchange over HTTP and the CLI (docs/API.md, "Exchange (edXML)"; issue 16, item 5): an officer sends through
// the API, the recipient answers through it, another agency's officer gets 404; peers post to /exchange/inbox
// through the injected decoder (none by default: refused); `motcua exchange send` and `inbox`.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCommand } from "../../cli/commands.ts";
import { systemActor } from "../../platform/auth/actor.ts";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { TestAccount } from "../identity/testing.ts";
import type { EdxmlMessage, EdxmlStatus } from "./edxml/model.ts";
import { type InboxDecoder, TAKES_ANSWER_HEADER } from "./model.ts";
import { outboxOfCopy } from "./repo.ts";
import { drain, exchangeSetting, type ExchangeSetting, PDF } from "./testing.ts";

const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

/** A stand-in for the codec and signing: the "XML" is JSON naming its signer. */
const jsonDecoder: InboxDecoder = {
  async decode(xml) {
    const { message, signer } = JSON.parse(xml) as { message: EdxmlMessage; signer: string };
    return { message, signer };
  },
  async answer(answer) {
    return `<answer accepted="${answer.accepted}"/>`;
  },
};

describe("exchange API and CLI", () => {
  let env: TestEnv & { app: App };
  let s: ExchangeSetting;
  let decoder: InboxDecoder | null = null;
  before(async () => {
    env = await testApp({
      options: { exchange: { backoff: () => 0, maxAttempts: 2, decoder: { decode: (x, p) => (decoder ?? jsonDecoder).decode(x, p), answer: (a, m) => (decoder ?? jsonDecoder).answer(a, m) } } },
    });
    s = await exchangeSetting(env.ctx);
  });
  after(() => env.close());
  const call = async (who: TestAccount | null, method: "GET" | "POST", url: string, payload?: object) =>
    env.app.inject({ method, url, headers: who ? { authorization: `Bearer ${await who.token()}` } : {}, ...(payload ? { payload } : {}) });

  it("sends, lists, reads and answers documents over the API; another agency's officer gets 404", async () => {
    const { clerkA, clerkB, leaderB, outsider } = s.cast;
    const sent = await call(clerkA, "POST", "/api/exchange/messages", {
      to: [s.recipient.code],
      subject: "Về việc cử cán bộ dự hội nghị",
      notation: "SNV-TCCB",
      signer: { fullName: "Trần Thị Ký", position: "Phó Giám đốc" },
      dueDate: "2026-12-31",
      files: [{ name: "giay-moi.pdf", contentBase64: PDF.toString("base64") }],
    });
    assert.equal(sent.statusCode, 201, sent.body);
    const { id } = sent.json() as { id: string };
    // A file whose base64 is not canonical (a character outside the alphabet, a group cut short, pad bits set) is
    // refused, naming the file; an empty one too.
    const good = { name: "giay-moi.pdf", contentBase64: PDF.toString("base64") };
    for (const contentBase64 of ["JVBE*i0x", "JVBERi0", "aGl=", ""]) {
      const bad = await call(clerkA, "POST", "/api/exchange/messages", { to: [s.recipient.code], subject: "Tệp hỏng", notation: "SNV-TCCB", signer: { fullName: "Trần Thị Ký" }, files: [good, { name: "hong.pdf", contentBase64 }] });
      assert.equal(bad.statusCode, 400, `${JSON.stringify(contentBase64)}: ${bad.body}`);
      assert.deepEqual(bad.json().error.fields.map((f: { path: string }) => f.path), ["/files/1/contentBase64"]);
    }
    assert.equal((await call(outsider, "GET", `/api/exchange/messages/${id}`)).statusCode, 404);
    assert.equal((await call(clerkB, "GET", `/api/exchange/messages/${id}`)).statusCode, 404);
    await drain(env.ctx);

    const inbox = await call(clerkB, "GET", "/api/exchange/messages?box=in&q=hoi nghi");
    assert.equal(inbox.statusCode, 200);
    const [copy] = (inbox.json() as { items: Array<{ id: string; state: string; lastStatus: string }> }).items;
    assert.equal(copy?.state, "received");
    assert.equal(copy?.lastStatus, "01");
    assert.deepEqual((await call(outsider, "GET", "/api/exchange/messages?box=in&q=hoi nghi")).json(), { items: [], page: 1, pageSize: 20, hasMore: false });
    assert.equal((await call(outsider, "GET", `/api/exchange/messages/${copy!.id}`)).statusCode, 404);
    assert.equal((await call(outsider, "POST", `/api/exchange/messages/${copy!.id}/status`, { code: "03" })).statusCode, 404);

    const full = (await call(clerkB, "GET", `/api/exchange/messages/${copy!.id}`)).json() as { files: Array<{ sha256: string }>; dueDate: string };
    assert.equal(full.dueDate, "2026/12/31");
    const file = await call(clerkB, "GET", `/api/exchange/messages/${copy!.id}/files/${full.files[0]!.sha256}`);
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload, PDF);
    assert.equal((await call(outsider, "GET", `/api/exchange/messages/${copy!.id}/files/${full.files[0]!.sha256}`)).statusCode, 404);

    const accepted = await call(clerkB, "POST", `/api/exchange/messages/${copy!.id}/status`, { code: "03" });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal((accepted.json() as { state: string }).state, "accepted");
    assert.equal((await call(clerkB, "POST", `/api/exchange/messages/${copy!.id}/status`, { code: "03" })).statusCode, 409);
    assert.equal((await call(clerkB, "POST", `/api/exchange/messages/${copy!.id}/status`, { code: "01" })).statusCode, 400);
    const assigned = await call(leaderB, "POST", `/api/exchange/messages/${copy!.id}/status`, { code: "04", department: "van-phong", assigneeId: s.cast.specialistB.id, due: "2026-12-20" });
    assert.equal(assigned.statusCode, 200, assigned.body);
    await drain(env.ctx);
    const out = (await call(clerkA, "GET", `/api/exchange/messages/${id}`)).json() as { timelines: Array<{ delivery: string; statuses: Array<{ code: string }> }> };
    assert.equal(out.timelines[0]!.delivery, "delivered");
    assert.deepEqual(out.timelines[0]!.statuses.map((x) => x.code), ["01", "03", "04"]);
    const outbox = (await call(clerkA, "GET", "/api/exchange/messages?box=out")).json() as { items: Array<{ id: string; lastStatus: string }> };
    assert.equal(outbox.items.find((d) => d.id === id)?.lastStatus, "04");

    const recalled = await call(clerkA, "POST", `/api/exchange/messages/${id}/recall`, { reason: "Đổi thời gian hội nghị" });
    assert.equal(recalled.statusCode, 200, recalled.body);
    assert.equal((recalled.json() as { state: string }).state, "recalled");
  });

  it("takes a peer's status message through the decoder at /exchange/inbox, and refuses one signed by another", async () => {
    const REMOTE = "000.00.00.H98";
    await env.ctx.exchange.setPeer(systemActor("test"), { agencyCode: REMOTE, name: "Nút H98", nodeUrl: "https://h98.example.gov.vn", certificate: CERT });
    const UNIT = "000.00.21.H98";
    const id = await env.ctx.exchange.send({ type: "cli", name: "test" }, { from: s.sender.code, to: [UNIT], subject: "Gửi tỉnh bạn", notation: "SNV-VP", signer: { fullName: "A" }, files: [await env.ctx.exchange.storeFile(PDF, "a.pdf")] });
    const d = await env.ctx.exchange.get({ type: "cli", name: "test" }, id);
    const status: EdxmlStatus = {
      kind: "status",
      responseFor: { organId: s.sender.code, code: `${d.codeNumber}/${d.codeNotation}`, promulgationDate: d.promulgationDate, documentId: d.documentId },
      from: { organId: UNIT, organName: "Sở bạn" },
      statusCode: "01",
      timestamp: "2026/12/06 09:00:00",
      traces: [],
    };
    const post = (body: unknown) => env.app.inject({ method: "POST", url: "/exchange/inbox", headers: { "content-type": "application/xml" }, payload: JSON.stringify(body) });
    const forged = await post({ message: status, signer: "000.00.22.H98" });
    assert.equal(forged.statusCode, 400);
    assert.equal((forged.json() as { error: { code: string } }).error.code, "exchange.inbox_refused");
    const ok = await post({ message: status, signer: UNIT });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.body, '<answer accepted="true"/>');
    assert.equal((await post({ message: status, signer: UNIT })).statusCode, 200);
    const t = (await env.ctx.exchange.get({ type: "cli", name: "test" }, id)).timelines[0]!;
    assert.deepEqual(t.statuses.map((x) => [x.code, x.at]), [["01", "2026-12-06T02:00:00.000Z"]]);
    // A 03 given in the same second as the 01 and come first (the 01 rides in the delivery's answer, the 03 on its
    // own): the timeline keeps their life's order.
    const id2 = await env.ctx.exchange.send({ type: "cli", name: "test" }, { from: s.sender.code, to: [UNIT], subject: "Gửi tỉnh bạn lần hai", notation: "SNV-VP", signer: { fullName: "A" }, files: [await env.ctx.exchange.storeFile(PDF, "a.pdf")] });
    const d2 = await env.ctx.exchange.get({ type: "cli", name: "test" }, id2);
    const about = { organId: s.sender.code, code: `${d2.codeNumber}/${d2.codeNotation}`, promulgationDate: d2.promulgationDate, documentId: d2.documentId };
    assert.equal((await post({ message: { ...status, responseFor: about, statusCode: "03", timestamp: "2026/12/06 09:05:00" }, signer: UNIT })).statusCode, 200);
    assert.equal((await post({ message: { ...status, responseFor: about, timestamp: "2026/12/06 09:05:00" }, signer: UNIT })).statusCode, 200);
    assert.deepEqual((await env.ctx.exchange.get({ type: "cli", name: "test" }, id2)).timelines[0]!.statuses.map((x) => x.code), ["01", "03"]);
    // Without a decoder, nothing a peer posts is accepted.
    decoder = { decode: () => Promise.reject(new Error("x")), answer: () => Promise.reject(new Error("x")) };
    const { NO_DECODER } = await import("./routes.ts");
    decoder = NO_DECODER;
    const refused = await post({ message: status, signer: UNIT });
    assert.equal(refused.statusCode, 400);
    assert.equal((refused.json() as { error: { code: string } }).error.code, "exchange.inbox_refused");
    decoder = null;
  });

  it("answers a peer's document at /exchange/inbox with its 01, kept on the outbox as delivered and not sent again when the sender says it takes it; delivered again, the same 01", async () => {
    const REMOTE = "000.00.00.H96";
    const UNIT = "000.00.21.H96";
    await env.ctx.exchange.setPeer(systemActor("test"), { agencyCode: REMOTE, name: "Nút H96", nodeUrl: "https://h96.example.gov.vn", certificate: CERT });
    const documentId = `${UNIT},2026/12/06,7/SBH-VP`;
    const doc: EdxmlMessage = {
      kind: "document",
      header: {
        from: { organId: UNIT, organName: "Sở bạn H96" },
        to: [{ organId: s.recipient.code, organName: s.recipient.name }],
        code: { codeNumber: "7", codeNotation: "SBH-VP" },
        promulgationInfo: { place: "H96", promulgationDate: "2026/12/06" },
        documentType: { type: 5, typeName: "Công văn" },
        subject: "Văn bản của tỉnh bạn qua trục",
        signerInfo: { fullName: "Lê Văn Ký" },
        toPlaces: [s.recipient.name],
        responseFor: [],
        documentId,
      },
      traces: [],
      bussiness: { bussinessDocType: 0, replacementInfoList: [] },
      attachments: [{ contentId: "f1", contentType: "application/pdf", attachmentName: "cv.pdf", content: new Uint8Array(PDF) }],
    };
    // The answer as the wire sends it: the status it carries (JSON here, signed edXML on the wire).
    decoder = { ...jsonDecoder, answer: async (a) => JSON.stringify(a.status ?? null) };
    const post = (m: EdxmlMessage = doc, takesAnswer = true) =>
      env.app.inject({
        method: "POST",
        url: `/exchange/inbox?to=${s.recipient.code}`,
        headers: { "content-type": "application/xml", ...(takesAnswer ? { [TAKES_ANSWER_HEADER]: "1" } : {}) },
        payload: JSON.stringify({ message: { ...m, attachments: [{ ...doc.attachments[0], content: [...PDF] }] }, signer: UNIT }),
      });
    // JSON has no Uint8Array: the stand-in decoder gives the bytes back as the codec would.
    decoder.decode = async (xml) => {
      const { message, signer } = JSON.parse(xml) as { message: EdxmlMessage; signer: string };
      if (message.kind === "document") for (const a of message.attachments) a.content = new Uint8Array(a.content as unknown as number[]);
      return { message, signer };
    };
    const first = await post();
    assert.equal(first.statusCode, 200, first.body);
    const status = JSON.parse(first.body) as EdxmlStatus;
    assert.equal(status.statusCode, "01");
    assert.equal(status.responseFor.documentId, documentId);
    const cli = { type: "cli", name: "test" } as const;
    const [copy, ...more] = (await env.ctx.exchange.list(cli, { box: "in", agency: s.recipient.code, q: "tinh ban qua truc" })).items;
    assert.equal(more.length, 0);
    // On the recipient's outbox, delivered with the answer and carried by no job: nothing is sent to H96 again.
    const outbox = await outboxOfCopy(env.ctx.database.db, copy!.id);
    assert.deepEqual(outbox.map((o) => [o.kind, o.state, o.jobId, o.toAgency]), [["status", "delivered", null, UNIT]]);
    await drain(env.ctx);
    assert.deepEqual((await outboxOfCopy(env.ctx.database.db, copy!.id)).map((o) => [o.state, o.attempts]), [["delivered", 0]]);
    // The sender that lost the answer delivers again: stored once, and the same 01 (its timestamp too) comes back.
    const again = await post();
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(JSON.parse(again.body), status);
    assert.equal((await env.ctx.exchange.list(cli, { box: "in", agency: s.recipient.code, q: "tinh ban qua truc" })).items.length, 1);
    // A sender that does not say it takes the answer's status (another implementation of the axis) gets its 01 in
    // the answer and by the recipient's outbox too.
    const other = { ...doc, header: { ...doc.header, code: { codeNumber: "8", codeNotation: "SBH-VP" }, subject: "Văn bản thứ hai", documentId: `${UNIT},2026/12/06,8/SBH-VP` } };
    const plain = await post(other, false);
    assert.equal(plain.statusCode, 200, plain.body);
    assert.equal((JSON.parse(plain.body) as EdxmlStatus).statusCode, "01");
    const [second] = (await env.ctx.exchange.list(cli, { box: "in", agency: s.recipient.code, q: "van ban thu hai" })).items;
    const queued = await outboxOfCopy(env.ctx.database.db, second!.id);
    assert.deepEqual(queued.map((o) => [o.kind, o.state, o.jobId !== null]), [["status", "pending", true]]);
    decoder = null;
  });

  it("motcua exchange send and inbox", async () => {
    const dir = fs.mkdtempSync(path.join(env.dataDir, "cli-"));
    fs.writeFileSync(path.join(dir, "to-trinh.pdf"), PDF);
    let output = "";
    const run = (...argv: string[]) => {
      output = "";
      return runCommand(env.ctx, ["exchange", ...argv], { write: (t) => (output += t), cwd: dir });
    };
    const code = await run("send", "--from", s.sender.code, "--to", s.recipient.code, "--file", "to-trinh.pdf", "--subject", "Tờ trình phê duyệt kế hoạch", "--notation", "TTr-SNV");
    assert.equal(code, 0, output);
    assert.match(output, /^sent \d+\/TTr-SNV \(register 20\d\d no\. \d+\) to /);
    assert.equal(await run("send", "--from", s.sender.code, "--to", s.recipient.code, "--file", "none.pdf", "--subject", "x"), 2);
    assert.equal(await run("send", "--from", s.sender.code, "--to", "000.00.77.H77", "--file", "to-trinh.pdf", "--subject", "x"), 1);
    assert.match(output, /exchange\.unknown_recipient/);
    await drain(env.ctx);
    assert.equal(await run("inbox", "--agency", s.recipient.code, "--q", "to trinh"), 0);
    assert.match(output, /TTr-SNV\s+received\s+01\s+\S+\s+Tờ trình phê duyệt kế hoạch/);
    assert.equal(await run("inbox", "--agency", s.sender.code, "--box", "out"), 0);
    assert.match(output, /Tờ trình phê duyệt kế hoạch/);
    assert.equal(await run("peers"), 0);
    assert.match(output, /000\.00\.00\.H98 {2}https:\/\/h98/);
    fs.writeFileSync(path.join(dir, "h97.pem"), CERT);
    assert.equal(await run("peer-set", "000.00.00.H97", "https://h97.example.gov.vn", "h97.pem", "--name", "Nút H97"), 0);
    assert.equal(await run("peer-set", "000.00.00.H97", "ftp://h97", "h97.pem"), 1);
    assert.match(output, /\/nodeUrl/);
    await run("peers");
    assert.match(output, /000\.00\.00\.H97 {2}https:\/\/h97\.example\.gov\.vn {2}Nút H97/);
    // The peers are kept in memory: a change is seen at once, and the routing follows it.
    assert.equal((await env.ctx.exchange.route("000.00.21.H97")).kind, "remote");
    assert.equal(await run("peer-remove", "000.00.00.H97"), 0);
    await run("peers");
    assert.doesNotMatch(output, /H97/);
    assert.equal((await env.ctx.exchange.route("000.00.21.H97")).kind, "unknown");
    assert.equal(await run("peer-remove", "000.00.00.H97"), 1);
    // The agencies found are kept by the exchange; one not found is asked again (it may be added on any node).
    const later = "000.00.00.Q11";
    assert.equal((await env.ctx.exchange.route(later)).kind, "unknown");
    await env.ctx.directory.createAgency(systemActor("test"), { code: later, name: "Ủy ban thêm sau", kind: "people_committee", provinceCode: "24", departments: [] });
    assert.equal((await env.ctx.exchange.route(later)).kind, "local");
    assert.match(output, /exchange\.peer_not_found/);
    assert.equal(await run("undelivered"), 0);
    // The keys' commands are the module's: a key for an agency, listed, the development CA printed.
    assert.equal(await run("keys", "generate", "--agency", s.other.code), 0, output);
    // Its certificate names the agency as the directory does.
    assert.match(output, /^generated: #\d+ +active +generated .*CN=Sở Y tế tỉnh Thử/);
    assert.equal(await run("keys", "list", "--agency", s.other.code), 0);
    assert.match(output, /active/);
    assert.equal(await run("keys", "ca"), 0);
    assert.match(output, /BEGIN CERTIFICATE/);
  });
});
