import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "../../platform/typebox.ts";
import { ADMINS, PUBLIC, REVIEWERS } from "../../platform/http/access.ts";
import { ProcedureContent } from "./model.ts";
import { DraftNotFound, UnknownExportFormat } from "./errors.ts";
import {
  CodeParams,
  ImportResult,
  ProcedureDto,
  ProcedureInput,
  ProcedurePage,
  ProcedureQuery,
  ValidationReport,
  VersionDiff,
  VersionList,
} from "./schema.ts";
import type { CatalogService } from "./service.ts";

// Published procedures change a few times a year; a search result may be a minute old.
const PUBLIC_CACHE = "public, max-age=60";
const TAGS = ["catalog"];

/** The catalogue API (API.md, Catalogue): public search and reading, administration of drafts and publishing. */
export function catalogRoutes(catalog: CatalogService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/procedures",
      {
        config: { access: PUBLIC },
        schema: {
          tags: TAGS,
          summary: "Tìm thủ tục hành chính",
          description:
            "Published procedures. `q` ignores Vietnamese diacritics and case and tolerates small typos; the name ranks above the summary. No total is counted except on the last page.",
          querystring: ProcedureQuery,
          response: { 200: ProcedurePage },
        },
      },
      async (request, reply) => {
        void reply.header("cache-control", PUBLIC_CACHE);
        return catalog.search(request.query);
      },
    );

    app.get(
      "/api/procedure-fields",
      {
        config: { access: PUBLIC },
        schema: {
          tags: TAGS,
          summary: "Các lĩnh vực có thủ tục đã công bố",
          response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) }) },
        },
      },
      async (_request, reply) => {
        void reply.header("cache-control", PUBLIC_CACHE);
        return { items: await catalog.fields() };
      },
    );

    app.get(
      "/api/procedures/:code",
      {
        config: { access: PUBLIC },
        schema: {
          tags: TAGS,
          summary: "Một thủ tục: phiên bản đang có hiệu lực",
          description: "Components, form schema, fees, processing time per channel, steps, legal basis. 404 `catalog.procedure_not_found`.",
          params: CodeParams,
          response: { 200: ProcedureDto },
        },
      },
      async (request, reply) => {
        void reply.header("cache-control", PUBLIC_CACHE);
        return catalog.published(request.params.code);
      },
    );

    app.get(
      "/api/procedures/:code/export",
      {
        config: { access: PUBLIC },
        schema: {
          tags: TAGS,
          summary: "Xuất theo định dạng CSDL quốc gia về TTHC",
          description: "`format=dvcqg`: the national catalogue's JSON shape (`MATTHC`, `TENTTHC`, …) of the version in force.",
          params: CodeParams,
          querystring: Type.Object({ format: Type.Optional(Type.String({ maxLength: 20, default: "dvcqg" })) }),
        },
      },
      async (request, reply) => {
        const format = request.query.format ?? "dvcqg";
        if (format !== "dvcqg") throw new UnknownExportFormat(format);
        void reply.header("content-disposition", `attachment; filename="${request.params.code}.json"`);
        return catalog.exportNational(request.params.code);
      },
    );

    app.get(
      "/api/procedures/:code/versions",
      {
        config: { access: REVIEWERS },
        schema: {
          tags: TAGS,
          summary: "Các phiên bản của một thủ tục",
          description: "For the administrators and supervisors of its implementing agencies.",
          params: CodeParams,
          response: { 200: VersionList },
        },
      },
      async (request) => ({ items: await catalog.versions(request.actor, request.params.code) }),
    );

    app.get(
      "/api/procedures/:code/versions/:version",
      {
        config: { access: PUBLIC },
        schema: {
          tags: TAGS,
          summary: "Một phiên bản",
          description: "Published versions are public; the draft only for its reviewers (404 for others).",
          params: Type.Object({ code: CodeParams.properties.code, version: Type.Integer({ minimum: 1 }) }),
          response: { 200: ProcedureDto },
        },
      },
      async (request) => catalog.version(request.actor, request.params.code, request.params.version),
    );

    app.get(
      "/api/procedures/:code/diff",
      {
        config: { access: PUBLIC },
        schema: {
          tags: TAGS,
          summary: "So sánh hai phiên bản",
          params: CodeParams,
          querystring: Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }),
          response: { 200: VersionDiff },
        },
      },
      async (request) => catalog.diff(request.actor, request.params.code, request.query.from, request.query.to),
    );

    app.post(
      "/api/procedures",
      {
        config: { access: ADMINS },
        schema: {
          tags: TAGS,
          summary: "Tạo thủ tục (bản dự thảo đầu tiên)",
          description: "Agency administrators of every implementing agency. `requestId` makes a retry return the first result (200).",
          body: ProcedureInput,
          response: { 200: ProcedureDto, 201: ProcedureDto },
        },
      },
      async (request, reply) => {
        const { procedure, created } = await catalog.create(request.actor, request.body, { requestId: request.id });
        return reply.code(created ? 201 : 200).send(procedure);
      },
    );

    app.put(
      "/api/procedures/:code",
      {
        config: { access: ADMINS },
        schema: {
          tags: TAGS,
          summary: "Sửa bản dự thảo",
          description: "Writes the draft; after a publication this starts the next version. Published versions never change.",
          params: CodeParams,
          body: ProcedureContent,
          response: { 200: ProcedureDto },
        },
      },
      async (request) => catalog.saveDraft(request.actor, request.params.code, request.body, { requestId: request.id }),
    );

    app.get(
      "/api/procedures/:code/draft",
      {
        config: { access: REVIEWERS },
        schema: {
          tags: TAGS,
          summary: "Bản dự thảo đang soạn",
          description: "404 `catalog.draft_not_found` when every version is published.",
          params: CodeParams,
          response: { 200: ProcedureDto },
        },
      },
      async (request) => {
        const draft = await catalog.draft(request.actor, request.params.code);
        if (!draft) throw new DraftNotFound(request.params.code);
        return draft;
      },
    );

    app.get(
      "/api/procedures/:code/draft/validation",
      {
        config: { access: REVIEWERS },
        schema: {
          tags: TAGS,
          summary: "Kiểm tra bản dự thảo trước khi công bố",
          params: CodeParams,
          response: { 200: ValidationReport },
        },
      },
      async (request) => catalog.validateDraft(request.actor, request.params.code),
    );

    app.post(
      "/api/procedures/:code/publish",
      {
        config: { access: ADMINS },
        schema: {
          tags: TAGS,
          summary: "Công bố bản dự thảo",
          description: "Validates the whole procedure and refuses with every problem listed (400 `catalog.not_publishable`).",
          params: CodeParams,
          response: { 200: ProcedureDto },
        },
      },
      async (request) => catalog.publish(request.actor, request.params.code, { requestId: request.id }),
    );

    app.post(
      "/api/procedures/import",
      {
        config: { access: ADMINS },
        // A province's whole catalogue in one document.
        bodyLimit: 16 * 1024 * 1024,
        schema: {
          tags: TAGS,
          summary: "Nhập thủ tục theo định dạng CSDL quốc gia",
          description: "One national document or an array of them, imported as drafts; all or nothing, every problem with its path.",
          body: Type.Unknown(),
          response: { 200: ImportResult },
        },
      },
      async (request) => ({ items: await catalog.importNational(request.actor, request.body, { requestId: request.id }) }),
    );
  };
}
