// The log lines `npm start` prints on a terminal (issue 15, item 7): short lines laid out from the logger's JSON,
// with the same scrubbing, since they are the same lines.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger, prettyDestination } from "./index.ts";
import { prettyLine } from "./pretty.ts";

function capture() {
  let text = "";
  const out = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
  return { out, text: () => text };
}

describe("pretty log lines", () => {
  it("say the time, the level, the message and the fields on one line, without colours when told", () => {
    const line = JSON.stringify({ level: 30, time: "2026-12-05T22:44:45.123Z", service: "motcua", pid: 1, msg: "seed data loaded", seeded: ["a", "b"], worker: "vm:1" });
    assert.equal(prettyLine(line, { colour: false }), '22:44:45 INFO  seed data loaded seeded=["a","b"] worker=vm:1\n');
    const request = JSON.stringify({ level: 30, time: "2026-12-05T22:44:46.000Z", msg: "request completed", res: { statusCode: 302 }, responseTime: 3.60045 });
    assert.equal(prettyLine(request, { colour: false }), "22:44:46 INFO  request completed → 302 4 ms\n");
    assert.ok(prettyLine(line, { colour: true }).includes("\u001b[32mINFO \u001b[0m"), "the level in colour");
    assert.equal(prettyLine("not json", { colour: false }), "not json\n");
  });

  it("are the logger's lines, scrubbed as the JSON ones: no password, no CCCD, and an error's stack below", () => {
    const { out, text } = capture();
    const log = createLogger("info", prettyDestination(out, { colour: false }));
    log.warn({ password: "motcua-demo-2026", user: { cccd: "001199000001" } }, "sign-in of 001199000001 failed");
    log.error({ err: new Error("boom") }, "page failed");
    const lines = text();
    assert.doesNotMatch(lines, /motcua-demo-2026|001199000001/);
    assert.match(lines, /WARN {2}sign-in of \S+ failed password=\[redacted\]/);
    assert.match(lines, /ERROR page failed\n {4}Error: boom\n {4} {4}at /);
    assert.doesNotMatch(lines, /^\{/m, "no JSON");
  });
});
