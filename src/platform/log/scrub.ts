// What never reaches a log: a failed query's parameters, secrets and personal data. The logger applies these to
// every call (`index.ts`); the job worker applies `scrubText` to the error it records as well.

const REDACTED = "[redacted]";

/**
 * Fields whose value is a secret or a personal datum, by name at any depth (compared without case, `-` or `_`):
 * passwords and their hashes, tokens, cookies, secrets; a query's parameters, a request's body or form; a
 * person's identity number, phone, email, name, address and date of birth; the driver's `detail` of an error,
 * which quotes the row it refused ("Key (username)=(001…) already exists").
 */
const SECRET_FIELD =
  /^(?:.*password.*|.*passwd|.*secret|.*token|authorization|cookie|setcookie|apikey|params|parameters|body|payload|form|formdata|cccd|cmnd|idnumber|identitynumber|phone|phonenumber|mobile|email|fullname|hoten|matkhau|sodienthoai|address|diachi|birthdate|ngaysinh|detail)$/;

const isSecretField = (key: string) => SECRET_FIELD.test(key.replace(/[-_]/g, "").toLowerCase());

/** Error fields that say what failed without quoting data (the driver's code, constraint, table…). */
const SAFE_ERROR_FIELDS = ["code", "statusCode", "severity", "routine", "constraint", "table", "column", "schema", "dataType", "errno", "syscall"] as const;

const MAX_DEPTH = 8;
const MAX_CAUSES = 4;

// A character before a number that is not part of it: not a digit, letter or dash (a UUID's last group), or
// one after an escape in a JSON line (`\n001…`).
const BEFORE = String.raw`(?:(?<![0-9A-Za-z+-])|(?<=\\[nrt]))`;
const AFTER = String.raw`(?![0-9A-Za-z])`;
/** An argon2 hash in PHC form: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
const ARGON2 = /\$argon2(?:id|i|d)?\$[^\s"']*/g;
/** A CCCD (12 digits) standing alone. */
const CCCD = new RegExp(`${BEFORE}\\d{12}${AFTER}`, "g");
/** A Vietnamese phone number: mobile 0[35789]xxxxxxxx, landline 02xxxxxxxxx, or with +84. */
const PHONE = new RegExp(`${BEFORE}(?:0[35789]\\d{8}|02\\d{9}|\\+?84[235789]\\d{8,9})${AFTER}`, "g");

/** Masks what looks like an argon2 hash, a CCCD or a phone number. */
export function maskPatterns(text: string): string {
  let out = text;
  if (out.includes("$argon2")) out = out.replace(ARGON2, REDACTED);
  if (/\d{10}/.test(out)) out = out.replace(CCCD, REDACTED).replace(PHONE, REDACTED);
  return out;
}

/** The last step of every log line (pino's `streamWrite`): masks what looks like a secret or a personal number. */
export const scrubLine = (line: string): string => maskPatterns(line);

// Drizzle's DrizzleQueryError: `Failed query: <sql>\nparams: <values>` in its message, and so its stack.
const QUERY_PARAMS = /\nparams: [\s\S]*?(?=\n\s+at |$)/g;
const FAILED_QUERY = /Failed query: [\s\S]*?(?=\nparams: |\n\s+at |$)/g;
const SQL_LITERAL = /'(?:[^']|'')*'/g;
// PostgreSQL quotes the refused value in these messages: `invalid input syntax for type uuid: "…"`.
const QUOTED_VALUE = /(invalid input (?:syntax|value) for (?:type|enum) [^:"]+: )"(?:[^"\\]|\\.)*"/g;

/** A message without the parameters of a failed query, the literals of its SQL, a quoted refused value or a masked pattern. */
export function scrubText(text: string): string {
  let out = text;
  if (out.includes("\nparams: ")) out = out.replace(QUERY_PARAMS, `\nparams: ${REDACTED}`);
  if (out.includes("Failed query: ")) out = out.replace(FAILED_QUERY, (q) => q.replace(SQL_LITERAL, `'${REDACTED}'`));
  if (out.includes("invalid input ")) out = out.replace(QUOTED_VALUE, `$1"${REDACTED}"`);
  return maskPatterns(out);
}

/** An error as a log shows it: type, message, stack, the fields naming what failed, and its causes, each scrubbed. */
export function scrubError(err: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.constructor?.name || err.name || "Error", message: scrubText(String(err.message ?? "")) };
  if (typeof err.stack === "string") out.stack = scrubText(err.stack);
  for (const key of SAFE_ERROR_FIELDS) {
    const v = (err as unknown as Record<string, unknown>)[key];
    if (typeof v === "string") out[key] = scrubText(v);
    else if (typeof v === "number") out[key] = v;
  }
  if (depth < MAX_CAUSES) {
    const cause = err.cause;
    if (cause instanceof Error) out.cause = scrubError(cause, depth + 1);
    else if (typeof cause === "string") out.cause = scrubText(cause);
    else if (cause !== undefined && cause !== null) out.cause = "[cause]";
    if (err instanceof AggregateError && Array.isArray(err.errors)) {
      out.errors = err.errors.slice(0, 10).map((e: unknown) => (e instanceof Error ? scrubError(e, depth + 1) : "[error]"));
    }
  }
  return out;
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return scrubError(value);
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  // Anything but a plain object (Fastify's request and reply, a Date) is left to its serializer or its toJSON.
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = isSecretField(key) ? REDACTED : scrubValue(v, depth + 1);
  return out;
}

/** The fields of a log call (pino's `formatters.log`), scrubbed at any depth. */
export function scrubFields(fields: Record<string, unknown>): Record<string, unknown> {
  return scrubValue(fields, 0) as Record<string, unknown>;
}
