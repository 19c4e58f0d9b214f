import { type Actor, hasRole, type Role } from "../../../platform/auth/actor.ts";

/** The role that manages the exchange's keys and registered certificates: the node's administrators. */
export const KEYS_ADMIN_ROLE: Role = "system_admin";

/** The CLI, seeds and jobs run as the operator; a user needs the administrator role. */
export function canManageKeys(actor: Actor): boolean {
  switch (actor.type) {
    case "system":
    case "cli":
      return true;
    case "user":
      return hasRole(actor, KEYS_ADMIN_ROLE);
    case "anonymous":
      return false;
  }
}
