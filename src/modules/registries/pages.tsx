// The registries' pages (issue 18): the applicant's consent to fill a draft from a registry, the office's
// verification of a dossier's applicant, and "Ai đã xem dữ liệu của tôi", the data tracker: every look-up of the
// signed-in person's data (a covert one once it is disclosed), filtered, and exported as CSV or PDF.
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "../../platform/typebox.ts";
import { hasRole } from "../../platform/auth/actor.ts";
import { DomainError } from "../../platform/http/errors.ts";
import { APPLICANTS, OFFICERS } from "../../platform/http/access.ts";
import type { App } from "../../platform/http/types.ts";
import { csrfToken } from "../../web/cookies.ts";
import { FormText, pageQuery, pageSchema, postedForm, text } from "../../web/forms.ts";
import { tr } from "../../web/i18n.ts";
import { answerFor, registerPageErrors } from "../../web/page-errors.tsx";
import { sendPage } from "../../web/render.ts";
import { partyPage } from "../../web/routes.tsx";
import { RegistryRateLimited, RegistryUnavailable } from "./errors.ts";
import type { RegistryName } from "./gateway/mapping.ts";
import type { OnceOnly } from "./once-only.ts";
import type { LookupFilter, RegistriesService } from "./service.ts";
import { trackerCsv, trackerPdf } from "./tracker-export.ts";
import { TRACKER_PATH, TrackerPage, VerifyPage } from "./views.tsx";
import { dayStart, parseIsoDate } from "../calendar/index.ts";

const REGISTRIES: readonly string[] = ["population", "business", "civil_status"];
const isRegistry = (r: string): r is RegistryName => REGISTRIES.includes(r);
const Id = Type.Object({ id: Type.String({ pattern: "^[0-9a-f-]{36}$" }) });
const ConsentPost = pageSchema({ params: Id, body: Type.Object({ registry: FormText() }) });
const VerifyPost = pageSchema({ params: Id, body: Type.Object({ registry: FormText(), purpose: FormText() }) });
const TrackerQuery = pageSchema({
  querystring: Type.Object({
    tu: FormText({ pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }),
    den: FormText({ pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }),
    "co-quan": FormText({ maxLength: 40 }),
    csdl: FormText({ maxLength: 20 }),
    "muc-dich": FormText({ maxLength: 200 }),
    "dinh-dang": FormText({ maxLength: 5 }),
  }),
});

/** The start of a Vietnamese day (plus `plusDays`) as an instant; undefined for a date that does not exist (2024-02-30). */
const vnDay = (iso: string, plusDays = 0) => {
  const day = parseIsoDate(iso);
  return day === null ? undefined : new Date(dayStart(day + plusDays));
};

/** The per-address limit counts a page's look-ups as the API's (limits.ts): the caller's address goes with each. */
export function registriesPages(deps: { registries: RegistriesService; onceOnly: OnceOnly; now: () => Date }) {
  const { registries, onceOnly } = deps;
  return async (app: App) => {
    registerPageErrors(app, { signInReturn: TRACKER_PATH, signIn: "portal", back: { href: TRACKER_PATH, vi: "Ai đã xem dữ liệu của tôi", en: "Who has seen my data" } });
    app.addHook("onSend", async (_request, reply, payload) => {
      void reply.header("cache-control", "private, no-store");
      return payload;
    });

    app.get(TRACKER_PATH, { config: { access: APPLICANTS }, ...TrackerQuery }, async (request: FastifyRequest, reply: FastifyReply) => {
      const q = pageQuery(request as FastifyRequest & { query: Record<string, string | undefined> });
      const filter: LookupFilter = {
        // A date that does not exist is no filter (as the other filters' bad values are not).
        from: q.tu ? vnDay(q.tu) : undefined,
        to: q.den ? vnDay(q.den, 1) : undefined,
        agencyCode: text(q["co-quan"], 40) || undefined,
        registry: text(q.csdl, 20) || undefined,
        purpose: text(q["muc-dich"], 200) || undefined,
      };
      const rows = await registries.lookupsAboutMe(request.actor, filter);
      const format = text(q["dinh-dang"], 5);
      const name = `ai-da-xem-du-lieu-${(q.tu ?? "").replaceAll("-", "")}${q.den ? `-${q.den.replaceAll("-", "")}` : ""}`.replace(/-$/, "");
      if (format === "csv" || format === "pdf") {
        const actor = request.actor;
        const subject = actor.type === "user" ? `${actor.fullName} (${actor.username})` : "";
        const period = q.tu || q.den ? `${q.tu ?? "…"} – ${q.den ?? "…"}` : "toàn bộ";
        const body = format === "csv" ? trackerCsv(rows) : await trackerPdf(rows, { subject, generatedAt: deps.now(), period });
        void reply.header("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/pdf");
        void reply.header("content-disposition", `attachment; filename="${name}.${format}"`);
        return reply.send(body);
      }
      const page = partyPage(request, reply, "portal");
      const actor = request.actor;
      const business = actor.type === "user" && hasRole(actor, "business") && !hasRole(actor, "citizen");
      return sendPage(reply, <TrackerPage page={page} rows={rows} query={q} business={business} />);
    });

    app.post("/ho-so-cua-toi/:id/lay-tu-csdl", { config: { access: APPLICANTS }, ...ConsentPost }, async (request, reply) => {
      const form = postedForm(request);
      const registry = text(form.values.registry, 20);
      const back = (done: string) => reply.redirect(`/ho-so-cua-toi/${request.params.id}?da=${done}`, 303);
      if (!isRegistry(registry)) return back("csdl-loi");
      try {
        const outcome = await onceOnly.prefill(request.actor, request.params.id, registry, { requestId: request.id, client: request.ip });
        return back(outcome === "filled" ? "csdl" : "csdl-khong-co");
      } catch (err) {
        // A registry that cannot answer leaves filing as it was: the draft says so and the applicant types.
        if (err instanceof RegistryUnavailable || err instanceof RegistryRateLimited) return back("csdl-loi");
        throw err;
      }
    });

    app.post("/office/ho-so/:id/doi-chieu-csdl", { config: { access: OFFICERS }, ...VerifyPost }, async (request, reply) => {
      const page = partyPage(request, reply, "office");
      const form = postedForm(request);
      const registry = text(form.values.registry, 20);
      const purpose = text(form.values.purpose, 500);
      const id = request.params.id;
      const show = (props: Partial<Parameters<typeof VerifyPage>[0]>, status = 200) =>
        sendPage(reply, <VerifyPage page={page} dossierId={id} csrf={csrfToken(request, reply)} registry={registry} purpose={purpose} comparisons={null} {...props} />, status);
      if (!isRegistry(registry) || purpose.length < 3) {
        return show({ error: tr(page, "Hãy chọn cơ sở dữ liệu và ghi rõ mục đích tra cứu (ít nhất 3 ký tự).", "Choose a database and state the purpose (3 characters at least).") }, 400);
      }
      try {
        const comparisons = await onceOnly.verify(request.actor, id, registry, purpose, { requestId: request.id, client: request.ip });
        return show({ comparisons, notFound: comparisons === null });
      } catch (err) {
        // The registry's refusal or silence is shown on the form; the dossier's own errors go to the error page.
        if (!(err instanceof DomainError) || !err.code.startsWith("registries.")) throw err;
        return show({ error: err.messages[page.lang] }, answerFor(reply, err));
      }
    });
  };
}
