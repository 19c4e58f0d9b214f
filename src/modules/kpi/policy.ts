// Who sees which figures. Leaders and supervisors see their agency's subtree; a province's whole figure is for a
// supervisor of the province (a grant on its level-1 agency, the People's Committee). The figures are counts only;
// the dossiers behind a count are listed to the officers who may see each of them.
import { type Actor, OFFICER_ROLES, type Role } from "../../platform/auth/actor.ts";
import { agencyLevel, type DirectoryService, isAgencyCode, isWithinAgency, subtreeSuffix } from "../directory/index.ts";
import { KpiForbidden } from "./errors.ts";
import type { ScopeFilter } from "./repo.ts";

/** The roles that see figures of their subtree. */
export const FIGURE_ROLES: readonly Role[] = ["leader", "supervisor"];

/** A scope resolved for a caller: what the rollups are filtered by, and the agency the catalogue is read under. */
export interface Scope extends ScopeFilter {
  /** The agency asked for, or the province's level-1 agency. */
  root: string;
}

/** The grants of `roles` a user holds; the program's own actors (CLI, system) hold every agency. */
function grants(actor: Actor, roles: readonly Role[]): string[] | "all" {
  if (actor.type === "cli" || actor.type === "system") return "all";
  if (actor.type !== "user") return [];
  return actor.roles.filter((g) => roles.includes(g.role) && isAgencyCode(g.agencyCode)).map((g) => g.agencyCode);
}

/**
 * The scope of a query: an agency's subtree (within one of the caller's grants), a province (for a supervisor of
 * its level-1 agency), or by default the caller's first grant. Throws KpiForbidden.
 */
export async function resolveScope(
  actor: Actor,
  query: { agency?: string | undefined; province?: string | undefined },
  directory: DirectoryService,
  roles: readonly Role[] = FIGURE_ROLES,
): Promise<Scope> {
  const held = grants(actor, roles);
  if (query.agency !== undefined) {
    if (!isAgencyCode(query.agency)) throw new KpiForbidden();
    if (held !== "all" && !held.some((g) => isWithinAgency(query.agency!, g))) throw new KpiForbidden();
    const agency = await directory.agency(query.agency);
    if (query.province !== undefined && agency.provinceCode !== query.province) throw new KpiForbidden();
    return { province: agency.provinceCode, agencySuffix: subtreeSuffix(agency.code), root: agency.code };
  }
  if (query.province !== undefined) {
    const candidates = held === "all" ? [] : held.filter((g) => agencyLevel(g) === 1);
    for (const g of candidates) {
      if (actor.type === "user" && !actor.roles.some((r) => r.role === "supervisor" && r.agencyCode === g)) continue;
      if ((await directory.agency(g)).provinceCode === query.province) return { province: query.province, agencySuffix: null, root: g };
    }
    if (held === "all") return { province: query.province, agencySuffix: null, root: "" };
    throw new KpiForbidden();
  }
  if (held === "all" || held.length === 0) throw new KpiForbidden();
  const agency = await directory.agency(held[0]!);
  return { province: agency.provinceCode, agencySuffix: subtreeSuffix(agency.code), root: agency.code };
}

/** Whether an officer may see a dossier received at `agency` (a grant on it or above it). */
export function maySeeDossier(actor: Actor, agency: string): boolean {
  const held = grants(actor, OFFICER_ROLES);
  return held === "all" || held.some((g) => isWithinAgency(agency, g));
}
