// Form posts of the pages. A page route declares its form (and query) as TypeBox schemas with `pageSchema`,
// as an API route declares its body; Fastify validates them and the handler reads typed values with
// `postedForm` (or `pageQuery`), or what was typed and each problem, to show the form again. The CSRF
// token of every post is checked in one place (`registerCsrfCheck`, the kit's hook), before validation.
import { PassThrough, type Readable } from "node:stream";
import { type StringOptions, type TSchema, Type, TypeCompiler } from "../platform/typebox.ts";
import type { FastifyRequest } from "fastify";
import { fieldProblems } from "../platform/http/error-handler.ts";
import { defineError, DomainError, type FieldProblem, ValidationFailed } from "../platform/http/errors.ts";
import { assertCleanInput, multipartRefusal, readFilePart } from "../platform/http/input.ts";
import { preferredLanguage } from "../platform/http/language.ts";
import type { App } from "../platform/http/types.ts";
import { csrfValid } from "./cookies.ts";
import { tr } from "./i18n.ts";
import type { PageRequest } from "./render.ts";

/** A post without the page's CSRF token (or with another): the form is refused, nothing changes. */
export const CsrfRejected = defineError("web.csrf_rejected", "forbidden", () => ({
  vi: "Biểu mẫu đã hết hạn. Vui lòng tải lại trang và thử lại.",
  en: "The form has expired. Reload the page and try again.",
}));

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * A page post that is a multipart upload: its CSRF token comes in the stream, before the file, and
     * `readUpload` checks it before any byte is stored (the kit's hook only checks that it is multipart).
     */
    upload?: boolean;
  }
}

/** A text input of a page form: what a browser sends for it, absent when it sent nothing. */
export const FormText = (opts: StringOptions = {}) => Type.Optional(Type.String(opts));

/** Ticked checkboxes (or a multiple select) of one name: none, one or several values. */
export const FormList = (opts: StringOptions = {}) => Type.Optional(Type.Array(Type.String(opts)));

interface PageSchemaParts {
  body?: TSchema;
  querystring?: TSchema;
  params?: TSchema;
}

/**
 * The options of a page route whose form, query and path parameters are validated by `schema`: the handler's
 * `request` is typed by them, the route is left out of the OpenAPI description, and a failure of the form or
 * the query is handed to the handler (`postedForm`, `pageQuery`) to show the form again rather than thrown
 * (path parameters that fail are the not-found page: `registerParamsCheck`).
 */
export function pageSchema<S extends PageSchemaParts>(schema: S): { schema: S & { hide: true }; attachValidation: true } {
  return { schema: { ...schema, hide: true }, attachValidation: true };
}

/** Form values as typed (text), for a form shown again after its values were refused. */
export type Typed<T> = { [K in keyof T]?: NonNullable<T[K]> extends readonly unknown[] ? string[] : string };

/** A posted form: its values typed by the route's schema, or what was typed and each problem. */
export type Posted<T> =
  | { ok: true; values: T }
  | {
      ok: false;
      values: Typed<T>;
      /** Each field's problem, `/name` (Vietnamese or English, as the API says them). */
      problems: FieldProblem[];
      /** The refusal as a domain error (400 `request.validation_failed`), for a handler that shows its errors. */
      failure: DomainError;
    };

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Each problem of a failed validation, its path into the part (`/name`), in the request's language. */
function problemsOf(request: FastifyRequest, error: { validation: unknown }): FieldProblem[] {
  const issues = Array.isArray(error.validation) ? (error.validation as AjvIssue[]) : [];
  return fieldProblems(issues, "body", preferredLanguage(request));
}

/** The schema's properties that are lists (checkboxes), by name. */
function listNames(schema: unknown): Set<string> {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties ?? {};
  return new Set(Object.entries(properties).flatMap(([name, p]) => (p.type === "array" ? [name] : [])));
}

/** What a browser sent, as text: the first value of a repeated field, every value of a list. */
function typedText(raw: unknown, lists: Set<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (typeof raw !== "object" || raw === null) return out;
  for (const [name, value] of Object.entries(raw)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
    if (lists.has(name)) out[name] = values;
    else if (values[0] !== undefined) out[name] = values[0];
  }
  return out;
}

/** The form a page route was posted, validated by its `body` schema (`pageSchema`). */
export function postedForm<Body>(request: FastifyRequest & { body: Body }): Posted<Body> {
  const error = request.validationError;
  if (!error || error.validationContext !== "body") return { ok: true, values: request.body };
  const problems = problemsOf(request, error);
  const values = typedText(request.body, listNames(request.routeOptions.schema?.body)) as Typed<Body>;
  return { ok: false, values, problems, failure: new ValidationFailed(problems) };
}

/**
 * The query of a page route, validated by its `querystring` schema (`pageSchema`), whose members are all
 * optional: a member the page cannot use is dropped, as if it had not been given.
 */
export function pageQuery<Query>(request: FastifyRequest & { query: Query }): Partial<Query> {
  const error = request.validationError;
  if (!error || error.validationContext !== "querystring") return request.query;
  const bad = new Set(problemsOf(request, error).map((p) => p.path.split("/")[1]));
  const query: unknown = request.query;
  const kept = typeof query === "object" && query !== null ? Object.entries(query).filter(([name]) => !bad.has(name)) : [];
  // What is left passed the schema: every member is optional, and each kept one was valid.
  return Object.fromEntries(kept) as Partial<Query>;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses every page post without the page's CSRF token (`CsrfRejected`, 403), before its form is validated
 * or its handler runs: the one check of the pages, in the kit's scope. An upload route (`config.upload`)
 * must be multipart; `readUpload` checks its token in the stream.
 */
export function registerCsrfCheck(app: App): void {
  app.addHook("preValidation", async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (request.routeOptions.config.upload) {
      if (!request.isMultipart()) throw new CsrfRejected();
      return;
    }
    const body: unknown = request.body;
    const given = typeof body === "object" && body !== null && "_csrf" in body ? body._csrf : undefined;
    if (!csrfValid(request, given)) throw new CsrfRejected();
  });
}

/**
 * A page whose path parameters its schema refuses is not there: the not-found page, as for an unknown
 * address (path parameters are never a form to show again).
 */
export function registerParamsCheck(app: App): void {
  app.addHook("preHandler", async (request, reply) => {
    if (request.validationError?.validationContext === "params") return reply.callNotFound();
  });
}

/** The trimmed text of a form value, at most `max` characters ("" when absent). */
export const text = (v: string | undefined, max = 2000): string => (v ?? "").trim().slice(0, max);

export interface Upload<Fields> {
  /** Fields sent before the file, other than the token, typed by the route's schema. */
  fields: Fields;
  /** The chosen file; null when none was chosen. */
  file: { source: Readable; declaredName: string } | null;
  /** Reads the rest of a file that will not be stored, so the request can end. */
  discard(): void;
}

const compiled = new WeakMap<TSchema, ReturnType<typeof TypeCompiler.Compile>>();

/**
 * The one file of a multipart post (a route with `config.upload`), streamed, with the fields sent before it
 * typed by `schema`. The CSRF token and the fields come before the file (the forms put them first, as
 * browsers send fields in order); a post without the token, or whose fields `schema` refuses, is refused
 * (CsrfRejected, ValidationFailed) before any byte is stored. The platform's `readFilePart` reads it: a
 * malformed body is a 400, a NUL in a field or the file name `request.invalid_characters`.
 */
export async function readUpload<S extends TSchema>(request: FastifyRequest, schema: S): Promise<Upload<S["static"]>> {
  if (!request.isMultipart()) throw new CsrfRejected();
  const part = await readFilePart(request);
  if (!part) throw new CsrfRejected();
  const { _csrf: token, ...fields } = part.fields;
  if (!csrfValid(request, token)) {
    part.discard();
    throw new CsrfRejected();
  }
  let check = compiled.get(schema);
  if (!check) compiled.set(schema, (check = TypeCompiler.Compile(schema)));
  if (!check.Check(fields)) {
    part.discard();
    const problems = [...check.Errors(fields)].map((e) => ({ path: e.path || "/", message: tr({ lang: preferredLanguage(request) }, "Giá trị không hợp lệ.", "is not valid") }));
    throw new ValidationFailed(problems);
  }
  const chosen = part.filename ? { source: part.source, declaredName: part.filename } : null;
  if (!chosen) part.discard();
  return { fields: fields as S["static"], file: chosen, discard: part.discard };
}

/** A multipart form read whole by `readFormWithFiles`. */
export interface FormWithFiles {
  /** Its text fields (the first value of a repeated one), the token left out. */
  fields: Record<string, string>;
  /** False when the page's CSRF token was missing or wrong: no file was handed on, the fields are only to show again. */
  csrfOk: boolean;
}

/**
 * A multipart form with text fields and any number of files (a form that uploads its papers with what was typed,
 * a route with `config.upload`), read in the order the browser sent it. Each chosen file is handed to `onFile`
 * with the fields read before it, once the page's CSRF token (the form's first field) was found valid; an empty
 * file input and every file of a post without the token are skipped unread. `onFile` streams the file where it
 * goes (what it leaves unread is discarded). Every field and file name is checked as `readFilePart` checks them.
 */
export async function readFormWithFiles(
  request: FastifyRequest,
  limits: { files: number; fields: number; fieldSize?: number },
  onFile: (file: { field: string; source: Readable; declaredName: string }, fieldsSoFar: Record<string, string>) => Promise<void>,
): Promise<FormWithFiles> {
  if (!request.isMultipart()) throw new CsrfRejected();
  const fields: Record<string, string> = {};
  let csrfOk: boolean | null = null;
  try {
    for await (const part of request.parts({ limits })) {
      if (part.type === "field") {
        if (typeof part.value !== "string") continue;
        assertCleanInput(request, { [part.fieldname]: part.value }, "");
        if (part.fieldname === "_csrf") csrfOk ??= csrfValid(request, part.value);
        else if (!(part.fieldname in fields)) fields[part.fieldname] = part.value;
        continue;
      }
      if (!csrfOk || !part.filename) {
        part.file.resume();
        continue;
      }
      try {
        assertCleanInput(request, { [part.fieldname]: { filename: part.filename } }, "");
      } catch (err) {
        part.file.resume();
        throw err;
      }
      const source = new PassThrough();
      part.file.once("error", (err) => source.destroy(multipartRefusal(err) as Error));
      part.file.pipe(source);
      try {
        await onFile({ field: part.fieldname, source, declaredName: part.filename }, { ...fields });
      } finally {
        source.resume();
      }
    }
  } catch (err) {
    throw err instanceof DomainError ? err : multipartRefusal(err);
  }
  return { fields, csrfOk: csrfOk === true };
}

/** What was just done, by the `?da=` key a change redirects with (Post/Redirect/Get). */
export function doneNotice(page: PageRequest, key: string | undefined, table: Readonly<Record<string, readonly [string, string]>>): string | undefined {
  const done = table[text(key, 40)];
  return done ? tr(page, done[0], done[1]) : undefined;
}

/** `datetime-local` input (Vietnam's time, no zone) → ISO instant; null when malformed. */
export function vietnamTime(v: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(v);
  if (!m) return null;
  const at = new Date(`${m[1]}T${m[2]}:00+07:00`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

