// The one-stop core (issue 5): a dossier from online filing or the counter to the returned result.
// Each use case has its file (service.filing.ts, service.actions.ts, service.reading.ts); this one puts them
// together over one set of dependencies, the helpers they share (service.support.ts) and the state kept in
// memory, made once here.
import DataLoader from "dataloader";
import { LRUCache } from "lru-cache";
import { DEFAULT_RULES, type DossierRules } from "./actions.ts";
import { makeLookupThrottle } from "./lookup-throttle.ts";
import * as repo from "./repo.ts";
import { type DossierActions, makeActions } from "./service.actions.ts";
import { type DossierDocuments, makeDocuments } from "./service.documents.ts";
import { type DossierFiling, makeFiling } from "./service.filing.ts";
import { type DossierInterAgency, makeInterAgency } from "./service.interagency.ts";
import { type DossierReading, makeReading } from "./service.reading.ts";
import { type DossierRegistryUse, makeRegistryUse } from "./service.registry.ts";
import { type DossierDeps, makeDossierCore } from "./service.support.ts";

export type { Assignee } from "./service.actions.ts";
export type { DossierDeps, Meta } from "./service.support.ts";

export interface DossierService extends DossierFiling, DossierActions, DossierReading, DossierDocuments, DossierRegistryUse {
  /** Một cửa liên thông across nodes: what the interagency module asks (service.interagency.ts). */
  interAgency: DossierInterAgency;
}

export function makeDossierService(deps: DossierDeps): DossierService {
  const { database } = deps;
  const rules: DossierRules = { ...DEFAULT_RULES, ...deps.rules };
  const throttle = makeLookupThrottle({ database, clock: deps.clock, limit: deps.lookupsPerMinute ?? 30 });
  // Lookups asked for in the same turn of the event loop go to the database as one statement: under a portal's
  // load (many at once) that is one round trip instead of many, and alone a lookup waits for nothing.
  const findLookups = repo.prepareLookup(database.db);
  const lookupLoader = new DataLoader<string, repo.LookupResult | null>(
    async (codes) => {
      const found = await findLookups(codes);
      return codes.map((c) => found.get(c) ?? null);
    },
    { cache: false, maxBatchSize: 200, batchScheduleFn: (run) => setImmediate(run) },
  );
  // The lookup names the receiving agency. Names change seldom; the public page may show a renamed
  // agency's old name for a minute rather than read the directory on every lookup.
  const agencyNames = new LRUCache<string, string>({ max: 10_000, ttl: 60_000 });
  // The receiving agency's province, stamped on each new dossier. It changes only when the directory is
  // corrected; a minute's delay then costs less than two directory queries on every filing.
  const agencyProvinces = new LRUCache<string, string>({ max: 10_000, ttl: 60_000 });
  const core = makeDossierCore(deps, rules);
  const filing = makeFiling(deps, core, { agencyProvinces });
  return {
    ...filing,
    ...makeActions(deps, core, filing),
    ...makeReading(deps, core, { throttle, lookupLoader, agencyNames }),
    ...makeDocuments(deps, core),
    interAgency: makeInterAgency(deps, core),
    ...makeRegistryUse(deps, core),
  };
}
