import { bigint, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "../../platform/db/drizzle.ts";
import type { KpiFact } from "./facts.ts";
import type { FormulaVersionBody } from "./formulas.ts";

/**
 * The statistics' log of the dossiers' events: one row per event heard, with what the statistics know of the
 * dossier after it (no personal data). The rebuild recomputes the rollups from it; `dossiersBehind` reads a
 * dossier's fact as it stood at a period's end.
 */
export const kpiFacts = pgTable(
  "kpi_facts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dossierId: text("dossier_id").notNull(),
    provinceCode: text("province_code").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    fact: jsonb("fact").$type<KpiFact>().notNull(),
  },
  (t) => [index("kpi_facts_dossier_idx").on(t.dossierId, t.id), index("kpi_facts_province_idx").on(t.provinceCode, t.at)],
);

/**
 * Changes of the rollups, appended in each dossier change's transaction (never an UPDATE of a shared counter, so
 * concurrent filings never wait on one another), folded into `kpi_rollups` by the `kpi.fold` job. Readers add
 * both.
 */
export const kpiDeltas = pgTable(
  "kpi_deltas",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    provinceCode: text("province_code").notNull(),
    agencyCode: text("agency_code").notNull(),
    competentAgencyCode: text("competent_agency_code").notNull(),
    procedureCode: text("procedure_code").notNull(),
    channel: text("channel").notNull(),
    day: date("day").notNull(),
    measure: text("measure").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [index("kpi_deltas_province_idx").on(t.provinceCode, t.day)],
);

/** The rollups: a measure per (province, receiving agency, competent agency, procedure, channel, day). */
export const kpiRollups = pgTable(
  "kpi_rollups",
  {
    provinceCode: text("province_code").notNull(),
    agencyCode: text("agency_code").notNull(),
    competentAgencyCode: text("competent_agency_code").notNull(),
    procedureCode: text("procedure_code").notNull(),
    channel: text("channel").notNull(),
    day: date("day").notNull(),
    measure: text("measure").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provinceCode, t.day, t.agencyCode, t.competentAgencyCode, t.procedureCode, t.channel, t.measure] }),
    index("kpi_rollups_stock_idx").on(t.provinceCode, t.measure, t.day),
  ],
);

/**
 * The rollups summed per month (`month`: its first day), kept beside the daily ones by the fold and the rebuild: a
 * period's whole months are read here (a quarter: three rows per dimensions and measure instead of some ninety),
 * its partial months from `kpi_rollups`.
 */
export const kpiRollupsMonthly = pgTable(
  "kpi_rollups_monthly",
  {
    provinceCode: text("province_code").notNull(),
    agencyCode: text("agency_code").notNull(),
    competentAgencyCode: text("competent_agency_code").notNull(),
    procedureCode: text("procedure_code").notNull(),
    channel: text("channel").notNull(),
    month: date("month").notNull(),
    measure: text("measure").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.month, t.agencyCode, t.competentAgencyCode, t.procedureCode, t.channel, t.measure] })],
);

/**
 * The stocks (open, overdue) summed over every day up to a closed month's last day, per dimensions, made by the
 * fold: a stock at a day is the latest snapshot before it plus the rollups after it, not every day since the first.
 * A month is closed two days after its end (no event writes a delta on a day before its own).
 */
export const kpiStockSnapshots = pgTable(
  "kpi_stock_snapshots",
  {
    provinceCode: text("province_code").notNull(),
    agencyCode: text("agency_code").notNull(),
    competentAgencyCode: text("competent_agency_code").notNull(),
    procedureCode: text("procedure_code").notNull(),
    channel: text("channel").notNull(),
    monthEnd: date("month_end").notNull(),
    measure: text("measure").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.monthEnd, t.agencyCode, t.competentAgencyCode, t.procedureCode, t.channel, t.measure] })],
);

/**
 * One row (id 1): a counter bumped by whatever recomputes the rollups rather than adding to them (the rebuild, the
 * monthly rows' backfill). A closed period's figures change only then (no event writes a delta on a day before its
 * own, and the fold moves deltas into the rollups without changing their sums): a node keeps them in memory while
 * the counter stays the same.
 */
export const kpiRollupsEpoch = pgTable("kpi_rollups_epoch", {
  id: integer("id").primaryKey(),
  epoch: bigint("epoch", { mode: "number" }).notNull(),
});

/**
 * Versions of the Decision 766 formulas, kept as data (docs/kpi.md): each in force from `valid_from` until the
 * next; a period is computed with the version in force on its first day.
 */
export const kpiFormulaVersions = pgTable("kpi_formula_versions", {
  version: text("version").primaryKey(),
  validFrom: date("valid_from").notNull().unique(),
  body: jsonb("body").$type<FormulaVersionBody>().notNull(),
  addedBy: text("added_by").notNull(),
  addedAt: timestamp("added_at", { withTimezone: true }).notNull(),
});

/** The leaders who asked for the monthly report of an agency's subtree (the toggle on the dashboard). */
export const kpiReportSubscriptions = pgTable(
  "kpi_report_subscriptions",
  {
    userId: text("user_id").notNull(),
    agencyCode: text("agency_code").notNull(),
    /** Where the report goes: the account's address when subscribing. */
    email: text("email").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.agencyCode] })],
);

/** The monthly reports queued for sending: one row per month and subscription, written with the mail's job. */
export const kpiReportSends = pgTable(
  "kpi_report_sends",
  {
    month: text("month").notNull(),
    userId: text("user_id").notNull(),
    agencyCode: text("agency_code").notNull(),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.userId, t.agencyCode] })],
);
