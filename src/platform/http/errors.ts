import { unavailableReason, type UnavailableReason } from "../db/faults.ts";

/**
 * Domain errors: a stable code, a kind (what went wrong, not how HTTP says it) and a message in
 * Vietnamese and English. Modules define theirs with `defineError`; the one HTTP error handler maps
 * kinds to status codes. No module throws HTTP errors.
 */
export type ErrorKind =
  | "invalid" // the input is wrong: 400
  | "unauthenticated" // no or bad identity: 401
  | "forbidden" // identity known, action not allowed: 403
  | "not_found" // missing, or not visible to the caller: 404
  | "conflict" // the state does not allow it: 409
  | "too_large" // 413
  | "unsupported" // unsupported media type: 415
  | "rate_limited" // 429
  | "unavailable"; // a dependency is down: 503

export interface Messages {
  vi: string;
  en: string;
}

export interface FieldProblem {
  /** JSON Pointer into the request (`/formData/hoTen`, `/query/year`). */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
  readonly messages: Messages;
  /** Extra public facts for the client (e.g. the current status, a Retry-After in seconds). */
  readonly details: Record<string, unknown> | undefined;
  readonly fields: FieldProblem[] | undefined;

  constructor(messages: Messages, extra?: { details?: Record<string, unknown>; fields?: FieldProblem[] }) {
    super(messages.en);
    this.messages = messages;
    this.details = extra?.details;
    this.fields = extra?.fields;
  }
}

const registry = new Map<string, ErrorKind>();

/** Every error code defined so far (a test asserts they are unique and well-formed). */
export function errorCatalogue(): ReadonlyMap<string, ErrorKind> {
  return registry;
}

type ErrorClass<A extends unknown[]> = {
  new (...args: A): DomainError;
  readonly code: string;
};

/**
 * Defines an error class with a stable code; a second definition of the same code throws at load.
 * `messages` builds the Vietnamese and English text from the constructor's arguments.
 */
export function defineError<A extends unknown[] = []>(
  code: string,
  kind: ErrorKind,
  messages: (...args: A) => Messages,
  extra?: (...args: A) => { details?: Record<string, unknown>; fields?: FieldProblem[] },
): ErrorClass<A> {
  if (!/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/.test(code)) throw new Error(`error code "${code}" is not module.snake_case`);
  if (registry.has(code)) throw new Error(`error code "${code}" is defined twice`);
  registry.set(code, kind);
  const cls = class extends DomainError {
    static readonly code = code;
    readonly code = code;
    readonly kind = kind;
    constructor(...args: A) {
      super(messages(...args), extra?.(...args));
      this.name = code;
    }
  };
  return cls;
}

/** Input that failed validation; `fields` names each bad field. */
export const ValidationFailed = defineError<[FieldProblem[]]>(
  "request.validation_failed",
  "invalid",
  () => ({ vi: "Dữ liệu gửi lên không hợp lệ.", en: "The request is not valid." }),
  (fields: FieldProblem[]) => ({ fields }),
);

export const NotFound = defineError("request.not_found", "not_found", () => ({
  vi: "Không tìm thấy địa chỉ được yêu cầu.",
  en: "Nothing is found at this address.",
}));

/** When to come back after the database could not serve, in seconds (`Retry-After`): it is checked twice a second. */
export const UNAVAILABLE_RETRY_SECONDS = 2;

/**
 * The database cannot serve now (restarting, out of reach, not answering, its disk full): the request may be
 * sent again after `Retry-After`. `reason` is one of `UnavailableReason` (`platform/db/faults.ts`).
 */
export const Unavailable = defineError<[reason: UnavailableReason]>(
  "platform.unavailable",
  "unavailable",
  (reason) =>
    reason === "disk_full"
      ? { vi: "Hệ thống tạm thời không ghi được dữ liệu. Vui lòng thử lại sau ít phút.", en: "The service cannot store data right now. Please try again in a few minutes." }
      : { vi: "Hệ thống tạm thời gián đoạn. Vui lòng thử lại sau giây lát.", en: "The service is briefly unavailable. Please try again in a moment." },
  (reason) => ({ details: { reason, retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS } }),
);

/**
 * `err` as the domain error it stands for: itself when it is one, `platform.unavailable` when it says the
 * database cannot serve now (a lost connection, a restart, a full disk…, wrapped or not), else null.
 */
export function domainErrorOf(err: unknown): DomainError | null {
  if (err instanceof DomainError) return err;
  const reason = unavailableReason(err);
  return reason ? new Unavailable(reason) : null;
}

/** The HTTP status of each kind (asked through `httpAnswerOf`, with the headers that go with it). */
const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  unavailable: 503,
};

/** How HTTP says a domain error, for the API's envelope and for every page alike. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
}

/**
 * The status of a domain error's kind and the headers it carries: `Retry-After` (whole seconds) when the
 * error says when to come back (`details.retryAfterSeconds`). The one error-kind → status map: the JSON
 * error handler and the pages' error paths all ask it.
 */
export function httpAnswerOf(err: DomainError): HttpAnswer {
  const headers: Record<string, string> = {};
  const retryAfter = err.details?.retryAfterSeconds;
  if (typeof retryAfter === "number" && Number.isFinite(retryAfter)) headers["retry-after"] = String(Math.max(0, Math.ceil(retryAfter)));
  return { status: STATUS_OF_KIND[err.kind], headers };
}
