import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import { testDatabase } from "../../../test/helpers/db.ts";
import { buildApp } from "../../app.ts";
import { type Database, sql } from "../db/index.ts";
import { PUBLIC } from "../http/access.ts";
import { createJobQueue } from "../jobs/define.ts";
import { jobState, testWorker, waitFor } from "../jobs/testing.ts";
import { createLogger } from "./index.ts";
import { testLogger } from "./testing.ts";

/** A logger writing into an array of lines, at trace: whatever any call writes is there to read. */
function memoryLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger("trace", sink) };
}

// A citizen's form and an officer's password hash, as a failed insert carries them in its parameters.
const PERSON = {
  cccd: "001199000001",
  phone: "0912345678",
  fullName: "Nguyễn Thị Mai",
  hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g",
};
const SECRETS = [PERSON.cccd, PERSON.phone, PERSON.fullName, "$argon2"];

function assertClean(lines: string[]) {
  assert.ok(lines.length > 0, "something was logged");
  for (const line of lines) {
    JSON.parse(line);
    for (const secret of SECRETS) assert.ok(!line.includes(secret), `"${secret}" logged in: ${line.slice(0, 400)}`);
  }
}

/** A real failed query with the person in its parameters: the second insert of the same CCCD (unique violation). */
async function failedInsert(database: Database): Promise<Error> {
  await database.rows(sql`CREATE TABLE IF NOT EXISTS log_probe (cccd text PRIMARY KEY, phone text, full_name text, password_hash text)`);
  const insert = () =>
    database.db.execute(
      sql`INSERT INTO log_probe (cccd, phone, full_name, password_hash) VALUES (${PERSON.cccd}, ${PERSON.phone}, ${PERSON.fullName}, ${PERSON.hash})`,
    );
  await insert().catch(() => undefined);
  const err = await insert().then(
    () => null,
    (e: unknown) => e as Error,
  );
  assert.ok(err, "the second insert fails");
  // What the error carries that a plain logger would print: the parameters, and the driver's detail quoting the row.
  assert.match(err.message, /params: .*001199000001/);
  return err;
}

describe("request logs", () => {
  const { lines, logger } = memoryLogger();
  let env: Awaited<ReturnType<typeof testApp>>;
  before(async () => {
    env = await testApp({ logger });
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

  it("log a route's failed query as an unexpected error, without its parameters or the row it refused", async () => {
    const app = await buildApp(env.ctx);
    app.post("/api/thu-ghi-nhat-ky", { config: { access: PUBLIC } }, async () => {
      throw await failedInsert(env.database);
    });
    await app.ready();
    const from = lines.length;
    try {
      const res = await app.inject({ method: "POST", url: "/api/thu-ghi-nhat-ky", headers: { "x-request-id": "req-log-test-2" } });
      assert.equal(res.statusCode, 500);
    } finally {
      await app.close();
    }
    const logged = lines.slice(from);
    const entry = logged.map((l) => JSON.parse(l) as { msg?: string; err?: { type?: string; message?: string; code?: string } }).find((l) => l.msg === "unhandled error");
    assert.ok(entry?.err, "the error is logged");
    // Still says what failed: Drizzle's error, the statement, the driver's code.
    assert.equal(entry.err.type, "DrizzleQueryError");
    assert.match(entry.err.message ?? "", /^Failed query: INSERT INTO log_probe/);
    assertClean(logged);
  });
});

describe("every log call", () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.close());

  it("drops a failed query's parameters however the error is logged", async () => {
    const err = await failedInsert(database);
    const { lines, logger } = memoryLogger();
    const child = logger.child({ component: "probe" });
    logger.error(err);
    logger.error({ err }, "insert failed");
    child.warn({ err });
    child.warn({ error: err, retry: { last: err } }, "nested");
    logger.info("failed: %s", err.message);
    logger.debug(err.message);
    logger.trace({ error: String(err) }, "as text");
    logger.error({ err: err.cause as Error }, "the driver's error");
    assertClean(lines);
    // And into the suite's logs, which test/run.mjs checks after the whole suite.
    testLogger().error({ err }, "a forced failed query with a person's data in its parameters");
    const first = JSON.parse(lines[0]!) as { err: { cause?: { code?: string } } };
    assert.equal(first.err.cause?.code, "23505", "the driver's code is kept");
  });

  it("redacts fields named like secrets or personal data at any depth, and masks what looks like a CCCD, phone or hash", () => {
    const { lines, logger } = memoryLogger();
    logger.info({ user: { username: "tiepnhan", password: "hunter2", passwordHash: PERSON.hash, profile: { cccd: PERSON.cccd } } }, "account");
    logger.info({ formData: { hoTen: PERSON.fullName, soDienThoai: PERSON.phone }, body: { x: 1 }, params: [PERSON.cccd] }, "form");
    logger.info({ accessToken: "tok.en.value", client_secret: "s3cret", list: [{ email: "mai@example.vn" }] }, "tokens");
    logger.warn(`sign-in failed for ${PERSON.cccd} from ${PERSON.phone} with ${PERSON.hash}`);
    logger.info({ note: `call +84912345678 or 024 3 about 001199000001` }, "free text");
    assertClean(lines);
    const all = lines.join("\n");
    for (const secret of ["hunter2", "tok.en.value", "s3cret", "mai@example.vn", "84912345678"]) assert.ok(!all.includes(secret), secret);
    // What is not personal stays: the username of an officer, the message.
    assert.match(all, /"username":"tiepnhan"/);
    assert.match(all, /sign-in failed for \[redacted\]/);
  });

  it("a job failing on a query records and logs its error without the parameters", async () => {
    const { lines, logger } = memoryLogger();
    const queue = createJobQueue();
    const job = queue.define<object>({
      name: "log.probe",
      maxAttempts: 1,
      handler: async () => {
        throw await failedInsert(database);
      },
    });
    const { id } = await database.transaction((tx) => queue.enqueue(tx, job, {}));
    const worker = testWorker(database, queue, { logger, pollMs: 20 });
    await worker.start();
    try {
      await waitFor("the job to fail", async () => (await jobState(database, id)).status === "dead");
    } finally {
      await worker.stop();
    }
    const { lastError } = await jobState(database, id);
    assert.match(lastError ?? "", /Failed query: INSERT INTO log_probe/);
    for (const secret of SECRETS) assert.ok(!(lastError ?? "").includes(secret), `"${secret}" recorded on the job`);
    assertClean(lines.filter((l) => l.includes('"job":"log.probe"')));
  });
});
