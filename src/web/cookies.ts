// Cookies and CSRF protection of the pages: part of the web kit, used by every module's pages.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

export const CSRF_COOKIE = "motcua_csrf";

/** The value of cookie `name` in the request, if any. */
export function readCookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** A cookie line as every session cookie is set: HttpOnly, SameSite=Lax, Secure under https. */
export function cookie(request: FastifyRequest, name: string, value: string, maxAge: number, path = "/"): string {
  const secure = request.protocol === "https" || request.headers["x-forwarded-proto"] === "https" ? "; Secure" : "";
  return `${name}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

/**
 * CSRF protection for form posts (double submit): the form carries the value of an HttpOnly,
 * SameSite=Lax cookie that another site can neither read nor set; a post whose field does not match
 * is refused. `csrfToken` returns the token to put in the form, setting the cookie when needed.
 */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookie(request, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
  const token = randomBytes(24).toString("base64url");
  void reply.header("set-cookie", cookie(request, CSRF_COOKIE, token, 24 * 3600));
  return token;
}

export function csrfValid(request: FastifyRequest, given: unknown): boolean {
  const expected = readCookie(request, CSRF_COOKIE);
  if (!expected || typeof given !== "string" || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
