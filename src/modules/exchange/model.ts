// The exchange module's own vocabulary around the edXML messages (edxml/model.ts): how a copy keeps its files,
// what the outbox stores, and the two seams the codec and the signing plug into — the transport to another node
// (`RemoteTransport`) and what the inbox does with a message it was given (`InboxReceiver`).
import type { Attachment, EdxmlDocument, EdxmlMessage, EdxmlStatus, StatusCode } from "./edxml/model.ts";

/** A file of a document as a copy keeps it: its bytes are in the platform's file store under `sha256`. */
export interface StoredAttachment {
  contentId: string;
  contentType: string;
  attachmentName: string;
  description?: string;
  sha256: string;
  size: number;
}

/** A revocation (1), update (2) or replacement (3) the sender asked for, waiting for the recipient's 15 or 16. */
export interface PendingChange {
  type: 1 | 2 | 3;
  reason?: string;
  /** Update: the header and files that replace the copy's when accepted. */
  update?: Pick<EdxmlDocument, "header"> & { attachments: StoredAttachment[] };
  /** Replacement: the DocumentId of the document that replaces this one. */
  replacedBy?: string;
}

/** A queued message: a document whose files are named by hash (read from the file store when sent), or a status. */
export type StoredMessage = (Omit<EdxmlDocument, "attachments"> & { attachments: StoredAttachment[] }) | EdxmlStatus;

/** A node serving a subtree of agencies (`exchange_peers`). */
export interface Peer {
  agencyCode: string;
  name: string;
  nodeUrl: string;
  certificate: string;
}

/**
 * What a delivery got back. `accepted` false with `permanent` true is a refusal retrying cannot change (the peer
 * cannot read the message): the job stops; otherwise a failure is retried with backoff.
 */
/** `outboxDelivered`: a status taken with `answersOutbox`, whose message was marked delivered with it. */
export type DeliveryAnswer = { accepted: true; status?: EdxmlStatus; outboxDelivered?: boolean } | { accepted: false; reason: string; permanent?: boolean; status?: EdxmlStatus };

/**
 * Delivery to an agency hosted on another node (wire.ts: the edXML built by the codec, signed with the sending
 * agency's key, POSTed to the peer's `/exchange/inbox?to=<recipient>`). A thrown error is retried.
 */
export interface RemoteTransport {
  /** `signed` is the message's signed edXML when the caller made it (the outbox job, which keeps it as evidence). */
  deliver(peer: Peer, message: EdxmlMessage, fromAgency: string, toAgency?: string, signed?: string): Promise<DeliveryAnswer>;
  /** Several signed messages in one request, when the transport can (the outbox job sends what queued up for a pair). */
  deliverMany?: BatchTransport;
  /** False when `peer` is known to take no batches for now (nothing is signed for one): it is sent one message at a time. */
  batches?(peer: Peer): boolean;
}

/** What the inbox answered one message: its HTTP status, content type and body (a signed status edXML, or an error). */
export interface InboxAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** One message of a batch to the node of one recipient: the queued message, its sender and its signed edXML (null: the transport signs it). */
export interface BatchItem {
  message: EdxmlMessage;
  signed: string | null;
  fromAgency: string;
}

/**
 * Several messages for one recipient in one request (wire.ts: `/exchange/inbox/batch`), in order: the answers of the
 * ones taken, in order, and shorter than `items` when the recipient's node stopped taking them (the rest go again).
 * Null when the node does not take batches (it is sent one message at a time). A thrown error is retried.
 */
export type BatchTransport = (peer: Peer, items: readonly BatchItem[], toAgency: string) => Promise<DeliveryAnswer[] | null>;

/** The default transport: none is configured, so remote deliveries fail, are retried, and end up undelivered. */
export const NO_TRANSPORT: RemoteTransport = {
  deliver: () => Promise.reject(new Error("no transport configured for remote exchange")),
};

/**
 * What `POST /exchange/inbox` does with the body a peer sent: decode and verify it (codec + signing), then hand the
 * message to the module's receiver (wire.ts); the answer is a signed status edXML.
 */
export interface InboxDecoder {
  /**
   * The message in `xml` and the agency code whose key signed it; throws `InboxRefused` or `EdxmlMalformed` when it
   * cannot be read, `SignatureRefusedError` when it was read but its signature is refused.
   */
  decode(xml: string, peers: readonly Peer[], context?: { requestId?: string }): Promise<{ message: EdxmlMessage; signer: string }>;
  /** The body answering an accepted message: its signed status edXML, or empty when there is none to give. */
  answer(answer: DeliveryAnswer, message: EdxmlMessage): Promise<string>;
  /** The signed 02 of `recipient` (hosted here) refusing a document whose signature was refused. */
  refuse?(document: EdxmlDocument, recipient: string, reason: string): Promise<string>;
  /** A hub's routing onward: `xml` with this hop's TraceHeader to the node serving `to`; its answer relayed. */
  forward?(xml: string, to: string, peers: readonly Peer[], takesAnswer?: boolean): Promise<{ status: number; contentType: string; body: string }>;
}

/** A message read, whose signature is refused (the reason is the signing layer's, for the 02 and the logs). */
export class SignatureRefusedError extends Error {
  override name = "SignatureRefusedError";
  constructor(
    readonly edxml: EdxmlMessage,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The module's receiving side, which local deliveries call directly and the inbox route calls after decoding. */
/** How a message is handed to the receiver. */
export interface ReceiveOptions {
  /** The recipients it is delivered for (narrowing the ones the document names). */
  to?: readonly string[];
  /**
   * Keeps the message's signed edXML in the file store (the recipient's evidence) and gives its hash, or null when
   * it is not kept (too large): called only once the document is accepted, so a refused one leaves no file behind.
   */
  keepSigned?: () => Promise<string | null>;
  /** The peers as the caller read them for this delivery (else read here). */
  peers?: readonly Peer[];
  /**
   * The caller gives the document's 01 to its sender in the answer to the delivery (the inbox route's HTTP answer,
   * which the sending node records before it counts the message delivered, and asks again for until it has):
   * the 01 is kept on the recipient's outbox as delivered with it, not sent a second time.
   */
  answersInline?: boolean;
  /**
   * A status that came in the answer to the delivery of this outbox message (its id): the message is marked
   * delivered in the status's own transaction.
   */
  answersOutbox?: number;
}

export interface InboxReceiver {
  /** Stores `message` for each of `to` hosted here (all of its hosted recipients when absent); idempotent. */
  receive(message: EdxmlMessage, opts?: ReceiveOptions): Promise<DeliveryAnswer>;
  /**
   * Several messages delivered together, in order, each as `receive` takes it (new documents for one recipient in
   * one transaction); the answers stop after the first not accepted.
   */
  receiveMany(items: ReadonlyArray<{ message: EdxmlMessage; opts: ReceiveOptions }>): Promise<DeliveryAnswer[]>;
  /**
   * Records, in one transaction, messages of the outbox delivered in one request: each marked delivered, with the
   * status its recipient answered it with (on the timeline, as if it had come on its own) and the hash of a sent
   * document's signed edXML; `jobsDone`, the queued delivery jobs of those messages, marked done.
   */
  settleDelivered(delivered: ReadonlyArray<{ outboxId: number; status?: EdxmlStatus; signed?: { copyId: string; sha256: string } }>, jobsDone: readonly number[]): Promise<void>;
}

/** Answers an officer gives on a received document; 01 is automatic, 13 is the sender's. */
export const OFFICER_CODES = ["02", "03", "04", "05", "06", "15", "16"] as const satisfies readonly StatusCode[];
export type OfficerCode = (typeof OFFICER_CODES)[number];

export const IN_STATES = ["received", "refused", "accepted", "assigned", "processing", "done", "recalled", "replaced"] as const;
export const OUT_STATES = ["sent", "recalled", "replaced"] as const;
export type CopyState = (typeof IN_STATES)[number] | (typeof OUT_STATES)[number];

/** The state a recipient's copy moves to with each officer code, from the states it may follow. */
export const IN_TRANSITIONS: Readonly<Record<"02" | "03" | "04" | "05" | "06", { from: readonly string[]; to: CopyState }>> = {
  "02": { from: ["received"], to: "refused" },
  "03": { from: ["received"], to: "accepted" },
  "04": { from: ["accepted", "assigned", "processing"], to: "assigned" },
  "05": { from: ["accepted", "assigned"], to: "processing" },
  "06": { from: ["accepted", "assigned", "processing"], to: "done" },
};

export type { Attachment };

/**
 * The request header a sender sets when it records the status given in the answer to its delivery, and asks again
 * until it has (a motcua node): only then does the recipient not send that 01 a second time by its own outbox. A
 * sender that does not set it (another implementation of the axis, which may not read the answer) gets its 01 both
 * ways.
 */
export const TAKES_ANSWER_HEADER = "x-motcua-takes-answer";
