// The exchange API's shapes (docs/API.md, "Exchange (edXML)").
import type { Static } from "@sinclair/typebox";
import { Type } from "../../platform/typebox.ts";
import { AGENCY_CODE_PATTERN } from "../directory/index.ts";
import { OFFICER_CODES } from "./model.ts";

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
export const AgencyCode = Type.String({ pattern: AGENCY_CODE_PATTERN, maxLength: 13 });
const Day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });

export const FileDto = Type.Object({
  contentId: Type.String(),
  name: Type.String(),
  contentType: Type.String(),
  sha256: Type.String(),
  size: Type.Integer(),
});

export const StatusDto = Type.Object({
  code: Type.String(),
  description: Nullable(Type.String()),
  staff: Nullable(Type.String()),
  at: Type.String({ format: "date-time" }),
});
export type StatusDto = Static<typeof StatusDto>;

export const RecipientDto = Type.Object({
  code: Type.String(),
  name: Type.String(),
  /** The document's delivery: pending, delivered, or undelivered once the retry budget is spent. */
  delivery: Type.String(),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  statuses: Type.Array(StatusDto),
});
export type RecipientDto = Static<typeof RecipientDto>;

const Party = Type.Object({ code: Type.String(), name: Type.String() });

export const DocumentSummaryDto = Type.Object({
  id: Type.String(),
  box: Type.Union([Type.Literal("in"), Type.Literal("out")]),
  agencyCode: Type.String(),
  documentId: Type.String(),
  codeNumber: Type.String(),
  codeNotation: Type.String(),
  subject: Type.String(),
  sender: Party,
  recipients: Type.Array(Party),
  registerYear: Type.Integer(),
  registerNumber: Type.Integer(),
  state: Type.String(),
  /** The latest status: the document's own (in), else the latest of any recipient (out). */
  lastStatus: Nullable(Type.String()),
  pendingChange: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
});
export type DocumentSummaryDto = Static<typeof DocumentSummaryDto>;

export const DocumentDto = Type.Composite([
  DocumentSummaryDto,
  Type.Object({
    documentType: Type.Object({ type: Type.Integer(), typeName: Type.String() }),
    content: Nullable(Type.String()),
    promulgationDate: Type.String(),
    signer: Type.String(),
    dueDate: Nullable(Type.String()),
    bussinessDocType: Type.Integer(),
    /** The document this one revokes, updates or replaces. */
    refersTo: Nullable(Type.String()),
    change: Type.Union([
      Type.Object({ type: Type.Integer(), reason: Nullable(Type.String()), replacedBy: Nullable(Type.String()) }),
      Type.Null(),
    ]),
    assignment: Type.Union([
      Type.Object({ department: Type.String(), assigneeId: Nullable(Type.String()), assigneeName: Nullable(Type.String()), due: Nullable(Type.String()) }),
      Type.Null(),
    ]),
    files: Type.Array(FileDto),
    /** The signed edXML as it left or came (SHA-256: its file is `files/{signedEdxml}`), null when it went unsigned. */
    signedEdxml: Nullable(Type.String()),
    /** A received document's own statuses. */
    statuses: Type.Array(StatusDto),
    /** A sent document's timeline per recipient. */
    timelines: Type.Array(RecipientDto),
  }),
]);
export type DocumentDto = Static<typeof DocumentDto>;

export const DocumentPage = Type.Object({
  items: Type.Array(DocumentSummaryDto),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  hasMore: Type.Boolean(),
});

export const ListQuery = Type.Object({
  box: Type.Union([Type.Literal("in"), Type.Literal("out")], { default: "in" }),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  agency: Type.Optional(AgencyCode),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

/**
 * A document's id in a path, for the API and the pages alike: a UUID, taken as any short string so that another one
 * is answered 404 (the repo finds no copy: repo.ts `copyById`), not 400.
 */
export const DocumentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** A document's file in a path: its id and the file's SHA-256. */
export const DocumentFileParams = Type.Object({ id: DocumentParams.properties.id, sha256: Type.String({ maxLength: 64 }) });

export const SendBody = Type.Object({
  from: Type.Optional(AgencyCode),
  to: Type.Array(AgencyCode, { minItems: 1, maxItems: 100 }),
  subject: Type.String({ minLength: 1, maxLength: 2000 }),
  notation: Type.String({ minLength: 1, maxLength: 60 }),
  documentType: Type.Optional(Type.Object({ type: Type.Integer({ minimum: 1, maximum: 99 }), typeName: Type.String({ minLength: 1, maxLength: 200 }) })),
  content: Type.Optional(Type.String({ maxLength: 20000 })),
  signer: Type.Object({ fullName: Type.String({ minLength: 1, maxLength: 200 }), position: Type.Optional(Type.String({ maxLength: 200 })) }),
  place: Type.Optional(Type.String({ maxLength: 200 })),
  dueDate: Type.Optional(Day),
  replaces: Type.Optional(Type.String({ format: "uuid" })),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  files: Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }), contentBase64: Type.String() }), { minItems: 1, maxItems: 20 }),
});
export type SendBody = Static<typeof SendBody>;

export const StatusBody = Type.Object({
  code: Type.Union(OFFICER_CODES.map((c) => Type.Literal(c))),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  department: Type.Optional(Type.String({ maxLength: 64 })),
  assigneeId: Type.Optional(Type.String({ maxLength: 64 })),
  due: Type.Optional(Day),
});

export const RecallBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) });

export const UpdateBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  content: Type.Optional(Type.String({ maxLength: 20000 })),
  files: Type.Optional(SendBody.properties.files),
});

export const Created = Type.Object({ id: Type.String() });

/** The most messages one request to `/exchange/inbox/batch` carries. */
export const INBOX_BATCH_MAX = 64;

export const InboxBatch = Type.Object(
  { messages: Type.Array(Type.String(), { minItems: 1, maxItems: INBOX_BATCH_MAX }) },
  { additionalProperties: false },
);

const InboxAnswerDto = Type.Object({ status: Type.Integer(), contentType: Type.String(), body: Type.String() });
export const InboxBatchAnswer = Type.Object({ answers: Type.Array(InboxAnswerDto) });
