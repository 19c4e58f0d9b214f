// SQL of the audit log. Writers only insert; the sealer and the verifier read in sequence order.
import { sql } from "../db/drizzle.ts";
import { type Db, execRows, literal, literalInsert, runAtCommit } from "../db/index.ts";
import type { SealedEntry, StoredEntry } from "./chain.ts";
import { auditLog, auditSeals } from "./tables.ts";

export interface NewEntry {
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  requestId: string | null;
  changeDigest: string | null;
}

/**
 * Adds the entry to the caller's transaction. It is written with the COMMIT (one round trip fewer for
 * every audited write: see bench/audit-writes.ts), so it is not visible to reads inside the transaction.
 */
export async function insertEntry(tx: Db, e: NewEntry): Promise<void> {
  const statement = literalInsert(auditLog, e);
  if (!runAtCommit(tx, statement)) await tx.execute(sql.raw(statement));
}

/** The time as an exact UTC string, so the hash covers the stored microseconds, not a rounded JS Date. */
const AT_TEXT = sql.raw(`to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

const ENTRY_COLUMNS = sql`id, ${AT_TEXT} AS at, actor, action, subject_type AS "subjectType",
  subject_id AS "subjectId", request_id AS "requestId", change_digest AS "changeDigest"`;

/** Serialises sealers (never writers): the chain has one head. */
export async function lockSealer(tx: Db): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('motcua.audit.seal'))`);
}

/** The latest seal: the chain's trusted head. */
export async function lastSeal(db: Db): Promise<SealRow | null> {
  const rows = await execRows<SealRow>(
    db,
    sql`SELECT id, last_seq AS "lastSeq", last_hash AS "lastHash", mac FROM audit_seals ORDER BY id DESC LIMIT 1`,
  );
  return rows[0] ?? null;
}

/** Committed entries not yet in the chain, oldest first. */
export async function unsealedEntries(tx: Db, limit: number): Promise<StoredEntry[]> {
  return execRows<StoredEntry>(tx, sql`SELECT ${ENTRY_COLUMNS} FROM audit_log WHERE hash IS NULL ORDER BY id LIMIT ${limit}`);
}

export async function writeSeals(tx: Db, sealed: Array<{ id: number; seq: number; prevHash: string; hash: string }>): Promise<void> {
  if (!sealed.length) return;
  // Literals (ids, sequence numbers and hex digests: nothing user-supplied) rather than 4 parameters per
  // row: a batch of a thousand costs the embedded database a fraction of the time.
  const values = sealed
    .map((s) => `(${literal(s.id)}, ${literal(s.seq)}, ${literal(s.prevHash)}, ${literal(s.hash)})`)
    .join(", ");
  await tx.execute(
    sql.raw(`UPDATE audit_log AS a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
      FROM (VALUES ${values}) AS v(id, seq, prev_hash, hash)
      WHERE a.id = v.id AND a.hash IS NULL`),
  );
}

export interface SealRow {
  id: number;
  lastSeq: number;
  lastHash: string;
  mac: string;
}

export async function insertSeal(tx: Db, seal: { lastSeq: number; lastHash: string; mac: string }): Promise<void> {
  await tx.insert(auditSeals).values(seal);
}

/** Sealed entries after `afterSeq`, in chain order (keyset paging: the verifier streams any size of log). */
export async function sealedPage(db: Db, afterSeq: number, limit: number): Promise<SealedEntry[]> {
  return execRows<SealedEntry>(
    db,
    sql`SELECT ${ENTRY_COLUMNS}, seq, prev_hash AS "prevHash", hash FROM audit_log
        WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`,
  );
}

export async function sealsPage(db: Db, afterId: number, limit: number): Promise<SealRow[]> {
  return execRows<SealRow>(
    db,
    sql`SELECT id, last_seq AS "lastSeq", last_hash AS "lastHash", mac FROM audit_seals
        WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`,
  );
}

export async function hashAtSeq(db: Db, seq: number): Promise<string | null> {
  const rows = await execRows<{ hash: string }>(db, sql`SELECT hash FROM audit_log WHERE seq = ${seq}`);
  return rows[0]?.hash ?? null;
}

export async function countUnsealed(db: Db): Promise<number> {
  const rows = await execRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE hash IS NULL`);
  return rows[0]?.n ?? 0;
}
