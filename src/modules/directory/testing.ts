// Test factories of the directory: agencies of their own for each test, made through the directory service.
import { systemActor } from "../../platform/auth/actor.ts";
import { type AgencyCodeParts, formatAgencyCode, parseAgencyCode } from "./codes.ts";
import type { AgencyKind } from "./kinds.ts";
import type { AgencyDto, NewAgencyInput, NewDepartmentInput } from "./schema.ts";
import type { DirectoryService } from "./service.ts";

export interface AgencyOptions {
  /** The agency above (a code, or what `buildAgency` returned): the new one is a unit of it. None: a new level-1 unit. */
  parent?: string | { code: string };
  kind?: AgencyKind;
  name?: string;
  nameEn?: string;
  /** Departments, as codes (each named after its code) or in full; by default a reception desk and an office. */
  departments?: Array<string | NewDepartmentInput>;
  /** For a level-1 unit: its province (default 24, Bắc Ninh); a unit takes its parent's. */
  provinceCode?: string;
  communeCode?: string;
}

/** The departments of an agency built without `departments`: a reception desk and an office. */
export const DEFAULT_DEPARTMENTS = ["tiep-nhan", "van-phong"] as const;

let roots = 0;
const children = new Map<string, number>();

// Level-1 units are T01…T99, U01…; the units under a parent take codes from T0 (level 2 or 3) or T00 (level 4)
// on: letters, so they never meet the demo agencies' digits (000.00.01.H06) nor another test's units.
function nextCode(parent: string | null): string {
  if (parent === null) {
    const n = roots++;
    return formatAgencyCode({ level1: `${"TUVWXYZ"[Math.floor(n / 99)]}${String((n % 99) + 1).padStart(2, "0")}`, level2: "00", level3: "00", level4: "000" });
  }
  const parsed = parseAgencyCode(parent);
  if (!parsed.ok) throw new Error(`buildAgency: ${parent} is not an agency code`);
  const n = children.get(parent) ?? 0;
  children.set(parent, n + 1);
  const part = (width: 2 | 3) => (parseInt("T".padEnd(width, "0"), 36) + n).toString(36).toUpperCase();
  const parts: AgencyCodeParts = { ...parsed.parts };
  if (parsed.level === 1) parts.level2 = part(2);
  else if (parsed.level === 2) parts.level3 = part(2);
  else if (parsed.level === 3) parts.level4 = part(3);
  else throw new Error(`buildAgency: ${parent} is at level 4, the lowest`);
  return formatAgencyCode(parts);
}

/**
 * An agency of its own (a code no other call gives in this process), added through the directory service as the
 * operator, with departments: by default a new level-1 People's Committee, or with `parent` a unit of that agency.
 */
export async function buildAgency(deps: { directory: DirectoryService }, opts: AgencyOptions = {}): Promise<AgencyDto> {
  const parent = typeof opts.parent === "string" ? opts.parent : (opts.parent?.code ?? null);
  const code = nextCode(parent);
  const input: NewAgencyInput = {
    code,
    name: opts.name ?? `Cơ quan thử nghiệm ${code}`,
    ...(opts.nameEn ? { nameEn: opts.nameEn } : {}),
    kind: opts.kind ?? (parent === null ? "people_committee" : "specialised_agency"),
    departments: (opts.departments ?? DEFAULT_DEPARTMENTS).map((d) => (typeof d === "string" ? { code: d, name: `Phòng ${d}` } : d)),
    ...(parent === null ? { provinceCode: opts.provinceCode ?? "24" } : opts.provinceCode ? { provinceCode: opts.provinceCode } : {}),
    ...(opts.communeCode ? { communeCode: opts.communeCode } : {}),
  };
  return deps.directory.createAgency(systemActor("test"), input);
}
