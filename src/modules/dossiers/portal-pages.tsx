// The portal's dossier pages (issue 5, items 8 and 12): a citizen or business files online step by step,
// follows their dossiers, answers a supplement, downloads the result and rates; anyone looks a dossier
// up by the code and key on its receipt (the QR). Plain forms (CSRF, Post/Redirect/Get with `?da=`);
// the rules are the dossier service's, these pages only present them.
import { randomUUID } from "node:crypto";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { APPLICANTS, PUBLIC } from "../../platform/http/access.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { PARTIES } from "../identity/index.ts";
import { sendPage } from "../../web/render.ts";
import { partyPage } from "../../web/routes.tsx";
import { agencyNames } from "../catalog/portal-pages.tsx";
import type { CatalogService } from "../catalog/service.ts";
import type { DirectoryService } from "../directory/service.ts";
import { registerPageErrors } from "../identity/page-errors.tsx";
import { csrfToken } from "../../web/cookies.ts";
import { receivingAgencies } from "../workflow/engine.ts";
import { AssuranceRequired, DossierNotFound, LookupThrottled } from "./errors.ts";
import { postedFormData, shownValues } from "./form-view.tsx";
import { LookupPage } from "./lookup-view.tsx";
import { type Form, formOf, HIDDEN, noFile, noticeOf, pageNumber, shownError, text, uploadOf, UUID } from "./page-support.ts";
import {
  ApplicantDossierPage,
  FilingStartPage,
  LOOKUP_PATH,
  MY_DOSSIERS_PATH,
  MyDossiersPage,
  myDossierPath,
} from "./portal-views.tsx";
import type { DossierService } from "./service.ts";
import { RATING_LEVELS } from "./words.ts";

const PAGE_SIZE = 20;
const DONE: Record<string, readonly [string, string]> = {
  tao: ["Đã tạo hồ sơ nháp: điền tờ khai, đính kèm giấy tờ rồi nộp.", "The draft was created: fill in the form, attach the papers, then file."],
  luu: ["Đã lưu bản nháp.", "The draft was saved."],
  "tai-len": ["Đã tải lên tệp đính kèm.", "The file was uploaded."],
  nop: ["Đã nộp hồ sơ. Cơ quan sẽ kiểm tra và tiếp nhận; bạn được báo khi có mã hồ sơ.", "The dossier was filed. The agency will check and receive it; you are told when it has a code."],
  "bo-sung": ["Đã gửi bổ sung hồ sơ.", "The supplement was sent."],
  rut: ["Đã rút hồ sơ.", "The dossier was withdrawn."],
  "danh-gia": ["Cảm ơn bạn đã đánh giá.", "Thank you for your rating."],
};

export interface DossierPageDeps {
  dossiers: DossierService;
  catalog: CatalogService;
  directory: DirectoryService;
  maxUploadBytes: number;
}

/** Pages with a dossier carry personal data: no cache may keep them. */
export function privatePages(app: App): void {
  app.addHook("onSend", async (_request, reply, payload) => {
    if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) void reply.header("cache-control", "private, no-store");
    return payload;
  });
}

export function dossierPortalPages(deps: DossierPageDeps) {
  const { dossiers, catalog, directory } = deps;
  return async (app: App) => {
    await app.register(formbody);
    // One file per post; one byte over the store's limit so the store's own error names the limit.
    await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes + 1, files: 1, fields: 6, fieldSize: 1024 } });
    registerPageErrors(app, { signInReturn: MY_DOSSIERS_PATH, signInPath: PARTIES.portal.signIn, back: { href: MY_DOSSIERS_PATH, vi: "Hồ sơ của tôi", en: "My dossiers" } });
    privatePages(app);
    const meta = (request: FastifyRequest) => ({ requestId: request.id, ip: request.ip });
    const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

    const showStart = async (request: FastifyRequest, reply: FastifyReply, code: string, error?: string, status = 200) => {
      const page = partyPage(request, reply, "portal");
      const procedure = await catalog.published(code);
      const codes = receivingAgencies(procedure);
      const names = await agencyNames(directory, codes);
      const actor = request.actor;
      const refusal = actor.type === "user" && procedure.assuranceLevel > actor.loa ? new AssuranceRequired(procedure.assuranceLevel).messages[page.lang] : undefined;
      return sendPage(
        reply,
        <FilingStartPage
          page={page}
          csrf={csrfToken(request, reply)}
          procedure={procedure}
          agencies={codes.map((c) => ({ code: c, name: names.get(c) ?? c }))}
          requestId={randomUUID()}
          refusal={refusal}
          error={error}
        />,
        refusal ? 403 : status,
      );
    };

    /** The applicant's dossier page, with what they typed and the problems when a post was refused. */
    const showDossier = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      extra: { values?: Record<string, string>; problems?: FieldProblem[]; error?: string | undefined } = {},
      status = 200,
    ) => {
      const page = partyPage(request, reply, "portal");
      const d = await dossiers.get(request.actor, id);
      const content = await dossiers.boundProcedure(d);
      const names = await agencyNames(directory, [d.agencyCode]);
      return sendPage(
        reply,
        <ApplicantDossierPage
          page={page}
          csrf={csrfToken(request, reply)}
          d={d}
          content={content}
          agencyName={names.get(d.agencyCode) ?? d.agencyCode}
          values={extra.values ?? shownValues(d.formData)}
          problems={extra.problems ?? []}
          error={extra.error}
          notice={status === 200 ? noticeOf(page, request, DONE) : undefined}
        />,
        status,
      );
    };

    /** Runs a change; a refusal the form can explain comes back on the dossier's page, kept as typed. */
    const change = async (request: FastifyRequest, reply: FastifyReply, done: string, work: () => Promise<unknown>, values?: Record<string, string>, paper?: string) => {
      const id = idOf(request);
      try {
        await work();
      } catch (err) {
        const e = shownError(partyPage(request, reply, "portal"), err, paper);
        if (!e) throw err;
        return showDossier(request, reply, id, { ...(values ? { values } : {}), problems: e.problems, error: e.code === "dossier.invalid" ? undefined : e.message }, e.status);
      }
      return reply.redirect(`${myDossierPath(id)}?da=${done}`, 303);
    };

    // The home page's "file online" card: filing starts from a procedure.
    app.get("/nop-ho-so", { config: { access: PUBLIC }, ...HIDDEN }, async (_request, reply) => reply.redirect("/thu-tuc", 303));

    app.get("/nop-ho-so/:code", { config: { access: APPLICANTS }, ...HIDDEN }, async (request, reply) => showStart(request, reply, (request.params as { code: string }).code));

    app.post("/nop-ho-so/:code", { config: { access: APPLICANTS }, ...HIDDEN }, async (request, reply) => {
      const form = formOf(request);
      const code = (request.params as { code: string }).code;
      const requestId = UUID.test(text(form.requestId, 36)) ? text(form.requestId, 36) : randomUUID();
      try {
        const { dossier } = await dossiers.create(request.actor, { procedureCode: code, agencyCode: text(form.agency, 20), formData: {}, requestId }, meta(request));
        return reply.redirect(`${myDossierPath(dossier.id)}?da=tao`, 303);
      } catch (err) {
        const e = shownError(partyPage(request, reply, "portal"), err);
        if (!e) throw err;
        return showStart(request, reply, code, e.message, e.status);
      }
    });

    app.get(MY_DOSSIERS_PATH, { config: { access: APPLICANTS }, ...HIDDEN }, async (request, reply) => {
      const page = partyPage(request, reply, "portal");
      const result = await dossiers.mine(request.actor, pageNumber((request.query as Form).trang), PAGE_SIZE);
      return sendPage(reply, <MyDossiersPage page={page} result={result} notice={noticeOf(page, request, DONE)} />);
    });

    app.get(`${MY_DOSSIERS_PATH}/:id`, { config: { access: APPLICANTS }, ...HIDDEN }, async (request, reply) => showDossier(request, reply, idOf(request)));

    app.post(`${MY_DOSSIERS_PATH}/:id`, { config: { access: APPLICANTS }, ...HIDDEN }, async (request, reply) => {
      const form = formOf(request);
      const id = idOf(request);
      const d = await dossiers.get(request.actor, id);
      const formData = postedFormData((await dossiers.boundProcedure(d)).form, form);
      const filing = text(form.intent, 10) === "submit";
      return change(
        request,
        reply,
        filing ? "nop" : "luu",
        async () => {
          await dossiers.saveDraft(request.actor, id, formData, meta(request));
          if (filing) await dossiers.submit(request.actor, id, meta(request));
        },
        shownValues(formData),
      );
    });

    app.post(`${MY_DOSSIERS_PATH}/:id/tep`, { config: { access: APPLICANTS }, ...HIDDEN }, async (request, reply) => {
      const up = await uploadOf(request);
      const file = up.file;
      return change(request, reply, "tai-len", async () => {
        if (!file) throw noFile(up.component);
        try {
          await dossiers.attach(request.actor, idOf(request), { component: up.component, source: file.source, declaredName: file.declaredName }, meta(request));
        } finally {
          up.discard();
        }
      }, undefined, up.component);
    });

    app.post(`${MY_DOSSIERS_PATH}/:id/bo-sung`, { config: { access: APPLICANTS }, ...HIDDEN }, async (request, reply) => {
      const form = formOf(request);
      const id = idOf(request);
      const d = await dossiers.get(request.actor, id);
      const formData = postedFormData((await dossiers.boundProcedure(d)).form, form);
      return change(request, reply, "bo-sung", () => dossiers.act(request.actor, id, "supplement", { formData }, meta(request)), shownValues(formData));
    });

    app.post(`${MY_DOSSIERS_PATH}/:id/rut`, { config: { access: APPLICANTS }, ...HIDDEN }, async (request, reply) => {
      const form = formOf(request);
      const page = partyPage(request, reply, "portal");
      if (text(form["xac-nhan"]) !== "1") {
        const message = page.lang === "en" ? "Tick the confirmation to withdraw the dossier." : "Hãy đánh dấu xác nhận để rút hồ sơ.";
        return showDossier(request, reply, idOf(request), { problems: [{ path: "/confirm", message }], error: message }, 400);
      }
      return change(request, reply, "rut", () => dossiers.act(request.actor, idOf(request), "withdraw", {}, meta(request)));
    });

    app.post(`${MY_DOSSIERS_PATH}/:id/danh-gia`, { config: { access: APPLICANTS }, ...HIDDEN }, async (request, reply) => {
      const form = formOf(request);
      const level = text(form.level, 20);
      if (!(RATING_LEVELS as readonly string[]).includes(level)) {
        const page = partyPage(request, reply, "portal");
        const message = page.lang === "en" ? "Choose a level." : "Hãy chọn một mức đánh giá.";
        return showDossier(request, reply, idOf(request), { problems: [{ path: "/level", message }], error: message }, 400);
      }
      const comment = text(form.comment, 2000);
      return change(request, reply, "danh-gia", () => dossiers.rate(request.actor, idOf(request), { level, ...(comment ? { comment } : {}) }, meta(request)));
    });

    app.get(LOOKUP_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const page = partyPage(request, reply, "portal");
      const q = request.query as Form;
      const code = text(q.ma, 40);
      const key = text(q.khoa, 16);
      const show = (props: { result?: Awaited<ReturnType<DossierService["lookup"]>>; error?: string }, status = 200) =>
        sendPage(reply, <LookupPage page={page} code={code} keyValue={key} {...props} />, status);
      if (!code && !key) return show({});
      if (!code || !key) return show({ error: page.lang === "en" ? "Enter both the dossier code and the lookup key." : "Cần nhập cả mã hồ sơ và mã tra cứu." }, 400);
      try {
        return show({ result: await dossiers.lookup(code, key, meta(request)) });
      } catch (err) {
        // An unknown code and a wrong key are the same message (the service's 404).
        if (err instanceof DossierNotFound) return show({ error: page.lang === "en" ? "No dossier has this code and lookup key. Check both and try again." : "Không tìm thấy hồ sơ có mã và mã tra cứu này. Hãy kiểm tra lại cả hai." }, 404);
        if (err instanceof LookupThrottled) {
          void reply.header("retry-after", String((err.details?.retryAfterSeconds as number | undefined) ?? 60));
          return show({ error: err.messages[page.lang] }, 429);
        }
        throw err;
      }
    });
  };
}
