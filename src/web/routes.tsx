import formbody from "@fastify/formbody";
import { Type } from "../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { DomainError, domainErrorOf, httpAnswerOf } from "../platform/http/errors.ts";
import { PUBLIC } from "../platform/http/access.ts";
import type { App } from "../platform/http/types.ts";
import type { Messages, ModulePlugin, NavEntry } from "../platform/module.ts";
import { sendAsset } from "./assets.ts";
import { ErrorPage, NotFoundPage, UnavailablePage } from "./error-pages.tsx";
import { FormText, pageQuery, pageSchema, registerCsrfCheck, registerParamsCheck } from "./forms.ts";
import { type Catalogue, catalogueOf } from "./i18n.ts";
import { LANGUAGE_PATH, type Offer } from "./layout.tsx";
import { OFFICE_OFFERS, OfficeHome } from "./office/home.tsx";
import { PORTAL_OFFERS, PortalHome } from "./portal/home.tsx";
import { safeNext } from "./redirects.ts";
import { type PageRequest, pageRequest, sendPage, type Viewer } from "./render.ts";

const LANG_COOKIE_MAX_AGE = 365 * 24 * 3600;

/** The two sides of the web: the citizens' portal and the officers' office. */
export type Area = "portal" | "office";

/**
 * Who is looking at a page of `area`, for its header: their name and sign-out form, or the link to sign in
 * and come back to `here`. Told by the identity module (registerViewer); none on an app without it.
 */
export type ViewerSource = (request: FastifyRequest, reply: FastifyReply, area: Area, here: string) => Viewer;

/** Registers how pages learn who is looking at them (once, by the module that signs people in). */
export function registerViewer(app: App, source: ViewerSource): void {
  app.decorate("viewer", source);
}

/** A page of the portal or the office, with who is signed in to that party (or its sign-in link) in the header. */
export function partyPage(request: FastifyRequest, reply: FastifyReply, area: Area): PageRequest {
  const page = pageRequest(request);
  const viewer = request.server.viewer?.(request, reply, area, page.here);
  return viewer ? { ...page, viewer } : page;
}

/** Whether an unknown address should get the HTML 404 page rather than the JSON envelope. */
export function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const path = request.url.split("?")[0] ?? "";
  if (path === "/api" || path.startsWith("/api/")) return false;
  const accept = request.headers.accept;
  return typeof accept === "string" && accept.includes("text/html");
}

/** The HTML 404 page, for the app's not-found handler to use when `wantsPage`. */
export function sendNotFoundPage(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendPage(reply, <NotFoundPage page={pageRequest(request)} />, 404);
}

declare module "fastify" {
  interface FastifyInstance {
    /** The menus of the portal and the office (registerNavigation). */
    navigation: readonly NavEntry[];
    /** Every text the pages can say: the kit's and the modules' (registerMessages). */
    messages: Catalogue;
    /** Who is looking at a page (registerViewer). */
    viewer?: ViewerSource;
  }
}

/** The kit's own menu entries: each party's home and the way to the other party. */
const KIT_NAV: readonly NavEntry[] = [
  { area: "portal", href: "/", label: { vi: "Trang chủ", en: "Home" }, order: 0 },
  { area: "portal", href: "/office", label: { vi: "Dành cho cán bộ", en: "For officers" }, order: 90 },
  { area: "office", href: "/office", label: { vi: "Bàn làm việc", en: "Workspace" }, order: 0 },
  { area: "office", href: "/", label: { vi: "Cổng dịch vụ công", en: "Public service portal" }, order: 90 },
];

/** The menus the pages show: the kit's entries and the modules' (`nav` of each module), in their order. */
export function registerNavigation(app: App, entries: readonly NavEntry[]): void {
  app.decorate("navigation", [...KIT_NAV, ...entries].sort((a, b) => a.order - b.order));
}

/**
 * The text the pages say: the kit's and the modules' tables (`messages` of each module), so `page.t` knows
 * every key. Throws when two tables define one key, or a table lacks a key in one language.
 */
export function registerMessages(app: App, tables: readonly Messages[]): void {
  app.decorate("messages", catalogueOf(tables));
}

/**
 * The server-rendered pages of the portal and the office: the kit's own (homes, assets, the language switch)
 * and the modules' (`pages`), in one scope whose errors answer with a page, not the API's JSON envelope.
 * They work without JavaScript; htmx only enhances.
 */
export async function registerWebRoutes(app: App, pages: readonly ModulePlugin[] = []): Promise<void> {
  // A card links only to a page that is served; `app` is the root, whose router knows every route.
  const present = (offers: Offer[]): Offer[] =>
    offers.map((o) => (o.href && app.hasRoute({ method: "GET", url: o.href }) ? o : { ...o, href: undefined }));

  await app.register(async (web: App) => {
    // An error on a page answers with a page, not the API's JSON envelope.
    // An unexpected failure of a page answers with a page; a refusal (a domain error, a bad request) goes on to
    // the module's page handler or the application's, which know its status.
    web.setErrorHandler((error, request, reply) => {
      // The database could not serve: a page that says so, with the API's status and Retry-After.
      const domain = domainErrorOf(error);
      if (domain?.kind === "unavailable") {
        const { status, headers } = httpAnswerOf(domain);
        const page = pageRequest(request);
        return sendPage(reply.headers(headers), <UnavailablePage page={page} message={domain.messages[page.lang]} />, status);
      }
      const status = (error as { statusCode?: unknown }).statusCode;
      if (error instanceof DomainError || (error as { validation?: unknown }).validation || (typeof status === "number" && status < 500)) throw error;
      request.log.error({ err: error }, "page failed");
      return sendPage(reply, <ErrorPage page={pageRequest(request)} requestId={request.id} />, 500);
    });

    // Form posts: urlencoded bodies for every module's pages, each post's CSRF token checked here.
    await web.register(formbody);
    registerCsrfCheck(web);
    registerParamsCheck(web);

    const asset = pageSchema({ params: Type.Object({ name: Type.String() }), querystring: Type.Object({ v: FormText() }) });
    web.get("/assets/:name", { config: { access: PUBLIC }, ...asset }, async (request, reply) => {
      return sendAsset(request, reply, request.params.name, pageQuery(request).v) || reply.callNotFound();
    });

    const language = pageSchema({ querystring: Type.Object({ lang: FormText(), next: FormText() }) });
    web.get(LANGUAGE_PATH, { config: { access: PUBLIC }, ...language }, async (request, reply) => {
      const { lang, next } = pageQuery(request);
      if (lang === "vi" || lang === "en") {
        const secure = request.protocol === "https" ? "; Secure" : "";
        void reply.header(
          "set-cookie",
          `lang=${lang}; Path=/; Max-Age=${LANG_COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly${secure}`,
        );
      }
      return reply.header("cache-control", "no-store").redirect(safeNext(request, next), 303);
    });

    web.get("/", { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) =>
      sendPage(reply, <PortalHome page={partyPage(request, reply, "portal")} offers={present(PORTAL_OFFERS)} />),
    );

    web.get("/office", { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) =>
      sendPage(reply, <OfficeHome page={partyPage(request, reply, "office")} offers={present(OFFICE_OFFERS)} />),
    );

    for (const plugin of pages) await web.register(plugin);
  });
}
