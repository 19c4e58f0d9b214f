// Reading the catalogue: the portal's search and procedures, the versions dossiers are bound to, the
// administrators' list, versions and differences, the national catalogue's export.
import type { Actor } from "../../platform/auth/actor.ts";
import type { Db } from "../../platform/db/index.ts";
import { isAgencyCode, parseAgencyCode, subtreeSuffix } from "../directory/index.ts";
import { diffVersions } from "./diff.ts";
import { ProcedureNotFound, VersionNotFound } from "./errors.ts";
import { type NationalProcedure, toNational } from "./national.ts";
import { canEditProcedure, canReviewProcedure, reviewScopes } from "./policy.ts";
import { presentListItem, presentProcedure, presentVersionInfo, type VersionRow } from "./present.ts";
import * as repo from "./repo.ts";
import { type IndexFilter, plainWords } from "./search-index.ts";
import type { ProcedureDto, ProcedurePage, ProcedureQuery, VersionDiff, VersionInfo } from "./schema.ts";
import type { BoundVersion, CatalogCaches, CatalogCore, CatalogDeps } from "./service.support.ts";

/** One line of the administrators' list: the latest name and agencies, published or not. */
export interface AdminProcedureItem {
  code: string;
  name: string;
  fieldName: string;
  /** The version in force, null before the first publication. */
  currentVersion: number | null;
  /** The draft being edited, null when every version is published. */
  draftVersion: number | null;
  agencies: string[];
  publishedAt: Date | null;
  /** Whether the actor may change it (else they only review it). */
  editable: boolean;
}

export interface AdminProcedurePage {
  items: AdminProcedureItem[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

/** The catalogue service's reading. */
export interface CatalogReading {
  /** Published procedures matching the words and filters, best first; paged without a count. */
  search(query: ProcedureQuery): Promise<ProcedurePage>;
  /** The version in force. Throws ProcedureNotFound (also when nothing is published yet). */
  published(code: string): Promise<ProcedureDto>;
  /** The version in force at `at` (default now), as a new dossier binds to it. Throws ProcedureNotFound. */
  inForce(code: string, at?: Date, db?: Db): Promise<BoundVersion>;
  /** A published version by number, as a dossier bound to it reads it (kept in memory: it never changes). Throws VersionNotFound. */
  bound(code: string, version: number, db?: Db): Promise<BoundVersion>;
  /** One version: published ones for everyone, the draft for its reviewers. Throws VersionNotFound. */
  version(actor: Actor, code: string, version: number): Promise<ProcedureDto>;
  /** Every version of a procedure. Throws ProcedureNotFound, CatalogForbidden. */
  versions(actor: Actor, code: string): Promise<VersionInfo[]>;
  /** The draft being edited, or null. Throws ProcedureNotFound, CatalogForbidden. */
  draft(actor: Actor, code: string): Promise<ProcedureDto | null>;
  /** The changes from version `from` to version `to` (either may be the draft). Throws VersionNotFound, CatalogForbidden. */
  diff(actor: Actor, code: string, from: number, to: number): Promise<VersionDiff>;
  /** The version in force in the national catalogue's shape. Throws ProcedureNotFound. */
  exportNational(code: string): Promise<NationalProcedure>;
  /** The fields (lĩnh vực) of published procedures, by name. */
  fields(): Promise<Array<{ code: string; name: string }>>;
  /** The implementing agencies of published procedures (codes, sorted). */
  agencies(): Promise<string[]>;
  /** The procedures the actor reviews, drafts included, by name; paged without a count. */
  listForAdmin(actor: Actor, query: { q?: string; page?: number; pageSize?: number }): Promise<AdminProcedurePage>;
}

const PAGE_SIZE_DEFAULT = 20;

export function makeReading({ database, clock }: CatalogDeps, core: CatalogCore, caches: CatalogCaches): CatalogReading {
  const { requireReviewer } = core;
  const { cache, boundCache, inForceNow, searchIndex, publications } = caches;

  async function bound(code: string, version: number, db: Db = database.db): Promise<BoundVersion> {
    const key = `${code}@${version}`;
    const hit = boundCache.get(key);
    if (hit) return hit;
    const row = await repo.findVersion(db, code, version);
    if (!row?.publishedAt) throw new VersionNotFound(code, version);
    const found = { code, version, content: row.content, publishedAt: row.publishedAt };
    boundCache.set(key, found);
    return found;
  }

  async function searchNow(query: ProcedureQuery): Promise<ProcedurePage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? PAGE_SIZE_DEFAULT;
    const agency = query.agency && parseAgencyCode(query.agency).ok ? query.agency : null;
    const q = (query.q ?? "").normalize("NFC").slice(0, 200);
    // The words of plain text are read here; anything else (a hyphen, a number with dots) by PostgreSQL's parser.
    const wordsOf = async (text: string) => (text.trim() === "" ? null : (plainWords(text) ?? (await repo.lexemes(database.db, text))));
    const filter: IndexFilter = {
      words: await wordsOf(q),
      fieldCode: query.field ?? null,
      // A malformed agency code matches nothing rather than everything.
      agencySuffix: query.agency ? (agency ? subtreeSuffix(agency) : "-") : null,
      onlineLevel: query.level ?? null,
      audience: query.audience ?? null,
      limit: pageSize + 1,
      offset: (page - 1) * pageSize,
    };
    const index = await searchIndex();
    let rows = index.search(filter);
    let correctedQuery: string | null = null;
    // Nothing has every word: the words may be mistyped ("khai snh"). Correct them against the
    // catalogue's vocabulary and search again.
    if (rows.length === 0 && q.trim()) {
      const words = index.correct(q);
      const corrected = words.map((w) => (w.known ? w.typed : (w.suggestion ?? w.typed)));
      if (words.some((w, i) => corrected[i] !== w.typed)) {
        rows = index.search({ ...filter, words: await wordsOf(corrected.join(" ")) });
        if (rows.length > 0) correctedQuery = corrected.join(" ");
      }
    }
    const hasMore = rows.length > pageSize;
    const items = rows.slice(0, pageSize).map(presentListItem);
    // The total is free on the last page; elsewhere counting would cost more than the page.
    const total = hasMore ? null : rows.length === 0 && page > 1 ? null : (page - 1) * pageSize + items.length;
    return { items, page, pageSize, hasMore, total, correctedQuery };
  }

  return {
    async search(query) {
      const key = JSON.stringify([query.q?.normalize("NFC").trim().toLowerCase() ?? "", query.field, query.agency, query.level, query.audience, query.page, query.pageSize]);
      const hit = cache?.get(key);
      if (hit) return hit;
      const seen = publications();
      const result = await searchNow(query);
      // A publication while it ran (its index read before): answered, but not kept for the next searches.
      if (publications() === seen) cache?.set(key, result);
      return result;
    },

    async published(code) {
      const row = await repo.versionInForce(database.db, code, clock.now());
      if (!row) throw new ProcedureNotFound(code);
      return presentProcedure(row);
    },

    bound,

    async inForce(code, at, db = database.db) {
      // Now (no `at`): the version number is kept for a few seconds, read on every filing.
      let version = at ? undefined : inForceNow.get(code);
      if (version === undefined) {
        const found = await repo.versionNumberInForce(db, code, at ?? clock.now());
        if (found === null) throw new ProcedureNotFound(code);
        if (!at) inForceNow.set(code, found);
        version = found;
      }
      return bound(code, version, db);
    },

    async version(actor, code, version) {
      const row = await repo.findVersion(database.db, code, version);
      if (!row) throw new VersionNotFound(code, version);
      if (!row.publishedAt && !canReviewProcedure(actor, row.content.agencies)) throw new VersionNotFound(code, version);
      return presentProcedure(row);
    },

    async versions(actor, code) {
      await requireReviewer(actor, code);
      return (await repo.listVersions(database.db, code)).map(presentVersionInfo);
    },

    async draft(actor, code) {
      await requireReviewer(actor, code);
      const row = await repo.findDraft(database.db, code);
      return row ? presentProcedure(row) : null;
    },

    async diff(actor, code, from, to) {
      const load = async (v: number): Promise<VersionRow> => {
        const row = await repo.findVersion(database.db, code, v);
        if (!row || (!row.publishedAt && !canReviewProcedure(actor, row.content.agencies))) throw new VersionNotFound(code, v);
        return row;
      };
      const [a, b] = [await load(from), await load(to)];
      return { from, to, changes: diffVersions(a.content, b.content) };
    },

    async exportNational(code) {
      const row = await repo.versionInForce(database.db, code, clock.now());
      if (!row) throw new ProcedureNotFound(code);
      return toNational(row.content);
    },

    async fields() {
      return repo.listedFields(database.db);
    },

    async agencies() {
      return repo.listedAgencies(database.db);
    },

    async listForAdmin(actor, query) {
      const page = Math.max(1, Math.floor(query.page ?? 1));
      const pageSize = Math.min(100, Math.max(1, Math.floor(query.pageSize ?? PAGE_SIZE_DEFAULT)));
      const scopes = reviewScopes(actor);
      const rows = await repo.listForAdmin(database.db, {
        q: (query.q ?? "").normalize("NFC").slice(0, 200),
        scopeSuffixes: scopes ? scopes.filter(isAgencyCode).map(subtreeSuffix) : null,
        limit: pageSize + 1,
        offset: (page - 1) * pageSize,
      });
      const items = rows.slice(0, pageSize).map((r) => ({ ...r, editable: canEditProcedure(actor, r.agencies) }));
      return { items, page, pageSize, hasMore: rows.length > pageSize };
    },
  };
}
