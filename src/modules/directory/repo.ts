import type { SQL } from "drizzle-orm";
import { and, asc, count, eq, sql } from "../../platform/db/drizzle.ts";
import type { Db } from "../../platform/db/index.ts";
import { adminCommunes, adminProvinces, agencies, departments } from "./tables.ts";

export type ProvinceRow = typeof adminProvinces.$inferSelect;
export type CommuneRow = typeof adminCommunes.$inferSelect;
export type AgencyRow = typeof agencies.$inferSelect;
export type NewAgencyRow = typeof agencies.$inferInsert;
export type DepartmentRow = typeof departments.$inferSelect;
export type NewDepartmentRow = typeof departments.$inferInsert;

// A few hundred rows per statement keeps each insert well under PostgreSQL's 65,535 parameters.
const BATCH = 500;

/** Inserts or renames provinces (a new edition of the list may rename a unit, never recode it). */
export async function upsertProvinces(tx: Db, rows: ProvinceRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await tx
      .insert(adminProvinces)
      .values(rows.slice(i, i + BATCH))
      .onConflictDoUpdate({ target: adminProvinces.code, set: { name: sql`excluded.name` } });
  }
}

export async function upsertCommunes(tx: Db, rows: CommuneRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await tx
      .insert(adminCommunes)
      .values(rows.slice(i, i + BATCH))
      .onConflictDoUpdate({
        target: adminCommunes.code,
        set: { name: sql`excluded.name`, provinceCode: sql`excluded.province_code` },
      });
  }
}

export function listProvinces(db: Db): Promise<ProvinceRow[]> {
  return db.select().from(adminProvinces).orderBy(asc(adminProvinces.code));
}

export async function findProvince(db: Db, code: string): Promise<ProvinceRow | null> {
  const rows = await db.select().from(adminProvinces).where(eq(adminProvinces.code, code));
  return rows[0] ?? null;
}

export function listCommunes(db: Db, provinceCode: string): Promise<CommuneRow[]> {
  return db
    .select()
    .from(adminCommunes)
    .where(eq(adminCommunes.provinceCode, provinceCode))
    .orderBy(asc(adminCommunes.code));
}

export async function findCommune(db: Db, code: string): Promise<CommuneRow | null> {
  const rows = await db.select().from(adminCommunes).where(eq(adminCommunes.code, code));
  return rows[0] ?? null;
}

export interface AgencyFilter {
  /** Words that must all appear, ignoring diacritics and case, in the code, name or English name. */
  words: string[];
  parentCode: string | null;
  provinceCode: string | null;
  limit: number;
  offset: number;
}

const searchable = sql`vn_unaccent(${agencies.code} || ' ' || ${agencies.name} || ' ' || coalesce(${agencies.nameEn}, ''))`;

// The level-1 unit, then levels 2, 3, 4: each unit comes right before the units under it.
const hierarchyOrder = [
  sql`right(${agencies.code}, 3)`,
  sql`substr(${agencies.code}, 8, 2)`,
  sql`substr(${agencies.code}, 5, 2)`,
  sql`substr(${agencies.code}, 1, 3)`,
];

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function agencyConditions(f: AgencyFilter): SQL | undefined {
  const conds: SQL[] = f.words.map((w) => sql`${searchable} LIKE '%' || vn_unaccent(${escapeLike(w)}) || '%'`);
  if (f.parentCode !== null) conds.push(eq(agencies.parentCode, f.parentCode));
  if (f.provinceCode !== null) conds.push(eq(agencies.provinceCode, f.provinceCode));
  return conds.length ? and(...conds) : undefined;
}

/** One page of agencies in hierarchy order, and how many match in all. */
export async function searchAgencies(db: Db, f: AgencyFilter): Promise<{ rows: AgencyRow[]; total: number }> {
  const where = agencyConditions(f);
  const rows = await db
    .select({ agency: agencies, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(agencies)
    .where(where)
    .orderBy(...hierarchyOrder)
    .limit(f.limit)
    .offset(f.offset);
  if (rows.length > 0) return { rows: rows.map((r) => r.agency), total: rows[0]!.total };
  if (f.offset === 0) return { rows: [], total: 0 };
  // Past the last page the window gives no count: ask for it.
  const [c] = await db.select({ n: count() }).from(agencies).where(where);
  return { rows: [], total: c?.n ?? 0 };
}

export async function findAgency(db: Db, code: string): Promise<AgencyRow | null> {
  const rows = await db.select().from(agencies).where(eq(agencies.code, code));
  return rows[0] ?? null;
}

export function listDepartments(db: Db, agencyCode: string): Promise<DepartmentRow[]> {
  return db.select().from(departments).where(eq(departments.agencyCode, agencyCode)).orderBy(asc(departments.id));
}

/** Inserts the agency unless its code is taken; returns whether it was inserted. */
export async function insertAgency(tx: Db, row: NewAgencyRow): Promise<boolean> {
  const inserted = await tx.insert(agencies).values(row).onConflictDoNothing().returning({ code: agencies.code });
  return inserted.length === 1;
}

/** Inserts departments, skipping codes the agency already has; returns the codes inserted. */
export async function insertDepartments(tx: Db, rows: NewDepartmentRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await tx
    .insert(departments)
    .values(rows)
    .onConflictDoNothing({ target: [departments.agencyCode, departments.code] })
    .returning({ code: departments.code });
  return inserted.map((r) => r.code);
}

/** Codes of the agencies whose identifier ends with `suffix` (a unit and everything under it). */
export async function agencyCodesEndingWith(db: Db, suffix: string): Promise<string[]> {
  const rows = await db
    .select({ code: agencies.code })
    .from(agencies)
    .where(sql`right(${agencies.code}, ${suffix.length}) = ${suffix}`)
    .orderBy(...hierarchyOrder);
  return rows.map((r) => r.code);
}
