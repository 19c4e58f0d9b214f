// The draft as an HTML form: simple fields as inputs, each structured list as a JSON textarea. Reading
// the form back gives either a procedure document or every problem with its JSON pointer, the user's
// text kept as typed so the form comes back as they left it.
import { type Static, Type, Value } from "../../platform/typebox.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import { FormList, FormText, type Typed } from "../../web/forms.ts";
import { ProcedureContent as ContentSchema, type ProcedureContent } from "./model.ts";

/** The parts of a procedure edited as JSON, in the order the form shows them. */
export const JSON_FIELDS = ["components", "form", "fees", "processingTimes", "results", "conditions", "legalBasis", "steps"] as const;
export type JsonField = (typeof JSON_FIELDS)[number];

export interface DraftFormValues {
  code: string;
  name: string;
  description: string;
  fieldCode: string;
  fieldName: string;
  levels: string[];
  audience: string[];
  onlineLevel: string;
  assuranceLevel: string;
  /** One QCVN 102 code a line (commas and spaces also separate). */
  agencies: string;
  json: Record<JsonField, string>;
}

/** The draft's form as a browser posts it: what it reads means is `contentOf`'s to say. */
export const DraftForm = Type.Object({
  code: FormText(),
  name: FormText(),
  description: FormText(),
  fieldCode: FormText(),
  fieldName: FormText(),
  levels: FormList(),
  audience: FormList(),
  onlineLevel: FormText(),
  assuranceLevel: FormText(),
  agencies: FormText(),
  components: FormText(),
  form: FormText(),
  fees: FormText(),
  processingTimes: FormText(),
  results: FormText(),
  conditions: FormText(),
  legalBasis: FormText(),
  steps: FormText(),
});
type Form = Typed<Static<typeof DraftForm>>;
const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** A version's content as the form shows it. */
export function valuesOf(c: ProcedureContent): DraftFormValues {
  return {
    code: c.code,
    name: c.name,
    description: c.description ?? "",
    fieldCode: c.field.code,
    fieldName: c.field.name,
    levels: [...c.levels],
    audience: [...c.audience],
    onlineLevel: c.onlineLevel,
    assuranceLevel: String(c.assuranceLevel),
    agencies: c.agencies.join("\n"),
    json: Object.fromEntries(JSON_FIELDS.map((k) => [k, pretty(c[k])])) as Record<JsonField, string>,
  };
}

/** What a new procedure's form starts with: the lists empty, the e-form an empty object. */
export function blankValues(agency: string | null): DraftFormValues {
  const json = Object.fromEntries(JSON_FIELDS.map((k) => [k, "[]"])) as Record<JsonField, string>;
  json.form = pretty({ schema: { type: "object", properties: {}, additionalProperties: false }, ui: { order: [], fields: {} } });
  return {
    code: "",
    name: "",
    description: "",
    fieldCode: "",
    fieldName: "",
    levels: [],
    audience: ["citizen"],
    onlineLevel: "partial",
    assuranceLevel: "0",
    agencies: agency ?? "",
    json,
  };
}

/** The posted form's values, as typed (a field missing from the post is empty). */
export function postedValues(form: Form): DraftFormValues {
  return {
    code: (form.code ?? "").trim(),
    name: form.name ?? "",
    description: form.description ?? "",
    fieldCode: form.fieldCode ?? "",
    fieldName: form.fieldName ?? "",
    levels: (form.levels ?? []).slice(0, 10),
    audience: (form.audience ?? []).slice(0, 10),
    onlineLevel: form.onlineLevel ?? "",
    assuranceLevel: form.assuranceLevel ?? "",
    agencies: form.agencies ?? "",
    json: Object.fromEntries(JSON_FIELDS.map((k) => [k, form[k] ?? ""])) as Record<JsonField, string>,
  };
}

/**
 * The procedure the form describes, or every problem: JSON that does not parse (with where), then the
 * structure (types, required parts, patterns) as the API's schema checks it. Publishing checks more.
 */
export function contentOf(v: DraftFormValues): { content: ProcedureContent; problems: null } | { content: null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const parsed: Partial<Record<JsonField, unknown>> = {};
  for (const key of JSON_FIELDS) {
    try {
      parsed[key] = JSON.parse(v.json[key]);
    } catch (err) {
      problems.push({ path: `/${key}`, message: `JSON không hợp lệ: ${(err as Error).message}` });
    }
  }
  if (problems.length) return { content: null, problems };
  const level = v.assuranceLevel.trim();
  const candidate: Record<string, unknown> = {
    code: v.code.trim(),
    name: v.name.trim(),
    ...(v.description.trim() ? { description: v.description.trim() } : {}),
    field: { code: v.fieldCode.trim(), name: v.fieldName.trim() },
    levels: v.levels,
    agencies: v.agencies.split(/[\s,;]+/).filter(Boolean),
    audience: v.audience,
    onlineLevel: v.onlineLevel,
    assuranceLevel: /^\d$/.test(level) ? Number(level) : level,
    ...parsed,
  };
  const errors = [...Value.Errors(ContentSchema, candidate)];
  if (errors.length) {
    // One problem per place: a union reports each of its branches, which says nothing more.
    const seen = new Set<string>();
    for (const e of errors) {
      const path = e.path || "/";
      if (seen.has(path)) continue;
      seen.add(path);
      problems.push({ path, message: e.message });
      if (problems.length >= 50) break;
    }
    return { content: null, problems };
  }
  return { content: candidate as ProcedureContent, problems: null };
}

/** The form control a problem belongs next to. */
export function controlOf(path: string): string {
  const [first = "", second = ""] = path.split("/").slice(1);
  if (first === "field") return second === "name" ? "fieldName" : "fieldCode";
  return first || "name";
}
