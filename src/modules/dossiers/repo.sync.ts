// The reads the national portal's sync makes of the dossier's own tables, in the change's transaction.
// Kept apart from repo.ts (the dossier service's) so the two can be written at once; same rules.
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../platform/db/index.ts";
import type { DossierSnapshot } from "./national-format.ts";
import { dossierFiles, dossierPauses } from "./tables.ts";

/** The dossier's files and supplement pauses as they are in `tx` now. */
export async function readSnapshot(tx: Db, dossierId: string): Promise<DossierSnapshot> {
  const files = await tx
    .select({ id: dossierFiles.id, kind: dossierFiles.kind, component: dossierFiles.component, name: dossierFiles.name, sha256: dossierFiles.sha256 })
    .from(dossierFiles)
    .where(eq(dossierFiles.dossierId, dossierId))
    .orderBy(asc(dossierFiles.uploadedAt), asc(dossierFiles.id));
  const pauses = await tx
    .select({ id: dossierPauses.id, fromAt: dossierPauses.fromAt, toAt: dossierPauses.toAt, items: dossierPauses.items })
    .from(dossierPauses)
    .where(eq(dossierPauses.dossierId, dossierId))
    .orderBy(asc(dossierPauses.id));
  return { files, pauses };
}
