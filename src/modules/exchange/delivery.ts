// The outbox job (issue 16, item 3): `exchange.deliver` takes one queued message to its recipient — into the inbox
// of an agency hosted here, or through the `RemoteTransport` to a peer — with retries and backoff, one message at
// a time per sender–recipient pair (the queue's order key), and marks it undelivered once its budget is spent.
import { type Backoff, defineJob, exponentialBackoff, type JobDefinition, PermanentJobError } from "../../platform/jobs/index.ts";
import type { EdxmlMessage } from "./edxml/model.ts";
import type { DeliveryAnswer, InboxReceiver, RemoteTransport, StoredMessage } from "./model.ts";
import { outboxById, recordAttempt } from "./repo.ts";
import { DELIVER_JOB, type ExchangeDeps, routeOf } from "./support.ts";

export interface DeliveryOptions {
  transport: RemoteTransport;
  /** Attempts before a message is undelivered; 12 by default (about a day with the default backoff). */
  maxAttempts?: number;
  backoff?: Backoff;
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
      try {
        const message = await loadMessage(deps, row.message);
        route = await routeOf(deps, row.toAgency);
        if (route.kind === "unknown") answer = { accepted: false, reason: `no agency ${row.toAgency} is hosted here or served by a peer`, permanent: true };
        else if (route.kind === "local") answer = await receiver.receive(message, { to: [row.toAgency] });
        else answer = await opts.transport.deliver(route.peer, message, row.fromAgency, row.toAgency);
      } catch (err) {
        await recordAttempt(deps.database.db, row.id, { delivered: false, error: String((err as Error).message ?? err), final });
        throw err;
      }
      if (answer.accepted) {
        // A peer that answers the document with its status (01) at once: kept as if it had come on its own (the
        // same status coming again later is stored once), before the message counts as delivered.
        if (answer.status && row.message.kind === "document" && route.kind === "remote") await receiver.receive(answer.status);
        await recordAttempt(deps.database.db, row.id, { delivered: true });
        return;
      }
      await recordAttempt(deps.database.db, row.id, { delivered: false, error: answer.reason, final: final || answer.permanent === true });
      // A peer that refused the document with its signed 02 (its signature was refused): on the timeline too.
      if (answer.status && row.message.kind === "document" && route.kind === "remote") await receiver.receive(answer.status);
      if (answer.permanent) throw new PermanentJobError(answer.reason);
      throw new Error(answer.reason);
    },
  });
}
