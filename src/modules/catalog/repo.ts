import type { SQL } from "drizzle-orm";
import { and, asc, desc, eq, isNotNull, isNull, lte, max, sql } from "../../platform/db/drizzle.ts";
import { type Db, execRows, prepared } from "../../platform/db/index.ts";
import type { ProcedureContent } from "./model.ts";
import type { VersionRow } from "./present.ts";
import type { IndexedProcedure } from "./search-index.ts";
import { catalogWords, procedures, procedureVersions } from "./tables.ts";

export type ProcedureRow = typeof procedures.$inferSelect;
export type NewProcedureRow = typeof procedures.$inferInsert;
export type NewVersionRow = typeof procedureVersions.$inferInsert;

const versionColumns = {
  procedureCode: procedureVersions.procedureCode,
  version: procedureVersions.version,
  content: procedureVersions.content,
  createdAt: procedureVersions.createdAt,
  updatedAt: procedureVersions.updatedAt,
  publishedAt: procedureVersions.publishedAt,
  publishedBy: procedureVersions.publishedBy,
};

/** Inserts the procedure's row unless the code is taken; returns whether it was inserted. */
export async function insertProcedure(tx: Db, row: NewProcedureRow): Promise<boolean> {
  const inserted = await tx.insert(procedures).values(row).onConflictDoNothing().returning({ code: procedures.code });
  return inserted.length === 1;
}

/** The procedure's row, locked until the transaction ends: one writer of a procedure's versions at a time. */
export async function lockProcedure(tx: Db, code: string): Promise<ProcedureRow | null> {
  const rows = await tx.select().from(procedures).where(eq(procedures.code, code)).for("update");
  return rows[0] ?? null;
}

export async function findProcedure(db: Db, code: string): Promise<ProcedureRow | null> {
  const rows = await db.select().from(procedures).where(eq(procedures.code, code));
  return rows[0] ?? null;
}

export async function findDraft(db: Db, code: string): Promise<VersionRow | null> {
  const rows = await db
    .select(versionColumns)
    .from(procedureVersions)
    .where(and(eq(procedureVersions.procedureCode, code), isNull(procedureVersions.publishedAt)));
  return rows[0] ?? null;
}

export async function findVersion(db: Db, code: string, version: number): Promise<VersionRow | null> {
  const rows = await db
    .select(versionColumns)
    .from(procedureVersions)
    .where(and(eq(procedureVersions.procedureCode, code), eq(procedureVersions.version, version)));
  return rows[0] ?? null;
}

/** The latest version published at or before `at` (the one in force then), or of all when `at` is null. */
const numberInForce = prepared("procedure_version_in_force", (db, name) =>
  db
    .select({ version: procedureVersions.version })
    .from(procedureVersions)
    .where(
      and(
        eq(procedureVersions.procedureCode, sql.placeholder("code")),
        isNotNull(procedureVersions.publishedAt),
        lte(procedureVersions.publishedAt, sql.placeholder("at")),
      ),
    )
    .orderBy(desc(procedureVersions.version))
    .limit(1)
    .prepare(name),
);

/** The number of the version in force at `at` (its content is read once per version: it never changes). */
export async function versionNumberInForce(db: Db, code: string, at: Date): Promise<number | null> {
  const rows = await numberInForce(db).execute({ code, at });
  return rows[0]?.version ?? null;
}

export async function versionInForce(db: Db, code: string, at: Date | null): Promise<VersionRow | null> {
  const rows = await db
    .select(versionColumns)
    .from(procedureVersions)
    .where(
      and(
        eq(procedureVersions.procedureCode, code),
        isNotNull(procedureVersions.publishedAt),
        at ? lte(procedureVersions.publishedAt, at) : undefined,
      ),
    )
    .orderBy(desc(procedureVersions.version))
    .limit(1);
  return rows[0] ?? null;
}

export function listVersions(db: Db, code: string): Promise<Array<Omit<VersionRow, "content">>> {
  const { content: _content, ...info } = versionColumns;
  return db.select(info).from(procedureVersions).where(eq(procedureVersions.procedureCode, code)).orderBy(asc(procedureVersions.version));
}

export async function nextVersion(tx: Db, code: string): Promise<number> {
  const [row] = await tx.select({ n: max(procedureVersions.version) }).from(procedureVersions).where(eq(procedureVersions.procedureCode, code));
  return (row?.n ?? 0) + 1;
}

export async function insertVersion(tx: Db, row: NewVersionRow): Promise<void> {
  await tx.insert(procedureVersions).values(row);
}

/** The version a caller's earlier write with this request id created, if any. */
export async function findByRequest(db: Db, createdBy: string, requestId: string): Promise<VersionRow | null> {
  const rows = await db
    .select(versionColumns)
    .from(procedureVersions)
    .where(and(eq(procedureVersions.createdBy, createdBy), eq(procedureVersions.requestId, requestId)));
  return rows[0] ?? null;
}

export async function updateDraft(tx: Db, code: string, version: number, content: ProcedureContent, by: string, at: Date): Promise<void> {
  await tx
    .update(procedureVersions)
    .set({ content, updatedBy: by, updatedAt: at })
    .where(and(eq(procedureVersions.procedureCode, code), eq(procedureVersions.version, version), isNull(procedureVersions.publishedAt)));
}

export async function markPublished(tx: Db, code: string, version: number, at: Date, by: string): Promise<void> {
  await tx
    .update(procedureVersions)
    .set({ publishedAt: at, publishedBy: by })
    .where(and(eq(procedureVersions.procedureCode, code), eq(procedureVersions.version, version), isNull(procedureVersions.publishedAt)));
}

/** Makes `version` the one listed and searched. */
export async function setCurrent(tx: Db, code: string, set: Omit<NewProcedureRow, "code" | "createdAt">): Promise<void> {
  await tx.update(procedures).set(set).where(eq(procedures.code, code));
}

const listed = {
  code: procedures.code,
  name: procedures.name,
  fieldCode: procedures.fieldCode,
  fieldName: procedures.fieldName,
  onlineLevel: procedures.onlineLevel,
  levels: procedures.levels,
  audience: procedures.audience,
  agencyCodes: procedures.agencyCodes,
  summary: procedures.summary,
  currentVersion: procedures.currentVersion,
};

/** The listed columns under the names of `ListedRow` (for statements written in SQL). */
const LISTED_COLUMNS = sql.join(
  Object.entries(listed).map(([key, column]) => sql`${column} AS ${sql.identifier(key)}`),
  sql`, `,
);

/**
 * Every published procedure as the search index keeps it (search-index.ts): what a result shows, the lexemes of
 * its name and of its name, summary and field, and its places in the two orders of results, in this database's
 * collation.
 */
export function indexedProcedures(db: Db): Promise<IndexedProcedure[]> {
  return execRows<IndexedProcedure>(
    db,
    sql`SELECT ${LISTED_COLUMNS},
          tsvector_to_array(${procedures.nameVector}) AS "nameWords",
          tsvector_to_array(${procedures.searchVector}) AS "words",
          (row_number() OVER (ORDER BY char_length(${procedures.name}), ${procedures.name}, ${procedures.code}))::int AS "rank",
          (row_number() OVER (ORDER BY ${procedures.name}, ${procedures.code}))::int AS "alpha"
        FROM ${procedures} WHERE ${procedures.currentVersion} IS NOT NULL`,
  );
}

/** The words (lexemes) the `vietnamese` configuration reads in `text`: what `plainto_tsquery` would search for. */
export async function lexemes(db: Db, text: string): Promise<string[]> {
  const rows = await execRows<{ words: string[] }>(db, sql`SELECT tsvector_to_array(to_tsvector('vietnamese'::regconfig, ${text})) AS words`);
  return rows[0]?.words ?? [];
}

/** The vocabulary typos are corrected against: the words of every version ever listed. */
export async function vocabulary(db: Db): Promise<string[]> {
  return (await db.select({ word: catalogWords.word }).from(catalogWords)).map((r) => r.word);
}

/** Adds the words of a procedure's listed version to the vocabulary that typos are corrected against. */
export async function addWords(tx: Db, code: string): Promise<void> {
  await tx.execute(sql`
    INSERT INTO ${catalogWords} (word)
    SELECT DISTINCT unnest(tsvector_to_array(${procedures.searchVector})) FROM ${procedures} WHERE ${procedures.code} = ${code}
    ON CONFLICT DO NOTHING`);
}

/** The fields (lĩnh vực) that published procedures belong to, by name. */
export function listedFields(db: Db): Promise<Array<{ code: string; name: string }>> {
  return db
    .selectDistinct({ code: procedures.fieldCode, name: procedures.fieldName })
    .from(procedures)
    .where(isNotNull(procedures.currentVersion))
    .orderBy(asc(procedures.fieldName), asc(procedures.fieldCode));
}

export interface AdminListFilter {
  /** Part of the name (diacritics ignored) or the start of the code; empty for all. */
  q: string;
  /** Subtree suffixes (`directory/codes.subtreeSuffix`): a procedure with an agency under one is listed; null lists all. */
  scopeSuffixes: string[] | null;
  limit: number;
  offset: number;
}

export interface AdminListRow {
  code: string;
  name: string;
  fieldName: string;
  currentVersion: number | null;
  draftVersion: number | null;
  /** The implementing agencies of the latest version (the draft's when there is one). */
  agencies: string[];
  publishedAt: Date | null;
}

/**
 * Every procedure, published or not, with its latest name and agencies (the draft's, else the version in
 * force's), by name; `limit` rows at most. The scope is applied to the latest agencies, the ones whose
 * administrators answer for the procedure (service.ts, latestAgencies).
 */
export function listForAdmin(db: Db, f: AdminListFilter): Promise<AdminListRow[]> {
  if (f.scopeSuffixes && f.scopeSuffixes.length === 0) return Promise.resolve([]);
  const v = procedureVersions;
  const name = sql<string>`COALESCE(${v.content}->>'name', ${procedures.name})`;
  const agencies = sql<string[]>`CASE WHEN ${v.version} IS NULL THEN ${procedures.agencyCodes} ELSE ARRAY(SELECT jsonb_array_elements_text(${v.content}->'agencies')) END`;
  const conds: SQL[] = [];
  if (f.scopeSuffixes) {
    const within = sql.join(
      f.scopeSuffixes.map((s) => sql`right(a.code, ${s.length}) = ${s}`),
      sql` OR `,
    );
    conds.push(sql`EXISTS (SELECT 1 FROM unnest(${agencies}) AS a(code) WHERE ${within})`);
  }
  const q = f.q.trim();
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, "\\$&")}%`;
    conds.push(sql`(vn_unaccent(${name}) ILIKE vn_unaccent(${like}) OR ${procedures.code} LIKE ${`${q.replace(/[\\%_]/g, "\\$&")}%`})`);
  }
  return db
    .select({
      code: procedures.code,
      name,
      fieldName: sql<string>`COALESCE(${v.content}->'field'->>'name', ${procedures.fieldName})`,
      currentVersion: procedures.currentVersion,
      draftVersion: v.version,
      agencies,
      publishedAt: procedures.publishedAt,
    })
    .from(procedures)
    .leftJoin(v, and(eq(v.procedureCode, procedures.code), isNull(v.publishedAt)))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(sql`${name} ASC`, asc(procedures.code))
    .limit(f.limit)
    .offset(f.offset);
}

/** The implementing agencies of published procedures. */
export async function listedAgencies(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ code: sql<string>`unnest(${procedures.agencyCodes})` })
    .from(procedures)
    .where(isNotNull(procedures.currentVersion));
  return rows.map((r) => r.code).sort();
}
