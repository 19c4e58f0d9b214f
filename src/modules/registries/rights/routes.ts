import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "../../../platform/typebox.ts";
import { APPLICANTS, REVIEWERS, SIGNED_IN } from "../../../platform/http/access.ts";
import type { Clock } from "../../../platform/clock.ts";
import type { AnomalyService } from "../anomalies.ts";
import type * as repo from "./repo.ts";
import { CONSENT_PURPOSES, type DataRightsService, isLate, isOverdue, isReplyLate, REQUEST_KINDS } from "./service.ts";

const Time = Type.String({ format: "date-time" });
const OptTime = Type.Union([Time, Type.Null()]);
const Consent = Type.Object({ id: Type.String(), purpose: Type.String(), grantedAt: Time, withdrawnAt: OptTime, inForce: Type.Boolean() });
const Request = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  detail: Type.String(),
  status: Type.String(),
  fullName: Type.String(),
  /** The agency it is addressed to; null: the node as a whole (its system administrator). */
  agencyCode: Type.Union([Type.String(), Type.Null()]),
  filedAt: Time,
  /** The deadline to reply (take it up or answer); null on a request filed before it was kept. */
  replyDueAt: OptTime,
  repliedAt: OptTime,
  replyLate: Type.Boolean(),
  /** The deadline to carry it out (answer it). */
  dueAt: Time,
  late: Type.Boolean(),
  answeredAt: OptTime,
  answer: Type.Union([Type.String(), Type.Null()]),
  hasExport: Type.Boolean(),
});
const Breach = Type.Object({
  id: Type.String(),
  agencyCode: Type.Union([Type.String(), Type.Null()]),
  discoveredAt: Time,
  occurredAt: OptTime,
  description: Type.String(),
  subjects: Type.String(),
  recordedBy: Type.String(),
  notifyDueAt: Time,
  notifiedAt: OptTime,
  overdue: Type.Boolean(),
});
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const PurposeParam = Type.Object({ purpose: Type.String({ maxLength: 40, description: CONSENT_PURPOSES.join(", ") }) });

export const consentDto = (c: repo.ConsentRow) => ({ id: c.id, purpose: c.purpose, grantedAt: c.grantedAt.toISOString(), withdrawnAt: c.withdrawnAt?.toISOString() ?? null, inForce: c.withdrawnAt === null });
export const requestDto = (r: repo.RequestRow, now: Date) => ({
  id: r.id,
  kind: r.kind,
  detail: r.detail,
  status: r.status,
  fullName: r.fullName,
  agencyCode: r.agencyCode,
  filedAt: r.filedAt.toISOString(),
  replyDueAt: r.replyDueAt?.toISOString() ?? null,
  repliedAt: r.repliedAt?.toISOString() ?? null,
  replyLate: isReplyLate(r, now),
  dueAt: r.dueAt.toISOString(),
  late: isLate(r, now),
  answeredAt: r.answeredAt?.toISOString() ?? null,
  answer: r.answer,
  hasExport: r.export !== null,
});
export const breachDto = (b: repo.BreachRow, now: Date) => ({
  id: b.id,
  agencyCode: b.agencyCode,
  discoveredAt: b.discoveredAt.toISOString(),
  occurredAt: b.occurredAt?.toISOString() ?? null,
  description: b.description,
  subjects: b.subjects,
  recordedBy: b.recordedBy,
  notifyDueAt: b.notifyDueAt.toISOString(),
  notifiedAt: b.notifiedAt?.toISOString() ?? null,
  overdue: isOverdue(b, now),
});

/** Data-subject rights and the abuse report's API (issue 18, items 5 and 6). */
export function dataRightsRoutes(rights: DataRightsService, anomalies: AnomalyService, clock: Clock): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ["registries"];
    app.get("/api/me/consents", { config: { access: APPLICANTS }, schema: { tags, summary: "Sự đồng ý của tôi cho các mục đích tùy chọn", response: { 200: Type.Object({ items: Type.Array(Consent) }) } } }, async (request) => ({
      items: (await rights.consents(request.actor)).map(consentDto),
    }));
    app.put("/api/me/consents/:purpose", { config: { access: APPLICANTS }, schema: { tags, summary: "Đồng ý cho một mục đích tùy chọn", params: PurposeParam, response: { 200: Consent } } }, async (request) =>
      consentDto(await rights.grant(request.actor, request.params.purpose)),
    );
    app.delete("/api/me/consents/:purpose", { config: { access: APPLICANTS }, schema: { tags, summary: "Rút lại sự đồng ý", params: PurposeParam, response: { 200: Consent } } }, async (request) =>
      consentDto(await rights.withdraw(request.actor, request.params.purpose)),
    );
    app.get("/api/me/personal-data", { config: { access: APPLICANTS }, schema: { tags, summary: "Dữ liệu cá nhân motcua đang lưu về tôi", response: { 200: Type.Unknown() } } }, async (request) =>
      rights.exportMine(request.actor),
    );
    app.get("/api/me/data-requests", { config: { access: APPLICANTS }, schema: { tags, summary: "Yêu cầu về dữ liệu cá nhân của tôi", response: { 200: Type.Object({ items: Type.Array(Request) }) } } }, async (request) => ({
      items: (await rights.myRequests(request.actor)).map((r) => requestDto(r, clock.now())),
    }));
    app.post(
      "/api/me/data-requests",
      {
        config: { access: APPLICANTS },
        schema: {
          tags,
          summary: "Gửi yêu cầu xem, chỉnh sửa hoặc xóa dữ liệu cá nhân",
          description: "`agencyCode`: the agency that holds the data asked about, whose supervisors and administrators (and those above it) handle the request; none: the node's system administrator.",
          body: Type.Object({ kind: Type.Union(REQUEST_KINDS.map((k) => Type.Literal(k))), detail: Type.String({ maxLength: 2000 }), agencyCode: Type.Optional(Type.String({ maxLength: 40 })) }),
          response: { 201: Request },
        },
      },
      async (request, reply) => reply.code(201).send(requestDto(await rights.fileRequest(request.actor, request.body), clock.now())),
    );
    app.get("/api/data-requests/:id/export", { config: { access: SIGNED_IN }, schema: { tags, summary: "Bản dữ liệu trả lời yêu cầu xem", params: Id, response: { 200: Type.Unknown() } } }, async (request) =>
      (await rights.request(request.actor, request.params.id)).export ?? {},
    );
    app.get("/api/data-requests", { config: { access: REVIEWERS }, schema: { tags, summary: "Các yêu cầu của chủ thể dữ liệu gửi đến cơ quan mình giám sát", response: { 200: Type.Object({ items: Type.Array(Request) }) } } }, async (request) => ({
      items: (await rights.requests(request.actor)).map((r) => requestDto(r, clock.now())),
    }));
    app.post(
      "/api/data-requests/:id/handle",
      {
        config: { access: REVIEWERS },
        schema: {
          tags,
          summary: "Xử lý yêu cầu của chủ thể dữ liệu",
          params: Id,
          body: Type.Object({ status: Type.Union([Type.Literal("in_progress"), Type.Literal("done"), Type.Literal("refused")]), answer: Type.Optional(Type.String({ maxLength: 4000 })) }),
          response: { 200: Request },
        },
      },
      async (request) => requestDto(await rights.handleRequest(request.actor, request.params.id, request.body), clock.now()),
    );
    app.get("/api/data-breaches", { config: { access: REVIEWERS }, schema: { tags, summary: "Sổ theo dõi sự cố dữ liệu cá nhân", response: { 200: Type.Object({ items: Type.Array(Breach) }) } } }, async (request) => ({
      items: (await rights.breaches(request.actor)).map((b) => breachDto(b, clock.now())),
    }));
    app.post(
      "/api/data-breaches",
      {
        config: { access: REVIEWERS },
        schema: {
          tags,
          summary: "Ghi nhận sự cố dữ liệu cá nhân",
          body: Type.Object({
            discoveredAt: Time,
            occurredAt: Type.Optional(Time),
            description: Type.String({ maxLength: 4000 }),
            subjects: Type.String({ maxLength: 2000 }),
            agencyCode: Type.Optional(Type.String({ maxLength: 40 })),
          }),
          response: { 201: Breach },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const row = await rights.recordBreach(request.actor, { ...b, discoveredAt: new Date(b.discoveredAt), occurredAt: b.occurredAt ? new Date(b.occurredAt) : null });
        return reply.code(201).send(breachDto(row, clock.now()));
      },
    );
    app.post("/api/data-breaches/:id/notified", { config: { access: REVIEWERS }, schema: { tags, summary: "Đã thông báo sự cố cho cơ quan chuyên trách", params: Id, response: { 200: Breach } } }, async (request) =>
      breachDto(await rights.markNotified(request.actor, request.params.id), clock.now()),
    );
    app.get(
      "/api/registries/anomalies",
      {
        config: { access: REVIEWERS },
        schema: {
          tags,
          summary: "Báo cáo tra cứu bất thường của cơ quan",
          description: "Officers who looked up many distinct people for no dossier of the agency; look-ups outside the agency's office hours.",
          querystring: Type.Object({ agencyCode: Type.Optional(Type.String({ maxLength: 40 })), from: Time, to: Time }),
          response: { 200: Type.Unknown() },
        },
      },
      async (request) => anomalies.report(request.actor, { agencyCode: request.query.agencyCode, from: new Date(request.query.from), to: new Date(request.query.to) }),
    );
  };
}
