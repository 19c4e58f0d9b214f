// The statements of a dossier's inter-agency steps across nodes (service.interagency.ts).
import { and, desc, eq, isNotNull } from "../../platform/db/drizzle.ts";
import type { Db } from "../../platform/db/index.ts";
import type { DossierRow } from "./hooks.ts";
import { dossierSteps, dossiers } from "./tables.ts";

/** Inserts a dossier now (not at the commit, like a filing): its hand-over and files reference it in the same transaction. */
export async function insertDossierNow(tx: Db, row: DossierRow): Promise<void> {
  await tx.insert(dossiers).values(row);
}

/** Sets when the latest closed hand-over of step `index` was done: the other agency's time, not the message's. */
export async function setStepDone(tx: Db, dossierId: string, index: number, set: { doneAt: Date; doneBy: string; timeliness: string }): Promise<void> {
  const [last] = await tx
    .select({ id: dossierSteps.id })
    .from(dossierSteps)
    .where(and(eq(dossierSteps.dossierId, dossierId), eq(dossierSteps.stepIndex, index), isNotNull(dossierSteps.doneAt)))
    .orderBy(desc(dossierSteps.id))
    .limit(1);
  if (last) await tx.update(dossierSteps).set(set).where(eq(dossierSteps.id, last.id));
}
