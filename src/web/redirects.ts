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

/** Paths a browser's page request never needs on the public host: the API, the probes, the sign-on provider's machine endpoints. */
const MACHINE_PATH = /^\/(?:api|healthz|metrics|openapi\.json|oidc|\.well-known)(?:[/?]|$)/;

/**
 * Sends a browser that opened a page on another name of this node (`127.0.0.1` while `MOTCUA_PUBLIC_URL` says
 * `localhost`, the server's own address, an old name) to the same page on the public URL, before anything sets a
 * cookie: sign-in keeps its state in a cookie of the host it started on and comes back to the public URL's, so
 * begun elsewhere it could only fail at the callback (issue 15, item 5). Only page reads are moved (GET or HEAD
 * asking for HTML); the API, the health and metrics probes and the OpenID endpoints answer on any host. Behind the
 * proxies of MOTCUA_TRUSTED_PROXIES the host is the one they forward (Fastify's `request.host`); a request that
 * came through a proxy this node does not trust (it carries X-Forwarded-Host or X-Forwarded-For) is left alone, as
 * its Host may be the proxy's name for this node and moving it would loop.
 */
export function registerPublicHostRedirect(app: App, publicUrl: string, opts: { trustedProxies: boolean }): void {
  const target = new URL(publicUrl);
  const trusted = opts.trustedProxies;
  app.addHook("onRequest", async (request, reply) => {
    if (request.method !== "GET" && request.method !== "HEAD") return;
    const accept = request.headers.accept;
    if (typeof accept !== "string" || !accept.includes("text/html")) return;
    if (MACHINE_PATH.test(request.url)) return;
    if (!trusted && (request.headers["x-forwarded-host"] !== undefined || request.headers["x-forwarded-for"] !== undefined)) return;
    if (sameHost(request.host, request.protocol, target)) return;
    const location = new URL(target.origin);
    const [path = "/", query] = request.url.split(/\?(.*)/s, 2);
    // The path as this node received it (never read as a host, whatever its slashes), on the public origin.
    location.pathname = path.startsWith("/") ? path : `/${path}`;
    if (query !== undefined) location.search = query;
    return reply.header("cache-control", "no-store").redirect(location.href, 302);
  });
}

/** Whether `host` (a Host header, with its port or not) names `target`'s host and port. */
function sameHost(host: string, protocol: string, target: URL): boolean {
  try {
    // Parsed as a URL of the scheme the request came by, so `localhost:80` over http is `localhost`.
    return new URL(`${protocol}://${host}`).host === target.host || new URL(`${target.protocol}//${host}`).host === target.host;
  } catch {
    return false;
  }
}
