// Notifications of a dossier's changes (issue 5, item 11): mail to the applicant on receipt, supplement
// request, apology and result, and to an officer given a dossier. Queued in the change's transaction
// through the mail outbox, so a change that rolls back sends nothing.
import type { Db } from "../../platform/db/index.ts";
import type { EventListener } from "../../platform/events.ts";
import { defineJob, type JobDefinition, type JobQueue } from "../../platform/jobs/index.ts";
import type { Mailer } from "../../platform/mail/index.ts";
import type { IdentityService } from "../identity/index.ts";
import type { DossierTransition } from "./events.ts";
import type { DossierRow } from "./hooks.ts";
import type { ProcedureFacts, ProcedureLookup } from "./lookups.ts";
import { NATIONAL_RECEIVED } from "./model.ts";
import { myDossierPath } from "./portal-views.tsx";
import { findDossier } from "./repo.ts";
import {
  apologyMail,
  type ApplicantFacts,
  assignmentMail,
  type MailContent,
  receiptMail,
  resultReadyMail,
  type ReturnMethod,
  type SupplementLine,
  supplementMail,
} from "./notifications-templates.ts";
import type { SupplementItem } from "./tables.ts";

export const NOTIFY_ASSIGNEE_JOB = "dossiers.notify_assignee";

export interface NotifierDeps {
  jobs: JobQueue;
  mail: Mailer;
  /** Finds an officer's address by user id. */
  identity: Pick<IdentityService, "user">;
  /** `config.publicUrl`: the links in the messages. */
  publicUrl: string;
  /** The procedure's name and the names of its components and fields; without it the code is shown. */
  catalog?: ProcedureLookup;
}

/** The officer's message, queued with the change; the address is looked up when it is sent. */
interface AssigneeNotice {
  userId: string;
  dossierId: string;
  code: string | null;
  procedureName: string;
  stepName: string;
  dueAt: string | null;
}

/** The actions the applicant is told of. */
const APPLICANT_ACTIONS: ReadonlySet<DossierTransition["action"]> = new Set(["received", "receive", "request_supplement", "apologize", "finish"]);

/** Whether the change calls for a message to the applicant (if they gave an address). */
function tellsApplicant(event: DossierTransition): boolean {
  if (!APPLICANT_ACTIONS.has(event.action)) return false;
  // Once per receipt: when the service reported its first half (`received`), that one was told.
  return !(event.action === "receive" && event.fromNationalStatus === NATIONAL_RECEIVED);
}

/** The actions after which a step's assignee is told the dossier is theirs. */
const HAND_OVERS: ReadonlySet<DossierTransition["action"]> = new Set(["assign", "forward", "send_back", "receive"]);

function asDate(v: unknown): Date | null {
  if (v instanceof Date) return v;
  if (typeof v !== "string" && typeof v !== "number") return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

const asText = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** `details.items` as the service records it (Mẫu 02); anything malformed is left out, not guessed. */
function asItems(v: unknown): SupplementItem[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((i: unknown) => {
    if (typeof i !== "object" || i === null) return [];
    const r = i as Record<string, unknown>;
    const reason = asText(r.reason);
    return reason ? [{ component: asText(r.component), field: asText(r.field), reason }] : [];
  });
}

function returnMethod(event: DossierTransition): ReturnMethod {
  const chosen = asText(event.details?.method) ?? event.dossier.returnMethod ?? event.dossier.channel;
  return chosen === "counter" || chosen === "post" ? chosen : "online";
}

export interface Notifier {
  /** Listens to "dossiers.transition", in the change's transaction. */
  listener: EventListener<"dossiers.transition">;
  /** `dossiers.notify_assignee`: the officer's message, sent when it runs. */
  job: JobDefinition<AssigneeNotice>;
}

/**
 * The listener of each dossier change. Applicants' messages go to the address on the dossier (read in the
 * change's transaction, only for a change that tells the applicant); an officer's goes through the job
 * `dossiers.notify_assignee`, which reads the officer's address when it runs (the identity service reads
 * outside the change's transaction, which the embedded database's single connection would not allow inside it).
 */
export function makeNotifier(deps: NotifierDeps): Notifier {
  const publicUrl = deps.publicUrl.replace(/\/+$/, "");

  const notice = defineJob<AssigneeNotice>({
    name: NOTIFY_ASSIGNEE_JOB,
    handler: async (n, ctx) => {
      const user = await deps.identity.user(n.userId);
      // Only to a verified address of an active account: a mistyped one would tell a stranger.
      if (!user || user.status !== "active" || !user.email || !user.emailVerified) return;
      const to = user.email;
      const content = assignmentMail({
        officerName: user.fullName,
        code: n.code,
        procedureName: n.procedureName,
        stepName: n.stepName,
        dueAt: n.dueAt ? new Date(n.dueAt) : null,
        link: `${publicUrl}/office/ho-so/${encodeURIComponent(n.dossierId)}`,
      });
      await ctx.database.transaction((tx) => deps.mail.send(tx, { to, ...content }));
    },
  });

  function applicantFacts(d: DossierRow, procedure: ProcedureFacts | null): ApplicantFacts {
    const link =
      d.code && d.lookupKey ? `${publicUrl}/tra-cuu?ma=${encodeURIComponent(d.code)}&khoa=${encodeURIComponent(d.lookupKey)}` : publicUrl;
    // The dossier's page is its owner's, behind sign-in; a counter dossier without an account has none.
    const dossierLink = d.ownerUserId ? `${publicUrl}${myDossierPath(encodeURIComponent(d.id))}` : null;
    return { applicantName: d.applicant.name, code: d.code, procedureName: procedure?.name ?? d.procedureCode, link, dossierLink };
  }

  function supplementLines(items: SupplementItem[], procedure: ProcedureFacts | null): SupplementLine[] {
    const component = new Map((procedure?.components ?? []).map((c) => [c.key, c.name]));
    const fields = procedure?.form?.ui.fields ?? {};
    return items.map((i) => {
      const names = [i.component && (component.get(i.component) ?? i.component), i.field && (fields[i.field]?.label ?? i.field)].filter(Boolean);
      return { what: names.length ? names.join(" – ") : null, reason: i.reason };
    });
  }

  /** The applicant's message for a change that `tellsApplicant`. */
  function applicantMail(event: DossierTransition, d: DossierRow, procedure: ProcedureFacts | null): MailContent | null {
    const facts = applicantFacts(d, procedure);
    switch (event.action) {
      case "received":
      case "receive":
        return receiptMail({ ...facts, dueAt: d.dueAt });
      case "request_supplement":
        return supplementMail({ ...facts, items: supplementLines(asItems(event.details?.items), procedure), paused: event.toStatus === "supplementing" });
      case "apologize":
        return apologyMail({ ...facts, reason: asText(event.details?.reason) ?? event.note, newDueAt: asDate(event.details?.newDueAt) ?? d.dueAt });
      case "finish":
        return resultReadyMail({ ...facts, method: returnMethod(event) });
      default:
        return null;
    }
  }

  /** The officer a hand-over gives the dossier to; nobody needs telling about their own act. */
  function assigneeOf(event: DossierTransition): string | null {
    const userId = event.step?.assigneeUserId ?? null;
    if (!userId || !HAND_OVERS.has(event.action)) return null;
    return event.actor.type === "user" && event.actor.userId === userId ? null : userId;
  }

  async function listener(tx: Db, event: DossierTransition) {
    const assignee = assigneeOf(event);
    const row = tellsApplicant(event) ? await findDossier(tx, event.dossier.id) : null;
    const to = row?.applicant.email ?? null;
    if (!to && !assignee) return;
    const procedure = deps.catalog ? await deps.catalog(tx, event.dossier.procedure) : null;
    const content = row && to ? applicantMail(event, row, procedure) : null;
    if (to && content) await deps.mail.send(tx, { to, ...content });
    if (assignee && event.step) {
      await deps.jobs.enqueue(tx, notice, {
        userId: assignee,
        dossierId: event.dossier.id,
        code: event.dossier.code,
        procedureName: procedure?.name ?? event.dossier.procedure.code,
        stepName: event.step.name,
        dueAt: event.step.dueAt.toISOString(),
      });
    }
  }

  return { listener, job: notice };
}
