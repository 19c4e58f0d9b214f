// The dossier API's shapes (API.md, Dossiers). Field names there are fixed; the extras are additions.
import { type Static, Type } from "../../platform/typebox.ts";
import { Literals, Nullable } from "../../platform/http/schema.ts";
import { ProcedureCode } from "../catalog/index.ts";
import { ACTIONS, CHANNELS, QUEUES, STATUSES } from "./model.ts";

const Time = Type.String({ format: "date-time" });
const AgencyCode = Type.String({ pattern: "^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2}$" });

export const ApplicantInput = Type.Object(
  {
    type: Literals(["citizen", "business"] as const),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    idNumber: Type.String({ minLength: 10, maxLength: 14, description: "CCCD (12 digits) or tax code (10 or 10-3 digits)" }),
    phone: Type.Optional(Nullable(Type.String({ pattern: "^(\\+84|0)[0-9]{9,10}$" }))),
    email: Type.Optional(Nullable(Type.String({ format: "email", maxLength: 254 }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type ApplicantInput = Static<typeof ApplicantInput>;

export const ApplicantDto = Type.Object({
  type: Literals(["citizen", "business"] as const),
  name: Type.String(),
  idNumber: Type.String(),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  address: Nullable(Type.String()),
});

export const CreateDossierInput = Type.Object(
  {
    procedureCode: ProcedureCode,
    agencyCode: AgencyCode,
    /**
     * Where the applicant collects the result: a one-stop desk of the procedure's province (Decree 118/2025).
     * Default: the desk that received it at its counter, or online the procedure's own.
     */
    returnAgencyCode: Type.Optional(AgencyCode),
    /** An officer's counter intake names the applicant; an online applicant is the signed-in account. */
    applicant: Type.Optional(ApplicantInput),
    channel: Type.Optional(Literals(CHANNELS)),
    formData: Type.Record(Type.String(), Type.Unknown()),
    requestId: Type.String({ format: "uuid" }),
    submit: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateDossierInput = Static<typeof CreateDossierInput>;

export const UpdateDraftInput = Type.Object({ formData: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false });

export const AttachmentDto = Type.Object({
  id: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  component: Nullable(Type.String()),
  kind: Literals(["component", "result"] as const),
  contentType: Type.String(),
  uploadedAt: Time,
  /** Scanned at the counter and marked digitised by the receiver. */
  digitised: Type.Boolean(),
  /** The data store's document it was linked from instead of uploaded; null for an upload. */
  reusedFrom: Nullable(Type.String()),
});
export type AttachmentDto = Static<typeof AttachmentDto>;

/** A document of the applicant's data store (kho dữ liệu): a digitised paper or a returned result. */
export const StoredDocumentDto = Type.Object({
  id: Type.String(),
  name: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  source: Literals(["digitised", "result"] as const),
  component: Nullable(Type.String()),
  dossierId: Type.String(),
  dossierCode: Nullable(Type.String()),
  procedureCode: Type.String(),
  storedAt: Time,
});
export type StoredDocumentDto = Static<typeof StoredDocumentDto>;

/** Reuse a stored document for a component, instead of uploading it again. */
export const ReuseInput = Type.Object(
  { component: Type.String({ minLength: 1, maxLength: 100 }), documentId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type ReuseInput = Static<typeof ReuseInput>;

export const HistoryEntryDto = Type.Object({
  at: Time,
  actor: Type.String({ description: "who acted, as a name or role (never a personal identifier)" }),
  action: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Type.String(),
  note: Nullable(Type.String()),
});
export type HistoryEntryDto = Static<typeof HistoryEntryDto>;

/** Mẫu 05: one hand-over. */
export const StepRecordDto = Type.Object({
  stepIndex: Type.Integer(),
  stepKey: Type.String(),
  stepName: Type.String(),
  agencyCode: Type.String(),
  department: Nullable(Type.String()),
  assigneeUserId: Nullable(Type.String()),
  startedAt: Time,
  dueAt: Time,
  doneAt: Nullable(Time),
  outcome: Nullable(Type.String()),
  timeliness: Nullable(Literals(["early", "on_time", "late"] as const)),
});
export type StepRecordDto = Static<typeof StepRecordDto>;

export const PauseDto = Type.Object({
  from: Time,
  to: Nullable(Time),
  items: Type.Array(Type.Object({ component: Type.Optional(Type.String()), field: Type.Optional(Type.String()), reason: Type.String() })),
});

export const DossierDto = Type.Object({
  id: Type.String(),
  code: Nullable(Type.String()),
  procedureCode: Type.String(),
  procedureVersion: Type.Integer(),
  procedureName: Type.String(),
  agencyCode: Type.String(),
  processingAgencyCode: Type.String(),
  /** The desk the result is handed over at (its plan's return step), or null when the procedure has none. */
  returnAgencyCode: Nullable(Type.String()),
  /**
   * Một cửa liên thông across nodes: `awayAgencyCode`, the agency on another node working its current step (it waits
   * for the result); `from`, the origin of a dossier taken in here for one step. Null for neither.
   */
  interAgency: Nullable(
    Type.Object({
      awayAgencyCode: Nullable(Type.String()),
      from: Nullable(Type.Object({ dossierCode: Type.String(), agencyCode: Type.String(), agencyName: Type.String() })),
    }),
  ),
  channel: Literals(CHANNELS),
  status: Literals(STATUSES),
  nationalStatus: Nullable(Type.Integer({ minimum: 1, maximum: 10 })),
  applicant: ApplicantDto,
  formData: Type.Record(Type.String(), Type.Unknown()),
  /** The form fields filled from a national registry with the applicant's consent; an authoritative one may not be changed. */
  registryFields: Type.Record(Type.String(), Type.Object({ source: Type.String(), field: Type.String(), value: Type.String(), authoritative: Type.Boolean() })),
  /** The national databases read for the dossier (DSKetNoiCSDL). */
  registriesUsed: Type.Array(Type.String()),
  attachments: Type.Array(AttachmentDto),
  lookupKey: Nullable(Type.String()),
  createdAt: Time,
  submittedAt: Nullable(Time),
  receivedAt: Nullable(Time),
  /** The legal due time: an apology never moves it. */
  dueAt: Nullable(Time),
  originalDueAt: Nullable(Time),
  /** Ngày hẹn trả mới: the date the latest apology (Mẫu 04) promised; null without one. */
  promisedAt: Nullable(Time),
  /** How many apologies promised a new date: a late dossier with one is "late, apologised". */
  apologies: Type.Integer({ minimum: 0 }),
  paused: Type.Boolean(),
  finishedAt: Nullable(Time),
  returnedAt: Nullable(Time),
  timeliness: Nullable(Literals(["early", "on_time", "late"] as const)),
  step: Nullable(
    Type.Object({ index: Type.Integer(), key: Type.String(), name: Type.String(), role: Type.String(), dueAt: Nullable(Time), assigneeUserId: Nullable(Type.String()), department: Nullable(Type.String()) }),
  ),
  /** The actions the caller may take now. */
  allowedActions: Type.Array(Literals(ACTIONS)),
  history: Type.Array(HistoryEntryDto),
  steps: Type.Array(StepRecordDto),
  pauses: Type.Array(PauseDto),
  rating: Nullable(Type.Object({ level: Type.String(), comment: Nullable(Type.String()), at: Time })),
});
export type DossierDto = Static<typeof DossierDto>;

export const DossierSummaryDto = Type.Object({
  id: Type.String(),
  code: Nullable(Type.String()),
  procedureCode: Type.String(),
  procedureName: Type.String(),
  agencyCode: Type.String(),
  /** The agency it is with now: another than `agencyCode` when it was transferred there (liên thông). */
  processingAgencyCode: Type.String(),
  channel: Literals(CHANNELS),
  status: Literals(STATUSES),
  nationalStatus: Nullable(Type.Integer()),
  applicantName: Type.String(),
  /** What it is about, from the fields its form names (`ui.subject`): on the applicant's list. */
  subject: Type.Optional(Nullable(Type.String())),
  createdAt: Time,
  receivedAt: Nullable(Time),
  dueAt: Nullable(Time),
  timeliness: Nullable(Literals(["early", "on_time", "late"] as const)),
  /** Flagged by the lateness job: due within the warning window / past due. */
  dueSoon: Type.Boolean(),
  overdue: Type.Boolean(),
});
export type DossierSummaryDto = Static<typeof DossierSummaryDto>;

export const DossierPage = Type.Object({
  items: Type.Array(DossierSummaryDto),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  hasMore: Type.Boolean(),
  total: Nullable(Type.Integer()),
});
export type DossierPage = Static<typeof DossierPage>;

export const QueueQuery = Type.Object(
  {
    queue: Literals(QUEUES),
    agency: Type.Optional(AgencyCode),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type QueueQuery = Static<typeof QueueQuery>;

/** The body of `POST /api/dossiers/{id}/actions/{action}`; each action reads the fields it needs. */
export const ActionInput = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    items: Type.Optional(
      Type.Array(
        Type.Object(
          { component: Type.Optional(Type.String({ maxLength: 40 })), field: Type.Optional(Type.String({ maxLength: 64 })), reason: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 50 },
      ),
    ),
    newDueAt: Type.Optional(Time),
    assigneeUserId: Type.Optional(Type.String({ maxLength: 64 })),
    department: Type.Optional(Type.String({ maxLength: 64 })),
    resultFileId: Type.Optional(Type.String({ maxLength: 64 })),
    method: Type.Optional(Literals(["counter", "post", "online"] as const)),
    formData: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type ActionInput = Static<typeof ActionInput>;

export const RatingInput = Type.Object(
  { level: Literals(["very_satisfied", "satisfied", "unsatisfied"] as const), comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

/** The public lookup: status, dates and steps, no personal data. */
export const LookupDto = Type.Object({
  code: Type.String(),
  procedureName: Type.String(),
  agencyName: Type.String(),
  status: Literals(STATUSES),
  nationalStatus: Nullable(Type.Integer()),
  receivedAt: Nullable(Time),
  /** The legal due time. */
  dueAt: Nullable(Time),
  /** Ngày hẹn trả mới, promised by an apology; null without one. */
  promisedAt: Nullable(Time),
  finishedAt: Nullable(Time),
  returnedAt: Nullable(Time),
  timeliness: Nullable(Literals(["early", "on_time", "late"] as const)),
  /** Whether the agency apologised (Mẫu 04) for the delay. */
  apologized: Type.Boolean(),
  /** Whether the result was issued as a document its applicant downloads from the portal, after signing in. */
  electronicResult: Type.Boolean(),
  history: Type.Array(Type.Object({ at: Time, action: Type.String(), toStatus: Type.String() })),
});
export type LookupDto = Static<typeof LookupDto>;
