// A new online dossier's e-form starts with what the applicant's account already says about them (issue 15,
// item 6) and with the defaults its form declares (JSON Schema `default`, e.g. Quốc tịch: Việt Nam), so that the
// applicant checks rather than types again. Only fields that are the applicant's own are filled: the demo
// catalogue names them `…NguoiYeuCau` / `…NguoiDangKy` (the person asking), `maSoDoanhNghiep` (a business's tax
// code) and `email`; a field about someone else (the child of a birth registration, a mother, the deceased) never.
// The account holds no address nor phone number, so none is filled.
import type { FormDefinition } from "../catalog/index.ts";

export interface AccountFacts {
  kind: "citizen" | "business";
  fullName: string;
  /** The username: a citizen's CCCD, a business's tax code. */
  idNumber: string;
  email: string | null;
}

/** The applicant's own fields, by the form's key, and what of the account goes in each. */
const OWN_FIELDS: Record<string, (a: AccountFacts) => string | null> = {
  hoTenNguoiYeuCau: (a) => (a.kind === "citizen" ? a.fullName : null),
  hoTenNguoiDangKy: (a) => (a.kind === "citizen" ? a.fullName : null),
  soDinhDanhNguoiYeuCau: (a) => (a.kind === "citizen" ? a.idNumber : null),
  soDinhDanhNguoiDangKy: (a) => (a.kind === "citizen" ? a.idNumber : null),
  maSoDoanhNghiep: (a) => (a.kind === "business" ? a.idNumber : null),
  email: (a) => a.email,
};

/** The e-form's first values for `account`: its declared defaults, then the applicant's own fields. */
export function prefilledFormData(form: FormDefinition, account: AccountFacts): Record<string, string> {
  const properties = (form.schema.properties ?? {}) as Record<string, { type?: unknown; default?: unknown }>;
  const out: Record<string, string> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (property.type !== "string") continue;
    if (typeof property.default === "string") out[key] = property.default;
    // Own keys only: a field named `constructor` or `toString` is no field of the account.
    const value = Object.hasOwn(OWN_FIELDS, key) ? OWN_FIELDS[key]!(account) : undefined;
    if (value) out[key] = value;
  }
  return out;
}
