// The office's catalogue pages (issue 4, item 6): agency administrators write, check and publish
// procedures through forms that work without JavaScript (CSRF token, Post/Redirect/Get with a notice).
// The rules are the catalogue service's; these pages only present them.
import formbody from "@fastify/formbody";
import type { FastifyReply, FastifyRequest } from "fastify";
import { hasRole } from "../../platform/auth/actor.ts";
import { ADMINS, REVIEWERS } from "../../platform/http/access.ts";
import { DomainError, type FieldProblem } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { pageRequest, sendPage } from "../../web/render.ts";
import { sendNotFoundPage } from "../../web/routes.tsx";
import { CsrfRejected } from "../identity/errors.ts";
import { registerPageErrors } from "../identity/page-errors.tsx";
import { PARTIES } from "../identity/index.ts";
import { csrfToken, csrfValid } from "../../web/cookies.ts";
import { blankValues, contentOf, type DraftFormValues, postedValues, valuesOf } from "./draft-form.ts";
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
import { tr } from "../../web/i18n.ts";

const HIDDEN = { schema: { hide: true } } as const;
type Form = Record<string, string | string[] | undefined>;
const CODE = new RegExp(PROCEDURE_CODE_PATTERN);
const STATUS: Record<string, number> = { invalid: 400, conflict: 409, not_found: 404 };

/** What was done, by the `?da=` key of the address a change redirects to. */
const DONE: Record<string, [string, string]> = {
  "tao-moi": ["Đã tạo thủ tục (bản dự thảo phiên bản 1).", "The procedure was created (draft version 1)."],
  luu: ["Đã lưu bản dự thảo.", "The draft was saved."],
  "cong-bo": ["Đã công bố: phiên bản này có hiệu lực và không thay đổi được nữa.", "Published: this version is in force and can no longer change."],
};

const text = (v: unknown) => (typeof v === "string" ? v : "");
const positive = (v: unknown) => {
  const n = Number(text(v));
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : null;
};

export function catalogOfficePages(catalog: CatalogService) {
  return async (app: App) => {
    await app.register(formbody);
    // Office pages: the office signs people in as a relying party (web/relying-party).
    registerPageErrors(app, { signInReturn: ADMIN_CATALOG_PATH, signInPath: PARTIES.office.signIn, back: { href: "/office", vi: "Bàn làm việc", en: "Workspace" } });

    const formOf = (request: FastifyRequest): Form => {
      const form = (request.body ?? {}) as Form;
      if (!csrfValid(request, form._csrf)) throw new CsrfRejected();
      return form;
    };
    const codeOf = (request: FastifyRequest) => (request.params as { code: string }).code;
    const notice = (request: FastifyRequest) => {
      const done = DONE[text((request.query as Form).da)];
      return done ? tr(pageRequest(request), done[0], done[1]) : undefined;
    };

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
    const known = (request: FastifyRequest, reply: FastifyReply) => {
      const code = codeOf(request);
      return CODE.test(code) ? code : (sendNotFoundPage(request, reply), null);
    };

    /** A domain error a form can show (invalid, conflict) comes back on the form; the rest is the error page. */
    const shown = (err: unknown): DomainError | null =>
      err instanceof DomainError && (err.kind === "invalid" || err.kind === "conflict") ? err : null;

    app.get(ADMIN_CATALOG_PATH, { config: { access: REVIEWERS }, ...HIDDEN }, async (request, reply) => {
      const query = request.query as Form;
      const q = text(query.q).slice(0, 200);
      const result = await catalog.listForAdmin(request.actor, { q, page: positive(query.page) ?? 1 });
      const canCreate = hasRole(request.actor, "agency_admin") || hasRole(request.actor, "system_admin");
      return sendPage(reply, <CatalogListPage page={pageRequest(request)} q={q} result={result} canCreate={canCreate} notice={notice(request)} />);
    });

    app.get(NEW_PROCEDURE_PATH, { config: { access: ADMINS }, ...HIDDEN }, async (request, reply) => {
      const agency = request.actor.type === "user" ? request.actor.agencyCode : null;
      return sendPage(reply, <NewProcedurePage page={pageRequest(request)} csrf={csrfToken(request, reply)} values={blankValues(agency)} />);
    });

    app.post(ADMIN_CATALOG_PATH, { config: { access: ADMINS }, ...HIDDEN }, async (request, reply) => {
      const values = postedValues(formOf(request));
      const again = (problems: FieldProblem[], error: string | undefined, status: number) =>
        sendPage(reply, <NewProcedurePage page={pageRequest(request)} csrf={csrfToken(request, reply)} values={values} problems={problems} error={error} />, status);
      const parsed = contentOf(values);
      if (!parsed.content) return again(parsed.problems, undefined, 400);
      try {
        const { procedure } = await catalog.create(request.actor, parsed.content, { requestId: request.id });
        return reply.redirect(`${adminProcedurePath(procedure.code)}?da=tao-moi`, 303);
      } catch (err) {
        const e = shown(err);
        if (!e) throw err;
        const fields = e.fields ?? (e.kind === "conflict" ? [{ path: "/code", message: e.messages[pageRequest(request).lang] }] : []);
        return again(fields, e.messages[pageRequest(request).lang], STATUS[e.kind] ?? 400);
      }
    });

    app.get(`${ADMIN_CATALOG_PATH}/:code`, { config: { access: REVIEWERS }, ...HIDDEN }, async (request, reply) => {
      const code = known(request, reply);
      return code ? showProcedure(request, reply, code, { notice: notice(request) }) : reply;
    });

    app.post(`${ADMIN_CATALOG_PATH}/:code`, { config: { access: ADMINS }, ...HIDDEN }, async (request, reply) => {
      const values = { ...postedValues(formOf(request)) };
      const code = known(request, reply);
      if (!code) return reply;
      values.code = code;
      const parsed = contentOf(values);
      if (!parsed.content) return showProcedure(request, reply, code, { values, problems: parsed.problems }, 400);
      try {
        await catalog.saveDraft(request.actor, code, parsed.content, { requestId: request.id });
      } catch (err) {
        const e = shown(err);
        if (!e) throw err;
        return showProcedure(request, reply, code, { values, problems: e.fields ?? [], error: e.messages[pageRequest(request).lang] }, STATUS[e.kind] ?? 400);
      }
      return reply.redirect(`${adminProcedurePath(code)}?da=luu#check`, 303);
    });

    app.get(`${ADMIN_CATALOG_PATH}/:code/kiem-tra`, { config: { access: REVIEWERS }, ...HIDDEN }, async (request, reply) => {
      const code = known(request, reply);
      if (!code) return reply;
      const report = await catalog.validateDraft(request.actor, code);
      return showProcedure(request, reply, code, { check: { valid: report.valid, problems: report.problems, refused: false } });
    });

    app.post(`${ADMIN_CATALOG_PATH}/:code/cong-bo`, { config: { access: ADMINS }, ...HIDDEN }, async (request, reply) => {
      formOf(request);
      const code = known(request, reply);
      if (!code) return reply;
      try {
        await catalog.publish(request.actor, code, { requestId: request.id });
      } catch (err) {
        const e = shown(err);
        if (!e) throw err;
        if (e.code === "catalog.not_publishable") {
          return showProcedure(request, reply, code, { check: { valid: false, problems: e.fields ?? [], refused: true } }, 400);
        }
        return showProcedure(request, reply, code, { error: e.messages[pageRequest(request).lang] }, STATUS[e.kind] ?? 400);
      }
      return reply.redirect(`${adminProcedurePath(code)}?da=cong-bo`, 303);
    });

    app.get(`${ADMIN_CATALOG_PATH}/:code/so-sanh`, { config: { access: REVIEWERS }, ...HIDDEN }, async (request, reply) => {
      const code = known(request, reply);
      if (!code) return reply;
      const versions = await catalog.versions(request.actor, code);
      const query = request.query as Form;
      const to = positive(query.to) ?? Math.max(...versions.map((v) => v.version));
      const from = positive(query.from) ?? Math.max(1, to - 1);
      const diff = await catalog.diff(request.actor, code, from, to);
      const named = await catalog.version(request.actor, code, to);
      return sendPage(reply, <DiffPage page={pageRequest(request)} code={code} name={named.name} versions={versions} diff={diff} />);
    });
  };
}
