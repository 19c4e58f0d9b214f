import { check, date, integer, jsonb, pgTable, sql, text, timestamp, unique } from "../../platform/db/drizzle.ts";
import { DAY_KINDS } from "./engine.ts";

/**
 * The special days of the national calendar: holidays, compensatory and swapped days off, make-up
 * working days (DOMAIN.md §4). Seeded per year, then edited by administrators; an edit is audited.
 * A removed day keeps its row (`removed_at`), so a later edition of the seed does not bring it back.
 */
export const calendarDays = pgTable(
  "calendar_days",
  {
    date: date("date", { mode: "string" }).primaryKey(),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    nameEn: text("name_en").notNull(),
    /** `seed` (shipped data) or `admin` (an edit). */
    source: text("source").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp("removed_at", { withTimezone: true }),
  },
  (t) => [
    check("calendar_days_kind_known", sql.raw(`"kind" IN (${DAY_KINDS.map((k) => `'${k}'`).join(", ")})`)),
    check("calendar_days_source_known", sql`${t.source} IN ('seed', 'admin')`),
  ],
);

/**
 * Office hours, per agency (`agency_code` NULL: the default for every agency without its own), each
 * version in force from `valid_from`: a dossier is timed by the version in force when it was received.
 * Periods are `HH:MM-HH:MM` strings; `week` lists seven days, Monday first.
 */
export const officeHours = pgTable(
  "office_hours",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    agencyCode: text("agency_code"),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    week: jsonb("week").$type<string[][]>().notNull(),
    makeUpDay: jsonb("make_up_day").$type<string[]>().notNull(),
    dayMinutes: integer("day_minutes").notNull(),
    receiptCutoff: text("receipt_cutoff"),
    /** Where the hours come from (a decision, or "cfg" default). */
    basis: text("basis"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("office_hours_agency_valid_from_key").on(t.agencyCode, t.validFrom).nullsNotDistinct(),
    check("office_hours_day_minutes_range", sql`${t.dayMinutes} BETWEEN 1 AND 1440`),
    check("office_hours_cutoff_format", sql`${t.receiptCutoff} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
  ],
);
