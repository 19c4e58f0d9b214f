import { defineError, type FieldProblem } from "../../platform/http/errors.ts";

/** A document, or a copy the caller may not see (another agency's): the same answer, so nothing leaks. */
export const ExchangeDocumentNotFound = defineError("exchange.document_not_found", "not_found", () => ({
  vi: "Không tìm thấy văn bản.",
  en: "The document was not found.",
}));

export const InvalidExchangeInput = defineError<[FieldProblem[]]>(
  "exchange.invalid_input",
  "invalid",
  () => ({ vi: "Thông tin văn bản không hợp lệ.", en: "The document's details are not valid." }),
  (fields) => ({ fields }),
);

/** A recipient neither hosted here nor served by a known peer. */
export const UnknownRecipient = defineError<[string]>(
  "exchange.unknown_recipient",
  "invalid",
  (code) => ({
    vi: `Không có cơ quan nhận ${code} trong danh bạ, cũng không có nút liên thông nào phục vụ cơ quan này.`,
    en: `No agency ${code} is in the directory, and no peer node serves it.`,
  }),
  (code) => ({ fields: [{ path: "/to", message: code }] }),
);

export const ExchangeForbidden = defineError<[string]>("exchange.forbidden", "forbidden", (what) => ({
  vi: `Vai trò của bạn không cho phép thao tác này (${what}).`,
  en: `Your role does not allow this (${what}).`,
}));

/** A status the copy's state does not allow now (a refused document accepted, a recall answered twice). */
export const ExchangeStateConflict = defineError<[string, string]>(
  "exchange.state_conflict",
  "conflict",
  (code, state) => ({
    vi: `Không thể chuyển trạng thái ${code} khi văn bản đang ở trạng thái "${state}".`,
    en: `Status ${code} cannot be given while the document is "${state}".`,
  }),
  (code, state) => ({ details: { code, state } }),
);

/** The inbox could not read or trust what a peer posted (the decoder's refusal). */
export const InboxRefused = defineError<[string]>(
  "exchange.inbox_refused",
  "invalid",
  (reason) => ({ vi: `Thông điệp edXML không được chấp nhận: ${reason}`, en: `The edXML message was refused: ${reason}` }),
  (reason) => ({ details: { reason } }),
);

export const PeerNotFound = defineError<[string]>("exchange.peer_not_found", "not_found", (code) => ({
  vi: `Không có nút liên thông cho ${code}.`,
  en: `No peer node is registered for ${code}.`,
}));

/** What a peer posted is not edXML the codec can read: `element` and `problem` are the codec's own words. */
export const EdxmlMalformed = defineError<[string, string]>(
  "exchange.edxml_malformed",
  "invalid",
  (element, problem) => ({ vi: `Thông điệp edXML không đúng khuôn dạng tại ${element}: ${problem}`, en: `The edXML message is malformed at ${element}: ${problem}` }),
  (element, problem) => ({ details: { element, problem } }),
);

/** A hub could not reach the node it routes a message to: the sender's outbox tries again later. */
export const NextHopUnavailable = defineError<[string, string]>(
  "exchange.next_hop_unavailable",
  "unavailable",
  (url, reason) => ({ vi: `Không chuyển tiếp được thông điệp đến ${url}: ${reason}`, en: `The message could not be routed on to ${url}: ${reason}` }),
  (url, reason) => ({ details: { nextHop: url, reason, retryAfterSeconds: 30 } }),
);
