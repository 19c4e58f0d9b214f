import { localSecret } from "../secrets.ts";
import { actorRef } from "../auth/actor.ts";
import type { Clock } from "../clock.ts";
import type { Database, Db } from "../db/index.ts";
import { changeDigest, entryHash, GENESIS_HASH, sealMac, sealMacValid } from "./chain.ts";
import type { Audit, AuditEntryInput } from "./types.ts";
import * as repo from "./repo.ts";

/** What `verify` found. `seq` is the chain position of the first entry altered or removed. */
export type VerifyReport =
  | { ok: true; sealed: number; unsealed: number; seals: number }
  | { ok: false; problem: "altered" | "removed" | "seal_invalid"; seq: number; id: number | null; message: string };

export interface AuditLog extends Audit {
  /** Gives every committed, unsealed entry its place in the chain; returns how many were sealed. */
  seal(): Promise<number>;
  /** Walks the whole chain and the seals; reports the first entry altered or removed. */
  verify(): Promise<VerifyReport>;
}

const SEAL_BATCH = 1000;
const VERIFY_PAGE = 2000;

export function createAuditLog(deps: { database: Database; clock: Clock; key: string }): AuditLog {
  const { database, clock, key } = deps;

  async function record(tx: Db, entry: AuditEntryInput): Promise<void> {
    await repo.insertEntry(tx, {
      at: clock.now(),
      actor: actorRef(entry.actor),
      action: entry.action,
      subjectType: entry.subject.type,
      subjectId: entry.subject.id,
      requestId: entry.requestId ?? null,
      changeDigest: changeDigest(entry.change),
    });
  }

  async function sealBatch(): Promise<number> {
    return database.transaction(async (tx) => {
      await repo.lockSealer(tx);
      const entries = await repo.unsealedEntries(tx, SEAL_BATCH);
      if (!entries.length) return 0;
      const head = await repo.lastSeal(tx);
      let seq = head?.lastSeq ?? 0;
      let prevHash = head?.lastHash ?? GENESIS_HASH;
      const sealed = entries.map((e) => {
        seq += 1;
        const hash = entryHash(e, seq, prevHash);
        const row = { id: e.id, seq, prevHash, hash };
        prevHash = hash;
        return row;
      });
      await repo.writeSeals(tx, sealed);
      await repo.insertSeal(tx, { lastSeq: seq, lastHash: prevHash, mac: sealMac(key, seq, prevHash) });
      return sealed.length;
    });
  }

  async function seal(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await sealBatch();
      total += n;
      if (n < SEAL_BATCH) return total;
    }
  }

  type Problem = Extract<VerifyReport, { ok: false }>;

  async function verifyChain(): Promise<{ problem: Problem | null; lastSeq: number }> {
    let expected = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const page = await repo.sealedPage(database.db, expected - 1, VERIFY_PAGE);
      for (const e of page) {
        if (e.seq !== expected) {
          const message =
            e.seq - expected === 1
              ? `entry #${expected} was removed`
              : `entries #${expected} to #${e.seq - 1} were removed`;
          return { problem: { ok: false, problem: "removed", seq: expected, id: null, message }, lastSeq: expected - 1 };
        }
        if (e.prevHash !== prevHash || entryHash(e, e.seq, prevHash) !== e.hash) {
          return {
            problem: { ok: false, problem: "altered", seq: e.seq, id: e.id, message: `entry #${e.seq} (id ${e.id}) was altered` },
            lastSeq: expected - 1,
          };
        }
        prevHash = e.hash;
        expected += 1;
      }
      if (page.length < VERIFY_PAGE) return { problem: null, lastSeq: expected - 1 };
    }
  }

  /** Each seal must be authentic and match the chain at its head; a chain rewritten consistently fails here. */
  async function verifySeals(lastSeq: number, chainBreak: number): Promise<{ problem: Problem | null; seals: number }> {
    let afterId = 0;
    let count = 0;
    let previousSeq = 0;
    for (;;) {
      const page = await repo.sealsPage(database.db, afterId, VERIFY_PAGE);
      for (const s of page) {
        count += 1;
        afterId = s.id;
        if (!sealMacValid(key, s.lastSeq, s.lastHash, s.mac)) {
          return {
            problem: {
              ok: false,
              problem: "seal_invalid",
              seq: s.lastSeq,
              id: null,
              message: `seal ${s.id} (up to entry #${s.lastSeq}) is not authentic: forged, or sealed with another MOTCUA_AUDIT_KEY`,
            },
            seals: count,
          };
        }
        // Past a break the chain already reported, seals cannot match: only their authenticity counts.
        if (s.lastSeq >= chainBreak) continue;
        if (s.lastSeq > lastSeq) {
          const first = lastSeq + 1;
          const message = first === s.lastSeq ? `entry #${first} was removed` : `entries #${first} to #${s.lastSeq} were removed`;
          return { problem: { ok: false, problem: "removed", seq: first, id: null, message }, seals: count };
        }
        const hash = await repo.hashAtSeq(database.db, s.lastSeq);
        if (hash !== s.lastHash) {
          const from = previousSeq + 1;
          return {
            problem: {
              ok: false,
              problem: "altered",
              seq: from,
              id: null,
              message: `the chain was rewritten between entries #${from} and #${s.lastSeq} (seal ${s.id} no longer matches)`,
            },
            seals: count,
          };
        }
        previousSeq = s.lastSeq;
      }
      if (page.length < VERIFY_PAGE) return { problem: null, seals: count };
    }
  }

  async function verify(): Promise<VerifyReport> {
    const chain = await verifyChain();
    const seals = await verifySeals(chain.lastSeq, chain.problem?.seq ?? Number.MAX_SAFE_INTEGER);
    const problems = [chain.problem, seals.problem].filter((p): p is Problem => p !== null);
    if (problems.length) return problems.reduce((a, b) => (b.seq < a.seq ? b : a));
    return { ok: true, sealed: chain.lastSeq, unsealed: await repo.countUnsealed(database.db), seals: seals.seals };
  }

  return { record, seal, verify };
}

/**
 * The key that authenticates seals: MOTCUA_AUDIT_KEY, or one generated once into the data directory
 * (mode 0600). It is kept out of the database so that whoever can rewrite the tables cannot re-seal them.
 */
export function auditKey(configured: string | null, dataDir: string): string {
  return localSecret(configured, dataDir, "audit.key");
}
