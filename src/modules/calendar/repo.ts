import { and, asc, between, eq, inArray, isNotNull, isNull, sql } from "../../platform/db/drizzle.ts";
import type { Db } from "../../platform/db/index.ts";
import { calendarDays, officeHours } from "./tables.ts";

export type DayRow = typeof calendarDays.$inferSelect;
export type NewDayRow = Pick<typeof calendarDays.$inferInsert, "date" | "kind" | "name" | "nameEn" | "source">;
export type OfficeHoursRow = typeof officeHours.$inferSelect;
export type NewOfficeHoursRow = Omit<typeof officeHours.$inferInsert, "id" | "updatedAt">;

const BATCH = 500;

/** The special days of a year still in force, by date. */
export function daysOfYear(db: Db, year: number): Promise<Pick<DayRow, "date" | "kind" | "name" | "nameEn">[]> {
  return db
    .select({ date: calendarDays.date, kind: calendarDays.kind, name: calendarDays.name, nameEn: calendarDays.nameEn })
    .from(calendarDays)
    .where(and(between(calendarDays.date, `${year}-01-01`, `${year}-12-31`), isNull(calendarDays.removedAt)))
    .orderBy(asc(calendarDays.date));
}

/** Inserts seeded days, leaving every date already present (also a removed one) as it is. */
export async function insertSeedDays(tx: Db, rows: NewDayRow[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const inserted = await tx
      .insert(calendarDays)
      .values(rows.slice(i, i + BATCH))
      .onConflictDoNothing()
      .returning({ date: calendarDays.date });
    n += inserted.length;
  }
  return n;
}

/** Adds a day, or brings back a removed one with the new content; null when the date is in force already. */
export async function addDay(tx: Db, row: NewDayRow): Promise<DayRow | null> {
  const rows = await tx
    .insert(calendarDays)
    .values(row)
    .onConflictDoUpdate({
      target: calendarDays.date,
      set: {
        kind: sql`excluded.kind`,
        name: sql`excluded.name`,
        nameEn: sql`excluded.name_en`,
        source: sql`excluded.source`,
        updatedAt: sql`now()`,
        removedAt: null,
      },
      setWhere: isNotNull(calendarDays.removedAt),
    })
    .returning();
  return rows[0] ?? null;
}

export async function findDay(db: Db, date: string): Promise<DayRow | null> {
  const rows = await db
    .select()
    .from(calendarDays)
    .where(and(eq(calendarDays.date, date), isNull(calendarDays.removedAt)));
  return rows[0] ?? null;
}

/** Marks the day of one of `kinds` at `date` removed; null when there is none in force. */
export async function removeDay(tx: Db, date: string, kinds: readonly string[]): Promise<DayRow | null> {
  const rows = await tx
    .update(calendarDays)
    .set({ removedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(calendarDays.date, date), isNull(calendarDays.removedAt), inArray(calendarDays.kind, [...kinds])))
    .returning();
  return rows[0] ?? null;
}

export function listOfficeHours(db: Db): Promise<OfficeHoursRow[]> {
  return db.select().from(officeHours).orderBy(asc(officeHours.agencyCode), asc(officeHours.validFrom));
}

/** Writes the office hours of an agency (NULL: the default) in force from a date, replacing that version. */
export async function upsertOfficeHours(tx: Db, row: NewOfficeHoursRow): Promise<OfficeHoursRow> {
  const rows = await tx
    .insert(officeHours)
    .values(row)
    .onConflictDoUpdate({
      target: [officeHours.agencyCode, officeHours.validFrom],
      set: {
        week: sql`excluded.week`,
        makeUpDay: sql`excluded.make_up_day`,
        dayMinutes: sql`excluded.day_minutes`,
        receiptCutoff: sql`excluded.receipt_cutoff`,
        basis: sql`excluded.basis`,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return rows[0]!;
}

/** Inserts office hours unless that agency and date already have a version (seeds). */
export async function insertOfficeHours(tx: Db, row: NewOfficeHoursRow): Promise<void> {
  await tx.insert(officeHours).values(row).onConflictDoNothing();
}
