// What the statistics know of one dossier (its "fact"), made from the dossiers' events, and what a fact counts
// for (its contributions: measures on days). A change of a dossier writes the difference between what its new fact
// and its previous fact count for; summing those differences gives the rollups, and a rebuild recomputes them from
// the log of facts with the same functions. Pure: no database, no clock.
import { isoDate, localDay } from "../calendar/index.ts";
import type { DossierFacts } from "../dossiers/index.ts";

export type Channel = "online" | "counter" | "post";
export type Outcome = "done" | "refused" | "stopped" | "withdrawn" | "refused_receipt";
export type Timeliness = "early" | "on_time" | "late";
export type RatingLevel = "very_satisfied" | "satisfied" | "unsatisfied";

/** One dossier as the statistics know it. Times are epoch milliseconds. No personal data. */
export interface KpiFact {
  province: string;
  /** The receiving agency (the one-stop desk, QCVN 102 code), stable for the dossier's life. */
  agency: string;
  /**
   * The competent agency (cơ quan thực hiện): the one processing it once received (its first step after the
   * reception), kept for the dossier's life; the receiving one until then. An agency's figures count the dossiers
   * it received or handles.
   */
  competent: string;
  procedure: string;
  channel: Channel;
  code: string | null;
  filedAt: number | null;
  receivedAt: number | null;
  /** The legal due time (NgayHenTra): moved by supplement pauses only, never by an apology. */
  dueAt: number | null;
  /** While the clock is paused for a supplement, since when. */
  pausedAt: number | null;
  /** Time spent paused, in milliseconds, over the pauses already answered. */
  pausedMs: number;
  /** When processing ended (finished, refused, stopped, withdrawn, refused at receipt). */
  endedAt: number | null;
  outcome: Outcome | null;
  /** Of an ended dossier that was received: early / on time / late against the legal due time. */
  timeliness: Timeliness | null;
  /** When each supplement after receipt was requested. */
  supplements: number[];
  electronicResult: boolean;
  digitised: boolean;
  reused: boolean;
  /** Filed online after a VNeID level-2 sign-in (TaiKhoanDuocXacThucVoiVNeID). */
  vneid: boolean;
  /** Paid online (DuocThanhToanTrucTuyen 1 or 2): no payment is taken yet, so always false. */
  paidOnline: boolean;
  /** The procedure version it was filed under asks a fee or a charge above zero. */
  feeBearing: boolean;
  rating: { level: RatingLevel; at: number } | null;
}

/** What a listener adds to the event's facts: read once, at receipt (the papers) and the version's fees. */
export interface FactExtras {
  digitised?: boolean;
  reused?: boolean;
  feeBearing?: boolean;
}

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);
/** VNeID level 2 (Decree 69/2024/NĐ-CP), as the national sync's TaiKhoanDuocXacThucVoiVNeID reads it. */
const VNEID_LEVEL = 2;

const OUTCOMES: Partial<Record<DossierFacts["status"], Outcome>> = {
  done: "done",
  returned: "done",
  refused: "refused",
  stopped: "stopped",
  withdrawn: "withdrawn",
  refused_receipt: "refused_receipt",
};

/** Early (a day before the due day), on time (by the due time) or late: as the dossiers module decides it. */
export function timelinessAt(end: number, due: number): Timeliness {
  if (end > due) return "late";
  return localDay(end) < localDay(due) ? "early" : "on_time";
}

/** The fact after a change of the dossier, from the one before it (null for its first event). */
export function nextFact(prev: KpiFact | null, d: DossierFacts, at: Date, extras: FactExtras = {}): KpiFact {
  const outcome = OUTCOMES[d.status] ?? null;
  const endedAt = outcome ? (prev?.endedAt ?? ms(d.finishedAt) ?? at.getTime()) : null;
  const receivedAt = ms(d.receivedAt);
  const dueAt = ms(d.dueAt);
  let timeliness: Timeliness | null = null;
  if (outcome && outcome !== "refused_receipt" && receivedAt !== null && dueAt !== null && endedAt !== null) {
    timeliness = (outcome === "done" && d.timeliness) || timelinessAt(endedAt, dueAt);
  }
  const pausedAt = ms(d.pausedAt);
  let pausedMs = prev?.pausedMs ?? 0;
  if (prev?.pausedAt != null && pausedAt === null) pausedMs += Math.max(0, at.getTime() - prev.pausedAt);
  const supplements = [...(prev?.supplements ?? [])];
  while (supplements.length < d.supplements) supplements.push(at.getTime());
  return {
    province: d.provinceCode,
    agency: d.receivingAgencyCode,
    competent: prev?.receivedAt != null ? prev.competent : d.processingAgencyCode,
    procedure: d.procedure.code,
    channel: d.channel,
    code: d.code,
    filedAt: ms(d.submittedAt),
    receivedAt,
    dueAt,
    pausedAt,
    pausedMs,
    endedAt,
    outcome,
    timeliness,
    supplements,
    electronicResult: d.electronicResult,
    digitised: extras.digitised ?? prev?.digitised ?? false,
    reused: extras.reused ?? prev?.reused ?? false,
    vneid: d.channel === "online" && d.filedLoa >= VNEID_LEVEL,
    paidOnline: prev?.paidOnline ?? false,
    feeBearing: extras.feeBearing ?? prev?.feeBearing ?? false,
    rating: prev?.rating ?? null,
  };
}

/** The measures the rollups count, per (province, agency, procedure, channel, day). */
export const FLOW_MEASURES = [
  "filed",
  "received",
  "refused_receipt",
  "finished_early",
  "finished_on_time",
  "finished_late",
  "refused",
  "stopped",
  "withdrawn",
  /** Ended after receipt (finished, refused, stopped, withdrawn), by its due time (Decision 766's TDGQ). */
  "ended_on_time",
  "ended_late",
  "supplements",
  "online_received",
  "paid_online",
  "fee_bearing",
  "electronic_result",
  "digitised",
  "reused",
  "vneid",
  "rating_very_satisfied",
  "rating_satisfied",
  "rating_unsatisfied",
  /** Seconds from receipt to the result, pauses left out, summed over the dossiers finished that day. */
  "processing_seconds",
] as const;
/** Stocks: their sum over every day up to a day is the number at that day's end. */
export const STOCK_MEASURES = ["open", "overdue"] as const;
export type Measure = (typeof FLOW_MEASURES)[number] | (typeof STOCK_MEASURES)[number];

export interface Contribution {
  /** The local day (Asia/Ho_Chi_Minh), `YYYY-MM-DD`. */
  day: string;
  measure: Measure;
  n: number;
}

const dayOf = (t: number): string => isoDate(localDay(t));

/**
 * What a fact counts for. Stocks: a received dossier is open from the day it was received until the day it ended;
 * it is overdue at the end of every day from its due day while open, except while the clock is paused (a supplement
 * asked before the due time stops it).
 */
export function contributions(f: KpiFact | null): Contribution[] {
  if (!f) return [];
  const out: Contribution[] = [];
  const add = (t: number, measure: Measure, n = 1) => out.push({ day: dayOf(t), measure, n });
  if (f.filedAt !== null) add(f.filedAt, "filed");
  if (f.outcome === "refused_receipt" && f.endedAt !== null) add(f.endedAt, "refused_receipt");
  if (f.outcome === "withdrawn" && f.endedAt !== null) add(f.endedAt, "withdrawn");
  if (f.receivedAt === null) return out;
  const r = f.receivedAt;
  add(r, "received");
  if (f.channel === "online") add(r, "online_received");
  if (f.digitised) add(r, "digitised");
  if (f.reused) add(r, "reused");
  if (f.vneid) add(r, "vneid");
  if (f.feeBearing) add(r, "fee_bearing");
  if (f.paidOnline) add(r, "paid_online");
  for (const t of f.supplements) add(t, "supplements");
  if (f.rating) add(f.rating.at, `rating_${f.rating.level}`);
  const end = f.outcome && f.outcome !== "refused_receipt" ? f.endedAt : null;
  if (end !== null) {
    if (f.outcome === "done") {
      add(end, `finished_${f.timeliness ?? "on_time"}`);
      add(end, "processing_seconds", Math.max(0, Math.round((end - r - f.pausedMs) / 1000)));
      if (f.electronicResult) add(end, "electronic_result");
    } else if (f.outcome !== "withdrawn") add(end, f.outcome!);
    add(end, f.timeliness === "late" ? "ended_late" : "ended_on_time");
  }
  add(r, "open");
  if (end !== null) add(end, "open", -1);
  // Overdue from the due day; a pause that began before the due time stops the clock (not overdue while it lasts).
  const due = f.dueAt;
  const pausedInTime = f.pausedAt !== null && due !== null && f.pausedAt <= due;
  if (due !== null && !pausedInTime) {
    const dueDay = dayOf(due);
    if (end === null || dayOf(end) >= dueDay) {
      add(due, "overdue");
      if (end !== null) add(end, "overdue", -1);
    }
  }
  return out;
}

/** The dimensions a fact's contributions are counted under. */
export interface Dims {
  province: string;
  agency: string;
  competent: string;
  procedure: string;
  channel: Channel;
}

/** One row of the rollups' deltas: a measure's change on a day, under its dimensions. */
export type DeltaRow = Dims & Contribution;

export function dimsOf(f: KpiFact): Dims {
  return { province: f.province, agency: f.agency, competent: f.competent, procedure: f.procedure, channel: f.channel };
}

/**
 * What a change writes: the new fact's contributions less the old one's, each moved to the change's day when it
 * would fall before it, so a change never alters a day already past (a closed period keeps its numbers).
 */
export function delta(prev: KpiFact | null, next: KpiFact | null, at: Date): DeltaRow[] {
  const today = dayOf(at.getTime());
  const sums = new Map<string, DeltaRow>();
  const put = (f: KpiFact, sign: number) => {
    const dims = dimsOf(f);
    for (const c of contributions(f)) {
      const day = c.day < today ? today : c.day;
      const key = `${dims.province}|${dims.agency}|${dims.competent}|${dims.procedure}|${dims.channel}|${day}|${c.measure}`;
      const cur = sums.get(key) ?? { ...dims, day, measure: c.measure, n: 0 };
      cur.n += sign * c.n;
      sums.set(key, cur);
    }
  };
  if (next) put(next, 1);
  if (prev) put(prev, -1);
  return [...sums.values()].filter((c) => c.n !== 0);
}
