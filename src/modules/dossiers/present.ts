// Rows → what the API shows. The history names officers by name and the applicant by role; the public
// lookup shows no person at all.
import type { FormDefinition } from "../catalog/index.ts";
import type { DossierRow } from "./hooks.ts";
import type { DossierAction, DossierStatus, Timeliness } from "./model.ts";
import type { EventRow, FileRow, LookupEventRow, LookupRow, PauseRow, RatingRow, StepRow, SummaryRow } from "./repo.ts";
import type { AttachmentDto, DossierDto, DossierSummaryDto, LookupDto, StepRecordDto } from "./schema.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentFile(f: FileRow): AttachmentDto {
  return {
    id: f.id,
    name: f.name,
    size: f.size,
    sha256: f.sha256,
    component: f.component,
    kind: f.kind as AttachmentDto["kind"],
    contentType: f.contentType,
    uploadedAt: f.uploadedAt.toISOString(),
    digitised: f.digitised,
    reusedFrom: f.reusedFrom,
  };
}

export function presentStep(s: StepRow): StepRecordDto {
  return {
    stepIndex: s.stepIndex,
    stepKey: s.stepKey,
    stepName: s.stepName,
    agencyCode: s.agencyCode,
    department: s.department,
    assigneeUserId: s.assigneeUserId,
    startedAt: s.startedAt.toISOString(),
    dueAt: s.dueAt.toISOString(),
    doneAt: iso(s.doneAt),
    outcome: s.outcome,
    timeliness: s.timeliness as Timeliness | null,
  };
}

export interface DossierParts {
  row: DossierRow;
  procedureName: string;
  /** The current step as the procedure's plan names it. */
  step: { index: number; key: string; name: string; role: string } | null;
  files: FileRow[];
  events: Array<Pick<EventRow, "at" | "actorName" | "action" | "fromStatus" | "toStatus" | "note">>;
  steps: StepRow[];
  pauses: PauseRow[];
  rating: RatingRow | null;
  allowedActions: DossierAction[];
  /** The desk of its plan's return step. */
  returnAgencyCode: string | null;
}

export function presentDossier(p: DossierParts): DossierDto {
  const d = p.row;
  return {
    id: d.id,
    code: d.code,
    procedureCode: d.procedureCode,
    procedureVersion: d.procedureVersion,
    procedureName: p.procedureName,
    agencyCode: d.agencyCode,
    processingAgencyCode: d.processingAgencyCode,
    returnAgencyCode: p.returnAgencyCode,
    interAgency:
      d.awayAgencyCode || d.takenInStep
        ? {
            awayAgencyCode: d.awayAgencyCode,
            from: d.takenInStep ? { dossierCode: d.takenInStep.originCode, agencyCode: d.takenInStep.originAgencyCode, agencyName: d.takenInStep.originAgencyName } : null,
          }
        : null,
    channel: d.channel as DossierDto["channel"],
    status: d.status as DossierStatus,
    nationalStatus: d.nationalStatus,
    applicant: {
      type: d.applicant.type,
      name: d.applicant.name,
      idNumber: d.applicant.idNumber,
      phone: d.applicant.phone ?? null,
      email: d.applicant.email ?? null,
      address: d.applicant.address ?? null,
    },
    formData: d.formData,
    registryFields: d.registryFields ?? {},
    registriesUsed: d.registriesUsed ?? [],
    attachments: p.files.map(presentFile),
    lookupKey: d.lookupKey,
    createdAt: d.createdAt.toISOString(),
    submittedAt: iso(d.submittedAt),
    receivedAt: iso(d.receivedAt),
    dueAt: iso(d.dueAt),
    originalDueAt: iso(d.originalDueAt),
    promisedAt: iso(d.promisedAt),
    apologies: d.apologized,
    paused: d.pausedAt !== null,
    finishedAt: iso(d.finishedAt),
    returnedAt: iso(d.returnedAt),
    timeliness: d.timeliness as Timeliness | null,
    step: p.step
      ? { ...p.step, dueAt: iso(d.stepDueAt), assigneeUserId: d.assigneeUserId, department: d.assigneeDepartment }
      : null,
    allowedActions: p.allowedActions,
    history: p.events.map((e) => ({
      at: e.at.toISOString(),
      actor: e.actorName,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      note: e.note,
    })),
    steps: p.steps.map(presentStep),
    pauses: p.pauses.map((x) => ({ from: x.fromAt.toISOString(), to: iso(x.toAt), items: x.items })),
    rating: p.rating ? { level: p.rating.level, comment: p.rating.comment, at: p.rating.at.toISOString() } : null,
  };
}

export function presentSummary(r: SummaryRow, procedureName: string): DossierSummaryDto {
  return {
    id: r.id,
    code: r.code,
    procedureCode: r.procedureCode,
    procedureName,
    agencyCode: r.agencyCode,
    processingAgencyCode: r.processingAgencyCode,
    channel: r.channel as DossierSummaryDto["channel"],
    status: r.status as DossierStatus,
    nationalStatus: r.nationalStatus,
    applicantName: r.applicantName,
    createdAt: r.createdAt.toISOString(),
    receivedAt: iso(r.receivedAt),
    dueAt: iso(r.dueAt),
    timeliness: r.timeliness as Timeliness | null,
    dueSoon: r.dueSoonAt !== null && r.overdueAt === null,
    overdue: r.overdueAt !== null,
  };
}

/** What a dossier is about: the values of the fields its form names as its subject, or null. */
export function subjectOf(form: FormDefinition, formData: unknown): string | null {
  const data = (formData && typeof formData === "object" ? formData : {}) as Record<string, unknown>;
  const values = (form.ui.subject ?? []).flatMap((name) => {
    const v = Object.hasOwn(data, name) ? data[name] : undefined;
    return typeof v === "string" || typeof v === "number" ? [String(v).trim()].filter(Boolean) : [];
  });
  const text = values.join(" – ");
  return text ? (text.length > 120 ? `${text.slice(0, 119)}…` : text) : null;
}

/** The public lookup: what happened and when, never who. */
export function presentLookup(d: LookupRow, procedureName: string, agencyName: string, events: LookupEventRow[]): LookupDto {
  return {
    code: d.code!,
    procedureName,
    agencyName,
    status: d.status as DossierStatus,
    nationalStatus: d.nationalStatus,
    receivedAt: iso(d.receivedAt),
    dueAt: iso(d.dueAt),
    promisedAt: iso(d.promisedAt),
    finishedAt: iso(d.finishedAt),
    returnedAt: iso(d.returnedAt),
    timeliness: d.timeliness as Timeliness | null,
    apologized: d.apologized > 0,
    electronicResult: d.resultFileSha256 !== null,
    history: events.map((e) => ({ at: e.at, action: e.action as LookupDto["history"][number]["action"], toStatus: e.toStatus as DossierStatus })),
  };
}
