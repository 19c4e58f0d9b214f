// The portal's dossier pages (issue 5, items 8 and 12): a citizen or business files online step by step,
// follows their dossiers, answers a supplement, downloads the result and rates; anyone looks a dossier
// up by the code and key on its receipt (the QR). Plain forms (CSRF, Post/Redirect/Get with `?da=`);
// the rules are the dossier service's, these pages only present them.
import { randomUUID } from "node:crypto";
import multipart from "@fastify/multipart";
import { Type } from "../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { APPLICANTS, PUBLIC } from "../../platform/http/access.ts";
import type { DomainError, FieldProblem } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { sendPage } from "../../web/render.ts";
import { partyPage } from "../../web/routes.tsx";
import { agencyNames, type CatalogService, type ProcedureContent } from "../catalog/index.ts";
import type { DirectoryService } from "../directory/index.ts";
import { csrfToken } from "../../web/cookies.ts";
import { keepForm, takeKeptForm } from "../../web/kept-form.ts";
import { tr } from "../../web/i18n.ts";
import { CsrfRejected, doneNotice, FormText, pageQuery, pageSchema, postedForm, readFormWithFiles, text } from "../../web/forms.ts";
import { answerFor, registerPageErrors, type Shown, shownError } from "../../web/page-errors.tsx";
import { pageNumber } from "../../web/pager.tsx";
import { planSteps, receivingAgencies, returnDesk } from "../workflow/index.ts";
import { desksOf, procedureProvince } from "./desks.ts";
import { AssuranceRequired, DossierNotFound, LookupThrottled } from "./errors.ts";
import { FIELD_PREFIX, FILE_PREFIX, fieldNames, postedFormData, shownValues } from "./form-view.tsx";
import { STORE_PATH } from "./documents-pages.tsx";
import { LookupPage, type ResultDownload } from "./lookup-view.tsx";
import { deskNames, DossierForm, noFile, privatePages, UUID } from "./page-support.ts";
import {
  ApplicantDossierPage,
  CheckAnswersPage,
  checkAnswersPath,
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
  csdl: ["Đã điền thông tin lấy từ cơ sở dữ liệu quốc gia: kiểm tra lại tờ khai.", "The information read from the national database was filled in: check the form."],
  "csdl-loi": [
    "Tạm thời không lấy được thông tin từ cơ sở dữ liệu quốc gia. Bạn vẫn có thể tiếp tục nộp hồ sơ và tự điền thông tin.",
    "The national database cannot be read right now. You can still file and fill in the form yourself.",
  ],
  "csdl-khong-co": ["Không tìm thấy thông tin của bạn trong cơ sở dữ liệu quốc gia: hãy tự điền tờ khai.", "Nothing about you was found in the national database: fill in the form yourself."],
  "tai-len": ["Đã tải lên tệp đính kèm.", "The file was uploaded."],
  "dung-lai": ["Đã dùng lại giấy tờ từ kho dữ liệu của bạn.", "The document from your data store was used."],
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
  /** Seals what a form typed when its post came after the session ended (`web/kept-form.ts`). */
  keptFormSecret: string;
  now: () => number;
}

const Dossier = Type.Object({ id: Type.String() });
const Procedure = Type.Object({ code: Type.String() });
const StartForm = pageSchema({ params: Procedure, body: Type.Object({ requestId: FormText(), agency: FormText(), returnAgency: FormText() }) });
const MineQuery = pageSchema({ querystring: Type.Object({ trang: FormText(), da: FormText() }) });
const DossierQuery = pageSchema({ params: Dossier, querystring: Type.Object({ da: FormText() }) });
const DraftPost = pageSchema({ params: Dossier, body: DossierForm });
const Upload = pageSchema({ params: Dossier });
const WithdrawForm = pageSchema({ params: Dossier, body: Type.Object({ "xac-nhan": FormText() }) });
const RatingForm = pageSchema({ params: Dossier, body: Type.Object({ level: FormText(), comment: FormText() }) });
const LookupQuery = pageSchema({ querystring: Type.Object({ ma: FormText(), khoa: FormText() }) });

/**
 * The desks an online applicant may collect the result at (DOMAIN.md §3): every one-stop desk of the procedure's
 * province. Empty when the procedure returns its result at no desk.
 */
async function returnChoices(directory: DirectoryService, procedure: ProcedureContent): Promise<Array<{ code: string; name: string }>> {
  const implementing = procedure.agencies[0];
  const own = implementing ? returnDesk(planSteps(procedure, "online", implementing)) : null;
  const province = own ? await procedureProvince(directory, procedure) : null;
  if (!own || !province) return [];
  return (await desksOf(directory, province)).map((a) => ({ code: a.code, name: a.name }));
}

/**
 * The page a dossier's form was posted from: a session that expired midway signs in again and comes back to the
 * same dossier, its draft as the last step saved it (issue 15, item 2).
 */
function formPage(request: FastifyRequest): string {
  const id = (request.params as { id?: unknown } | undefined)?.id;
  return typeof id === "string" && UUID.test(id) ? myDossierPath(id) : MY_DOSSIERS_PATH;
}

export function dossierPortalPages(deps: DossierPageDeps) {
  const { dossiers, catalog, directory } = deps;
  return async (app: App) => {
    // One file per post; one byte over the store's limit so the store's own error names the limit.
    await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes + 1, files: 1, fields: 6, fieldSize: 1024 } });
    const kept = (id: string) => ({ secret: deps.keptFormSecret, key: id, path: MY_DOSSIERS_PATH, now: deps.now() });
    registerPageErrors(app, {
      signInReturn: formPage,
      signIn: "portal",
      back: { href: MY_DOSSIERS_PATH, vi: "Hồ sơ của tôi", en: "My dossiers" },
      // A draft's form posted after the session ended: what it typed comes back on the form after signing in.
      keepTyped: async (request, reply) => {
        const id = (request.params as { id?: unknown } | undefined)?.id;
        if (typeof id === "string" && UUID.test(id)) await keepForm(request, reply, { ...kept(id), only: (name) => name.startsWith(FIELD_PREFIX) });
      },
    });
    privatePages(app);
    const meta = (request: FastifyRequest) => ({ requestId: request.id, ip: request.ip });

    const showStart = async (request: FastifyRequest, reply: FastifyReply, code: string, error?: string, status = 200) => {
      const page = partyPage(request, reply, "portal");
      const procedure = await catalog.published(code);
      const codes = receivingAgencies(procedure);
      const returnDesks = await returnChoices(directory, procedure);
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
          returnDesks={returnDesks}
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
      extra: { values?: Record<string, string>; problems?: FieldProblem[]; error?: string | undefined; done?: string | undefined } = {},
      status = 200,
    ) => {
      const page = partyPage(request, reply, "portal");
      const d = await dossiers.get(request.actor, id);
      const content = await dossiers.boundProcedure(d);
      const { agencyName, returnName } = await deskNames(directory, d);
      // What was typed when the session ended, once its owner is back on the draft (not saved until they save).
      const typed = (d.status === "draft" || d.status === "incomplete" || d.status === "supplementing") && !extra.values ? takeKeptForm(request, reply, kept(id)) : null;
      const keptValues = typed ? shownValues(postedFormData(content.form, typed)) : null;
      return sendPage(
        reply,
        <ApplicantDossierPage
          page={page}
          csrf={csrfToken(request, reply)}
          d={d}
          content={content}
          agencyName={agencyName}
          returnName={returnName}
          values={extra.values ?? (keptValues ? { ...shownValues(d.formData), ...keptValues } : shownValues(d.formData))}
          problems={extra.problems ?? []}
          error={extra.error}
          notice={
            keptValues
              ? tr(
                  page,
                  "Phiên đăng nhập đã hết hạn khi bạn gửi biểu mẫu: những gì bạn đã nhập được điền lại dưới đây nhưng chưa được lưu — hãy bấm “Lưu bản nháp”. Tệp đã chọn lúc đó cần chọn lại.",
                  "Your session had ended when you sent the form: what you typed is filled in below but not saved yet — press “Save the draft”. Choose the files you had chosen again.",
                )
              : status === 200
                ? doneNotice(page, extra.done, DONE)
                : undefined
          }
        />,
        status,
      );
    };

    /** Runs a change; a refusal the form can explain comes back on the dossier's page, kept as typed. */
    const change = async (request: FastifyRequest, reply: FastifyReply, id: string, done: string, work: () => Promise<unknown>, values?: Record<string, string>, paper?: string) => {
      try {
        await work();
      } catch (err) {
        const e = shownError(reply, partyPage(request, reply, "portal"), err, paper);
        if (!e) throw err;
        return showDossier(request, reply, id, { ...(values ? { values } : {}), problems: e.problems, error: e.code === "dossier.invalid" ? undefined : e.message }, e.status);
      }
      return reply.redirect(`${myDossierPath(id)}?da=${done}`, 303);
    };

    // The home page's "file online" card: filing starts from a procedure.
    app.get("/nop-ho-so", { config: { access: PUBLIC }, ...pageSchema({}) }, async (_request, reply) => reply.redirect("/thu-tuc", 303));

    app.get("/nop-ho-so/:code", { config: { access: APPLICANTS }, ...pageSchema({ params: Procedure }) }, async (request, reply) => showStart(request, reply, request.params.code));

    app.post("/nop-ho-so/:code", { config: { access: APPLICANTS }, ...StartForm }, async (request, reply) => {
      const form = postedForm(request);
      const code = request.params.code;
      const requestId = UUID.test(text(form.values.requestId, 36)) ? text(form.values.requestId, 36) : randomUUID();
      try {
        if (!form.ok) throw form.failure;
        const returnAgency = text(form.values.returnAgency, 20);
        const { dossier } = await dossiers.create(
          request.actor,
          { procedureCode: code, agencyCode: text(form.values.agency, 20), ...(returnAgency ? { returnAgencyCode: returnAgency } : {}), formData: {}, requestId },
          meta(request),
        );
        return reply.redirect(`${myDossierPath(dossier.id)}?da=tao`, 303);
      } catch (err) {
        const e = shownError(reply, partyPage(request, reply, "portal"), err);
        if (!e) throw err;
        return showStart(request, reply, code, e.message, e.status);
      }
    });

    app.get(MY_DOSSIERS_PATH, { config: { access: APPLICANTS }, ...MineQuery }, async (request, reply) => {
      const page = partyPage(request, reply, "portal");
      const query = pageQuery(request);
      const result = await dossiers.mine(request.actor, pageNumber(query.trang), PAGE_SIZE);
      return sendPage(reply, <MyDossiersPage page={page} result={result} notice={doneNotice(page, query.da, DONE)} />);
    });

    app.get(`${MY_DOSSIERS_PATH}/:id`, { config: { access: APPLICANTS }, ...DossierQuery }, async (request, reply) =>
      showDossier(request, reply, request.params.id, { done: pageQuery(request).da }),
    );

    /** A refused form (a field sent twice): the dossier's page with what was typed, as the service would refuse it. */
    const refusedForm = (request: FastifyRequest, reply: FastifyReply, id: string, failure: DomainError, values?: Record<string, string>) => {
      const status = answerFor(reply, failure);
      return showDossier(request, reply, id, { ...(values ? { values } : {}), problems: failure.fields ?? [], error: failure.messages[partyPage(request, reply, "portal").lang] }, status);
    };

    app.post(`${MY_DOSSIERS_PATH}/:id`, { config: { access: APPLICANTS }, ...DraftPost }, async (request, reply) => {
      const form = postedForm(request);
      const id = request.params.id;
      const d = await dossiers.get(request.actor, id);
      const formData = postedFormData((await dossiers.boundProcedure(d)).form, form.values);
      if (!form.ok) return refusedForm(request, reply, id, form.failure, shownValues(formData));
      const filing = text(form.values.intent, 10) === "submit";
      // The check-your-answers page files the draft as saved: a post without the form's fields saves nothing.
      const carriesForm = Object.keys(form.values).some((k) => k.startsWith(FIELD_PREFIX));
      return change(
        request,
        reply,
        id,
        filing ? "nop" : "luu",
        async () => {
          if (carriesForm || !filing) await dossiers.saveDraft(request.actor, id, formData, meta(request));
          if (filing) await dossiers.submit(request.actor, id, meta(request));
        },
        carriesForm ? shownValues(formData) : undefined,
      );
    });

    /**
     * A multipart post of a dossier's page: every chosen file is stored (or refused, as a problem of its paper) once
     * the CSRF token is found valid, and the text fields are read. An expired form (no valid token) stores nothing
     * and, when it carried the form, shows what was typed again with a fresh token.
     */
    const readPapersAndForm = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
      const page = partyPage(request, reply, "portal");
      const d = await dossiers.get(request.actor, id);
      const content = await dossiers.boundProcedure(d);
      const refused: Shown[] = [];
      let stored = 0;
      const posted = await readFormWithFiles(request, { files: content.components.length + 1, fields: fieldNames(content.form).length + 8, fieldSize: 64 * 1024 }, async (file, before) => {
        const component = file.field.startsWith(FILE_PREFIX) ? file.field.slice(FILE_PREFIX.length) : text(before.component, 200);
        try {
          await dossiers.attach(request.actor, id, { component, source: file.source, declaredName: file.declaredName }, meta(request));
          stored++;
        } catch (err) {
          const e = shownError(reply, page, err, component);
          if (!e) throw err;
          refused.push(e);
        }
      });
      const fields = posted.fields;
      const carriesForm = fields.form === "1";
      const formData = postedFormData(content.form, fields);
      const typed = carriesForm ? shownValues(formData) : undefined;
      const expired = posted.csrfOk
        ? null
        : async () => {
            // An expired form: nothing is stored, what was typed is shown again with a fresh token to send it with.
            const refusal = new CsrfRejected();
            const message = tr(page, "Biểu mẫu đã hết hạn: những gì bạn đã nhập vẫn còn dưới đây, hãy bấm lại để gửi.", "The form expired: what you typed is still below; press the button again to send it.");
            if (!carriesForm) throw refusal;
            return showDossier(request, reply, id, { values: typed ?? {}, problems: [], error: message }, answerFor(reply, refusal));
          };
      /** The dossier's page with the refused files' problems and what was typed. */
      const showRefused = (extra: Shown[] = []) => {
        const all = [...refused, ...extra];
        const first = all[0]!;
        const problems = all.flatMap((e) => e.problems);
        return showDossier(request, reply, id, { ...(typed ? { values: typed } : {}), problems, error: first.code === "dossier.invalid" ? undefined : first.message }, first.status);
      };
      return { id, page, fields, carriesForm, formData, typed, stored, refused, expired, showRefused };
    };

    /**
     * The dossier's form with its papers (multipart, issue 15, item 2): every chosen file is stored and what was
     * typed is saved with the draft in the same post, then the page shows both; a refused file, a form whose
     * token expired or an upload without a file comes back with every typed value. A bare upload (`component` and
     * `file`) stores the file only. The kit checks the CSRF token before any file is read.
     */
    app.post(`${MY_DOSSIERS_PATH}/:id/tep`, { config: { access: APPLICANTS, upload: true }, ...Upload }, async (request, reply) => {
      const { id, page, fields, carriesForm, formData, stored, refused, expired, showRefused } = await readPapersAndForm(request, reply, request.params.id);
      if (expired) return expired();
      const intent = text(fields.intent, 10) || (carriesForm ? "upload" : "");
      const asked = text(fields.upload, 200) || text(fields.component, 200);
      try {
        if (carriesForm) await dossiers.saveDraft(request.actor, id, formData, meta(request));
        if (!stored && !refused.length && (intent === "upload" || !carriesForm)) throw noFile(asked);
      } catch (err) {
        const e = shownError(reply, page, err, asked);
        if (!e) throw err;
        refused.push(e);
      }
      if (refused.length) return showRefused();
      if (intent === "check") return reply.redirect(checkAnswersPath(id), 303);
      if (intent === "store") return reply.redirect(`${STORE_PATH}?ho-so=${id}`, 303);
      return reply.redirect(`${myDossierPath(id)}?da=${stored ? "tai-len" : "luu"}`, 303);
    });

    /** Kiểm tra lại thông tin: the draft as it will be filed; a draft that cannot be filed yet shows its problems. */
    app.get(`${MY_DOSSIERS_PATH}/:id/kiem-tra`, { config: { access: APPLICANTS }, ...pageSchema({ params: Dossier }) }, async (request, reply) => {
      const id = request.params.id;
      const d = await dossiers.get(request.actor, id);
      if (d.status !== "draft") return reply.redirect(myDossierPath(id), 303);
      const problems = await dossiers.filingProblems(request.actor, id);
      if (problems.length) return showDossier(request, reply, id, { problems }, 400);
      const page = partyPage(request, reply, "portal");
      const content = await dossiers.boundProcedure(d);
      const { agencyName, returnName } = await deskNames(directory, d);
      return sendPage(
        reply,
        <CheckAnswersPage
          page={page}
          csrf={csrfToken(request, reply)}
          d={d}
          content={content}
          agencyName={agencyName}
          returnName={returnName}
        />,
      );
    });

    /**
     * The answer to a supplement request: one form with the papers asked for and the e-form (multipart, issue 15,
     * item 2). "Tải lên" stores the chosen files and shows the page again with what was typed; "Gửi bổ sung" stores
     * them and sends the answer with the form, in the same post.
     */
    app.post(`${MY_DOSSIERS_PATH}/:id/bo-sung`, { config: { access: APPLICANTS, upload: true }, ...Upload }, async (request, reply) => {
      const { id, page, fields, formData, typed, stored, expired, showRefused, refused } = await readPapersAndForm(request, reply, request.params.id);
      if (expired) return expired();
      if (refused.length) return showRefused();
      if (text(fields.intent, 10) !== "send") {
        const asked = text(fields.upload, 200);
        if (!stored) return showRefused([shownError(reply, page, noFile(asked), asked)!]);
        return showDossier(request, reply, id, { ...(typed ? { values: typed } : {}), done: "tai-len" });
      }
      return change(request, reply, id, "bo-sung", () => dossiers.act(request.actor, id, "supplement", { formData }, meta(request)), typed);
    });

    app.post(`${MY_DOSSIERS_PATH}/:id/rut`, { config: { access: APPLICANTS }, ...WithdrawForm }, async (request, reply) => {
      const form = postedForm(request);
      const id = request.params.id;
      if (!form.ok) return refusedForm(request, reply, id, form.failure);
      const page = partyPage(request, reply, "portal");
      if (text(form.values["xac-nhan"]) !== "1") {
        const message = tr(page, "Hãy đánh dấu xác nhận để rút hồ sơ.", "Tick the confirmation to withdraw the dossier.");
        return showDossier(request, reply, id, { problems: [{ path: "/confirm", message }], error: message }, 400);
      }
      return change(request, reply, id, "rut", () => dossiers.act(request.actor, id, "withdraw", {}, meta(request)));
    });

    app.post(`${MY_DOSSIERS_PATH}/:id/danh-gia`, { config: { access: APPLICANTS }, ...RatingForm }, async (request, reply) => {
      const form = postedForm(request);
      const id = request.params.id;
      if (!form.ok) return refusedForm(request, reply, id, form.failure);
      const level = text(form.values.level, 20);
      if (!(RATING_LEVELS as readonly string[]).includes(level)) {
        const page = partyPage(request, reply, "portal");
        const message = tr(page, "Hãy chọn một mức đánh giá.", "Choose a level.");
        return showDossier(request, reply, id, { problems: [{ path: "/level", message }], error: message }, 400);
      }
      const comment = text(form.values.comment, 2000);
      return change(request, reply, id, "danh-gia", () => dossiers.rate(request.actor, id, { level, ...(comment ? { comment } : {}) }, meta(request)));
    });

    app.get(LOOKUP_PATH, { config: { access: PUBLIC }, ...LookupQuery }, async (request, reply) => {
      const page = partyPage(request, reply, "portal");
      const q = pageQuery(request);
      const code = text(q.ma, 40);
      const key = text(q.khoa, 16);
      const show = (props: { result?: Awaited<ReturnType<DossierService["lookup"]>>; download?: ResultDownload; error?: string }, status = 200) =>
        sendPage(reply, <LookupPage page={page} code={code} keyValue={key} {...props} />, status);
      if (!code && !key) return show({});
      if (!code || !key) return show({ error: tr(page, "Cần nhập cả mã hồ sơ và mã tra cứu.", "Enter both the dossier code and the lookup key.") }, 400);
      try {
        const { result, dossierId } = await dossiers.lookupWithId(code, key, meta(request));
        if (!result.electronicResult) return show({ result });
        // An electronic result is downloaded on the dossier's own page, by its applicant: signed out, through the
        // sign-in, which comes back there (issue 15, item 4).
        const own = myDossierPath(dossierId);
        const viewer = request.server.viewer?.(request, reply, "portal", own);
        return show({ result, download: viewer && "signIn" in viewer ? { href: viewer.signIn, signIn: true } : { href: own, signIn: false } });
      } catch (err) {
        // An unknown code and a wrong key are the same message (the service's 404).
        if (err instanceof DossierNotFound) return show({ error: tr(page, "Không tìm thấy hồ sơ có mã và mã tra cứu này. Hãy kiểm tra lại cả hai.", "No dossier has this code and lookup key. Check both and try again.") }, 404);
        // 429 with when to come back (Retry-After), as the API says it.
        if (err instanceof LookupThrottled) return show({ error: err.messages[page.lang] }, answerFor(reply, err));
        throw err;
      }
    });
  };
}
