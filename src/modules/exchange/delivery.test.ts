// The outbox (issue 16, item 3) and the registers (item 7): a remote recipient without a transport is retried
// and then shown undelivered; messages of a sender–recipient pair leave in order, a later one held back while an
// earlier one fails; registers are numbered per agency and year, two sends at once getting distinct numbers; and
// searched with or without diacritics.
import { randomBytes } from "node:crypto";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runCommand } from "../../cli/commands.ts";
import { systemActor } from "../../platform/auth/actor.ts";
import { fixedClock } from "../../platform/clock.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { buildAgency } from "../directory/testing.ts";
import type { EdxmlMessage, EdxmlStatus } from "./edxml/model.ts";
import { NO_TRANSPORT, type Peer, type RemoteTransport } from "./model.ts";
import { EVIDENCE_ROW_BYTES, routeOf } from "./support.ts";
import { evidenceOf } from "./repo.ts";
import { actorOf, drain, exchangeSetting, type ExchangeSetting, foreignCertificate, PDF, sendInput } from "./testing.ts";

const CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

/** The 01 the peer's agency OTHER_UNIT answers a document with. */
function received01(message: EdxmlMessage): EdxmlStatus {
  if (message.kind !== "document") throw new Error("a document was expected");
  const h = message.header;
  return {
    kind: "status",
    responseFor: { organId: h.from.organId, code: `${h.code.codeNumber}/${h.code.codeNotation}`, promulgationDate: h.promulgationInfo.promulgationDate, documentId: h.documentId },
    from: { organId: "000.00.13.H99", organName: "Sở bạn" },
    statusCode: "01",
    timestamp: "2026/12/08 09:00:00",
    traces: [],
  };
}

describe("exchange delivery and registers", () => {
  let env: TestEnv;
  let s: ExchangeSetting;
  let transport: RemoteTransport = NO_TRANSPORT;
  const clock = fixedClock("2026-12-08T02:00:00Z");
  before(async () => {
    env = await testContext({
      clock,
      options: {
        exchange: {
          transport: {
            deliver: (...a) => transport.deliver(...a),
            deliverMany: (...a) => (transport.deliverMany ? transport.deliverMany(...a) : Promise.resolve(null)),
            batches: (peer) => transport.batches?.(peer) ?? true,
          },
          backoff: () => 0,
          maxAttempts: 3,
        },
      },
    });
    s = await exchangeSetting(env.ctx);
  });
  after(() => env.close());
  const as = (who: keyof ExchangeSetting["cast"]) => actorOf(env.ctx, s.cast[who]);
  // A province served by another node: level-1 code H99's subtree, not in this node's directory.
  const REMOTE = "000.00.00.H99";
  const REMOTE_UNIT = "000.00.12.H99";
  const OTHER_UNIT = "000.00.13.H99";

  it("refuses a recipient neither hosted here nor served by a peer", async () => {
    await assert.rejects(env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { to: [REMOTE_UNIT] })), { code: "exchange.unknown_recipient" });
  });

  it("retries a remote delivery without a transport, then shows it undelivered", async () => {
    await env.ctx.exchange.setPeer(systemActor("test"), { agencyCode: REMOTE, name: "Nút tỉnh H99", nodeUrl: "https://h99.example.gov.vn", certificate: CERT });
    transport = NO_TRANSPORT;
    const id = await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { to: [REMOTE_UNIT, s.recipient.code] }));
    await drain(env.ctx);
    const d = await env.ctx.exchange.get(as("clerkA"), id);
    const [remote, local] = d.timelines;
    assert.equal(remote!.code, REMOTE_UNIT);
    assert.equal(remote!.name, `Nút tỉnh H99 (${REMOTE_UNIT})`);
    assert.equal(remote!.delivery, "undelivered");
    assert.equal(remote!.attempts, 3);
    assert.match(remote!.lastError ?? "", /no transport configured/);
    // The local recipient is not held back by the remote one.
    assert.equal(local!.delivery, "delivered");
    assert.deepEqual(local!.statuses.map((x) => x.code), ["01"]);
    // Its pair keeps its order: what follows waits behind it (until the operator retries it, `motcua jobs retry`).
    transport = { deliver: async () => ({ accepted: true }) };
    const later = await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { to: [REMOTE_UNIT] }));
    await drain(env.ctx);
    assert.equal((await env.ctx.exchange.get(as("clerkA"), later)).timelines[0]!.delivery, "pending");
    // The operator finds it and retries its job once the peer can be reached: both leave, in order.
    let output = "";
    assert.equal(await runCommand(env.ctx, ["exchange", "undelivered"], { write: (t) => (output += t) }), 0);
    const job = new RegExp(`^job (\\d+)  ${s.sender.code.replaceAll(".", "\\.")} → ${REMOTE_UNIT.replaceAll(".", "\\.")}  document  .* 3 attempts: .*no transport configured`, "m").exec(output)?.[1];
    assert.ok(job, output);
    assert.equal(await runCommand(env.ctx, ["jobs", "retry", job], { write: () => {} }), 0);
    await drain(env.ctx);
    assert.equal((await env.ctx.exchange.get(as("clerkA"), id)).timelines[0]!.delivery, "delivered");
    assert.equal((await env.ctx.exchange.get(as("clerkA"), later)).timelines[0]!.delivery, "delivered");
  });

  it("delivers a pair's messages in order: a later one waits while an earlier one is retried", async () => {
    const delivered: string[] = [];
    let failuresLeft = 2;
    transport = {
      async deliver(peer, message: EdxmlMessage, from) {
        assert.equal(peer.agencyCode, REMOTE);
        assert.deepEqual(message.kind === "document" && message.header.to.map((o) => o.organId), [OTHER_UNIT]);
        assert.equal(from, s.sender.code);
        if (message.kind !== "document") throw new Error("a document was expected");
        if (message.header.subject === "Thứ nhất" && failuresLeft-- > 0) throw new Error("peer busy");
        assert.equal(message.attachments[0]!.attachmentName, "cong-van.pdf");
        delivered.push(message.header.subject);
        return { accepted: true, status: received01(message) };
      },
    };
    const first = await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { to: [OTHER_UNIT], subject: "Thứ nhất" }));
    await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { to: [OTHER_UNIT], subject: "Thứ hai" }));
    await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { to: [OTHER_UNIT], subject: "Thứ ba" }));
    await drain(env.ctx);
    assert.deepEqual(delivered, ["Thứ nhất", "Thứ hai", "Thứ ba"]);
    const t = (await env.ctx.exchange.get(as("clerkA"), first)).timelines[0]!;
    assert.equal(t.delivery, "delivered");
    assert.equal(t.attempts, 3);
    // The peer's answer (its 01) is on the timeline.
    assert.deepEqual(t.statuses.map((x) => x.code), ["01"]);
  });

  it("signs a local delivery with the sender's key and keeps the signed edXML with both copies; without a key it goes unsigned", async () => {
    const cli = { type: "cli", name: "test" } as const;
    const unsigned = await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Gửi khi chưa có khóa" }));
    await drain(env.ctx);
    assert.equal((await env.ctx.exchange.get(cli, unsigned)).signedEdxml, null);
    await env.ctx.exchangeKeys.generate(cli, { agencyCode: s.sender.code });
    const id = await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Gửi khi đã có khóa" }));
    await drain(env.ctx);
    const out = await env.ctx.exchange.get(cli, id);
    const [copy] = (await env.ctx.exchange.list(as("clerkB"), { box: "in", q: "da co khoa" })).items;
    const received = await env.ctx.exchange.get(cli, copy!.id);
    assert.ok(out.signedEdxml);
    assert.equal(received.signedEdxml, out.signedEdxml);
    const f = await env.ctx.exchange.file(as("clerkB"), copy!.id, received.signedEdxml!);
    assert.equal(f.contentType, "application/xml");
    let xml = "";
    for await (const c of f.stream) xml += (c as Buffer).toString("utf8");
    assert.equal((await env.ctx.exchangeKeys.verifyIncoming(xml, s.sender.code)).ok, true);
    assert.match(xml, /Gửi khi đã có khóa/);
    // A small signed edXML is kept as a row, not as a file written and fsynced.
    assert.equal(await env.ctx.files.has(received.signedEdxml!), false);
    assert.equal(await evidenceOf(env.database.db, received.signedEdxml!), xml);
    // One larger than EVIDENCE_ROW_BYTES (its attachments) goes to the file store, and is served the same way.
    const big = Buffer.concat([PDF, Buffer.alloc(EVIDENCE_ROW_BYTES, 0x20), Buffer.from("\n%%EOF\n")]);
    const large = await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Gửi văn bản lớn", files: [await env.ctx.exchange.storeFile(big, "lon.pdf")] }));
    await drain(env.ctx);
    const largeOut = await env.ctx.exchange.get(cli, large);
    assert.ok(largeOut.signedEdxml);
    assert.equal(await env.ctx.files.has(largeOut.signedEdxml), true);
    assert.equal(await evidenceOf(env.database.db, largeOut.signedEdxml), null);
    let largeXml = "";
    for await (const c of (await env.ctx.exchange.file(cli, large, largeOut.signedEdxml)).stream) largeXml += (c as Buffer).toString("utf8");
    assert.equal((await env.ctx.exchangeKeys.verifyIncoming(largeXml, s.sender.code)).ok, true);
    // Another agency's officer cannot read it.
    await assert.rejects(env.ctx.exchange.file(as("outsider"), copy!.id, received.signedEdxml!), { code: "exchange.document_not_found" });
  });

  it("numbers each agency's registers per year, two sends at once getting distinct numbers", async () => {
    const fresh = await buildAgency(env.ctx, { name: "Văn phòng UBND tỉnh Thử" });
    const input = async (subject: string) => ({ ...(await sendInput(env.ctx, s, { subject })), from: fresh.code });
    const cli = { type: "cli", name: "test" } as const;
    const ids = await Promise.all([input("Một"), input("Hai"), input("Ba")].map(async (i) => env.ctx.exchange.send(cli, await i)));
    const numbers = await Promise.all(ids.map(async (id) => (await env.ctx.exchange.get(cli, id)).registerNumber));
    assert.deepEqual([...numbers].sort(), [1, 2, 3]);
    await drain(env.ctx);
    // The recipient numbers what it receives in its own register, from its own counter.
    const inbox = await env.ctx.exchange.list(as("clerkB"), { box: "in", year: 2026 });
    const incoming = inbox.items.filter((d) => d.sender.code === fresh.code).map((d) => d.registerNumber);
    assert.equal(new Set(incoming).size, 3);
    clock.set("2027-01-02T02:00:00Z");
    try {
      const next = await env.ctx.exchange.send(cli, await input("Năm mới"));
      const d = await env.ctx.exchange.get(cli, next);
      assert.deepEqual([d.registerYear, d.registerNumber], [2027, 1]);
      assert.match(d.documentId, new RegExp(`^${fresh.code.replaceAll(".", "\\.")},2027/01/02,1/SNV-VP$`));
    } finally {
      clock.set("2026-12-08T03:00:00Z");
    }
  });

  it("searches a register by subject with or without diacritics, by notation, number and sender", async () => {
    const ex = env.ctx.exchange;
    const id = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Về việc tăng cường phòng chống dịch bệnh", notation: "SNV-TCCB" }));
    await drain(env.ctx);
    const sent = await ex.get(as("clerkA"), id);
    const find = async (q: string, box: "in" | "out" = "in") => (await ex.list(as(box === "in" ? "clerkB" : "clerkA"), { box, q })).items.map((d) => d.documentId);
    for (const q of ["phòng chống dịch", "phong chong dich", "PHONG CHONG", "SNV-TCCB", "snv-tccb", `${sent.codeNumber}/SNV-TCCB`, "Sở Nội vụ tỉnh Thử", "so noi vu"]) {
      assert.ok((await find(q)).includes(sent.documentId), `found by "${q}"`);
    }
    assert.ok((await find("phong chong dich", "out")).includes(sent.documentId));
    assert.deepEqual(await find("không có văn bản nào như vậy"), []);
    // Someone else's register is not searched: the outsider sees nothing of the two agencies.
    await assert.rejects(ex.list(as("outsider"), { box: "in", agency: s.recipient.code }), { code: "exchange.forbidden" });
    assert.deepEqual((await ex.list(as("outsider"), { box: "in", q: "phong chong dich" })).items, []);
    await assert.rejects(ex.get(as("outsider"), id), { code: "exchange.document_not_found" });
  });

  it("with a hub, routes to it an agency the directory lists that signs on another node; a peer covering it comes first; without a hub it stays here", async () => {
    // A ministry listed here by its national code (a procedure's step names it), whose certificate is registered here.
    const listed = await buildAgency(env.ctx, { name: "Bộ Thử nghiệm", kind: "ministry", departments: [] });
    const hub: Peer = { agencyCode: "", name: "hub", nodeUrl: "https://truc.example.gov.vn", certificate: "" };
    const deps = { directory: env.ctx.directory, database: env.ctx.database };
    const route = (code: string, withHub: boolean) => routeOf({ ...deps, hub: withHub ? hub : null }, code);
    // Neither a certificate registered nor a peer: here, hub or not (an agency this node hosts).
    assert.deepEqual(await route(listed.code, true), { kind: "local" });
    await env.ctx.exchangeKeys.trust(systemActor("test"), { agencyCode: listed.code, certificatePem: await foreignCertificate(listed.code, listed.name, clock.now()) });
    // It signs elsewhere: through the hub, with no peer entry; no hub, it stays here (as before).
    assert.deepEqual(await route(listed.code, true), { kind: "remote", peer: hub });
    assert.equal((await routeOf({ ...deps, hub }, listed.code, [], env.ctx.database.db)).kind, "remote");
    assert.deepEqual(await route(listed.code, false), { kind: "local" });
    // The node's own agencies (a key of their own) stay here; so does one the directory lists with no certificate.
    assert.deepEqual(await route(s.sender.code, true), { kind: "local" });
    // A peer covering it takes precedence over the hub.
    await env.ctx.exchange.setPeer(systemActor("test"), { agencyCode: listed.code, name: "Nút Bộ Thử nghiệm", nodeUrl: "https://bo.example.gov.vn", certificate: CERT });
    assert.equal(((await route(listed.code, true)) as { peer: Peer }).peer.nodeUrl, "https://bo.example.gov.vn");
    await env.ctx.exchange.removePeer(systemActor("test"), listed.code);
    // A key of its own generated here later: it signs here, so it is served here again.
    await env.ctx.exchangeKeys.generate(systemActor("test"), { agencyCode: listed.code });
    assert.deepEqual(await route(listed.code, true), { kind: "local" });
  });
  it("takes what queued up for a pair to its peer in one request, in order: the jobs of those taken do not run; those after one not taken go again on their own; a peer that takes no batches gets them one by one, and nothing is signed for a batch once it is known", async () => {
    const cli = { type: "cli", name: "test" } as const;
    // The sender signs (an earlier test may have given it its key already).
    await env.ctx.exchangeKeys.generate(cli, { agencyCode: s.sender.code }).catch((err: { code?: string }) => assert.equal(err.code, "exchange.signing_key_exists"));
    const subject = (m: EdxmlMessage) => (m.kind === "document" ? m.header.subject : m.statusCode);
    let batches: string[][] = [];
    let alone: string[] = [];
    let takes: "all" | "first" | "none" | "refuse-second" = "all";
    transport = {
      async deliver(_peer, message) {
        alone.push(subject(message));
        return { accepted: true, status: received01(message) };
      },
      async deliverMany(peer, items, to) {
        assert.equal(peer.agencyCode, REMOTE);
        assert.equal(to, OTHER_UNIT);
        if (takes === "none") return null;
        batches.push(items.map((i) => subject(i.message)));
        // Each signed on its own, with the sender's key, as the peer will check it.
        for (const i of items) assert.equal((await env.ctx.exchangeKeys.verifyIncoming(i.signed ?? "", s.sender.code)).ok, true);
        if (takes === "refuse-second") return [{ accepted: true as const, status: received01(items[0]!.message) }, { accepted: false as const, permanent: true, reason: "the peer refused it: 400 exchange.edxml_malformed" }];
        const taken = takes === "first" ? items.slice(0, 1) : items;
        return taken.map((i) => ({ accepted: true as const, status: received01(i.message) }));
      },
    };
    const sendThree = async (word: string) => {
      const ids: string[] = [];
      for (const n of ["một", "hai", "ba"]) ids.push(await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { to: [OTHER_UNIT], subject: `${word} ${n}` })));
      return ids;
    };
    const delivered = async (ids: string[]) => {
      for (const id of ids) {
        const d = await env.ctx.exchange.get(cli, id);
        assert.equal(d.timelines[0]!.delivery, "delivered");
        assert.deepEqual(d.timelines[0]!.statuses.map((x) => x.code), ["01"]);
        // The signed edXML kept with the sender's copy, as for a message sent alone.
        assert.ok(d.signedEdxml);
      }
    };

    const together = await sendThree("Cùng gửi");
    assert.equal(await drain(env.ctx), 1);
    assert.deepEqual(batches, [["Cùng gửi một", "Cùng gửi hai", "Cùng gửi ba"]]);
    assert.deepEqual(alone, []);
    await delivered(together);

    batches = [];
    takes = "first";
    const stopped = await sendThree("Dừng sau một");
    // The peer took the first only: the second's job takes the second and the third, and so on.
    assert.equal(await drain(env.ctx), 3);
    assert.deepEqual(batches, [["Dừng sau một một", "Dừng sau một hai", "Dừng sau một ba"], ["Dừng sau một hai", "Dừng sau một ba"]]);
    assert.deepEqual(alone, ["Dừng sau một ba"]);
    await delivered(stopped);

    batches = [];
    alone = [];
    takes = "none";
    const oneByOne = await sendThree("Từng cái");
    assert.equal(await drain(env.ctx), 3);
    assert.deepEqual(alone, ["Từng cái một", "Từng cái hai", "Từng cái ba"]);
    await delivered(oneByOne);

    // The second refused for good: recorded at once as its own job would record it — undelivered, its job dead — not
    // sent again to be refused a second time; the third waits behind it (the pair's order) until the operator retries.
    batches = [];
    alone = [];
    takes = "refuse-second";
    const refusedOnce = await sendThree("Bị từ chối");
    assert.equal(await drain(env.ctx), 1);
    assert.deepEqual(batches, [["Bị từ chối một", "Bị từ chối hai", "Bị từ chối ba"]]);
    assert.deepEqual(alone, [], "the refused one is not sent again");
    const deliveryOf = async (id: string) => (await env.ctx.exchange.get(cli, id)).timelines[0]!.delivery;
    assert.deepEqual([await deliveryOf(refusedOnce[0]!), await deliveryOf(refusedOnce[1]!), await deliveryOf(refusedOnce[2]!)], ["delivered", "undelivered", "pending"]);
    let listed = "";
    assert.equal(await runCommand(env.ctx, ["exchange", "undelivered"], { write: (t) => (listed += t) }), 0);
    const deadJob = /^job (\d+) {2}.*1 attempts?: the peer refused it: 400 exchange\.edxml_malformed/m.exec(listed)?.[1];
    assert.ok(deadJob, listed);
    takes = "all";
    assert.equal(await runCommand(env.ctx, ["jobs", "retry", deadJob], { write: () => {} }), 0);
    assert.equal(await drain(env.ctx), 1);
    assert.deepEqual(batches.at(-1), ["Bị từ chối hai", "Bị từ chối ba"]);
    await delivered(refusedOnce);

    // A batch carries at most 4 MB of edXML: three documents with a 1 MB attachment (1.4 MB of base64 each) go as two,
    // then one on its own, none read or signed for a batch it does not fit (its size told from what is stored).
    batches = [];
    alone = [];
    takes = "all";
    const big = await env.ctx.exchange.storeFile(Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(1024 * 1024), Buffer.from("\n%%EOF\n")]), "phu-luc.pdf");
    const heavy: string[] = [];
    for (const n of ["một", "hai", "ba"]) heavy.push(await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { to: [OTHER_UNIT], subject: `Nặng ${n}`, files: [big] })));
    const keys = env.ctx.exchangeKeys;
    const signOutgoing = keys.signOutgoing;
    let signatures = 0;
    keys.signOutgoing = (xml, agency) => (signatures++, signOutgoing.call(keys, xml, agency));
    try {
      assert.equal(await drain(env.ctx), 2);
    } finally {
      keys.signOutgoing = signOutgoing;
    }
    assert.deepEqual(batches, [["Nặng một", "Nặng hai"]]);
    assert.deepEqual(alone, ["Nặng ba"]);
    assert.equal(signatures, 3, "the third signed once, for its own delivery");
    await delivered(heavy);

    // Two that do not fit together (2.8 MB of base64 each): no batch is made, nothing read or signed for one.
    batches = [];
    alone = [];
    const bigger = await env.ctx.exchange.storeFile(Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(2 * 1024 * 1024), Buffer.from("\n%%EOF\n")]), "phu-luc-lon.pdf");
    const heavier: string[] = [];
    for (const n of ["một", "hai"]) heavier.push(await env.ctx.exchange.send(as("clerkA"), await sendInput(env.ctx, s, { to: [OTHER_UNIT], subject: `Nặng hơn ${n}`, files: [bigger] })));
    signatures = 0;
    keys.signOutgoing = (xml, agency) => (signatures++, signOutgoing.call(keys, xml, agency));
    try {
      assert.equal(await drain(env.ctx), 2);
    } finally {
      keys.signOutgoing = signOutgoing;
    }
    assert.deepEqual(batches, []);
    assert.deepEqual(alone, ["Nặng hơn một", "Nặng hơn hai"]);
    assert.equal(signatures, 2, "each signed once");
    await delivered(heavier);

    // A peer the transport knows takes no batches: nothing is read or signed for one.
    alone = [];
    transport = { ...transport, batches: () => false, deliverMany: () => Promise.reject(new Error("no batch was to be made")) };
    const known = await sendThree("Đã biết");
    assert.equal(await drain(env.ctx), 3);
    assert.deepEqual(alone, ["Đã biết một", "Đã biết hai", "Đã biết ba"]);
    await delivered(known);
  });
});
