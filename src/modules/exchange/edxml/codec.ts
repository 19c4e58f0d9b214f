// The edXML codec of QCVN 102:2016 (docs/DOMAIN.md §7): a message model to XML and back.
//
// Writing is strict and canonical: every value is checked (the same rules as reading) and the XML is always the
// same for the same message, so parse(build(x)) deep-equals x. Reading is lenient about form — `edXML:`-prefixed,
// default-namespace or unprefixed names, element order, surrounding white space, elements it does not know — and
// strict about meaning, throwing an EdxmlError that names the element and the problem. It is safe on hostile
// input: a DOCTYPE is refused outright (so no entity is ever declared: no external entity, no expansion bomb),
// and the size, the number of elements and the nesting depth are capped (EdxmlLimits).
//
// Where the signature goes. buildEdxml writes no signature and no placeholder. The signing layer adds one XML-DSig
// element, `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">` (SignedInfo, SignatureValue,
// KeyInfo/X509Data), as the LAST child of `edXML:edXMLHeader`, after `edXML:MessageHeader` and
// `edXML:TraceHeaderList` (after `edXML:MessageStatus` in a status message):
//
//   <edXML xmlns="…QCVN_102_2016" xmlns:edXML="…QCVN_102_2016" xmlns:xlink="http://www.w3.org/1999/xlink">
//     <edXML:edXMLEnvelope>
//       <edXML:edXMLHeader>
//         <edXML:MessageHeader>…</edXML:MessageHeader>
//         <edXML:TraceHeaderList>…</edXML:TraceHeaderList>
//         <Signature xmlns="http://www.w3.org/2000/09/xmldsig#">…</Signature>   ← added by signing
//       </edXML:edXMLHeader>
//       <edXML:edXMLBody><edXML:edXMLManifest version="1.0">Reference*</edXML:edXMLManifest></edXML:edXMLBody>
//     </edXML:edXMLEnvelope>
//     <AttachmentEncoded>Attachment*</AttachmentEncoded>
//   </edXML>
//
// parseEdxml ignores a Signature (and a DigitalSignature) element: the signing layer verifies it separately.
import type { EdxmlMessage } from "./model.ts";
import { readMessage } from "./read.ts";
import { writeMessage } from "./write.ts";
import { DEFAULT_EDXML_LIMITS, type EdxmlLimits, parseXml } from "./xml.ts";

export { DEFAULT_EDXML_LIMITS, type EdxmlLimits };

/** The edXML of a message: a complete UTF-8 XML document. Throws EdxmlError when a value cannot be written. */
export function buildEdxml(message: EdxmlMessage): string {
  return writeMessage(message);
}

/**
 * Reads an edXML document or status message (decided by its header: MessageHeader or MessageStatus).
 * Bytes are read as UTF-8 (UTF-16 when they begin with its byte order mark). Throws EdxmlError.
 */
export function parseEdxml(xml: string | Uint8Array, limits?: Partial<EdxmlLimits>): EdxmlMessage {
  const given = Object.fromEntries(Object.entries(limits ?? {}).filter(([, v]) => v !== undefined));
  const effective: EdxmlLimits = { ...DEFAULT_EDXML_LIMITS, ...given };
  for (const [name, value] of Object.entries(effective)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`edXML limit ${name} must be a whole number ≥ 1`);
  }
  return readMessage(parseXml(xml, effective));
}
