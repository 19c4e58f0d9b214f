// Who may see a dossier and who may act on it: pure functions over the actor and the dossier.
import { type Actor, hasRole, OFFICER_ROLES, type Role, type RoleGrant } from "../../platform/auth/actor.ts";
import { isWithinAgency } from "../directory/codes.ts";
import type { DossierRow } from "./hooks.ts";
import type { DossierAction } from "./model.ts";

/** Whether the actor holds `role` over `agency` (the agency is in the subtree of the grant). */
export const holds = (actor: Actor, role: Role, agency: string) => hasRole(actor, role, (scope) => isWithinAgency(agency, scope));

export const isOwner = (actor: Actor, d: Pick<DossierRow, "ownerUserId">) => actor.type === "user" && d.ownerUserId !== null && d.ownerUserId === actor.userId;

/**
 * The applicant who filed it, and officers of the receiving or the processing agency's subtree. A
 * system administrator runs the node, not the agencies' work, and sees no dossier.
 */
export function canSee(actor: Actor, d: Pick<DossierRow, "ownerUserId" | "agencyCode" | "processingAgencyCode">): boolean {
  if (isOwner(actor, d)) return true;
  return OFFICER_ROLES.some((role) => holds(actor, role, d.agencyCode) || holds(actor, role, d.processingAgencyCode));
}

/** The role of the step the dossier is at, as the procedure's template says. */
export type StepRole = "receiver" | "specialist" | "leader";

/**
 * Who may take an action, before the state is looked at. Reception's actions belong to the receiving
 * agency's desk; processing's to the agency the dossier is with; a step is done by its role (a leader
 * may also do a specialist's step).
 */
export function canAct(actor: Actor, action: DossierAction, d: DossierRow, stepRole: StepRole | null): boolean {
  const at = d.processingAgencyCode;
  const receiving = d.agencyCode;
  const leader = holds(actor, "leader", at);
  switch (action) {
    case "submit":
    case "withdraw":
      return isOwner(actor, d);
    case "supplement":
      return isOwner(actor, d) || holds(actor, "receiver", receiving);
    case "receive":
    case "refuse_receipt":
      return holds(actor, "receiver", receiving);
    case "return":
      return holds(actor, "receiver", receiving) || holds(actor, "receiver", at);
    case "request_supplement":
      return d.status === "new" ? holds(actor, "receiver", receiving) : holds(actor, "specialist", at) || leader;
    case "assign":
      return leader || holds(actor, "receiver", at);
    case "forward":
    case "send_back":
      return stepRoles(stepRole).some((role) => holds(actor, role, at));
    case "approve":
    case "refuse":
    case "stop":
    case "apologize":
      return leader;
    case "finish":
      // At the desk's last step the desk registers the result it was handed.
      if (stepRole === "receiver") return holds(actor, "receiver", at) || leader;
      return holds(actor, "specialist", at) || leader;
  }
}

/**
 * The roles that may do a step of `role` once it is assigned to them, as `canAct` lets the step's actions be
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
