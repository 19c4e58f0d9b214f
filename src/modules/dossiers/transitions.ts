// Applying a dossier's change in one transaction: the row, its history, its hand-overs (Mẫu 05), its
// clock pauses, the receipt's code, the audit entry and the published event ("dossiers.transition").
// Everything that needs the working-time calendar is computed before the transaction (see actions.ts):
// inside it only this transaction's connection is used.
import { randomInt } from "node:crypto";
import { type Actor, actorRef } from "../../platform/auth/actor.ts";
import type { Audit } from "../../platform/audit/index.ts";
import { isoDate, localDay } from "../calendar/index.ts";
import type { Db } from "../../platform/db/index.ts";
import type { EventBus } from "../../platform/events.ts";
import type { StepPlan } from "../workflow/index.ts";
import type { DossierFacts, DossierTransition } from "./events.ts";
import type { DossierRow } from "./hooks.ts";
import { type DossierAction, type DossierStatus, NATIONAL_RECEIVED, NATIONAL_STATUS, type Timeliness } from "./model.ts";
import * as repo from "./repo.ts";
import type { SupplementItem } from "./tables.ts";
import { CodeSequenceExhausted } from "./errors.ts";

/** A change worked out before its transaction, applied by `applyChange`. */
export interface PlannedChange {
  action: DossierAction;
  toStatus: DossierStatus;
  /** Columns to set besides the status. */
  set: Partial<repo.NewDossierRow>;
  note: string | null;
  details: Record<string, unknown> | null;
  /** Close the open hand-over with this outcome. */
  endStep?: { outcome: string };
  /** Open a hand-over for this step, due then; it starts now unless `startedAt` says later (a transfer after the cut-off). */
  startStep?: { plan: StepPlan; dueAt: Date; startedAt?: Date };
  /** A reception step done by the receipt itself (recorded as a closed hand-over). */
  receptionStep?: StepPlan;
  /** Open (items) or close the clock's pause. */
  pause?: { open: SupplementItem[] } | { close: true };
  /** The step the dossier stays at (an assignment), for the listeners. */
  atStep?: StepPlan;
  /** Give the dossier its code (filing). */
  code?: boolean;
  /** Give the dossier its lookup key, and its code if it has none yet (receipt). */
  receipt?: boolean;
}

export interface ApplyDeps {
  audit: Audit;
  /** "dossiers.transition" is published on it, in the change's transaction. */
  events: EventBus;
}

export interface Who {
  actor: Actor;
  /** A display name for the history: the officer's name, or the applicant's role. */
  name: string;
  requestId: string | null;
}

// Crockford's base32 without I, L, O, U: read aloud and typed from paper without confusion.
const KEY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const KEY_LENGTH = 8;

/** The lookup key printed on the receipt: 40 random bits, enough with the lookup's throttling. */
export function newLookupKey(): string {
  let key = "";
  for (let i = 0; i < KEY_LENGTH; i++) key += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return key;
}

/** The last number of a day's sequence: four digits (DOMAIN.md §3). */
export const MAX_DAILY_NUMBER = 9999;

/**
 * Circular 01/2018 Art. 19 as DOMAIN.md §3 reads it (Circular 03/2025 also defines the code; its text was not
 * available to us): `{agency}-{YYMMDD}-{NNNN}`, the day in Vietnam. What follows 9,999 in a day is not found in
 * either text available: a number outside 1–9,999 is refused (RangeError), never written with a fifth digit.
 */
export function dossierCode(agency: string, at: Date, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_DAILY_NUMBER) throw new RangeError(`daily number ${n} is outside 1–${MAX_DAILY_NUMBER}`);
  const day = isoDate(localDay(at.getTime()));
  return `${agency}-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-${String(n).padStart(4, "0")}`;
}

/**
 * The next code of `agency`'s day at `at`, taken in the caller's transaction: the counter's row lock orders
 * concurrent filings, and a transaction that rolls back gives its number back. Past 9,999 the filing is refused
 * (CodeSequenceExhausted, 409) and the transaction rolls back with the counter: the safe reading, since the
 * circular's rule for it could not be checked (DOMAIN.md §3).
 */
export async function takeDossierCode(tx: Db, agency: string, at: Date): Promise<string> {
  const day = isoDate(localDay(at.getTime()));
  const n = await repo.nextDailyNumber(tx, agency, day);
  if (n > MAX_DAILY_NUMBER) throw new CodeSequenceExhausted(agency, day);
  return dossierCode(agency, at, n);
}

/** Early (a day before the due day), on time (by the due time) or late, by Vietnamese calendar days. */
export function timelinessOf(done: Date, due: Date): Timeliness {
  if (done.getTime() > due.getTime()) return "late";
  return localDay(done.getTime()) < localDay(due.getTime()) ? "early" : "on_time";
}

/** What a change left: the dossier after it, and the history events it wrote. */
export interface Applied {
  dossier: DossierRow;
  events: repo.NewEvent[];
}

/** Applies `change` to the locked dossier `d`. */
export async function applyChange(tx: Db, deps: ApplyDeps, d: DossierRow, change: PlannedChange, who: Who, now: Date): Promise<Applied> {
  const set: Partial<repo.NewDossierRow> = { ...change.set, status: change.toStatus, nationalStatus: NATIONAL_STATUS[change.toStatus], updatedAt: now };
  let ended: DossierTransition["endedStep"] = null;

  // A dossier gets its code when it is filed, so the applicant has it to quote and the national portal's MaHoSo
  // never changes (DOMAIN.md §3); the receipt keeps it (one filed before codes were given at filing gets it here).
  if (change.code || (change.receipt && !d.code)) set.code = await takeDossierCode(tx, d.agencyCode, now);
  if (change.receipt) set.lookupKey = newLookupKey();
  if (change.receptionStep) {
    const r = change.receptionStep;
    await repo.insertStep(tx, {
      dossierId: d.id,
      provinceCode: d.provinceCode,
      stepIndex: r.index,
      stepKey: r.key,
      stepName: r.name,
      agencyCode: r.agencyCode,
      department: r.department,
      assigneeUserId: who.actor.type === "user" ? who.actor.userId : null,
      handedBy: actorRef(who.actor),
      startedAt: now,
      dueAt: now,
      doneAt: now,
      doneBy: actorRef(who.actor),
      outcome: "received",
      timeliness: "on_time",
    });
  }
  if (change.endStep) {
    const closed = await repo.closeOpenStep(tx, d.id, { doneAt: now, doneBy: actorRef(who.actor), outcome: change.endStep.outcome, timeliness: "on_time" });
    if (closed) {
      const timeliness = timelinessOf(now, closed.dueAt);
      if (timeliness !== "on_time") await repo.setClosedStepTimeliness(tx, closed.id, timeliness);
      ended = {
        index: closed.stepIndex,
        key: closed.stepKey,
        name: closed.stepName,
        agencyCode: closed.agencyCode,
        department: closed.department,
        startedAt: closed.startedAt,
        dueAt: closed.dueAt,
      };
    }
  }
  if (change.startStep) {
    const { plan, dueAt, startedAt } = change.startStep;
    await repo.insertStep(tx, {
      dossierId: d.id,
      provinceCode: d.provinceCode,
      stepIndex: plan.index,
      stepKey: plan.key,
      stepName: plan.name,
      agencyCode: plan.agencyCode,
      department: plan.department,
      assigneeUserId: null,
      handedBy: actorRef(who.actor),
      startedAt: startedAt ?? now,
      dueAt,
    });
    Object.assign(set, {
      stepIndex: plan.index,
      stepDueAt: dueAt,
      processingAgencyCode: plan.agencyCode,
      assigneeUserId: null,
      assigneeDepartment: plan.department,
    });
  }
  if (change.action === "assign") {
    await repo.setOpenStepAssignee(tx, d.id, { assigneeUserId: change.set.assigneeUserId ?? null, department: change.set.assigneeDepartment ?? null });
  }
  if (change.pause && "open" in change.pause) {
    await repo.insertPause(tx, { dossierId: d.id, provinceCode: d.provinceCode, fromAt: now, items: change.pause.open, dueBefore: d.dueAt });
  } else if (change.pause) {
    // The due time the answer led to (the national portal's NgayHenTraMoi); none when the dossier ends while paused.
    await repo.endPause(tx, d.id, now, set.dueAt ?? null);
  }

  if (change.receipt) {
    const { row, papers } = await repo.updateDossierAtReceipt(tx, d.id, set);
    return recordTransition(tx, deps, d, row, change, who, now, ended, papers);
  }
  const after = await repo.updateDossier(tx, d.id, set);
  return recordTransition(tx, deps, d, after, change, who, now, ended);
}

/** The columns of a dossier filed as it is created (`submit: true`): written at once in its filed state, with its code. */
export function filedColumns(now: Date, code: string): Pick<repo.NewDossier, "status" | "nationalStatus" | "submittedAt"> & { code: string } {
  return { status: "new", nationalStatus: NATIONAL_STATUS.new, submittedAt: now, code };
}

/**
 * The submission of a dossier inserted already filed (`filedColumns`): its history, audit entry and
 * listeners, as if the draft had been written and then submitted — without the second write of the row.
 */
export function recordFiling(tx: Db, deps: ApplyDeps, filed: DossierRow, who: Who, now: Date): Promise<Applied> {
  const asDraft: DossierRow = { ...filed, status: "draft", nationalStatus: NATIONAL_STATUS.draft, submittedAt: null };
  return recordTransition(tx, deps, asDraft, filed, { action: "submit", toStatus: "new", set: { submittedAt: now }, note: null, details: null }, who, now, null);
}

/** What follows the write of a change's row (`d` before, `after` after): its history, audit entry and listeners. */
async function recordTransition(
  tx: Db,
  deps: ApplyDeps,
  d: DossierRow,
  after: DossierRow,
  change: PlannedChange,
  who: Who,
  now: Date,
  ended: DossierTransition["endedStep"],
  papers?: repo.PaperFlags,
): Promise<Applied> {
  const events: Array<Omit<DossierTransition, "dossier">> = [];
  const history = (action: string, note: string | null, details: Record<string, unknown> | null): repo.NewEvent => ({
    dossierId: d.id,
    provinceCode: d.provinceCode,
    at: now,
    actor: actorRef(who.actor),
    actorName: who.name,
    action,
    fromStatus: d.status,
    toStatus: change.toStatus,
    note,
    details,
  });
  // The receipt is reported as received (2), then as being processed (4).
  const written: repo.NewEvent[] = [];
  if (change.action === "receive") {
    written.push(await repo.appendEvent(tx, history("received", null, null)));
    events.push(eventOf(d, "received", change.toStatus, NATIONAL_RECEIVED, who, now, null, null, null));
  }
  written.push(await repo.appendEvent(tx, history(change.action, change.note, change.details)));
  const step: DossierTransition["step"] =
    after.stepIndex !== null && after.stepDueAt && (after.status === "processing" || after.status === "supplementing" || after.status === "done")
      ? {
          index: after.stepIndex,
          key: (change.startStep?.plan ?? change.atStep)?.key ?? "",
          name: (change.startStep?.plan ?? change.atStep)?.name ?? "",
          agencyCode: after.processingAgencyCode,
          department: after.assigneeDepartment,
          assigneeUserId: after.assigneeUserId,
          dueAt: after.stepDueAt,
        }
      : null;
  events.push(eventOf(d, change.action, change.toStatus, NATIONAL_STATUS[change.toStatus], who, now, change.startStep || change.atStep ? step : null, ended, change));
  await deps.audit.record(tx, {
    actor: who.actor,
    action: `dossier.${change.action}`,
    subject: { type: "dossier", id: d.id },
    requestId: who.requestId,
    change: { from: d.status, to: change.toStatus, set: change.set, details: change.details, note: change.note },
  });
  if (deps.events.heard("dossiers.transition")) {
    const dossier = papers ? { ...factsOf(after), papers } : factsOf(after);
    let previousNational = d.nationalStatus;
    for (const e of events) {
      await deps.events.publish(tx, "dossiers.transition", { ...e, dossier, fromNationalStatus: previousNational });
      previousNational = e.nationalStatus;
    }
  }
  return { dossier: after, events: written };
}

/** The dossier as the published event tells it: no applicant, no form data. */
export function factsOf(d: DossierRow): DossierFacts {
  return {
    id: d.id,
    code: d.code,
    procedure: { code: d.procedureCode, version: d.procedureVersion },
    channel: d.channel as DossierFacts["channel"],
    receivingAgencyCode: d.agencyCode,
    provinceCode: d.provinceCode,
    processingAgencyCode: d.processingAgencyCode,
    status: d.status as DossierFacts["status"],
    nationalStatus: d.nationalStatus,
    submittedAt: d.submittedAt,
    receivedAt: d.receivedAt,
    dueAt: d.dueAt,
    originalDueAt: d.originalDueAt,
    promisedAt: d.promisedAt,
    finishedAt: d.finishedAt,
    returnedAt: d.returnedAt,
    timeliness: d.timeliness as DossierFacts["timeliness"],
    apologies: d.apologized,
    returnMethod: d.returnMethod,
    pausedAt: d.pausedAt,
    supplements: d.supplementsAfterReceipt,
    electronicResult: d.resultFileSha256 !== null,
    filedLoa: d.filedLoa,
    takenIn: d.takenInStep !== null,
  };
}

function eventOf(
  d: DossierRow,
  action: DossierTransition["action"],
  toStatus: DossierStatus,
  nationalStatus: number | null,
  who: Who,
  at: Date,
  step: DossierTransition["step"],
  endedStep: DossierTransition["endedStep"],
  change: PlannedChange | null,
): Omit<DossierTransition, "dossier"> {
  return {
    action,
    fromStatus: d.status as DossierStatus,
    toStatus,
    nationalStatus,
    fromNationalStatus: d.nationalStatus,
    at,
    actor: who.actor,
    actorName: who.name,
    step,
    endedStep,
    note: change?.note ?? null,
    details: change?.details ?? null,
  };
}
