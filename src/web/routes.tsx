import type { FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../platform/clock.ts";
import { PUBLIC } from "../platform/http/access.ts";
import type { App } from "../platform/http/types.ts";
import { sendAsset } from "./assets.ts";
import { ErrorPage, NotFoundPage } from "./error-pages.tsx";
import { yearInVietnam } from "./format.ts";
import { LANGUAGE_PATH, type Offer } from "./layout.tsx";
import { OFFICE_OFFERS, OfficeHome } from "./office/home.tsx";
import {
  DAYS_OFF_PATH,
  type DaysOffResult,
  DaysOffPage,
  type HolidaySource,
  MAX_YEAR,
  MIN_YEAR,
} from "./portal/days-off.tsx";
import { PORTAL_OFFERS, PortalHome } from "./portal/home.tsx";
import { type PageRequest, pageRequest, sendPage } from "./render.ts";
import { csrfToken } from "../modules/identity/web-session.ts";
import type { RelyingParty } from "../modules/identity/service.ts";
import { PARTIES, signInHref } from "./relying-party/paths.ts";

export interface WebDeps {
  clock: Clock;
  /** The days off of a year (`ctx.calendar.holidays`). */
  holidays: HolidaySource;
}

const LANG_COOKIE_MAX_AGE = 365 * 24 * 3600;
const HIDDEN = { schema: { hide: true } } as const;

/** A local path to come back to; anything else (another host, `//host`, `/\host`) becomes `/`. */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !/^\/(?![/\\])/.test(next) || /[\s\\]/.test(next)) return "/";
  const url = new URL(next, "http://motcua.invalid");
  return url.host === "motcua.invalid" ? url.pathname + url.search : "/";
}

/** A page of the portal or the office, with who is signed in to that party (or its sign-in link) in the header. */
export function partyPage(request: FastifyRequest, reply: FastifyReply, rp: RelyingParty): PageRequest {
  const page = pageRequest(request);
  const user = request.user;
  const viewer = user ? { name: user.fullName, signOut: PARTIES[rp].signOut, csrf: csrfToken(request, reply) } : { signIn: signInHref(rp, page.here) };
  return { ...page, viewer };
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

/** Reads `?year=`: absent is this year in Vietnam; a malformed or out-of-range value is reported. */
function parseYear(raw: unknown, clock: Clock): { year: number; invalid?: string } {
  const current = yearInVietnam(clock.now());
  if (raw === undefined || raw === "") return { year: current };
  const text = String(raw).trim().slice(0, 12);
  const n = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(n) && n >= MIN_YEAR && n <= MAX_YEAR) return { year: n };
  return { year: current, invalid: text };
}

/**
 * The server-rendered pages of the portal and the office, their assets and the language switch.
 * They work without JavaScript; htmx only enhances.
 */
export async function registerWebRoutes(app: App, deps: WebDeps): Promise<void> {
  // A card links only to a page that is served; `app` is the root, whose router knows every route.
  const present = (offers: Offer[]): Offer[] =>
    offers.map((o) => (o.href && app.hasRoute({ method: "GET", url: o.href }) ? o : { ...o, href: undefined }));

  await app.register(async (web) => {
    // An error on a page answers with a page, not the API's JSON envelope.
    web.setErrorHandler((error, request, reply) => {
      request.log.error({ err: error }, "page failed");
      return sendPage(reply, <ErrorPage page={pageRequest(request)} requestId={request.id} />, 500);
    });

    web.get("/assets/:name", { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const { name } = request.params as { name: string };
      const { v } = request.query as { v?: unknown };
      return sendAsset(request, reply, name, v) || reply.callNotFound();
    });

    web.get(LANGUAGE_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const { lang, next } = request.query as { lang?: unknown; next?: unknown };
      if (lang === "vi" || lang === "en") {
        const secure = request.protocol === "https" ? "; Secure" : "";
        void reply.header(
          "set-cookie",
          `lang=${lang}; Path=/; Max-Age=${LANG_COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly${secure}`,
        );
      }
      return reply.header("cache-control", "no-store").redirect(safeNext(next), 303);
    });

    web.get("/", { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) =>
      sendPage(reply, <PortalHome page={partyPage(request, reply, "portal")} offers={present(PORTAL_OFFERS)} />),
    );

    web.get("/office", { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) =>
      sendPage(reply, <OfficeHome page={partyPage(request, reply, "office")} offers={present(OFFICE_OFFERS)} />),
    );

    web.get(DAYS_OFF_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const { year, invalid } = parseYear((request.query as { year?: unknown }).year, deps.clock);
      const result: DaysOffResult =
        invalid === undefined ? { state: "ok", holidays: await deps.holidays(year) } : { state: "invalid", given: invalid };
      const status = result.state === "invalid" ? 400 : 200;
      return sendPage(reply, <DaysOffPage page={pageRequest(request)} year={year} result={result} />, status);
    });
  });
}
