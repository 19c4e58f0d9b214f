// The catalogue of administrative procedures (issue 4): drafts, publishing, versions, search and the
// national interchange shape.
import { LRUCache } from "lru-cache";
import { type Actor, actorRef } from "../../platform/auth/actor.ts";
import type { Audit } from "../../platform/audit/index.ts";
import type { Clock } from "../../platform/clock.ts";
import { afterCommit, type Database, type Db } from "../../platform/db/index.ts";
import { type FieldProblem } from "../../platform/http/errors.ts";
import { isAgencyCode, parseAgencyCode, subtreeSuffix } from "../directory/codes.ts";
import type { DirectoryService } from "../directory/service.ts";
import { diffVersions } from "./diff.ts";
import {
  CatalogForbidden,
  CodeMismatch,
  InvalidImport,
  NoDraft,
  NotPublishable,
  ProcedureExists,
  ProcedureNotFound,
  VersionNotFound,
} from "./errors.ts";
import type { ProcedureContent } from "./model.ts";
import { fromNationalDocument, type NationalProcedure, toNational } from "./national.ts";
import { canEditProcedure, canReviewProcedure, reviewScopes } from "./policy.ts";
import { listedColumns, presentListItem, presentProcedure, presentVersionInfo, type VersionRow } from "./present.ts";
import * as repo from "./repo.ts";
import type { ProcedureDto, ProcedureInput, ProcedurePage, ProcedureQuery, ValidationReport, VersionDiff, VersionInfo } from "./schema.ts";
import { agenciesNamed, type DirectoryFacts, publishProblems } from "./validate.ts";

/** The request that caused a change, for the audit entry. */
export interface ChangeMeta {
  requestId?: string | null;
}

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

/** A published version as a dossier binds to it. */
export interface BoundVersion {
  code: string;
  version: number;
  content: ProcedureContent;
  publishedAt: Date;
}

export interface CatalogService {
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
  /**
   * Creates a procedure with its first draft; a retry with the same `requestId` returns the first result
   * (`created: false`). Throws CatalogForbidden, ProcedureExists.
   */
  create(actor: Actor, input: ProcedureInput, meta?: ChangeMeta, tx?: Db): Promise<{ procedure: ProcedureDto; created: boolean }>;
  /** Writes the draft (a new one after the last published version). Throws ProcedureNotFound, CodeMismatch, CatalogForbidden. */
  saveDraft(actor: Actor, code: string, content: ProcedureContent, meta?: ChangeMeta, tx?: Db): Promise<ProcedureDto>;
  /** What publishing the draft would refuse. Throws ProcedureNotFound, NoDraft, CatalogForbidden. */
  validateDraft(actor: Actor, code: string): Promise<ValidationReport>;
  /** Publishes the draft: it becomes the version in force and never changes again. Throws NotPublishable, NoDraft, CatalogForbidden. */
  publish(actor: Actor, code: string, meta?: ChangeMeta, tx?: Db): Promise<ProcedureDto>;
  /** The changes from version `from` to version `to` (either may be the draft). Throws VersionNotFound, CatalogForbidden. */
  diff(actor: Actor, code: string, from: number, to: number): Promise<VersionDiff>;
  /** Imports national documents as drafts, all or nothing. Throws InvalidImport (every problem), CatalogForbidden. */
  importNational(actor: Actor, doc: unknown, meta?: ChangeMeta): Promise<Array<{ code: string; version: number; created: boolean }>>;
  /** The version in force in the national catalogue's shape. Throws ProcedureNotFound. */
  exportNational(code: string): Promise<NationalProcedure>;
  /** The fields (lĩnh vực) of published procedures, by name. */
  fields(): Promise<Array<{ code: string; name: string }>>;
  /** The implementing agencies of published procedures (codes, sorted). */
  agencies(): Promise<string[]>;
  /** The procedures the actor reviews, drafts included, by name; paged without a count. */
  listForAdmin(actor: Actor, query: { q?: string; page?: number; pageSize?: number }): Promise<AdminProcedurePage>;
}

export interface CatalogDeps {
  database: Database;
  clock: Clock;
  audit: Audit;
  directory: DirectoryService;
  /** How long a repeated search may be answered from memory (0: never). */
  searchCacheSeconds?: number;
}

const PAGE_SIZE_DEFAULT = 20;

/** How long a node keeps the number of a procedure's version in force (a publication on this node clears it). */
export const IN_FORCE_SECONDS = 5;

export function makeCatalogService({ database, clock, audit, directory, searchCacheSeconds = 0 }: CatalogDeps): CatalogService {
  async function facts(db: Db, content: ProcedureContent): Promise<DirectoryFacts> {
    const departments = new Map<string, Set<string>>();
    for (const code of agenciesNamed(content)) {
      const agency = await directory.agency(code, db).catch(() => null);
      if (agency) departments.set(code, new Set(agency.departments.map((d) => d.code)));
    }
    return { departments };
  }

  /** The agencies whose administrators answer for a procedure: those of its latest version. */
  async function latestAgencies(db: Db, code: string): Promise<string[]> {
    const draft = await repo.findDraft(db, code);
    if (draft) return draft.content.agencies;
    const current = await repo.versionInForce(db, code, null);
    if (!current) throw new ProcedureNotFound(code);
    return current.content.agencies;
  }

  async function requireReviewer(actor: Actor, code: string): Promise<void> {
    if (!(await repo.findProcedure(database.db, code))) throw new ProcedureNotFound(code);
    if (!canReviewProcedure(actor, await latestAgencies(database.db, code))) throw new CatalogForbidden();
  }

  async function saveDraftIn(tx: Db, actor: Actor, code: string, input: ProcedureContent, meta: ChangeMeta) {
    const content = normalize(input);
    if (content.code !== code) throw new CodeMismatch(code, content.code);
    if (!(await repo.lockProcedure(tx, code))) throw new ProcedureNotFound(code);
    // Both the agencies that answer for the procedure now and those it would name must be the editor's.
    if (!canEditProcedure(actor, await latestAgencies(tx, code)) || !canEditProcedure(actor, content.agencies)) {
      throw new CatalogForbidden();
    }
    const now = clock.now();
    const by = actorRef(actor);
    const draft = await repo.findDraft(tx, code);
    let version: number;
    if (draft) {
      version = draft.version;
      await repo.updateDraft(tx, code, version, content, by, now);
    } else {
      version = await repo.nextVersion(tx, code);
      await repo.insertVersion(tx, { procedureCode: code, version, content, createdBy: by, createdAt: now, updatedBy: by, updatedAt: now });
    }
    await audit.record(tx, {
      actor,
      action: "catalog.draft_saved",
      subject: { type: "procedure", id: code },
      requestId: meta.requestId ?? null,
      change: { version, content },
    });
    return presentProcedure((await repo.findVersion(tx, code, version))!);
  }

  async function createIn(tx: Db, actor: Actor, input: ProcedureInput, meta: ChangeMeta) {
    const { requestId, ...rest } = input;
    const content = normalize(rest);
    const by = actorRef(actor);
    if (requestId) {
      const earlier = await repo.findByRequest(tx, by, requestId);
      if (earlier) return { procedure: presentProcedure(earlier), created: false };
    }
    if (!canEditProcedure(actor, content.agencies)) throw new CatalogForbidden();
    const inserted = await repo.insertProcedure(tx, {
      code: content.code,
      currentVersion: null,
      ...listedColumns(content),
    });
    if (!inserted) throw new ProcedureExists(content.code);
    const now = clock.now();
    await repo.insertVersion(tx, {
      procedureCode: content.code,
      version: 1,
      content,
      createdBy: by,
      createdAt: now,
      updatedBy: by,
      updatedAt: now,
      requestId: requestId ?? null,
    });
    await audit.record(tx, {
      actor,
      action: "catalog.procedure_created",
      subject: { type: "procedure", id: content.code },
      requestId: meta.requestId ?? null,
      change: content,
    });
    return { procedure: presentProcedure((await repo.findVersion(tx, content.code, 1))!), created: true };
  }

  // Repeated searches (the portal's most common words) are answered from memory for a short while; a
  // publication clears this node's cache, other nodes' answers are at most `searchCacheSeconds` old.
  const cache = searchCacheSeconds > 0 ? new LRUCache<string, ProcedurePage>({ max: 5000, ttl: searchCacheSeconds * 1000 }) : null;

  // Published versions never change, so the ones dossiers are bound to can be kept.
  const boundCache = new LRUCache<string, BoundVersion>({ max: 2000 });
  // The number of the version in force now, per procedure: a publication here clears it at once, one on
  // another node is seen within IN_FORCE_SECONDS (a filing started on the form of the version before).
  const inForceNow = new LRUCache<string, number>({ max: 10_000, ttl: IN_FORCE_SECONDS * 1000 });

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
    const filter: repo.SearchFilter = {
      q: (query.q ?? "").normalize("NFC").slice(0, 200),
      fieldCode: query.field ?? null,
      // A malformed agency code matches nothing rather than everything.
      agencySuffix: query.agency ? (agency ? subtreeSuffix(agency) : "-") : null,
      onlineLevel: query.level ?? null,
      audience: query.audience ?? null,
      limit: pageSize + 1,
      offset: (page - 1) * pageSize,
    };
    let rows = await repo.searchProcedures(database.db, filter);
    let correctedQuery: string | null = null;
    // Nothing has every word: the words may be mistyped ("khai snh"). Correct them against the
    // catalogue's vocabulary and search again.
    if (rows.length === 0 && filter.q.trim()) {
      const words = await repo.correctWords(database.db, filter.q);
      const corrected = words.map((w) => (w.known ? w.typed : (w.suggestion ?? w.typed)));
      if (words.some((w, i) => corrected[i] !== w.typed)) {
        rows = await repo.searchProcedures(database.db, { ...filter, q: corrected.join(" ") });
        if (rows.length > 0) correctedQuery = corrected.join(" ");
      }
    }
    const hasMore = rows.length > pageSize;
    const items = rows.slice(0, pageSize).map(presentListItem);
    // The total is free on the last page; elsewhere counting would cost more than the page.
    const total = hasMore ? null : rows.length === 0 && page > 1 ? null : (page - 1) * pageSize + items.length;
    return { items, page, pageSize, hasMore, total, correctedQuery };
  }

  async function publishIn(tx: Db, actor: Actor, code: string, meta: ChangeMeta) {
    if (!(await repo.lockProcedure(tx, code))) throw new ProcedureNotFound(code);
    const draft = await repo.findDraft(tx, code);
    if (!draft) throw new NoDraft(code);
    if (!canEditProcedure(actor, draft.content.agencies)) throw new CatalogForbidden();
    const problems: FieldProblem[] = publishProblems(draft.content, await facts(tx, draft.content));
    if (problems.length) throw new NotPublishable(problems);
    const now = clock.now();
    await repo.markPublished(tx, code, draft.version, now, actorRef(actor));
    await repo.setCurrent(tx, code, { currentVersion: draft.version, publishedAt: now, ...listedColumns(draft.content) });
    await repo.addWords(tx, code);
    // Now, and again once committed: a search or filing in between would cache what this replaces.
    const forget = () => {
      cache?.clear();
      inForceNow.delete(code);
    };
    forget();
    afterCommit(tx, forget);
    await audit.record(tx, {
      actor,
      action: "catalog.procedure_published",
      subject: { type: "procedure", id: code },
      requestId: meta.requestId ?? null,
      change: { version: draft.version },
    });
    return presentProcedure((await repo.findVersion(tx, code, draft.version))!);
  }

  return {
    async search(query) {
      const key = JSON.stringify([query.q?.normalize("NFC").trim().toLowerCase() ?? "", query.field, query.agency, query.level, query.audience, query.page, query.pageSize]);
      const hit = cache?.get(key);
      if (hit) return hit;
      const result = await searchNow(query);
      cache?.set(key, result);
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

    async create(actor, input, meta = {}, tx) {
      if (tx) return createIn(tx, actor, input, meta);
      try {
        return await database.transaction((tx) => createIn(tx, actor, input, meta));
      } catch (err) {
        // Two retries of one create raced: the loser finds the winner's result.
        if (input.requestId && isUniqueViolation(err)) {
          const earlier = await repo.findByRequest(database.db, actorRef(actor), input.requestId);
          if (earlier) return { procedure: presentProcedure(earlier), created: false };
        }
        throw err;
      }
    },

    saveDraft(actor, code, content, meta = {}, tx) {
      return tx ? saveDraftIn(tx, actor, code, content, meta) : database.transaction((t) => saveDraftIn(t, actor, code, content, meta));
    },

    async validateDraft(actor, code) {
      await requireReviewer(actor, code);
      const draft = await repo.findDraft(database.db, code);
      if (!draft) throw new NoDraft(code);
      const problems = publishProblems(draft.content, await facts(database.db, draft.content));
      return { version: draft.version, valid: problems.length === 0, problems };
    },

    publish(actor, code, meta = {}, tx) {
      return tx ? publishIn(tx, actor, code, meta) : database.transaction((t) => publishIn(t, actor, code, meta));
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

    async importNational(actor, doc, meta = {}) {
      const { procedures, problems } = fromNationalDocument(doc);
      if (problems.length) throw new InvalidImport(problems);
      return database.transaction(async (tx) => {
        const out: Array<{ code: string; version: number; created: boolean }> = [];
        for (const content of procedures) {
          if (await repo.findProcedure(tx, content.code)) {
            const saved = await saveDraftIn(tx, actor, content.code, content, meta);
            out.push({ code: content.code, version: saved.version, created: false });
          } else {
            const { procedure } = await createIn(tx, actor, content, meta);
            out.push({ code: content.code, version: procedure.version, created: true });
          }
        }
        return out;
      });
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

/**
 * One spelling of a version: composed Vietnamese letters (NFC), trimmed text, and optional fields left
 * out rather than null, so equal procedures compare equal (an export imported again, a diff).
 */
export function normalize(content: ProcedureContent): ProcedureContent {
  const nfc = (trim: boolean) => (_key: string, v: unknown) => (typeof v === "string" ? (trim ? v.normalize("NFC").trim() : v.normalize("NFC")) : v);
  const { form, ...rest } = content;
  // The e-form's schema is code (patterns, enum values): composed letters, but not a character trimmed.
  const text = JSON.parse(JSON.stringify(rest, nfc(true))) as Omit<ProcedureContent, "form">;
  return restoreNulls({ ...text, form: JSON.parse(JSON.stringify(form, nfc(false))) as ProcedureContent["form"] });
}

function restoreNulls(c: ProcedureContent): ProcedureContent {
  const drop = <T extends object>(o: T, keys: Array<keyof T>): T => {
    const copy = { ...o };
    for (const k of keys) if (copy[k] === null || copy[k] === undefined) delete copy[k];
    return copy;
  };
  return {
    ...c,
    components: c.components.map((p) => drop(p, ["template", "note"])),
    fees: c.fees.map((f) => ({ ...f, channel: f.channel ?? null })),
    legalBasis: c.legalBasis.map((l) => drop(l, ["effectiveTo", "issuedOn"])),
    steps: c.steps.map((s) => ({ ...s, department: s.department ?? null, agency: s.agency ?? null })),
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === "23505" || (err as { cause?: { code?: string } }).cause?.code === "23505";
}
