// The hops of a routed message (issue 16, item 3): each node that routes a message onward appends its TraceHeader to
// `edXMLHeader/TraceHeaderList`, and the sender's signature must stay valid across the hops.
//
// The choice. The TraceHeaderList is inside edXMLHeader, so a signature over the whole document (URI="") would break
// at the first hub. Two ways out: the hub re-signs as itself (the recipient then verifies the hub, not the sending
// agency, and the document loses its end-to-end proof of origin — the evidence an official document exchange is
// for), or the signature leaves out what the hops may add. We take the second: the Reference's transforms are
// enveloped-signature, then this node-set filter, then exclusive canonicalisation. The filter removes exactly the
// `edXML:TraceHeader` children of the one `edXML:TraceHeaderList` of the header — nothing else: the Bussiness
// element (the document's type: new, revocation, update, replacement) is a sibling in the same list and stays
// signed, as do the MessageHeader, the body and every attachment. The filter is the standard XPath transform of
// XML-DSig (REC-xpath-19991116) with one fixed expression, TRACES_XPATH, so that any XML-DSig implementation
// verifies it (xmlsec1 does, in the tests); ours accepts that expression only, and applies it as the removal of
// those elements (the same node-set). A TraceHeader was never proof of anything: routing information only.
import { EDXML_NAMESPACE, type TraceHeader } from "../edxml/model.ts";
import { childElements, findAll, readXml, type XElement } from "../edxml/tree.ts";

/** The XPath transform of XML-DSig. */
export const XPATH_TRANSFORM = "http://www.w3.org/TR/1999/REC-xpath-19991116";
/** Its one expression here: every node but the TraceHeaders of the TraceHeaderList (and what they hold). */
export const TRACES_XPATH =
  `not(ancestor-or-self::*[local-name()='TraceHeader' and namespace-uri()='${EDXML_NAMESPACE}']` +
  `[parent::*[local-name()='TraceHeaderList' and namespace-uri()='${EDXML_NAMESPACE}'][parent::*[local-name()='edXMLHeader']]])`;

const isTraceList = (e: XElement) => e.local === "TraceHeaderList" && e.ns === EDXML_NAMESPACE && e.parent?.local === "edXMLHeader";

/** The nodes TRACES_XPATH leaves out, by their top element: a TraceHeader of the header's TraceHeaderList. */
export const isHopTrace = (e: XElement): boolean => e.local === "TraceHeader" && e.ns === EDXML_NAMESPACE && e.parent !== null && isTraceList(e.parent);

/**
 * A signed edXML message with one more TraceHeader (`hop`) appended to its TraceHeaderList (after the last one,
 * before Bussiness), written with the list's own prefix; the rest of the message is kept as it came, byte for byte
 * (but for line ends), so the signature stays valid. Throws when there is no list.
 */
export function appendTrace(xml: string, hop: TraceHeader): string {
  const doc = readXml(xml);
  const lists = findAll(doc.root, isTraceList);
  if (lists.length !== 1) throw new Error(`expected one TraceHeaderList, found ${lists.length}`);
  const list = lists[0]!;
  const p = list.prefix ? `${list.prefix}:` : "";
  // The list's own prefix is bound to the edXML namespace where it stands: the new elements need no declaration.
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const trace = `<${p}TraceHeader><${p}OrganId>${escape(hop.organId)}</${p}OrganId><${p}Timestamp>${escape(hop.timestamp)}</${p}Timestamp></${p}TraceHeader>`;
  const last = childElements(list).filter(isHopTrace).at(-1);
  let at: number;
  if (last) at = doc.text.indexOf(">", last.closeStart) + 1;
  else if (doc.text.startsWith("/>", list.closeStart)) {
    // An empty list written `<TraceHeaderList/>`: opened and closed around the hop.
    return `${doc.text.slice(0, list.closeStart)}>${trace}</${list.qname}>${doc.text.slice(list.closeStart + 2)}`;
  } else at = list.contentStart;
  return doc.text.slice(0, at) + trace + doc.text.slice(at);
}
