/**
 * Agency identifiers (mã định danh) of QCVN 102:2016/BTTTT and Decision 20/2020/QĐ-TTg:
 * `V1V2V3.Z1Z2.Y1Y2.MX1X2`, 13 characters. `MX1X2` is the level-1 unit (a letter and two digits:
 * G ministries and central agencies, H provincial People's Committees…); `Y1Y2` is level 2,
 * `Z1Z2` level 3, `V1V2V3` level 4. A level of zeros is unused. A unit's code keeps its ancestors'
 * parts, so the hierarchy can be read from the code alone.
 */

export type AgencyLevel = 1 | 2 | 3 | 4;

export interface AgencyCodeParts {
  /** `MX1X2`, e.g. `H06`. */
  level1: string;
  /** `Y1Y2`; `00` when unused. */
  level2: string;
  /** `Z1Z2`; `00` when unused. */
  level3: string;
  /** `V1V2V3`; `000` when unused. */
  level4: string;
}

/** Why a string is not an agency identifier (for messages and tests). */
export type AgencyCodeProblem =
  | "length"
  | "shape"
  | "level1"
  | "characters"
  /** An unused (zero) level above a used one, e.g. `000.05.00.H06`. */
  | "hierarchy";

const SHAPE = /^(.{3})\.(.{2})\.(.{2})\.(.{3})$/;
const LEVEL1 = /^[A-Z][0-9]{2}$/;
const PART = /^[0-9A-Z]+$/;

const N2 = "(?:0[1-9A-Z]|[1-9A-Z][0-9A-Z])";
const N3 = "(?:00[1-9A-Z]|0[1-9A-Z][0-9A-Z]|[1-9A-Z][0-9A-Z]{2})";

/**
 * The whole rule as one regular expression, for JSON schemas (a request with a malformed code is
 * refused by validation and the error names the field). A property test keeps it equal to `parseAgencyCode`.
 */
export const AGENCY_CODE_PATTERN = `^(?:000\\.00\\.00|000\\.00\\.${N2}|000\\.${N2}\\.${N2}|${N3}\\.${N2}\\.${N2})\\.[A-Z][0-9]{2}$`;

/** Parses an identifier, or says what is wrong with it. Letters must be upper case. */
export function parseAgencyCode(
  code: string,
): { ok: true; parts: AgencyCodeParts; level: AgencyLevel } | { ok: false; problem: AgencyCodeProblem } {
  if (code.length !== 13) return { ok: false, problem: "length" };
  const m = SHAPE.exec(code);
  if (!m) return { ok: false, problem: "shape" };
  const [, level4 = "", level3 = "", level2 = "", level1 = ""] = m;
  if (!LEVEL1.test(level1)) return { ok: false, problem: "level1" };
  if (![level2, level3, level4].every((p) => PART.test(p))) return { ok: false, problem: "characters" };
  const used = [true, !isZero(level2), !isZero(level3), !isZero(level4)];
  const level = used.lastIndexOf(true) + 1;
  // Every level above the deepest used one must be used too: a unit hangs under its parent.
  if (used.slice(0, level).includes(false)) return { ok: false, problem: "hierarchy" };
  return { ok: true, parts: { level1, level2, level3, level4 }, level: level as AgencyLevel };
}

export function isAgencyCode(code: string): boolean {
  return parseAgencyCode(code).ok;
}

/** The level (1–4) of a valid identifier; throws on an invalid one (validate first). */
export function agencyLevel(code: string): AgencyLevel {
  return mustParse(code).level;
}

/**
 * The parent's identifier: the same code with its lowest used level set to zeros;
 * `null` for a level-1 unit. Throws on an invalid code.
 */
export function parentAgencyCode(code: string): string | null {
  const { parts, level } = mustParse(code);
  switch (level) {
    case 1:
      return null;
    case 2:
      return formatAgencyCode({ ...parts, level2: "00" });
    case 3:
      return formatAgencyCode({ ...parts, level3: "00" });
    case 4:
      return formatAgencyCode({ ...parts, level4: "000" });
  }
}

/** The identifiers of every ancestor, nearest first. */
export function ancestorAgencyCodes(code: string): string[] {
  const out: string[] = [];
  for (let p = parentAgencyCode(code); p !== null; p = parentAgencyCode(p)) out.push(p);
  return out;
}

/** Whether `code` is `ancestor` itself or lies under it. False when either is not a valid code. */
export function isWithinAgency(code: string, ancestor: string): boolean {
  if (!isAgencyCode(code) || !isAgencyCode(ancestor)) return false;
  return code === ancestor || ancestorAgencyCodes(code).includes(ancestor);
}

/**
 * The trailing characters every code under `code` (and `code` itself) shares: a unit at level k
 * keeps the level 1…k parts of its ancestor, which sit at the end of the identifier.
 */
export function subtreeSuffix(code: string): string {
  const { level } = mustParse(code);
  return code.slice(13 - [3, 6, 9, 13][level - 1]!);
}

export function formatAgencyCode(parts: AgencyCodeParts): string {
  return `${parts.level4}.${parts.level3}.${parts.level2}.${parts.level1}`;
}

function isZero(part: string): boolean {
  return /^0+$/.test(part);
}

function mustParse(code: string): { parts: AgencyCodeParts; level: AgencyLevel } {
  const r = parseAgencyCode(code);
  if (!r.ok) throw new Error(`"${code}" is not a QCVN 102 agency identifier (${r.problem})`);
  return r;
}
