import { defineError, type FieldProblem } from "../../platform/http/errors.ts";

/** The caller may not see figures of that agency or province. */
export const KpiForbidden = defineError("kpi.forbidden", "forbidden", () => ({
  vi: "Bạn không có quyền xem số liệu của cơ quan hoặc tỉnh này.",
  en: "You may not see the figures of this agency or province.",
}));

export const InvalidPeriod = defineError<[string]>(
  "kpi.invalid_period",
  "invalid",
  (period) => ({ vi: `Kỳ thống kê không hợp lệ: ${period}.`, en: `Not a valid period: ${period}.` }),
  () => ({ fields: [{ path: "/querystring/period", message: "YYYY-MM-DD..YYYY-MM-DD, YYYY-Qn, YYYY-MM or YYYY" }] }),
);

/** A formula version that does not read as one; `fields` names each problem. */
export const InvalidFormula = defineError<[FieldProblem[]]>(
  "kpi.invalid_formula",
  "invalid",
  () => ({ vi: "Phiên bản công thức không hợp lệ.", en: "The formula version is not valid." }),
  (fields) => ({ fields }),
);

export const FormulaExists = defineError<[string]>("kpi.formula_exists", "conflict", (version) => ({
  vi: `Đã có phiên bản công thức ${version} hoặc một phiên bản có cùng ngày hiệu lực.`,
  en: `Formula version ${version}, or one in force from the same day, already exists.`,
}));

export const NoFormula = defineError<[string]>("kpi.no_formula", "not_found", (day) => ({
  vi: `Không có phiên bản công thức Quyết định 766 có hiệu lực ngày ${day}.`,
  en: `No Decision 766 formula version is in force on ${day}.`,
}));
