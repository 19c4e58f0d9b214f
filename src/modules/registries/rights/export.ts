// "See my data" (issue 18, item 5): what motcua holds about a person — their account, their dossiers, the
// look-ups about them in the national registries, their consents and their requests — as one JSON document.
import type { Actor } from "../../../platform/auth/actor.ts";
import type { Database } from "../../../platform/db/index.ts";
import { isWithinAgency } from "../../directory/index.ts";
import type { DossierService } from "../../dossiers/index.ts";
import * as lookupsRepo from "../repo.ts";
import * as repo from "./repo.ts";

export type SubjectActor = Extract<Actor, { type: "user" }>;

export interface PersonalDataExport {
  producedAt: string;
  account: { username: string; fullName: string; email: string | null; roles: string[] };
  dossiers: Array<{ id: string; code: string | null; procedureName: string; agencyCode: string; status: string; createdAt: string }>;
  lookups: Array<{ at: string; actorName: string; agencyCode: string | null; registry: string; fields: string[]; purpose: string; legalBasis: string; dossierId: string; outcome: string }>;
  consents: Array<{ purpose: string; grantedAt: string; withdrawnAt: string | null }>;
  requests: Array<{ kind: string; status: string; filedAt: string; replyDueAt: string | null; repliedAt: string | null; dueAt: string; answeredAt: string | null }>;
}

/**
 * Whether an account's username is a business's tax code: 10 digits, or 13 for a branch or dependent unit, with or
 * without the dash (0101234567-001, 0101234567001). A CCCD has 12 digits, so neither length is a citizen's.
 */
export const isTaxCodeUsername = (username: string): boolean => /^\d{10}(-?\d{3})?$/.test(username);

/** The person a request was filed by, as the services read them (their own dossiers, their look-ups). */
export function subjectActorOf(row: Pick<repo.RequestRow, "userId" | "username" | "fullName">): SubjectActor {
  const business = isTaxCodeUsername(row.username);
  return { type: "user", userId: row.userId, username: row.username, fullName: row.fullName, email: null, roles: [{ role: business ? "business" : "citizen", agencyCode: "" }], agencyCode: null, loa: 0 };
}

export function makeExporter(deps: { database: Database; dossiers: Pick<DossierService, "mine">; now: () => Date }) {
  const { database, dossiers, now } = deps;
  /**
   * What motcua holds about `person`; for a request addressed to an agency (`agencyCode`), what that agency and those
   * under it hold: the dossiers they received or process, their look-ups (an agency answers for its own processing).
   */
  return async (person: SubjectActor, agencyCode: string | null = null): Promise<PersonalDataExport> => {
    const held = (code: string | null) => agencyCode === null || (code !== null && isWithinAgency(code, agencyCode));
    const business = person.roles.some((r) => r.role === "business");
    const [mine, lookups, consents, requests] = await Promise.all([
      dossiers.mine(person, 1, 500),
      // A covert look-up is not disclosed before its date, here as on the tracker page.
      // A business's look-ups are recorded under its tax code's compact form (0101234567001 for 0101234567-001).
      lookupsRepo.lookupsOf(database.db, business ? "business" : "citizen", business ? person.username.replace("-", "") : person.username, { disclosedBy: now() }, 1000),
      repo.consentsOf(database.db, person.userId),
      repo.requestsOf(database.db, person.userId),
    ]);
    return {
      producedAt: now().toISOString(),
      account: { username: person.username, fullName: person.fullName, email: person.email, roles: person.roles.map((r) => r.role) },
      dossiers: mine.items.filter((d) => held(d.agencyCode) || held(d.processingAgencyCode)).map((d) => ({ id: d.id, code: d.code, procedureName: d.procedureName, agencyCode: d.agencyCode, status: d.status, createdAt: d.createdAt })),
      lookups: lookups.filter((l) => held(l.agencyCode)).map((l) => ({
        at: l.at.toISOString(),
        actorName: l.actorName,
        agencyCode: l.agencyCode,
        registry: l.registry,
        fields: l.fields,
        purpose: l.purpose,
        legalBasis: l.legalBasis,
        dossierId: l.dossierId,
        outcome: l.outcome,
      })),
      consents: consents.map((c) => ({ purpose: c.purpose, grantedAt: c.grantedAt.toISOString(), withdrawnAt: c.withdrawnAt?.toISOString() ?? null })),
      requests: requests.map((r) => ({
        kind: r.kind,
        status: r.status,
        filedAt: r.filedAt.toISOString(),
        replyDueAt: r.replyDueAt?.toISOString() ?? null,
        repliedAt: r.repliedAt?.toISOString() ?? null,
        dueAt: r.dueAt.toISOString(),
        answeredAt: r.answeredAt?.toISOString() ?? null,
      })),
    };
  };
}
