// The rollups' maintenance, in each dossier change's transaction: the dossier's new fact and the deltas it makes are
// appended with the COMMIT (kpi_facts, kpi_deltas). Nothing shared is updated, so concurrent filings never wait on
// one another; the `kpi.fold` job folds the deltas into the rollups. A filing costs no read: its first fact has
// nothing before it. A later change reads the dossier's last fact (one indexed row), or the one an earlier event of
// the same transaction left (a receipt publishes two).
import type { Db } from "../../platform/db/index.ts";
import { DomainError } from "../../platform/http/errors.ts";
import type { CatalogService } from "../catalog/index.ts";
import type { DossierRated, DossierService, DossierTransition } from "../dossiers/index.ts";
import { delta, type FactExtras, type KpiFact, nextFact } from "./facts.ts";
import * as repo from "./repo.ts";

export interface KpiListenerDeps {
  dossiers: Pick<DossierService, "componentFlags">;
  catalog: Pick<CatalogService, "bound">;
}

export function makeKpiListeners({ dossiers, catalog }: KpiListenerDeps) {
  /** The facts this transaction wrote, per dossier: its queued rows are not readable before the COMMIT. */
  const written = new WeakMap<Db, Map<string, KpiFact>>();

  async function previous(tx: Db, id: string, first: boolean): Promise<KpiFact | null> {
    const mine = written.get(tx)?.get(id);
    if (mine) return mine;
    return first ? null : repo.lastFact(tx, id);
  }

  async function save(tx: Db, id: string, at: Date, prev: KpiFact | null, next: KpiFact): Promise<void> {
    await repo.record(tx, { dossierId: id, at, fact: next }, delta(prev, next, at));
    let map = written.get(tx);
    if (!map) written.set(tx, (map = new Map()));
    map.set(id, next);
  }

  /** Whether the procedure version asks a fee or a charge above zero; an unknown version asks none. */
  async function feeBearing(tx: Db, code: string, version: number): Promise<boolean> {
    try {
      return (await catalog.bound(code, version, tx)).content.fees.some((f) => f.amount > 0);
    } catch (err) {
      if (err instanceof DomainError && err.kind === "not_found") return false;
      throw err;
    }
  }

  return {
    async transition(tx: Db, e: DossierTransition): Promise<void> {
      const d = e.dossier;
      const first = e.action === "submit" && e.fromStatus === "draft";
      const prev = await previous(tx, d.id, first);
      // A draft withdrawn before it was ever filed is nobody's statistic.
      if (!prev && d.submittedAt === null) return;
      const extras: FactExtras = {};
      // At receipt: the papers as received (digitised at the counter, reused from a data store) and the version's fees.
      if (d.receivedAt !== null && (prev?.receivedAt ?? null) === null) {
        // The receipt's event carries its papers (read with the dossier's UPDATE); only an event without them asks.
        Object.assign(extras, d.papers ?? (await dossiers.componentFlags(tx, d.id)), { feeBearing: await feeBearing(tx, d.procedure.code, d.procedure.version) });
      }
      await save(tx, d.id, e.at, prev, nextFact(prev, d, e.at, extras));
    },

    async rated(tx: Db, e: DossierRated): Promise<void> {
      const prev = await previous(tx, e.dossier.id, false);
      if (!prev) return;
      await save(tx, e.dossier.id, e.at, prev, { ...prev, rating: { level: e.level, at: e.at.getTime() } });
    },
  };
}
