// Editing the catalogue: a procedure created, its draft written and checked, published; national documents
// imported as drafts.
import { type Actor, actorRef } from "../../platform/auth/actor.ts";
import { type Db, isUniqueViolation } from "../../platform/db/index.ts";
import { DomainError, type FieldProblem } from "../../platform/http/errors.ts";
import {
  CatalogForbidden,
  CodeMismatch,
  InvalidImport,
  NoDraft,
  NotPublishable,
  ProcedureExists,
  ProcedureNotFound,
} from "./errors.ts";
import type { ProcedureContent } from "./model.ts";
import { fromNationalDocument } from "./national.ts";
import { canEditProcedure } from "./policy.ts";
import { listedColumns, presentProcedure } from "./present.ts";
import * as repo from "./repo.ts";
import type { ProcedureDto, ProcedureInput, ValidationReport } from "./schema.ts";
import type { CatalogCaches, CatalogCore, CatalogDeps, ChangeMeta } from "./service.support.ts";
import { agenciesNamed, type DirectoryFacts, publishProblems } from "./validate.ts";

/** The catalogue service's editing and publishing. */
export interface CatalogEditing {
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
  /** Imports national documents as drafts, all or nothing. Throws InvalidImport (every problem), CatalogForbidden. */
  importNational(actor: Actor, doc: unknown, meta?: ChangeMeta): Promise<Array<{ code: string; version: number; created: boolean }>>;
}

export function makeEditing({ database, clock, audit, directory, signals }: CatalogDeps, core: CatalogCore, caches: CatalogCaches): CatalogEditing {
  const { latestAgencies, requireReviewer } = core;
  const { cache, inForceNow } = caches;

  async function facts(db: Db, content: ProcedureContent): Promise<DirectoryFacts> {
    const departments = new Map<string, Set<string>>();
    for (const code of agenciesNamed(content)) {
      // An agency not in the directory is the content's problem; any other failure is the edit's.
      const agency = await directory.agency(code, db).catch((err: unknown) => {
        if (err instanceof DomainError && err.kind === "not_found") return null;
        throw err;
      });
      if (agency) departments.set(code, new Set(agency.departments.map((d) => d.code)));
    }
    return { departments };
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
    // Now, and again on every node once committed: a search or filing in between would cache what this replaces.
    cache?.clear();
    inForceNow.delete(code);
    await signals.send(tx, "catalog.published", code);
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

