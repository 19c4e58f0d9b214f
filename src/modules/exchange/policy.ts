// Who may do what with official documents: an officer acts for their own agency only, with the roles granted
// there; the operator (CLI) and the node's own jobs (system) act for any agency.
import { type Actor, hasRole, type Role } from "../../platform/auth/actor.ts";
import { isWithinAgency } from "../directory/index.ts";
import { IN_TRANSITIONS, type OfficerCode } from "./model.ts";

/** Clerks (văn thư: the desk), specialists, leaders and administrators compose and send. */
export const SENDER_ROLES: readonly Role[] = ["receiver", "specialist", "leader", "agency_admin"];
/** Every officer of the agency reads its documents (supervisors too). */
export const READER_ROLES: readonly Role[] = ["receiver", "specialist", "leader", "supervisor", "agency_admin"];
/** Who gives each answer on a received document: clerks register (accept, refuse), leaders assign. */
export const ROLES_FOR_CODE: Readonly<Record<OfficerCode, readonly Role[]>> = {
  "02": ["receiver", "leader", "agency_admin"],
  "03": ["receiver", "leader", "agency_admin"],
  "04": ["leader", "agency_admin"],
  "05": ["leader", "agency_admin", "specialist"],
  "06": ["leader", "agency_admin", "specialist"],
  "15": ["receiver", "leader", "agency_admin"],
  "16": ["receiver", "leader", "agency_admin"],
};

/** The agency an actor works for when it does not name one: an officer's own. */
export function homeAgency(actor: Actor): string | null {
  return actor.type === "user" ? actor.agencyCode : null;
}

/** Whether `actor` acts for `agency` holding one of `roles` there. */
export function actsFor(actor: Actor, agency: string, roles: readonly Role[]): boolean {
  if (actor.type === "system" || actor.type === "cli") return true;
  if (actor.type !== "user" || actor.agencyCode !== agency) return false;
  return roles.some((r) => hasRole(actor, r, (granted) => granted !== "" && isWithinAgency(agency, granted)));
}

/** Whether `actor` may see `agency`'s documents. */
export const maySee = (actor: Actor, agency: string) => actsFor(actor, agency, READER_ROLES);

/** What `actor` may do now with a document it sees: the officer codes its state and their roles allow, and `recall`. */
export function allowedFor(actor: Actor, d: { box: string; agencyCode: string; state: string; change: unknown; assignment: { assigneeId: string | null } | null }): string[] {
  if (d.box === "out") return d.state === "sent" && actsFor(actor, d.agencyCode, SENDER_ROLES) ? ["recall"] : [];
  const codes: string[] = [];
  for (const [code, t] of Object.entries(IN_TRANSITIONS)) {
    if (!t.from.includes(d.state) || !actsFor(actor, d.agencyCode, ROLES_FOR_CODE[code as OfficerCode])) continue;
    const leads = actsFor(actor, d.agencyCode, ["leader", "agency_admin"]);
    const mine = actor.type === "user" && d.assignment?.assigneeId === actor.userId;
    if ((code === "05" || code === "06") && d.assignment?.assigneeId && !leads && !mine) continue;
    codes.push(code);
  }
  if (d.change && actsFor(actor, d.agencyCode, ROLES_FOR_CODE["15"])) codes.push("15", "16");
  return codes;
}
