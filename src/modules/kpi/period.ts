// Periods of the statistics: whole local days (Asia/Ho_Chi_Minh), from a first to a last day, both included.
import { dayStart, isoDate, localDay, parseIsoDate } from "../calendar/index.ts";
import { InvalidPeriod } from "./errors.ts";

export interface Period {
  /** `YYYY-MM-DD`, the first day. */
  from: string;
  /** `YYYY-MM-DD`, the last day. */
  to: string;
}

/** The instant the period begins: the local midnight of its first day. */
export function periodStart(p: Period): Date {
  return new Date(dayStart(parseIsoDate(p.from)!));
}

/** The instant the period ends: the local midnight after its last day. */
export function periodEnd(p: Period): Date {
  return new Date(dayStart(parseIsoDate(p.to)! + 1));
}

/** A period from two days; the first defaults to the year's first day, the last to today. Throws InvalidPeriod. */
export function periodOf(from: string | undefined, to: string | undefined, now: Date): Period {
  const today = isoDate(localDay(now.getTime()));
  const last = to ?? today;
  const first = from ?? `${last.slice(0, 4)}-01-01`;
  if (parseIsoDate(first) === null || parseIsoDate(last) === null || first > last) throw new InvalidPeriod(`${first}..${last}`);
  return { from: first, to: last };
}

/** `2026-Q3`, `2026-07` or `2026`: the quarter, month or year. Throws InvalidPeriod. */
export function namedPeriod(name: string): Period {
  const q = /^(\d{4})-Q([1-4])$/.exec(name);
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(name);
  const y = /^(\d{4})$/.exec(name);
  const lastDay = (year: number, month: number) => isoDate(Date.UTC(year, month, 0) / 86_400_000);
  // Years the calendar and PostgreSQL agree on (Date.UTC reads 0–99 as 19xx; PostgreSQL has no year 0).
  const year = Number((q ?? m ?? y)?.[1]);
  if (!(year >= 1900 && year <= 2999)) throw new InvalidPeriod(name);
  if (q) {
    const first = (Number(q[2]) - 1) * 3 + 1;
    return { from: `${year}-${String(first).padStart(2, "0")}-01`, to: lastDay(year, first + 2) };
  }
  if (m) return { from: `${m[1]}-${m[2]}-01`, to: lastDay(Number(m[1]), Number(m[2])) };
  if (y) return { from: `${y[1]}-01-01`, to: `${y[1]}-12-31` };
  throw new InvalidPeriod(name);
}

/** The last day of the month of `day` (`YYYY-MM-DD`). */
export const monthEnd = (day: string): string => namedPeriod(day.slice(0, 7)).to;

/** The day after `day`. */
export const dayAfter = (day: string): string => isoDate(parseIsoDate(day)! + 1);

/** The last day of the months the stocks' snapshots may close: two days before today (no event writes on a past day). */
export const closedThrough = (now: Date): string => isoDate(localDay(now.getTime()) - 2);
