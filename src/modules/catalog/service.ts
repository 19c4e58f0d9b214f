// The catalogue of administrative procedures (issue 4): drafts, publishing, versions, search and the
// national interchange shape.
// Each use case has its file (service.editing.ts, service.reading.ts); this one puts them together over one
// set of dependencies, the helpers they share (service.support.ts) and the caches, made once here.
import { LRUCache } from "lru-cache";
import * as repo from "./repo.ts";
import type { ProcedurePage } from "./schema.ts";
import { buildSearchIndex, type SearchIndex } from "./search-index.ts";
import { type CatalogEditing, makeEditing } from "./service.editing.ts";
import { type CatalogReading, makeReading } from "./service.reading.ts";
import { type BoundVersion, type CatalogDeps, makeCatalogCore } from "./service.support.ts";

export { normalize } from "./service.editing.ts";
export type { AdminProcedureItem, AdminProcedurePage } from "./service.reading.ts";
export type { BoundVersion, CatalogDeps, ChangeMeta } from "./service.support.ts";

export interface CatalogService extends CatalogEditing, CatalogReading {}

/** How long a node keeps the number of a procedure's version in force (a publication on any node clears it). */
export const IN_FORCE_SECONDS = 5;

export function makeCatalogService(deps: CatalogDeps): CatalogService {
  const { searchCacheSeconds = 0 } = deps;
  // Repeated searches (the portal's most common words) are answered from memory for a short while; a
  // publication on any node clears every node's cache (signals), the time limit is only a safety net.
  const cache = searchCacheSeconds > 0 ? new LRUCache<string, ProcedurePage>({ max: 5000, ttl: searchCacheSeconds * 1000 }) : null;

  // Published versions never change, so the ones dossiers are bound to can be kept.
  const boundCache = new LRUCache<string, BoundVersion>({ max: 2000 });
  // The number of the version in force now, per procedure: a publication clears it on every node once it
  // commits; the time limit also covers a version whose effective date arrives without a publication.
  const inForceNow = new LRUCache<string, number>({ max: 10_000, ttl: IN_FORCE_SECONDS * 1000 });
  // The search index: read on the first search after a publication. A publication while it is being read
  // leaves that reading to the searches already waiting for it; the next search reads again.
  let index: Promise<SearchIndex> | null = null;
  const searchIndex = () => {
    if (!index) {
      const reading = (async () => buildSearchIndex(await repo.indexedProcedures(deps.database.db), await repo.vocabulary(deps.database.db)))();
      index = reading;
      // A failed reading (the database unavailable) is not kept: the next search tries again.
      reading.catch(() => {
        if (index === reading) index = null;
      });
    }
    return index;
  };
  let publications = 0;
  const caches = { cache, boundCache, inForceNow, searchIndex, publications: () => publications };
  // A publication here or on another node: its searches and its number in force are stale on every node. With
  // `null` (this node may have missed publications) everything that can change is forgotten.
  deps.signals.on("catalog.published", (code) => {
    cache?.clear();
    index = null;
    publications++;
    if (code === null) inForceNow.clear();
    else inForceNow.delete(code);
  });
  const core = makeCatalogCore(deps);
  return { ...makeReading(deps, core, caches), ...makeEditing(deps, core, caches) };
}
