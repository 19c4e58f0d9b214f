// The office's exchange pages (issue 16, item 5): the registers of incoming and outgoing documents with search,
// a document with its timeline and the forms its officers may use, composing a document with its files. Plain
// forms (CSRF, Post/Redirect/Get with `?da=`); who may do what is the exchange service's policy.
import multipart from "@fastify/multipart";
import { Type } from "../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { OFFICERS } from "../../platform/http/access.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { csrfToken } from "../../web/cookies.ts";
import { CsrfRejected, doneNotice, FormText, pageQuery, pageSchema, postedForm, readFormWithFiles, text } from "../../web/forms.ts";
import { registerPageErrors, shownError } from "../../web/page-errors.tsx";
import { pageNumber } from "../../web/pager.tsx";
import { sendPage } from "../../web/render.ts";
import { partyPage } from "../../web/routes.tsx";
import type { DirectoryService } from "../directory/index.ts";
import { BoxPage, COMPOSE_PATH, documentPath, INBOX_PATH, OUTBOX_PATH } from "./box-views.tsx";
import { ComposePage, DOCUMENT_TYPES } from "./compose-views.tsx";
import { DocumentPage } from "./document-views.tsx";
import { OFFICER_CODES, type OfficerCode, type StoredAttachment } from "./model.ts";
import { allowedFor, homeAgency } from "./policy.ts";
import type { ExchangeService } from "./service.ts";
import { DocumentFileParams, DocumentParams } from "./schema.ts";

const DONE: Record<string, readonly [string, string]> = {
  gui: ["Đã vào sổ văn bản đi và gửi văn bản.", "The document was registered and sent."],
  "thu-hoi": ["Đã gửi đề nghị thu hồi đến các nơi nhận.", "The recall was sent to the recipients."],
  "cap-nhat": ["Đã gửi bản cập nhật đến các nơi nhận.", "The update was sent to the recipients."],
  ...Object.fromEntries(OFFICER_CODES.map((c) => [c, ["Đã cập nhật trạng thái và báo cho bên gửi.", "The status was recorded and sent to the sender."] as const])),
};
const MAX_FILES = 20;

const BoxQuery = pageSchema({ querystring: Type.Object({ q: FormText(), nam: FormText(), trang: FormText(), da: FormText() }) });
const Doc = DocumentParams;
const DocQuery = pageSchema({ params: Doc, querystring: Type.Object({ da: FormText() }) });
const StatusPost = pageSchema({
  params: Doc,
  body: Type.Object({ code: FormText(), description: FormText({ maxLength: 2000 }), department: FormText(), assigneeId: FormText(), due: FormText() }),
});
const RecallPost = pageSchema({ params: Doc, body: Type.Object({ reason: FormText({ maxLength: 2000 }) }) });
const UpdatePost = pageSchema({ params: Doc, body: Type.Object({ reason: FormText({ maxLength: 2000 }), subject: FormText({ maxLength: 2000 }) }) });
const ComposeQuery = pageSchema({ querystring: Type.Object({ "thay-the": FormText() }) });
const FilePath = pageSchema({ params: DocumentFileParams });

export function exchangeOfficePages(deps: { exchange: ExchangeService; directory: DirectoryService; maxUploadBytes: number }) {
  const { exchange, directory } = deps;
  return async (app: App) => {
    await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes + 1, files: MAX_FILES, fields: 200, fieldSize: 20_000 } });
    registerPageErrors(app, { signInReturn: INBOX_PATH, signIn: "office", back: { href: INBOX_PATH, vi: "Văn bản đến", en: "Incoming documents" } });
    app.addHook("onSend", async (_request, reply, payload) => {
      if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) void reply.header("cache-control", "private, no-store");
      return payload;
    });
    const office = (request: FastifyRequest, reply: FastifyReply) => partyPage(request, reply, "office");
    const meta = (request: FastifyRequest) => ({ requestId: request.id });

    const box = (which: "in" | "out") => async (request: FastifyRequest & { query: { q?: string; nam?: string; trang?: string; da?: string } }, reply: FastifyReply) => {
      const q = pageQuery(request);
      const words = text(q.q, 200);
      const year = text(q.nam, 4);
      const result = await exchange.list(request.actor, { box: which, q: words || undefined, year: /^\d{4}$/.test(year) ? Number(year) : undefined, page: pageNumber(q.trang), pageSize: 20 });
      const page = office(request, reply);
      return sendPage(reply, <BoxPage page={page} box={which} q={words} year={year} result={result} notice={doneNotice(page, q.da, DONE)} />);
    };
    app.get(INBOX_PATH, { config: { access: OFFICERS }, ...BoxQuery }, box("in"));
    app.get(OUTBOX_PATH, { config: { access: OFFICERS }, ...BoxQuery }, box("out"));

    const showDocument = async (request: FastifyRequest, reply: FastifyReply, id: string, extra: { done?: string | undefined; error?: string; problems?: FieldProblem[] } = {}, status = 200) => {
      const page = office(request, reply);
      const d = await exchange.get(request.actor, id);
      const allowed = allowedFor(request.actor, d);
      const [departments, assignees] = allowed.includes("04")
        ? await Promise.all([directory.agency(d.agencyCode).then((a) => a.departments.map((x) => ({ code: x.code, name: x.name }))), exchange.assignees(request.actor, d.agencyCode)])
        : [[], []];
      return sendPage(
        reply,
        <DocumentPage
          page={page}
          csrf={csrfToken(request, reply)}
          d={d}
          allowed={allowed}
          departments={departments}
          assignees={assignees}
          notice={status === 200 ? doneNotice(page, extra.done, DONE) : undefined}
          error={extra.error}
          problems={extra.problems ?? []}
        />,
        status,
      );
    };

    /** Runs a change; a refusal comes back on the document as it is now. */
    const change = async (request: FastifyRequest, reply: FastifyReply, id: string, done: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (err) {
        const e = shownError(reply, office(request, reply), err);
        if (!e) throw err;
        return showDocument(request, reply, id, { error: e.message, problems: e.problems }, e.status);
      }
      return reply.redirect(`${documentPath(id)}?da=${done}`, 303);
    };

    app.get("/office/van-ban/:id", { config: { access: OFFICERS }, ...DocQuery }, async (request, reply) => showDocument(request, reply, request.params.id, { done: pageQuery(request).da }));

    app.get("/office/van-ban/:id/tep/:sha256", { config: { access: OFFICERS }, ...FilePath }, async (request, reply) => {
      const f = await exchange.file(request.actor, request.params.id, request.params.sha256);
      void reply.header("content-type", f.contentType);
      void reply.header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`);
      void reply.header("x-content-type-options", "nosniff");
      return reply.send(f.stream);
    });

    app.post("/office/van-ban/:id/trang-thai", { config: { access: OFFICERS }, ...StatusPost }, async (request, reply) => {
      const form = postedForm(request);
      const id = request.params.id;
      if (!form.ok) return showDocument(request, reply, id, { problems: form.problems, error: form.failure.messages[office(request, reply).lang] }, 400);
      const v = form.values;
      const code = text(v.code, 2);
      if (!(OFFICER_CODES as readonly string[]).includes(code)) return showDocument(request, reply, id, { problems: [{ path: "/code", message: "?" }] }, 400);
      const input = {
        code: code as OfficerCode,
        description: text(v.description) || undefined,
        department: text(v.department, 64) || undefined,
        assigneeId: text(v.assigneeId, 64) || undefined,
        due: text(v.due, 10) || undefined,
      };
      return change(request, reply, id, code, () => exchange.answer(request.actor, id, input, meta(request)));
    });

    app.post("/office/van-ban/:id/thu-hoi", { config: { access: OFFICERS }, ...RecallPost }, async (request, reply) => {
      const form = postedForm(request);
      const id = request.params.id;
      const reason = form.ok ? text(form.values.reason) : "";
      return change(request, reply, id, "thu-hoi", () => exchange.recall(request.actor, id, reason, meta(request)));
    });

    app.post("/office/van-ban/:id/cap-nhat", { config: { access: OFFICERS }, ...UpdatePost }, async (request, reply) => {
      const form = postedForm(request);
      const id = request.params.id;
      const reason = form.ok ? text(form.values.reason) : "";
      const subject = form.ok ? text(form.values.subject) : "";
      return change(request, reply, id, "cap-nhat", () => exchange.update(request.actor, id, { reason, ...(subject ? { subject } : {}) }, meta(request)));
    });

    /** The sent document a new one replaces, when the officer may replace it; else none. */
    const replaced = async (request: FastifyRequest, id: string) => {
      if (!id) return null;
      const d = await exchange.get(request.actor, id);
      return allowedFor(request.actor, d).includes("recall") ? d : null;
    };

    /** The province's agencies, to tick as recipients (the sender's own left out). */
    const recipientChoices = async (request: FastifyRequest) => {
      const mine = homeAgency(request.actor);
      if (!mine) return [];
      const agency = await directory.agency(mine).catch(() => null);
      const found = await directory.searchAgencies({ ...(agency?.provinceCode ? { province: agency.provinceCode } : {}), pageSize: 100 });
      return found.items.filter((a) => a.code !== mine).map((a) => ({ code: a.code, name: a.name }));
    };

    app.get(COMPOSE_PATH, { config: { access: OFFICERS }, ...ComposeQuery }, async (request, reply) => {
      const old = await replaced(request, text(pageQuery(request)["thay-the"], 64));
      const values: Record<string, string> = { loai: "5" };
      const agencies = await recipientChoices(request);
      if (old) {
        // The replacement goes to the replaced document's recipients: ticked, or named by code when not listed.
        Object.assign(values, { loai: String(old.documentType.type), notation: old.codeNotation, subject: old.subject });
        const listed = new Set(agencies.map((a) => a.code));
        for (const r of old.recipients) if (listed.has(r.code)) values[`to.${r.code}`] = "on";
        values.khac = old.recipients.filter((r) => !listed.has(r.code)).map((r) => r.code).join(", ");
      }
      const replaces = old ? { id: old.id, title: `${old.codeNumber}/${old.codeNotation}` } : undefined;
      return sendPage(reply, <ComposePage page={office(request, reply)} csrf={csrfToken(request, reply)} agencies={agencies} values={values} replaces={replaces} />);
    });

    // A multipart form: the kit reads the CSRF token (its first field) before any file is stored.
    app.post(COMPOSE_PATH, { config: { access: OFFICERS, upload: true } }, async (request, reply) => {
      const files: StoredAttachment[] = [];
      const refused: FieldProblem[] = [];
      const posted = await readFormWithFiles(request, { files: MAX_FILES, fields: 200, fieldSize: 20_000 }, async (file) => {
        try {
          files.push(await exchange.storeFile(file.source, file.declaredName));
        } catch (err) {
          const e = shownError(reply, office(request, reply), err);
          if (!e) throw err;
          refused.push({ path: "/files", message: `${file.declaredName}: ${e.message}` });
        }
      });
      if (!posted.csrfOk) throw new CsrfRejected();
      const f = posted.fields;
      const old = await replaced(request, text(f.replaces, 64));
      const replaces = old ? { id: old.id, title: `${old.codeNumber}/${old.codeNotation}` } : undefined;
      const again = async (problems: FieldProblem[], error?: string, status = 400) =>
        sendPage(reply, <ComposePage page={office(request, reply)} csrf={csrfToken(request, reply)} agencies={await recipientChoices(request)} values={f} replaces={replaces} problems={problems} error={error} />, status);
      const to = [
        ...Object.entries(f).flatMap(([k, v]) => (k.startsWith("to.") && v === "on" ? [k.slice(3)] : [])),
        ...text(f.khac, 2000).split(/[\s,;]+/).filter(Boolean),
      ];
      if (refused.length) return again(refused);
      if (!files.length) return again([{ path: "/files", message: "Cần đính kèm tệp văn bản. (Attach the document's file.)" }]);
      if (!to.length) return again([{ path: "/to", message: "Cần chọn ít nhất một nơi nhận. (Choose at least one recipient.)" }]);
      const type = DOCUMENT_TYPES.find(([n]) => String(n) === f.loai) ?? DOCUMENT_TYPES[0]!;
      let id: string;
      try {
        id = await exchange.send(
          request.actor,
          {
            to: [...new Set(to)],
            subject: text(f.subject),
            notation: text(f.notation, 60),
            documentType: { type: type[0], typeName: type[1] },
            content: text(f.content, 20000) || undefined,
            signer: { fullName: text(f.signer, 200), position: text(f.position, 200) || undefined },
            dueDate: text(f.dueDate, 10) || undefined,
            ...(old ? { replaces: old.id, reason: text(f.reason) || undefined } : {}),
            files,
          },
          meta(request),
        );
      } catch (err) {
        const e = shownError(reply, office(request, reply), err);
        if (!e) throw err;
        return again(e.problems, e.message, e.status);
      }
      return reply.redirect(`${documentPath(id)}?da=gui`, 303);
    });
  };
}
