// Clean input (issue 13, item 2). Every string a request carries — its headers, path parameters, query, parsed
// body (JSON or form), the fields and file name of a multipart upload — is checked here, once, before anything
// uses it: a NUL character (PostgreSQL's text cannot hold one) or a lone UTF-16 surrogate (not Unicode: it has
// no UTF-8 form) is refused with 400 `request.invalid_characters` naming each field, as is a value nested
// deeper than any form needs (`request.too_deep`). Characters outside the BMP (emoji, CJK extensions) are
// surrogate *pairs* and pass. A malformed multipart body is a 400, a non-multipart one where a file is
// expected a 415, never the parser's own failure.
import { PassThrough, type Readable } from "node:stream";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { defineError, type FieldProblem, type Messages } from "./errors.ts";
import { preferredLanguage } from "./language.ts";
import type { App } from "./types.ts";

/** Deeper than any form or procedure schema nests, and shallow enough for every recursive reader after us. */
export const MAX_DEPTH = 32;

/**
 * Whether a string holds a NUL or a lone surrogate (a surrogate that is not half of a pair): ES2024's
 * `isWellFormed`, native, checks a 270 KB attachment's base64 ~40 times faster than `/\0|\p{Cs}/u` did.
 */
export function hasUncleanCharacters(s: string): boolean {
  return s.includes("\0") || !s.isWellFormed();
}

export const InvalidCharacters = defineError<[FieldProblem[]]>(
  "request.invalid_characters",
  "invalid",
  () => ({
    vi: "Dữ liệu gửi lên chứa ký tự không được phép (ký tự NUL hoặc mã UTF-16 không hợp lệ).",
    en: "The request holds characters that are not allowed (a NUL or an invalid UTF-16 code unit).",
  }),
  (fields: FieldProblem[]) => ({ fields }),
);

export const TooDeep = defineError<[FieldProblem[]]>(
  "request.too_deep",
  "invalid",
  () => ({ vi: `Dữ liệu lồng nhau quá ${MAX_DEPTH} cấp.`, en: `The request nests values more than ${MAX_DEPTH} levels deep.` }),
  (fields: FieldProblem[]) => ({ fields }),
);

export const MalformedMultipart = defineError("request.malformed_multipart", "invalid", () => ({
  vi: "Dữ liệu tải lên (multipart/form-data) bị lỗi định dạng.",
  en: "The upload (multipart/form-data) is malformed.",
}));

export const NotMultipart = defineError("request.not_multipart", "unsupported", () => ({
  vi: "Tệp phải được gửi dạng multipart/form-data.",
  en: "A file must be sent as multipart/form-data.",
}));

const PROBLEM: Record<"characters" | "depth", Messages> = {
  characters: { vi: "Có ký tự NUL hoặc mã UTF-16 không hợp lệ.", en: "holds a NUL or an invalid UTF-16 code unit" },
  depth: { vi: `Lồng nhau quá ${MAX_DEPTH} cấp.`, en: `nests more than ${MAX_DEPTH} levels deep` },
};

/** A JSON Pointer segment of a key, printable: the refused characters shown as U+FFFD, a long key cut short. */
function segment(key: string): string {
  const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return shown.replace(/\0|\p{Cs}/gu, "\uFFFD").replace(/~/g, "~0").replace(/\//g, "~1");
}

interface Found {
  kind: "characters" | "depth";
  path: string;
}

/** At most this many problems are named: a request of a million bad strings gets a short answer. */
const MAX_NAMED = 10;

/**
 * Every string of `value` (object keys too) with a NUL or a lone surrogate, and every value nested deeper than
 * MAX_DEPTH, as JSON Pointers under `at`. Iterative, so no nesting can overflow the stack.
 */
function findProblems(value: unknown, at: string): Found[] {
  const found: Found[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: at, depth: 0 }];
  while (stack.length > 0 && found.length < MAX_NAMED) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === "string") {
      if (hasUncleanCharacters(v)) found.push({ kind: "characters", path: path || "/" });
      continue;
    }
    if (typeof v !== "object" || v === null || Buffer.isBuffer(v)) continue;
    if (depth >= MAX_DEPTH) {
      found.push({ kind: "depth", path: path || "/" });
      continue;
    }
    const entries: Array<[string, unknown]> = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      const p = `${path}/${segment(key)}`;
      if (hasUncleanCharacters(key)) found.push({ kind: "characters", path: p });
      stack.push({ value: item, path: p, depth: depth + 1 });
    }
  }
  return found.slice(0, MAX_NAMED);
}

/**
 * Throws `InvalidCharacters` (or `TooDeep`) naming each bad string of `value` under the JSON Pointer `at`
 * (`""` for a body, `/querystring`, `/params`, `/headers`), in the request's language.
 */
export function assertCleanInput(request: FastifyRequest, value: unknown, at: string): void {
  const found = findProblems(value, at);
  if (found.length === 0) return;
  const lang = preferredLanguage(request);
  const fields = found.map((f) => ({ path: f.path, message: PROBLEM[f.kind][lang] }));
  throw found.some((f) => f.kind === "characters") ? new InvalidCharacters(fields.filter((_, i) => found[i]!.kind === "characters")) : new TooDeep(fields);
}

/**
 * The one check of every request's input: the headers as it arrives (before anyone reads a cookie or a
 * token), then its path parameters, query and parsed body once it is routed and parsed and the caller's
 * access is decided, before validation and the handler. Multipart bodies are read by the handler, through
 * `readFilePart`, which checks them as they come.
 */
export function registerInputCheck(app: App): void {
  app.addHook("onRequest", async (request) => {
    assertCleanInput(request, request.headers, "/headers");
  });
  app.addHook("preValidation", async (request) => {
    assertCleanInput(request, request.params, "/params");
    assertCleanInput(request, request.query, "/querystring");
    assertCleanInput(request, request.body, "");
  });
}

/** A file of a multipart request, read by `readFilePart`, its fields and name checked. */
export interface FilePart {
  /** The text fields sent before the file, by name (the first value of a repeated one). */
  fields: Record<string, string>;
  /** The file's form field (`file`). */
  fieldname: string;
  /** The name the sender gave the file ("" when none was chosen). */
  filename: string;
  /** The file's bytes; a body that breaks off while they are read fails this stream with `MalformedMultipart`. */
  source: Readable;
  /** Reads the rest of a file that will not be stored, so the request can end. */
  discard(): void;
}

/**
 * The first file of a multipart request (`@fastify/multipart` registered on the route's scope), with the fields
 * sent before it, all checked: `NotMultipart` (415) when the request is not multipart, `MalformedMultipart`
 * (400) when its body cannot be read as one (no boundary, a part cut short), `InvalidCharacters` naming the
 * field (`/component`) or the file name (`/file/filename`); the parser's own limits keep their 413. Null when
 * the request has no file.
 */
export async function readFilePart(request: FastifyRequest): Promise<FilePart | null> {
  if (!request.isMultipart()) throw new NotMultipart();
  let part: MultipartFile | undefined;
  try {
    part = await request.file();
  } catch (err) {
    throw multipartRefusal(err);
  }
  if (!part) return null;
  const file = part.file;
  const fields: Record<string, string> = {};
  for (const [name, field] of Object.entries(part.fields)) {
    const first = Array.isArray(field) ? field[0] : field;
    const value = first && "value" in first ? first.value : undefined;
    if (name !== part.fieldname && typeof value === "string") fields[name] = value;
  }
  try {
    assertCleanInput(request, { ...fields, [part.fieldname]: { filename: part.filename } }, "");
  } catch (err) {
    file.resume();
    throw err;
  }
  // The parser fails the file's stream with its own message when the body ends inside the part.
  const source = new PassThrough();
  file.once("error", (err) => source.destroy(multipartRefusal(err) as Error));
  file.pipe(source);
  const discard = () => void source.resume();
  return { fields, fieldname: part.fieldname, filename: part.filename, source, discard };
}

/** A failure of the multipart parser as a refusal: its own client errors (a limit, 413) kept, anything else malformed. */
export function multipartRefusal(err: unknown): unknown {
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === "number" && status >= 400 && status < 500 ? err : new MalformedMultipart();
}
