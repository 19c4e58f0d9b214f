// Who may see a dossier, and who may act on it when: pure functions over the actor, the dossier as read and
// its plan. `decide` is the one guard of every change of a dossier (issue 12): the service asks it before an
// action (the API's action route, the office's and the portal's forms all go through the service), and the
// actions a page offers are those it allows, so what is offered is exactly what succeeds.
import { type Actor, hasRole, OFFICER_ROLES, type Role, type RoleGrant } from "../../platform/auth/actor.ts";
import type { StepRole } from "../catalog/index.ts";
import { isWithinAgency } from "../directory/index.ts";
import { nextStep, previousStep, signed, type StepPlan } from "../workflow/index.ts";
import type { DossierRow } from "./hooks.ts";
import { ACTIONS, type DossierAction, type DossierRules, type DossierStatus, FROM } from "./model.ts";

/** Whether the actor holds `role` over `agency` (the agency is in the subtree of the grant). */
export const holds = (actor: Actor, role: Role, agency: string) => hasRole(actor, role, (scope) => isWithinAgency(agency, scope));

export const isOwner = (actor: Actor, d: Pick<DossierRow, "ownerUserId">) => actor.type === "user" && d.ownerUserId !== null && d.ownerUserId === actor.userId;

/**
 * Whether the agencies' staff may see the dossier at all (issue 13): drafts are private until filed. An online
 * dossier is the applicant's alone until it is filed (`submittedAt`, set by filing and never cleared: a draft the
 * applicant withdrew was never filed and stays theirs); a dossier made at the counter (or from the post) is the
 * desk's work from its creation. Staff who may not see it are told it does not exist (404), not that it is private.
 */
export const isOpenToStaff = (d: Pick<DossierRow, "submittedAt" | "channel">): boolean => d.submittedAt !== null || d.channel !== "online";

/**
 * The applicant who filed it, and, once it is open to staff, officers of the receiving or the processing agency's
 * subtree. A system administrator runs the node, not the agencies' work, and sees no dossier. Every read of one
 * dossier (the API, the office's pages, its files, its forms) goes through this; the lists of many (the queues, the
 * register) hold only filed statuses (`FiledStatus`).
 */
export function canSee(actor: Actor, d: Pick<DossierRow, "ownerUserId" | "agencyCode" | "processingAgencyCode" | "submittedAt" | "channel">): boolean {
  if (isOwner(actor, d)) return true;
  if (!isOpenToStaff(d)) return false;
  return OFFICER_ROLES.some((role) => holds(actor, role, d.agencyCode) || holds(actor, role, d.processingAgencyCode));
}

/**
 * What the guard decides on: the dossier actions (API.md), and the changes of a dossier that are not actions —
 * saving a draft's form, attaching a paper, attaching the result.
 */
export type GuardedAction = DossierAction | "save" | "attach" | "attach_result";

/** Why the dossier's state does not allow an action now (a 409): named for the tests and the reader. */
export type StateRule =
  /** Its status does not allow the action (model.ts `FROM`), or not for this party. */
  | "status"
  /** At the last step: there is nowhere to forward it to. */
  | "no_next_step"
  /** At the first step: there is nowhere to send it back to. */
  | "no_previous_step"
  /** Approving is signing, and nobody signs at this step. */
  | "not_signing_step"
  /** A signing step lies ahead: no result before it is signed. */
  | "not_signed"
  /** The supplements the rules allow after receipt were asked for (DOMAIN.md §3, cfg). */
  | "supplement_limit";

/**
 * The guard's answer. `forbidden` (403): this actor may never take the action on this dossier — no role of theirs
 * takes it at any status or step of its plan (a supervisor, an administrator, another citizen) — or, though they
 * might elsewhere, the dossier is now with someone else (another step's role, another agency). `state` (409): they
 * are a party to the action, and the dossier's status, step or plan does not allow it now.
 */
export type Decision = { allowed: true } | { allowed: false; reason: "forbidden" } | { allowed: false; reason: "state"; rule: StateRule };
export type Refusal = Exclude<Decision, { allowed: true }>;

const ALLOWED: Decision = { allowed: true };
const FORBIDDEN: Refusal = { allowed: false, reason: "forbidden" };
const state = (rule: StateRule): Refusal => ({ allowed: false, reason: "state", rule });

/** The statuses each guarded change may start from: the actions' (model.ts), and the draft's and the uploads'. */
const STARTS: Record<GuardedAction, readonly DossierStatus[]> = {
  ...FROM,
  save: ["draft"],
  attach: ["draft", "new", "incomplete", "supplementing"],
  attach_result: ["processing"],
};

/** The applicant adds papers to a draft, or those a supplement request asks for. */
const APPLICANT_ATTACHES: readonly DossierStatus[] = ["draft", "incomplete", "supplementing"];
/** The desk also while the dossier waits at reception. */
const DESK_ATTACHES: readonly DossierStatus[] = ["draft", "new", "incomplete", "supplementing"];

type Rules = Pick<DossierRules, "supplementsAfterReceipt">;

/**
 * Whether `actor` may take `action` on `d` now, or the reason not. Every who-and-when rule of a dossier's change
 * is here; what the change then does (and the checks of its input: reasons, dates, files) is `planAction`'s.
 */
export function decide(action: GuardedAction, d: DossierRow, plan: StepPlan[], actor: Actor, rules: Rules): Decision {
  const current = d.stepIndex === null ? null : (plan[d.stepIndex] ?? null);
  const isParty = mayTake(actor, action, d, { status: d.status, agency: d.processingAgencyCode, stepRole: current?.role ?? null });
  // A caller refused on several counts hears one (issue 13): first whether they may ever take this action here —
  // one who never may is told so (403) whatever the state, never that the state is wrong (409); then the status
  // (409); then whether it is theirs where it stands (403); then the step (409).
  if (!isParty && !mayEverTake(actor, action, d, plan)) return FORBIDDEN;
  // Its step is being performed on another node (một cửa liên thông): it waits for that agency's result.
  if (!STARTS[action].includes(d.status as DossierStatus) || d.awayAgencyCode) return state("status");
  // Taken in from another node for one step: the applicant is the origin's (supplements, apologies, the return).
  if (d.takenInStep && APPLICANT_FACING.includes(action)) return state("status");
  if (!isParty) return FORBIDDEN;
  return stepRefusal(action, d, plan, current, actor, rules) ?? ALLOWED;
}

/** What a dossier taken in for one step does not do: its applicant deals with the origin node. */
const APPLICANT_FACING: readonly GuardedAction[] = ["request_supplement", "apologize", "return"];

/** The actions `actor` may take on `d` now: what the pages offer (`allowedActions` of the dossier's DTO). */
export function allowedActions(actor: Actor, d: DossierRow, plan: StepPlan[], rules: Rules): DossierAction[] {
  return ACTIONS.filter((a) => decide(a, d, plan, actor, rules).allowed);
}

/** Where a dossier stands, as far as who may act on it is concerned. */
interface Position {
  status: string;
  /** The agency it is with (`processingAgencyCode`). */
  agency: string;
  /** The role of the step it is at; null before receipt. */
  stepRole: StepRole | null;
}

/**
 * Whether `actor` could take `action` on `d` at some status it starts from and at some step of its plan (or before
 * receipt, at the receiving agency): what stays true of a party wherever the dossier goes — owning it, its channel,
 * the roles held over the agencies of its plan. Not so: the action is never theirs here (403 in any state).
 */
function mayEverTake(actor: Actor, action: GuardedAction, d: DossierRow, plan: StepPlan[]): boolean {
  const positions = [{ agency: d.agencyCode, stepRole: null }, ...plan.map((s) => ({ agency: s.agencyCode, stepRole: s.role }))];
  return STARTS[action].some((status) => positions.some((p) => mayTake(actor, action, d, { status, ...p })));
}

/**
 * Who may take an action where the dossier stands, before its status allows it or not. Reception's actions belong
 * to the receiving agency's desk; processing's to the agency the dossier is with; a step is done by its role (a
 * leader may also do a specialist's step).
 */
function mayTake(actor: Actor, action: GuardedAction, d: Pick<DossierRow, "ownerUserId" | "agencyCode" | "channel">, where: Position): boolean {
  const at = where.agency;
  const receiving = d.agencyCode;
  const leader = holds(actor, "leader", at);
  // An online draft is the applicant's alone (issue 13): the desk completes and files only the dossiers made at
  // its counter, and works on an online one once it is filed.
  const desk = holds(actor, "receiver", receiving) && (d.channel !== "online" || where.status !== "draft");
  switch (action) {
    case "withdraw":
      return isOwner(actor, d);
    case "submit":
    case "save":
    case "attach":
    case "supplement":
      // The applicant, or the desk for them: it completes and files a walk-in's dossier (counter intake).
      return isOwner(actor, d) || desk;
    case "receive":
    case "refuse_receipt":
      return holds(actor, "receiver", receiving);
    case "return":
      return holds(actor, "receiver", receiving) || holds(actor, "receiver", at);
    case "request_supplement":
      return where.status === "new" ? holds(actor, "receiver", receiving) : holds(actor, "specialist", at) || leader;
    case "assign":
      return leader || holds(actor, "receiver", at);
    case "forward":
    case "send_back":
      return stepRoles(where.stepRole).some((role) => holds(actor, role, at));
    case "approve":
    case "refuse":
    case "stop":
    case "apologize":
      return leader;
    case "finish":
      // At the desk's last step the desk registers the result it was handed.
      if (where.stepRole === "receiver") return holds(actor, "receiver", at) || leader;
      return holds(actor, "specialist", at) || leader;
    case "attach_result":
      // Whoever works on the dossier may put the result on it; the desk at its own step.
      return holds(actor, "specialist", at) || leader || (where.stepRole === "receiver" && holds(actor, "receiver", at));
  }
}

/** What the step the dossier is at, and the plan around it, do not allow now. */
function stepRefusal(action: GuardedAction, d: DossierRow, plan: StepPlan[], current: StepPlan | null, actor: Actor, rules: Rules): Refusal | null {
  switch (action) {
    case "forward":
      return current && nextStep(plan, current.index) ? null : state("no_next_step");
    case "send_back":
      return current && previousStep(plan, current.index) ? null : state("no_previous_step");
    case "approve":
      // Approving is the leader's signature (Circular 01/2018, Decree 118/2025: the competent leader signs; the
      // control sheet, Mẫu 05, records the step as "Đã ký duyệt"). At a leader's step that signs nothing — a head
      // of unit reviewing, a director putting a decision up to the chairman (trình) — there is nothing to
      // approve: the leader forwards it. (Issue 12: the API approved there, the page did not offer it.)
      if (!current?.leaderSigns) return state("not_signing_step");
      return nextStep(plan, current.index) ? null : state("no_next_step");
    case "finish": {
      // A result is issued once the signing is done: every signing step is behind, or this is the last one and
      // its leader signs and issues at once. Not at the first of two signing steps, whose signature prepares the
      // second's (a department's proposal before the chairman's decision). (Issue 12: the page offered it there,
      // the API refused it.)
      const at = current?.index ?? 0;
      if (signed(plan, at)) return null;
      const lastToSign = current?.leaderSigns === true && signed(plan.filter((s) => s.index !== at), at);
      return lastToSign && holds(actor, "leader", d.processingAgencyCode) ? null : state("not_signed");
    }
    case "request_supplement":
      // Before receipt the desk may ask as often as it needs; after it, as often as the rules allow (once).
      return d.status === "processing" && d.supplementsAfterReceipt >= rules.supplementsAfterReceipt ? state("supplement_limit") : null;
    case "attach": {
      const status = d.status as DossierStatus;
      if (isOwner(actor, d) && APPLICANT_ATTACHES.includes(status)) return null;
      if (holds(actor, "receiver", d.agencyCode) && DESK_ATTACHES.includes(status)) return null;
      return state("status");
    }
    default:
      return null;
  }
}

/**
 * The roles that may do a step of `role` once it is assigned to them, as `decide` lets the step's actions be
 * taken: the step's role, or a leader (a step with no role is a specialist's).
 */
export function stepRoles(role: StepRole | null): Role[] {
  return role === "leader" ? ["leader"] : [role ?? "specialist", "leader"];
}

/** Whether an officer with these grants could do a step of `role` at agency `at` (one of `stepRoles` there). */
export function canTakeStep(grants: readonly RoleGrant[], role: StepRole | null, at: string): boolean {
  const roles = stepRoles(role);
  return grants.some((g) => roles.includes(g.role) && isWithinAgency(at, g.agencyCode));
}
