// The check run after the suite (test/run.mjs): it must find each kind of leak, and find none in what the logger
// writes once its rule has applied.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { RECEIPT } from "../src/modules/dossiers/forms/examples.ts";
import { readDemoAccounts } from "../src/modules/identity/seeds.ts";
import { TEST_PASSWORD } from "../src/modules/identity/testing.ts";
import { createLogger } from "../src/platform/log/index.ts";
import { findLeaks } from "./check-logs.ts";

const demo = readDemoAccounts();
const leaks = [
  `sign-in of ${demo.accounts[0]!.username} failed`,
  `params: ${RECEIPT.applicant.phone},x`,
  `{"msg":"failed\\n${RECEIPT.applicant.idNumber}"}`,
  `password ${demo.password}`,
  `password ${TEST_PASSWORD}`,
  `hash $argon2id$v=19$m=19456,t=2,p=1$abc$def`,
  `citizen 001090500017 registered`,
];

describe("the suite's log check", () => {
  it("finds a demo CCCD, phone number or password, a test citizen's CCCD and an argon2 hash", () => {
    for (const line of leaks) assert.ok(findLeaks(line).length > 0, line);
    assert.deepEqual(findLeaks(`ok\n${leaks[0]}\nok`).map((l) => l.line), [2]);
  });

  it("finds nothing in ids that hold such digits, nor in what the logger wrote of the leaks", () => {
    assert.deepEqual(findLeaks('{"reqId":"0f1e2d3c-1111-2222-3333-001199000001","hash":"ab001199000001cd"}'), []);
    const lines: string[] = [];
    const logger = createLogger("info", new Writable({ write: (c: Buffer, _e, done) => done(void lines.push(c.toString())) }));
    // A password in free text cannot be recognised: a password is only ever logged as a field, and redacted as one.
    for (const line of leaks) {
      if (line.startsWith("password ")) logger.info({ password: line.slice(9) }, "a password field");
      else logger.info({ line }, line);
    }
    assert.equal(lines.length, leaks.length);
    assert.deepEqual(findLeaks(lines.join("")), []);
  });
});
