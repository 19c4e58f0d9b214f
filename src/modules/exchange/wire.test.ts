// The wire's batches (issue 16, item 9): several messages for one recipient in one request to
// `/exchange/inbox/batch`; a node that answers it 404 (another implementation of the axis, or an older motcua) is
// sent one message at a time, and not asked for a batch again for a while.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { fixedClock } from "../../platform/clock.ts";
import type { DirectoryService } from "../directory/index.ts";
import type { EdxmlStatus } from "./edxml/model.ts";
import type { BatchItem, Peer } from "./model.ts";
import type { AgencyKeysService } from "./signing/service.ts";
import { httpTransport } from "./wire.ts";

const status: EdxmlStatus = {
  kind: "status",
  responseFor: { organId: "000.00.01.H01", code: "1/SNV-VP", promulgationDate: "2026/12/08", documentId: "000.00.01.H01,2026/12/08,1/SNV-VP" },
  from: { organId: "000.00.01.H01", organName: "Sở" },
  statusCode: "01",
  timestamp: "2026/12/08 09:00:00",
  traces: [],
};
const items: BatchItem[] = ["<a/>", "<b/>", "<c/>"].map((signed) => ({ message: status, signed, fromAgency: "000.00.01.H01" }));

describe("exchange wire: batches", () => {
  const seen: string[] = [];
  let batchAnswer: (body: string) => { status: number; body: string } = () => ({ status: 404, body: "{}" });
  let server: http.Server;
  let peer: Peer;
  before(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push(`${req.method} ${req.url}`);
        const answer = req.url?.startsWith("/exchange/inbox/batch") ? batchAnswer(body) : { status: 200, body: "" };
        res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    peer = { agencyCode: "000.00.00.H02", name: "Nút", nodeUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, certificate: "" };
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const clock = fixedClock("2026-12-08T02:00:00Z");
  // Empty answers carry no status to verify: neither keys nor the directory are asked.
  const transport = httpTransport({ keys: {} as AgencyKeysService, directory: {} as DirectoryService, clock, timeoutMs: 5_000 });

  it("posts the signed messages in one request and reads one answer per message taken", async () => {
    const wire = httpTransport({ keys: {} as AgencyKeysService, directory: {} as DirectoryService, clock, timeoutMs: 5_000 });
    let posted: unknown = null;
    batchAnswer = (body) => {
      posted = JSON.parse(body);
      return { status: 200, body: JSON.stringify({ answers: [{ status: 200, contentType: "application/xml", body: "" }, { status: 200, contentType: "application/xml", body: "" }] }) };
    };
    const answers = await wire.deliverMany!(peer, items, "000.00.02.H02");
    assert.deepEqual(posted, { messages: ["<a/>", "<b/>", "<c/>"] });
    assert.deepEqual(answers, [{ accepted: true }, { accepted: true }]);
    assert.equal(seen.at(-1), "POST /exchange/inbox/batch?to=000.00.02.H02");
    // More answers than messages: not an answer to trust.
    batchAnswer = () => ({ status: 200, body: JSON.stringify({ answers: [1, 2, 3, 4].map(() => ({ status: 200, contentType: "application/xml", body: "" })) }) });
    await assert.rejects(wire.deliverMany!(peer, items, "000.00.02.H02"), /cannot be read: not one answer per message/);
    // A later message's answer to retry (a hub relaying a node that is busy): those before it were taken, and count.
    const later503 = { status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "platform.unavailable", message: "busy" } }) };
    batchAnswer = () => ({ status: 200, body: JSON.stringify({ answers: [{ status: 200, contentType: "application/xml", body: "" }, later503] }) });
    assert.deepEqual(await wire.deliverMany!(peer, items, "000.00.02.H02"), [{ accepted: true }]);
    // A node that fails (5xx) is retried by the outbox.
    batchAnswer = () => ({ status: 503, body: JSON.stringify({ error: { code: "platform.unavailable", message: "busy" } }) });
    await assert.rejects(wire.deliverMany!(peer, items, "000.00.02.H02"), /answered 503 platform\.unavailable/);
  });

  it("a node that answers a batch 404 gets one message at a time, and is not asked for a batch again for a while", async () => {
    batchAnswer = () => ({ status: 404, body: JSON.stringify({ error: { code: "platform.not_found", message: "" } }) });
    const before = seen.length;
    assert.equal(await transport.deliverMany!(peer, items, "000.00.02.H02"), null);
    assert.deepEqual(await transport.deliver(peer, status, "000.00.01.H01", "000.00.02.H02", "<a/>"), { accepted: true });
    assert.equal(await transport.deliverMany!(peer, items, "000.00.02.H02"), null);
    // The outbox asks before it reads and signs what queued up for a batch.
    assert.equal(transport.batches!(peer), false);
    assert.deepEqual(seen.slice(before), ["POST /exchange/inbox/batch?to=000.00.02.H02", "POST /exchange/inbox?to=000.00.02.H02"]);
    // Ten minutes on, it is asked again (it may have been upgraded).
    clock.advance(10 * 60_000);
    assert.equal(transport.batches!(peer), true);
    batchAnswer = () => ({ status: 200, body: JSON.stringify({ answers: [{ status: 200, contentType: "application/xml", body: "" }] }) });
    assert.deepEqual(await transport.deliverMany!(peer, items, "000.00.02.H02"), [{ accepted: true }]);
  });
});
