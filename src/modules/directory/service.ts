import type { Actor } from "../../platform/auth/actor.ts";
import type { Audit } from "../../platform/audit/index.ts";
import type { Database, Db } from "../../platform/db/index.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import { isWithinAgency, parentAgencyCode, parseAgencyCode, subtreeSuffix } from "./codes.ts";
import {
  AgencyExists,
  AgencyNotFound,
  DepartmentExists,
  DirectoryForbidden,
  InvalidAgency,
  ProvinceNotFound,
} from "./errors.ts";
import { AGENCY_KINDS } from "./kinds.ts";
import { canManageDirectory } from "./policy.ts";
import { presentAgency, presentAgencySummary, presentCommune, presentProvince } from "./present.ts";
import * as repo from "./repo.ts";
import type { Signals } from "../../platform/signals.ts";
import type {
  AgencyDto,
  AgencyPage,
  CommuneDto,
  DepartmentDto,
  NewAgencyInput,
  NewDepartmentInput,
  ProvinceDto,
} from "./schema.ts";

export interface AgencySearch {
  q?: string | undefined;
  parent?: string | undefined;
  province?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface DirectoryService {
  /** The 34 provinces, by code. */
  provinces(): Promise<ProvinceDto[]>;
  /** The communes of a province, by code. Throws ProvinceNotFound. */
  communes(provinceCode: string): Promise<CommuneDto[]>;
  /** Agencies matching words (diacritics and case ignored), a parent, a province; paged, in hierarchy order. */
  searchAgencies(query: AgencySearch): Promise<AgencyPage>;
  /** One agency with its departments. Throws AgencyNotFound (also for a malformed code). */
  agency(code: string, db?: Db): Promise<AgencyDto>;
  /** The codes of an agency and of every unit under it. Throws AgencyNotFound. */
  subtree(code: string, db?: Db): Promise<string[]>;
  /** Whether `code` is `ancestorCode` or lies under it, by the identifiers alone. */
  isWithin(code: string, ancestorCode: string): boolean;
  /**
   * Adds an agency (and its departments) in the given transaction or a new one.
   * Throws DirectoryForbidden, InvalidAgency (naming the fields), AgencyExists.
   */
  createAgency(actor: Actor, input: NewAgencyInput, tx?: Db): Promise<AgencyDto>;
  /** Adds a department to an agency. Throws DirectoryForbidden, AgencyNotFound, InvalidAgency, DepartmentExists. */
  addDepartment(actor: Actor, agencyCode: string, input: NewDepartmentInput, tx?: Db): Promise<DepartmentDto>;
}

export interface DirectoryDeps {
  database: Database;
  /** Records directory changes. */
  audit: Audit;
  /** An agency added on any node makes every node forget the subtrees it keeps. */
  signals: Signals;
}

const DEPARTMENT_CODE = /^[a-z0-9][a-z0-9-]{0,31}$/;
const PAGE_SIZE_MAX = 100;

export function makeDirectoryService({ database, audit, signals }: DirectoryDeps): DirectoryService {
  const inTx = <T>(tx: Db | undefined, fn: (tx: Db) => Promise<T>) => (tx ? fn(tx) : database.transaction(fn));

  // The agencies under each agency asked about: an officer's every queue page starts from the subtrees of their
  // grants, and agencies are added a few times a year. A new agency (on any node) clears them all; `epoch` keeps
  // a read that started before it from putting back what it read.
  const subtrees = new Map<string, string[]>();
  let epoch = 0;
  signals.on("directory.agency_added", () => {
    epoch += 1;
    subtrees.clear();
  });

  async function agency(code: string, db: Db = database.db): Promise<AgencyDto> {
    const row = parseAgencyCode(code).ok ? await repo.findAgency(db, code) : null;
    if (!row) throw new AgencyNotFound(code);
    return presentAgency(row, await repo.listDepartments(db, code));
  }

  return {
    async provinces() {
      return (await repo.listProvinces(database.db)).map(presentProvince);
    },

    async communes(provinceCode) {
      const rows = await repo.listCommunes(database.db, provinceCode);
      // An existing province always has communes, so an empty list means an unknown code.
      if (rows.length === 0 && !(await repo.findProvince(database.db, provinceCode))) {
        throw new ProvinceNotFound(provinceCode);
      }
      return rows.map(presentCommune);
    },

    async searchAgencies(query) {
      const page = Math.max(1, Math.floor(query.page ?? 1));
      const pageSize = Math.min(PAGE_SIZE_MAX, Math.max(1, Math.floor(query.pageSize ?? 20)));
      const words = (query.q ?? "").normalize("NFC").split(/\s+/).filter(Boolean).slice(0, 10);
      const { rows, total } = await repo.searchAgencies(database.db, {
        words,
        parentCode: query.parent ?? null,
        provinceCode: query.province ?? null,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      return { items: rows.map(presentAgencySummary), page, pageSize, hasMore: page * pageSize < total, total };
    },

    agency,

    async subtree(code, db) {
      const kept = db ? undefined : subtrees.get(code);
      if (kept) return [...kept];
      const seen = epoch;
      const on = db ?? database.db;
      if (!parseAgencyCode(code).ok || !(await repo.findAgency(on, code))) throw new AgencyNotFound(code);
      const codes = await repo.agencyCodesEndingWith(on, subtreeSuffix(code));
      if (!db && seen === epoch && subtrees.size < 10_000) subtrees.set(code, codes);
      return [...codes];
    },

    isWithin: isWithinAgency,

    async createAgency(actor, input, tx) {
      if (!canManageDirectory(actor)) throw new DirectoryForbidden();
      return inTx(tx, async (tx) => {
        const row = await checkNewAgency(tx, input);
        if (!(await repo.insertAgency(tx, row))) throw new AgencyExists(row.code);
        subtrees.clear();
        await signals.send(tx, "directory.agency_added", row.code);
        const deps = input.departments ?? [];
        await repo.insertDepartments(
          tx,
          deps.map((d) => ({ agencyCode: row.code, code: d.code, name: d.name.trim(), nameEn: d.nameEn?.trim() || null })),
        );
        await audit.record(tx, {
          actor,
          action: "directory.agency_created",
          subject: { type: "agency", id: row.code },
          change: input,
        });
        return agency(row.code, tx);
      });
    },

    async addDepartment(actor, agencyCode, input, tx) {
      if (!canManageDirectory(actor)) throw new DirectoryForbidden();
      return inTx(tx, async (tx) => {
        if (!parseAgencyCode(agencyCode).ok || !(await repo.findAgency(tx, agencyCode))) {
          throw new AgencyNotFound(agencyCode);
        }
        const problems = departmentProblems([input], "");
        if (problems.length) throw new InvalidAgency(problems);
        const dep = { agencyCode, code: input.code, name: input.name.trim(), nameEn: input.nameEn?.trim() || null };
        const inserted = await repo.insertDepartments(tx, [dep]);
        if (inserted.length === 0) throw new DepartmentExists(agencyCode, input.code);
        await audit.record(tx, {
          actor,
          action: "directory.department_added",
          subject: { type: "agency", id: agencyCode },
          change: input,
        });
        return { code: dep.code, name: dep.name, nameEn: dep.nameEn };
      });
    },
  };
}

/**
 * Checks everything about a new agency that the identifier and the reference data can tell, and
 * returns the row to insert: the level and the parent come from the code; the province from the
 * input, else the commune, else the parent.
 */
async function checkNewAgency(tx: Db, input: NewAgencyInput): Promise<repo.NewAgencyRow> {
  const problems: FieldProblem[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });

  const parsed = parseAgencyCode(input.code);
  if (!parsed.ok) bad("/code", `Mã định danh không đúng định dạng QCVN 102 V1V2V3.Z1Z2.Y1Y2.MX1X2 (${parsed.problem}).`);
  if (!input.name?.trim()) bad("/name", "Cần có tên cơ quan.");
  if (!(AGENCY_KINDS as readonly string[]).includes(input.kind)) bad("/kind", `Loại cơ quan phải là một trong: ${AGENCY_KINDS.join(", ")}.`);

  let parent: repo.AgencyRow | null = null;
  const parentCode = parsed.ok ? parentAgencyCode(input.code) : null;
  if (parsed.ok && input.parentCode !== undefined && input.parentCode !== parentCode) {
    bad("/parentCode", `Theo mã định danh, cơ quan cấp trên là ${parentCode ?? "(không có: cấp 1)"}.`);
  }
  if (parentCode !== null) {
    parent = await repo.findAgency(tx, parentCode);
    if (!parent) bad("/code", `Chưa có cơ quan cấp trên ${parentCode} trong danh mục.`);
  }

  let communeProvince: string | null = null;
  if (input.communeCode !== undefined) {
    const commune = await repo.findCommune(tx, input.communeCode);
    if (!commune) bad("/communeCode", `Không có xã, phường mã ${input.communeCode}.`);
    else communeProvince = commune.provinceCode;
  }
  const provinceCode = input.provinceCode ?? communeProvince ?? parent?.provinceCode ?? null;
  if (input.provinceCode !== undefined && !(await repo.findProvince(tx, input.provinceCode))) {
    bad("/provinceCode", `Không có tỉnh, thành phố mã ${input.provinceCode}.`);
  } else if (communeProvince !== null && provinceCode !== communeProvince) {
    bad("/communeCode", `Xã, phường ${input.communeCode} không thuộc tỉnh ${provinceCode}.`);
  }

  problems.push(...departmentProblems(input.departments ?? [], "/departments"));
  if (problems.length || !parsed.ok) throw new InvalidAgency(problems);

  return {
    code: input.code,
    // Composed and decomposed Vietnamese letters look alike but compare unequal: store one form.
    name: input.name.trim().normalize("NFC"),
    nameEn: input.nameEn?.trim().normalize("NFC") || null,
    level: parsed.level,
    parentCode,
    provinceCode,
    communeCode: input.communeCode ?? null,
    kind: input.kind,
    address: input.address?.trim() || null,
    email: input.email?.trim() || null,
    phone: input.phone?.trim() || null,
  };
}

function departmentProblems(deps: NewDepartmentInput[], base: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  deps.forEach((d, i) => {
    const at = base ? `${base}/${i}` : "";
    if (!DEPARTMENT_CODE.test(d.code)) problems.push({ path: `${at}/code`, message: "Mã phòng ban gồm chữ thường, số và dấu gạch ngang." });
    else if (seen.has(d.code)) problems.push({ path: `${at}/code`, message: `Mã phòng ban ${d.code} bị trùng.` });
    seen.add(d.code);
    if (!d.name?.trim()) problems.push({ path: `${at}/name`, message: "Cần có tên phòng ban." });
  });
  return problems;
}
