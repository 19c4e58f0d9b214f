import assert from "node:assert/strict";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { httpRequest, RequestFailed } from "./client.ts";

describe("outgoing HTTP requests", () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ method: string; type: string; body: string; connection: string }> = [];
  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ method: req.method!, type: req.headers["content-type"] ?? "", body: Buffer.concat(chunks).toString(), connection: `${req.socket.remotePort}` });
        if (req.url === "/slow") return void setTimeout(() => res.end("late"), 500);
        if (req.url === "/big") return void res.end("x".repeat(2000));
        res.setHeader("content-type", "application/xml; charset=utf-8");
        res.statusCode = req.url === "/refuse" ? 422 : 200;
        res.end(`<ok>${Buffer.concat(chunks).toString()}</ok>`);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("posts a body and returns the status, the content type and the body, on one kept-alive connection", async () => {
    const a = await httpRequest(new URL(`${base}/x`), { method: "POST", headers: { "content-type": "application/xml" }, body: "Văn bản", timeoutMs: 2000 });
    assert.equal(a.status, 200);
    assert.equal(a.contentType, "application/xml; charset=utf-8");
    assert.equal(a.body.toString(), "<ok>Văn bản</ok>");
    const b = await httpRequest(new URL(`${base}/refuse`), { method: "POST", body: "2", timeoutMs: 2000 });
    assert.equal(b.status, 422);
    assert.deepEqual(seen.slice(-2).map((s) => [s.method, s.body]), [["POST", "Văn bản"], ["POST", "2"]]);
    assert.equal(seen.at(-1)!.connection, seen.at(-2)!.connection, "the second request reused the connection");
  });

  it("fails as timeout past its deadline, as down when refused or when the answer is too large", async () => {
    await assert.rejects(httpRequest(new URL(`${base}/slow`), { method: "GET", timeoutMs: 50 }), (e) => e instanceof RequestFailed && e.reason === "timeout");
    await assert.rejects(httpRequest(new URL(`${base}/big`), { method: "GET", timeoutMs: 2000, maxBody: 1000 }), (e) => e instanceof RequestFailed && e.reason === "down" && /larger than 1000/.test(e.message));
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(httpRequest(new URL(`http://127.0.0.1:${port}/`), { method: "GET", timeoutMs: 2000 }), (e) => e instanceof RequestFailed && e.reason === "down");
  });

  it("asks again, on a new connection, when the server dropped the kept-alive connection it reused", async () => {
    // The first connection answers once, then drops the connection on its next request (a server whose idle
    // timeout ran out just then); later connections answer.
    let connections = 0;
    const raw = net.createServer((socket) => {
      const n = ++connections;
      let requests = 0;
      socket.on("data", () => {
        requests++;
        if (n === 1 && requests === 2) socket.resetAndDestroy();
        else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n${n}${requests}`);
      });
    });
    await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
    const url = new URL(`http://127.0.0.1:${(raw.address() as AddressInfo).port}/`);
    try {
      assert.equal((await httpRequest(url, { method: "POST", body: "a", timeoutMs: 2000 })).body.toString(), "11");
      assert.equal((await httpRequest(url, { method: "POST", body: "b", timeoutMs: 2000 })).body.toString(), "21");
      assert.equal(connections, 2);
    } finally {
      raw.close();
    }
  });
});
