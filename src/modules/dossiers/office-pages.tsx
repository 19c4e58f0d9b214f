// The office's dossier pages (issue 5, item 12): the work queues of the officer's agencies, a dossier
// with one form per action the officer's role allows now, the result's upload, and counter intake.
// Plain forms (CSRF, Post/Redirect/Get with `?da=`); who may do what is the dossier service's policy.
import { randomUUID } from "node:crypto";
import multipart from "@fastify/multipart";
import { Type, Value } from "../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { OFFICERS, RECEIVERS } from "../../platform/http/access.ts";
import type { DomainError, FieldProblem } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { type PageRequest, sendPage } from "../../web/render.ts";
import { partyPage } from "../../web/routes.tsx";
import { agencyNames } from "../catalog/index.ts";
import { csrfToken } from "../../web/cookies.ts";
import { doneNotice, FormText, pageQuery, pageSchema, postedForm, readUpload, text, vietnamTime } from "../../web/forms.ts";
import { tr } from "../../web/i18n.ts";
import { answerFor, registerPageErrors, shownError } from "../../web/page-errors.tsx";
import { pageNumber } from "../../web/pager.tsx";
import { receivingAgencies } from "../workflow/index.ts";
import { mayReceiveAt } from "./desks.ts";
import { SUPPLEMENT_ROWS } from "./action-forms.tsx";
import { postedFormData, shownValues } from "./form-view.tsx";
import { ACTIONS, type DossierAction, type Queue, QUEUES } from "./model.ts";
import { INTAKE_PATH, IntakePage, type IntakeValues, officeDossierPath, OfficerDossierPage, QUEUE_PATH, QueuePage, transferredHere } from "./office-views.tsx";
import { deskNames, DossierForm, noFile, privatePages, UploadFields, UUID } from "./page-support.ts";
import type { DossierPageDeps } from "./portal-pages.tsx";
import { type ActionInput, ApplicantInput } from "./schema.ts";
import { unitNames } from "./service.forms.ts";
import { dossierPlan } from "./service.support.ts";
import type { Assignee } from "./service.ts";
import { ACTION_WORDS } from "./words.ts";

const PAGE_SIZE = 20;
const DONE: Record<string, readonly [string, string]> = {
  ...Object.fromEntries(Object.entries(ACTION_WORDS).map(([a, [vi, en]]) => [a, [`Đã thực hiện: ${vi}.`, `Done: ${en}.`] as const])),
  tao: ["Đã tạo hồ sơ tại quầy: đính kèm bản quét giấy tờ rồi nộp và tiếp nhận.", "The counter dossier was created: attach the scanned papers, then file and receive it."],
  luu: ["Đã lưu bản nháp.", "The draft was saved."],
  "tai-len": ["Đã tải lên tệp đính kèm.", "The file was uploaded."],
  "tiep-nhan": ["Đã tiếp nhận hồ sơ: mã hồ sơ và ngày hẹn trả kết quả ghi dưới đây.", "The dossier was received: its code and return date are below."],
};
const APPLICANT_WORDS: Record<string, readonly [string, string]> = {
  name: ["Cần nhập họ và tên (hoặc tên tổ chức) người nộp.", "Enter the applicant's name."],
  idNumber: ["Số CCCD (12 chữ số) hoặc mã số thuế (10 hoặc 13 chữ số) không hợp lệ.", "Not a valid personal ID (12 digits) or tax code (10 or 13 digits)."],
  phone: ["Số điện thoại không hợp lệ (ví dụ 0912345678).", "Not a valid phone number (e.g. 0912345678)."],
  email: ["Địa chỉ thư điện tử không hợp lệ.", "Not a valid email address."],
  address: ["Địa chỉ quá dài.", "The address is too long."],
  type: ["Chọn loại người nộp.", "Choose the kind of applicant."],
};

/** The input an action reads, from its form's fields (the service says what is missing). */
function actionInput(form: Readonly<Record<string, string | undefined>>): ActionInput {
  const input: ActionInput = {};
  const note = text(form.note);
  const reason = text(form.reason);
  if (note) input.note = note;
  if (reason) input.reason = reason;
  const items = Array.from({ length: SUPPLEMENT_ROWS }, (_, i) => ({ component: text(form[`items.${i}.component`], 40), reason: text(form[`items.${i}.reason`], 1000) }))
    .filter((it) => it.reason)
    .map((it) => (it.component ? it : { reason: it.reason }));
  if (items.length) input.items = items;
  const department = text(form.department, 64);
  if (department) input.department = department;
  const assignee = text(form.assigneeUserId, 36);
  if (assignee) input.assigneeUserId = assignee;
  const due = vietnamTime(text(form.newDueAt, 20));
  if (due) input.newDueAt = due;
  const method = text(form.method, 10);
  if (method === "counter" || method === "post" || method === "online") input.method = method;
  return input;
}

const Dossier = Type.Object({ id: Type.String() });
const QueueQuery = pageSchema({ querystring: Type.Object({ "hang-doi": FormText(), trang: FormText() }) });
const DossierQuery = pageSchema({ params: Dossier, querystring: Type.Object({ da: FormText() }) });
const ActionPost = pageSchema({ params: Type.Object({ id: Type.String(), action: Type.String() }), body: DossierForm });
const DraftPost = pageSchema({ params: Dossier, body: DossierForm });
const Upload = pageSchema({ params: Dossier });
const IntakeQuery = pageSchema({ querystring: Type.Object({ "thu-tuc": FormText(), q: FormText() }) });
const IntakePost = pageSchema({ body: DossierForm });

export function dossierOfficePages(deps: DossierPageDeps) {
  const { dossiers, catalog, directory } = deps;
  return async (app: App) => {
    await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes + 1, files: 1, fields: 6, fieldSize: 1024 } });
    registerPageErrors(app, { signInReturn: QUEUE_PATH, signIn: "office", back: { href: QUEUE_PATH, vi: "Hồ sơ cần xử lý", en: "Work queue" } });
    privatePages(app);
    const meta = (request: FastifyRequest) => ({ requestId: request.id, ip: request.ip });
    const office = (request: FastifyRequest, reply: FastifyReply) => partyPage(request, reply, "office");

    const showDossier = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      extra: { values?: Record<string, string>; problems?: FieldProblem[]; failed?: { action: string; problems: FieldProblem[] }; error?: string | undefined; done?: string | undefined } = {},
      status = 200,
    ) => {
      const page = office(request, reply);
      const d = await dossiers.get(request.actor, id);
      const content = await dossiers.boundProcedure(d);
      const [departments, assignees] = await Promise.all([
        directory.agency(d.processingAgencyCode).then((a) => a.departments.map((x) => ({ code: x.code, name: x.name })), () => []),
        d.allowedActions.includes("assign") ? dossiers.assignees(request.actor, d.id) : Promise.resolve([]),
      ]);
      const { agencyName, returnName, names } = await deskNames(directory, d, assignees.map((o) => o.agencyCode));
      // Where its actions send it and where it has been, by the names the control sheet gives them.
      const plan = dossierPlan(content, d);
      const units = await unitNames(directory, [...plan.map((s) => s.agencyCode), ...d.steps.map((s) => s.agencyCode)]);
      // Where each colleague works: a department of the processing agency, or a unit under it by its name.
      const unitOf = (o: Assignee) =>
        o.agencyCode === d.processingAgencyCode ? (departments.find((x) => x.code === o.departmentCode)?.name ?? null) : (names.get(o.agencyCode) ?? o.agencyCode);
      return sendPage(
        reply,
        <OfficerDossierPage
          page={page}
          csrf={csrfToken(request, reply)}
          d={d}
          content={content}
          agencyName={agencyName}
          returnName={returnName}
          departments={departments}
          assignees={assignees.map((o) => ({ id: o.id, fullName: o.fullName, unit: unitOf(o) }))}
          me={request.actor.type === "user" ? request.actor.userId : null}
          values={extra.values ?? shownValues(d.formData)}
          problems={extra.problems ?? []}
          failed={extra.failed}
          error={extra.error}
          notice={status === 200 ? doneNotice(page, extra.done, DONE) : undefined}
          plan={plan}
          units={units}
        />,
        status,
      );
    };

    /** Runs a change; a refusal comes back on the dossier as it is now (another officer may have acted first). */
    const change = async (request: FastifyRequest, reply: FastifyReply, id: string, done: string, work: () => Promise<unknown>, opts: { action?: string; values?: Record<string, string>; paper?: string } = {}) => {
      try {
        await work();
      } catch (err) {
        const page = office(request, reply);
        const e = shownError(reply, page, err, opts.paper);
        if (!e) throw err;
        const error =
          e.code === "dossier.invalid_transition"
            ? tr(page, "Thao tác không thực hiện được: hồ sơ vừa được người khác xử lý hoặc đã chuyển trạng thái. Dưới đây là hồ sơ như hiện tại.", "The action could not be taken: someone else acted on the dossier or its state has moved on. Here it is as it is now.")
            : e.code === "dossier.invalid"
              ? undefined
              : e.message;
        return showDossier(request, reply, id, { ...(opts.values ? { values: opts.values } : {}), problems: e.problems, ...(opts.action && e.code !== "dossier.invalid_transition" ? { failed: { action: opts.action, problems: e.problems.length ? e.problems : [{ path: "/", message: e.message }] } } : {}), error }, e.status);
      }
      return reply.redirect(`${officeDossierPath(id)}?da=${done}`, 303);
    };

    /** A refused form (a field sent twice): the dossier's page as it is, with the problems. */
    const refusedForm = (request: FastifyRequest, reply: FastifyReply, id: string, failure: DomainError, values?: Record<string, string>) => {
      const status = answerFor(reply, failure);
      return showDossier(request, reply, id, { ...(values ? { values } : {}), problems: failure.fields ?? [], error: failure.messages[office(request, reply).lang] }, status);
    };

    app.get(QUEUE_PATH, { config: { access: OFFICERS }, ...QueueQuery }, async (request, reply) => {
      const q = pageQuery(request);
      const given = text(q["hang-doi"], 20);
      const actor = request.actor;
      const fallback: Queue = actor.type === "user" && actor.roles.some((g) => g.role === "receiver") ? "new" : "processing";
      const queue = (QUEUES as readonly string[]).includes(given) ? (given as Queue) : fallback;
      const result = await dossiers.queue(actor, { queue, page: pageNumber(q.trang), pageSize: PAGE_SIZE });
      // A dossier received at another desk and handed over to this agency is marked with where it came from.
      const origins = await agencyNames(directory, [...new Set(result.items.filter(transferredHere).map((d) => d.agencyCode))]);
      return sendPage(reply, <QueuePage page={office(request, reply)} queue={queue} result={result} origins={origins} />);
    });

    app.get(`${QUEUE_PATH}/:id`, { config: { access: OFFICERS }, ...DossierQuery }, async (request, reply) =>
      showDossier(request, reply, request.params.id, { done: pageQuery(request).da }),
    );

    app.post(`${QUEUE_PATH}/:id/thao-tac/:action`, { config: { access: OFFICERS }, ...ActionPost }, async (request, reply) => {
      const form = postedForm(request);
      const { id, action } = request.params;
      if (!(ACTIONS as readonly string[]).includes(action) || action === "submit") return reply.callNotFound();
      if (!form.ok) return refusedForm(request, reply, id, form.failure);
      return change(request, reply, id, action, () => dossiers.act(request.actor, id, action as DossierAction, actionInput(form.values), meta(request)), { action });
    });

    // A multipart upload: the kit's readUpload checks its CSRF token before the file.
    app.post(`${QUEUE_PATH}/:id/ket-qua`, { config: { access: OFFICERS, upload: true }, ...Upload }, async (request, reply) => {
      const up = await readUpload(request, UploadFields);
      const file = up.file;
      const id = request.params.id;
      return change(
        request,
        reply,
        id,
        "finish",
        async () => {
          let resultFileId: string | undefined;
          try {
            if (file) resultFileId = (await dossiers.attach(request.actor, id, { component: "result", source: file.source, declaredName: file.declaredName }, meta(request))).id;
          } finally {
            up.discard();
          }
          await dossiers.act(request.actor, id, "finish", resultFileId ? { resultFileId } : {}, meta(request));
        },
        { action: "finish" },
      );
    });

    // A counter draft: the desk completes the form and papers, then files and receives it in one go.
    app.post(`${QUEUE_PATH}/:id`, { config: { access: RECEIVERS }, ...DraftPost }, async (request, reply) => {
      const form = postedForm(request);
      const id = request.params.id;
      const d = await dossiers.get(request.actor, id);
      const formData = postedFormData((await dossiers.boundProcedure(d)).form, form.values);
      if (!form.ok) return refusedForm(request, reply, id, form.failure, shownValues(formData));
      const receiving = text(form.values.intent, 10) === "receive";
      return change(
        request,
        reply,
        id,
        receiving ? "tiep-nhan" : "luu",
        async () => {
          await dossiers.saveDraft(request.actor, id, formData, meta(request));
          if (!receiving) return;
          await dossiers.submit(request.actor, id, meta(request));
          await dossiers.act(request.actor, id, "receive", {}, meta(request));
        },
        { values: shownValues(formData) },
      );
    });

    app.post(`${QUEUE_PATH}/:id/tep`, { config: { access: RECEIVERS, upload: true }, ...Upload }, async (request, reply) => {
      const up = await readUpload(request, UploadFields);
      const file = up.file;
      const id = request.params.id;
      const component = up.fields.component ?? "";
      return change(
        request,
        reply,
        id,
        "tai-len",
        async () => {
          if (!file) throw noFile(component);
          try {
            // The desk marks each paper it scanned from the original as digitised (kho dữ liệu, issue 14 item 8).
            const digitised = up.fields.digitised === "true";
            await dossiers.attach(request.actor, id, { component, source: file.source, declaredName: file.declaredName, digitised }, meta(request));
          } finally {
            up.discard();
          }
        },
        { paper: component },
      );
    });

    const showIntake = async (request: FastifyRequest, reply: FastifyReply, page: PageRequest, opts: { code: string; q: string; values?: IntakeValues; problems?: FieldProblem[]; error?: string }, status = 200) => {
      const results = opts.q ? (await catalog.search({ q: opts.q, page: 1, pageSize: 10 })).items : undefined;
      const procedure = opts.code ? await catalog.published(opts.code) : undefined;
      const own = request.actor.type === "user" ? request.actor.agencyCode : null;
      const codes = procedure ? receivingAgencies(procedure) : [];
      // A desk of the province receives any procedure of it at its counter (DOMAIN.md §3): the officer's own first.
      if (procedure && own && !codes.includes(own) && (await mayReceiveAt(directory, procedure, own, false))) codes.unshift(own);
      const names = await agencyNames(directory, codes);
      const values: IntakeValues = opts.values ?? {
        procedure: opts.code,
        agency: own && codes.includes(own) ? own : (codes[0] ?? ""),
        requestId: randomUUID(),
        applicant: { type: "citizen", name: "", idNumber: "", phone: "", email: "", address: "" },
        form: {},
      };
      return sendPage(
        reply,
        <IntakePage
          page={page}
          csrf={csrfToken(request, reply)}
          q={opts.q}
          results={results}
          procedure={procedure}
          agencies={codes.map((c) => ({ code: c, name: names.get(c) ?? c }))}
          values={values}
          problems={opts.problems ?? []}
          error={opts.error}
        />,
        status,
      );
    };

    app.get(INTAKE_PATH, { config: { access: RECEIVERS }, ...IntakeQuery }, async (request, reply) => {
      const q = pageQuery(request);
      return showIntake(request, reply, office(request, reply), { code: text(q["thu-tuc"], 40), q: text(q.q, 200) });
    });

    app.post(INTAKE_PATH, { config: { access: RECEIVERS }, ...IntakePost }, async (request, reply) => {
      const posted = postedForm(request);
      const form = posted.values;
      const page = office(request, reply);
      const code = text(form["thu-tuc"], 40);
      const procedure = await catalog.published(code);
      const formData = postedFormData(procedure.form, form);
      const a = { type: text(form["a.type"], 10), name: text(form["a.name"], 200), idNumber: text(form["a.idNumber"], 14), phone: text(form["a.phone"], 20), email: text(form["a.email"], 254), address: text(form["a.address"], 500) };
      const values: IntakeValues = { procedure: code, agency: text(form.agency, 20), requestId: UUID.test(text(form.requestId, 36)) ? text(form.requestId, 36) : randomUUID(), applicant: a, form: shownValues(formData) };
      const applicant = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== "")) as unknown as ApplicantInput;
      // The API's own schema of an applicant checks what the desk typed, field by field.
      const problems = [...new Set([...Value.Errors(ApplicantInput, applicant)].map((e) => e.path.split("/")[1] ?? "name"))].map((f) => ({
        path: `/applicant/${f}`,
        message: tr(page, ...(APPLICANT_WORDS[f] ?? APPLICANT_WORDS.name!)),
      }));
      if (!posted.ok) return showIntake(request, reply, page, { code, q: "", values, problems: posted.problems, error: posted.failure.messages[page.lang] }, answerFor(reply, posted.failure));
      if (problems.length) return showIntake(request, reply, page, { code, q: "", values, problems }, 400);
      try {
        const { dossier } = await dossiers.create(request.actor, { procedureCode: code, agencyCode: values.agency, applicant, channel: "counter", formData, requestId: values.requestId }, meta(request));
        return reply.redirect(`${officeDossierPath(dossier.id)}?da=tao`, 303);
      } catch (err) {
        const e = shownError(reply, page, err);
        if (!e) throw err;
        return showIntake(request, reply, page, { code, q: "", values, problems: e.problems, error: e.message }, e.status);
      }
    });
  };
}
