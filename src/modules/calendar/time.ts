/**
 * Vietnam's local time for the working-time engine. Asia/Ho_Chi_Minh is UTC+7 all year (no daylight
 * saving since 1975), so a fixed offset is exact. Instants are UTC milliseconds; a `Day` is the number
 * of local calendar days since 1970-01-01, so day arithmetic never goes through a time-zone database.
 */

export const VN_OFFSET_MS = 7 * 3600_000;
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A local calendar day in Vietnam, as days since 1970-01-01. */
export type Day = number;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The local day an instant falls on. */
export function localDay(t: number): Day {
  return Math.floor((t + VN_OFFSET_MS) / DAY_MS);
}

/** The instant of local midnight starting a day. */
export function dayStart(d: Day): number {
  return d * DAY_MS - VN_OFFSET_MS;
}

/** `YYYY-MM-DD` of a local day. */
export function isoDate(d: Day): string {
  return new Date(d * DAY_MS).toISOString().slice(0, 10);
}

/** The day of a `YYYY-MM-DD` string, or null when it is not a real calendar date. */
export function parseIsoDate(s: string): Day | null {
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** The day of a `YYYY-MM-DD` string; throws on anything else (for trusted data). */
export function day(s: string): Day {
  const d = parseIsoDate(s);
  if (d === null) throw new Error(`not a calendar date: ${s}`);
  return d;
}

/** ISO weekday: 1 Monday … 7 Sunday. */
export function isoWeekday(d: Day): number {
  // 1970-01-01 was a Thursday.
  return ((((d + 3) % 7) + 7) % 7) + 1;
}

export function yearOfDay(d: Day): number {
  return new Date(d * DAY_MS).getUTCFullYear();
}

/** The first and last day of a year. */
export function yearDays(year: number): { first: Day; last: Day } {
  return { first: Date.UTC(year, 0, 1) / DAY_MS, last: Date.UTC(year, 11, 31) / DAY_MS };
}

/** Minutes after midnight of an `HH:MM` string, or null. */
export function parseHhMm(s: string): number | null {
  const m = HH_MM.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function formatHhMm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** An instant as ISO 8601 in Vietnam's time, e.g. `2026-02-23T10:00:00+07:00` (milliseconds only when present). */
export function formatLocal(t: number): string {
  const s = new Date(t + VN_OFFSET_MS).toISOString();
  return `${t % 1000 === 0 ? s.slice(0, 19) : s.slice(0, 23)}+07:00`;
}

/**
 * A local date-time without an offset (`2026-02-13 10:00`, `2026-02-13T10:00:00`) read as Vietnam's
 * time; a full ISO 8601 instant with `Z` or an offset as given. Null when unreadable.
 */
export function parseInstant(s: string): number | null {
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s.trim());
  if (local) {
    const d = parseIsoDate(local[1]!);
    const [h, mi, se] = [Number(local[2]), Number(local[3]), Number(local[4] ?? 0)];
    if (d === null || h > 23 || mi > 59 || se > 59) return null;
    return dayStart(d) + ((h * 60 + mi) * 60 + se) * 1000;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(s.trim())) return null;
  const t = Date.parse(s.trim());
  return Number.isNaN(t) ? null : t;
}
