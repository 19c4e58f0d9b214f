import { type Actor, hasRole, OFFICER_ROLES } from "../../platform/auth/actor.ts";

/**
 * Who may look up a person or a business in the national registries (decided for issue 18):
 * - an officer of an agency (any of the agency roles, with the agency they act for), about anyone, for a purpose,
 *   on a legal basis and for a dossier, all recorded;
 * - a citizen about themselves only (their account's CCCD), a business about itself only (its tax code);
 * - nobody else: not the system administrator (who runs the node, not the agencies' work), not jobs, not the CLI.
 */
export function canLookUp(actor: Actor, subject: { type: "citizen" | "business"; id: string }): boolean {
  if (actor.type !== "user") return false;
  if (actor.agencyCode && OFFICER_ROLES.some((role) => hasRole(actor, role))) return true;
  if (subject.type === "citizen") return hasRole(actor, "citizen") && actor.username === subject.id;
  return hasRole(actor, "business") && actor.username === subject.id;
}
