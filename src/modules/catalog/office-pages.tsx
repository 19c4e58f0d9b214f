// The office's catalogue pages (issue 4, item 6): agency administrators write, check and publish
// procedures through forms that work without JavaScript (CSRF token, Post/Redirect/Get with a notice).
// The rules are the catalogue service's; these pages only present them.
import { Type } from "../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { hasRole } from "../../platform/auth/actor.ts";
import { ADMINS, REVIEWERS } from "../../platform/http/access.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { pageRequest, sendPage } from "../../web/render.ts";
import { sendNotFoundPage } from "../../web/routes.tsx";
import { csrfToken } from "../../web/cookies.ts";
import { doneNotice, FormText, pageQuery, pageSchema, postedForm } from "../../web/forms.ts";
import { answerFor, registerPageErrors, shownError } from "../../web/page-errors.tsx";
import { blankValues, contentOf, DraftForm, type DraftFormValues, postedValues, valuesOf } from "./draft-form.ts";
import { PROCEDURE_CODE_PATTERN } from "./model.ts";
import {
  ADMIN_CATALOG_PATH,
  adminProcedurePath,
  CatalogListPage,
  DiffPage,
  NEW_PROCEDURE_PATH,
  type ProcedureAdminProps,
  ProcedureAdminPage,
  NewProcedurePage,
} from "./office-views.tsx";
import { canEditProcedure } from "./policy.ts";
import type { CatalogService } from "./service.ts";

const CODE = new RegExp(PROCEDURE_CODE_PATTERN);

/** What was done, by the `?da=` key of the address a change redirects to. */
const DONE: Readonly<Record<string, readonly [string, string]>> = {
  "tao-moi": ["Đã tạo thủ tục (bản dự thảo phiên bản 1).", "The procedure was created (draft version 1)."],
  luu: ["Đã lưu bản dự thảo.", "The draft was saved."],
  "cong-bo": ["Đã công bố: phiên bản này có hiệu lực và không thay đổi được nữa.", "Published: this version is in force and can no longer change."],
};

const positive = (v: string | undefined) => {
  const n = Number(v ?? "");
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : null;
};

const Procedure = Type.Object({ code: Type.String() });
const ListQuery = pageSchema({ querystring: Type.Object({ q: FormText(), page: FormText(), da: FormText() }) });
const ProcedureQuery = pageSchema({ params: Procedure, querystring: Type.Object({ da: FormText() }) });
const ProcedurePage = pageSchema({ params: Procedure });
const NewDraft = pageSchema({ body: DraftForm });
const Draft = pageSchema({ params: Procedure, body: DraftForm });
const Publish = pageSchema({ params: Procedure });
const DiffQuery = pageSchema({ params: Procedure, querystring: Type.Object({ from: FormText(), to: FormText() }) });

export function catalogOfficePages(catalog: CatalogService) {
  return async (app: App) => {
    // Office pages: a signed-out visitor signs in at the office (its link, as the viewer source gives it).
    registerPageErrors(app, { signInReturn: ADMIN_CATALOG_PATH, signIn: "office", back: { href: "/office", vi: "Bàn làm việc", en: "Workspace" } });

    /** A procedure's page: its versions, the check's outcome, and the form (the user's text when given). */
    const showProcedure = async (
      request: FastifyRequest,
      reply: FastifyReply,
      code: string,
      extra: Partial<Pick<ProcedureAdminProps, "notice" | "problems" | "error" | "check">> & { values?: DraftFormValues } = {},
      status = 200,
    ) => {
      const versions = await catalog.versions(request.actor, code);
      const draft = await catalog.draft(request.actor, code);
      const latest = draft ?? (await catalog.version(request.actor, code, Math.max(...versions.map((v) => v.version))));
      return sendPage(
        reply,
        <ProcedureAdminPage
          page={pageRequest(request)}
          csrf={csrfToken(request, reply)}
          code={code}
          name={latest.name}
          versions={versions}
          draftVersion={draft?.version ?? null}
          editable={canEditProcedure(request.actor, latest.agencies)}
          values={extra.values ?? valuesOf(latest)}
          notice={extra.notice}
          problems={extra.problems}
          error={extra.error}
          check={extra.check}
        />,
        status,
      );
    };

    /** An unknown or malformed code gets the 404 page before any service call. */
    const known = (request: FastifyRequest & { params: { code: string } }, reply: FastifyReply) => {
      const code = request.params.code;
      return CODE.test(code) ? code : (sendNotFoundPage(request, reply), null);
    };

    app.get(ADMIN_CATALOG_PATH, { config: { access: REVIEWERS }, ...ListQuery }, async (request, reply) => {
      const query = pageQuery(request);
      const q = (query.q ?? "").slice(0, 200);
      const result = await catalog.listForAdmin(request.actor, { q, page: positive(query.page) ?? 1 });
      const canCreate = hasRole(request.actor, "agency_admin") || hasRole(request.actor, "system_admin");
      const page = pageRequest(request);
      return sendPage(reply, <CatalogListPage page={page} q={q} result={result} canCreate={canCreate} notice={doneNotice(page, query.da, DONE)} />);
    });

    app.get(NEW_PROCEDURE_PATH, { config: { access: ADMINS }, ...pageSchema({}) }, async (request, reply) => {
      const agency = request.actor.type === "user" ? request.actor.agencyCode : null;
      return sendPage(reply, <NewProcedurePage page={pageRequest(request)} csrf={csrfToken(request, reply)} values={blankValues(agency)} />);
    });

    app.post(ADMIN_CATALOG_PATH, { config: { access: ADMINS }, ...NewDraft }, async (request, reply) => {
      const form = postedForm(request);
      const values = postedValues(form.values);
      const again = (problems: FieldProblem[], error: string | undefined, status: number) =>
        sendPage(reply, <NewProcedurePage page={pageRequest(request)} csrf={csrfToken(request, reply)} values={values} problems={problems} error={error} />, status);
      if (!form.ok) return again(form.problems, form.failure.messages[pageRequest(request).lang], answerFor(reply, form.failure));
      const parsed = contentOf(values);
      if (!parsed.content) return again(parsed.problems, undefined, 400);
      try {
        const { procedure } = await catalog.create(request.actor, parsed.content, { requestId: request.id });
        return reply.redirect(`${adminProcedurePath(procedure.code)}?da=tao-moi`, 303);
      } catch (err) {
        // A refusal the form can explain comes back on it; the rest is the error page.
        const e = shownError(reply, pageRequest(request), err);
        if (!e) throw err;
        // A code already taken (409) is the code field's problem.
        const fields = e.problems.length || e.status !== 409 ? e.problems : [{ path: "/code", message: e.message }];
        return again(fields, e.message, e.status);
      }
    });

    app.get(`${ADMIN_CATALOG_PATH}/:code`, { config: { access: REVIEWERS }, ...ProcedureQuery }, async (request, reply) => {
      const code = known(request, reply);
      return code ? showProcedure(request, reply, code, { notice: doneNotice(pageRequest(request), pageQuery(request).da, DONE) }) : reply;
    });

    app.post(`${ADMIN_CATALOG_PATH}/:code`, { config: { access: ADMINS }, ...Draft }, async (request, reply) => {
      const form = postedForm(request);
      const values = { ...postedValues(form.values) };
      const code = known(request, reply);
      if (!code) return reply;
      values.code = code;
      if (!form.ok) return showProcedure(request, reply, code, { values, problems: form.problems, error: form.failure.messages[pageRequest(request).lang] }, answerFor(reply, form.failure));
      const parsed = contentOf(values);
      if (!parsed.content) return showProcedure(request, reply, code, { values, problems: parsed.problems }, 400);
      try {
        await catalog.saveDraft(request.actor, code, parsed.content, { requestId: request.id });
      } catch (err) {
        const e = shownError(reply, pageRequest(request), err);
        if (!e) throw err;
        return showProcedure(request, reply, code, { values, problems: e.problems, error: e.message }, e.status);
      }
      return reply.redirect(`${adminProcedurePath(code)}?da=luu#check`, 303);
    });

    app.get(`${ADMIN_CATALOG_PATH}/:code/kiem-tra`, { config: { access: REVIEWERS }, ...ProcedurePage }, async (request, reply) => {
      const code = known(request, reply);
      if (!code) return reply;
      const report = await catalog.validateDraft(request.actor, code);
      return showProcedure(request, reply, code, { check: { valid: report.valid, problems: report.problems, refused: false } });
    });

    // The kit checks the form's CSRF token; publishing reads nothing else of it.
    app.post(`${ADMIN_CATALOG_PATH}/:code/cong-bo`, { config: { access: ADMINS }, ...Publish }, async (request, reply) => {
      const code = known(request, reply);
      if (!code) return reply;
      try {
        await catalog.publish(request.actor, code, { requestId: request.id });
      } catch (err) {
        const e = shownError(reply, pageRequest(request), err);
        if (!e) throw err;
        if (e.code === "catalog.not_publishable") return showProcedure(request, reply, code, { check: { valid: false, problems: e.problems, refused: true } }, e.status);
        return showProcedure(request, reply, code, { error: e.message }, e.status);
      }
      return reply.redirect(`${adminProcedurePath(code)}?da=cong-bo`, 303);
    });

    app.get(`${ADMIN_CATALOG_PATH}/:code/so-sanh`, { config: { access: REVIEWERS }, ...DiffQuery }, async (request, reply) => {
      const code = known(request, reply);
      if (!code) return reply;
      const versions = await catalog.versions(request.actor, code);
      const query = pageQuery(request);
      const to = positive(query.to) ?? Math.max(...versions.map((v) => v.version));
      const from = positive(query.from) ?? Math.max(1, to - 1);
      const diff = await catalog.diff(request.actor, code, from, to);
      const named = await catalog.version(request.actor, code, to);
      return sendPage(reply, <DiffPage page={pageRequest(request)} code={code} name={named.name} versions={versions} diff={diff} />);
    });
  };
}
