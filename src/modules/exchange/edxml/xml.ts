// Reading XML safely into a small tree of elements known by their local names (`edXML:From`, `From` and
// `x:From` are the same element), with the limits that keep a hostile document from costing much: a size cap,
// an element count and a nesting depth checked before or while parsing, no DOCTYPE at all (so no entity can be
// declared: no external entity, no expansion bomb), and only XML's five entities and character references decoded.
import { EdxmlError } from "./errors.ts";
import { readXml, type XElement, XmlLimitError, XmlReadError } from "./tree.ts";

export interface EdxmlLimits {
  /** Largest input in bytes (UTF-8). Default 50 MB. */
  maxBytes: number;
  /** Most elements in the document. Default 100,000. */
  maxElements: number;
  /** Deepest nesting of elements. Default 32 (an edXML document needs 7). */
  maxDepth: number;
}

export const DEFAULT_EDXML_LIMITS: EdxmlLimits = { maxBytes: 50 * 1024 * 1024, maxElements: 100_000, maxDepth: 32 };

/** An element: its local name, its attributes (qualified names as written), child elements and trimmed text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const DOC = "(document)";
/** The input as text: a string as given, bytes as UTF-8 (or UTF-16 when they begin with its byte order mark). */
function toText(xml: string | Uint8Array, limits: EdxmlLimits): string {
  if (typeof xml === "string") {
    if (xml.length > limits.maxBytes || (xml.length * 3 > limits.maxBytes && Buffer.byteLength(xml) > limits.maxBytes)) {
      throw new EdxmlError(DOC, `larger than ${limits.maxBytes} bytes`);
    }
    return xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  }
  if (!(xml instanceof Uint8Array)) throw new EdxmlError(DOC, "expected text or bytes");
  if (xml.byteLength > limits.maxBytes) throw new EdxmlError(DOC, `larger than ${limits.maxBytes} bytes`);
  const utf16 = xml[0] === 0xff && xml[1] === 0xfe ? "utf-16le" : xml[0] === 0xfe && xml[1] === 0xff ? "utf-16be" : null;
  try {
    // TextDecoder drops the byte order mark itself.
    return new TextDecoder(utf16 ?? "utf-8", { fatal: true }).decode(xml);
  } catch {
    throw new EdxmlError(DOC, `not valid ${utf16 ?? "UTF-8"} text`);
  }
}

/** Counts the element starts (`<` then a name character): an upper bound on the elements, found before parsing. */
function countElementStarts(text: string, max: number): void {
  let count = 0;
  for (let i = text.indexOf("<"); i >= 0; i = text.indexOf("<", i + 1)) {
    const c = text.charCodeAt(i + 1);
    // Not "/", "!", "?": an opening tag (over-counts a "<" inside a comment or CDATA, which errs on the safe side).
    if (c !== 0x2f && c !== 0x21 && c !== 0x3f && ++count > max) {
      throw new EdxmlError(DOC, `more than ${max} elements`);
    }
  }
}

function toElement(node: XElement, depth: number, limits: EdxmlLimits, path: string): XmlElement {
  const here = path ? `${path}/${node.local}` : node.local;
  if (depth > limits.maxDepth) throw new EdxmlError(here, `nested deeper than ${limits.maxDepth} elements`);
  // Attributes only: a namespace declaration is not one (a signature leaves out those no name uses, so one added on
  // the way must not be read as a value, e.g. `xmlns:href` for `xlink:href`).
  const attrs: Record<string, string> = {};
  for (const a of node.attrs) attrs[a.qname] = a.value;
  const children: XmlElement[] = [];
  let text = "";
  for (const child of node.children) {
    if (child.kind === "text") text += child.value;
    else children.push(toElement(child, depth + 1, limits, here));
  }
  return { name: node.local, attrs, children, text: text.trim() };
}

/** Parses a document into its root element, or throws EdxmlError saying what is wrong or unsafe. */
export function parseXml(xml: string | Uint8Array, limits: EdxmlLimits): XmlElement {
  const text = toText(xml, limits);
  if (text.trim() === "") throw new EdxmlError(DOC, "empty");
  // A DOCTYPE is where entities (and external references) are declared: an edXML message has none.
  if (/<!DOCTYPE/i.test(text)) throw new EdxmlError(DOC, "a DOCTYPE is not allowed (no entity declarations)");
  if (/<!ENTITY/i.test(text)) throw new EdxmlError(DOC, "an ENTITY declaration is not allowed");
  countElementStarts(text, limits.maxElements);
  let root: XElement;
  try {
    // With slack: a document a little too deep is refused below, naming the element where it goes too deep.
    root = readXml(text, { maxDepth: 2 * limits.maxDepth + 8, maxElements: limits.maxElements, skipProcessingInstructions: true }).root;
  } catch (e) {
    if (e instanceof XmlLimitError && e.message.startsWith("nested")) throw new EdxmlError(DOC, `nested deeper than ${limits.maxDepth} elements`);
    if (e instanceof XmlReadError) throw new EdxmlError(DOC, `not well-formed XML${e.line !== null ? ` (line ${e.line}, column ${e.column})` : ""}: ${e.problem}`);
    throw e;
  }
  return toElement(root, 1, limits, "");
}
