// The applicant's data store (kho dữ liệu) and the files behind the national portal's signed links. Kept apart
// from repo.ts (the dossier service's) so the two can be written at once; same rules.
import { and, desc, eq, isNull, or } from "../../platform/db/drizzle.ts";
import type { Db } from "../../platform/db/index.ts";
import { dossierFiles, dossiers } from "./tables.ts";

export interface StoredDocumentRow {
  id: string;
  kind: string;
  component: string | null;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  digitised: boolean;
  uploadedAt: Date;
  dossierId: string;
  dossierCode: string | null;
  procedureCode: string;
}

const columns = {
  id: dossierFiles.id,
  kind: dossierFiles.kind,
  component: dossierFiles.component,
  name: dossierFiles.name,
  contentType: dossierFiles.contentType,
  size: dossierFiles.size,
  sha256: dossierFiles.sha256,
  digitised: dossierFiles.digitised,
  uploadedAt: dossierFiles.uploadedAt,
  dossierId: dossiers.id,
  dossierCode: dossiers.code,
  procedureCode: dossiers.procedureCode,
};

/**
 * What the store holds for an account: the papers of its dossiers the receiver digitised, and the results
 * returned to it. A paper reused from the store is the same document, listed once (under its first dossier).
 */
const inStore = (userId: string) =>
  and(
    eq(dossiers.ownerUserId, userId),
    isNull(dossierFiles.reusedFrom),
    or(and(eq(dossierFiles.kind, "component"), eq(dossierFiles.digitised, true)), and(eq(dossierFiles.kind, "result"), eq(dossiers.status, "returned"))),
  );

/** The account's stored documents, newest first. */
export function listStoredDocuments(db: Db, userId: string, limit = 500): Promise<StoredDocumentRow[]> {
  return db
    .select(columns)
    .from(dossierFiles)
    .innerJoin(dossiers, eq(dossiers.id, dossierFiles.dossierId))
    .where(inStore(userId))
    .orderBy(desc(dossierFiles.uploadedAt), desc(dossierFiles.id))
    .limit(limit);
}

/** One stored document of the account; null when it is not in that account's store. */
export async function findStoredDocument(db: Db, userId: string, fileId: string): Promise<StoredDocumentRow | null> {
  const rows = await db
    .select(columns)
    .from(dossierFiles)
    .innerJoin(dossiers, eq(dossiers.id, dossierFiles.dossierId))
    .where(and(eq(dossierFiles.id, fileId), inStore(userId)));
  return rows[0] ?? null;
}

/** A dossier file by its id alone, for a signed link that names it. */
export async function findFileById(db: Db, fileId: string): Promise<typeof dossierFiles.$inferSelect | null> {
  const rows = await db.select().from(dossierFiles).where(eq(dossierFiles.id, fileId));
  return rows[0] ?? null;
}

/** Whether the dossier already has a file for the component that came from `sourceId` (a reuse retried). */
export async function findReuse(db: Db, dossierId: string, component: string, sourceId: string): Promise<typeof dossierFiles.$inferSelect | null> {
  const rows = await db
    .select()
    .from(dossierFiles)
    .where(and(eq(dossierFiles.dossierId, dossierId), eq(dossierFiles.component, component), eq(dossierFiles.reusedFrom, sourceId)));
  return rows[0] ?? null;
}
