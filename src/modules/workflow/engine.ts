// The process engine's rules (issue 5, item 3): how a procedure version's steps become a dossier's
// plan, each step's share of the time for the dossier's channel, and which moves a step allows. Pure:
// the dossier service applies the plan with the working-time calendar and the database.
import { type Channel, type ProcedureContent, type ProcessingTime, type StepRole, timeInHours } from "../catalog/index.ts";

export interface StepPlan {
  index: number;
  key: string;
  name: string;
  role: StepRole;
  department: string | null;
  /** The agency doing the step: the one the step names, else the implementing agency. */
  agencyCode: string;
  /** The step's working hours for this dossier's channel. */
  hours: number;
  leaderSigns: boolean;
}

/**
 * The processing time of a channel: its own, else (a channel the catalogue states no time for, e.g. post
 * when only the counter is stated) the counter's, else the longest.
 */
export function processingTimeFor(content: ProcedureContent, channel: Channel): ProcessingTime {
  const own = content.processingTimes.find((t) => t.channel === channel);
  if (own) return own;
  const counter = content.processingTimes.find((t) => t.channel === "counter");
  if (counter) return counter;
  return [...content.processingTimes].sort((a, b) => timeInHours(b) - timeInHours(a))[0]!;
}

/**
 * Where a dossier was received and where its result is handed over, when not at the procedure's own desks
 * (filing anywhere in the province, Decree 118/2025/NĐ-CP; DOMAIN.md §2–3 — the decree's text was not available,
 * so its article is not cited).
 */
export interface Desks {
  /** The desk that received the dossier (its receiving agency). */
  receiving: string;
  /** The desk the applicant collects the result at; null: the procedure's own return step. */
  returning: string | null;
}

/** The key of the hand-over step a dossier received at another desk gets (liên thông to the competent agency). */
export const TRANSFER_STEP = "lien-thong";

/**
 * The steps of a dossier. Step shares are stated against the longest channel's time (catalog/model.ts,
 * Step); a faster channel scales every share by the same ratio. With `desks`, the plan of a dossier received
 * or returned at another desk (`atDesks`).
 */
export function planSteps(content: ProcedureContent, channel: Channel, implementingAgency: string, desks?: Desks): StepPlan[] {
  const shares = content.steps.reduce((s, step) => s + step.hours, 0);
  const scale = shares > 0 ? timeInHours(processingTimeFor(content, channel)) / shares : 1;
  const own = content.steps.map((s, index) => ({
    index,
    key: s.key,
    name: s.name,
    role: s.role,
    department: s.department,
    agencyCode: s.agency ?? implementingAgency,
    hours: s.hours * scale,
    leaderSigns: s.leaderSigns,
  }));
  return desks ? atDesks(own, receivingAgencies(content), desks) : own;
}

/**
 * The plan of a dossier received at a desk that is not the procedure's own, or whose result is collected at
 * another desk (DOMAIN.md §3, "Filing anywhere in the province"). Received elsewhere: the reception is that
 * desk's, and the dossier then goes to the competent agency as an inter-agency hand-over (liên thông), a step of
 * its own at the competent agency — it is done when that agency takes the dossier up — given the share of time
 * the procedure gives its own reception (which, done at the counter, has no time of its own). Returned
 * elsewhere: the last step, the desk's return, is at the chosen desk.
 */
function atDesks(own: StepPlan[], ownDesks: string[], desks: Desks): StepPlan[] {
  let steps = own;
  const first = own[0];
  if (first && first.role === "receiver" && own.length > 1 && !ownDesks.includes(desks.receiving)) {
    const competent = own[1]!;
    steps = [
      // The procedure's own reception step may name its desk ("Trung tâm … tỉnh tiếp nhận"): this one is another's.
      { ...first, name: "Tiếp nhận hồ sơ, cấp giấy tiếp nhận và hẹn trả kết quả, chuyển cơ quan giải quyết", agencyCode: desks.receiving, department: null, hours: 0 },
      {
        index: 1,
        key: TRANSFER_STEP,
        name: "Tiếp nhận hồ sơ liên thông từ nơi tiếp nhận",
        role: competent.role === "receiver" ? "receiver" : "specialist",
        department: competent.department,
        agencyCode: competent.agencyCode,
        hours: first.hours,
        leaderSigns: false,
      },
      ...own.slice(1),
    ];
  }
  const last = steps[steps.length - 1];
  if (desks.returning && last && last.role === "receiver" && steps.length > 1 && last.agencyCode !== desks.returning) {
    steps = [...steps.slice(0, -1), { ...last, name: "Nhận kết quả từ cơ quan giải quyết, trả kết quả cho người nộp hồ sơ", agencyCode: desks.returning, department: null }];
  }
  return steps === own ? own : steps.map((s, index) => ({ ...s, index }));
}

/** The desk a procedure's result is handed over at (its last step, a receiver's), or null when it has none. */
export function returnDesk(plan: StepPlan[]): string | null {
  const last = plan[plan.length - 1];
  return last && last.role === "receiver" && plan.length > 1 ? last.agencyCode : null;
}

/** Whether every signing step lies before `index`: the result may then be issued. */
export function signed(plan: StepPlan[], index: number): boolean {
  return plan.every((s) => !s.leaderSigns || s.index < index);
}

/** Where `forward` goes from `index`: the next step, or null past the last. */
export function nextStep(plan: StepPlan[], index: number): StepPlan | null {
  return plan[index + 1] ?? null;
}

/** Where `send_back` goes from `index`: the previous step, or null at the first. */
export function previousStep(plan: StepPlan[], index: number): StepPlan | null {
  return index > 0 ? (plan[index - 1] ?? null) : null;
}

/**
 * The step a received dossier starts at. The receipt is the work of a first reception step (role
 * receiver at the receiving agency), so processing starts at the step after it.
 */
export function firstProcessingStep(plan: StepPlan[], receivingAgency: string): StepPlan | null {
  const first = plan[0];
  if (first && first.role === "receiver" && first.agencyCode === receivingAgency) return plan[1] ?? first;
  return first ?? null;
}

/**
 * The agencies that may receive a dossier of the procedure: the desk its first step names (a provincial
 * Public Administration Service Centre receiving for a department, Decree 118/2025), else each
 * implementing agency (a commune's own desk).
 */
export function receivingAgencies(content: ProcedureContent): string[] {
  const first = content.steps[0];
  if (first && first.role === "receiver" && first.agency) return [first.agency];
  return [...content.agencies];
}

/** The agency that decides a dossier received at `receiving`: that agency if it implements the procedure, else the first implementing one. */
export function implementingAgency(content: ProcedureContent, receiving: string): string {
  return content.agencies.includes(receiving) ? receiving : content.agencies[0]!;
}
