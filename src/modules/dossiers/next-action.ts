// What the office's dossier page leads with (issue 15, item 3): of the actions the guard lets the officer take
// now (policy.ts `allowedActions`: what is offered is what succeeds), the one the step is for, where it sends
// the dossier in its plan, and the actions an officer takes seldom, kept behind a disclosure. This orders what
// the guard allows; it never adds nor removes an action.
import { firstProcessingStep, nextStep, previousStep, type StepPlan } from "../workflow/index.ts";
import type { DossierAction } from "./model.ts";

/** The actions of the office's page, in the order they are shown within their group. */
export const OFFICE_ACTIONS: readonly DossierAction[] = ["receive", "refuse_receipt", "request_supplement", "supplement", "assign", "forward", "send_back", "approve", "refuse", "apologize", "stop", "finish", "return"];

/**
 * Which action leads, the first the officer may take: the desk receives a new dossier and returns a result; it
 * enters a supplement for the applicant; a signing leader approves (the guard offers approving only at a signing
 * step); a specialist, or a leader who signs nothing, forwards; at the last step (the desk's return step, or a
 * procedure without one) the result is registered; a leader over a step that is not theirs to do assigns it.
 */
const LEADING: readonly DossierAction[] = ["receive", "return", "supplement", "approve", "forward", "finish", "assign"];

/** Actions taken seldom, each ending or pausing the dossier's way or turning it back: behind a disclosure. */
export const RARE_ACTIONS: readonly DossierAction[] = ["refuse_receipt", "request_supplement", "send_back", "refuse", "apologize", "stop"];

export interface ArrangedActions {
  /** The step's own action, shown first and prominent; null when only rare actions are offered. */
  primary: DossierAction | null;
  /** Others an officer takes as often (assigning, issuing the result beside signing), shown as they are. */
  usual: DossierAction[];
  /** The rare ones, behind a disclosure. */
  rare: DossierAction[];
}

/** The offered actions arranged for the page: every one of them, once. */
export function arrangeActions(offered: readonly DossierAction[]): ArrangedActions {
  const shown = OFFICE_ACTIONS.filter((a) => offered.includes(a));
  const primary = LEADING.find((a) => shown.includes(a)) ?? null;
  // At a signing step, moving the dossier on without signing is the exception: the leader approves.
  const rare = (a: DossierAction) => RARE_ACTIONS.includes(a) || (primary === "approve" && a === "forward");
  return {
    primary,
    usual: shown.filter((a) => a !== primary && !rare(a)),
    rare: shown.filter((a) => a !== primary && rare(a)),
  };
}

/** Where an action sends the dossier: a step of its plan, or the applicant (the result handed over). */
export type Destination = { kind: "step"; step: StepPlan } | { kind: "applicant" };

/**
 * Where `action` sends a dossier at `stepIndex` of `plan`, received (or to be received) at `receiving`, as the
 * service moves it (actions.ts `planAction`); null for an action that keeps it where it is.
 */
export function destinationOf(action: DossierAction, plan: StepPlan[], d: { stepIndex: number | null; receiving: string }): Destination | null {
  const current = d.stepIndex === null ? null : (plan[d.stepIndex] ?? null);
  const step = (s: StepPlan | null): Destination | null => (s ? { kind: "step", step: s } : null);
  switch (action) {
    case "receive":
      return step(firstProcessingStep(plan, d.receiving));
    case "forward":
    case "approve":
      return current ? step(nextStep(plan, current.index)) : null;
    case "send_back":
      return current ? step(previousStep(plan, current.index)) : null;
    case "finish": {
      // The result goes to the desk's return step when one lies ahead; at it (or without one) it is the applicant's.
      const last = plan[plan.length - 1];
      const at = current?.index ?? 0;
      return last && last.role === "receiver" && last.index > at ? { kind: "step", step: last } : { kind: "applicant" };
    }
    case "return":
      return { kind: "applicant" };
    default:
      return null;
  }
}
