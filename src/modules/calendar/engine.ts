/**
 * The working-time engine (DOMAIN.md §4), pure: no database, no clock. It works from a set of special
 * days (holidays, compensatory and swapped days off, make-up working days) and an agency's office
 * hours, and answers in UTC instants computed in Vietnam's time.
 *
 * Working time W(t) is the number of office minutes up to t; a deadline of n working units is the
 * earliest instant at which W has grown by n from the start. Such an instant always lies inside
 * office hours (a period's closing time included) on a working day.
 */
import type { FieldProblem } from "../../platform/http/errors.ts";
import { type Day, DAY_MS, dayStart, isoWeekday, localDay, MINUTE_MS, yearDays, yearOfDay } from "./time.ts";

export const DAY_KINDS = ["holiday", "compensatory", "swapped", "working_day"] as const;
/**
 * `holiday` ngày lễ, Tết (Labour Code 2019 Art. 112); `compensatory` nghỉ bù (Art. 111(3)); `swapped`
 * a working day given off in exchange for a make-up day (hoán đổi); `working_day` a make-up working
 * day (làm bù), usually a Saturday.
 */
export type DayKind = (typeof DAY_KINDS)[number];
export const DAY_OFF_KINDS = ["holiday", "compensatory", "swapped"] as const;
export type DayOffKind = (typeof DAY_OFF_KINDS)[number];

/**
 * `working_days` ngày làm việc (8 office hours each), `days` calendar days, `hours` office hours, `same_day`
 * "trong ngày": the result the same working day, or the next one when received after the cut-off.
 */
export const DUE_UNITS = ["working_days", "days", "hours", "same_day"] as const;
export type DueUnit = (typeof DUE_UNITS)[number];

/** How a procedure's time reads the receipt cut-off (the procedure's processing time says so; DOMAIN.md §3). */
export interface DueRules {
  /**
   * Working days counted from the start of the next working day when received after the cut-off. False by
   * default: the cut-off only moves the hand-over to the processing unit (`transferAt`), not the deadline.
   */
  countFromNextDayAfterCutoff?: boolean | undefined;
}

/** An office period in minutes after local midnight, `start < end`. */
export interface Period {
  start: number;
  end: number;
}

export interface OfficeHours {
  /** Periods per ISO weekday, index 0 Monday … 6 Sunday, in order; an empty list is a weekly rest day. */
  week: Period[][];
  /** Periods of a make-up working day (ngày làm bù). */
  makeUpDay: Period[];
  /** Working minutes in one working day: DOMAIN.md §4 counts 1 day as 8 h (cfg). */
  dayMinutes: number;
  /**
   * A dossier received at the counter on a working day after this minute is transferred to the processing
   * unit at the start of the next working day (DOMAIN.md §3, "after 15:00", cfg); a same-day procedure
   * received after it is due the next working day; null: no cut-off. It moves no other deadline unless the
   * procedure says so (`DueRules`).
   */
  receiptCutoff: number | null;
}

const WORKDAY: Period[] = [
  { start: 7 * 60, end: 11 * 60 + 30 },
  { start: 13 * 60 + 30, end: 17 * 60 },
];

/** DOMAIN.md §4 (cfg): 07:00–11:30 and 13:30–17:00, Monday to Friday; 1 day = 8 h; cut-off 15:00. */
export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  week: [WORKDAY, WORKDAY, WORKDAY, WORKDAY, WORKDAY, [], []],
  makeUpDay: WORKDAY,
  dayMinutes: 8 * 60,
  receiptCutoff: 15 * 60,
};

/** What is wrong with a set of office hours, as field problems (empty when it is usable). */
export function officeHoursProblems(h: OfficeHours): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const checkPeriods = (ps: Period[], path: string) => {
    let last = -1;
    for (const p of ps) {
      if (!Number.isInteger(p.start) || !Number.isInteger(p.end) || p.start < 0 || p.end > 24 * 60 || p.start >= p.end) {
        problems.push({ path, message: "Giờ bắt đầu phải trước giờ kết thúc, trong cùng một ngày." });
      } else if (p.start < last) {
        problems.push({ path, message: "Các khoảng giờ phải theo thứ tự và không chồng lên nhau." });
      }
      last = p.end;
    }
  };
  if (h.week.length !== 7) problems.push({ path: "/week", message: "Cần đủ 7 ngày, từ thứ Hai đến Chủ nhật." });
  h.week.forEach((ps, i) => checkPeriods(ps, `/week/${i}`));
  checkPeriods(h.makeUpDay, "/makeUpDay");
  if (!h.week.some((ps) => ps.length > 0)) problems.push({ path: "/week", message: "Cần ít nhất một ngày làm việc trong tuần." });
  if (h.makeUpDay.length === 0) problems.push({ path: "/makeUpDay", message: "Ngày làm bù cần có giờ làm việc." });
  if (!Number.isInteger(h.dayMinutes) || h.dayMinutes < 1 || h.dayMinutes > 24 * 60) {
    problems.push({ path: "/dayMinutes", message: "Số phút của một ngày làm việc từ 1 đến 1440." });
  }
  if (h.receiptCutoff !== null && (!Number.isInteger(h.receiptCutoff) || h.receiptCutoff < 0 || h.receiptCutoff >= 24 * 60)) {
    problems.push({ path: "/receiptCutoff", message: "Giờ tiếp nhận muộn nhất phải là một thời điểm trong ngày." });
  }
  return problems;
}

/** Thrown when a computation needs the special days of a year that was not loaded. */
export class CalendarRangeError extends Error {
  constructor(readonly year: number) {
    super(`the calendar of ${year} is not loaded`);
    this.name = "CalendarRangeError";
  }
}

/** The special days of a span of years. */
export interface SpecialDays {
  /** The kind of a special day, undefined for an ordinary one; throws CalendarRangeError outside the span. */
  kindOf(d: Day): DayKind | undefined;
}

/** Special days held in memory for the years `first`…`last`. */
export function specialDays(entries: Iterable<readonly [Day, DayKind]>, years: { first: number; last: number }): SpecialDays {
  const kinds = new Map(entries);
  const lo = yearDays(years.first).first;
  const hi = yearDays(years.last).last;
  return {
    kindOf(d) {
      if (d < lo || d > hi) throw new CalendarRangeError(yearOfDay(d));
      return kinds.get(d);
    },
  };
}

/** A paused interval of a deadline clock; `to` is null while the clock is paused. */
export interface Pause {
  from: number;
  to: number | null;
}

/** A processing-time clock: started at `start` for `amount` `unit`s, paused for supplements. */
export interface DeadlineClock extends DueRules {
  start: number;
  amount: number;
  unit: DueUnit;
  pauses: readonly Pause[];
}

export interface ClockReading {
  /** The deadline extended by the paused time; null while paused. */
  due: number | null;
  paused: boolean;
  /** While paused: the working minutes (calendar minutes for `days`) left when the pause began. */
  remainingMinutes: number | null;
}

// No office hours for this many consecutive days means the setup has none at all.
const IDLE_DAYS_LIMIT = 3660;
const NONE: readonly Period[] = [];

export class WorkingTime {
  constructor(
    readonly days: SpecialDays,
    readonly hours: OfficeHours,
  ) {}

  /** The office periods of a day: none on a day off, the make-up periods on a make-up day. */
  periods(d: Day): readonly Period[] {
    const kind = this.days.kindOf(d);
    if (kind === "working_day") return this.hours.makeUpDay;
    if (kind !== undefined) return NONE;
    return this.hours.week[isoWeekday(d) - 1] ?? NONE;
  }

  isWorkingDay(d: Day): boolean {
    return this.periods(d).length > 0;
  }

  /** The first working day on or after `d`. */
  workingDayFrom(d: Day): Day {
    for (let i = 0; i <= IDLE_DAYS_LIMIT; i++) if (this.isWorkingDay(d + i)) return d + i;
    throw new Error("no working day in ten years: the office hours have no working periods");
  }

  /** Whether `t` lies in office hours on a working day, a period's closing instant included. */
  isWithinHours(t: number): boolean {
    const d = localDay(t);
    const m = (t - dayStart(d)) / MINUTE_MS;
    return this.periods(d).some((p) => m >= p.start && m <= p.end);
  }

  /** The first instant at or after `t` when the office is open (`t` itself inside a period). */
  nextOpen(t: number): number {
    let d = localDay(t);
    for (let i = 0; i <= IDLE_DAYS_LIMIT; i++, d++) {
      const base = dayStart(d);
      for (const p of this.periods(d)) {
        if (t < base + p.end * MINUTE_MS) return Math.max(t, base + p.start * MINUTE_MS);
      }
    }
    throw new Error("no working day in ten years: the office hours have no working periods");
  }

  /** The instant at which `ms` milliseconds of working time have run from `t`. */
  addWorkingMs(t: number, ms: number): number {
    if (ms <= 0) return this.nextOpen(t);
    let remaining = ms;
    let idle = 0;
    for (let d = localDay(t); ; d++) {
      const base = dayStart(d);
      const ps = this.periods(d);
      idle = ps.length ? 0 : idle + 1;
      if (idle > IDLE_DAYS_LIMIT) throw new Error("no working day in ten years: the office hours have no working periods");
      for (const p of ps) {
        const s = Math.max(base + p.start * MINUTE_MS, t);
        const e = base + p.end * MINUTE_MS;
        if (e <= s) continue;
        if (remaining <= e - s) return s + remaining;
        remaining -= e - s;
      }
    }
  }

  /** Working time between `a` and `b` in milliseconds (0 when `b` ≤ `a`). */
  workingMs(a: number, b: number): number {
    let total = 0;
    for (let d = localDay(a); d <= localDay(b); d++) {
      const base = dayStart(d);
      for (const p of this.periods(d)) {
        const s = Math.max(base + p.start * MINUTE_MS, a);
        const e = Math.min(base + p.end * MINUTE_MS, b);
        if (e > s) total += e - s;
      }
    }
    return total;
  }

  /** Whether `t` is after the receipt cut-off of a working day (15:00 sharp is not; no cut-off, never). */
  isAfterCutoff(t: number): boolean {
    const cutoff = this.hours.receiptCutoff;
    if (cutoff === null) return false;
    const d = localDay(t);
    return this.isWorkingDay(d) && t > dayStart(d) + cutoff * MINUTE_MS;
  }

  /**
   * When a dossier received at `t` is transferred to the processing unit: `t`, or the opening of the next
   * working day when `t` is after the receipt cut-off of a working day (DOMAIN.md §3: the 15:00 rule is a
   * transfer rule; Decree 118/2025's text on it was not available, see /work/research/circular03.md §5).
   */
  transferAt(t: number): number {
    if (!this.isAfterCutoff(t)) return t;
    const next = this.workingDayFrom(localDay(t) + 1);
    return dayStart(next) + this.periods(next)[0]!.start * MINUTE_MS;
  }

  /** Where counting starts for `unit` received at `t`: the next working day after the cut-off only when the procedure says so. */
  private countFrom(t: number, unit: DueUnit, rules: DueRules): number {
    return unit === "working_days" && rules.countFromNextDayAfterCutoff === true ? this.transferAt(t) : t;
  }

  /**
   * A same-day ("trong ngày") result for a dossier received at `t`: the close of that working day when received
   * before its cut-off (and before its close), else the close of the next working day. Received on a day off,
   * it is received at the next working day's opening: the close of that day. DOMAIN.md §3: some procedures
   * define it so ("received before 15:00 → the same day, after 15:00 → the next working day"); without a
   * cut-off, the day's close is the limit.
   */
  sameDayDue(t: number): number {
    const d = localDay(t);
    if (!this.isWorkingDay(d)) return this.closeFrom(d, t);
    const ps = this.periods(d);
    const close = dayStart(d) + ps[ps.length - 1]!.end * MINUTE_MS;
    if (!this.isAfterCutoff(t) && t < close) return close;
    return this.closeFrom(d + 1, t);
  }

  /** Closing time of the first working day on or after `d` that closes at or after `notBefore`. */
  closeFrom(d: Day, notBefore: number): number {
    for (let day = this.workingDayFrom(d); ; day = this.workingDayFrom(day + 1)) {
      const ps = this.periods(day);
      const close = dayStart(day) + ps[ps.length - 1]!.end * MINUTE_MS;
      if (close >= notBefore) return close;
    }
  }

  /** Working milliseconds in `amount` of a working unit. */
  private unitMs(amount: number, unit: "working_days" | "hours"): number {
    return Math.round(amount * (unit === "hours" ? 60 : this.hours.dayMinutes) * MINUTE_MS);
  }

  /**
   * The deadline for `amount` `unit`s from `from`:
   * - `working_days`: `amount` × the working day (8 h) of office time from the receipt, whether before or
   *   after the cut-off, unless the procedure counts from the next working day after it
   *   (`rules.countFromNextDayAfterCutoff`); receipt outside office hours starts at the next working period.
   * - `hours`: `amount` hours of office time.
   * - `days`: calendar days. Civil Code 2015 Art. 147–148: the day of receipt is not counted and the term
   *   ends at the end of its last day; a last day that is a day off moves to the next working day. The
   *   end of a day is the office's closing time, when a result can still be handed over.
   * - `same_day`: `sameDayDue` (the amount is not read).
   */
  due(from: number, amount: number, unit: DueUnit, rules: DueRules = {}): number {
    switch (unit) {
      case "working_days":
        return this.addWorkingMs(this.countFrom(from, unit, rules), this.unitMs(amount, unit));
      case "hours":
        return this.addWorkingMs(from, this.unitMs(amount, unit));
      case "days":
        return this.closeFrom(localDay(from) + Math.floor(amount), from);
      case "same_day":
        return this.sameDayDue(from);
    }
  }

  /**
   * Reads a deadline clock: the deadline moved later by the time spent paused before it (a supplement
   * request pauses the clock until the applicant answers; time already spent still counts, DOMAIN.md §3).
   */
  readClock(clock: DeadlineClock): ClockReading {
    const pauses = checkPauses(clock);
    if (clock.unit === "days") {
      let landing = clock.start + Math.floor(clock.amount) * DAY_MS;
      for (const p of pauses) {
        if (p.from >= this.closeFrom(localDay(landing), clock.start)) break;
        const from = Math.max(p.from, clock.start);
        if (p.to === null) return { due: null, paused: true, remainingMinutes: Math.max(0, landing - from) / MINUTE_MS };
        landing += Math.max(0, p.to - from);
      }
      return { due: this.closeFrom(localDay(landing), clock.start), paused: false, remainingMinutes: null };
    }
    // A same-day clock is the office time left from its receipt to its day's close, paused like working hours.
    let cur = this.countFrom(clock.start, clock.unit, clock);
    let remaining = clock.unit === "same_day" ? this.workingMs(cur, this.sameDayDue(cur)) : this.unitMs(clock.amount, clock.unit);
    for (const p of pauses) {
      if (p.from >= this.addWorkingMs(cur, remaining)) break;
      const from = Math.max(p.from, cur);
      remaining -= this.workingMs(cur, from);
      if (p.to === null) return { due: null, paused: true, remainingMinutes: remaining / MINUTE_MS };
      cur = Math.max(p.to, from);
    }
    return { due: this.addWorkingMs(cur, remaining), paused: false, remainingMinutes: null };
  }
}

/** A clock's pauses, checked: in order, not overlapping, only the last one open. */
function checkPauses(clock: DeadlineClock): readonly Pause[] {
  let last = -Infinity;
  clock.pauses.forEach((p, i) => {
    if (p.from < last) throw new RangeError("clock pauses must be in order and must not overlap");
    if (p.to === null && i !== clock.pauses.length - 1) throw new RangeError("only the last pause may be open");
    if (p.to !== null && p.to < p.from) throw new RangeError("a pause must end after it begins");
    last = p.to ?? p.from;
  });
  return clock.pauses;
}

/** The clock paused at `at`. Throws RangeError when it is already paused or `at` is before its last event. */
export function pauseClock(clock: DeadlineClock, at: number): DeadlineClock {
  const last = clock.pauses[clock.pauses.length - 1];
  if (last && last.to === null) throw new RangeError("the clock is already paused");
  if (at < clock.start || (last && at < last.to!)) throw new RangeError("a pause cannot begin before the clock's last event");
  return { ...clock, pauses: [...clock.pauses, { from: at, to: null }] };
}

/** The clock running again from `at`. Throws RangeError when it is not paused or `at` is before the pause. */
export function resumeClock(clock: DeadlineClock, at: number): DeadlineClock {
  const last = clock.pauses[clock.pauses.length - 1];
  if (!last || last.to !== null) throw new RangeError("the clock is not paused");
  if (at < last.from) throw new RangeError("a pause cannot end before it begins");
  return { ...clock, pauses: [...clock.pauses.slice(0, -1), { from: last.from, to: at }] };
}
