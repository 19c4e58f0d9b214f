// From the rollups' sums to the indicators: pure functions (the hand-computed test checks them through the
// service, on a database).
import type { Inputs } from "./formulas.ts";
import type { TotalRow } from "./repo.ts";

/** The counts of a scope and period: flows over the period, stocks at its end. */
export interface Counts {
  filed: number;
  received: number;
  onlineReceived: number;
  refusedAtReceipt: number;
  finishedEarly: number;
  finishedOnTime: number;
  finishedLate: number;
  refused: number;
  stopped: number;
  withdrawn: number;
  endedOnTime: number;
  endedLate: number;
  inProgressOnTime: number;
  inProgressOverdue: number;
  supplements: number;
  paidOnline: number;
  feeBearing: number;
  electronicResults: number;
  digitised: number;
  reused: number;
  vneid: number;
  ratings: { verySatisfied: number; satisfied: number; unsatisfied: number };
  processingSeconds: number;
}

const FLOW_KEYS: Record<string, keyof Counts> = {
  filed: "filed",
  received: "received",
  online_received: "onlineReceived",
  refused_receipt: "refusedAtReceipt",
  finished_early: "finishedEarly",
  finished_on_time: "finishedOnTime",
  finished_late: "finishedLate",
  refused: "refused",
  stopped: "stopped",
  withdrawn: "withdrawn",
  ended_on_time: "endedOnTime",
  ended_late: "endedLate",
  supplements: "supplements",
  paid_online: "paidOnline",
  fee_bearing: "feeBearing",
  electronic_result: "electronicResults",
  digitised: "digitised",
  reused: "reused",
  vneid: "vneid",
  processing_seconds: "processingSeconds",
};

export function emptyCounts(): Counts {
  return {
    filed: 0,
    received: 0,
    onlineReceived: 0,
    refusedAtReceipt: 0,
    finishedEarly: 0,
    finishedOnTime: 0,
    finishedLate: 0,
    refused: 0,
    stopped: 0,
    withdrawn: 0,
    endedOnTime: 0,
    endedLate: 0,
    inProgressOnTime: 0,
    inProgressOverdue: 0,
    supplements: 0,
    paidOnline: 0,
    feeBearing: 0,
    electronicResults: 0,
    digitised: 0,
    reused: 0,
    vneid: 0,
    ratings: { verySatisfied: 0, satisfied: 0, unsatisfied: 0 },
    processingSeconds: 0,
  };
}

/** Sums the rows into counts; `open` and `overdue` are stocks (their sum up to the period's end). */
export function countsOf(rows: readonly TotalRow[]): Counts {
  const c = emptyCounts();
  let open = 0;
  let overdue = 0;
  for (const r of rows) {
    if (r.measure === "open") open += r.toEnd;
    else if (r.measure === "overdue") overdue += r.toEnd;
    else if (r.measure === "rating_very_satisfied") c.ratings.verySatisfied += r.inPeriod;
    else if (r.measure === "rating_satisfied") c.ratings.satisfied += r.inPeriod;
    else if (r.measure === "rating_unsatisfied") c.ratings.unsatisfied += r.inPeriod;
    else {
      const key = FLOW_KEYS[r.measure];
      if (key) (c[key] as number) += r.inPeriod;
    }
  }
  c.inProgressOverdue = overdue;
  c.inProgressOnTime = open - overdue;
  return c;
}

/** Groups rows by a dimension and counts each group. */
export function countsBy(rows: readonly TotalRow[], key: (r: TotalRow) => string): Map<string, Counts> {
  const groups = new Map<string, TotalRow[]>();
  for (const r of rows) {
    const k = key(r);
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  }
  return new Map([...groups].map(([k, list]) => [k, countsOf(list)]));
}

/** A ratio to 4 decimals, null when there is nothing to divide by. */
export const ratio = (num: number, den: number): number | null => (den === 0 ? null : Math.round((num / den) * 10000) / 10000);

/** The on-time ratio as OpenCPS defines it (DOMAIN.md §8): (in progress not yet due + finished early + on time) / all. */
export function onTimeRatio(c: Counts): number | null {
  const all = c.inProgressOnTime + c.inProgressOverdue + c.finishedEarly + c.finishedOnTime + c.finishedLate;
  return ratio(c.inProgressOnTime + c.finishedEarly + c.finishedOnTime, all);
}

/** Mean processing time of the dossiers finished in the period, in hours (receipt to result, pauses left out). */
export function averageHours(c: Counts): number | null {
  const finished = c.finishedEarly + c.finishedOnTime + c.finishedLate;
  return finished === 0 ? null : Math.round((c.processingSeconds / 3600 / finished) * 100) / 100;
}

/** What the catalogue says of the scope's procedures. */
export interface CatalogCounts {
  procedures: number;
  onlineProcedures: number;
  feeProcedures: Set<string>;
  onlineProcedureCodes: Set<string>;
}

/**
 * What the summary and the Decision 766 index of a scope and period both read, made once from the rollups' sums per
 * measure and procedure: the counts, each procedure's, and the procedures with online receipts and online payments.
 */
export interface Aggregate {
  counts: Counts;
  byProcedure: Map<string, Counts>;
  withOnline: Set<string>;
  paidOnline: Set<string>;
}

export function aggregateOf(rows: readonly TotalRow[]): Aggregate {
  return {
    counts: countsOf(rows),
    byProcedure: countsBy(rows, (r) => r.procedure),
    withOnline: new Set(rows.filter((r) => r.measure === "online_received" && r.inPeriod > 0).map((r) => r.procedure)),
    paidOnline: new Set(rows.filter((r) => r.measure === "paid_online" && r.inPeriod > 0).map((r) => r.procedure)),
  };
}

/** The inputs of the Decision 766 formulas (formulas.ts `INPUTS`). */
export function inputsOf(a: Aggregate, catalog: CatalogCounts): Inputs {
  const { counts: c, withOnline, paidOnline } = a;
  const ratings = c.ratings.verySatisfied + c.ratings.satisfied + c.ratings.unsatisfied;
  return {
    received: c.received,
    online_received: c.onlineReceived,
    processed: c.endedOnTime + c.endedLate + c.inProgressOnTime + c.inProgressOverdue,
    ended_on_time: c.endedOnTime,
    ended_late: c.endedLate,
    open_on_time: c.inProgressOnTime,
    open_overdue: c.inProgressOverdue,
    finished: c.finishedEarly + c.finishedOnTime + c.finishedLate,
    electronic_result: c.electronicResults,
    digitised: c.digitised,
    reused: c.reused,
    vneid: c.vneid,
    fee_bearing: c.feeBearing,
    paid_online: c.paidOnline,
    ratings,
    rating_unsatisfied: c.ratings.unsatisfied,
    procedures: catalog.procedures,
    online_procedures: catalog.onlineProcedures,
    online_procedures_with_dossiers: [...withOnline].filter((p) => catalog.onlineProcedureCodes.has(p)).length,
    fee_procedures: catalog.feeProcedures.size,
    fee_procedures_paid_online: [...paidOnline].filter((p) => catalog.feeProcedures.has(p)).length,
  };
}
