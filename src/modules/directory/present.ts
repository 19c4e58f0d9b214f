import type { AgencyRow, CommuneRow, DepartmentRow, ProvinceRow } from "./repo.ts";
import type { AgencyDto, AgencySummaryDto, CommuneDto, DepartmentDto, ProvinceDto } from "./schema.ts";

export function presentProvince(r: ProvinceRow): ProvinceDto {
  return { code: r.code, name: r.name };
}

export function presentCommune(r: CommuneRow): CommuneDto {
  return { code: r.code, name: r.name, provinceCode: r.provinceCode };
}

export function presentAgencySummary(r: AgencyRow): AgencySummaryDto {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    level: r.level,
    parentCode: r.parentCode,
    provinceCode: r.provinceCode,
    communeCode: r.communeCode,
    kind: r.kind,
  };
}

export function presentDepartment(r: DepartmentRow): DepartmentDto {
  return { code: r.code, name: r.name, nameEn: r.nameEn };
}

export function presentAgency(r: AgencyRow, deps: DepartmentRow[]): AgencyDto {
  return {
    ...presentAgencySummary(r),
    address: r.address,
    email: r.email,
    phone: r.phone,
    departments: deps.map(presentDepartment),
  };
}
