// The exchange module's SQL: copies, their timelines, the outbox, the registers' counters and the peers.
import { and, asc, desc, eq, inArray, sql } from "../../platform/db/drizzle.ts";
import { type Db, isUniqueViolation, literal, literalInsert, prepared, runAtCommit } from "../../platform/db/index.ts";
import { exchangeDocuments, exchangeEvidence, exchangeOutbox, exchangePeers, exchangeRegisters, exchangeStatuses } from "./tables.ts";

export type CopyRow = typeof exchangeDocuments.$inferSelect;
export type NewCopyRow = Omit<typeof exchangeDocuments.$inferInsert, "id" | "createdAt" | "updatedAt">;
export type StatusRow = typeof exchangeStatuses.$inferSelect;
export type OutboxRow = typeof exchangeOutbox.$inferSelect;
export type PeerRow = typeof exchangePeers.$inferSelect;
export type Box = "in" | "out";

/**
 * The next number of an agency's register of a year (or the first of `count` in a row): the counter's row is created or
 * incremented and locked until the transaction ends, so two documents registered at once get distinct numbers.
 */
export async function nextRegisterNumber(tx: Db, agencyCode: string, box: Box, year: number, count = 1): Promise<number> {
  const [row] = await tx
    .insert(exchangeRegisters)
    .values({ agencyCode, box, year, lastNumber: count })
    .onConflictDoUpdate({
      target: [exchangeRegisters.agencyCode, exchangeRegisters.box, exchangeRegisters.year],
      set: { lastNumber: sql`${exchangeRegisters.lastNumber} + ${count}` },
    })
    .returning({ n: exchangeRegisters.lastNumber });
  return row!.n - count + 1;
}

/**
 * Queues into the transaction's COMMIT the insert of a copy made whole here (its id and times given): no round trip
 * of its own. A copy of that DocumentId held meanwhile fails the COMMIT. False when `tx` is not a transaction.
 */
export function queueCopy(tx: Db, row: CopyRow): boolean {
  return runAtCommit(tx, literalInsert(exchangeDocuments, row));
}

/** The error of a COMMIT whose queued copy (`queueCopy`) the box held meanwhile (delivered twice at once). */
export function isCopyTaken(err: unknown): boolean {
  return isUniqueViolation(err, "exchange_documents_copy_key");
}

/** Inserts a copy; null when the agency's box already holds that DocumentId. */
export async function insertCopy(tx: Db, row: NewCopyRow): Promise<CopyRow | null> {
  const [inserted] = await tx.insert(exchangeDocuments).values(row).onConflictDoNothing({ target: [exchangeDocuments.agencyCode, exchangeDocuments.box, exchangeDocuments.documentId] }).returning();
  return inserted ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A copy by id; null for an unknown id, or one that is not a UUID at all. */
export async function copyById(db: Db, id: string, opts: { lock?: boolean } = {}): Promise<CopyRow | null> {
  if (!UUID.test(id)) return null;
  const q = db.select().from(exchangeDocuments).where(eq(exchangeDocuments.id, id));
  const [row] = await (opts.lock ? q.for("update") : q);
  return row ?? null;
}

// The copy a status is about, read for every status a sender takes in: built and planned once per connection.
const copyByDocument = prepared("exchange_copy_of", (db, name) =>
  db
    .select()
    .from(exchangeDocuments)
    .where(and(eq(exchangeDocuments.agencyCode, sql.placeholder("agencyCode")), eq(exchangeDocuments.box, sql.placeholder("box")), eq(exchangeDocuments.documentId, sql.placeholder("documentId"))))
    .prepare(name),
);

export async function copyOf(db: Db, agencyCode: string, box: Box, documentId: string, opts: { lock?: boolean } = {}): Promise<CopyRow | null> {
  if (!opts.lock) return (await copyByDocument(db).execute({ agencyCode, box, documentId }))[0] ?? null;
  const q = db
    .select()
    .from(exchangeDocuments)
    .where(and(eq(exchangeDocuments.agencyCode, agencyCode), eq(exchangeDocuments.box, box), eq(exchangeDocuments.documentId, documentId)));
  const [row] = await (opts.lock ? q.for("update") : q);
  return row ?? null;
}

/** The copies of `documentIds` an agency's box holds. */
export function copiesOf(db: Db, agencyCode: string, box: Box, documentIds: readonly string[]): Promise<CopyRow[]> {
  const d = exchangeDocuments;
  return db
    .select()
    .from(d)
    .where(and(eq(d.agencyCode, agencyCode), eq(d.box, box), inArray(d.documentId, [...documentIds])));
}

/** Which of `documentIds` an agency's box holds already. */
export async function documentIdsHeld(db: Db, agencyCode: string, box: Box, documentIds: readonly string[]): Promise<Set<string>> {
  const d = exchangeDocuments;
  const rows = await db
    .select({ documentId: d.documentId })
    .from(d)
    .where(and(eq(d.agencyCode, agencyCode), eq(d.box, box), inArray(d.documentId, [...documentIds])));
  return new Set(rows.map((r) => r.documentId));
}

export async function updateCopy(tx: Db, id: string, patch: Partial<NewCopyRow>): Promise<void> {
  await tx
    .update(exchangeDocuments)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(exchangeDocuments.id, id));
}

export interface RegisterQuery {
  agencyCode: string;
  box: Box;
  year?: number | undefined;
  /** Words matched, without diacritics and case, against the number, notation, sender and subject. */
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** Copies of an agency's box (its register), the newest first, filtered by year and words. */
export function listCopies(db: Db, query: RegisterQuery): Promise<CopyRow[]> {
  const d = exchangeDocuments;
  const conds = [eq(d.agencyCode, query.agencyCode), eq(d.box, query.box)];
  if (query.year !== undefined) conds.push(eq(d.registerYear, query.year));
  for (const word of (query.q ?? "").split(/\s+/).filter(Boolean).slice(0, 8)) {
    const like = `%${word.replace(/[\\%_]/g, "\\$&")}%`;
    conds.push(
      sql`(vn_unaccent(${d.subject}) ILIKE vn_unaccent(${like}) OR vn_unaccent(${d.senderName}) ILIKE vn_unaccent(${like})
        OR vn_unaccent(${d.codeNotation}) ILIKE vn_unaccent(${like}) OR ${d.codeNumber} = ${word} OR ${d.registerNumber}::text = ${word}
        OR vn_unaccent(${d.codeNumber} || '/' || ${d.codeNotation}) ILIKE vn_unaccent(${like}))`,
    );
  }
  return db
    .select()
    .from(d)
    .where(and(...conds))
    .orderBy(desc(d.registerYear), desc(d.registerNumber))
    .limit(query.limit)
    .offset(query.offset);
}

/** Adds a status to a copy's timeline; false when that status (its key) is there already. */
export async function insertStatus(tx: Db, row: Omit<typeof exchangeStatuses.$inferInsert, "id">): Promise<boolean> {
  return (await insertStatuses(tx, [row])).length > 0;
}

/** Adds statuses to timelines; those that were not there already (their keys) are returned. */
export async function insertStatuses(tx: Db, rows: Array<Omit<typeof exchangeStatuses.$inferInsert, "id">>): Promise<Array<{ copyId: string; key: string }>> {
  if (rows.length === 0) return [];
  return tx.insert(exchangeStatuses).values(rows).onConflictDoNothing().returning({ copyId: exchangeStatuses.copyId, key: exchangeStatuses.key });
}

/**
 * Queues into the transaction's COMMIT a status on a copy's timeline and its message to the copy's sender, kept
 * on the outbox as delivered (it went in the answer to the delivery): no round trip of their own. Either is
 * skipped when its key is there already. False when `tx` is not a transaction (nothing is queued).
 */
export function queueAnsweredStatus(tx: Db, status: Omit<typeof exchangeStatuses.$inferInsert, "id">, message: Omit<typeof exchangeOutbox.$inferInsert, "id" | "createdAt" | "state">): boolean {
  const statusSql = `${literalInsert(exchangeStatuses, status)} ON CONFLICT DO NOTHING`;
  const outboxSql = `${literalInsert(exchangeOutbox, { ...message, state: "delivered", deliveredAt: message.deliveredAt ?? new Date() })} ON CONFLICT DO NOTHING`;
  return runAtCommit(tx, statusSql) && runAtCommit(tx, outboxSql);
}

/**
 * A copy's timeline in the order given. Statuses of one second (the wire's timestamps are to the second) go in their
 * life's order, 01 before 03 before 06: the 01 comes back in the answer to the delivery, and the recipient's 03
 * given at once may reach the sender through its outbox before the sender has recorded that answer.
 */
export function statusesOf(db: Db, copyId: string): Promise<StatusRow[]> {
  return db.select().from(exchangeStatuses).where(eq(exchangeStatuses.copyId, copyId)).orderBy(asc(exchangeStatuses.at), asc(exchangeStatuses.code), asc(exchangeStatuses.id));
}

/** Queues a message; null when the pair already has a message with that key. */
export async function insertOutbox(tx: Db, row: Omit<typeof exchangeOutbox.$inferInsert, "id" | "createdAt">): Promise<number | null> {
  const [inserted] = await tx.insert(exchangeOutbox).values(row).onConflictDoNothing().returning({ id: exchangeOutbox.id });
  return inserted?.id ?? null;
}

export async function setOutboxJob(tx: Db, id: number, jobId: number): Promise<void> {
  await tx.update(exchangeOutbox).set({ jobId }).where(eq(exchangeOutbox.id, id));
}

/** Messages whose retry budget is spent, the oldest first. */
export function undeliveredOutbox(db: Db): Promise<OutboxRow[]> {
  return db.select().from(exchangeOutbox).where(eq(exchangeOutbox.state, "undelivered")).orderBy(asc(exchangeOutbox.id)).limit(500);
}

// Read by every delivery job: built and planned once per connection.
const outboxRow = prepared("exchange_outbox_by_id", (db, name) => db.select().from(exchangeOutbox).where(eq(exchangeOutbox.id, sql.placeholder("id"))).prepare(name));

export async function outboxById(db: Db, id: number): Promise<OutboxRow | null> {
  return (await outboxRow(db).execute({ id }))[0] ?? null;
}

export function outboxOfCopy(db: Db, copyId: string): Promise<OutboxRow[]> {
  return db.select().from(exchangeOutbox).where(eq(exchangeOutbox.copyId, copyId)).orderBy(asc(exchangeOutbox.id));
}

export async function recordAttempt(db: Db, id: number, outcome: { delivered: true } | { delivered: false; error: string; final: boolean }): Promise<void> {
  await db
    .update(exchangeOutbox)
    .set(
      outcome.delivered
        ? { state: "delivered", attempts: sql`${exchangeOutbox.attempts} + 1`, deliveredAt: sql`now()`, lastError: null }
        : { attempts: sql`${exchangeOutbox.attempts} + 1`, lastError: outcome.error.slice(0, 500), ...(outcome.final ? { state: "undelivered" } : {}) },
    )
    .where(eq(exchangeOutbox.id, id));
}

/**
 * The messages queued for the same pair after `row`, in their order: what a delivery may take along with it. Only
 * `limit` of them are read (a partial index holds the pending ones).
 */
export function pendingAfter(db: Db, row: Pick<OutboxRow, "id" | "fromAgency" | "toAgency">, limit: number): Promise<OutboxRow[]> {
  const o = exchangeOutbox;
  return db
    .select()
    .from(o)
    .where(and(eq(o.fromAgency, row.fromAgency), eq(o.toAgency, row.toAgency), eq(o.state, "pending"), sql`${o.id} > ${row.id}`))
    .orderBy(asc(o.id))
    .limit(limit);
}

/** Queues into the transaction's COMMIT the mark of a message delivered; false when `tx` is not a transaction. */
export function queueDelivered(tx: Db, id: number): boolean {
  return runAtCommit(tx, `UPDATE exchange_outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = now(), last_error = NULL WHERE id = ${literal(id)}`);
}

/** Queues into the transaction's COMMIT what `setCopySigned` does; false when `tx` is not a transaction. */
export function queueCopySigned(tx: Db, id: string, sha256: string): boolean {
  return runAtCommit(tx, `UPDATE exchange_documents SET signed_sha256 = ${literal(sha256)} WHERE id = ${literal(id)} AND signed_sha256 IS NULL`);
}

/** Keeps a signed edXML under its SHA-256 (once: the same bytes again add nothing). */
export async function insertEvidence(db: Db, sha256: string, xml: string): Promise<void> {
  await db.insert(exchangeEvidence).values({ sha256, xml }).onConflictDoNothing();
}

/** The signed edXML kept under `sha256`, or null when it is not kept as a row (a large one is in the file store). */
export async function evidenceOf(db: Db, sha256: string): Promise<string | null> {
  const [row] = await db.select({ xml: exchangeEvidence.xml }).from(exchangeEvidence).where(eq(exchangeEvidence.sha256, sha256));
  return row?.xml ?? null;
}

/** Keeps the signed edXML of a sent document with its copy (the first one signed: the same for every recipient). */
export async function setCopySigned(db: Db, id: string, sha256: string): Promise<void> {
  await db
    .update(exchangeDocuments)
    .set({ signedSha256: sha256 })
    .where(and(eq(exchangeDocuments.id, id), sql`${exchangeDocuments.signedSha256} IS NULL`));
}

/** Puts an undelivered message back to pending (a retry by the operator). */
export async function reopenOutbox(tx: Db, id: number): Promise<void> {
  await tx.update(exchangeOutbox).set({ state: "pending" }).where(eq(exchangeOutbox.id, id));
}

export function listPeers(db: Db): Promise<PeerRow[]> {
  return db.select().from(exchangePeers).orderBy(asc(exchangePeers.agencyCode));
}

export async function upsertPeer(tx: Db, row: Omit<typeof exchangePeers.$inferInsert, "createdAt" | "updatedAt">): Promise<void> {
  await tx
    .insert(exchangePeers)
    .values(row)
    .onConflictDoUpdate({ target: exchangePeers.agencyCode, set: { name: row.name, nodeUrl: row.nodeUrl, certificate: row.certificate, updatedAt: sql`now()` } });
}

export async function deletePeer(tx: Db, agencyCode: string): Promise<boolean> {
  const gone = await tx.delete(exchangePeers).where(eq(exchangePeers.agencyCode, agencyCode)).returning({ c: exchangePeers.agencyCode });
  return gone.length > 0;
}
