// Errors on the identity pages: a browser is sent to sign in, or shown a page naming the refusal (an
// expired form, a missing right), never the JSON envelope API callers get.
import type { FastifyError } from "fastify";
import { DomainError, STATUS_OF_KIND } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { pageRequest, sendPage } from "../../web/render.ts";
import { wantsPage } from "../../web/routes.tsx";
import { MessagePage, SIGN_IN_PATH } from "./pages.tsx";

/**
 * Handles domain errors of browser requests in this plugin's routes (including the access decision
 * taken before them): 401 redirects to sign in at `signInPath` (the provider's page unless told otherwise;
 * the office's pages use the office's flow) and back, for a page; anything else is a page with the
 * error's status. Other errors and API callers go on to the application's handler.
 */
export function registerPageErrors(
  app: App,
  opts: { signInReturn: string; back: { href: string; vi: string; en: string }; signInPath?: string },
): void {
  const signIn = opts.signInPath ?? SIGN_IN_PATH;
  app.setErrorHandler((err: FastifyError | DomainError, request, reply) => {
    const form = String(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
    if (!(err instanceof DomainError) || !(wantsPage(request) || form)) throw err;
    if (err.kind === "unauthenticated") {
      const back = request.method === "GET" ? request.url : opts.signInReturn;
      return reply.redirect(`${signIn}?next=${encodeURIComponent(back)}`, 303);
    }
    const page = pageRequest(request);
    const en = page.lang === "en";
    return sendPage(
      reply,
      <MessagePage
        page={page}
        title={en ? "This cannot be done" : "Không thực hiện được"}
        message={err.messages[page.lang]}
        error
        link={{ href: opts.back.href, label: en ? opts.back.en : opts.back.vi }}
      />,
      STATUS_OF_KIND[err.kind],
    );
  });
}
