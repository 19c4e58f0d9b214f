import type { Audit } from "../../platform/audit/index.ts";
import type { Actor } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Db } from "../../platform/db/index.ts";
import { DomainError, type FieldProblem } from "../../platform/http/errors.ts";
import { type DirectoryService, isAgencyCode } from "../directory/index.ts";
import {
  CalendarRangeError,
  DAY_OFF_KINDS,
  DEFAULT_OFFICE_HOURS,
  type DayKind,
  type DayOffKind,
  type DueRules,
  type DueUnit,
  type OfficeHours,
  specialDays,
  WorkingTime,
} from "./engine.ts";
import {
  CalendarDayExists,
  CalendarDayNotFound,
  CalendarForbidden,
  CalendarOutOfRange,
  InvalidCalendarInput,
  NotARestDay,
} from "./errors.ts";
import { defaultSpec, type OfficeHoursSpec, readSpec } from "./office-hours.ts";
import { canManageCalendar } from "./policy.ts";
import * as repo from "./repo.ts";
import { day, isoDate, isoWeekday, localDay, parseIsoDate, yearOfDay } from "./time.ts";

/** The years the calendar answers for (the web's days-off page uses the same bounds). */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

// Another node's edit reaches this node's cache within this time at most; this node's edits at once.
const CACHE_TTL_MS = 60_000;

export interface DueQuery extends DueRules {
  from: Date;
  amount: number;
  unit: DueUnit;
  /** The agency whose office hours apply; its own hours, else the default. */
  agency?: string | null | undefined;
}

export interface ClockQuery extends DueRules {
  start: Date;
  amount: number;
  unit: DueUnit;
  /** Paused intervals in order; `to` is null while paused (a supplement not answered yet). */
  pauses: { from: Date; to: Date | null }[];
  agency?: string | null | undefined;
}

export interface ClockReadingDto {
  due: Date | null;
  paused: boolean;
  remainingMinutes: number | null;
}

/** A special day as shown: `kind` is one of `holiday`, `compensatory`, `swapped`, `working_day`. */
export interface CalendarDayDto {
  date: string;
  name: string;
  nameEn: string;
  kind: string;
}

export interface DayOffInput {
  date: string;
  name: string;
  nameEn?: string | undefined;
  /** `holiday` by default; `compensatory` (nghỉ bù) or `swapped` (hoán đổi). */
  kind?: DayOffKind | undefined;
}

export interface WorkingDayInput {
  date: string;
  name: string;
  nameEn?: string | undefined;
}

export type OfficeHoursInput = Omit<OfficeHoursSpec, "basis"> & { basis?: string | null | undefined };

export interface CalendarService {
  /** The deadline for a processing time. Throws InvalidCalendarInput, CalendarOutOfRange. */
  due(query: DueQuery): Promise<Date>;
  /**
   * When a dossier received at `at` is transferred to the processing unit: `at`, or the next working day's
   * opening when received after the agency's cut-off. Throws CalendarOutOfRange.
   */
  transferAt(query: { at: Date; agency?: string | null | undefined }): Promise<Date>;
  /** A deadline clock with its pauses: the deadline extended by the paused time, null while paused. */
  readClock(query: ClockQuery): Promise<ClockReadingDto>;
  /** Working minutes between two instants under an agency's office hours. Throws CalendarOutOfRange. */
  workingMinutes(query: { from: Date; to: Date; agency?: string | null | undefined }): Promise<number>;
  /** The days off of a year (holidays, compensatory and swapped days), by date. Throws InvalidCalendarInput. */
  holidays(year: number): Promise<CalendarDayDto[]>;
  /** The make-up working days of a year, by date. Throws InvalidCalendarInput. */
  workingDays(year: number): Promise<CalendarDayDto[]>;
  /** The office hours in force for an agency (or the default) on a day. */
  officeHours(agency?: string | null, at?: Date): Promise<OfficeHoursSpec>;
  /** Sets an agency's (or the default) office hours from a date. Throws CalendarForbidden, InvalidCalendarInput. */
  setOfficeHours(actor: Actor, input: OfficeHoursInput, tx?: Db): Promise<OfficeHoursSpec>;
  /** Adds a day off. Throws CalendarForbidden, InvalidCalendarInput, CalendarDayExists. */
  addDayOff(actor: Actor, input: DayOffInput, tx?: Db): Promise<CalendarDayDto>;
  /** Removes a day off (it becomes an ordinary day). Throws CalendarForbidden, InvalidCalendarInput, CalendarDayNotFound. */
  removeDayOff(actor: Actor, date: string, tx?: Db): Promise<CalendarDayDto>;
  /** Adds a make-up working day on a weekly rest day. Throws CalendarForbidden, InvalidCalendarInput, CalendarDayExists, NotARestDay. */
  addWorkingDay(actor: Actor, input: WorkingDayInput, tx?: Db): Promise<CalendarDayDto>;
  /** Removes a make-up working day. Throws CalendarForbidden, InvalidCalendarInput, CalendarDayNotFound. */
  removeWorkingDay(actor: Actor, date: string, tx?: Db): Promise<CalendarDayDto>;
}

export interface CalendarDeps {
  database: Database;
  /** Office hours belong to agencies of the directory. */
  directory: Pick<DirectoryService, "agency">;
  /** Records calendar edits. */
  audit: Audit;
  /** Ages the in-memory cache. */
  clock: Clock;
}

type YearRows = Awaited<ReturnType<typeof repo.daysOfYear>>;

const present = (r: { date: string; name: string; nameEn: string; kind: string }): CalendarDayDto => ({
  date: r.date,
  name: r.name,
  nameEn: r.nameEn,
  kind: r.kind,
});

function invalid(path: string, message: string): never {
  throw new InvalidCalendarInput([{ path, message }]);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) invalid("/year", `Năm từ ${MIN_YEAR} đến ${MAX_YEAR}.`);
}

function checkDate(date: string): number {
  const d = parseIsoDate(date);
  if (d === null) invalid("/date", "Ngày có dạng YYYY-MM-DD và phải là một ngày có thật.");
  const y = yearOfDay(d);
  if (y < MIN_YEAR || y > MAX_YEAR) invalid("/date", `Ngày trong các năm ${MIN_YEAR}–${MAX_YEAR}.`);
  return d;
}

function checkNames(input: { name: string; nameEn?: string | undefined }): { name: string; nameEn: string } {
  const name = (input.name ?? "").trim().normalize("NFC");
  const nameEn = (input.nameEn ?? "").trim().normalize("NFC") || name;
  const problems: FieldProblem[] = [];
  if (!name || name.length > 200) problems.push({ path: "/name", message: "Cần có tên ngày, tối đa 200 ký tự." });
  if (nameEn.length > 200) problems.push({ path: "/nameEn", message: "Tối đa 200 ký tự." });
  if (problems.length) throw new InvalidCalendarInput(problems);
  return { name, nameEn };
}

function checkAgency(agency: string | null | undefined): string | null {
  if (agency === undefined || agency === null) return null;
  if (!isAgencyCode(agency)) invalid("/agency", "Mã định danh cơ quan theo QCVN 102:2016, ví dụ 000.00.00.H29.");
  return agency;
}

function specOfRow(r: repo.OfficeHoursRow): OfficeHoursSpec {
  return {
    agency: r.agencyCode,
    validFrom: r.validFrom,
    week: r.week,
    makeUpDay: r.makeUpDay,
    dayMinutes: r.dayMinutes,
    receiptCutoff: r.receiptCutoff,
    basis: r.basis,
  };
}

export function makeCalendarService({ database, directory, audit, clock }: CalendarDeps): CalendarService {
  const inTx = <T>(tx: Db | undefined, fn: (tx: Db) => Promise<T>) => (tx ? fn(tx) : database.transaction(fn));

  const years = new Map<number, { at: number; rows: Promise<YearRows> }>();
  let hoursCache: { at: number; rows: Promise<{ spec: OfficeHoursSpec; hours: OfficeHours }[]> } | null = null;
  const fresh = (at: number) => clock.now().getTime() - at < CACHE_TTL_MS;

  function yearRows(year: number): Promise<YearRows> {
    const hit = years.get(year);
    if (hit && fresh(hit.at)) return hit.rows;
    const rows = repo.daysOfYear(database.db, year);
    const entry = { at: clock.now().getTime(), rows };
    years.set(year, entry);
    rows.catch(() => {
      if (years.get(year) === entry) years.delete(year);
    });
    return rows;
  }

  function allHours() {
    if (hoursCache && fresh(hoursCache.at)) return hoursCache.rows;
    const rows = repo.listOfficeHours(database.db).then((list) =>
      list.map((r) => {
        const spec = specOfRow(r);
        const read = readSpec(spec);
        if (!read.ok) throw new Error(`office hours #${r.id} are not usable: ${JSON.stringify(read.problems)}`);
        return { spec, hours: read.hours };
      }),
    );
    const entry = { at: clock.now().getTime(), rows };
    hoursCache = entry;
    rows.catch(() => {
      if (hoursCache === entry) hoursCache = null;
    });
    return rows;
  }

  /** The office hours version in force for an agency on a date: its own, else the default, else DOMAIN's. */
  async function hoursFor(agency: string | null, date: string): Promise<{ spec: OfficeHoursSpec; hours: OfficeHours }> {
    const rows = await allHours();
    const pick = (code: string | null) =>
      rows.filter((r) => r.spec.agency === code && r.spec.validFrom <= date).sort((a, b) => (a.spec.validFrom < b.spec.validFrom ? 1 : -1))[0];
    return (agency !== null ? pick(agency) : undefined) ?? pick(null) ?? { spec: defaultSpec(), hours: DEFAULT_OFFICE_HOURS };
  }

  /**
   * Runs `fn` on the working time of an agency at `at`, loading the years it reaches: an engine asking
   * for a year not loaded yet throws CalendarRangeError, and the computation runs again with it.
   */
  async function withWorkingTime<T>(agency: string | null, at: number, fn: (wt: WorkingTime) => T): Promise<T> {
    if (!Number.isFinite(at)) invalid("/from", "Thời điểm không hợp lệ.");
    const startYear = yearOfDay(localDay(at));
    if (startYear < MIN_YEAR || startYear > MAX_YEAR) throw new CalendarOutOfRange(MIN_YEAR, MAX_YEAR);
    const { hours } = await hoursFor(agency, isoDate(localDay(at)));
    let first = startYear;
    let last = startYear;
    for (;;) {
      const entries: [number, DayKind][] = [];
      for (let y = first; y <= last; y++) {
        for (const r of await yearRows(y)) entries.push([day(r.date), r.kind as DayKind]);
      }
      try {
        return fn(new WorkingTime(specialDays(entries, { first, last }), hours));
      } catch (err) {
        if (!(err instanceof CalendarRangeError)) throw err;
        if (err.year < MIN_YEAR || err.year > MAX_YEAR) throw new CalendarOutOfRange(MIN_YEAR, MAX_YEAR);
        first = Math.min(first, err.year);
        last = Math.max(last, err.year);
      }
    }
  }

  async function agencyExists(code: string, tx: Db | undefined): Promise<boolean> {
    try {
      await directory.agency(code, tx);
      return true;
    } catch (err) {
      if (err instanceof DomainError && err.kind === "not_found") return false;
      throw err;
    }
  }

  function checkAmount(amount: number, unit: DueUnit): void {
    if (!Number.isFinite(amount) || amount < 0) invalid("/amount", "Thời hạn là một số không âm.");
    if (unit === "days" && !Number.isInteger(amount)) invalid("/amount", "Số ngày là số nguyên.");
  }

  async function edit<T>(
    actor: Actor,
    date: string,
    tx: Db | undefined,
    fn: (tx: Db) => Promise<T>,
  ): Promise<T> {
    if (!canManageCalendar(actor)) throw new CalendarForbidden();
    const year = yearOfDay(checkDate(date));
    try {
      return await inTx(tx, fn);
    } finally {
      // Dropped after our own commit; inside a caller's transaction, at once (and again by age).
      years.delete(year);
    }
  }

  async function addDay(actor: Actor, kind: DayKind, action: string, input: DayOffInput, tx?: Db): Promise<CalendarDayDto> {
    return edit(actor, input.date, tx, async (tx) => {
      const names = checkNames(input);
      const row = await repo.addDay(tx, { date: input.date, kind, ...names, source: "admin" });
      if (!row) throw new CalendarDayExists(input.date, (await repo.findDay(tx, input.date))?.kind ?? "?");
      await audit.record(tx, {
        actor,
        action,
        subject: { type: "calendar_day", id: input.date },
        change: { date: input.date, kind, ...names },
      });
      return present(row);
    });
  }

  async function removeDay(actor: Actor, date: string, kinds: readonly string[], action: string, tx?: Db) {
    return edit(actor, date, tx, async (tx) => {
      const row = await repo.removeDay(tx, date, kinds);
      if (!row) throw new CalendarDayNotFound(date, kinds.includes("working_day") ? "working_day" : "day_off");
      await audit.record(tx, {
        actor,
        action,
        subject: { type: "calendar_day", id: date },
        change: { date, kind: row.kind, name: row.name },
      });
      return present(row);
    });
  }

  return {
    async due({ from, amount, unit, agency, countFromNextDayAfterCutoff }) {
      checkAmount(amount, unit);
      const code = checkAgency(agency);
      const due = await withWorkingTime(code, from.getTime(), (wt) => wt.due(from.getTime(), amount, unit, { countFromNextDayAfterCutoff }));
      return new Date(due);
    },

    async transferAt({ at, agency }) {
      const code = checkAgency(agency);
      return new Date(await withWorkingTime(code, at.getTime(), (wt) => wt.transferAt(at.getTime())));
    },

    async readClock({ start, amount, unit, pauses, agency, countFromNextDayAfterCutoff }) {
      checkAmount(amount, unit);
      const code = checkAgency(agency);
      const reading = await withWorkingTime(code, start.getTime(), (wt) => {
        try {
          return wt.readClock({
            start: start.getTime(),
            amount,
            unit,
            countFromNextDayAfterCutoff,
            pauses: pauses.map((p) => ({ from: p.from.getTime(), to: p.to === null ? null : p.to.getTime() })),
          });
        } catch (err) {
          if (err instanceof RangeError) invalid("/pauses", err.message);
          throw err;
        }
      });
      return { due: reading.due === null ? null : new Date(reading.due), paused: reading.paused, remainingMinutes: reading.remainingMinutes };
    },

    async workingMinutes({ from, to, agency }) {
      const code = checkAgency(agency);
      const ms = await withWorkingTime(code, from.getTime(), (wt) => {
        // Touch the last day first so that every year in between is loaded before counting.
        wt.periods(localDay(to.getTime()));
        return wt.workingMs(from.getTime(), to.getTime());
      });
      return ms / 60_000;
    },

    async holidays(year) {
      checkYear(year);
      const kinds: readonly string[] = DAY_OFF_KINDS;
      return (await yearRows(year)).filter((r) => kinds.includes(r.kind)).map(present);
    },

    async workingDays(year) {
      checkYear(year);
      return (await yearRows(year)).filter((r) => r.kind === "working_day").map(present);
    },

    async officeHours(agency, at) {
      const code = checkAgency(agency);
      return (await hoursFor(code, isoDate(localDay((at ?? clock.now()).getTime())))).spec;
    },

    async setOfficeHours(actor, input, tx) {
      if (!canManageCalendar(actor)) throw new CalendarForbidden();
      const agency = checkAgency(input.agency);
      if (agency !== null && !(await agencyExists(agency, tx))) invalid("/agency", `Không có cơ quan mã ${agency} trong danh mục cơ quan.`);
      if (parseIsoDate(input.validFrom) === null) invalid("/validFrom", "Ngày có dạng YYYY-MM-DD.");
      const read = readSpec(input);
      if (!read.ok) throw new InvalidCalendarInput(read.problems);
      const basis = input.basis?.trim() || null;
      try {
        return await inTx(tx, async (tx) => {
          const row = await repo.upsertOfficeHours(tx, {
            agencyCode: agency,
            validFrom: input.validFrom,
            week: input.week.map((d) => d.map((p) => p.trim())),
            makeUpDay: input.makeUpDay.map((p) => p.trim()),
            dayMinutes: input.dayMinutes,
            receiptCutoff: input.receiptCutoff,
            basis,
          });
          await audit.record(tx, {
            actor,
            action: "calendar.office_hours_set",
            subject: { type: "office_hours", id: agency ?? "default" },
            change: specOfRow(row),
          });
          return specOfRow(row);
        });
      } finally {
        hoursCache = null;
      }
    },

    async addDayOff(actor, input, tx) {
      if (!canManageCalendar(actor)) throw new CalendarForbidden();
      const kind = input.kind ?? "holiday";
      if (!(DAY_OFF_KINDS as readonly string[]).includes(kind)) invalid("/kind", `Loại ngày nghỉ: ${DAY_OFF_KINDS.join(", ")}.`);
      return addDay(actor, kind, "calendar.day_off_added", input, tx);
    },

    async removeDayOff(actor, date, tx) {
      return removeDay(actor, date, DAY_OFF_KINDS, "calendar.day_off_removed", tx);
    },

    async addWorkingDay(actor, input, tx) {
      if (!canManageCalendar(actor)) throw new CalendarForbidden();
      const d = checkDate(input.date);
      // A make-up day replaces a weekly rest day of the default office hours (usually a Saturday).
      const { hours } = await hoursFor(null, input.date);
      if ((hours.week[isoWeekday(d) - 1] ?? []).length > 0) throw new NotARestDay(input.date);
      return addDay(actor, "working_day", "calendar.working_day_added", input, tx);
    },

    async removeWorkingDay(actor, date, tx) {
      return removeDay(actor, date, ["working_day"], "calendar.working_day_removed", tx);
    },
  };
}
