// Where a page sends the browser back to (issue 13, item 3). A `next` a visitor brought (a sign-in, the language
// switch) is resolved as a browser resolves it — WHATWG URL parsing against this node's own origin, which strips
// tabs and newlines, reads a backslash as a slash and removes dot segments — and is used only when the result is on
// that origin, and then only as its normalised path, query and fragment. A path a browser would read as another
// host (`//host`, which `/.//host` and `/%2e//host` become) is refused too. Every redirect to a visitor's value goes
// through `safeNext`; nothing else builds one.
import type { FastifyRequest } from "fastify";
import type { App } from "../platform/http/types.ts";

/** The origin a kit without one (a bare test app) resolves against: a reserved name no one can own (RFC 2606). */
const NO_ORIGIN = "http://motcua.invalid";

/** Longer than any address of ours; a longer `next` is refused rather than echoed in a Location header. */
const MAX_LENGTH = 2048;

/**
 * `value` as a path of `origin` (path, query and fragment, normalised), or `fallback` when it is not one: not a
 * string, too long, unparsable, another origin or scheme, or a path a browser would read as a host (`//…`).
 */
export function sameSitePath(value: unknown, origin: string, fallback = "/"): string {
  if (typeof value !== "string" || value.length > MAX_LENGTH) return fallback;
  const base = new URL(origin).origin;
  let url: URL;
  try {
    url = new URL(value, `${base}/`);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Checked again as the browser will read it: a Location starting with `//` (or `/\`) names another host.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\") || new URL(path, `${base}/`).origin !== base) return fallback;
  return path;
}

declare module "fastify" {
  interface FastifyInstance {
    /** This node's own origin (`MOTCUA_PUBLIC_URL`), which `next` values must stay on (registerSiteOrigin). */
    siteOrigin?: string;
  }
}

/** Tells the pages this node's own origin, from its configuration (never from a request's Host header). */
export function registerSiteOrigin(app: App, publicUrl: string): void {
  app.decorate("siteOrigin", new URL(publicUrl).origin);
}

/** A path of this site to come back to, from a visitor's `next`; anything else is `fallback` (the home page). */
export function safeNext(request: FastifyRequest, next: unknown, fallback = "/"): string {
  return sameSitePath(next, request.server.siteOrigin ?? NO_ORIGIN, fallback);
}
