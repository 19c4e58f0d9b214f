import { check, customType, index, integer, jsonb, pgTable, primaryKey, sql, text, timestamp, uniqueIndex } from "../../platform/db/drizzle.ts";
import type { ProcedureContent } from "./model.ts";
import type { ProcedureSummary } from "./present.ts";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * One row per procedure: the version in force, denormalized for search and listing. A procedure that
 * was never published has a row (its code is taken) with `current_version` null and is not listed.
 */
export const procedures = pgTable(
  "procedures",
  {
    code: text("code").primaryKey(),
    currentVersion: integer("current_version"),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    fieldCode: text("field_code").notNull(),
    fieldName: text("field_name").notNull(),
    onlineLevel: text("online_level").notNull(),
    levels: text("levels").array().notNull(),
    audience: text("audience").array().notNull(),
    agencyCodes: text("agency_codes").array().notNull(),
    /** What a search result shows (processing times, fees), so a search reads no version document. */
    summary: jsonb("summary").$type<ProcedureSummary>().notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // The words of the name and of the name, summary and field, read by each node's search index
    // (search-index.ts) when it is built: a match in the name ranks above one in the summary or field only.
    nameVector: tsvector("name_vector").generatedAlwaysAs(sql`to_tsvector('vietnamese'::regconfig, name)`),
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      sql`setweight(to_tsvector('vietnamese'::regconfig, name), 'A') || setweight(to_tsvector('vietnamese'::regconfig, description), 'B') || setweight(to_tsvector('vietnamese'::regconfig, field_name), 'C')`,
    ),
  },
  (t) => [
    check("procedures_online_level_valid", sql`${t.onlineLevel} IN ('full', 'partial')`),
    index("procedures_field_idx").on(t.fieldCode),
    index("procedures_agencies_idx").using("gin", t.agencyCodes),
    index("procedures_listed_name_idx").on(t.name).where(sql`${t.currentVersion} IS NOT NULL`),
  ],
);

/**
 * Every version of every procedure. A version is a draft until `published_at` is set; from then on a
 * trigger refuses to change or delete it (migration 0013), so a dossier bound to it keeps its rules.
 */
export const procedureVersions = pgTable(
  "procedure_versions",
  {
    procedureCode: text("procedure_code")
      .notNull()
      .references(() => procedures.code),
    version: integer("version").notNull(),
    content: jsonb("content").$type<ProcedureContent>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    publishedBy: text("published_by"),
    /** The caller's request id of the write that created this version (retries return it). */
    requestId: text("request_id"),
  },
  (t) => [
    primaryKey({ columns: [t.procedureCode, t.version] }),
    check("procedure_versions_version_positive", sql`${t.version} > 0`),
    // At most one draft per procedure.
    uniqueIndex("procedure_versions_one_draft_idx").on(t.procedureCode).where(sql`${t.publishedAt} IS NULL`),
    uniqueIndex("procedure_versions_request_idx").on(t.createdBy, t.requestId).where(sql`${t.requestId} IS NOT NULL`),
  ],
);

/**
 * The words (unaccented lexemes) of published procedures' names, summaries and fields: the vocabulary
 * a mistyped word is corrected against. Only grows; a word no longer used corrects to no result.
 */
export const catalogWords = pgTable("catalog_words", {
  word: text("word").primaryKey(),
});
