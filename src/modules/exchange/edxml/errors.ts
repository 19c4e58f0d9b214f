// The one error of the edXML codec: malformed, invalid, too large or unsafe input (and a message that cannot be
// written). `element` says where, `problem` what is wrong, both in English for logs and for the peer's operator.

export class EdxmlError extends Error {
  /**
   * Where: a path of local element names from the envelope, e.g. `edXMLHeader/MessageHeader/From/OrganId`,
   * `edXMLBody/edXMLManifest/Reference[2]`, `AttachmentEncoded/Attachment[1]/ContentTransferEncoded`; `edXML`
   * for the root element and `(document)` for the document as a whole (not XML, too large, DOCTYPE…).
   */
  readonly element: string;
  /** What is wrong, e.g. `missing`, `"2015/02/30" is not a date (yyyy/MM/dd)`. */
  readonly problem: string;

  constructor(element: string, problem: string) {
    super(`edXML ${element}: ${problem}`);
    this.name = "EdxmlError";
    this.element = element;
    this.problem = problem;
  }
}
