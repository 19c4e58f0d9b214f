// Reading XML safely into a small tree of elements known by their local names (`edXML:From`, `From` and
// `x:From` are the same element), with the limits that keep a hostile document from costing much: a size cap,
// an element count and a nesting depth checked before or while parsing, no DOCTYPE at all (so no entity can be
// declared: no external entity, no expansion bomb), and only XML's five entities and character references decoded.
import type * as Fxp from "fast-xml-parser";
import { lazyRequire } from "../../../platform/lazy.ts";
import { EdxmlError } from "./errors.ts";

// fast-xml-parser's CommonJS build (one file; its ES modules are a dozen), required by the first document read.
const fxp = lazyRequire<typeof Fxp>("fast-xml-parser");

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
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; any other entity is refused. */
function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&([^;&\s]{0,32});?/g, (whole, ref: string) => {
    if (!whole.endsWith(";")) throw new EdxmlError(DOC, `a bare "&" (write &amp;)`);
    const named = NAMED[ref];
    if (named !== undefined) return named;
    const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
    const code = m ? (m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2])) : NaN;
    const allowed =
      code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!m) throw new EdxmlError(DOC, `the entity &${ref}; is not allowed (only &lt; &gt; &amp; &quot; &apos; and &#…;)`);
    if (!allowed) throw new EdxmlError(DOC, `the character reference &${ref}; is not an XML character`);
    return String.fromCodePoint(code);
  });
}

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

type Ordered = Record<string, unknown>;

function toElement(node: Ordered, depth: number, limits: EdxmlLimits, path: string): XmlElement {
  const qname = Object.keys(node).find((k) => k !== ":@") ?? "";
  const name = qname.slice(qname.indexOf(":") + 1);
  const here = path ? `${path}/${name}` : name;
  if (depth > limits.maxDepth) throw new EdxmlError(here, `nested deeper than ${limits.maxDepth} elements`);
  const attrs = (node[":@"] as Record<string, string> | undefined) ?? {};
  const children: XmlElement[] = [];
  let text = "";
  for (const child of (node[qname] as Ordered[] | undefined) ?? []) {
    if ("#text" in child) text += String(child["#text"]);
    else if ("#cdata" in child) {
      for (const part of child["#cdata"] as Ordered[]) text += String(part["#text"] ?? "");
    } else children.push(toElement(child, depth + 1, limits, here));
  }
  return { name, attrs, children, text: text.trim() };
}

/** Parses a document into its root element, or throws EdxmlError saying what is wrong or unsafe. */
export function parseXml(xml: string | Uint8Array, limits: EdxmlLimits): XmlElement {
  const text = toText(xml, limits);
  if (text.trim() === "") throw new EdxmlError(DOC, "empty");
  // A DOCTYPE is where entities (and external references) are declared: an edXML message has none.
  if (/<!DOCTYPE/i.test(text)) throw new EdxmlError(DOC, "a DOCTYPE is not allowed (no entity declarations)");
  if (/<!ENTITY/i.test(text)) throw new EdxmlError(DOC, "an ENTITY declaration is not allowed");
  countElementStarts(text, limits.maxElements);
  const { XMLParser, XMLValidator } = fxp();
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new EdxmlError(DOC, `not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    cdataPropName: "#cdata",
    maxNestedTags: limits.maxDepth + 1,
    processEntities: true,
    entityDecoder: {
      decode: decodeEntities,
      addInputEntities: () => {
        throw new EdxmlError(DOC, "entity declarations are not allowed");
      },
      setExternalEntities: () => undefined,
      reset: () => undefined,
      setXmlVersion: () => undefined,
    },
  });
  let nodes: Ordered[];
  try {
    nodes = parser.parse(text) as Ordered[];
  } catch (e) {
    if (e instanceof EdxmlError) throw e;
    const message = (e as Error).message;
    if (/nested tags/i.test(message)) throw new EdxmlError(DOC, `nested deeper than ${limits.maxDepth} elements`);
    throw new EdxmlError(DOC, `not readable XML: ${message}`);
  }
  const roots = nodes.filter((n) => !("#text" in n) && !("#cdata" in n));
  if (roots.length !== 1) throw new EdxmlError(DOC, `${roots.length} root elements (expected one, <edXML>)`);
  return toElement(roots[0] as Ordered, 1, limits, "");
}
