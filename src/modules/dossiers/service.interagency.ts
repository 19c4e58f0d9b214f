// Một cửa liên thông across nodes (docs/ARCHITECTURE.md, "Inter-agency dossiers across nodes"): what the
// interagency module asks of dossiers. At the origin, a step whose agency is on another node leaves (the dossier
// waits, with the agency that sent it) and its result comes back (the step closes with the other agency's times
// and the dossier goes on, or back a step when refused). At the other node, the step is taken in as a dossier of its
// own whose plan is that step alone, worked with the usual office pages.
import { actorRef, systemActor } from "../../platform/auth/actor.ts";
import type { Db } from "../../platform/db/index.ts";
import { nextStep, previousStep, type StepPlan } from "../workflow/index.ts";
import type { DossierRow } from "./hooks.ts";
import { NATIONAL_STATUS } from "./model.ts";
import * as repo from "./repo.ts";
import { insertDossierNow, setStepDone } from "./repo.interagency.ts";
import type { DossierCore, DossierDeps } from "./service.support.ts";
import type { Applicant, TakenInStep } from "./tables.ts";
import { applyChange, type PlannedChange, takeDossierCode, timelinessOf } from "./transitions.ts";

export interface TakeInInput {
  /** The agency hosted here that performs the step. */
  agencyCode: string;
  procedure: { code: string; version: number };
  channel: DossierRow["channel"];
  applicant: Applicant;
  formData: Record<string, unknown>;
  step: TakenInStep;
  /** The step's due time at the origin. */
  dueAt: Date;
  /** The components, their bytes already in the file store. */
  files: Array<{ component: string | null; name: string; contentType: string; size: number; sha256: string }>;
}

export interface SettleInput {
  dossierId: string;
  stepIndex: number;
  decision: "approved" | "refused";
  reason: string | null;
  agencyName: string;
  officerName: string | null;
  receivedAt: Date;
  finishedAt: Date;
  /** The other agency's result file, its bytes already in the file store. */
  result: { name: string; contentType: string; size: number; sha256: string } | null;
}

/** The dossier service's inter-agency side (all in the caller's transaction but `settleAway`). */
export interface DossierInterAgency {
  /** A dossier, its files, its procedure's name and its plan, as the package carries them (read in `db`); null when there is none. */
  forPackage(db: Db, id: string): Promise<{ dossier: DossierRow; files: repo.FileRow[]; procedureName: string; plan: StepPlan[] } | null>;
  /** The open step left for `agency` on another node: the dossier stays with `holder` and waits for the result. */
  sendAway(tx: Db, id: string, input: { agency: string; holder: string }): Promise<void>;
  /** Takes in another node's step as a dossier of `agencyCode`'s queue; returns its id. */
  takeIn(tx: Db, input: TakeInInput): Promise<string>;
  /**
   * The away step's result: approved, the step closes at the other agency's finishing time and the dossier goes
   * to its next step; refused, back to the previous one with the reason. `within` runs first in the same
   * transaction (the caller's own record); false from it, or a dossier no longer waiting for this step, settles
   * nothing and answers false.
   */
  settleAway(input: SettleInput, within: (tx: Db) => Promise<boolean>): Promise<boolean>;
}

export function makeInterAgency(deps: DossierDeps, core: DossierCore): DossierInterAgency {
  const { database, clock, audit, events, calendar, catalog, directory } = deps;
  const system = systemActor("interagency");

  return {
    async forPackage(db, id) {
      const dossier = await repo.findDossier(db, id);
      if (!dossier) return null;
      const content = (await catalog.bound(dossier.procedureCode, dossier.procedureVersion, db)).content;
      return { dossier, files: await repo.listFiles(db, id), procedureName: content.name, plan: core.planOf(content, dossier) };
    },

    async sendAway(tx, id, input) {
      await repo.updateDossier(tx, id, { awayAgencyCode: input.agency, processingAgencyCode: input.holder });
      core.noteChangedAgain(tx, id);
    },

    async takeIn(tx, input) {
      const now = clock.now();
      const provinceCode = (await directory.agency(input.agencyCode, tx)).provinceCode ?? "00";
      const row = repo.newDossierRow({
        procedureCode: input.procedure.code,
        procedureVersion: input.procedure.version,
        agencyCode: input.agencyCode,
        provinceCode,
        processingAgencyCode: input.agencyCode,
        channel: input.channel,
        status: "processing",
        nationalStatus: NATIONAL_STATUS.processing,
        applicant: input.applicant,
        ownerUserId: null,
        formData: input.formData,
        createdBy: actorRef(system),
        requestId: null,
        createdAt: now,
        updatedAt: now,
        submittedAt: now,
      });
      const dossier: DossierRow = {
        ...row,
        code: await takeDossierCode(tx, input.agencyCode, now),
        receivedAt: now,
        dueAt: input.dueAt,
        originalDueAt: input.dueAt,
        stepIndex: 0,
        stepDueAt: input.dueAt,
        assigneeDepartment: input.step.department,
        takenInStep: input.step,
      };
      await insertDossierNow(tx, dossier);
      await repo.insertStep(tx, {
        dossierId: dossier.id,
        provinceCode,
        stepIndex: 0,
        stepKey: input.step.key,
        stepName: input.step.name,
        agencyCode: input.agencyCode,
        department: input.step.department,
        assigneeUserId: null,
        handedBy: actorRef(system),
        startedAt: now,
        dueAt: input.dueAt,
      });
      for (const f of input.files) {
        await repo.insertFile(tx, { dossierId: dossier.id, provinceCode, kind: "component", component: f.component, name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256, uploadedBy: actorRef(system), uploadedAt: now });
      }
      const note = `Nhận hồ sơ liên thông ${input.step.originCode} từ ${input.step.originAgencyName}`;
      await repo.appendEvent(tx, { dossierId: dossier.id, provinceCode, at: now, actor: actorRef(system), actorName: input.step.originAgencyName, action: "receive", fromStatus: null, toStatus: "processing", note, details: { interAgency: { originCode: input.step.originCode, originAgencyCode: input.step.originAgencyCode } } });
      await audit.record(tx, { actor: system, action: "dossier.taken_in", subject: { type: "dossier", id: dossier.id }, change: { originCode: input.step.originCode, step: input.step.key } });
      return dossier.id;
    },

    async settleAway(input, within) {
      const d = await repo.findDossier(database.db, input.dossierId);
      if (!d || !d.awayAgencyCode || d.stepIndex !== input.stepIndex) return false;
      const plan = core.planOf(await core.boundProcedure(d), d);
      const approved = input.decision === "approved";
      const target = approved ? nextStep(plan, input.stepIndex) : previousStep(plan, input.stepIndex);
      if (!target) throw new Error(`settleAway: step ${input.stepIndex} of ${d.code} has no ${approved ? "next" : "previous"} step`);
      const now = clock.now();
      const dueAt = await calendar.due({ from: now, amount: target.hours, unit: "hours", agency: target.agencyCode });
      const by = input.officerName ? `${input.officerName} (${input.agencyName})` : input.agencyName;
      const details = { interAgency: { agency: d.awayAgencyCode, decision: input.decision, receivedAt: input.receivedAt.toISOString(), finishedAt: input.finishedAt.toISOString(), officer: input.officerName } };
      const change: PlannedChange = approved
        ? { action: "forward", toStatus: "processing", set: { awayAgencyCode: null }, note: `Kết quả liên thông: ${input.agencyName} đã giải quyết`, details, endStep: { outcome: "approved" }, startStep: { plan: target, dueAt } }
        : { action: "send_back", toStatus: "processing", set: { awayAgencyCode: null }, note: `${input.agencyName} từ chối: ${input.reason ?? ""}`.trim(), details, endStep: { outcome: "sent_back" }, startStep: { plan: target, dueAt } };
      return database.transaction(async (tx) => {
        const locked = await repo.lockDossier(tx, d.id);
        if (!locked || !locked.awayAgencyCode || locked.stepIndex !== input.stepIndex) return false;
        if (!(await within(tx))) return false;
        await applyChange(tx, { audit, events }, locked, change, { actor: system, name: by, requestId: null }, now);
        const step = (await repo.listSteps(tx, d.id)).filter((s) => s.stepIndex === input.stepIndex && s.doneAt).at(-1);
        await setStepDone(tx, d.id, input.stepIndex, { doneAt: input.finishedAt, doneBy: by, timeliness: step ? timelinessOf(input.finishedAt, step.dueAt) : "on_time" });
        if (approved && input.result) {
          await repo.insertFile(tx, { dossierId: d.id, provinceCode: d.provinceCode, kind: "result", component: null, name: input.result.name, contentType: input.result.contentType, size: input.result.size, sha256: input.result.sha256, uploadedBy: by, uploadedAt: input.finishedAt });
        }
        return true;
      });
    },
  };
}
