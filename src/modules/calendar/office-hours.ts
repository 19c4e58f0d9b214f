import type { FieldProblem } from "../../platform/http/errors.ts";
import { DEFAULT_OFFICE_HOURS, type OfficeHours, officeHoursProblems, type Period } from "./engine.ts";
import { formatHhMm, parseHhMm } from "./time.ts";

/** Office hours as stored and shown: periods as `HH:MM-HH:MM`, seven days from Monday. */
export interface OfficeHoursSpec {
  /** The agency's QCVN 102 code; null for the default of every agency without its own hours. */
  agency: string | null;
  /** In force from this date (`YYYY-MM-DD`). */
  validFrom: string;
  week: string[][];
  makeUpDay: string[];
  dayMinutes: number;
  receiptCutoff: string | null;
  basis: string | null;
}

export const WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export function periodsText(ps: readonly Period[]): string[] {
  return ps.map((p) => `${formatHhMm(p.start)}-${formatHhMm(p.end)}`);
}

function parsePeriod(s: string): Period | null {
  const m = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(s.trim());
  if (!m) return null;
  const start = parseHhMm(m[1]!);
  const end = parseHhMm(m[2]!);
  return start === null || end === null ? null : { start, end };
}

/** The default office hours of DOMAIN.md §4 as a spec. */
export function defaultSpec(): OfficeHoursSpec {
  const h = DEFAULT_OFFICE_HOURS;
  return {
    agency: null,
    validFrom: "2000-01-01",
    week: h.week.map(periodsText),
    makeUpDay: periodsText(h.makeUpDay),
    dayMinutes: h.dayMinutes,
    receiptCutoff: h.receiptCutoff === null ? null : formatHhMm(h.receiptCutoff),
    basis: "DOMAIN.md §4 (cfg): 07:00–11:30, 13:30–17:00, thứ Hai–thứ Sáu",
  };
}

/** Reads a spec into engine office hours, or the problems that make it unusable. */
export function readSpec(spec: Omit<OfficeHoursSpec, "agency" | "validFrom" | "basis">):
  | { ok: true; hours: OfficeHours }
  | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const periods = (list: string[], path: string): Period[] =>
    list.flatMap((s, i) => {
      const p = parsePeriod(s);
      if (!p) problems.push({ path: `${path}/${i}`, message: "Khoảng giờ có dạng HH:MM-HH:MM, ví dụ 07:00-11:30." });
      return p ? [p] : [];
    });
  if (spec.week.length !== 7) problems.push({ path: "/week", message: "Cần đủ 7 ngày, từ thứ Hai đến Chủ nhật." });
  const hours: OfficeHours = {
    week: spec.week.map((day, i) => periods(day, `/week/${i}`)),
    makeUpDay: periods(spec.makeUpDay, "/makeUpDay"),
    dayMinutes: spec.dayMinutes,
    receiptCutoff: spec.receiptCutoff === null ? null : parseHhMm(spec.receiptCutoff),
  };
  if (spec.receiptCutoff !== null && hours.receiptCutoff === null) {
    problems.push({ path: "/receiptCutoff", message: "Giờ tiếp nhận muộn nhất có dạng HH:MM, ví dụ 15:00." });
  }
  if (problems.length) return { ok: false, problems };
  problems.push(...officeHoursProblems(hours));
  return problems.length ? { ok: false, problems } : { ok: true, hours };
}
