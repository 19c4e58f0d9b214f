// The reads the national portal's sync makes of the dossier's own tables, in the change's transaction.
// Kept apart from repo.ts (the dossier service's) so the two can be written at once; same rules.
import { alias, asc, eq } from "../../platform/db/drizzle.ts";
import type { Db } from "../../platform/db/index.ts";
import type { DossierSnapshot } from "./national-format.ts";
import { dossierFiles, dossierPauses } from "./tables.ts";

const source = alias(dossierFiles, "source");

/** The dossier's files (with the kind of the file each reused one came from) and supplement pauses as they are in `tx` now. */
export async function readSnapshot(tx: Db, dossierId: string): Promise<DossierSnapshot> {
  const files = await tx
    .select({
      id: dossierFiles.id,
      kind: dossierFiles.kind,
      component: dossierFiles.component,
      name: dossierFiles.name,
      sha256: dossierFiles.sha256,
      digitised: dossierFiles.digitised,
      reusedFrom: dossierFiles.reusedFrom,
      reusedKind: source.kind,
    })
    .from(dossierFiles)
    .leftJoin(source, eq(source.id, dossierFiles.reusedFrom))
    .where(eq(dossierFiles.dossierId, dossierId))
    .orderBy(asc(dossierFiles.uploadedAt), asc(dossierFiles.id));
  const pauses = await tx
    .select({
      id: dossierPauses.id,
      fromAt: dossierPauses.fromAt,
      toAt: dossierPauses.toAt,
      items: dossierPauses.items,
      dueBefore: dossierPauses.dueBefore,
      dueAfter: dossierPauses.dueAfter,
    })
    .from(dossierPauses)
    .where(eq(dossierPauses.dossierId, dossierId))
    .orderBy(asc(dossierPauses.id));
  return { files, pauses };
}
