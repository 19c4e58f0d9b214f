import type { Lang } from "./i18n.ts";

/** Times are stored in UTC and shown in Vietnam's time (DOMAIN.md §4). */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";

const LOCALE: Record<Lang, string> = { vi: "vi-VN", en: "en-GB" };
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date (`2026-02-16`) or an instant as a Date. A calendar date is a day, not an instant: it is
 * formatted as written, whatever the time zone; an instant is shown as the day it is in Vietnam.
 */
export type DateInput = string | Date;

function toInstant(value: DateInput): { at: Date; timeZone: string } {
  if (typeof value === "string") {
    const m = CALENDAR_DATE.exec(value);
    if (m) return { at: new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))), timeZone: "UTC" };
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) throw new RangeError(`not a date: "${value}"`);
    return { at, timeZone: TIME_ZONE };
  }
  return { at: value, timeZone: TIME_ZONE };
}

function parts(lang: Lang, value: DateInput, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const { at, timeZone } = toInstant(value);
  const out: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat(LOCALE[lang], { ...options, timeZone }).formatToParts(at)) out[p.type] = p.value;
  return out;
}

/** `16/02/2026` in Vietnamese; `16 Feb 2026` in English. */
export function formatDate(value: DateInput, lang: Lang): string {
  if (lang === "vi") {
    const p = parts(lang, value, { day: "2-digit", month: "2-digit", year: "numeric" });
    return `${p.day}/${p.month}/${p.year}`;
  }
  const p = parts(lang, value, { day: "numeric", month: "short", year: "numeric" });
  return `${p.day} ${p.month} ${p.year}`;
}

/** `16/02/2026 08:30` in Vietnamese; `16 Feb 2026, 08:30` in English; always in Vietnam's time. */
export function formatDateTime(value: Date, lang: Lang): string {
  const p = parts(lang, value, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const day = formatDate(value, lang);
  return lang === "vi" ? `${day} ${p.hour}:${p.minute}` : `${day}, ${p.hour}:${p.minute}`;
}

/** `Thứ Hai` … `Chủ Nhật` in Vietnamese; `Monday` … `Sunday` in English. */
export function formatWeekday(value: DateInput, lang: Lang): string {
  const { at, timeZone } = toInstant(value);
  return new Intl.DateTimeFormat(LOCALE[lang], { weekday: "long", timeZone }).format(at);
}

/** Whole numbers with the language's grouping: `1.000.000` in Vietnamese, `1,000,000` in English. */
export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 2 }).format(value);
}

/** An amount of VND (an integer, API.md): `1.000.000 ₫` in Vietnamese, `VND 1,000,000` in English. */
export function formatMoney(amount: number, lang: Lang): string {
  const options: Intl.NumberFormatOptions =
    lang === "vi"
      ? { style: "currency", currency: "VND" }
      : { style: "currency", currency: "VND", currencyDisplay: "code" };
  return new Intl.NumberFormat(LOCALE[lang], options).format(amount);
}

/** The calendar year an instant falls in, in Vietnam's time. */
export function yearInVietnam(at: Date): number {
  return Number(new Intl.DateTimeFormat("en-GB", { year: "numeric", timeZone: TIME_ZONE }).format(at));
}
