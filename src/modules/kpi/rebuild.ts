// The rollups recomputed from the facts' log: each dossier's facts in the order heard, each change's delta made by
// the same function as the listener's (facts.ts `delta`), summed. Equal to what the listener and the fold made.
import { sql } from "../../platform/db/drizzle.ts";
import type { Db } from "../../platform/db/index.ts";
import { delta, type KpiFact } from "./facts.ts";
import * as repo from "./repo.ts";

const PAGE = 5000;

/** Recomputes the rollups in `tx`: new facts wait until it commits (the log is locked against writes). */
export async function rebuildRollups(tx: Db): Promise<{ dossiers: number; events: number; rows: number }> {
  await tx.execute(sql`LOCK TABLE kpi_facts IN SHARE MODE`);
  const sums = new Map<string, repo.RollupRow>();
  let after: { dossierId: string; id: number } | null = null;
  let prev: { dossierId: string; fact: KpiFact } | null = null;
  let dossiers = 0;
  let events = 0;
  for (;;) {
    const page = await repo.logPage(tx, after, PAGE);
    for (const row of page) {
      const before = prev && prev.dossierId === row.dossierId ? prev.fact : null;
      if (!before) dossiers++;
      for (const d of delta(before, row.fact, row.at)) {
        const key = `${d.province}|${d.agency}|${d.competent}|${d.procedure}|${d.channel}|${d.day}|${d.measure}`;
        const cur = sums.get(key) ?? {
          provinceCode: d.province,
          agencyCode: d.agency,
          competentAgencyCode: d.competent,
          procedureCode: d.procedure,
          channel: d.channel,
          day: d.day,
          measure: d.measure,
          n: 0,
        };
        cur.n += d.n;
        sums.set(key, cur);
      }
      prev = { dossierId: row.dossierId, fact: row.fact };
      events++;
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { dossierId: last.dossierId, id: last.id };
  }
  const rows = [...sums.values()].filter((r) => r.n !== 0);
  await repo.clearRollups(tx);
  await repo.insertRollups(tx, rows);
  return { dossiers, events, rows: rows.length };
}
