// What the dossier service's use cases share: the dossier as its reader may see it, the guard's refusals,
// the dossier as presented, and a change made under the dossier's lock.
import type { Actor } from "../../platform/auth/actor.ts";
import type { Audit } from "../../platform/audit/index.ts";
import type { CalendarService } from "../calendar/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Db } from "../../platform/db/index.ts";
import type { EventBus } from "../../platform/events.ts";
import type { FileStore } from "../../platform/files/index.ts";
import type { CatalogService, ProcedureContent } from "../catalog/index.ts";
import type { DirectoryService } from "../directory/index.ts";
import type { IdentityService } from "../identity/index.ts";
import { implementingAgency, planSteps, returnDesk, type StepPlan } from "../workflow/index.ts";
import type { DossierRules } from "./actions.ts";
import type { FileLinks } from "./file-links.ts";
import { DossierForbidden, DossierNotFound, InvalidTransition, SupplementLimit } from "./errors.ts";
import type { DossierRow } from "./hooks.ts";
import type { DossierChannel, DossierStatus } from "./model.ts";
import { allowedActions, canSee, decide, type GuardedAction, isOwner } from "./policy.ts";
import { presentDossier } from "./present.ts";
import * as repo from "./repo.ts";
import type { DossierDto } from "./schema.ts";
import type { Who } from "./transitions.ts";

export interface Meta {
  requestId?: string | null;
  ip?: string | null;
}

export interface DossierDeps {
  database: Database;
  clock: Clock;
  audit: Audit;
  calendar: CalendarService;
  catalog: CatalogService;
  directory: DirectoryService;
  identity: IdentityService;
  files: FileStore;
  /** "dossiers.transition" is published on it in each change's transaction. */
  events: EventBus;
  rules?: Partial<DossierRules>;
  /** Public lookups one address may make per minute (default 30). */
  lookupsPerMinute?: number;
  /** Checks the national portal's signed links to the dossiers' files; without it every link is refused. */
  links?: FileLinks;
}

/** The helpers every use case of the dossier service may call, made once per service over its rules. */
export type DossierCore = ReturnType<typeof makeDossierCore>;

export function makeDossierCore(deps: DossierDeps, rules: DossierRules) {
  const { database, catalog } = deps;

  async function boundProcedure(d: Pick<DossierRow, "procedureCode" | "procedureVersion">): Promise<ProcedureContent> {
    return (await catalog.bound(d.procedureCode, d.procedureVersion)).content;
  }

  const planOf = (content: ProcedureContent, d: DossierRow): StepPlan[] => dossierPlan(content, d);

  function whoIs(actor: Actor, d: Pick<DossierRow, "ownerUserId"> | null, meta: Meta): Who {
    let name = "Hệ thống";
    if (actor.type === "user") name = d && isOwner(actor, d) ? "Người nộp hồ sơ" : actor.fullName;
    else if (actor.type === "cli") name = "Quản trị (dòng lệnh)";
    return { actor, name, requestId: meta.requestId ?? null };
  }

  /** The dossier if the actor may see it; a dossier one may not see is not found. */
  async function visible(actor: Actor, id: string): Promise<DossierRow> {
    const d = /^[0-9a-f-]{36}$/.test(id) ? await repo.findDossier(database.db, id) : null;
    if (!d || !canSee(actor, d)) throw new DossierNotFound();
    return d;
  }

  /**
   * Throws the guard's refusal (policy.ts `decide`): DossierForbidden (403) when the actor may not take the
   * action on this dossier, InvalidTransition (409, with `status`) when its state does not allow it now.
   */
  function guard(action: GuardedAction, d: DossierRow, plan: StepPlan[], actor: Actor, status = d.status as DossierStatus): void {
    const decision = decide(action, d, plan, actor, rules);
    if (decision.allowed) return;
    if (decision.reason === "forbidden") throw new DossierForbidden(action);
    // The one supplement after receipt (DOMAIN.md §3) is refused with its own code.
    if (decision.rule === "supplement_limit") throw new SupplementLimit();
    throw new InvalidTransition(action, status);
  }

  /**
   * The dossier as its reader sees it. `created`: this request created it, and these are all its history
   * events (it has no files, hand-overs, pauses or rating yet: five reads fewer on the busiest write of the
   * portal, bench/dossiers.ts).
   */
  async function dto(actor: Actor, d: DossierRow, created?: { events: repo.NewEvent[] }): Promise<DossierDto> {
    const content = await boundProcedure(d);
    const plan = planOf(content, d);
    const [fileRows, events, steps, pauses, rating] = created
      ? [[], created.events, [], [], null]
      : await Promise.all([
          repo.listFiles(database.db, d.id),
          repo.listEvents(database.db, d.id),
          repo.listSteps(database.db, d.id),
          repo.listPauses(database.db, d.id),
          repo.findRating(database.db, d.id),
        ]);
    const current = d.stepIndex === null ? null : plan[d.stepIndex];
    return presentDossier({
      row: d,
      procedureName: content.name,
      step: current ? { index: current.index, key: current.key, name: current.name, role: current.role } : null,
      files: fileRows,
      events,
      steps,
      pauses,
      rating,
      allowedActions: allowedActions(actor, d, plan, rules),
      returnAgencyCode: returnDesk(plan),
    });
  }

  /**
   * Runs `work` under the dossier's row lock, provided nobody changed the dossier since it was read: the
   * change was worked out from that reading (its step, its due times), so two officers acting at once
   * cannot both succeed — the second is told the state the first left.
   */
  async function transact(
    d: DossierRow,
    action: string,
    work: (tx: Parameters<Parameters<Database["transaction"]>[0]>[0], locked: DossierRow) => Promise<DossierRow>,
  ) {
    return database.transaction(async (tx) => {
      const locked = await repo.lockDossier(tx, d.id);
      if (!locked || fingerprint(locked) !== fingerprint(d)) throw new InvalidTransition(action, (locked?.status ?? d.status) as DossierStatus);
      return work(tx, locked);
    });
  }

  /**
   * The dossiers a change's listeners changed again in its transaction (a step sent to another node's agency:
   * interagency's `sendAway`), by transaction: the change's answer reads those again, and only those.
   */
  const changedAgain = new WeakMap<Db, Set<string>>();
  function noteChangedAgain(tx: Db, id: string): void {
    const ids = changedAgain.get(tx) ?? new Set<string>();
    changedAgain.set(tx, ids.add(id));
  }
  const wasChangedAgain = (tx: Db, id: string) => changedAgain.get(tx)?.has(id) === true;

  return { rules, boundProcedure, planOf, whoIs, visible, guard, dto, transact, noteChangedAgain, wasChangedAgain };
}

/** A dossier's plan: its procedure's steps, at the desks where it was received and is returned (engine.ts `atDesks`). */
export function dossierPlan(content: ProcedureContent, d: Pick<DossierRow, "channel" | "agencyCode" | "returnAgencyCode"> & { takenInStep?: DossierRow["takenInStep"] }): StepPlan[] {
  // Taken in from another node (một cửa liên thông): the one step it came for, at this agency.
  const only = d.takenInStep;
  if (only) return [{ index: 0, key: only.key, name: only.name, role: only.role, department: only.department, agencyCode: d.agencyCode, hours: only.hours, leaderSigns: only.leaderSigns }];
  return planSteps(content, d.channel as DossierChannel, implementingAgency(content, d.agencyCode), { receiving: d.agencyCode, returning: d.returnAgencyCode });
}

/** What every change alters at least one of: a dossier read before its lock is still the same one. */
function fingerprint(d: DossierRow): string {
  return JSON.stringify([
    d.status,
    d.stepIndex,
    d.assigneeUserId,
    d.assigneeDepartment,
    d.dueAt?.getTime() ?? null,
    d.pausedAt?.getTime() ?? null,
    d.apologized,
    d.supplementsAfterReceipt,
    d.updatedAt.getTime(),
    d.formData,
  ]);
}
