// Reading (issue 16, items 5, 7): an agency's inbox and outbox, which are its registers of incoming and outgoing
// documents, searchable by number, notation, sender and subject with or without diacritics; a document with its
// status timeline (a sent one: per recipient, with its delivery); its files by hash.
import { Readable } from "node:stream";
import type { Actor } from "../../platform/auth/actor.ts";
import { ExchangeDocumentNotFound, ExchangeForbidden } from "./errors.ts";
import { homeAgency, maySee } from "./policy.ts";
import { type Box, type CopyRow, copyById, evidenceOf, listCopies, type OutboxRow, outboxOfCopy, type StatusRow, statusesOf } from "./repo.ts";
import type { DocumentDto, DocumentSummaryDto, StatusDto } from "./schema.ts";
import type { ExchangeDeps } from "./support.ts";

export interface ListInput {
  box: Box;
  agency?: string | undefined;
  q?: string | undefined;
  year?: number | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

const presentStatus = (s: StatusRow): StatusDto => ({ code: s.code, description: s.description, staff: s.staff, at: s.at.toISOString() });

function summary(row: CopyRow, statuses: StatusRow[]): DocumentSummaryDto {
  return {
    id: row.id,
    box: row.box as Box,
    agencyCode: row.agencyCode,
    documentId: row.documentId,
    codeNumber: row.codeNumber,
    codeNotation: row.codeNotation,
    subject: row.subject,
    sender: { code: row.senderCode, name: row.senderName },
    recipients: row.header.to.map((o) => ({ code: o.organId, name: o.organName })),
    registerYear: row.registerYear,
    registerNumber: row.registerNumber,
    state: row.state,
    lastStatus: statuses.at(-1)?.code ?? null,
    pendingChange: row.pendingChange?.type ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function present(row: CopyRow, statuses: StatusRow[], outbox: OutboxRow[]): DocumentDto {
  const h = row.header;
  const delivery = (to: string) => outbox.filter((o) => o.kind === "document" && o.toAgency === to);
  return {
    ...summary(row, statuses),
    documentType: h.documentType,
    content: h.content ?? null,
    promulgationDate: h.promulgationInfo.promulgationDate,
    signer: [h.signerInfo.position, h.signerInfo.fullName].filter(Boolean).join(" "),
    dueDate: h.dueDate ?? null,
    bussinessDocType: row.bussiness.bussinessDocType,
    refersTo: row.bussiness.bussinessDocType === 0 ? null : (row.bussiness.documentId ?? null),
    change: row.pendingChange ? { type: row.pendingChange.type, reason: row.pendingChange.reason ?? null, replacedBy: row.pendingChange.replacedBy ?? null } : null,
    assignment: row.departmentCode
      ? { department: row.departmentCode, assigneeId: row.assigneeId, assigneeName: row.assigneeName, due: row.assignmentDue }
      : null,
    files: row.attachments.map((a) => ({ contentId: a.contentId, name: a.attachmentName, contentType: a.contentType, sha256: a.sha256, size: a.size })),
    signedEdxml: row.signedSha256,
    statuses: row.box === "in" ? statuses.map(presentStatus) : [],
    timelines:
      row.box === "out"
        ? h.to.map((o) => {
            const sent = delivery(o.organId);
            // The last message of the pair decides what the sender sees: a recall still on its way is pending.
            const last = sent.at(-1);
            return {
              code: o.organId,
              name: o.organName,
              delivery: sent.some((m) => m.state === "undelivered") ? "undelivered" : (last?.state ?? "pending"),
              attempts: sent.reduce((n, m) => n + m.attempts, 0),
              lastError: sent.find((m) => m.lastError)?.lastError ?? null,
              statuses: statuses.filter((s) => s.party === o.organId).map(presentStatus),
            };
          })
        : [],
  };
}

export function makeReading(deps: ExchangeDeps) {
  const { database, files } = deps;

  async function visible(actor: Actor, id: string): Promise<CopyRow> {
    const row = await copyById(database.db, id);
    if (!row || !maySee(actor, row.agencyCode)) throw new ExchangeDocumentNotFound();
    return row;
  }

  return {
    /** A box of the actor's agency (or, for the operator, of `agency`), newest first, filtered. */
    async list(actor: Actor, input: ListInput) {
      const agency = input.agency ?? homeAgency(actor);
      if (!agency || !maySee(actor, agency)) throw new ExchangeForbidden("xem văn bản / read documents");
      const page = input.page ?? 1;
      const pageSize = input.pageSize ?? 20;
      const rows = await listCopies(database.db, { agencyCode: agency, box: input.box, year: input.year, q: input.q, limit: pageSize + 1, offset: (page - 1) * pageSize });
      const items = await Promise.all(rows.slice(0, pageSize).map(async (r) => summary(r, await statusesOf(database.db, r.id))));
      return { items, page, pageSize, hasMore: rows.length > pageSize };
    },

    async get(actor: Actor, id: string): Promise<DocumentDto> {
      const row = await visible(actor, id);
      const [statuses, outbox] = await Promise.all([statusesOf(database.db, row.id), row.box === "out" ? outboxOfCopy(database.db, row.id) : Promise.resolve([])]);
      return present(row, statuses, outbox);
    },

    /** A file of a visible document, by its hash. */
    async file(actor: Actor, id: string, sha256: string): Promise<{ name: string; contentType: string; stream: Readable }> {
      const row = await visible(actor, id);
      if (row.signedSha256 && sha256 === row.signedSha256) {
        const name = `${row.codeNumber}-${row.codeNotation}.edxml.xml`.replace(/[^\p{L}\p{N}.-]/gu, "_");
        const kept = await evidenceOf(database.db, sha256);
        return { name, contentType: "application/xml", stream: kept === null ? (await files.get(sha256)).stream : Readable.from([Buffer.from(kept, "utf8")]) };
      }
      const a = row.attachments.find((x) => x.sha256 === sha256) ?? row.pendingChange?.update?.attachments.find((x) => x.sha256 === sha256);
      if (!a) throw new ExchangeDocumentNotFound();
      return { name: a.attachmentName, contentType: a.contentType, stream: (await files.get(sha256)).stream };
    },
  };
}

export type Reading = ReturnType<typeof makeReading>;
