// The audit log on a real database: append-only, sealed into a hash chain, and `verify` finds tampering.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { runCommand } from "../../cli/commands.ts";
import { systemActor } from "../auth/actor.ts";
import { type Database, execRows, sql } from "../db/index.ts";
import { entryHash, GENESIS_HASH } from "./chain.ts";
import type { AuditLog } from "./service.ts";

const actor = systemActor("test");

async function write(database: Database, audit: AuditLog, n: number, prefix = "e"): Promise<void> {
  await database.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      await audit.record(tx, {
        actor,
        action: "test.wrote",
        subject: { type: "thing", id: `${prefix}${i}` },
        requestId: `req-${prefix}${i}`,
        change: { i, note: "x" },
      });
    }
  });
}

/** What an attacker with database rights does: switch the guard off, change rows, switch it on. */
/** Drizzle wraps the driver's error: the guard's message is in the cause. */
function guardError(err: unknown): boolean {
  const e = err as { message?: string; cause?: { message?: string } };
  return /append-only/.test(`${e.message ?? ""} ${e.cause?.message ?? ""}`);
}

async function tamper(database: Database, statement: ReturnType<typeof sql>): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  });
}

describe("audit log", () => {
  let env: TestEnv;
  let database: Database;
  let audit: AuditLog;
  before(async () => {
    env = await testContext();
    database = env.database;
    audit = env.ctx.audit;
  });
  after(() => env.close());
  beforeEach(async () => {
    // Each test starts from an empty log (the guard is lifted for the reset only).
    await database.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER USER`);
      await tx.execute(sql`ALTER TABLE audit_seals DISABLE TRIGGER USER`);
      await tx.execute(sql`DELETE FROM audit_log`);
      await tx.execute(sql`DELETE FROM audit_seals`);
      await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER USER`);
      await tx.execute(sql`ALTER TABLE audit_seals ENABLE TRIGGER USER`);
    });
  });

  it("records in the caller's transaction: a rollback leaves no entry", async () => {
    await assert.rejects(
      database.transaction(async (tx) => {
        await audit.record(tx, { actor, action: "test.wrote", subject: { type: "thing", id: "1" } });
        throw new Error("boom");
      }),
      /boom/,
    );
    const rows = await database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`);
    assert.equal(rows[0]?.n, 0);
  });

  it("stores who, what, on what, when and the request, with only a digest of the change", async () => {
    await database.transaction((tx) =>
      audit.record(tx, {
        actor: { type: "user", userId: "u-7", username: "001199000001", fullName: "Nguyễn Văn A", email: null, roles: [], agencyCode: null, loa: 0 },
        action: "account.updated",
        subject: { type: "account", id: "u-7" },
        requestId: "req-1",
        change: { cccd: "001199000001", phone: "0912345678" },
      }),
    );
    const rows = await database.rows<Record<string, unknown>>(sql`SELECT * FROM audit_log`);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.actor, "user:u-7");
    assert.equal(row.action, "account.updated");
    assert.equal(row.subject_type, "account");
    assert.equal(row.request_id, "req-1");
    assert.match(String(row.change_digest), /^[0-9a-f]{64}$/);
    const stored = JSON.stringify(rows);
    assert.ok(!stored.includes("001199000001"), "the CCCD is not stored");
    assert.ok(!stored.includes("0912345678"), "the phone number is not stored");
  });

  it("refuses updates, deletes and truncation", async () => {
    await write(database, audit, 2);
    await audit.seal();
    await assert.rejects(database.rows(sql`UPDATE audit_log SET action = 'x'`), guardError);
    await assert.rejects(database.rows(sql`DELETE FROM audit_log`), guardError);
    await assert.rejects(database.rows(sql`TRUNCATE audit_log`), guardError);
    await assert.rejects(database.rows(sql`DELETE FROM audit_seals`), guardError);
    // A sealed entry cannot be re-sealed either.
    await assert.rejects(database.rows(sql`UPDATE audit_log SET hash = repeat('0', 64)`), guardError);
  });

  it("seals entries into a chain in order and verifies it", async () => {
    await write(database, audit, 5, "a");
    assert.equal(await audit.seal(), 5);
    await write(database, audit, 3, "b");
    assert.equal(await audit.seal(), 3);
    assert.equal(await audit.seal(), 0);
    const chain = await execRows<{ seq: number; prev_hash: string; hash: string }>(
      database.db,
      sql`SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq`,
    );
    assert.deepEqual(
      chain.map((c) => c.seq),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.equal(chain[0]!.prev_hash, GENESIS_HASH);
    for (let i = 1; i < chain.length; i++) assert.equal(chain[i]!.prev_hash, chain[i - 1]!.hash);
    assert.deepEqual(await audit.verify(), { ok: true, sealed: 8, unsealed: 0, seals: 2 });
  });

  it("reports the first altered entry", async () => {
    await write(database, audit, 10);
    await audit.seal();
    await tamper(database, sql`UPDATE audit_log SET action = 'test.forged' WHERE seq = 4`);
    await tamper(database, sql`UPDATE audit_log SET subject_id = 'other' WHERE seq = 7`);
    const report = await audit.verify();
    assert.equal(report.ok, false);
    assert.ok(!report.ok);
    assert.equal(report.problem, "altered");
    assert.equal(report.seq, 4);
    assert.match(report.message, /#4/);
  });

  it("reports a removed entry in the middle and at the end", async () => {
    await write(database, audit, 10);
    await audit.seal();
    await tamper(database, sql`DELETE FROM audit_log WHERE seq = 10`);
    let report = await audit.verify();
    assert.ok(!report.ok);
    assert.equal(report.problem, "removed");
    assert.equal(report.seq, 10);
    await tamper(database, sql`DELETE FROM audit_log WHERE seq IN (3, 4)`);
    report = await audit.verify();
    assert.ok(!report.ok);
    assert.equal(report.problem, "removed");
    assert.equal(report.seq, 3);
    assert.match(report.message, /#3 to #4/);
  });

  it("detects a chain rewritten consistently, and a forged seal", async () => {
    await write(database, audit, 6);
    await audit.seal();
    // The attacker edits entry 2 and recomputes every hash after it: the chain alone now looks right.
    await tamper(database, sql`UPDATE audit_log SET action = 'test.forged' WHERE seq = 2`);
    const rows = await execRows<Parameters<typeof entryHash>[0] & { seq: number }>(
      database.db,
      sql`SELECT id, to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor, action,
            subject_type AS "subjectType", subject_id AS "subjectId", request_id AS "requestId",
            change_digest AS "changeDigest", seq FROM audit_log ORDER BY seq`,
    );
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const hash = entryHash(r, r.seq, prev);
      await tamper(database, sql`UPDATE audit_log SET prev_hash = ${prev}, hash = ${hash} WHERE seq = ${r.seq}`);
      prev = hash;
    }
    let report = await audit.verify();
    assert.ok(!report.ok);
    assert.equal(report.problem, "altered");
    assert.equal(report.seq, 1, "the rewritten span starts after the previous good seal");
    // Re-sealing the rewritten head without the key does not help.
    await database.rows(sql`INSERT INTO audit_seals (last_seq, last_hash, mac) VALUES (6, ${prev}, ${"ab".repeat(32)})`);
    report = await audit.verify();
    assert.ok(!report.ok);
  });

  it("a seal made without the key is reported", async () => {
    await write(database, audit, 2);
    await audit.seal();
    const head = await execRows<{ hash: string }>(database.db, sql`SELECT hash FROM audit_log WHERE seq = 2`);
    await database.rows(sql`INSERT INTO audit_seals (last_seq, last_hash, mac) VALUES (2, ${head[0]!.hash}, ${"00".repeat(32)})`);
    const report = await audit.verify();
    assert.ok(!report.ok);
    assert.equal(report.problem, "seal_invalid");
  });

  it("concurrent writers and sealers give one gap-free chain", async () => {
    await Promise.all([
      ...Array.from({ length: 8 }, (_, w) => write(database, audit, 25, `w${w}-`)),
      audit.seal(),
      audit.seal(),
    ]);
    await Promise.all([audit.seal(), audit.seal()]);
    const report = await audit.verify();
    assert.deepEqual(report, { ok: true, sealed: 200, unsealed: 0, seals: report.ok ? report.seals : -1 });
  });

  it("`motcua audit verify` prints the first damaged entry and exits 1", async () => {
    await write(database, audit, 3);
    let out = "";
    const output = { write: (t: string) => void (out += t) };
    assert.equal(await runCommand(env.ctx, ["audit", "verify"], output), 0);
    assert.match(out, /intact: 3 entries/);
    await tamper(database, sql`UPDATE audit_log SET actor = 'system:someone-else' WHERE seq = 2`);
    out = "";
    assert.equal(await runCommand(env.ctx, ["audit", "verify"], output), 1);
    assert.match(out, /DAMAGED \(altered\) at entry #2/);
  });

  it("sealing is a recurring job", () => {
    assert.ok(env.ctx.jobs.schedules().some((s) => s.name === "audit.seal"));
  });
});
