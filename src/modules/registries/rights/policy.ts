import { type Actor, hasRole } from "../../../platform/auth/actor.ts";
import { isWithinAgency } from "../../directory/index.ts";

/** A citizen or a business acting for themselves: their consents, their requests, their data. */
export function isDataSubject(actor: Actor): actor is Extract<Actor, { type: "user" }> {
  return actor.type === "user" && (hasRole(actor, "citizen") || hasRole(actor, "business"));
}

/**
 * Who handles data subjects' requests and keeps the breach register (decided for issue 18): the system
 * administrator (the node keeps the data), and an agency's supervisors and administrators.
 */
export function isDataOfficer(actor: Actor): actor is Extract<Actor, { type: "user" }> {
  return actor.type === "user" && (hasRole(actor, "system_admin") || (Boolean(actor.agencyCode) && (hasRole(actor, "supervisor") || hasRole(actor, "agency_admin"))));
}

/** The agencies whose breaches and look-ups an actor oversees; null for all (the system administrator). */
export function overseenAgencies(actor: Actor): string[] | null {
  if (actor.type !== "user") return [];
  if (hasRole(actor, "system_admin")) return null;
  return actor.roles.filter((g) => (g.role === "supervisor" || g.role === "agency_admin") && g.agencyCode).map((g) => g.agencyCode);
}

/** Whether `agencyCode` is within what the actor oversees (an agency's subtree, or everything). */
export function oversees(actor: Actor, agencyCode: string | null): boolean {
  const scope = overseenAgencies(actor);
  if (scope === null) return true;
  return agencyCode !== null && scope.some((root) => isWithinAgency(agencyCode, root));
}
