import { type Actor, hasRole, type Role } from "../../platform/auth/actor.ts";

/** The role that may edit the calendar of days off and office hours (the node's administrators). */
export const CALENDAR_ADMIN_ROLE: Role = "system_admin";

/** Seeds, jobs and the CLI run as the operator; a user needs the administrator role. */
export function canManageCalendar(actor: Actor): boolean {
  switch (actor.type) {
    case "system":
    case "cli":
      return true;
    case "user":
      return hasRole(actor, CALENDAR_ADMIN_ROLE);
    case "anonymous":
      return false;
  }
}
