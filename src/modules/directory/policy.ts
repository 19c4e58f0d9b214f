import { type Actor, hasRole, type Role } from "../../platform/auth/actor.ts";

/** The role that may edit the agency directory (held by the node's administrators). */
export const DIRECTORY_ADMIN_ROLE: Role = "system_admin";

/** Seeds, jobs and the CLI run as the operator; a user needs the administrator role. */
export function canManageDirectory(actor: Actor): boolean {
  switch (actor.type) {
    case "system":
    case "cli":
      return true;
    case "user":
      return hasRole(actor, DIRECTORY_ADMIN_ROLE);
    case "anonymous":
      return false;
  }
}
