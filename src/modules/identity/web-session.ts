// The browser side of identity: the session cookies and the actor of each request.
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Actor, anonymous } from "../../platform/auth/actor.ts";
import type { App } from "../../platform/http/types.ts";
import { cookie, readCookie } from "../../web/cookies.ts";
import { requiresSecondFactor } from "./second-factor.ts";
import type { IdentityService, LiveSession, RelyingParty, UserView } from "./service.ts";
import { SESSION_MAX_SECONDS } from "./service.ts";

/** The identity provider's own session (the sign-in pages, the account pages, /oidc). */
export const SESSION_COOKIE = "motcua_session";
/** The sessions of the relying parties, opened at their callbacks from an ID token. */
export const RP_SESSION_COOKIES: Readonly<Record<RelyingParty, string>> = { portal: "motcua_portal", office: "motcua_office" };

/** Whose browser session a path belongs to (see registerActorHook). */
export type SessionRealm = "provider" | "api" | RelyingParty;

const PROVIDER_PATHS = /^\/(?:dang-nhap|dang-xuat|dang-ky|tai-khoan|quen-mat-khau|dat-lai-mat-khau|xac-minh-email|oidc|\.well-known)(?:[/?]|$)/;
const OFFICE_PATHS = /^\/(?:office|quan-tri)(?:[/?]|$)/;
const API_PATHS = /^\/api(?:[/?]|$)/;

export function realmOf(url: string): SessionRealm {
  if (PROVIDER_PATHS.test(url)) return "provider";
  if (API_PATHS.test(url)) return "api";
  return OFFICE_PATHS.test(url) ? "office" : "portal";
}

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

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  void reply.header("set-cookie", cookie(request, SESSION_COOKIE, token, SESSION_MAX_SECONDS));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header("set-cookie", cookie(request, SESSION_COOKIE, "", 0));
}

export function setRpSessionCookie(request: FastifyRequest, reply: FastifyReply, rp: RelyingParty, token: string): void {
  void reply.header("set-cookie", cookie(request, RP_SESSION_COOKIES[rp], token, SESSION_MAX_SECONDS));
}

/** Ends the relying party's session of this browser, if any, and clears its cookie. */
export async function endRpSession(identity: IdentityService, request: FastifyRequest, reply: FastifyReply, rp: RelyingParty): Promise<void> {
  const token = readCookie(request, RP_SESSION_COOKIES[rp]);
  if (!token) return;
  await identity.endRelyingPartySession(rp, token, { requestId: request.id });
  void reply.header("set-cookie", cookie(request, RP_SESSION_COOKIES[rp], "", 0));
}

/**
 * Signs the browser out of motcua: the provider's session and the relying parties' sessions it holds end.
 * Returns the Set-Cookie lines that clear their cookies.
 */
export async function signOutBrowser(identity: IdentityService, request: FastifyRequest): Promise<string[]> {
  const meta = { requestId: request.id };
  const token = readCookie(request, SESSION_COOKIE);
  if (token) await identity.signOut(token, meta);
  const lines = [cookie(request, SESSION_COOKIE, "", 0)];
  for (const [rp, name] of Object.entries(RP_SESSION_COOKIES) as Array<[RelyingParty, string]>) {
    const rpToken = readCookie(request, name);
    if (!rpToken) continue;
    await identity.endRelyingPartySession(rp, rpToken, meta);
    lines.push(cookie(request, name, "", 0));
  }
  return lines;
}

/** Resolves a bearer access token (the OIDC provider's) to its actor; throws for a bad token. */
export type BearerResolver = (token: string) => Promise<{ actor: Actor; user: UserView | null }>;

/**
 * Resolves `request.actor` on every request, the one thing services see. `Authorization: Bearer` (API
 * clients, scripts) wins everywhere, and a bad bearer token is an error (401), never anonymous. Otherwise
 * the browser session that applies depends on the path (realmOf):
 *
 * - the identity provider's pages (/dang-nhap…, /dang-ky…, /dang-xuat, /tai-khoan…, /quen-mat-khau,
 *   /dat-lai-mat-khau, /xac-minh-email, /oidc…, /.well-known…): its own session, `motcua_session`; an
 *   officer still owing the second factor stays anonymous (`pendingSecondFactor`);
 * - the office (/office…, /quan-tri…): the office's relying-party session, `motcua_office`; an officer's
 *   only when opened with the second factor;
 * - every other page (the portal: /, /ngay-nghi, /auth/…): the portal's session, `motcua_portal`;
 * - the API (/api…) without a bearer token: the provider's session, else the office's, else the portal's,
 *   so the pages of either party can call it (a browser holds them for one person: the parties' sessions
 *   start from the provider's, and signing out at the provider ends the parties' sessions of the browser).
 *
 * The relying parties' sessions come only from their callbacks (an ID token), never from `motcua_session`.
 * `request.sessionId` is the provider's session only (the account page, the provider's login check).
 */
export function registerActorHook(app: App, identity: IdentityService, publicUrl: string, bearer?: BearerResolver): void {
  app.decorateRequest("actor", null as never);
  app.decorateRequest("user", null);
  app.decorateRequest("pendingSecondFactor", null);
  app.decorateRequest("sessionId", null);
  const secureSite = publicUrl.startsWith("https:");

  const providerSession = async (request: FastifyRequest): Promise<LiveSession | null> => {
    const token = readCookie(request, SESSION_COOKIE);
    const found = token ? await identity.session(token) : null;
    if (found && requiresSecondFactor(found.user) && !found.mfa) {
      request.pendingSecondFactor = { user: found.user, sessionId: found.sessionId };
      return null;
    }
    if (found) request.sessionId = found.sessionId;
    return found;
  };
  const partySession = async (request: FastifyRequest, rp: RelyingParty): Promise<LiveSession | null> => {
    const token = readCookie(request, RP_SESSION_COOKIES[rp]);
    const found = token ? await identity.relyingPartySession(rp, token) : null;
    // The office takes officers and administrators only with the second factor (citizens have none).
    return found && (rp === "portal" || found.mfa || !requiresSecondFactor(found.user)) ? found : null;
  };

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
    const realm = realmOf(request.url);
    const found =
      realm === "provider"
        ? await providerSession(request)
        : realm === "api"
          ? ((await providerSession(request)) ?? (await partySession(request, "office")) ?? (await partySession(request, "portal")))
          : await partySession(request, realm);
    if (found) {
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
