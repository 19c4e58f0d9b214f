import { and, desc, eq } from "../../platform/db/drizzle.ts";
import type { Db } from "../../platform/db/index.ts";
import { registryLookups } from "./tables.ts";

export type LookupRow = typeof registryLookups.$inferSelect;
export type NewLookupRow = Omit<typeof registryLookups.$inferInsert, "id">;

export async function insertLookup(tx: Db, row: NewLookupRow): Promise<LookupRow> {
  const [inserted] = await tx.insert(registryLookups).values(row).returning();
  return inserted!;
}

/** The look-ups about one person or business, newest first. */
export function lookupsOf(db: Db, subjectType: "citizen" | "business", subjectId: string, limit = 100): Promise<LookupRow[]> {
  return db
    .select()
    .from(registryLookups)
    .where(and(eq(registryLookups.subjectType, subjectType), eq(registryLookups.subjectId, subjectId)))
    .orderBy(desc(registryLookups.at), desc(registryLookups.id))
    .limit(limit);
}
