/**
 * Who is acting. Every service function takes the actor explicitly, so the HTTP layer, jobs and
 * the CLI go through the same checks. The identity module fills in users; the platform knows only
 * these shapes.
 */
export type Actor =
  | { type: "anonymous" }
  | { type: "system"; name: string }
  | { type: "cli"; name: string }
  | {
      type: "user";
      userId: string;
      username: string;
      /** The account's full name, for histories and the applicant of a dossier filed online. */
      fullName: string;
      /** The account's address for mail, when it has one. */
      email: string | null;
      /** Roles with the agency subtree each holds over ('' for the national roles of citizens and businesses). */
      roles: RoleGrant[];
      /** The agency an officer belongs to. */
      agencyCode: string | null;
      /** Assurance level: 0 password only, 1 or 2 as VNeID. */
      loa: number;
    };

/** The roles of motcua (issue 3): who does what in the one-stop process. */
export const ROLES = [
  "citizen",
  "business",
  "receiver",
  "specialist",
  "leader",
  "agency_admin",
  "supervisor",
  "system_admin",
] as const;
export type Role = (typeof ROLES)[number];

/**
 * The roles of an agency's staff, who work on its dossiers, in the order the administration page offers them
 * (the desk, the one who examines, the one who signs, the one who reads, the one who administers). The
 * system administrator runs the node, not the agencies' work, and is not among them.
 */
export const OFFICER_ROLES: readonly Role[] = ["receiver", "specialist", "leader", "supervisor", "agency_admin"];

export interface RoleGrant {
  role: Role;
  /** The agency whose subtree the role covers; '' for citizen and business. */
  agencyCode: string;
}

/** Whether a user actor holds `role` (over any agency, or over one whose subtree `inScope` accepts). */
export function hasRole(actor: Actor, role: Role, inScope?: (grantAgency: string) => boolean): boolean {
  if (actor.type !== "user") return false;
  return actor.roles.some((g) => g.role === role && (!inScope || inScope(g.agencyCode)));
}

export const anonymous: Actor = { type: "anonymous" };

export function systemActor(name: string): Actor {
  return { type: "system", name };
}

/** A stable, non-personal reference to the actor for audit entries and histories. */
export function actorRef(actor: Actor): string {
  switch (actor.type) {
    case "anonymous":
      return "anonymous";
    case "system":
      return `system:${actor.name}`;
    case "cli":
      return `cli:${actor.name}`;
    case "user":
      return `user:${actor.userId}`;
  }
}
