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
import type * as XmlDom from "@xmldom/xmldom";
import { lazyRequire } from "../../../platform/lazy.ts";
import { EDXML_NAMESPACE, type TraceHeader } from "../edxml/model.ts";

/** Required by the first hop appended, not by every process that loads the exchange module. */
const xmlDom = lazyRequire<typeof XmlDom>("@xmldom/xmldom");

/** The XPath transform of XML-DSig. */
export const XPATH_TRANSFORM = "http://www.w3.org/TR/1999/REC-xpath-19991116";
/** Its one expression here: every node but the TraceHeaders of the TraceHeaderList (and what they hold). */
export const TRACES_XPATH =
  `not(ancestor-or-self::*[local-name()='TraceHeader' and namespace-uri()='${EDXML_NAMESPACE}']` +
  `[parent::*[local-name()='TraceHeaderList' and namespace-uri()='${EDXML_NAMESPACE}'][parent::*[local-name()='edXMLHeader']]])`;

type XNode = { nodeType: number; localName?: string | null; namespaceURI?: string | null; parentNode: XNode | null; childNodes: ArrayLike<XNode> };

function traceHeaders(root: XNode): XNode[] {
  const found: XNode[] = [];
  const walk = (n: XNode) => {
    for (let i = 0; i < n.childNodes.length; i++) {
      const c = n.childNodes[i]!;
      if (c.nodeType !== 1) continue;
      const list = c.localName === "TraceHeaderList" && c.namespaceURI === EDXML_NAMESPACE && c.parentNode?.localName === "edXMLHeader";
      if (list) {
        for (let j = 0; j < c.childNodes.length; j++) {
          const t = c.childNodes[j]!;
          if (t.nodeType === 1 && t.localName === "TraceHeader" && t.namespaceURI === EDXML_NAMESPACE) found.push(t);
        }
      } else walk(c);
    }
  };
  walk(root);
  return found;
}

/** The transform itself, in xml-crypto's shape (it works on the clone xml-crypto canonicalises). */
export class TracesExcluded {
  includeComments = false;
  process(node: Node): Node {
    for (const t of traceHeaders(node as unknown as XNode)) (t.parentNode as unknown as Node).removeChild(t as unknown as Node);
    return node;
  }
  getAlgorithmName(): string {
    return XPATH_TRANSFORM;
  }
}

/**
 * A signed edXML message with one more TraceHeader (`hop`) appended to its TraceHeaderList (after the last one,
 * before Bussiness), written with the list's own prefix; the signature stays valid. Throws when there is no list.
 */
export function appendTrace(xml: string, hop: TraceHeader): string {
  if (/<!DOCTYPE/i.test(xml)) throw new Error("a document type declaration is not allowed");
  const doc = new (xmlDom().DOMParser)().parseFromString(xml, "text/xml");
  const lists = Array.from(doc.getElementsByTagNameNS(EDXML_NAMESPACE, "TraceHeaderList"));
  if (lists.length !== 1) throw new Error(`expected one TraceHeaderList, found ${lists.length}`);
  const list = lists[0]!;
  const prefix = list.prefix ? `${list.prefix}:` : "";
  const el = (name: string, text?: string) => {
    const e = doc.createElementNS(EDXML_NAMESPACE, `${prefix}${name}`);
    if (text !== undefined) e.appendChild(doc.createTextNode(text));
    return e;
  };
  const trace = el("TraceHeader");
  trace.appendChild(el("OrganId", hop.organId));
  trace.appendChild(el("Timestamp", hop.timestamp));
  const existing = Array.from(list.childNodes).filter((c) => c.nodeType === 1 && (c as Element).localName === "TraceHeader");
  const after = existing.at(-1);
  list.insertBefore(trace, after ? after.nextSibling : list.firstChild);
  return new (xmlDom().XMLSerializer)().serializeToString(doc);
}
