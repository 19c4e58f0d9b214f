// The applicant's data store (kho dữ liệu, issue 14 item 8): the papers the receiver digitised at the counter
// and the results returned to them, kept for the account and reused in a later filing instead of being uploaded
// again (Decree 45/2020/NĐ-CP on electronic procedures and the digitisation group of Decision 766/QĐ-TTg, per
// DOMAIN.md §2 and issue 14; the decree's text was not in our sources, so no article is cited). A reused paper
// is linked, not copied: the new dossier's file row points at the same blob of the content-addressed store and
// names the file it came from. Only the account that owns a document sees it or reuses it; for anyone else it
// does not exist (404).
//
// Also the files behind the national portal's signed links (file-links.ts).
import type { Readable } from "node:stream";
import { type Actor, actorRef, hasRole } from "../../platform/auth/actor.ts";
import { FileLinkInvalid, InvalidDossier, StoredDocumentNotFound } from "./errors.ts";
import type { DossierRow } from "./hooks.ts";
import { paperToFile } from "./papers.ts";
import { isOwner } from "./policy.ts";
import { presentFile } from "./present.ts";
import * as repo from "./repo.ts";
import * as store from "./repo.documents.ts";
import type { AttachmentDto, StoredDocumentDto } from "./schema.ts";
import type { DossierCore, DossierDeps, Meta } from "./service.support.ts";

export interface DossierDocuments {
  /** The caller's data store ("Kho dữ liệu của tôi"), newest first; empty for anyone without dossiers. */
  myDocuments(actor: Actor): Promise<StoredDocumentDto[]>;
  /** One document of the caller's store, with its bytes. Throws StoredDocumentNotFound (also for another's). */
  myDocument(actor: Actor, documentId: string): Promise<{ document: StoredDocumentDto; stream: Readable }>;
  /**
   * Links a document of the caller's store to a component of the caller's own dossier, instead of an upload.
   * Retried, it returns the file it linked. Throws StoredDocumentNotFound, DossierNotFound, and as `attach`.
   */
  reuse(actor: Actor, dossierId: string, input: { component: string; documentId: string }, meta?: Meta): Promise<AttachmentDto>;
  /** The file a signed link names, once the link is checked. Throws FileLinkInvalid. */
  linkedFile(fileId: string, exp: string, sig: string): Promise<{ file: AttachmentDto; stream: Readable }>;
}

/**
 * Digitising (số hóa) is the one-stop desk's work on the papers it receives (Decree 45/2020/NĐ-CP, per DOMAIN.md
 * §2; its text was not in our sources): only the desk marks a paper digitised, never its applicant, and never
 * the result.
 */
export function digitisedMark(actor: Actor, d: DossierRow, isResult: boolean, asked: boolean): boolean {
  if (!asked) return false;
  if (isResult || isOwner(actor, d) || !hasRole(actor, "receiver")) {
    throw new InvalidDossier([{ path: "/digitised", message: "Chỉ cán bộ tiếp nhận đánh dấu giấy tờ đã số hóa khi tiếp nhận tại quầy." }]);
  }
  return true;
}

function presentStored(r: store.StoredDocumentRow): StoredDocumentDto {
  return {
    id: r.id,
    name: r.name,
    contentType: r.contentType,
    size: r.size,
    source: r.kind === "result" ? "result" : "digitised",
    component: r.component,
    dossierId: r.dossierId,
    dossierCode: r.dossierCode,
    procedureCode: r.procedureCode,
    storedAt: r.uploadedAt.toISOString(),
  };
}

export function makeDocuments(deps: DossierDeps, core: DossierCore): DossierDocuments {
  const { database, clock, audit, files } = deps;
  const { boundProcedure, planOf, visible, guard } = core;
  const ownerOf = (actor: Actor) => (actor.type === "user" ? actor.userId : null);

  return {
    async myDocuments(actor) {
      const owner = ownerOf(actor);
      return owner ? (await store.listStoredDocuments(database.db, owner)).map(presentStored) : [];
    },

    async myDocument(actor, documentId) {
      const owner = ownerOf(actor);
      const row = owner ? await store.findStoredDocument(database.db, owner, documentId) : null;
      if (!row) throw new StoredDocumentNotFound();
      return { document: presentStored(row), stream: (await files.get(row.sha256)).stream };
    },

    async reuse(actor, dossierId, input, meta = {}) {
      const owner = ownerOf(actor);
      const source = owner ? await store.findStoredDocument(database.db, owner, input.documentId) : null;
      if (!source) throw new StoredDocumentNotFound();
      const d = await visible(actor, dossierId);
      // The store is the account's: its documents go only into that account's own dossiers.
      if (!isOwner(actor, d)) throw new StoredDocumentNotFound();
      const content = await boundProcedure(d);
      const component = paperToFile(content, input.component);
      guard("attach", d, planOf(content, d), actor);
      if (!component.fileTypes.includes(source.contentType)) {
        throw new InvalidDossier([{ path: "/documentId", message: `Thành phần «${component.name}» không nhận loại tệp ${source.contentType}.` }]);
      }
      const earlier = await store.findReuse(database.db, d.id, component.key, source.id);
      if (earlier) return presentFile(earlier);
      const now = clock.now();
      const row = await database.transaction(async (tx) => {
        const f = await repo.insertFile(tx, {
          dossierId: d.id,
          provinceCode: d.provinceCode,
          kind: "component",
          component: component.key,
          name: source.name,
          contentType: source.contentType,
          size: source.size,
          sha256: source.sha256,
          uploadedBy: actorRef(actor),
          uploadedAt: now,
          // A digitised paper stays digitised wherever it is reused; a result is an electronic original.
          digitised: source.digitised,
          reusedFrom: source.id,
        });
        await audit.record(tx, {
          actor,
          action: "dossier.file_reused",
          subject: { type: "dossier", id: d.id },
          requestId: meta.requestId ?? null,
          change: { component: component.key, from: source.id, sha256: source.sha256 },
        });
        return f;
      });
      return presentFile(row);
    },

    async linkedFile(fileId, exp, sig) {
      if (!deps.links || !deps.links.verify(fileId, exp, sig, clock.now())) throw new FileLinkInvalid();
      const f = await store.findFileById(database.db, fileId);
      if (!f) throw new FileLinkInvalid();
      return { file: presentFile(f), stream: (await files.get(f.sha256)).stream };
    },
  };
}
