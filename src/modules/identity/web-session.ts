// The browser side of identity: the session cookie, the actor of each request, CSRF tokens.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Actor, anonymous } from "../../platform/auth/actor.ts";
import type { App } from "../../platform/http/types.ts";
import { requiresSecondFactor } from "./second-factor.ts";
import type { IdentityService, UserView } from "./service.ts";
import { SESSION_MAX_SECONDS } from "./service.ts";

export const SESSION_COOKIE = "motcua_session";
export const CSRF_COOKIE = "motcua_csrf";

declare module "fastify" {
  interface FastifyRequest {
    /** Who is making the request: the session's user, or anonymous. */
    actor: Actor;
    /** The signed-in account, when there is one. */
    user: UserView | null;
    /** The browser session's id (the SHA-256 of its cookie), when the request came with one. */
    sessionId: string | null;
    /** A password sign-in still waiting for its second factor (the actor stays anonymous meanwhile). */
    pendingSecondFactor: { user: UserView; sessionId: string } | null;
  }
}

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

function cookie(request: FastifyRequest, name: string, value: string, maxAge: number): string {
  const secure = request.protocol === "https" || request.headers["x-forwarded-proto"] === "https" ? "; Secure" : "";
  return `${name}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  void reply.header("set-cookie", cookie(request, SESSION_COOKIE, token, SESSION_MAX_SECONDS));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header("set-cookie", cookie(request, SESSION_COOKIE, "", 0));
}

/** Resolves a bearer access token (the OIDC provider's) to its actor; throws for a bad token. */
export type BearerResolver = (token: string) => Promise<{ actor: Actor; user: UserView | null }>;

/**
 * Resolves `request.actor` on every request: from `Authorization: Bearer` (API clients and scripts)
 * or from the session cookie (browsers). A bad bearer token is an error (401), never anonymous.
 */
export function registerActorHook(app: App, identity: IdentityService, publicUrl: string, bearer?: BearerResolver): void {
  app.decorateRequest("actor", null as never);
  app.decorateRequest("user", null);
  app.decorateRequest("pendingSecondFactor", null);
  app.decorateRequest("sessionId", null);
  const secureSite = publicUrl.startsWith("https:");
  app.addHook("onRequest", async (request) => {
    request.actor = anonymous;
    request.user = null;
    request.pendingSecondFactor = null;
    request.sessionId = null;
    const authorization = request.headers.authorization;
    if (bearer && authorization && /^bearer\s/i.test(authorization)) {
      const resolved = await bearer(authorization.replace(/^bearer\s+/i, "").trim());
      request.actor = resolved.actor;
      request.user = resolved.user;
      return;
    }
    const token = readCookie(request, SESSION_COOKIE);
    if (!token) return;
    const found = await identity.session(token);
    if (found && requiresSecondFactor(found.user) && !found.mfa) {
      request.pendingSecondFactor = { user: found.user, sessionId: found.sessionId };
    } else if (found) {
      request.sessionId = found.sessionId;
      request.actor = found.actor;
      request.user = found.user;
    }
  });
  if (secureSite) {
    // Behind HTTPS every cookie we set must say Secure, whatever the proxy forwarded.
    app.addHook("onSend", async (_request, reply, payload) => {
      const set = reply.getHeader("set-cookie");
      const add = (c: string) => (/;\s*Secure/i.test(c) ? c : `${c}; Secure`);
      if (typeof set === "string") void reply.header("set-cookie", add(set));
      else if (Array.isArray(set)) void reply.header("set-cookie", set.map((c) => add(String(c))));
      return payload;
    });
  }
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
