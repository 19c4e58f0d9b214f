// Data-subject rights (issue 18, item 5; Law on Personal Data Protection 91/2025/QH15 and the decree under it):
// consent to optional uses with withdrawal, requests to see, correct or delete personal data tracked to a
// deadline, and the register of breaches with the deadline to notify the authority. Deadlines are settings (cfg):
// see docs/DOMAIN.md §10 for what was and was not read.
import type { Actor } from "../../../platform/auth/actor.ts";
import { actorRef } from "../../../platform/auth/actor.ts";
import type { Audit } from "../../../platform/audit/index.ts";
import type { Clock } from "../../../platform/clock.ts";
import type { RegistryRightsConfig } from "../../../platform/config/index.ts";
import type { Database } from "../../../platform/db/index.ts";
import type { CalendarService } from "../../calendar/index.ts";
import type { FieldProblem } from "../../../platform/http/errors.ts";
import { InvalidRightsInput, RightsConflict, RightsForbidden, RightsNotFound } from "./errors.ts";
import { type PersonalDataExport, type SubjectActor, subjectActorOf } from "./export.ts";
import { isDataOfficer, isDataSubject, overseenAgencies, oversees } from "./policy.ts";
import { isAgencyCode, subtreeSuffix } from "../../directory/index.ts";
import * as repo from "./repo.ts";

/**
 * The optional uses of a person's data, each only with their consent in force. Decree 13/2023/NĐ-CP Art. 9(2) and
 * (4) (read): the subject consents or not, and may withdraw consent; a withdrawal stops the use from then on.
 */
export const CONSENT_PURPOSES = ["notify_sms", "notify_email", "statistics"] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const REQUEST_KINDS = ["see", "correct", "delete"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type RequestStatus = "received" | "in_progress" | "done" | "refused";

export const HOUR_MS = 3_600_000;

export interface BreachInput {
  discoveredAt: Date;
  occurredAt?: Date | null | undefined;
  description: string;
  subjects: string;
  agencyCode?: string | null | undefined;
}

export interface DataRightsService {
  /** The person's consents, in force and withdrawn. Throws RightsForbidden. */
  consents(actor: Actor): Promise<repo.ConsentRow[]>;
  /** Grants consent to an optional use (again after a withdrawal); idempotent while in force. Throws RightsForbidden, InvalidRightsInput. */
  grant(actor: Actor, purpose: string): Promise<repo.ConsentRow>;
  /** Withdraws consent: the use stops from now. Throws RightsForbidden, InvalidRightsInput, RightsNotFound. */
  withdraw(actor: Actor, purpose: string): Promise<repo.ConsentRow>;
  /** Whether an optional use of a person's data is allowed now: only with their consent in force. */
  allows(userId: string, purpose: ConsentPurpose): Promise<boolean>;
  /**
   * Files a request to see, correct or delete, addressed to an agency (`agencyCode`: one that holds the person's
   * data) or to the node as a whole (none); its deadlines from the settings, on the agency's calendar. Throws
   * RightsForbidden, InvalidRightsInput, CalendarOutOfRange.
   */
  fileRequest(actor: Actor, input: { kind: string; detail: string; agencyCode?: string | null | undefined }): Promise<repo.RequestRow>;
  /** The person's own requests, newest first. Throws RightsForbidden. */
  myRequests(actor: Actor): Promise<repo.RequestRow[]>;
  /** One request: for its person or a data officer who oversees the agency it is addressed to. Throws RightsNotFound. */
  request(actor: Actor, id: string): Promise<repo.RequestRow>;
  /**
   * The requests addressed to the agencies the data officer oversees (their subtrees; the system administrator: all,
   * those to the node included), open ones first by deadline. Throws RightsForbidden.
   */
  requests(actor: Actor): Promise<repo.RequestRow[]>;
  /** Takes up, answers or refuses a request; a `see` request answered `done` carries the person's data export. Throws RightsForbidden, RightsNotFound, RightsConflict, InvalidRightsInput. */
  handleRequest(actor: Actor, id: string, input: { status: "in_progress" | "done" | "refused"; answer?: string | undefined }): Promise<repo.RequestRow>;
  /** Records a breach with its notification deadline. Throws RightsForbidden, InvalidRightsInput. */
  recordBreach(actor: Actor, input: BreachInput): Promise<repo.BreachRow>;
  /** The breaches the actor oversees, newest first. Throws RightsForbidden. */
  breaches(actor: Actor): Promise<repo.BreachRow[]>;
  /** Marks a breach notified to the authority. Throws RightsForbidden, RightsNotFound, RightsConflict. */
  markNotified(actor: Actor, id: string): Promise<repo.BreachRow>;
  /** What motcua holds about the signed-in person. Throws RightsForbidden. */
  exportMine(actor: Actor): Promise<PersonalDataExport>;
}

/** A request past its deadline and not answered, or answered after it. */
export function isLate(row: { dueAt: Date; answeredAt: Date | null }, now: Date): boolean {
  return (row.answeredAt ?? now).getTime() > row.dueAt.getTime();
}

/** A request not replied to (taken up or answered) by its reply deadline; never for one filed before it was kept. */
export function isReplyLate(row: { replyDueAt: Date | null; repliedAt: Date | null }, now: Date): boolean {
  return row.replyDueAt !== null && (row.repliedAt ?? now).getTime() > row.replyDueAt.getTime();
}

/** A breach not notified by its deadline. */
export function isOverdue(row: { notifyDueAt: Date; notifiedAt: Date | null }, now: Date): boolean {
  return (row.notifiedAt ?? now).getTime() > row.notifyDueAt.getTime();
}

export function makeDataRightsService(deps: {
  database: Database;
  clock: Clock;
  audit: Audit;
  calendar: Pick<CalendarService, "due">;
  settings: Pick<RegistryRightsConfig, "requestReplyWorkingDays" | "requestDays" | "breachNotifyHours">;
  exportOf: (subject: SubjectActor, agencyCode?: string | null) => Promise<PersonalDataExport>;
}): DataRightsService {
  const { database, clock, calendar, audit, settings, exportOf } = deps;
  const subject = (actor: Actor) => {
    if (!isDataSubject(actor)) throw new RightsForbidden();
    return actor;
  };
  const officer = (actor: Actor) => {
    if (!isDataOfficer(actor)) throw new RightsForbidden();
    return actor;
  };
  /** Whether a data officer oversees the agency a request is addressed to (one to the node: the system administrator). */
  const handles = (actor: Actor, row: Pick<repo.RequestRow, "agencyCode">) => isDataOfficer(actor) && oversees(actor, row.agencyCode);
  const purposeOf = (purpose: string): ConsentPurpose => {
    if (!(CONSENT_PURPOSES as readonly string[]).includes(purpose)) throw new InvalidRightsInput([{ path: "/purpose", message: "Mục đích không có trong danh sách." }]);
    return purpose as ConsentPurpose;
  };

  return {
    async consents(actor) {
      return repo.consentsOf(database.db, subject(actor).userId);
    },
    async grant(actor, purpose) {
      const me = subject(actor);
      const p = purposeOf(purpose);
      return database.transaction(async (tx) => {
        const row = await repo.grantConsent(tx, { userId: me.userId, purpose: p, grantedAt: clock.now(), grantedBy: actorRef(me) });
        if (!row) return (await repo.consentInForce(tx, me.userId, p))!;
        await audit.record(tx, { actor, action: "registries.consent_granted", subject: { type: "data_consent", id: row.id }, change: { purpose: p } });
        return row;
      });
    },
    async withdraw(actor, purpose) {
      const me = subject(actor);
      const p = purposeOf(purpose);
      return database.transaction(async (tx) => {
        const row = await repo.withdrawConsent(tx, me.userId, p, clock.now(), actorRef(me));
        if (!row) throw new RightsNotFound("consent");
        await audit.record(tx, { actor, action: "registries.consent_withdrawn", subject: { type: "data_consent", id: row.id }, change: { purpose: p } });
        return row;
      });
    },
    async allows(userId, purpose) {
      return (await repo.consentInForce(database.db, userId, purpose)) !== null;
    },
    async fileRequest(actor, input) {
      const me = subject(actor);
      const problems: FieldProblem[] = [];
      if (!(REQUEST_KINDS as readonly string[]).includes(input.kind)) problems.push({ path: "/kind", message: "Loại yêu cầu: xem, chỉnh sửa hoặc xóa." });
      const detail = input.detail.trim();
      if (input.kind !== "see" && detail.length < 5) problems.push({ path: "/detail", message: "Hãy nói rõ dữ liệu nào cần chỉnh sửa hoặc xóa." });
      if (detail.length > 2000) problems.push({ path: "/detail", message: "Tối đa 2.000 ký tự." });
      const agencyCode = input.agencyCode?.trim() || null;
      if (agencyCode !== null && !isAgencyCode(agencyCode)) problems.push({ path: "/agencyCode", message: "Mã cơ quan không hợp lệ." });
      if (problems.length) throw new InvalidRightsInput(problems);
      const now = clock.now();
      const kind = input.kind as RequestKind;
      // Decree 356/2025/NĐ-CP Art. 5 (as reported, docs/DOMAIN.md §10): a reply within 2 working days of receipt, the
      // request carried out within 10 days (see, correct) or 20 (delete) — calendar days, counted as the Civil Code
      // counts them (the calendar's `days`). On the calendar of the agency it is addressed to; read before the
      // transaction (the embedded database has one connection, which the transaction holds).
      const replyDueAt = await calendar.due({ from: now, amount: settings.requestReplyWorkingDays, unit: "working_days", agency: agencyCode });
      const dueAt = await calendar.due({ from: now, amount: settings.requestDays[kind], unit: "days", agency: agencyCode });
      return database.transaction(async (tx) => {
        const row = await repo.insertRequest(tx, {
          userId: me.userId,
          username: me.username,
          fullName: me.fullName,
          agencyCode,
          kind: input.kind,
          detail,
          status: "received",
          filedAt: now,
          replyDueAt,
          dueAt,
        });
        await audit.record(tx, { actor, action: "registries.data_request_filed", subject: { type: "data_subject_request", id: row.id }, change: { kind: row.kind, replyDueAt: replyDueAt.toISOString(), dueAt: row.dueAt.toISOString() } });
        return row;
      });
    },
    async myRequests(actor) {
      return repo.requestsOf(database.db, subject(actor).userId);
    },
    async request(actor, id) {
      const row = await repo.requestById(database.db, id);
      const own = actor.type === "user" && row !== null && actor.userId === row.userId;
      if (!row || !(own || handles(actor, row))) throw new RightsNotFound("request");
      return row;
    },
    async requests(actor) {
      const scope = overseenAgencies(officer(actor));
      return repo.allRequests(database.db, scope === null ? null : scope.filter(isAgencyCode).map(subtreeSuffix));
    },
    async handleRequest(actor, id, input) {
      const me = officer(actor);
      const answer = input.answer?.trim() ?? "";
      if (input.status !== "in_progress" && answer.length < 2) throw new InvalidRightsInput([{ path: "/answer", message: "Hãy ghi câu trả lời cho người yêu cầu." }]);
      const before = await repo.requestById(database.db, id);
      // Another agency's request is not there for this officer (as a dossier another agency holds).
      if (!before || !handles(me, before)) throw new RightsNotFound("request");
      // Built before the transaction: the embedded database has one connection, which the transaction holds.
      const exported = input.status === "done" && before.kind === "see" ? await exportOf(subjectActorOf(before), before.agencyCode) : null;
      return database.transaction(async (tx) => {
        const row = await repo.requestById(tx, id, true);
        if (!row) throw new RightsNotFound("request");
        if (row.status === "done" || row.status === "refused" || (input.status === "in_progress" && row.status !== "received")) throw new RightsConflict(row.status);
        const now = clock.now();
        // Taking it up is its reply; an answer given at once is too.
        const replied = row.repliedAt === null ? { repliedAt: now } : {};
        const set =
          input.status === "in_progress"
            ? { status: input.status, ...replied }
            : {
                ...replied,
                status: input.status,
                answer,
                answeredAt: now,
                answeredBy: me.fullName,
                ...(exported ? { export: exported } : {}),
              };
        const updated = await repo.updateRequest(tx, id, set);
        await audit.record(tx, { actor, action: "registries.data_request_handled", subject: { type: "data_subject_request", id }, change: { status: input.status, late: isLate(updated, now), replyLate: isReplyLate(updated, now) } });
        return updated;
      });
    },
    async recordBreach(actor, input) {
      const me = officer(actor);
      const scope = overseenAgencies(me);
      const agencyCode = input.agencyCode ?? (scope === null ? null : me.agencyCode);
      const problems: FieldProblem[] = [];
      if (scope !== null && !oversees(me, agencyCode)) problems.push({ path: "/agencyCode", message: "Chỉ ghi sự cố của cơ quan mình giám sát." });
      if (input.description.trim().length < 5) problems.push({ path: "/description", message: "Hãy mô tả sự cố." });
      if (input.subjects.trim().length < 2) problems.push({ path: "/subjects", message: "Hãy nói dữ liệu của ai bị ảnh hưởng." });
      const now = clock.now();
      if (input.discoveredAt.getTime() > now.getTime()) problems.push({ path: "/discoveredAt", message: "Thời điểm phát hiện không thể ở tương lai." });
      if (input.occurredAt && input.occurredAt.getTime() > input.discoveredAt.getTime()) problems.push({ path: "/occurredAt", message: "Sự cố xảy ra trước khi được phát hiện." });
      if (problems.length) throw new InvalidRightsInput(problems);
      // Law 91/2025/QH15 Art. 23(1) (docs/DOMAIN.md §10): notify the authority "chậm nhất là 72 giờ kể từ khi phát
      // hiện hành vi vi phạm" — from its discovery (Decree 13/2023, repealed, counted from the violation). Hours: a
      // setting (cfg); when it occurred is kept for the notice.
      const from = input.discoveredAt;
      return database.transaction(async (tx) => {
        const row = await repo.insertBreach(tx, {
          agencyCode,
          discoveredAt: input.discoveredAt,
          occurredAt: input.occurredAt ?? null,
          description: input.description.trim(),
          subjects: input.subjects.trim(),
          recordedAt: now,
          recordedBy: me.fullName,
          notifyDueAt: new Date(from.getTime() + settings.breachNotifyHours * HOUR_MS),
        });
        await audit.record(tx, { actor, action: "registries.breach_recorded", subject: { type: "data_breach", id: row.id }, change: { agencyCode, notifyDueAt: row.notifyDueAt.toISOString() } });
        return row;
      });
    },
    async breaches(actor) {
      const me = officer(actor);
      return (await repo.breaches(database.db)).filter((b) => oversees(me, b.agencyCode));
    },
    async markNotified(actor, id) {
      const me = officer(actor);
      return database.transaction(async (tx) => {
        const row = await repo.breachById(tx, id, true);
        if (!row || !oversees(me, row.agencyCode)) throw new RightsNotFound("breach");
        if (row.notifiedAt) throw new RightsConflict("notified");
        const now = clock.now();
        const updated = await repo.markNotified(tx, id, now, me.fullName);
        await audit.record(tx, { actor, action: "registries.breach_notified", subject: { type: "data_breach", id }, change: { late: isOverdue(updated, now) } });
        return updated;
      });
    },
    async exportMine(actor) {
      return exportOf(subject(actor));
    },
  };
}
