// The dossier form of a procedure is JSON Schema (draft-07). Ajv compiles it once per version; the same
// compiled validator checks an applicant's form data (issue 5) and proves at publishing that it compiles.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule, { type FormatsPlugin } from "ajv-formats";
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { FormDefinition } from "./model.ts";

// A CommonJS module: Node hands its module.exports (the plugin) over as the default import.
const addFormats = addFormatsModule as unknown as FormatsPlugin;

// strict: an unknown keyword or a misspelt one is an error at publishing, not a rule silently ignored.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, coerceTypes: false, useDefaults: false });
addFormats(ajv, ["date", "time", "date-time", "email", "uri"]);

const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles a form's schema, or throws Ajv's error (the message names the keyword). */
export function compileForm(schema: FormDefinition["schema"]): ValidateFunction {
  const hit = compiled.get(schema);
  if (hit) return hit;
  const fn = ajv.compile(schema);
  compiled.set(schema, fn);
  return fn;
}

/** Why `schema` cannot serve as a dossier form, or null when it can. */
export function formSchemaProblem(schema: FormDefinition["schema"]): string | null {
  if (schema.type !== "object" || typeof schema.properties !== "object" || schema.properties === null) {
    return "Biểu mẫu phải là JSON Schema kiểu object có properties.";
  }
  try {
    compileForm(schema);
    return null;
  } catch (err) {
    return `JSON Schema không biên dịch được: ${(err as Error).message}`;
  }
}

/** The property names of a form, in the schema's order. */
export function formProperties(schema: FormDefinition["schema"]): string[] {
  const props = schema.properties;
  return props && typeof props === "object" ? Object.keys(props) : [];
}

/** Checks form data against a form; each problem names the field (a JSON pointer under `base`) in Vietnamese. */
export function formDataProblems(form: FormDefinition, data: unknown, base = ""): FieldProblem[] {
  const validate = compileForm(form.schema);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => ({ path: `${base}${pointerOf(e)}`, message: messageOf(form, e) }));
}

function pointerOf(e: ErrorObject): string {
  if (e.keyword === "required") return `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`;
  if (e.keyword === "additionalProperties") return `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`;
  return e.instancePath || "/";
}

function messageOf(form: FormDefinition, e: ErrorObject): string {
  const name = pointerOf(e).split("/")[1] ?? "";
  const label = form.ui.fields[name]?.label ?? name;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `Cần nhập ${label}.`;
    case "additionalProperties":
      return `Biểu mẫu không có trường ${name}.`;
    case "type":
      return `${label}: sai kiểu dữ liệu (cần ${String(p.type)}).`;
    case "maxLength":
      return `${label}: không quá ${String(p.limit)} ký tự.`;
    case "minLength":
      return `${label}: cần ít nhất ${String(p.limit)} ký tự.`;
    case "pattern":
      return `${label}: không đúng định dạng.`;
    case "format":
      return `${label}: không đúng định dạng ${p.format === "date" ? "ngày (yyyy-mm-dd)" : String(p.format)}.`;
    case "enum":
      return `${label}: chọn một trong các giá trị cho sẵn.`;
    case "minimum":
      return `${label}: không nhỏ hơn ${String(p.limit)}.`;
    case "maximum":
      return `${label}: không lớn hơn ${String(p.limit)}.`;
    default:
      return `${label}: không hợp lệ (${e.keyword}).`;
  }
}
