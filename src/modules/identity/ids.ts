// Vietnamese personal and tax identifiers (DOMAIN.md §6): structure checks, no network look-ups.
// The Vietnamese validator alone: the package's index loads every country's (some 300 modules), which was a tenth
// of the time every process took to load the program. Required by the first tax code checked, not at every start.
import type * as Mst from "stdnum/lib/cjs/vn/mst.js";
import { lazyRequire } from "../../platform/lazy.ts";

const mst = lazyRequire<typeof Mst>("stdnum/lib/cjs/vn/mst.js");

/**
 * Province (or abroad) codes that open a CCCD number: `0` + the code of one of the 63 provinces before the
 * 2025 reform (Circular 07/2016/TT-BCA, Annex I). Numbers already issued keep them after the merger.
 */
export const CCCD_PROVINCES: Readonly<Record<string, string>> = {
  "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
  "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
  "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
  "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
  "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
  "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
  "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
  "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
  "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
  "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu", "079": "TP. Hồ Chí Minh",
  "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
  "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
  "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
};

/** The 4th digit: century of birth and sex (Circular 07/2016/TT-BCA art. 7). */
const CENTURY_SEX: Readonly<Record<string, { century: number; sex: "male" | "female" }>> = {
  "0": { century: 1900, sex: "male" },
  "1": { century: 1900, sex: "female" },
  "2": { century: 2000, sex: "male" },
  "3": { century: 2000, sex: "female" },
  "4": { century: 2100, sex: "male" },
  "5": { century: 2100, sex: "female" },
  "6": { century: 2200, sex: "male" },
  "7": { century: 2200, sex: "female" },
  "8": { century: 2300, sex: "male" },
  "9": { century: 2300, sex: "female" },
};

/** `future_birth_year`: the number says its holder is born in a year that has not come yet. */
export type CccdProblem = "format" | "province" | "birth_year" | "future_birth_year" | "sex";

export interface CccdFacts {
  provinceCode: string;
  birthYear: number;
  sex: "male" | "female";
}

/** The year in Vietnam (UTC+7 all year, no daylight saving) at `now`. */
function vietnamYear(now: Date): number {
  return new Date(now.getTime() + 7 * 3_600_000).getUTCFullYear();
}

/**
 * Checks a CCCD number's structure, and its consistency with a date of birth (`YYYY-MM-DD`) and sex
 * when given. There is no check digit: a well-formed number can still belong to nobody. `now` is the
 * caller's clock: a number whose birth year (century digit and two-digit year) is after the current year
 * in Vietnam belongs to nobody yet.
 */
export function checkCccd(
  value: string,
  person: { now: Date; birthDate?: string | null; sex?: "male" | "female" | null },
): { ok: true; facts: CccdFacts } | { ok: false; problem: CccdProblem } {
  if (!/^\d{12}$/.test(value)) return { ok: false, problem: "format" };
  const provinceCode = value.slice(0, 3);
  if (!CCCD_PROVINCES[provinceCode]) return { ok: false, problem: "province" };
  const cs = CENTURY_SEX[value[3]!]!;
  const birthYear = cs.century + Number(value.slice(4, 6));
  if (person.birthDate && Number(person.birthDate.slice(0, 4)) !== birthYear) return { ok: false, problem: "birth_year" };
  if (person.sex && person.sex !== cs.sex) return { ok: false, problem: "sex" };
  // Circular 07/2016/TT-BCA art. 7: digits 4–6 are the century-and-sex code and the last two digits of the
  // birth year, so a number can only be issued to someone already born. Checked after the date of birth and
  // sex, so that a number that contradicts them is named for that.
  if (birthYear > vietnamYear(person.now)) return { ok: false, problem: "future_birth_year" };
  return { ok: true, facts: { provinceCode, birthYear, sex: cs.sex } };
}

/** A tax code (MST): 10 digits with its check digit, or 13 with a `-NNN` branch suffix; the compact form. */
export function checkTaxCode(value: string): { ok: true; compact: string } | { ok: false } {
  if (!/^\d{10}(-?\d{3})?$/.test(value)) return { ok: false };
  const result = mst().validate(value);
  return result.isValid ? { ok: true, compact: result.compact } : { ok: false };
}
