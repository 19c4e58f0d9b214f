// The edXML codec of QCVN 102:2016: the message model, building and parsing, DocumentIds and the one error.
export { buildEdxml, DEFAULT_EDXML_LIMITS, type EdxmlLimits, parseEdxml } from "./codec.ts";
export { type DocumentIdParts, formatDocumentId, parseDocumentId } from "./document-id.ts";
export { EdxmlError } from "./errors.ts";
export * from "./model.ts";
