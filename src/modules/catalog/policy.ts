// Who may change the catalogue: pure functions over the actor and the procedure's implementing agencies.
import { type Actor, hasRole, type Role } from "../../platform/auth/actor.ts";
import { isWithinAgency } from "../directory/index.ts";

/** Who reviews the procedures of the agencies in their subtree (a system administrator reviews them all). */
const AGENCY_REVIEWERS: readonly Role[] = ["agency_admin", "supervisor"];

/**
 * A system administrator, or an agency administrator whose subtree holds every implementing agency:
 * a commune's administrator cannot change the rules another commune applies too.
 */
export function canEditProcedure(actor: Actor, agencies: readonly string[]): boolean {
  if (hasRole(actor, "system_admin")) return true;
  // The seed and the command line run as the node itself.
  if (actor.type === "cli" || actor.type === "system") return true;
  if (agencies.length === 0) return false;
  return agencies.every((code) => hasRole(actor, "agency_admin", (scope) => isWithinAgency(code, scope)));
}

/** Whether the actor may see drafts and version history of a procedure (its editors and supervisors). */
export function canReviewProcedure(actor: Actor, agencies: readonly string[]): boolean {
  if (canEditProcedure(actor, agencies)) return true;
  return agencies.some((code) =>
    AGENCY_REVIEWERS.some((role) => hasRole(actor, role, (scope) => isWithinAgency(code, scope))),
  );
}

/**
 * The agency subtrees under which the actor reviews procedures (any implementing agency inside one is
 * enough, as canReviewProcedure says), or null for every procedure.
 */
export function reviewScopes(actor: Actor): string[] | null {
  if (hasRole(actor, "system_admin") || actor.type === "cli" || actor.type === "system") return null;
  if (actor.type !== "user") return [];
  return [...new Set(actor.roles.filter((g) => AGENCY_REVIEWERS.includes(g.role)).map((g) => g.agencyCode))];
}
