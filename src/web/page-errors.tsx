// Errors on the pages: a browser is sent to sign in and come back, or shown a page naming the refusal (an
// expired form, a missing right), with the status and headers (Retry-After) the API would answer; never the
// JSON envelope API callers get. A form shows the errors it can explain itself (`shownError`).
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { DomainError, type FieldProblem, httpAnswerOf } from "../platform/http/errors.ts";
import type { App } from "../platform/http/types.ts";
import { tr } from "./i18n.ts";
import { Layout, type Variant } from "./layout.tsx";
import { type PageRequest, pageRequest, sendPage } from "./render.ts";
import { type Area, wantsPage } from "./routes.tsx";

/** A page that says one thing: done (`role="status"`), or refused (`error`, `role="alert"`), with a way on. */
export function MessagePage(props: {
  page: PageRequest;
  title: string;
  message: string;
  error?: boolean;
  link?: { href: string; label: string };
  variant?: Variant;
}) {
  return (
    <Layout page={props.page} variant={props.variant ?? "portal"} title={props.title}>
      <h1>{props.title}</h1>
      {props.error ? (
        <div class="error" role="alert">
          <p>{props.message}</p>
        </div>
      ) : (
        <p role="status">{props.message}</p>
      )}
      {props.link ? (
        <p>
          <a href={props.link.href}>{props.link.label}</a>
        </p>
      ) : null}
    </Layout>
  );
}

/**
 * Sets the status and headers HTTP gives `err` (Retry-After…) on `reply`, for a page that shows the error
 * itself; returns the status to send the page with.
 */
export function answerFor(reply: FastifyReply, err: DomainError): number {
  const { status, headers } = httpAnswerOf(err);
  void reply.headers(headers);
  return status;
}

/** Sends the page that names a refusal, with its status and headers. */
export function sendRefusalPage(request: FastifyRequest, reply: FastifyReply, err: DomainError, back: { href: string; vi: string; en: string }): FastifyReply {
  const page = pageRequest(request);
  const status = answerFor(reply, err);
  return sendPage(
    reply,
    <MessagePage page={page} title={tr(page, "Không thực hiện được", "This cannot be done")} message={err.messages[page.lang]} error link={{ href: back.href, label: tr(page, back.vi, back.en) }} />,
    status,
  );
}

export interface PageErrorOptions {
  /**
   * Where a signed-out visitor goes back to after signing in, from a form post (a page comes back to itself): a
   * path, or the page the posted form is on (a session that expired while a form was filled in leads back to it).
   */
  signInReturn: string | ((request: FastifyRequest) => string);
  /**
   * Where a signed-out visitor signs in: a party's sign-in, as the viewer source links it for the area (the
   * module that signs people in tells it), or a path of the module's own (`?next=` is added).
   */
  signIn: Area | { path: string };
  /** The link on a refusal page. */
  back: { href: string; vi: string; en: string };
  /**
   * Keeps what a form post refused for want of a session typed, before the visitor is sent to sign in (its body
   * is still unread): `keepForm` of `kept-form.ts`, for the forms that show it again.
   */
  keepTyped?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

/** Whether a request comes from a browser: a page asked for, or a form posted (a page's upload is multipart). */
function fromBrowser(request: FastifyRequest): boolean {
  const type = String(request.headers["content-type"] ?? "");
  return wantsPage(request) || type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
}

/** The address that signs a visitor in and comes back to `back`; null when no one signs people in (a bare app). */
function signInAddress(request: FastifyRequest, reply: FastifyReply, signIn: PageErrorOptions["signIn"], back: string): string | null {
  if (typeof signIn === "object") return `${signIn.path}?next=${encodeURIComponent(back)}`;
  const viewer = request.server.viewer?.(request, reply, signIn, back);
  return viewer && "signIn" in viewer ? viewer.signIn : null;
}

/**
 * Handles the domain errors of browser requests in this plugin's routes (including the access decision and
 * the CSRF check taken before them): 401 sends to sign in and back; anything else is the refusal page with
 * the error's status and headers. Other errors, and API callers, go on to the application's handler.
 */
export function registerPageErrors(app: App, opts: PageErrorOptions): void {
  app.setErrorHandler(async (err: FastifyError | DomainError, request, reply) => {
    if (!(err instanceof DomainError) || !fromBrowser(request)) throw err;
    if (err.kind === "unauthenticated") {
      if (request.method === "POST" && opts.keepTyped) await opts.keepTyped(request, reply);
      const address = signInAddress(request, reply, opts.signIn, request.method === "GET" ? request.url : typeof opts.signInReturn === "string" ? opts.signInReturn : opts.signInReturn(request));
      if (address) return reply.redirect(address, 303);
    }
    return sendRefusalPage(request, reply, err, opts.back);
  });
}

/** What a form shows for a domain error it can explain (invalid input, a state that moved on, a file refused). */
export interface Shown {
  status: number;
  message: string;
  problems: FieldProblem[];
  code: string;
}

const FORM_KINDS = new Set(["invalid", "conflict", "too_large", "unsupported", "rate_limited"]);

/**
 * The error as a form shows it, or null for one the error page handles (not found, forbidden, …); the
 * headers HTTP gives it (Retry-After) are set on `reply`. A refused file is a problem of the paper it was
 * meant for (`paper`, its key).
 */
export function shownError(reply: FastifyReply, page: PageRequest, err: unknown, paper?: string): Shown | null {
  if (!(err instanceof DomainError) || !FORM_KINDS.has(err.kind)) return null;
  const message = err.messages[page.lang];
  let problems = err.fields ?? [];
  if (paper && (err.kind === "unsupported" || err.kind === "too_large" || err.code === "files.empty")) problems = [{ path: `/attachments/${paper}`, message }];
  return { status: answerFor(reply, err), message, problems, code: err.code };
}
