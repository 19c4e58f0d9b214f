// Receiving (issue 16, items 3–4): a document delivered here (by the outbox job of a local sender, or decoded by
// the inbox route from a peer) is stored once per recipient agency, numbered in its register of incoming
// documents, and answered 01 automatically; a revocation, update or replacement waits for the officers' 15 or 16;
// a status message lands on the sender's timeline of that recipient.
import { randomUUID } from "node:crypto";
import { actorRef, systemActor } from "../../platform/auth/actor.ts";
import type { Db } from "../../platform/db/index.ts";
import type { EdxmlDocument, EdxmlMessage, EdxmlStatus, Organization, StatusCode } from "./edxml/model.ts";
import type { DeliveryAnswer, InboxReceiver, PendingChange, ReceiveOptions, StoredAttachment } from "./model.ts";
import { copiesOf, type CopyRow, copyOf, documentIdsHeld, insertStatuses, insertCopy, isCopyTaken, queueCopy, insertStatus, listPeers, nextRegisterNumber, queueAnsweredStatus, queueCopySigned, queueDelivered, statusesOf, updateCopy } from "./repo.ts";
import { queueJobsDone } from "../../platform/jobs/index.ts";
import { receivedFacts } from "./events.ts";
import { edxmlTimestamp, type ExchangeDeps, organizationOf, parseEdxmlTimestamp, queueMessage, routeOf, vnYear } from "./support.ts";

/** Thrown inside a transaction to undo it: the document was stored by an earlier delivery. */
class AlreadyStored extends Error {}

/** The status message `from` sends about `copy` (a received document) to its sender. */
export function statusFor(copy: Pick<CopyRow, "header">, from: Organization, code: StatusCode, at: Date, extra: { description?: string | undefined; staff?: string | undefined; documentId?: string } = {}): EdxmlStatus {
  const h = copy.header;
  return {
    kind: "status",
    responseFor: {
      organId: h.from.organId,
      code: `${h.code.codeNumber}/${h.code.codeNotation}`,
      promulgationDate: h.promulgationInfo.promulgationDate,
      documentId: extra.documentId ?? h.documentId,
    },
    from,
    statusCode: code,
    ...(extra.description ? { description: extra.description } : {}),
    timestamp: edxmlTimestamp(at),
    ...(extra.staff ? { staffInfo: { staff: extra.staff } } : {}),
    traces: [{ organId: from.organId, timestamp: edxmlTimestamp(at) }],
  };
}

/**
 * Records a status on a recipient's own copy and queues it to the sender, in `tx`; `inline`: the caller hands it to
 * the sender in its answer to the delivery, so it is kept on the outbox as delivered and not sent again.
 */
export async function answerSender(deps: Pick<ExchangeDeps, "jobs">, tx: Db, copy: CopyRow, status: EdxmlStatus, at: Date, inline = false): Promise<void> {
  const row = {
    copyId: copy.id,
    party: copy.agencyCode,
    code: status.statusCode,
    description: status.description ?? null,
    staff: status.staffInfo?.staff ?? null,
    at,
    key: `${status.statusCode}:${status.responseFor.documentId}:${status.timestamp}`,
  };
  const key = `status:${status.responseFor.documentId}:${status.statusCode}:${status.timestamp}`;
  // Given in the answer: nothing is read back, so both rows travel with the COMMIT.
  if (inline && queueAnsweredStatus(tx, row, { fromAgency: copy.agencyCode, toAgency: copy.senderCode, copyId: copy.id, kind: "status", key, message: status, deliveredAt: at })) return;
  await insertStatus(tx, row);
  await queueMessage(deps, tx, { from: copy.agencyCode, to: copy.senderCode, copyId: copy.id, message: status, key, delivered: inline });
}

/** Why a revocation or update (BussinessDocType 1, 2) of `copy` is refused; null when it may be taken. */
function changeRefusal(copy: CopyRow | null, doc: EdxmlDocument, recipient: string): DeliveryAnswer | null {
  const target = doc.bussiness.documentId ?? doc.header.documentId;
  if (!copy) return { accepted: false, reason: `no document ${target} was received by ${recipient}`, permanent: true };
  // Only its sender revokes or updates a document: another agency's signed message cannot.
  if (copy.senderCode !== doc.header.from.organId) return { accepted: false, reason: `${target} was not sent by ${doc.header.from.organId}`, permanent: true };
  return null;
}

/** The columns of a received document's copy in `recipient`'s register of incoming documents. */
function copyFields(doc: EdxmlDocument, recipient: string, attachments: StoredAttachment[], signedSha256: string | null, year: number, number: number) {
  return {
    agencyCode: recipient,
    box: "in",
    documentId: doc.header.documentId,
    header: doc.header,
    bussiness: doc.bussiness,
    attachments,
    codeNumber: doc.header.code.codeNumber,
    codeNotation: doc.header.code.codeNotation,
    subject: doc.header.subject,
    senderCode: doc.header.from.organId,
    senderName: doc.header.from.organName,
    registerYear: year,
    registerNumber: number,
    state: "received",
    signedSha256,
    createdBy: actorRef(systemActor("exchange")),
  };
}

export function makeReceiver(deps: ExchangeDeps): InboxReceiver {
  const { database, clock, files, directory, audit } = deps;

  async function storeFiles(doc: EdxmlDocument): Promise<StoredAttachment[]> {
    const out: StoredAttachment[] = [];
    for (const a of doc.attachments) {
      const stored = await files.put(a.content, { declaredName: a.attachmentName });
      out.push({ contentId: a.contentId, contentType: a.contentType, attachmentName: a.attachmentName, ...(a.description ? { description: a.description } : {}), sha256: stored.sha256, size: stored.size });
    }
    return out;
  }

  /**
   * The 01 a recipient answered a document it holds already with (a delivery again after its answer was lost on the
   * way back): the same status, so the sender that missed it records it now, and one that has it sees it once.
   */
  async function answeredBefore(doc: EdxmlDocument, recipient: string, me: Organization): Promise<DeliveryAnswer> {
    const copy = await copyOf(database.db, recipient, "in", doc.header.documentId);
    if (!copy || copy.senderCode !== doc.header.from.organId) return { accepted: true };
    const received = (await statusesOf(database.db, copy.id)).find((s) => s.code === "01" && s.party === recipient);
    if (!received) return { accepted: true };
    return { accepted: true, status: statusFor(copy, me, "01", received.at) };
  }

  async function receiveDocument(doc: EdxmlDocument, recipient: string, attachments: StoredAttachment[], signedSha256: string | null, inline: boolean): Promise<DeliveryAnswer> {
    const now = clock.now();
    const me = await organizationOf(directory, recipient);
    const type = doc.bussiness.bussinessDocType;
    if (type === 1 || type === 2) {
      const target = doc.bussiness.documentId ?? doc.header.documentId;
      return database.transaction(async (tx) => {
        const copy = await copyOf(tx, recipient, "in", target, { lock: true });
        const refusal = changeRefusal(copy, doc, recipient);
        if (refusal || !copy) return refusal!;
        if (copy.state === "recalled" || copy.state === "replaced") return { accepted: true };
        const change: PendingChange =
          type === 1
            ? { type: 1, ...(doc.bussiness.bussinessDocReason ? { reason: doc.bussiness.bussinessDocReason } : {}) }
            : { type: 2, ...(doc.bussiness.bussinessDocReason ? { reason: doc.bussiness.bussinessDocReason } : {}), update: { header: doc.header, attachments } };
        await updateCopy(tx, copy.id, { pendingChange: change });
        if (type === 1) {
          await insertStatus(tx, { copyId: copy.id, party: recipient, code: "13", description: doc.bussiness.bussinessDocReason ?? null, staff: null, at: now, key: `13:${target}` });
        }
        await audit.record(tx, { actor: systemActor("exchange"), action: "exchange.change_requested", subject: { type: "exchange_document", id: copy.id }, change: { type } });
        return { accepted: true };
      });
    }
    try {
      return await database.transaction(async (tx) => ({ accepted: true as const, status: await storeNew(tx, doc, recipient, me, attachments, signedSha256, inline, now) }));
    } catch (err) {
      if (err instanceof AlreadyStored) return answeredBefore(doc, recipient, me);
      throw err;
    }
  }

  /** A copy just stored in an inbox, in its transaction: the audit entry and "exchange.received". */
  async function announceReceived(tx: Db, copy: CopyRow): Promise<void> {
    await audit.record(tx, { actor: systemActor("exchange"), action: "exchange.received", subject: { type: "exchange_document", id: copy.id }, change: { documentId: copy.documentId } });
    await deps.events?.publish(tx, "exchange.received", receivedFacts(copy));
  }

  /**
   * A document `recipient` does not hold yet, in `tx`: numbered in its register of incoming documents and answered 01
   * (the status returned); AlreadyStored when it holds it after all (the transaction must be undone).
   */
  async function storeNew(tx: Db, doc: EdxmlDocument, recipient: string, me: Organization, attachments: StoredAttachment[], signedSha256: string | null, inline: boolean, now: Date): Promise<EdxmlStatus> {
    const year = vnYear(now);
    const number = await nextRegisterNumber(tx, recipient, "in", year);
    const copy = await insertCopy(tx, copyFields(doc, recipient, attachments, signedSha256, year, number));
    if (!copy) throw new AlreadyStored();
    const status = statusFor(copy, me, "01", now);
    await answerSender(deps, tx, copy, status, now, inline);
    if (doc.bussiness.bussinessDocType === 3 && doc.bussiness.documentId) {
      const old = await copyOf(tx, recipient, "in", doc.bussiness.documentId, { lock: true });
      if (old && old.senderCode === doc.header.from.organId && old.state !== "recalled" && old.state !== "replaced") {
        const change: PendingChange = { type: 3, replacedBy: doc.header.documentId, ...(doc.bussiness.bussinessDocReason ? { reason: doc.bussiness.bussinessDocReason } : {}) };
        await updateCopy(tx, old.id, { pendingChange: change });
      }
    }
    await announceReceived(tx, copy);
    return status;
  }

  /**
   * What `storeNew` does for each `fresh` document of `docs`, whose 01 goes in the answer: numbered in a row, the
   * copies written with the COMMIT, with their 01s, audit entries and what listeners add (no round trip per document).
   */
  async function storeTogether(tx: Db, docs: EdxmlDocument[], fresh: boolean[], recipient: string, me: Organization, attachments: StoredAttachment[][], signed: Array<string | null>, now: Date): Promise<Array<EdxmlStatus | null>> {
    const year = vnYear(now);
    let number = await nextRegisterNumber(tx, recipient, "in", year, fresh.filter(Boolean).length);
    const out: Array<EdxmlStatus | null> = [];
    for (const [i, doc] of docs.entries()) {
      if (!fresh[i]) {
        out.push(null);
        continue;
      }
      const copy: CopyRow = {
        ...copyFields(doc, recipient, attachments[i]!, signed[i]!, year, number++),
        id: randomUUID(),
        pendingChange: null,
        departmentCode: null,
        assigneeId: null,
        assigneeName: null,
        assignmentDue: null,
        createdAt: now,
        updatedAt: now,
      };
      if (!queueCopy(tx, copy)) throw new Error("storeTogether: not in a transaction");
      const status = statusFor(copy, me, "01", now);
      await answerSender(deps, tx, copy, status, now, true);
      await announceReceived(tx, copy);
      out.push(status);
    }
    return out;
  }

  /**
   * New documents (BussinessDocType 0) for one recipient hosted here, delivered together: stored in one transaction,
   * each as `receive` stores it (numbered in order, 01 each); one it holds already is answered as before. Null when
   * they are not all such documents (the caller takes them one by one).
   */
  async function receiveNewDocuments(items: ReadonlyArray<{ message: EdxmlMessage; opts: ReceiveOptions }>): Promise<DeliveryAnswer[] | null> {
    const recipient = items[0]?.opts.to?.[0];
    if (!recipient) return null;
    const docs: EdxmlDocument[] = [];
    for (const { message, opts } of items) {
      if (message.kind !== "document" || message.bussiness.bussinessDocType !== 0 || opts.to?.length !== 1 || opts.to[0] !== recipient) return null;
      if (!message.header.to.some((o) => o.organId === recipient)) return null;
      docs.push(message);
    }
    const peers = items[0]!.opts.peers ?? (deps.peerList ? await deps.peerList() : await listPeers(database.db));
    if ((await routeOf(deps, recipient, peers)).kind !== "local") return null;
    const me = await organizationOf(directory, recipient);
    const attachments: StoredAttachment[][] = [];
    for (const doc of docs) attachments.push(await storeFiles(doc));
    // The evidence files side by side (each written and synced on its own).
    const signed = await Promise.all(items.map(async ({ opts }) => (await opts.keepSigned?.()) ?? null));
    const inline = items.map(({ opts }) => opts.answersInline === true);
    const now = clock.now();
    let stored: Array<EdxmlStatus | null>;
    try {
      stored = await database.transaction(async (tx) => {
        const held = await documentIdsHeld(tx, recipient, "in", docs.map((d) => d.header.documentId));
        // Held already (delivered before, or twice in this batch): answered as before, once stored.
        const fresh = docs.map((d) => !held.has(d.header.documentId) && !!held.add(d.header.documentId));
        // Their 01 goes back in the answer (a sender that takes it): their rows all go with the COMMIT.
        if (fresh.every((f, i) => !f || inline[i])) return storeTogether(tx, docs, fresh, recipient, me, attachments, signed, now);
        const out: Array<EdxmlStatus | null> = [];
        for (const [i, doc] of docs.entries()) out.push(fresh[i] ? await storeNew(tx, doc, recipient, me, attachments[i]!, signed[i]!, inline[i]!, now) : null);
        return out;
      });
    } catch (err) {
      // Stored meanwhile by another delivery of the same document: one by one, as each would be alone.
      if (err instanceof AlreadyStored || isCopyTaken(err)) return null;
      throw err;
    }
    const answers: DeliveryAnswer[] = [];
    for (const [i, status] of stored.entries()) answers.push(status ? { accepted: true, status } : await answeredBefore(docs[i]!, recipient, me));
    return answers;
  }

  /** The row a status from a recipient adds to the timeline of the sent copy it is about; null when it is about none. */
  function statusRow(copy: CopyRow | null | undefined, status: EdxmlStatus) {
    if (!copy || !copy.header.to.some((o) => o.organId === status.from.organId)) return null;
    return {
      copyId: copy.id,
      party: status.from.organId,
      code: status.statusCode,
      description: status.description ?? null,
      staff: status.staffInfo?.staff ?? null,
      at: parseEdxmlTimestamp(status.timestamp) ?? clock.now(),
      key: `${status.from.organId}:${status.statusCode}:${status.timestamp}`,
    };
  }

  const statusFacts = (copy: CopyRow, row: NonNullable<ReturnType<typeof statusRow>>) =>
    ({ copyId: copy.id, agencyCode: copy.agencyCode, party: row.party, code: row.code as StatusCode, description: row.description, at: row.at });

  /** A status on the timeline of the sent copy it is about, in `tx`; `answersOutbox`: the message it answers is delivered with it. */
  async function statusIn(tx: Db, status: EdxmlStatus, answersOutbox?: number): Promise<DeliveryAnswer> {
    const copy = await copyOf(tx, status.responseFor.organId, "out", status.responseFor.documentId);
    if (!copy) return { accepted: false, reason: `no document ${status.responseFor.documentId} was sent by ${status.responseFor.organId}`, permanent: true };
    const row = statusRow(copy, status);
    if (!row) return { accepted: false, reason: `${status.from.organId} is not a recipient`, permanent: true };
    if (await insertStatus(tx, row)) await deps.events?.publish(tx, "exchange.status_received", statusFacts(copy, row));
    // The message it answers is delivered once its answer is recorded, with it.
    const delivered = answersOutbox !== undefined && queueDelivered(tx, answersOutbox);
    return { accepted: true, ...(delivered ? { outboxDelivered: true } : {}) };
  }

  const receiver: InboxReceiver = {
    async receive(message: EdxmlMessage, opts = {}) {
      if (message.kind === "status") return database.transaction((tx) => statusIn(tx, message, opts.answersOutbox));
      // The peers as the caller read them for this delivery (the inbox route), else read once here.
      const peers = opts.peers ?? (deps.peerList ? await deps.peerList() : await listPeers(database.db));
      // A recipient the signed document names: the `?to=` of a delivery narrows the list, never adds to it.
      const addressed = message.header.to.map((o) => o.organId);
      const named = opts.to ? opts.to.filter((code) => addressed.includes(code)) : addressed;
      const hosted: string[] = [];
      for (const code of named) if ((await routeOf(deps, code, peers)).kind === "local") hosted.push(code);
      if (!hosted.length) return { accepted: false, reason: "none of the recipients is hosted on this node", permanent: true };
      // Refused before anything is stored: a revocation or an update of a document a recipient does not hold, or
      // that another agency sent (checked again under the lock; copies are never removed nor change sender).
      const type = message.bussiness.bussinessDocType;
      if (type === 1 || type === 2) {
        for (const code of hosted) {
          const refusal = changeRefusal(await copyOf(database.db, code, "in", message.bussiness.documentId ?? message.header.documentId), message, code);
          if (refusal) return refusal;
        }
      }
      const attachments = type === 1 ? [] : await storeFiles(message);
      // The signed edXML is the evidence of a document (0) or its replacement (3), not of a revocation or an update.
      const signedSha256 = type === 0 || type === 3 ? ((await opts.keepSigned?.()) ?? null) : null;
      let answer: DeliveryAnswer = { accepted: true };
      for (const code of hosted) {
        // One answer carries one 01: with several recipients hosted here, each 01 also goes by the outbox.
        const one = await receiveDocument(message, code, attachments, signedSha256, opts.answersInline === true && hosted.length === 1);
        if (!one.accepted) return one;
        if (one.status) answer = one;
      }
      return answer;
    },

    async receiveMany(items) {
      const together = items.length > 1 ? await receiveNewDocuments(items) : null;
      if (together) return together;
      const answers: DeliveryAnswer[] = [];
      for (const { message, opts } of items) {
        const answer = await receiver.receive(message, opts);
        answers.push(answer);
        if (!answer.accepted) break;
      }
      return answers;
    },

    async settleDelivered(delivered, jobsDone) {
      await database.transaction(async (tx) => {
        // The copies the statuses are about, read together (per sending agency: one, for one pair's messages).
        const copies = new Map<string, CopyRow>();
        const asked = new Map<string, string[]>();
        for (const { status } of delivered) if (status) asked.set(status.responseFor.organId, [...(asked.get(status.responseFor.organId) ?? []), status.responseFor.documentId]);
        for (const [agency, ids] of asked) for (const c of await copiesOf(tx, agency, "out", ids)) copies.set(`${agency}|${c.documentId}`, c);
        const rows: Array<{ copy: CopyRow; row: NonNullable<ReturnType<typeof statusRow>> }> = [];
        for (const d of delivered) {
          if (d.signed && !queueCopySigned(tx, d.signed.copyId, d.signed.sha256)) throw new Error("settleDelivered: not in a transaction");
          const copy = d.status ? copies.get(`${d.status.responseFor.organId}|${d.status.responseFor.documentId}`) : null;
          const row = d.status ? statusRow(copy, d.status) : null;
          if (copy && row) rows.push({ copy, row });
          queueDelivered(tx, d.outboxId);
        }
        const fresh = new Set((await insertStatuses(tx, rows.map((r) => r.row))).map((r) => `${r.copyId}|${r.key}`));
        for (const { copy, row } of rows) if (fresh.has(`${row.copyId}|${row.key}`)) await deps.events?.publish(tx, "exchange.status_received", statusFacts(copy, row));
        queueJobsDone(tx, jobsDone);
      });
    },
  };
  return receiver;
}
