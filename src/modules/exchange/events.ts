// What the exchange module tells the others: a new document was stored in an agency's inbox
// ("exchange.received"), published in the receipt's transaction — once per copy, since a redelivered document is
// stored once. A listener that needs the document's files reads them through the exchange service.
import type { DocumentType, ResponseFor } from "./edxml/model.ts";
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
  }
}
