// The exchange service: sending, receiving, officers' answers, reading the boxes and registers, and the peers.
// The routes, the pages, the CLI and the outbox job all go through it.
import type { Readable } from "node:stream";
import type { Actor } from "../../platform/auth/actor.ts";
import type { Db } from "../../platform/db/index.ts";
import type { InboxReceiver, Peer } from "./model.ts";
import type { StoredAttachment } from "./model.ts";
import { type AnswerInput, makeAnswers } from "./service.answers.ts";
import { makePeers, type Undelivered } from "./service.peers.ts";
import { type ListInput, makeReading } from "./service.reading.ts";
import { makeReceiver } from "./service.receiving.ts";
import { makeSending, type SendInput, type UpdateInput } from "./service.sending.ts";
import type { DocumentDto, DocumentSummaryDto } from "./schema.ts";
import type { Signals } from "../../platform/signals.ts";
import { type ExchangeDeps, keepSigned, peerCache, type Route, routeOf } from "./support.ts";

export type { AnswerInput, ListInput, SendInput, UpdateInput };

type Meta = { requestId?: string };

export interface ExchangeService {
  /** Keeps a file in the store, for a document about to be sent: what `send` and `update` take. */
  storeFile(source: Readable | Uint8Array, name: string): Promise<StoredAttachment>;
  /** Keeps a signed edXML in the file store: its hash, or null when it is larger than the store takes. */
  keepSigned(xml: string): Promise<string | null>;
  /** Sends a document; in `tx` when given (a seed), else in a transaction of its own. */
  send(actor: Actor, input: SendInput, meta?: Meta, tx?: Db): Promise<string>;
  recall(actor: Actor, id: string, reason: string, meta?: Meta): Promise<void>;
  update(actor: Actor, id: string, input: UpdateInput, meta?: Meta): Promise<void>;
  answer(actor: Actor, id: string, input: AnswerInput, meta?: Meta): Promise<void>;
  assignees(actor: Actor, agency: string): Promise<Array<{ id: string; fullName: string; departmentCode: string | null }>>;
  list(actor: Actor, input: ListInput): Promise<{ items: DocumentSummaryDto[]; page: number; pageSize: number; hasMore: boolean }>;
  get(actor: Actor, id: string): Promise<DocumentDto>;
  file(actor: Actor, id: string, sha256: string): Promise<{ name: string; contentType: string; stream: Readable }>;
  /** The receiving side, which local deliveries and the inbox route call. */
  receiver: InboxReceiver;
  /** The peers registry; read in `db` when given (a listener in its transaction). */
  peers(db?: Db): Promise<Peer[]>;
  /**
   * Where an agency is served: here, by a peer (or the hub), or nowhere known; `peers` as read by the caller; read in
   * `db` when given (a listener in its transaction).
   */
  route(agencyCode: string, peers?: readonly Peer[], db?: Db): Promise<Route>;
  setPeer(actor: Actor, peer: Peer): Promise<void>;
  removePeer(actor: Actor, agencyCode: string): Promise<void>;
  /** Messages whose retry budget is spent (operators and the node's administrators). */
  undelivered(actor: Actor): Promise<Undelivered[]>;
}

/** `signals`: the peers are kept in memory, forgotten on every node when they change; read every time without. */
export function makeExchangeService(given: ExchangeDeps & { signals?: Signals }): ExchangeService {
  const deps: ExchangeDeps & { signals?: Signals } = given.signals ? { ...given, peerList: peerCache(given.database, given.signals) } : given;
  let n = 0;
  return {
    async storeFile(source, name) {
      const stored = await deps.files.put(source, { declaredName: name });
      return { contentId: `file${++n}-${stored.sha256.slice(0, 12)}`, contentType: stored.contentType, attachmentName: name, sha256: stored.sha256, size: stored.size };
    },
    keepSigned: (xml) => keepSigned(deps, xml),
    ...makeSending(deps),
    ...makeAnswers(deps),
    ...makeReading(deps),
    receiver: makeReceiver(deps),
    ...makePeers(deps),
    route: (code, peers, db) => routeOf(deps, code, peers, db),
  };
}
