// A new online dossier's e-form starts with what the applicant's account already says about them (issue 15,
// item 6) and with the defaults its form declares (JSON Schema `default`, e.g. Quốc tịch: Việt Nam), so that the
// applicant checks rather than types again. Only fields that are the applicant's own are filled: a form names them
// with its fields' `prefill` hint (the requester's date of birth, never the child's); a field without one is filled
// when its key is one the demo catalogue gives the person asking (`…NguoiYeuCau` / `…NguoiDangKy`,
// `maSoDoanhNghiep`, `email`). A field about someone else (the child of a birth registration, a mother, the
// deceased) never. The account holds no phone number, so none is filled.
import type { FormDefinition, PrefillFact } from "../catalog/index.ts";

export interface AccountFacts {
  kind: "citizen" | "business";
  fullName: string;
  /** The username: a citizen's CCCD, a business's tax code. */
  idNumber: string;
  email: string | null;
  /** A citizen's registered date of birth (yyyy-MM-dd) and sex. */
  birthDate: string | null;
  sex: "male" | "female" | null;
  /** Where they live, or a business's registered office. */
  address: string | null;
}

/** Each fact of the account as a form field takes it (null: the account does not hold it for this kind). */
const FACTS: Record<PrefillFact, (a: AccountFacts) => string | null> = {
  fullName: (a) => (a.kind === "citizen" ? a.fullName : null),
  idNumber: (a) => (a.kind === "citizen" ? a.idNumber : null),
  birthDate: (a) => (a.kind === "citizen" ? a.birthDate : null),
  sex: (a) => (a.kind === "citizen" && a.sex ? (a.sex === "male" ? "Nam" : "Nữ") : null),
  address: (a) => a.address,
  email: (a) => a.email,
};

/** The demo catalogue's keys for the applicant's own fields, used where a field has no `prefill` hint. */
const OWN_KEYS: Record<string, (a: AccountFacts) => string | null> = {
  hoTenNguoiYeuCau: FACTS.fullName,
  hoTenNguoiDangKy: FACTS.fullName,
  soDinhDanhNguoiYeuCau: FACTS.idNumber,
  soDinhDanhNguoiDangKy: FACTS.idNumber,
  maSoDoanhNghiep: (a) => (a.kind === "business" ? a.idNumber : null),
  email: FACTS.email,
};

/** The e-form's first values for `account`: its declared defaults, then the applicant's own fields. */
export function prefilledFormData(form: FormDefinition, account: AccountFacts): Record<string, string> {
  const properties = (form.schema.properties ?? {}) as Record<string, { type?: unknown; default?: unknown; enum?: unknown }>;
  const out: Record<string, string> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (property.type !== "string") continue;
    if (typeof property.default === "string") out[key] = property.default;
    const hint = Object.hasOwn(form.ui.fields, key) ? form.ui.fields[key]?.prefill : undefined;
    // Own keys only: a field named `constructor` or `toString` is no field of the account.
    const fact = hint ? FACTS[hint] : Object.hasOwn(OWN_KEYS, key) ? OWN_KEYS[key] : undefined;
    const value = fact?.(account);
    // A choice takes the account's value only when it is one of its options ("Nam"/"Nữ").
    if (value && (!Array.isArray(property.enum) || property.enum.includes(value))) out[key] = value;
  }
  return out;
}
