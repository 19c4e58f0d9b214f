// Acting on a dossier: the actions of its process (receive, forward, approve, return…), whom its step may be
// assigned to, and its lateness flags.
import type { Actor } from "../../platform/auth/actor.ts";
import { ancestorAgencyCodes } from "../directory/index.ts";
import { planAction } from "./actions.ts";
import type { DossierAction } from "./model.ts";
import { decide, stepRoles } from "./policy.ts";
import * as repo from "./repo.ts";
import type { ActionInput, DossierDto } from "./schema.ts";
import type { DossierFiling } from "./service.filing.ts";
import type { DossierCore, DossierDeps, Meta } from "./service.support.ts";
import { applyChange } from "./transitions.ts";

/** An officer a dossier's step may be assigned to, as the assignment form lists them. */
export interface Assignee {
  id: string;
  fullName: string;
  /** The officer's own agency: the processing agency or a unit under it. */
  agencyCode: string;
  departmentCode: string | null;
}

/** The dossier service's actions. */
export interface DossierActions {
  /**
   * Whom the dossier's current step may be assigned to: active officers of the processing agency's subtree who
   * could take the step (its role there, or a leader). Empty for an actor who may not assign it now.
   */
  assignees(actor: Actor, id: string): Promise<Assignee[]>;
  /**
   * Takes an action (receive, forward, …) the guard (policy.ts `decide`) allows. Throws DossierNotFound,
   * DossierForbidden (403), InvalidTransition or SupplementLimit (409), InvalidDossier (400, the input).
   */
  act(actor: Actor, id: string, action: DossierAction, input: ActionInput, meta?: Meta): Promise<DossierDto>;
  /** Flags dossiers due within the warning window and those past due (the lateness job). */
  flagLateness(): Promise<{ dueSoon: number; overdue: number }>;
}

/** People by name as a Vietnamese reader orders them (the same on either database). */
const BY_NAME = new Intl.Collator("vi");

export function makeActions(
  deps: DossierDeps,
  core: DossierCore,
  filing: Pick<DossierFiling, "submit">,
): DossierActions {
  const { database, clock, audit, calendar, identity, events } = deps;
  const { rules, boundProcedure, planOf, whoIs, visible, guard, dto, transact, wasChangedAgain } = core;
  const { submit } = filing;

  return {
    async assignees(actor, id) {
      const d = await visible(actor, id);
      const plan = planOf(await boundProcedure(d), d);
      if (!decide("assign", d, plan, actor, rules).allowed) return [];
      const role = d.stepIndex === null ? null : (plan[d.stepIndex]?.role ?? null);
      const at = d.processingAgencyCode;
      // The officers the assign action accepts (canTakeStep): their grant is at the agency or above it.
      const officers = await identity.officersHolding({ within: at, roles: stepRoles(role), grantedAt: [at, ...ancestorAgencyCodes(at)] });
      return officers
        .map((o) => ({ id: o.id, fullName: o.fullName, agencyCode: o.agencyCode ?? at, departmentCode: o.departmentCode }))
        .sort((a, b) => BY_NAME.compare(a.fullName, b.fullName) || (a.id < b.id ? -1 : 1));
    },

    async act(actor, id, action, input, meta = {}) {
      if (action === "submit") return submit(actor, id, meta);
      const d = await visible(actor, id);
      const content = await boundProcedure(d);
      const plan = planOf(content, d);
      guard(action, d, plan, actor);
      const now = clock.now();
      const fileRows = action === "finish" ? await repo.listFiles(database.db, d.id) : [];
      const change = await planAction(action, { d, content, plan, input, now, files: fileRows, calendar, identity, rules });
      const who = whoIs(actor, d, meta);
      // Read again when the change's listeners changed it in its transaction: a step sent to another node's
      // agency (interagency) left the dossier waiting with its holder, which the answer must show.
      const after = await transact(d, action, async (tx, locked) => {
        const changed = (await applyChange(tx, { audit, events }, locked, change, who, now)).dossier;
        return wasChangedAgain(tx, changed.id) ? ((await repo.findDossier(tx, changed.id)) ?? changed) : changed;
      });
      return dto(actor, after);
    },

    async flagLateness() {
      const now = clock.now();
      const soon = await calendar.due({ from: now, amount: rules.dueSoonWorkingHours, unit: "hours" });
      let dueSoon = 0;
      let overdue = 0;
      for (;;) {
        const batch = await repo.dueBefore(database.db, now, "overdueAt", 500);
        if (batch.length === 0) break;
        await database.transaction(async (tx) => {
          for (const { id } of batch) await repo.updateDossier(tx, id, { overdueAt: now, dueSoonAt: now });
        });
        overdue += batch.length;
      }
      for (;;) {
        const batch = await repo.dueBefore(database.db, soon, "dueSoonAt", 500);
        if (batch.length === 0) break;
        await database.transaction(async (tx) => {
          for (const { id } of batch) await repo.updateDossier(tx, id, { dueSoonAt: now });
        });
        dueSoon += batch.length;
      }
      return { dueSoon, overdue };
    },
  };
}
