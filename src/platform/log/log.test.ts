import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import { createLogger } from "./index.ts";

describe("request logs", () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  let env: Awaited<ReturnType<typeof testApp>>;
  before(async () => {
    env = await testApp({ logger: createLogger("info", sink) });
  });
  after(() => env.close());

  it("are JSON with the request id, and carry no query string, body, token or cookie", async () => {
    const res = await env.app.inject({
      method: "POST",
      url: "/healthz?cccd=001199000001&key=SECRETKEY",
      headers: { authorization: "Bearer tok.en.value", cookie: "sid=SESSIONSECRET", "x-request-id": "req-log-test-1" },
      payload: { hoTen: "Nguyễn Văn A", matKhau: "hunter2" },
    });
    // The made-up bearer token is refused before routing.
    assert.equal(res.statusCode, 401);
    await env.app.inject({ method: "GET", url: "/healthz?cccd=001199000001" });
    const all = lines.join("\n");
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(parsed.some((l) => l.reqId === "req-log-test-1"), "request id in the log lines");
    for (const secret of ["001199000001", "SECRETKEY", "tok.en.value", "SESSIONSECRET", "Nguyễn", "hunter2"]) {
      assert.ok(!all.includes(secret), `"${secret}" must not be logged`);
    }
  });
});
