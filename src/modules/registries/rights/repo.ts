// SQL of the data-subject rights and abuse reports (issue 18, items 5 and 6).
import { and, asc, desc, eq, isNull, like, lt, or, sql } from "../../../platform/db/drizzle.ts";
import type { Db } from "../../../platform/db/index.ts";
import { registryLookups } from "../tables.ts";
import { dataBreaches, dataConsents, dataSubjectRequests } from "./tables.ts";

export type ConsentRow = typeof dataConsents.$inferSelect;
export type RequestRow = typeof dataSubjectRequests.$inferSelect;
export type BreachRow = typeof dataBreaches.$inferSelect;
export type LookupRow = typeof registryLookups.$inferSelect;

export function consentsOf(db: Db, userId: string): Promise<ConsentRow[]> {
  return db.select().from(dataConsents).where(eq(dataConsents.userId, userId)).orderBy(desc(dataConsents.grantedAt), desc(dataConsents.id));
}

export async function consentInForce(db: Db, userId: string, purpose: string): Promise<ConsentRow | null> {
  const [row] = await db
    .select()
    .from(dataConsents)
    .where(and(eq(dataConsents.userId, userId), eq(dataConsents.purpose, purpose), isNull(dataConsents.withdrawnAt)));
  return row ?? null;
}

/** Grants, or returns the grant already in force (the partial unique index keeps one). */
export async function grantConsent(db: Db, row: Omit<typeof dataConsents.$inferInsert, "id">): Promise<ConsentRow | null> {
  const [inserted] = await db.insert(dataConsents).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

export async function withdrawConsent(db: Db, userId: string, purpose: string, at: Date, by: string): Promise<ConsentRow | null> {
  const [row] = await db
    .update(dataConsents)
    .set({ withdrawnAt: at, withdrawnBy: by })
    .where(and(eq(dataConsents.userId, userId), eq(dataConsents.purpose, purpose), isNull(dataConsents.withdrawnAt)))
    .returning();
  return row ?? null;
}

export async function insertRequest(db: Db, row: Omit<typeof dataSubjectRequests.$inferInsert, "id">): Promise<RequestRow> {
  const [inserted] = await db.insert(dataSubjectRequests).values(row).returning();
  return inserted!;
}

export function requestsOf(db: Db, userId: string): Promise<RequestRow[]> {
  return db.select().from(dataSubjectRequests).where(eq(dataSubjectRequests.userId, userId)).orderBy(desc(dataSubjectRequests.filedAt));
}

/**
 * The requests still open first (by their nearest deadline), then the answered, newest first: all of them (`suffixes` null), or
 * those addressed to an agency whose code ends with one of `suffixes` (the subtrees overseen: `subtreeSuffix`).
 */
export function allRequests(db: Db, suffixes: string[] | null, limit = 200): Promise<RequestRow[]> {
  const t = dataSubjectRequests;
  // An agency code holds only digits, capitals and dots: nothing LIKE reads as a wildcard.
  const scope = suffixes === null ? undefined : suffixes.length ? or(...suffixes.map((s) => like(t.agencyCode, `%${s}`))) : sql`false`;
  return db
    .select()
    .from(dataSubjectRequests)
    .where(scope)
    // An open request by its nearest deadline: the reply's while it has none, then the answer's.
    .orderBy(
      sql`${t.answeredAt} IS NOT NULL`,
      sql`COALESCE(CASE WHEN ${t.repliedAt} IS NULL THEN ${t.replyDueAt} END, ${t.dueAt})`,
      desc(t.filedAt),
    )
    .limit(limit);
}

export async function requestById(db: Db, id: string, forUpdate = false): Promise<RequestRow | null> {
  const q = db.select().from(dataSubjectRequests).where(eq(dataSubjectRequests.id, id));
  const [row] = forUpdate ? await q.for("update") : await q;
  return row ?? null;
}

export async function updateRequest(db: Db, id: string, set: Partial<typeof dataSubjectRequests.$inferInsert>): Promise<RequestRow> {
  const [row] = await db.update(dataSubjectRequests).set(set).where(eq(dataSubjectRequests.id, id)).returning();
  return row!;
}

export async function insertBreach(db: Db, row: Omit<typeof dataBreaches.$inferInsert, "id">): Promise<BreachRow> {
  const [inserted] = await db.insert(dataBreaches).values(row).returning();
  return inserted!;
}

/** The register, newest discovered first. */
export function breaches(db: Db, limit = 1000): Promise<BreachRow[]> {
  return db.select().from(dataBreaches).orderBy(desc(dataBreaches.discoveredAt)).limit(limit);
}

export async function breachById(db: Db, id: string, forUpdate = false): Promise<BreachRow | null> {
  const q = db.select().from(dataBreaches).where(eq(dataBreaches.id, id));
  const [row] = forUpdate ? await q.for("update") : await q;
  return row ?? null;
}

export async function markNotified(db: Db, id: string, at: Date, by: string): Promise<BreachRow> {
  const [row] = await db.update(dataBreaches).set({ notifiedAt: at, notifiedBy: by }).where(eq(dataBreaches.id, id)).returning();
  return row!;
}

/** An agency's look-ups in [from, to), oldest first, at most `limit`. */
export function agencyLookups(db: Db, agencyCode: string, from: Date, to: Date, limit = 20_000): Promise<LookupRow[]> {
  return db
    .select()
    .from(registryLookups)
    .where(and(eq(registryLookups.agencyCode, agencyCode), sql`${registryLookups.at} >= ${from}`, lt(registryLookups.at, to)))
    .orderBy(asc(registryLookups.at))
    .limit(limit);
}
