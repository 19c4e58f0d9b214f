// What the dossier pages of the portal and the office share: reading a form post or a one-file upload
// with its CSRF token, a domain error turned into what a form shows, the `?da=` notice.
import type { Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
import { DomainError, type FieldProblem, STATUS_OF_KIND } from "../../platform/http/errors.ts";
import type { PageRequest } from "../../web/render.ts";
import { CsrfRejected } from "../identity/errors.ts";
import { csrfValid } from "../../web/cookies.ts";
import { InvalidDossier } from "./errors.ts";
import { tr } from "../../web/i18n.ts";

export type Form = Record<string, string | string[] | undefined>;
export const HIDDEN = { schema: { hide: true } } as const;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const text = (v: unknown, max = 2000) => (typeof v === "string" ? v.trim().slice(0, max) : Array.isArray(v) && typeof v[0] === "string" ? v[0].trim().slice(0, max) : "");

/** A form post's fields, refused without the page's CSRF token. */
export function formOf(request: FastifyRequest): Form {
  const form = (request.body ?? {}) as Form;
  if (!csrfValid(request, form._csrf)) throw new CsrfRejected();
  return form;
}

/** A page number from `?trang=`; anything else is the first page. */
export function pageNumber(v: unknown): number {
  const n = Number(text(v, 6));
  return Number.isInteger(n) && n >= 1 && n <= 10000 ? n : 1;
}

export interface Upload {
  /** The paper's key (or `result`), sent before the file. */
  component: string;
  /** Fields sent before the file, other than the token. */
  fields: Record<string, string>;
  /** The chosen file; null when none was chosen. */
  file: { source: Readable; declaredName: string } | null;
  /** Reads the rest of a file that will not be stored, so the request can end. */
  discard(): void;
}

/**
 * The one file of a multipart post. The CSRF token and the paper's key come before the file (the
 * forms put them first, as browsers send fields in order); a post without the token is refused before
 * any byte is stored.
 */
export async function uploadOf(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw new CsrfRejected();
  const part = await request.file();
  if (!part) throw new CsrfRejected();
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(part.fields)) {
    const value = (v as { value?: unknown } | undefined)?.value;
    if (typeof value === "string") fields[k] = value;
  }
  const discard = () => void part.file.resume();
  if (!csrfValid(request, fields._csrf)) {
    discard();
    throw new CsrfRejected();
  }
  const chosen = part.filename ? { source: part.file, declaredName: part.filename } : null;
  if (!chosen) discard();
  return { component: fields.component ?? "", fields, file: chosen, discard };
}

/** What a form shows for a domain error it can explain (invalid input, a state that moved on, a file refused). */
export interface Shown {
  status: number;
  message: string;
  problems: FieldProblem[];
  code: string;
}

const FORM_KINDS = new Set(["invalid", "conflict", "too_large", "unsupported", "rate_limited"]);

/** The error as a form shows it, or null for one the error page handles (not found, forbidden, …). */
export function shownError(page: PageRequest, err: unknown, paperKey?: string): Shown | null {
  if (!(err instanceof DomainError) || !FORM_KINDS.has(err.kind)) return null;
  const message = err.messages[page.lang];
  let problems = err.fields ?? [];
  // A refused file is about the paper it was meant for.
  if (paperKey && (err.kind === "unsupported" || err.kind === "too_large" || err.code === "files.empty")) problems = [{ path: `/attachments/${paperKey}`, message }];
  return { status: STATUS_OF_KIND[err.kind], message, problems, code: err.code };
}

export const noFile = (key: string) => new InvalidDossier([{ path: `/attachments/${key}`, message: "Cần chọn tệp đính kèm." }]);

/** What was just done, by the `?da=` key a change redirects with. */
export function noticeOf(page: PageRequest, request: FastifyRequest, table: Record<string, readonly [string, string]>): string | undefined {
  const done = table[text((request.query as Form).da, 40)];
  return done ? tr(page, done[0], done[1]) : undefined;
}

/** `datetime-local` input (Vietnam's time, no zone) → ISO instant; null when malformed. */
export function vietnamTime(v: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(v);
  if (!m) return null;
  const at = new Date(`${m[1]}T${m[2]}:00+07:00`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}
