import { type Static, Type } from "../../platform/typebox.ts";
import { Literals, Nullable } from "../../platform/http/schema.ts";
import { AGENCY_CODE_PATTERN } from "./codes.ts";
import { AGENCY_KINDS } from "./kinds.ts";


export const AgencyCode = Type.String({
  pattern: AGENCY_CODE_PATTERN,
  description: "Mã định danh QCVN 102:2016 `V1V2V3.Z1Z2.Y1Y2.MX1X2`",
  examples: ["000.00.00.H06"],
});
export const ProvinceCode = Type.String({ pattern: "^[0-9]{2}$", description: "Mã tỉnh (Công văn 915/CTK-CSCL)", examples: ["24"] });
export const CommuneCode = Type.String({ pattern: "^[0-9]{5}$", description: "Mã xã (Công văn 1027/CTK-CSCL)" });
export const AgencyKind = Literals(AGENCY_KINDS, "people_committee, service_centre, specialised_agency, ministry, other");

export const ProvinceDto = Type.Object({ code: Type.String(), name: Type.String() });
export type ProvinceDto = Static<typeof ProvinceDto>;

export const CommuneDto = Type.Object({ code: Type.String(), name: Type.String(), provinceCode: Type.String() });
export type CommuneDto = Static<typeof CommuneDto>;

export const DepartmentDto = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) });
export type DepartmentDto = Static<typeof DepartmentDto>;

export const AgencySummaryDto = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  level: Type.Integer({ minimum: 1, maximum: 4 }),
  parentCode: Nullable(Type.String()),
  provinceCode: Nullable(Type.String()),
  communeCode: Nullable(Type.String()),
  kind: Type.String(),
});
export type AgencySummaryDto = Static<typeof AgencySummaryDto>;

export const AgencyDto = Type.Composite([
  AgencySummaryDto,
  Type.Object({
    address: Nullable(Type.String()),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    departments: Type.Array(DepartmentDto),
  }),
]);
export type AgencyDto = Static<typeof AgencyDto>;

export const ProvinceList = Type.Object({ items: Type.Array(ProvinceDto) });
export const CommuneList = Type.Object({ items: Type.Array(CommuneDto) });

export const AgencyPage = Type.Object({
  items: Type.Array(AgencySummaryDto),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  hasMore: Type.Boolean(),
  total: Type.Integer(),
});
export type AgencyPage = Static<typeof AgencyPage>;

export const AgencyQuery = Type.Object({
  q: Type.Optional(
    Type.String({ maxLength: 200, description: "Từ khóa; không phân biệt dấu và hoa/thường (“so tu phap”)" }),
  ),
  parent: Type.Optional(Type.String({ pattern: AGENCY_CODE_PATTERN, description: "Chỉ các đơn vị trực thuộc cơ quan này" })),
  province: Type.Optional(ProvinceCode),
  page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type AgencyQuery = Static<typeof AgencyQuery>;

export const NewDepartmentInput = Type.Object(
  {
    code: Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,31}$", description: "Mã phòng ban trong cơ quan" }),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    nameEn: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type NewDepartmentInput = Static<typeof NewDepartmentInput>;

/** An agency to add to the directory (the seed, later the administrator's screen). */
export const NewAgencyInput = Type.Object(
  {
    code: Type.String(),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    nameEn: Type.Optional(Type.String({ maxLength: 300 })),
    kind: AgencyKind,
    /** When given it must be the parent the identifier implies. */
    parentCode: Type.Optional(Type.String()),
    /** Taken from the parent, or from the commune, when absent. */
    provinceCode: Type.Optional(Type.String()),
    communeCode: Type.Optional(Type.String()),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
    phone: Type.Optional(Type.String({ maxLength: 50 })),
    departments: Type.Optional(Type.Array(NewDepartmentInput, { maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type NewAgencyInput = Static<typeof NewAgencyInput>;
