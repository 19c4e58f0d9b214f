// What was typed into a form whose post arrived after its session ended (issue 15, item 2): the access check
// refuses the post before its body is read, so the refusal reads the typed text itself, seals it into a cookie of
// this browser, and the form, opened again once its owner has signed in, shows it to be saved. Files are not kept
// (a browser cannot be given a file back): the page asks for them again. Nothing is stored on the server for a
// visitor who is not signed in.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { Busboy, type BusboyInstance } from "@fastify/busboy";
import type { FastifyReply, FastifyRequest } from "fastify";
import { cookie, readCookie } from "./cookies.ts";

export const KEPT_FORM_COOKIE = "motcua_typed";
/** How long a kept form waits for its owner to sign in again. */
const KEPT_SECONDS = 3600;
/** A browser keeps about 4 KB per cookie: a form that does not fit is not kept (the last saved draft stands). */
const MAX_COOKIE = 3800;
const LIMITS = { fields: 200, fieldSize: 64 * 1024, fieldNameSize: 200, parts: 400 };
/** Bytes of a refused post read at most, files included (our forms put their text fields before their papers). */
const MAX_READ = 1024 * 1024;

interface Sealed {
  /** What the form belongs to (a dossier's id): it is shown on that form only. */
  k: string;
  /** Until when, in ms since the epoch. */
  t: number;
  f: Record<string, string>;
}

const keyOf = (secret: string) => createHash("sha256").update(`kept-form:${secret}`).digest();

function seal(secret: string, value: Sealed): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(deflateRawSync(JSON.stringify(value))), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

function unseal(secret: string, text: string): Sealed | null {
  try {
    const raw = Buffer.from(text, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    const value = JSON.parse(inflateRawSync(plain, { maxOutputLength: 1024 * 1024 }).toString("utf8")) as Sealed;
    return typeof value.k === "string" && typeof value.t === "number" && value.f && typeof value.f === "object" ? value : null;
  } catch {
    return null;
  }
}

/**
 * The text fields of a form post whose body no handler read (urlencoded or multipart), the CSRF token left out;
 * files are read past unkept, and reading stops after `MAX_READ` bytes (a field after a large file is lost).
 */
export function readUnreadFormFields(request: FastifyRequest): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  return new Promise((resolve) => {
    const raw = request.raw;
    let read = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      raw.unpipe();
      raw.resume();
      resolve(fields);
    };
    // Read already (a refusal after the handler parsed it): nothing left to read, and nothing would end the parse.
    if (raw.readableEnded || raw.readableFlowing !== null || request.body !== undefined) return finish();
    let parser: BusboyInstance;
    try {
      parser = Busboy({ headers: request.headers as never, limits: LIMITS });
    } catch {
      return finish();
    }
    parser.on("field", (name: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
      if (!done && name !== "_csrf" && !nameTruncated && !valueTruncated && !Object.hasOwn(fields, name)) fields[name] = value;
    });
    parser.on("file", (_name: string, stream: NodeJS.ReadableStream) => stream.resume());
    parser.on("finish", finish);
    parser.on("error", finish);
    raw.on("data", (chunk: Buffer) => {
      read += chunk.length;
      if (read > MAX_READ) finish();
    });
    raw.on("error", finish);
    raw.pipe(parser);
  });
}

/**
 * Keeps what a refused post typed for the form `key`, for this browser only, until `KEPT_SECONDS` pass or the
 * form shows it (`takeKeptForm`). `only` chooses the fields worth keeping (the form's own, not its buttons).
 */
export async function keepForm(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { secret: string; key: string; path: string; now: number; only: (name: string) => boolean },
): Promise<void> {
  const all = await readUnreadFormFields(request);
  const kept = Object.fromEntries(Object.entries(all).filter(([name]) => opts.only(name)));
  if (Object.keys(kept).length === 0) return;
  const value = seal(opts.secret, { k: opts.key, t: opts.now + KEPT_SECONDS * 1000, f: kept });
  if (value.length > MAX_COOKIE) return;
  void reply.header("set-cookie", cookie(request, KEPT_FORM_COOKIE, value, KEPT_SECONDS, opts.path));
}

/** What was kept for the form `key`, once: the cookie is cleared as the form shows it. Null if nothing (or stale). */
export function takeKeptForm(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { secret: string; key: string; path: string; now: number },
): Record<string, string> | null {
  const text = readCookie(request, KEPT_FORM_COOKIE);
  if (!text) return null;
  const value = unseal(opts.secret, text);
  if (value && value.k !== opts.key && value.t > opts.now) return null; // another form's, left for it
  void reply.header("set-cookie", cookie(request, KEPT_FORM_COOKIE, "", 0, opts.path));
  return value && value.k === opts.key && value.t > opts.now ? value.f : null;
}
