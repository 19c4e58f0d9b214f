import type { Readable } from "node:stream";
import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { Type } from "../../platform/typebox.ts";
import { readFilePart } from "../../platform/http/input.ts";
import { APPLICANTS, OFFICERS, PUBLIC, rolesOnly, SIGNED_IN } from "../../platform/http/access.ts";
import { Literals } from "../catalog/index.ts";
import { InvalidDossier } from "./errors.ts";
import { FILE_LINK_PATH } from "./file-links.ts";
import { ACTIONS } from "./model.ts";
import {
  ActionInput,
  AttachmentDto,
  CreateDossierInput,
  DossierDto,
  DossierPage,
  LookupDto,
  QueueQuery,
  RatingInput,
  ReuseInput,
  StoredDocumentDto,
  UpdateDraftInput,
} from "./schema.ts";
import type { DossierService } from "./service.ts";
import { FORM_NUMBERS, type FormsService } from "./service.forms.ts";

const TAGS = ["dossiers"];
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Paging = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
// Dossiers hold personal data: no shared cache may keep them.
const PRIVATE = "private, no-store";

/** A file as a download under its own name and type, never sniffed as another (private: the scope's onSend). */
function sendDownload(reply: FastifyReply, file: { contentType: string; name: string }, stream: Readable): FastifyReply {
  void reply.header("content-type", file.contentType);
  void reply.header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  void reply.header("x-content-type-options", "nosniff");
  return reply.send(stream);
}

/** The dossier API (API.md, Dossiers). */
export function dossierRoutes(dossiers: DossierService, forms: FormsService, opts: { maxUploadBytes: number }): FastifyPluginAsyncTypebox {
  return async (app) => {
    // One byte over the limit reaches the file store, which refuses the file (413) rather than keeping the
    // first `maxUploadBytes` of it: the multipart parser truncates silently at its own limit.
    await app.register(multipart, { limits: { fileSize: opts.maxUploadBytes + 1, files: 1, fields: 4, fieldSize: 1024 } });
    const meta = (request: { id: string; ip: string }) => ({ requestId: request.id, ip: request.ip });
    app.addHook("onSend", async (_request, reply, payload) => {
      if (!reply.hasHeader("cache-control")) void reply.header("cache-control", PRIVATE);
      return payload;
    });

    app.post(
      "/api/dossiers",
      {
        // Applicants file online for themselves; the desk files at the counter for one.
        config: { access: rolesOnly("citizen", "business", "receiver") },
        schema: {
          tags: TAGS,
          summary: "Tạo hồ sơ (trực tuyến hoặc tiếp nhận tại quầy)",
          description:
            "A citizen or business files online for themselves; a receiver files at the counter for the applicant named in `applicant`. `requestId` makes a retry return the first result (200). `submit: true` files at once.",
          body: CreateDossierInput,
          response: { 200: DossierDto, 201: DossierDto },
        },
      },
      async (request, reply) => {
        const { dossier, created } = await dossiers.create(request.actor, request.body, meta(request));
        return reply.code(created ? 201 : 200).send(dossier);
      },
    );

    app.get(
      "/api/dossiers/:id",
      { config: { access: SIGNED_IN }, schema: { tags: TAGS, summary: "Một hồ sơ", description: "For its applicant and the officers of its agencies; 404 for anyone else.", params: Id, response: { 200: DossierDto } } },
      async (request) => dossiers.get(request.actor, request.params.id),
    );

    app.put(
      "/api/dossiers/:id/form",
      { config: { access: SIGNED_IN }, schema: { tags: TAGS, summary: "Lưu bản nháp tờ khai", params: Id, body: UpdateDraftInput, response: { 200: DossierDto } } },
      async (request) => dossiers.saveDraft(request.actor, request.params.id, request.body.formData, meta(request)),
    );

    app.post(
      "/api/dossiers/:id/submit",
      {
        config: { access: SIGNED_IN },
        schema: {
          tags: TAGS,
          summary: "Nộp hồ sơ",
          description: "Checks the form against the procedure version's schema and the required components; every problem is named (`/formData/…`, `/attachments/<key>`). Filing twice returns the filed dossier.",
          params: Id,
          response: { 200: DossierDto },
        },
      },
      async (request) => dossiers.submit(request.actor, request.params.id, meta(request)),
    );

    app.post(
      "/api/dossiers/:id/attachments",
      {
        config: { access: SIGNED_IN },
        schema: {
          tags: TAGS,
          summary: "Đính kèm thành phần hồ sơ",
          description:
            "multipart/form-data: a `component` field (the procedure component's key, or `result` for the result document), at the counter a `digitised` field (`true` when the receiver scanned the paper), then the file. The type is read from the bytes.",
          params: Id,
          consumes: ["multipart/form-data"],
          response: { 201: AttachmentDto },
        },
      },
      async (request, reply) => {
        const part = await readFilePart(request);
        if (!part) throw new InvalidDossier([{ path: "/file", message: "Cần chọn tệp đính kèm." }]);
        const component = part.fields.component ?? "";
        if (!component) {
          part.discard();
          throw new InvalidDossier([{ path: "/component", message: "Cần ghi rõ thành phần hồ sơ (trường component, trước tệp)." }]);
        }
        const digitised = ["true", "1", "on"].includes(part.fields.digitised ?? "");
        const file = await dossiers.attach(request.actor, request.params.id, { component, source: part.source, declaredName: part.filename, digitised }, meta(request));
        return reply.code(201).send(file);
      },
    );

    app.post(
      "/api/dossiers/:id/attachments/reuse",
      {
        config: { access: APPLICANTS },
        schema: {
          tags: TAGS,
          summary: "Dùng lại giấy tờ trong kho dữ liệu",
          description:
            "Links a document of the caller's data store (`GET /api/me/documents`) to a component of the caller's own dossier instead of uploading it again; the file is linked, not copied. A document that is not the caller's is 404 `dossier.document_not_found`.",
          params: Id,
          body: ReuseInput,
          response: { 201: AttachmentDto },
        },
      },
      async (request, reply) => reply.code(201).send(await dossiers.reuse(request.actor, request.params.id, request.body, meta(request))),
    );

    app.get(
      "/api/me/documents",
      {
        config: { access: APPLICANTS },
        schema: {
          tags: TAGS,
          summary: "Kho dữ liệu của tôi",
          description: "The papers of the caller's dossiers the receiver digitised, and the results returned to the caller, newest first.",
          response: { 200: Type.Object({ items: Type.Array(StoredDocumentDto) }) },
        },
      },
      async (request) => ({ items: await dossiers.myDocuments(request.actor) }),
    );

    app.get(
      "/api/me/documents/:documentId",
      { config: { access: APPLICANTS }, schema: { tags: TAGS, summary: "Tải giấy tờ trong kho dữ liệu", params: Type.Object({ documentId: Type.String({ minLength: 1, maxLength: 64 }) }) } },
      async (request, reply) => {
        const { document, stream } = await dossiers.myDocument(request.actor, request.params.documentId);
        return sendDownload(reply, document, stream);
      },
    );

    app.get(
      `${FILE_LINK_PATH}/:fileId`,
      {
        // The national portal fetches the files its messages link to without an account here: the link's
        // signature and expiry are the permission (file-links.ts).
        config: { access: PUBLIC },
        schema: {
          tags: TAGS,
          summary: "Tải tệp qua liên kết có chữ ký",
          description: "A link sent to the national portal: HMAC-signed, with an expiry. A link altered or expired is 404 `dossier.file_link_invalid`.",
          params: Type.Object({ fileId: Type.String({ minLength: 1, maxLength: 64 }) }),
          querystring: Type.Object({ exp: Type.String({ maxLength: 16 }), sig: Type.String({ maxLength: 64 }) }),
        },
      },
      async (request, reply) => {
        const { file, stream } = await dossiers.linkedFile(request.params.fileId, request.query.exp, request.query.sig);
        return sendDownload(reply, file, stream);
      },
    );

    app.get(
      "/api/dossiers/:id/attachments/:fileId",
      { config: { access: SIGNED_IN }, schema: { tags: TAGS, summary: "Tải tệp của hồ sơ", params: Type.Object({ id: Type.String({ maxLength: 64 }), fileId: Type.String({ maxLength: 64 }) }) } },
      async (request, reply) => {
        const { file, stream } = await dossiers.file(request.actor, request.params.id, request.params.fileId);
        return sendDownload(reply, file, stream);
      },
    );

    app.post(
      "/api/dossiers/:id/actions/:action",
      {
        config: { access: SIGNED_IN },
        schema: {
          tags: TAGS,
          summary: "Thao tác trên hồ sơ",
          description:
            "receive, refuse_receipt, assign, forward, send_back, request_supplement (`items`), supplement, approve, refuse (`reason`), apologize (`reason`, `newDueAt`), stop, finish (a `result` attached), return, withdraw. An action the state does not allow is 409 `dossier.invalid_transition` with the current status.",
          params: Type.Object({ id: Type.String({ maxLength: 64 }), action: Literals(ACTIONS) }),
          body: Type.Optional(ActionInput),
          response: { 200: DossierDto },
        },
      },
      async (request) => dossiers.act(request.actor, request.params.id, request.params.action, request.body ?? {}, meta(request)),
    );

    app.get(
      "/api/dossiers/:id/forms/:form",
      {
        config: { access: SIGNED_IN },
        schema: {
          tags: TAGS,
          summary: "Biểu mẫu theo Thông tư 03/2025/TT-VPCP (PDF)",
          description:
            "The dossier keeps the form set in force when it was received. Circular 03/2025/TT-VPCP (received from 15 September 2025): `01.pdf` receipt and appointment, `02.pdf` supplement request, `03.pdf` refusal, `04.pdf` apology and request for an extension, `05.pdf` notice of stopping, `06.pdf` control sheet of the hand-overs, `07.pdf` the register line (officers). Circular 01/2018/TT-VPCP (received before): `01`–`03` as above, `04.pdf` apology with the new date, `05.pdf` control sheet, `06.pdf` register line. 404 `dossier.form_not_applicable` while the form's event has not happened (no supplement asked, not refused, not stopped, no apology) or when the dossier's set has no such form.",
          params: Type.Object({ id: Type.String({ maxLength: 64 }), form: Type.String({ pattern: `^(${FORM_NUMBERS.join("|")})\\.pdf$` }) }),
        },
      },
      async (request, reply) => {
        const n = request.params.form.slice(0, 2);
        const pdf = await forms.form(request.actor, request.params.id, n);
        void reply.header("content-type", "application/pdf");
        void reply.header("content-disposition", `inline; filename="mau-${n}.pdf"`);
        return reply.send(pdf);
      },
    );

    app.get(
      "/api/office/register",
      {
        config: { access: OFFICERS },
        schema: {
          tags: TAGS,
          summary: "Sổ theo dõi hồ sơ (Mẫu 07) của một kỳ",
          description:
            "The dossiers an agency received from `from` to `to` (Vietnamese days, inclusive), as PDF or CSV (UTF-8 with BOM, for spreadsheets): Mẫu 07 of Circular 03/2025/TT-VPCP, or Mẫu 06 of Circular 01/2018/TT-VPCP for a period before 15 September 2025; a period across that day is refused (400, two registers).",
          querystring: Type.Object({
            agency: Type.String({ pattern: "^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2}$" }),
            from: Type.String({ format: "date" }),
            to: Type.String({ format: "date" }),
            format: Type.Optional(Literals(["pdf", "csv"] as const)),
          }),
        },
      },
      async (request, reply) => {
        const format = request.query.format ?? "pdf";
        const bytes = await forms.register(request.actor, { ...request.query, format });
        void reply.header("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/pdf");
        void reply.header("content-disposition", `attachment; filename="so-theo-doi-${request.query.from}-${request.query.to}.${format}"`);
        return reply.send(bytes);
      },
    );

    app.post(
      "/api/dossiers/:id/rating",
      { config: { access: APPLICANTS }, schema: { tags: TAGS, summary: "Đánh giá mức độ hài lòng", params: Id, body: RatingInput, response: { 200: DossierDto } } },
      async (request) => dossiers.rate(request.actor, request.params.id, request.body, meta(request)),
    );

    app.get(
      "/api/me/dossiers",
      { config: { access: APPLICANTS }, schema: { tags: TAGS, summary: "Hồ sơ của tôi", querystring: Paging, response: { 200: DossierPage } } },
      async (request) => dossiers.mine(request.actor, request.query.page ?? 1, request.query.pageSize ?? 20),
    );

    app.get(
      "/api/office/dossiers",
      { config: { access: OFFICERS }, schema: { tags: TAGS, summary: "Hàng đợi công việc của cơ quan", querystring: QueueQuery, response: { 200: DossierPage } } },
      async (request) => dossiers.queue(request.actor, request.query),
    );

    app.get(
      "/api/lookup/:code",
      {
        config: { access: PUBLIC },
        schema: {
          tags: TAGS,
          summary: "Tra cứu tình trạng hồ sơ",
          description: "Public: status, dates and steps without personal data. A wrong key is the same 404 as an unknown code; throttled per address (429).",
          params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }),
          querystring: Type.Object({ key: Type.String({ minLength: 1, maxLength: 16 }) }),
          response: { 200: LookupDto },
        },
      },
      async (request) => dossiers.lookup(request.params.code, request.query.key, meta(request)),
    );
  };
}
