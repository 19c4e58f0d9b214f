// What the catalogue service's use cases share: who answers for a procedure, and what is kept in memory.
import type { LRUCache } from "lru-cache";
import type { Actor } from "../../platform/auth/actor.ts";
import type { Audit } from "../../platform/audit/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Db } from "../../platform/db/index.ts";
import type { Signals } from "../../platform/signals.ts";
import type { DirectoryService } from "../directory/index.ts";
import { CatalogForbidden, ProcedureNotFound } from "./errors.ts";
import type { ProcedureContent } from "./model.ts";
import { canReviewProcedure } from "./policy.ts";
import * as repo from "./repo.ts";
import type { ProcedurePage } from "./schema.ts";
import type { SearchIndex } from "./search-index.ts";

/** The request that caused a change, for the audit entry. */
export interface ChangeMeta {
  requestId?: string | null;
}

/** A published version as a dossier binds to it. */
export interface BoundVersion {
  code: string;
  version: number;
  content: ProcedureContent;
  publishedAt: Date;
}

export interface CatalogDeps {
  database: Database;
  clock: Clock;
  audit: Audit;
  directory: DirectoryService;
  /** A publication tells every node to forget its searches and the version in force. */
  signals: Signals;
  /** How long a repeated search may be answered from memory (0: never). */
  searchCacheSeconds?: number;
}

/**
 * The catalogue's memory, one of each per service: a publication, on any node, clears the searches and the
 * procedure's number in force on every node once it commits (the signal `catalog.published`).
 */
export interface CatalogCaches {
  /** Repeated searches, by their words and filters (none when `searchCacheSeconds` is 0). */
  cache: LRUCache<string, ProcedurePage> | null;
  /** Published versions dossiers are bound to, by `code@version`. */
  boundCache: LRUCache<string, BoundVersion>;
  /** The number of the version in force now, per procedure. */
  inForceNow: LRUCache<string, number>;
  /** The published procedures' words, read from the database on first use after a publication. */
  searchIndex(): Promise<SearchIndex>;
  /** How many publications this node has heard of: a search that saw it change keeps no answer in `cache`. */
  publications(): number;
}

/** The helpers every use case of the catalogue service may call, made once per service. */
export type CatalogCore = ReturnType<typeof makeCatalogCore>;

export function makeCatalogCore({ database }: CatalogDeps) {
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

  return { latestAgencies, requireReviewer };
}
