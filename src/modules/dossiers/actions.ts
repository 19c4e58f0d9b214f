// What each action does to a dossier (API.md `POST /api/dossiers/{id}/actions/{action}`), worked out
// from the dossier as read, before the transaction that applies it. Whether it may be taken at all is the
// guard's (policy.ts `decide`, asked first); here are the rest of the rules of Circular 01/2018 and Decree
// 118/2025: the paused clock, the apology's lead time, refusals and stops with a reason, the result before
// the dossier finishes.
import type { CalendarService } from "../calendar/index.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import { formDataProblems, type ProcedureContent } from "../catalog/index.ts";
import { isWithinAgency } from "../directory/index.ts";
import type { IdentityService } from "../identity/index.ts";
import { firstProcessingStep, nextStep, previousStep, processingTimeFor, type StepPlan } from "../workflow/index.ts";
import { ApologyTooLate, InvalidDossier, InvalidTransition } from "./errors.ts";
import type { DossierRow } from "./hooks.ts";
import type { DossierAction, DossierRules, DossierStatus } from "./model.ts";
import { canTakeStep } from "./policy.ts";
import type { FileRow } from "./repo.ts";
import type { ActionInput } from "./schema.ts";
import { type PlannedChange, timelinessOf } from "./transitions.ts";

export { DEFAULT_RULES, type DossierRules } from "./model.ts";

export interface PlanContext {
  d: DossierRow;
  content: ProcedureContent;
  plan: StepPlan[];
  input: ActionInput;
  now: Date;
  files: FileRow[];
  calendar: CalendarService;
  identity: IdentityService;
  rules: DossierRules;
}

const need = (value: string | undefined, path: string, message: string): string => {
  if (!value?.trim()) throw new InvalidDossier([{ path, message }]);
  return value.trim();
};

const stepDue = (c: PlanContext, step: StepPlan, from: Date) => c.calendar.due({ from, amount: step.hours, unit: "hours", agency: step.agencyCode });

/** Moves `at` on by the working time the clock stood still (a supplement's pause). */
const shifted = (c: PlanContext, at: Date | null, minutes: number) =>
  at ? c.calendar.due({ from: at, amount: minutes / 60, unit: "hours", agency: c.d.processingAgencyCode }) : Promise.resolve(null);

/** A step the guard made sure of (policy.ts `decide`): its absence is a bug, not a refusal. */
function sure<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`planAction: no ${what} (the guard, policy.ts decide, lets no such action through)`);
  return value;
}

/**
 * The change `action` makes, once the guard (policy.ts `decide`) allowed it. Throws InvalidDossier (400) for
 * its input, ApologyTooLate (409).
 */
export async function planAction(action: DossierAction, c: PlanContext): Promise<PlannedChange> {
  const { d, input, now } = c;
  const status = d.status as DossierStatus;
  const base = { action, note: input.note?.trim() || null, details: null, set: {} } as const;
  const current = d.stepIndex === null ? null : (c.plan[d.stepIndex] ?? null);

  switch (action) {
    case "receive": {
      const time = processingTimeFor(c.content, d.channel as "online" | "counter" | "post");
      // The legal time runs from the receipt, whether before or after the agency's cut-off, unless the
      // procedure counts from the next working day (DOMAIN.md §3; the procedure's processing time says so).
      const due = await c.calendar.due({
        from: now,
        amount: time.amount,
        unit: time.unit,
        agency: d.agencyCode,
        countFromNextDayAfterCutoff: time.countFromNextDayAfterCutoff,
      });
      const first = firstProcessingStep(c.plan, d.agencyCode)!;
      const reception = c.plan[0] && c.plan[0] !== first ? c.plan[0] : undefined;
      // Received after the cut-off (15:00 by default), the dossier is transferred to the processing unit at the
      // start of the next working day: its first step starts then (DOMAIN.md §3; the text of Decree 118/2025 on
      // this point was not available to us).
      const transfer = await c.calendar.transferAt({ at: now, agency: d.agencyCode });
      return {
        ...base,
        toStatus: "processing",
        set: { receivedAt: now, dueAt: due, originalDueAt: due },
        receipt: true,
        ...(reception ? { receptionStep: reception } : {}),
        startStep: { plan: first, startedAt: transfer, dueAt: await stepDue(c, first, transfer) },
        details: { dueAt: due.toISOString(), processingTime: time },
      };
    }
    case "refuse_receipt": {
      const reason = need(input.reason, "/reason", "Cần nêu rõ lý do từ chối tiếp nhận.");
      return { ...base, toStatus: "refused_receipt", note: reason, details: { reason } };
    }
    case "request_supplement": {
      const items = input.items ?? [];
      if (items.length === 0) throw new InvalidDossier([{ path: "/items", message: "Cần liệt kê từng giấy tờ hoặc thông tin cần bổ sung và lý do." }]);
      const keys = new Set(c.content.components.map((p) => p.key));
      const problems: FieldProblem[] = items.flatMap((it, i) =>
        it.component && !keys.has(it.component) ? [{ path: `/items/${i}/component`, message: `Thủ tục không có thành phần hồ sơ ${it.component}.` }] : [],
      );
      if (problems.length) throw new InvalidDossier(problems);
      const clean = items.map((it) => ({ ...(it.component ? { component: it.component } : {}), ...(it.field ? { field: it.field } : {}), reason: it.reason.trim() }));
      if (status === "new") return { ...base, toStatus: "incomplete", details: { items: clean, beforeReceipt: true } };
      return {
        ...base,
        toStatus: "supplementing",
        set: { pausedAt: now, supplementsAfterReceipt: d.supplementsAfterReceipt + 1 },
        pause: { open: clean },
        details: { items: clean },
      };
    }
    case "supplement": {
      const formData = input.formData ?? d.formData;
      const problems = formDataProblems(c.content.form, formData, "/formData");
      if (problems.length) throw new InvalidDossier(problems);
      if (status === "incomplete") return { ...base, toStatus: "new", set: { formData } };
      // The clock resumes: every due time moves on by the working time it stood still.
      const minutes = await c.calendar.workingMinutes({ from: d.pausedAt!, to: now, agency: d.processingAgencyCode });
      return {
        ...base,
        toStatus: "processing",
        set: {
          formData,
          pausedAt: null,
          dueAt: await shifted(c, d.dueAt, minutes),
          originalDueAt: await shifted(c, d.originalDueAt, minutes),
          promisedAt: await shifted(c, d.promisedAt, minutes),
          stepDueAt: await shifted(c, d.stepDueAt, minutes),
        },
        pause: { close: true },
        details: { pausedWorkingMinutes: minutes },
      };
    }
    case "assign": {
      if (!input.assigneeUserId && !input.department) throw new InvalidDossier([{ path: "/assigneeUserId", message: "Cần chọn cán bộ hoặc phòng ban được giao." }]);
      if (input.assigneeUserId) {
        const officer = await c.identity.user(input.assigneeUserId);
        if (!officer || officer.status !== "active" || !officer.agencyCode || !isWithinAgency(officer.agencyCode, d.processingAgencyCode)) {
          throw new InvalidDossier([{ path: "/assigneeUserId", message: "Cán bộ được giao phải thuộc cơ quan đang xử lý hồ sơ." }]);
        }
        if (!canTakeStep(officer.roles, current?.role ?? null, d.processingAgencyCode)) {
          throw new InvalidDossier([{ path: "/assigneeUserId", message: "Cán bộ được giao không có vai trò thực hiện bước xử lý này." }]);
        }
      }
      const department = input.department ?? d.assigneeDepartment;
      return {
        ...base,
        toStatus: "processing",
        set: { assigneeUserId: input.assigneeUserId ?? null, assigneeDepartment: department },
        ...(current ? { atStep: current } : {}),
        details: { assigneeUserId: input.assigneeUserId ?? null, department },
      };
    }
    case "forward":
    case "approve": {
      const next = sure(current && nextStep(c.plan, current.index), "next step");
      return { ...base, toStatus: "processing", endStep: { outcome: action === "approve" ? "approved" : "forwarded" }, startStep: { plan: next, dueAt: await stepDue(c, next, now) } };
    }
    case "send_back": {
      const note = need(input.note ?? input.reason, "/note", "Cần ghi lý do chuyển trả bước trước.");
      const prev = sure(current && previousStep(c.plan, current.index), "previous step");
      return { ...base, toStatus: "processing", note, endStep: { outcome: "sent_back" }, startStep: { plan: prev, dueAt: await stepDue(c, prev, now) } };
    }
    case "refuse":
    case "stop": {
      const reason = need(input.reason, "/reason", action === "refuse" ? "Việc từ chối giải quyết phải nêu rõ lý do." : "Cần nêu rõ lý do dừng xử lý.");
      return {
        ...base,
        toStatus: action === "refuse" ? "refused" : "stopped",
        note: reason,
        set: { finishedAt: now, pausedAt: null, timeliness: d.dueAt ? timelinessOf(now, d.dueAt) : null },
        endStep: { outcome: action === "refuse" ? "refused" : "stopped" },
        ...(d.pausedAt ? { pause: { close: true } as const } : {}),
        details: { reason },
      };
    }
    case "apologize": {
      // The apology (Mẫu 04) promises the applicant a new date; the legal due date stays on the dossier, in the
      // queues' flags, the statistics and the national sync, and a dossier finished after it is late
      // (DOMAIN.md §3, corrected 4 December 2026: "an apology excuses nothing in the statistics"; the circular's
      // own text on the apology was not available to us).
      const reason = need(input.reason, "/reason", "Cần nêu lý do chậm trả kết quả.");
      if (!input.newDueAt) throw new InvalidDossier([{ path: "/newDueAt", message: "Cần hẹn lại ngày trả kết quả." }]);
      const newDue = new Date(input.newDueAt);
      // The date the applicant holds now: the last promise, else the legal one.
      const promised = d.promisedAt ?? d.dueAt;
      if (!promised || newDue.getTime() <= promised.getTime()) throw new InvalidDossier([{ path: "/newDueAt", message: "Ngày hẹn mới phải sau ngày hẹn hiện tại." }]);
      // Mẫu 04 is issued at least one working day (cfg, rules.apologyLeadWorkingDays) before the date it moves.
      const latest = await c.calendar.due({ from: now, amount: c.rules.apologyLeadWorkingDays, unit: "working_days", agency: d.processingAgencyCode });
      if (latest.getTime() > promised.getTime()) throw new ApologyTooLate(promised.toISOString());
      return {
        ...base,
        toStatus: status,
        note: reason,
        set: { promisedAt: newDue, apologized: d.apologized + 1 },
        details: { reason, previousDueAt: promised.toISOString(), newDueAt: newDue.toISOString(), legalDueAt: d.dueAt!.toISOString() },
      };
    }
    case "finish": {
      const result = input.resultFileId ? c.files.find((f) => f.id === input.resultFileId && f.kind === "result") : c.files.find((f) => f.kind === "result");
      if (!result) throw new InvalidDossier([{ path: "/resultFileId", message: "Cần đính kèm văn bản kết quả (PDF) trước khi kết thúc xử lý." }]);
      const at = current?.index ?? 0;
      // What is left is handing the result over, at the desk's last step.
      const last = c.plan[c.plan.length - 1]!;
      const returnStep = last.role === "receiver" ? last : null;
      const atReturn = returnStep !== null && returnStep.index === at;
      return {
        ...base,
        toStatus: "done",
        set: { finishedAt: now, resultFileSha256: result.sha256, timeliness: timelinessOf(now, d.dueAt ?? now) },
        ...(atReturn ? {} : { endStep: { outcome: "finished" } }),
        ...(returnStep && !atReturn && returnStep.index > at ? { startStep: { plan: returnStep, dueAt: await stepDue(c, returnStep, now) } } : {}),
        details: { resultFileId: result.id },
      };
    }
    case "return": {
      const method = input.method ?? (d.channel === "online" ? "online" : "counter");
      return { ...base, toStatus: "returned", set: { returnedAt: now, returnMethod: method }, endStep: { outcome: "returned" }, details: { method } };
    }
    case "withdraw":
      return {
        ...base,
        toStatus: "withdrawn",
        set: { pausedAt: null, finishedAt: status === "draft" ? null : now },
        ...(d.stepIndex !== null ? { endStep: { outcome: "withdrawn" } } : {}),
        ...(d.pausedAt ? { pause: { close: true } as const } : {}),
      };
    case "submit":
      // Submitting is the service's own use case (it validates the whole dossier); not an action here.
      throw new InvalidTransition(action, status);
  }
}
