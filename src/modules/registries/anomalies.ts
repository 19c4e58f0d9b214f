// The anomaly report for an agency's supervisors (issue 18, item 6): officers who looked up many distinct people
// without a dossier of the agency to show for it, and look-ups made outside the agency's office hours (the
// calendar's: its own hours, days off and make-up days). A report, not a verdict: a supervisor reads it. It costs a
// constant number of queries whatever the number of officers and dossiers: the agency's look-ups, then which of
// their dossier references are the agency's (one query), office hours from the calendar's cache.
import type { Actor } from "../../platform/auth/actor.ts";
import type { Database } from "../../platform/db/index.ts";
import type { CalendarService } from "../calendar/index.ts";
import type { DossierService } from "../dossiers/index.ts";
import { InvalidRightsInput, RightsForbidden } from "./rights/errors.ts";
import { overseenAgencies, oversees } from "./rights/policy.ts";
import * as repo from "./rights/repo.ts";

export interface UnlinkedOfficer {
  actor: string;
  actorName: string;
  lookups: number;
  /** Distinct people (CCCD) or businesses looked up for no dossier of the agency. */
  distinctUnlinked: number;
  /** Some of the dossier references given for them (none of the agency's). */
  dossierIds: string[];
}

export interface OffHoursLookup {
  id: string;
  at: string;
  actor: string;
  actorName: string;
  registry: string;
  subjectType: string;
  subjectId: string;
  dossierId: string;
}

export interface AnomalyReport {
  agencyCode: string;
  from: string;
  to: string;
  threshold: number;
  lookups: number;
  unlinked: UnlinkedOfficer[];
  offHours: OffHoursLookup[];
}

export interface AnomalyService {
  /** The report over [from, to) for an agency the actor supervises (default: their own). Throws RightsForbidden, InvalidRightsInput. */
  report(actor: Actor, query: { agencyCode?: string | undefined; from: Date; to: Date }): Promise<AnomalyReport>;
}

const MAX_SPAN_MS = 92 * 86_400_000;

export function makeAnomalyService(deps: {
  database: Database;
  calendar: Pick<CalendarService, "workingMinutes">;
  dossiers: Pick<DossierService, "visibleIds">;
  threshold: number;
}): AnomalyService {
  const { database, calendar, dossiers, threshold } = deps;

  /** The agency's own reading of the dossier references: those it received or processes, in one query. */
  const linkedDossiers = (agencyCode: string, ids: string[]): Promise<Set<string>> => {
    const reader: Actor = { type: "user", userId: "system:anomaly-report", username: "system:anomaly-report", fullName: "", email: null, roles: [{ role: "supervisor", agencyCode }], agencyCode, loa: 0 };
    return dossiers.visibleIds(reader, ids);
  };

  return {
    async report(actor, query) {
      const scope = overseenAgencies(actor);
      if (actor.type !== "user" || (scope !== null && scope.length === 0)) throw new RightsForbidden();
      const agencyCode = query.agencyCode ?? actor.agencyCode ?? "";
      if (!agencyCode) throw new InvalidRightsInput([{ path: "/agencyCode", message: "Chọn cơ quan." }]);
      if (!oversees(actor, agencyCode)) throw new RightsForbidden();
      if (!(query.from.getTime() < query.to.getTime()) || query.to.getTime() - query.from.getTime() > MAX_SPAN_MS) {
        throw new InvalidRightsInput([{ path: "/to", message: "Khoảng thời gian từ 1 ngày đến 92 ngày, 'đến' sau 'từ'." }]);
      }
      const rows = await repo.agencyLookups(database.db, agencyCode, query.from, query.to);
      const linked = await linkedDossiers(agencyCode, [...new Set(rows.map((r) => r.dossierId))]);

      const byOfficer = new Map<string, { actorName: string; lookups: number; subjects: Set<string>; dossierIds: Set<string> }>();
      for (const r of rows) {
        const o = byOfficer.get(r.actor) ?? { actorName: r.actorName, lookups: 0, subjects: new Set<string>(), dossierIds: new Set<string>() };
        o.lookups += 1;
        if (!linked.has(r.dossierId)) {
          o.subjects.add(`${r.subjectType}:${r.subjectId}`);
          if (o.dossierIds.size < 10) o.dossierIds.add(r.dossierId);
        }
        byOfficer.set(r.actor, o);
      }
      const unlinked = [...byOfficer]
        .filter(([, o]) => o.subjects.size >= threshold)
        .map(([ref, o]) => ({ actor: ref, actorName: o.actorName, lookups: o.lookups, distinctUnlinked: o.subjects.size, dossierIds: [...o.dossierIds] }))
        .sort((a, b) => b.distinctUnlinked - a.distinctUnlinked);

      // Inside office hours when the minute starting at the look-up holds working time (cached per minute).
      const minutes = new Map<number, boolean>();
      const offHours: OffHoursLookup[] = [];
      for (const r of rows) {
        const minute = Math.floor(r.at.getTime() / 60_000) * 60_000;
        let inside = minutes.get(minute);
        if (inside === undefined) {
          inside = (await calendar.workingMinutes({ from: new Date(minute), to: new Date(minute + 60_000), agency: agencyCode })) > 0;
          minutes.set(minute, inside);
        }
        if (!inside) {
          offHours.push({ id: r.id, at: r.at.toISOString(), actor: r.actor, actorName: r.actorName, registry: r.registry, subjectType: r.subjectType, subjectId: r.subjectId, dossierId: r.dossierId });
        }
      }
      return { agencyCode, from: query.from.toISOString(), to: query.to.toISOString(), threshold, lookups: rows.length, unlinked, offHours };
    },
  };
}
