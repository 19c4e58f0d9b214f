// Sending (issue 16, items 4–5): an officer composes a document (metadata + files already in the file store),
// it is numbered in the agency's register of outgoing documents and queued to each recipient; a sent document can
// be recalled (BussinessDocType 1), updated (2) or replaced by a new one (3), each answered 15 or 16.
import { randomUUID } from "node:crypto";
import type { Actor } from "../../platform/auth/actor.ts";
import { actorRef } from "../../platform/auth/actor.ts";
import type { Db } from "../../platform/db/index.ts";
import type { Bussiness, MessageHeader, ResponseFor } from "./edxml/model.ts";
import { ExchangeDocumentNotFound, ExchangeForbidden, ExchangeStateConflict, InvalidExchangeInput, UnknownRecipient } from "./errors.ts";
import type { StoredAttachment, StoredMessage } from "./model.ts";
import { actsFor, homeAgency, maySee, SENDER_ROLES } from "./policy.ts";
import { type CopyRow, copyById, insertCopy, insertStatus, listPeers, nextRegisterNumber, updateCopy } from "./repo.ts";
import { documentIdOf, edxmlDate, edxmlTimestamp, type ExchangeDeps, organizationOf, queueMessage, routeOf, vnYear } from "./support.ts";

export interface SendInput {
  /** The sending agency; the officer's own by default. */
  from?: string | undefined;
  to: string[];
  subject: string;
  /** Ký hiệu, e.g. `UBND-VP`; the number is the register's. */
  notation: string;
  documentType?: { type: number; typeName: string } | undefined;
  content?: string | undefined;
  signer: { fullName: string; position?: string | undefined };
  place?: string | undefined;
  dueDate?: string | undefined;
  /** The sent document this one replaces (BussinessDocType 3): its recipients are told. */
  replaces?: string | undefined;
  reason?: string | undefined;
  /** The documents this one answers (the header's ResponseFor), e.g. the result of an inter-agency dossier. */
  responseFor?: ResponseFor[] | undefined;
  files: StoredAttachment[];
}

export interface UpdateInput {
  subject?: string | undefined;
  content?: string | undefined;
  reason: string;
  /** New files, replacing the document's when given. */
  files?: StoredAttachment[] | undefined;
}

const DEFAULT_TYPE = { type: 5, typeName: "Công văn" };

/** The message of a copy as the outbox keeps it. */
export const messageOf = (row: Pick<CopyRow, "header" | "bussiness" | "attachments">, at: Date): StoredMessage => ({
  kind: "document",
  header: row.header,
  traces: [{ organId: row.header.from.organId, timestamp: edxmlTimestamp(at) }],
  bussiness: row.bussiness,
  attachments: row.attachments,
});

export function makeSending(deps: ExchangeDeps) {
  const { database, clock, audit, directory } = deps;

  /** A sent document of the actor's agency, locked; another agency's is not found. */
  async function ownSent(tx: Db, actor: Actor, id: string, lock = true): Promise<CopyRow> {
    const row = await copyById(tx, id, { lock });
    if (!row || row.box !== "out" || !maySee(actor, row.agencyCode)) throw new ExchangeDocumentNotFound();
    if (!actsFor(actor, row.agencyCode, SENDER_ROLES)) throw new ExchangeForbidden("gửi văn bản / send documents");
    return row;
  }

  function check(input: SendInput, from: string): void {
    const problems = [];
    if (!input.to.length) problems.push({ path: "/to", message: "Cần chọn ít nhất một cơ quan nhận." });
    if (input.to.includes(from)) problems.push({ path: "/to", message: "Cơ quan gửi không tự gửi cho mình." });
    if (new Set(input.to).size !== input.to.length) problems.push({ path: "/to", message: "Một cơ quan nhận được chọn hai lần." });
    if (!input.subject.trim()) problems.push({ path: "/subject", message: "Cần nhập trích yếu." });
    if (!/^[\p{L}\p{N}][\p{L}\p{N}.\-&]{0,59}$/u.test(input.notation)) problems.push({ path: "/notation", message: "Ký hiệu văn bản không hợp lệ (ví dụ UBND-VP)." });
    if (!input.signer.fullName.trim()) problems.push({ path: "/signer/fullName", message: "Cần nhập người ký." });
    if (input.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(input.dueDate)) problems.push({ path: "/dueDate", message: "Hạn xử lý có dạng YYYY-MM-DD." });
    if (problems.length) throw new InvalidExchangeInput(problems);
  }

  return {
    /** Numbers the document in the sender's register, keeps the sender's copy, queues it to each recipient. */
    async send(actor: Actor, input: SendInput, meta: { requestId?: string } = {}, outer?: Db): Promise<string> {
      const from = input.from ?? homeAgency(actor);
      if (!from || !actsFor(actor, from, SENDER_ROLES)) throw new ExchangeForbidden("gửi văn bản / send documents");
      check(input, from);
      const db = outer ?? database.db;
      const peers = !outer && deps.peerList ? await deps.peerList() : await listPeers(db);
      for (const to of input.to) if ((await routeOf(deps, to, peers, outer)).kind === "unknown") throw new UnknownRecipient(to);
      const orgs = [];
      for (const c of [from, ...input.to]) orgs.push(await organizationOf(directory, c, peers, outer));
      const [sender, ...recipients] = orgs;
      const now = clock.now();
      const run = <T>(fn: (tx: Db) => Promise<T>) => (outer ? fn(outer) : database.transaction(fn));
      if (input.replaces && !outer) {
        const seen = await ownSent(database.db, actor, input.replaces, false);
        if (seen.state !== "sent") throw new ExchangeStateConflict("03", seen.state);
      }
      return run(async (tx) => {
        const replaced = input.replaces ? await ownSent(tx, actor, input.replaces) : null;
        if (replaced && replaced.state !== "sent") throw new ExchangeStateConflict("03", replaced.state);
        const year = vnYear(now);
        const number = await nextRegisterNumber(tx, from, "out", year);
        const codeNumber = String(number);
        const date = edxmlDate(now);
        const header: MessageHeader = {
          from: sender!,
          to: recipients,
          code: { codeNumber, codeNotation: input.notation },
          promulgationInfo: { place: input.place ?? sender!.organName, promulgationDate: date },
          documentType: input.documentType ?? DEFAULT_TYPE,
          subject: input.subject.trim(),
          ...(input.content ? { content: input.content } : {}),
          signerInfo: { fullName: input.signer.fullName.trim(), ...(input.signer.position ? { position: input.signer.position } : {}) },
          ...(input.dueDate ? { dueDate: input.dueDate.replaceAll("-", "/") } : {}),
          toPlaces: recipients.map((r) => r.organName),
          responseFor: input.responseFor ?? [],
          documentId: documentIdOf(from, date, codeNumber, input.notation),
        };
        const bussiness: Bussiness = replaced
          ? {
              bussinessDocType: 3,
              ...(input.reason ? { bussinessDocReason: input.reason } : {}),
              documentId: replaced.documentId,
              replacementInfoList: [{ documentId: replaced.documentId, organIds: replaced.header.to.map((o) => o.organId) }],
            }
          : { bussinessDocType: 0, replacementInfoList: [] };
        const row = await insertCopy(tx, {
          agencyCode: from,
          box: "out",
          documentId: header.documentId,
          header,
          bussiness,
          attachments: input.files,
          codeNumber,
          codeNotation: input.notation,
          subject: header.subject,
          senderCode: from,
          senderName: sender!.organName,
          registerYear: year,
          registerNumber: number,
          state: "sent",
          createdBy: actorRef(actor),
        });
        if (!row) throw new ExchangeStateConflict("00", "exists");
        for (const to of input.to) await queueMessage(deps, tx, { from, to, copyId: row.id, message: messageOf(row, now), key: `document:${header.documentId}` });
        if (replaced) await updateCopy(tx, replaced.id, { state: "replaced" });
        await audit.record(tx, { actor, action: "exchange.sent", subject: { type: "exchange_document", id: row.id }, requestId: meta.requestId ?? null, change: { documentId: header.documentId, to: input.to } });
        return row.id;
      });
    },

    /** Asks each recipient to revoke a sent document (BussinessDocType 1); its timeline shows 13, then their 15 or 16. */
    async recall(actor: Actor, id: string, reason: string, meta: { requestId?: string } = {}): Promise<void> {
      if (!reason.trim()) throw new InvalidExchangeInput([{ path: "/reason", message: "Cần nêu lý do thu hồi." }]);
      // Refused before the transaction when it cannot be done (checked again under the lock).
      const seen = await ownSent(database.db, actor, id, false);
      if (seen.state !== "sent") throw new ExchangeStateConflict("13", seen.state);
      const now = clock.now();
      await database.transaction(async (tx) => {
        const row = await ownSent(tx, actor, id);
        if (row.state !== "sent") throw new ExchangeStateConflict("13", row.state);
        const bussiness: Bussiness = { bussinessDocType: 1, bussinessDocReason: reason.trim(), documentId: row.documentId, replacementInfoList: [] };
        const message = messageOf({ ...row, bussiness, attachments: [] }, now);
        for (const to of row.header.to) {
          await insertStatus(tx, { copyId: row.id, party: to.organId, code: "13", description: reason.trim(), staff: null, at: now, key: `${to.organId}:13:${row.documentId}` });
          await queueMessage(deps, tx, { from: row.agencyCode, to: to.organId, copyId: row.id, message, key: `recall:${row.documentId}` });
        }
        await updateCopy(tx, row.id, { state: "recalled" });
        await audit.record(tx, { actor, action: "exchange.recalled", subject: { type: "exchange_document", id: row.id }, requestId: meta.requestId ?? null, change: { reason } });
      });
    },

    /** Sends an update of a sent document (BussinessDocType 2): the same DocumentId with new metadata or files. */
    async update(actor: Actor, id: string, input: UpdateInput, meta: { requestId?: string } = {}): Promise<void> {
      if (!input.reason.trim()) throw new InvalidExchangeInput([{ path: "/reason", message: "Cần nêu lý do cập nhật." }]);
      const seen = await ownSent(database.db, actor, id, false);
      if (seen.state !== "sent") throw new ExchangeStateConflict("update", seen.state);
      const now = clock.now();
      await database.transaction(async (tx) => {
        const row = await ownSent(tx, actor, id);
        if (row.state !== "sent") throw new ExchangeStateConflict("update", row.state);
        const header: MessageHeader = { ...row.header, ...(input.subject?.trim() ? { subject: input.subject.trim() } : {}), ...(input.content !== undefined ? { content: input.content } : {}) };
        const attachments = input.files ?? row.attachments;
        const bussiness: Bussiness = { bussinessDocType: 2, bussinessDocReason: input.reason.trim(), documentId: row.documentId, replacementInfoList: [] };
        await updateCopy(tx, row.id, { header, attachments, subject: header.subject });
        const message = messageOf({ header, bussiness, attachments }, now);
        const key = `update:${row.documentId}:${randomUUID()}`;
        for (const to of row.header.to) await queueMessage(deps, tx, { from: row.agencyCode, to: to.organId, copyId: row.id, message, key });
        await audit.record(tx, { actor, action: "exchange.updated", subject: { type: "exchange_document", id: row.id }, requestId: meta.requestId ?? null, change: input });
      });
    },
  };
}

export type Sending = ReturnType<typeof makeSending>;
