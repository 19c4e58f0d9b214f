import { randomUUID } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { and, desc, eq, gte, ilike, isNull, lt, lte, or, sql } from "../../platform/db/drizzle.ts";
import { type Db, literalInsert, runAtCommit } from "../../platform/db/index.ts";
import { registryLookups } from "./tables.ts";

export type LookupRow = typeof registryLookups.$inferSelect;
export type NewLookupRow = Omit<typeof registryLookups.$inferInsert, "id">;

export async function insertLookup(tx: Db, row: NewLookupRow): Promise<LookupRow> {
  const [inserted] = await tx.insert(registryLookups).values(row).returning();
  return inserted!;
}

/**
 * Adds the look-up to the caller's transaction, written with its COMMIT (`runAtCommit`: a look-up's record and its
 * audit entry are then one round trip with the COMMIT), and returns the row as it will be stored.
 */
export async function queueLookup(tx: Db, row: NewLookupRow): Promise<LookupRow> {
  const stored: LookupRow = { covertPurpose: null, discloseAt: null, requestId: null, agencyCode: null, prefill: false, ...row, id: randomUUID() };
  const statement = literalInsert(registryLookups, stored);
  if (!runAtCommit(tx, statement)) await tx.execute(sql.raw(statement));
  return stored;
}

export interface LookupsFilter {
  from?: Date | undefined;
  /** Exclusive. */
  to?: Date | undefined;
  agencyCode?: string | undefined;
  registry?: string | undefined;
  /** Words of the purpose (case-insensitive). */
  purpose?: string | undefined;
  /** Only the look-ups disclosed by then (an ordinary one always is; a covert one from its `disclose_at`). */
  disclosedBy?: Date | undefined;
}

/** The look-ups about one person or business, newest first. */
export function lookupsOf(db: Db, subjectType: "citizen" | "business", subjectId: string, filter: LookupsFilter = {}, limit = 1000): Promise<LookupRow[]> {
  const t = registryLookups;
  const where: Array<SQL | undefined> = [eq(t.subjectType, subjectType), eq(t.subjectId, subjectId)];
  if (filter.from) where.push(gte(t.at, filter.from));
  if (filter.to) where.push(lt(t.at, filter.to));
  if (filter.agencyCode) where.push(eq(t.agencyCode, filter.agencyCode));
  if (filter.registry) where.push(eq(t.registry, filter.registry));
  if (filter.purpose) where.push(ilike(t.purpose, `%${filter.purpose.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filter.disclosedBy) where.push(or(isNull(t.discloseAt), lte(t.discloseAt, filter.disclosedBy)));
  return db.select().from(t).where(and(...where)).orderBy(desc(t.at), desc(t.id)).limit(limit);
}
