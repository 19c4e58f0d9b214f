// The outbox job (issue 16, item 3): `exchange.deliver` takes one queued message to its recipient — into the inbox
// of an agency hosted here, or through the `RemoteTransport` to a peer — with retries and backoff, one message at
// a time per sender–recipient pair (the queue's order key), and marks it undelivered once its budget is spent.
//
// Signing (item 2): every message is signed with the sending agency's key before it leaves, the local ones too
// when the agency has a key (and checked as a peer would check it), and the signed edXML of a document is kept in
// the file store with the sender's copy and the recipient's: the evidence of what was sent. A local delivery from an
// agency without a key goes unsigned (it crosses no network; the node's database is the boundary); a remote one
// waits for a key (retried, then undelivered).
import { type Backoff, defineJob, exponentialBackoff, failQueuedJob, type JobDefinition, PermanentJobError } from "../../platform/jobs/index.ts";
import type { EdxmlMessage } from "./edxml/model.ts";
import type { BatchItem, DeliveryAnswer, InboxReceiver, Peer, RemoteTransport, StoredMessage } from "./model.ts";
import { type OutboxRow, outboxById, pendingAfter, recordAttempt, setCopySigned } from "./repo.ts";
import { DELIVER_JOB, type ExchangeDeps, keepSigned, type Route, routeOf } from "./support.ts";

export interface DeliveryOptions {
  transport: RemoteTransport;
  /** Attempts before a message is undelivered; 12 by default (about a day with the default backoff). */
  maxAttempts?: number;
  backoff?: Backoff;
  /** The signed edXML of a message from `from`, or null when the agency has no key (the keys service). */
  sign?: (message: EdxmlMessage, from: string) => Promise<string | null>;
  /** Checks a signed message as a peer would: null when it is good, else why not. */
  verify?: (signed: string, from: string) => Promise<string | null>;
  /** Queued messages for one recipient a delivery takes to its peer in one request (1: one at a time); 32 by default. */
  batch?: number;
}

/** The most signed edXML one batch carries, in characters: a larger message goes on its own. */
const BATCH_CHARS = 4 * 1024 * 1024;

/** A sent document itself (not a revocation or an update of it): its signed edXML is kept with the sender's copy. */
const keepsEvidence = (m: StoredMessage) => m.kind === "document" && (m.bussiness.bussinessDocType === 0 || m.bussiness.bussinessDocType === 3);

/** A stored message with its files' bytes read back from the file store. */
async function loadMessage(deps: Pick<ExchangeDeps, "files">, m: StoredMessage): Promise<EdxmlMessage> {
  if (m.kind === "status") return m;
  const attachments = [];
  for (const a of m.attachments) {
    const { stream } = await deps.files.get(a.sha256);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    attachments.push({ contentId: a.contentId, contentType: a.contentType, attachmentName: a.attachmentName, ...(a.description ? { description: a.description } : {}), content: new Uint8Array(Buffer.concat(chunks)) });
  }
  return { ...m, attachments };
}

export function deliveryJob(deps: ExchangeDeps, receiver: InboxReceiver, opts: DeliveryOptions): JobDefinition<{ outboxId: number }> {
  const db = deps.database.db;
  const batch = opts.batch ?? 32;

  /** Whether what queued up for `peer` may go with a message (a transport that batches, a peer known to take them). */
  const batchesTo = (peer: Peer) => batch > 1 && opts.transport.deliverMany !== undefined && opts.transport.batches?.(peer) !== false;

  /** A message its recipient did not take: its 02 (a peer's signed refusal) on the timeline, the attempt recorded. */
  async function notTaken(row: OutboxRow, answer: Extract<DeliveryAnswer, { accepted: false }>, final: boolean, remote: boolean): Promise<never> {
    // A peer that refused the document with its signed 02 (its signature was refused): on the timeline too, by the
    // time the message shows undelivered.
    if (answer.status && row.message.kind === "document" && remote) await receiver.receive(answer.status);
    await recordAttempt(db, row.id, { delivered: false, error: answer.reason, final: final || answer.permanent === true });
    if (answer.permanent) throw new PermanentJobError(answer.reason);
    throw new Error(answer.reason);
  }

  /**
   * `first` with the messages queued after it for the same recipient, to its peer in one request (each signed on its
   * own): the ones taken are recorded in one transaction with their 01s and their jobs done; the rest stay queued
   * for their own jobs. "alone" when it is not for a batch (nothing after it fits, or the peer takes no batches): the
   * caller sends `first` alone; the peer's answer to `first` when it did not take it.
   */
  async function deliverBatch(first: OutboxRow, peer: Peer): Promise<"alone" | "delivered" | Extract<DeliveryAnswer, { accepted: false }>> {
    const rows = [first, ...(await pendingAfter(db, first, batch - 1))];
    // A message's size told from what is stored (its attachments' base64 and room for the rest), before anything is
    // read or signed for one that will not fit; then from its signed edXML. When the second does not fit beside the
    // first, there is no batch, and nothing is read or signed for one.
    const estimate = (r: OutboxRow) => (r.message.kind === "document" ? r.message.attachments.reduce((n, a) => n + Math.ceil(a.size / 3) * 4, 8192) : 8192);
    if (rows.length < 2 || estimate(rows[0]!) + estimate(rows[1]!) > BATCH_CHARS) return "alone";
    const items: BatchItem[] = [];
    let chars = 0;
    for (const r of rows) {
      const estimated = estimate(r);
      if (items.length > 0 && chars + estimated > BATCH_CHARS) break;
      const message = await loadMessage(deps, r.message);
      // Signed here when this node signs (and kept as evidence), else by the transport.
      const signed = opts.sign ? await opts.sign(message, r.fromAgency) : null;
      const size = signed?.length ?? estimated;
      if (items.length > 0 && chars + size > BATCH_CHARS) break;
      items.push({ message, signed, fromAgency: r.fromAgency });
      chars += size;
    }
    if (items.length < 2) return "alone";
    const answers = await opts.transport.deliverMany!(peer, items, first.toAgency);
    const firstAnswer = answers?.[0];
    if (!answers || !firstAnswer) return "alone";
    if (!firstAnswer.accepted) return firstAnswer;
    // The ones taken, in order, up to the first the peer did not take (it and the rest go again with their own jobs).
    const taken = answers.findIndex((a) => !a.accepted);
    const count = taken < 0 ? answers.length : taken;
    const delivered = await Promise.all(
      rows.slice(0, count).map(async (r, i) => {
        const answer = answers[i] as Extract<DeliveryAnswer, { accepted: true }>;
        const signed = items[i]!.signed;
        const sha256 = signed && keepsEvidence(r.message) ? await keepSigned(deps, signed) : null;
        return {
          outboxId: r.id,
          ...(answer.status && r.message.kind === "document" ? { status: answer.status } : {}),
          ...(sha256 ? { signed: { copyId: r.copyId, sha256 } } : {}),
        };
      }),
    );
    const jobsDone = rows.slice(1, count).flatMap((r) => (r.jobId === null ? [] : [r.jobId]));
    await receiver.settleDelivered(delivered, jobsDone);
    // The first not taken, refused for good (a signed 02, a message the peer cannot read): recorded as its own job
    // would record it — its 02 on the timeline, the message undelivered, its job dead (`motcua jobs retry` sends it
    // again) — rather than sent again only to be refused, and audited by the peer, a second time.
    const refused = answers[count];
    const next = rows[count];
    if (count > 0 && next && refused && !refused.accepted && refused.permanent) {
      if (refused.status && next.message.kind === "document") await receiver.receive(refused.status);
      await deps.database.transaction(async (tx) => {
        await recordAttempt(tx, next.id, { delivered: false, error: refused.reason, final: true });
        if (next.jobId !== null) await failQueuedJob(tx, next.jobId, refused.reason);
      });
    }
    return "delivered";
  }

  /** `row` on its own: to the agency hosted here, or to its peer; with the keeper of its signed edXML. */
  async function deliverAlone(row: OutboxRow, route: Route): Promise<{ answer: DeliveryAnswer; keepOnce: (() => Promise<string | null>) | null }> {
    const message = await loadMessage(deps, row.message);
    const signed = route.kind !== "unknown" && opts.sign ? await opts.sign(message, row.fromAgency) : null;
    let kept: Promise<string | null> | null = null;
    const keepOnce = signed && message.kind === "document" ? () => (kept ??= keepSigned(deps, signed)) : null;
    const refused = signed && route.kind === "local" && opts.verify ? await opts.verify(signed, row.fromAgency) : null;
    let answer: DeliveryAnswer;
    if (route.kind === "unknown") answer = { accepted: false, reason: `no agency ${row.toAgency} is hosted here or served by a peer`, permanent: true };
    else if (refused) answer = { accepted: false, reason: `its own signature does not verify: ${refused}`, permanent: true };
    else if (route.kind === "local") answer = await receiver.receive(message, { to: [row.toAgency], ...(keepOnce ? { keepSigned: keepOnce } : {}) });
    else answer = await opts.transport.deliver(route.peer, message, row.fromAgency, row.toAgency, signed ?? undefined);
    return { answer, keepOnce };
  }

  return defineJob<{ outboxId: number }>({
    name: DELIVER_JOB,
    maxAttempts: opts.maxAttempts ?? 12,
    backoff: opts.backoff ?? exponentialBackoff({ baseMs: 30_000, maxMs: 4 * 3_600_000 }),
    timeoutMs: 120_000,
    handler: async ({ outboxId }, ctx) => {
      const row = await outboxById(db, outboxId);
      if (!row || row.state === "delivered") return;
      const final = ctx.attempt >= ctx.maxAttempts;
      let answer: DeliveryAnswer;
      let route: Awaited<ReturnType<typeof routeOf>> = { kind: "unknown" };
      // A document's signed edXML is kept (the evidence), once it is accepted; a status message's is only sent.
      let keepOnce: (() => Promise<string | null>) | null = null;
      try {
        route = await routeOf(deps, row.toAgency);
        // What queued up behind it for the same peer goes with it (a transport that batches).
        const sent = route.kind === "remote" && batchesTo(route.peer) ? await deliverBatch(row, route.peer) : "alone";
        if (sent === "delivered") return;
        if (sent !== "alone") answer = sent;
        else ({ answer, keepOnce } = await deliverAlone(row, route));
      } catch (err) {
        await recordAttempt(db, row.id, { delivered: false, error: String((err as Error).message ?? err), final });
        throw err;
      }
      if (answer.accepted) {
        if (keepOnce && keepsEvidence(row.message)) {
          const signedSha256 = await keepOnce();
          if (signedSha256) await setCopySigned(db, row.copyId, signedSha256);
        }
        // A peer that answers the document with its status (01) at once: kept as if it had come on its own (the
        // same status coming again later is stored once), and the message marked delivered in its transaction.
        if (answer.status && row.message.kind === "document" && route.kind === "remote") {
          const took = await receiver.receive(answer.status, { answersOutbox: row.id });
          if (took.accepted && took.outboxDelivered) return;
        }
        await recordAttempt(db, row.id, { delivered: true });
        return;
      }
      return notTaken(row, answer, final, route.kind === "remote");
    },
  });
}
