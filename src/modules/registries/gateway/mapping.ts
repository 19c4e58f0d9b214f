// From a registry's answer to motcua's: each top-level field is read at a path of the registry's answer (the
// defaults are the national databases' names, as `motcua registry-sim` speaks them; a connector's FIELDS setting
// overrides any of them), nested parts and coded values are translated here, and the result is checked against
// its schema. Whatever does not translate becomes undefined, and the check refuses the whole answer.
import { type TSchema, Value } from "../../../platform/typebox.ts";
import { BusinessDto, CitizenDto, CivilEventsDto } from "../schema.ts";

export type RegistryName = "population" | "business" | "civil_status";

export const DEFAULT_FIELDS: Record<RegistryName, Record<string, string>> = {
  population: {
    cccd: "soDinhDanh",
    fullName: "hoVaTen",
    birthDate: "ngaySinh",
    sex: "gioiTinh",
    nationality: "quocTich",
    permanentResidence: "noiThuongTru",
    currentResidence: "noiOHienTai",
    maritalStatus: "tinhTrangHonNhan",
    household: "hoGiaDinh",
  },
  business: {
    taxCode: "maSoThue",
    name: "tenDoanhNghiep",
    address: "diaChi",
    legalRepresentative: "nguoiDaiDien",
    status: "tinhTrang",
    registeredOn: "ngayThanhLap",
    industries: "nganhNghe",
  },
  civil_status: { events: "suKien" },
};

const SEX: Record<string, string> = { nam: "male", "nữ": "female", male: "male", female: "female" };
const MARITAL: Record<string, string> = { "chưa kết hôn": "single", "đã kết hôn": "married", "ly hôn": "divorced", "góa": "widowed", "goá": "widowed" };
const RELATION: Record<string, string> = { "chủ hộ": "head", vợ: "spouse", chồng: "spouse", con: "child", bố: "parent", cha: "parent", mẹ: "parent" };
const STATUS: Record<string, string> = { "đang hoạt động": "active", "tạm ngừng kinh doanh": "suspended", "đã giải thể": "dissolved" };
const EVENT: Record<string, string> = { "khai sinh": "birth", "kết hôn": "marriage" };
const ROLE: Record<string, string> = { con: "child", cha: "father", bố: "father", mẹ: "mother", chồng: "husband", vợ: "wife" };

type Raw = Record<string, unknown>;

function at(value: unknown, path: string): unknown {
  let here = value;
  for (const part of path.split(".")) {
    if (here === null || typeof here !== "object" || Array.isArray(here)) return undefined;
    here = (here as Raw)[part];
  }
  return here;
}

/** A string as motcua keeps text (NFC, trimmed), or the value untouched for the schema to refuse. */
function str(value: unknown): unknown {
  return typeof value === "string" ? value.normalize("NFC").trim() : value;
}

function coded(table: Record<string, string>, value: unknown, otherwise?: string): string | undefined {
  if (typeof value !== "string") return undefined;
  return table[value.normalize("NFC").trim().toLowerCase()] ?? otherwise;
}

function list(value: unknown, each: (item: Raw) => unknown): unknown {
  return Array.isArray(value) ? value.map((item) => (item && typeof item === "object" ? each(item as Raw) : item)) : value;
}

function address(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  const a = value as Raw;
  return { detail: str(a.chiTiet ?? ""), communeCode: str(a.maXa), communeName: str(a.tenXa), provinceCode: str(a.maTinh), provinceName: str(a.tenTinh) };
}

const TRANSLATE: Record<RegistryName, (get: (field: string) => unknown) => unknown> = {
  population: (get) => {
    const household = get("household") as Raw | undefined;
    return {
      cccd: str(get("cccd")),
      fullName: str(get("fullName")),
      birthDate: str(get("birthDate")),
      sex: coded(SEX, get("sex")),
      nationality: str(get("nationality")),
      permanentResidence: address(get("permanentResidence")),
      currentResidence: address(get("currentResidence")),
      maritalStatus: coded(MARITAL, get("maritalStatus")),
      household: household && typeof household === "object" && {
        id: str(household.maHo),
        relation: coded(RELATION, household.quanHeVoiChuHo, "other"),
        members: list(household.thanhVien, (m) => ({ cccd: str(m.soDinhDanh), fullName: str(m.hoVaTen), relation: coded(RELATION, m.quanHeVoiChuHo, "other") })),
      },
    };
  },
  business: (get) => {
    const rep = get("legalRepresentative") as Raw | undefined;
    return {
      taxCode: str(get("taxCode")),
      name: str(get("name")),
      address: address(get("address")),
      legalRepresentative: rep && typeof rep === "object" && { cccd: str(rep.soDinhDanh), fullName: str(rep.hoVaTen), title: str(rep.chucDanh ?? "") },
      status: coded(STATUS, get("status")),
      registeredOn: str(get("registeredOn")),
      industries: list(get("industries"), (i) => ({ code: str(i.ma), name: str(i.ten), main: i.chinh === true })),
    };
  },
  civil_status: (get) => ({
    events: list(get("events"), (e) => {
      const place = (e.noiDangKy ?? {}) as Raw;
      return {
        kind: coded(EVENT, e.loai),
        registrationNumber: str(e.soDangKy),
        registeredOn: str(e.ngayDangKy),
        communeCode: str(place.maXa),
        communeName: str(place.tenXa),
        people: list(e.nguoiLienQuan, (p) => ({ role: coded(ROLE, p.vaiTro), cccd: str(p.soDinhDanh), fullName: str(p.hoVaTen), birthDate: str(p.ngaySinh) })),
      };
    }),
  }),
};

const SCHEMAS: Record<RegistryName, TSchema> = { population: CitizenDto, business: BusinessDto, civil_status: CivilEventsDto };

/** The answer in motcua's words, checked; or the first problem the check found (a JSON pointer and why). */
export function mapAnswer(
  registry: RegistryName,
  raw: unknown,
  fields: Record<string, string>,
  extra: Record<string, unknown> = {},
): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return { ok: false, problem: "/: not an object" };
  const paths = { ...DEFAULT_FIELDS[registry], ...fields };
  const value = { ...(TRANSLATE[registry]((field) => at(raw, paths[field] ?? field)) as Raw), ...extra };
  const schema = SCHEMAS[registry];
  if (Value.Check(schema, value)) return { ok: true, value };
  const first = Value.Errors(schema, value).First();
  return { ok: false, problem: `${first?.path || "/"}: ${first?.message ?? "does not match"}` };
}
