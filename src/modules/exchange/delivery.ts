// The outbox job (issue 16, item 3): `exchange.deliver` takes one queued message to its recipient — into the inbox
// of an agency hosted here, or through the `RemoteTransport` to a peer — with retries and backoff, one message at
// a time per sender–recipient pair (the queue's order key), and marks it undelivered once its budget is spent.
//
// Signing (item 2): every message is signed with the sending agency's key before it leaves, the local ones too
// when the agency has a key (and checked as a peer would check it), and the signed edXML of a document is kept in
// the file store with the sender's copy and the recipient's: the evidence of what was sent. A local delivery from an
// agency without a key goes unsigned (it crosses no network; the node's database is the boundary); a remote one
// waits for a key (retried, then undelivered).
import { type Backoff, defineJob, exponentialBackoff, type JobDefinition, PermanentJobError } from "../../platform/jobs/index.ts";
import type { EdxmlMessage } from "./edxml/model.ts";
import type { DeliveryAnswer, InboxReceiver, RemoteTransport, StoredMessage } from "./model.ts";
import { outboxById, recordAttempt, setCopySigned } from "./repo.ts";
import { DELIVER_JOB, type ExchangeDeps, keepSigned, routeOf } from "./support.ts";

export interface DeliveryOptions {
  transport: RemoteTransport;
  /** Attempts before a message is undelivered; 12 by default (about a day with the default backoff). */
  maxAttempts?: number;
  backoff?: Backoff;
  /** The signed edXML of a message from `from`, or null when the agency has no key (the keys service). */
  sign?: (message: EdxmlMessage, from: string) => Promise<string | null>;
  /** Checks a signed message as a peer would: null when it is good, else why not. */
  verify?: (signed: string, from: string) => Promise<string | null>;
}

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
  return defineJob<{ outboxId: number }>({
    name: DELIVER_JOB,
    maxAttempts: opts.maxAttempts ?? 12,
    backoff: opts.backoff ?? exponentialBackoff({ baseMs: 30_000, maxMs: 4 * 3_600_000 }),
    timeoutMs: 120_000,
    handler: async ({ outboxId }, ctx) => {
      const row = await outboxById(deps.database.db, outboxId);
      if (!row || row.state === "delivered") return;
      const final = ctx.attempt >= ctx.maxAttempts;
      let answer: DeliveryAnswer;
      let route: Awaited<ReturnType<typeof routeOf>> = { kind: "unknown" };
      // A document's signed edXML is kept (the evidence), once it is accepted; a status message's is only sent.
      let kept: Promise<string | null> | null = null;
      let keepOnce: (() => Promise<string | null>) | null = null;
      try {
        const message = await loadMessage(deps, row.message);
        route = await routeOf(deps, row.toAgency);
        const signed = route.kind !== "unknown" && opts.sign ? await opts.sign(message, row.fromAgency) : null;
        if (signed && message.kind === "document") keepOnce = () => (kept ??= keepSigned(deps.files, signed));
        const refused = signed && route.kind === "local" && opts.verify ? await opts.verify(signed, row.fromAgency) : null;
        if (route.kind === "unknown") answer = { accepted: false, reason: `no agency ${row.toAgency} is hosted here or served by a peer`, permanent: true };
        else if (refused) answer = { accepted: false, reason: `its own signature does not verify: ${refused}`, permanent: true };
        else if (route.kind === "local") answer = await receiver.receive(message, { to: [row.toAgency], ...(keepOnce ? { keepSigned: keepOnce } : {}) });
        else answer = await opts.transport.deliver(route.peer, message, row.fromAgency, row.toAgency, signed ?? undefined);
      } catch (err) {
        await recordAttempt(deps.database.db, row.id, { delivered: false, error: String((err as Error).message ?? err), final });
        throw err;
      }
      if (answer.accepted) {
        // The document itself (not a revocation or an update of it): its signed edXML with the sender's copy.
        const m = row.message;
        if (keepOnce && m.kind === "document" && (m.bussiness.bussinessDocType === 0 || m.bussiness.bussinessDocType === 3)) {
          const signedSha256 = await keepOnce();
          if (signedSha256) await setCopySigned(deps.database.db, row.copyId, signedSha256);
        }
        // A peer that answers the document with its status (01) at once: kept as if it had come on its own (the
        // same status coming again later is stored once), and the message marked delivered in its transaction.
        if (answer.status && row.message.kind === "document" && route.kind === "remote") {
          const took = await receiver.receive(answer.status, { answersOutbox: row.id });
          if (took.accepted && took.outboxDelivered) return;
        }
        await recordAttempt(deps.database.db, row.id, { delivered: true });
        return;
      }
      // A peer that refused the document with its signed 02 (its signature was refused): on the timeline too, by
      // the time the message shows undelivered.
      if (answer.status && row.message.kind === "document" && route.kind === "remote") await receiver.receive(answer.status);
      await recordAttempt(deps.database.db, row.id, { delivered: false, error: answer.reason, final: final || answer.permanent === true });
      if (answer.permanent) throw new PermanentJobError(answer.reason);
      throw new Error(answer.reason);
    },
  });
}
