/**
 * The seed of the calendar: each year's days off and make-up working days, from the Government's
 * announcements where we have them (`data/holidays/vn-announced.json`) and otherwise by rule:
 * the public holidays `date-holidays` knows for Vietnam (New Year, Tết's five days, Hùng Kings' day
 * by the lunar calendar, 30/4, 1/5, 2/9), the second National Day and the compensatory days of the
 * Labour Code 2019. The Government still announces each year's spans and swaps (DOMAIN.md §4), so a
 * seeded year is a starting point an administrator corrects, never the last word.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type Static, Type, Value } from "../../platform/typebox.ts";
import type HolidaysClass from "date-holidays";
import { Literals } from "../../platform/http/schema.ts";
import { DAY_KINDS, DEFAULT_OFFICE_HOURS, type DayKind } from "./engine.ts";
import { type Day, day, isoDate, isoWeekday, localDay, yearOfDay } from "./time.ts";

export interface SeedDay {
  date: string;
  kind: DayKind;
  name: string;
  nameEn: string;
}

const SeedDaySchema = Type.Object(
  {
    date: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
    kind: Literals(DAY_KINDS),
    name: Type.String({ minLength: 1 }),
    nameEn: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

const AnnouncedFile = Type.Object({
  about: Type.String(),
  years: Type.Array(
    Type.Object(
      { year: Type.Integer(), sources: Type.Array(Type.String(), { minItems: 1 }), days: Type.Array(SeedDaySchema) },
      { additionalProperties: false },
    ),
  ),
});
type AnnouncedFile = Static<typeof AnnouncedFile>;

export const ANNOUNCED_FILE = fileURLToPath(new URL("../../../data/holidays/vn-announced.json", import.meta.url));

/** The announced years of the file, checked: real dates inside their year, one entry per date. */
export function readAnnounced(file = ANNOUNCED_FILE): Map<number, SeedDay[]> {
  const data: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!Value.Check(AnnouncedFile, data)) {
    const first = Value.Errors(AnnouncedFile, data).First();
    throw new Error(`${file}: ${first?.path ?? ""} ${first?.message ?? "is not valid"}`);
  }
  const years = new Map<number, SeedDay[]>();
  for (const y of (data as AnnouncedFile).years) {
    const seen = new Set<string>();
    for (const d of y.days) {
      if (yearOfDay(day(d.date)) !== y.year) throw new Error(`${file}: ${d.date} is not in ${y.year}`);
      if (seen.has(d.date)) throw new Error(`${file}: ${d.date} is listed twice`);
      seen.add(d.date);
    }
    if (years.has(y.year)) throw new Error(`${file}: ${y.year} is listed twice`);
    years.set(y.year, y.days.map((d) => ({ ...d, name: d.name.normalize("NFC"), nameEn: d.nameEn.normalize("NFC") })));
  }
  return years;
}

type Names = { name: string; nameEn: string };

// date-holidays' rules for Vietnam's public holidays, named as the Labour Code 2019 Art. 112 names them.
const TET: Names = { name: "Tết Nguyên đán", nameEn: "Lunar New Year (Tết)" };
const NAMES_BY_RULE: Record<string, Names> = {
  "01-01": { name: "Tết Dương lịch", nameEn: "New Year's Day" },
  "1 day before vietnamese 1-0-1 P5D": TET,
  "vietnamese 1-0-1": TET,
  "vietnamese 3-0-10": { name: "Giỗ Tổ Hùng Vương", nameEn: "Hùng Kings' Commemoration Day" },
  "04-30": { name: "Ngày Chiến thắng", nameEn: "Reunification Day" },
  "05-01": { name: "Ngày Quốc tế Lao động", nameEn: "International Labour Day" },
  "09-02": { name: "Quốc khánh", nameEn: "National Day" },
};
const SECOND_NATIONAL_DAY: Names = { name: "Quốc khánh (ngày liền kề)", nameEn: "National Day (adjacent day)" };

const isRestDay = (d: Day) => (DEFAULT_OFFICE_HOURS.week[isoWeekday(d) - 1] ?? []).length === 0;

/**
 * Labour Code 2019 Art. 112(1)(đ) gives 2/9 "and one day before or after"; the Government picks it each
 * year. By rule (cfg), the adjacent day that joins the weekend (Tuesday 2/9 → Monday 1/9, Thursday
 * → Friday 3/9), else the working day of the two, 1/9 first. This gives the announced days of
 * 2021–2026: Thu → 3/9, Fri → 1/9, Sat → 1/9, Mon → 3/9, Tue → 1/9, Wed → 1/9.
 */
export function secondNationalDay(year: number): Day {
  const national = day(`${year}-09-02`);
  const before = national - 1;
  const after = national + 1;
  if (!isRestDay(before) && isRestDay(before - 1)) return before;
  if (!isRestDay(after) && isRestDay(after + 1)) return after;
  if (!isRestDay(before)) return before;
  if (!isRestDay(after)) return after;
  return before;
}

/**
 * date-holidays (every country's rules, the lunar calendars), loaded when a year is first computed by rule: only
 * the calendar's seed does, and loading it was a tenth of the time every process took to load the program. Its
 * CommonJS build, so the computation stays synchronous.
 */
let holidays: typeof HolidaysClass | null = null;
const holidaysLibrary = () => (holidays ??= createRequire(import.meta.url)("date-holidays") as typeof HolidaysClass);

/**
 * A year's days off by rule: date-holidays' public holidays of Vietnam (Tết: the eve and the first four
 * days of the lunar year), the second National Day, and, for each holiday on a weekly rest day, a
 * compensatory day off on the next working day (Labour Code 2019 Art. 111(3)).
 */
export function generateYear(year: number): SeedDay[] {
  const hd = new (holidaysLibrary())("VN");
  const english = new Map(hd.getHolidays(year, "en").map((h) => [`${h.rule}|${h.date}`, h.name]));
  const off = new Map<Day, Names>();
  for (const h of hd.getHolidays(year, "vi")) {
    if (h.type !== "public") continue;
    const names = NAMES_BY_RULE[h.rule] ?? { name: h.name, nameEn: english.get(`${h.rule}|${h.date}`) ?? h.name };
    for (let d = localDay(h.start.getTime()); d < localDay(h.end.getTime()); d++) {
      if (!off.has(d) && yearOfDay(d) === year) off.set(d, names);
    }
  }
  const second = secondNationalDay(year);
  if (!off.has(second)) off.set(second, SECOND_NATIONAL_DAY);

  const days: SeedDay[] = [...off].map(([d, n]) => ({ date: isoDate(d), kind: "holiday", ...n }));
  const taken = new Set(off.keys());
  for (const d of [...off.keys()].sort((a, b) => a - b)) {
    if (!isRestDay(d)) continue;
    let c = d + 1;
    while (isRestDay(c) || taken.has(c)) c++;
    taken.add(c);
    const n = off.get(d)!;
    days.push({ date: isoDate(c), kind: "compensatory", name: `Nghỉ bù ${n.name}`, nameEn: `Compensatory day off: ${n.nameEn}` });
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

/** The days to seed for a year: as announced, else by rule. */
export function seedYear(year: number, announced: Map<number, SeedDay[]> = readAnnounced()): SeedDay[] {
  return announced.get(year) ?? generateYear(year);
}
