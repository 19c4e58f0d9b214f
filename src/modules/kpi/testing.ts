// Test support of the statistics: dossiers' lives played as the dossiers module publishes them, to a listener whose
// catalogue and papers are given by the test, on a real database.
import type { Actor, RoleGrant } from "../../platform/auth/actor.ts";
import type { Database } from "../../platform/db/index.ts";
import { buildDossier, buildEvent } from "../dossiers/testing-events.ts";
import type { DossierTransition } from "../dossiers/index.ts";
import { makeKpiListeners } from "./listener.ts";

type DossierRow = ReturnType<typeof buildDossier>;

/** One change of a dossier: the action, when, and the columns it set. */
export interface Change {
  action: DossierTransition["action"];
  at: string;
  set?: Partial<DossierRow>;
}

/** A listener over given papers (per dossier id) and fee-bearing procedures. */
export function testListeners(papers: Record<string, { digitised: boolean; reused: boolean }>, feeProcedures: readonly string[]) {
  return makeKpiListeners({
    dossiers: { componentFlags: async (_db, id) => papers[id] ?? { digitised: false, reused: false } },
    catalog: {
      bound: async (code, version) =>
        ({ code, version, publishedAt: new Date(0), content: { fees: feeProcedures.includes(code) ? [{ amount: 50_000 }] : [] } }) as never,
    },
  });
}

/** Plays a dossier's life to the listener: each change in a transaction of its own; a rating with `action: "rated"`. */
export async function playLife(
  database: Database,
  listeners: ReturnType<typeof testListeners>,
  base: Partial<DossierRow>,
  changes: Array<Change | { action: "rated"; at: string; level: "very_satisfied" | "satisfied" | "unsatisfied" }>,
): Promise<DossierRow> {
  let row: DossierRow = buildDossier({ status: "new", nationalStatus: 1, receivedAt: null, dueAt: null, originalDueAt: null, ...base });
  let status: DossierRow["status"] | null = "draft";
  for (const c of changes) {
    const at = new Date(c.at);
    if (c.action === "rated") {
      const facts = buildEvent(row, { action: "return", at }).event.dossier;
      await database.transaction((tx) => listeners.rated(tx, { dossier: facts, level: c.level, at }));
      continue;
    }
    row = { ...row, ...(c.set ?? {}) };
    const { event } = buildEvent(row, { action: c.action, at, fromStatus: status as never });
    await database.transaction(async (tx) => {
      // A receipt is published as two events in one transaction, as the dossiers module does.
      if (c.action === "receive") await listeners.transition(tx, { ...event, action: "received", nationalStatus: 2 });
      await listeners.transition(tx, event);
    });
    status = row.status;
  }
  return row;
}

/** A user actor holding `roles` (no account: the service decides by the grants alone). */
export function grantee(userId: string, roles: RoleGrant[]): Actor {
  return { type: "user", userId, username: userId, fullName: userId, email: null, roles, agencyCode: roles[0]?.agencyCode ?? null, loa: 0 };
}
