// What the exchange module tells the others: a new document was stored in an agency's inbox
// ("exchange.received"), and a recipient's status on a document sent from here ("exchange.status_received"), each
// published in the receipt's transaction — once per copy, since a redelivered document is
// stored once. A listener that needs the document's files reads them through the exchange service. The copy's row may
// be written with the transaction's COMMIT (documents taken together): a listener that reads it back in the
// transaction calls `runQueuedNow(tx)` first.
import type { DocumentType, ResponseFor, StatusCode } from "./edxml/model.ts";
import type { CopyRow } from "./repo.ts";

export interface ReceivedDocument {
  /** The recipient's copy (`ExchangeService.get`). */
  copyId: string;
  /** The recipient agency hosted here. */
  agencyCode: string;
  senderCode: string;
  documentId: string;
  documentType: DocumentType;
  bussinessDocType: number;
  responseFor: ResponseFor[];
}

/** A recipient's status about a document an agency here sent, stored on the sender's copy (once per message). */
export interface ReceivedStatus {
  /** The sender's copy (box out). */
  copyId: string;
  agencyCode: string;
  /** The recipient that answered. */
  party: string;
  code: StatusCode;
  description: string | null;
  at: Date;
}

export const receivedFacts = (copy: CopyRow): ReceivedDocument => ({
  copyId: copy.id,
  agencyCode: copy.agencyCode,
  senderCode: copy.senderCode,
  documentId: copy.documentId,
  documentType: copy.header.documentType,
  bussinessDocType: copy.bussiness.bussinessDocType,
  responseFor: copy.header.responseFor,
});

declare module "../../platform/events.ts" {
  interface EventMap {
    "exchange.received": ReceivedDocument;
    "exchange.status_received": ReceivedStatus;
  }
}
