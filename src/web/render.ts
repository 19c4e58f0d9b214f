import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import type { Actor, Role } from "../platform/auth/actor.ts";
import type { NavEntry } from "../platform/module.ts";
import { preferredLanguage } from "../platform/http/language.ts";
import { type Catalogue, type Lang, type Translate, translator } from "./i18n.ts";
import { gzippedHtml } from "./compression.ts";

/**
 * The pages' Content-Security-Policy: scripts and styles from our own origin only, no inline script or
 * style (htmx is told not to inject its indicator style, see layout.tsx), no framing, forms post home.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers every HTML page carries. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": PAGE_CSP,
  "x-content-type-options": "nosniff",
  // A dossier lookup carries its key in the query: never hand a page's address to another site.
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

/** Who is looking at a portal or office page, for the header: their name and sign-out form, or a sign-in link. */
export type Viewer = { name: string; signOut: string; csrf: string } | { signIn: string };

/** What a page needs from its request: the language, a translator and where it is. */
export interface PageRequest {
  lang: Lang;
  t: Translate;
  /** The path and query of this page without `lang=`, for the language switch to come back to. */
  here: string;
  /** Shown in the header when given (the relying parties' pages). */
  viewer?: Viewer;
  /** The roles the visitor holds (over any agency), for navigation that only some of them see. */
  roles?: readonly Role[];
  /** The menus of the portal and the office (the modules' entries); none on a bare app in a test. */
  nav?: readonly NavEntry[];
}

/** The request's language, translator and own address (without any `lang` parameter). */
export function pageRequest(request: FastifyRequest): PageRequest {
  const lang = preferredLanguage(request);
  const url = new URL(request.url, "http://localhost");
  url.searchParams.delete("lang");
  // `actor` is absent when the identity hook is not registered (a bare app in a test).
  const actor = (request as { actor?: Actor }).actor;
  const roles = actor?.type === "user" ? [...new Set(actor.roles.map((g) => g.role))] : [];
  const server = request.server as { navigation?: readonly NavEntry[]; messages?: Catalogue } | undefined;
  return { lang, t: translator(lang, server?.messages), here: url.pathname + url.search, roles, nav: server?.navigation ?? [] };
}

/** Sends a rendered page: `<!doctype html>`, UTF-8, the security headers; JSX escapes every value. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200, opts: { vary?: string[] } = {}): FastifyReply {
  return sendHtml(reply, `<!doctype html>${renderToString(page)}`, status, opts.vary);
}

/**
 * Sends part of a page, for htmx to swap in (a request with `HX-Request`). The address also answers
 * with the whole page, so both vary on that header.
 */
export function sendFragment(reply: FastifyReply, fragment: VNode, status = 200): FastifyReply {
  return sendHtml(reply, renderToString(fragment), status, ["HX-Request"]);
}

/** Whether htmx asked for a fragment (not for a whole page to restore its history with). */
export function wantsFragment(request: FastifyRequest): boolean {
  return request.headers["hx-request"] === "true" && request.headers["hx-history-restore-request"] !== "true";
}

function sendHtml(reply: FastifyReply, html: string, status: number, vary: string[] = []): FastifyReply {
  const gzipped = gzippedHtml(reply.request, html);
  if (gzipped) void reply.header("content-encoding", "gzip");
  return reply
    .status(status)
    .headers(PAGE_SECURITY_HEADERS)
    .header("cache-control", "no-cache")
    // The same address answers in Vietnamese or English by the `lang` cookie or Accept-Language, gzipped or not.
    .header("vary", ["Cookie", "Accept-Language", "Accept-Encoding", ...vary].join(", "))
    .type("text/html; charset=utf-8")
    .send(gzipped ?? html);
}
