// A small namespace-aware reader of XML into a tree of elements and text, with the offsets of each element in the
// text: what the exchange reads every message with (the codec, edxml/xml.ts; the signature, signing/c14n.ts).
//
// Strict and small: no DOCTYPE (so no entity can be declared), only XML's five entities and character references, a
// nesting depth and an element count bounded, every prefix declared. Line ends are normalised (XML 1.0 §2.11) and
// attribute values too (§3.3.3, CDATA type: each white space character written as such is a space), as every
// conforming parser does. Comments are read and dropped; processing instructions are refused, or skipped when the
// caller allows them.

export const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

export interface XElement {
  kind: "element";
  /** As written: `prefix:local` or `local`. */
  qname: string;
  prefix: string;
  local: string;
  /** The namespace URI the prefix (or the default) resolves to; "" when none. */
  ns: string;
  attrs: XAttr[];
  /** The namespace declarations written on this element: prefix ("" for the default) → URI. */
  decls: Map<string, string> | null;
  children: XNode[];
  parent: XElement | null;
  /** Offsets in the (line-end normalised) text: the start tag's `<`, and the end tag's `<` (the `/>` when empty). */
  start: number;
  /** Just after the start tag's `>`. */
  contentStart: number;
  closeStart: number;
}

export interface XAttr {
  qname: string;
  prefix: string;
  local: string;
  ns: string;
  value: string;
}

export interface XText {
  kind: "text";
  value: string;
}

export type XNode = XElement | XText;

/** A document read: its root element and the text the offsets refer to. */
export interface XDocument {
  root: XElement;
  text: string;
}

/** Why a text cannot be read as XML: what is wrong, and where (line and column, from 1) when it is at a place. */
export class XmlReadError extends Error {
  override name = "XmlReadError";
  line: number | null = null;
  column: number | null = null;
  constructor(
    readonly problem: string,
    /** The offset in the text it was found at. */
    readonly at: number | null = null,
  ) {
    super(problem);
  }

  /** Placed in `text`: its line and column, in the message too. */
  placeIn(text: string): this {
    if (this.at === null || this.line !== null) return this;
    const before = text.slice(0, this.at);
    this.line = before.split("\n").length;
    this.column = this.at - before.lastIndexOf("\n");
    this.message = `${this.problem} (line ${this.line}, column ${this.column})`;
    return this;
  }
}

export interface ReadOptions {
  /** Deepest nesting of elements (64 by default). */
  maxDepth?: number;
  /** Most elements (200,000 by default). */
  maxElements?: number;
  /** Processing instructions are skipped, not refused. */
  skipProcessingInstructions?: boolean;
}

/** Thrown when a document is nested deeper or holds more elements than allowed. */
export class XmlLimitError extends XmlReadError {
  override name = "XmlLimitError";
}
const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*$/;
/** Most attributes and namespace declarations on one element. */
const MAX_ATTRIBUTES = 256;

/** Input quoted in a message, cut short: what a sender wrote is not echoed at any length into logs and answers. */
export const shown = (s: string, max = 80): string => (s.length > max ? `${s.slice(0, max)}…` : s);

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&([^;&]*)(;?)/g, (_whole, ref: string, semi: string) => {
    if (!semi) throw new XmlReadError(`a bare "&"`, at);
    const named = NAMED[ref];
    if (named !== undefined) return named;
    const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (!m) throw new XmlReadError(`the entity &${shown(ref)}; is not allowed`, at);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    const ok = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!ok) throw new XmlReadError(`&${shown(ref)}; is not an XML character`, at);
    return String.fromCodePoint(code);
  });
}

function splitName(qname: string, at: number): [string, string] {
  const colon = qname.indexOf(":");
  const prefix = colon < 0 ? "" : qname.slice(0, colon);
  const local = colon < 0 ? qname : qname.slice(colon + 1);
  if (!NAME.test(local) || (colon >= 0 && !NAME.test(prefix))) throw new XmlReadError(`"${shown(qname)}" is not a name`, at);
  return [prefix, local];
}

/** The URI `prefix` is bound to where `el` stands ("" for an undeclared default), or undefined. */
export function lookupNamespace(el: XElement | null, prefix: string): string | undefined {
  if (prefix === "xml") return XML_NAMESPACE;
  for (let e = el; e; e = e.parent) {
    const uri = e.decls?.get(prefix);
    if (uri !== undefined) return uri;
  }
  return prefix === "" ? "" : undefined;
}

const ATTR = /\s*([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;

/** Reads a document; throws XmlReadError when it is not well-formed or not allowed here. */
export function readXml(input: string, opts: ReadOptions = {}): XDocument {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const normalised = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
  try {
    return read(normalised, opts);
  } catch (err) {
    throw err instanceof XmlReadError ? err.placeIn(normalised) : err;
  }
}

function read(text: string, opts: ReadOptions): XDocument {
  const MAX_DEPTH = opts.maxDepth ?? 64;
  const MAX_ELEMENTS = opts.maxElements ?? 200_000;
  let i = 0;
  let root: XElement | null = null;
  let current: XElement | null = null;
  let depth = 0;
  let elements = 0;
  const n = text.length;
  if (text.startsWith("<?xml")) {
    const end = text.indexOf("?>");
    if (end < 0 || !/^<\?xml\s/.test(text)) throw new XmlReadError("an unfinished XML declaration");
    i = end + 2;
  }
  const textNode = (raw: string, at: number) => {
    // XML 1.0 §2.4: "]]>" only ends a CDATA section.
    const cdataEnd = raw.indexOf("]]>");
    if (cdataEnd >= 0) throw new XmlReadError(`"]]>" in text`, at + cdataEnd);
    if (current) current.children.push({ kind: "text", value: decode(raw, at) });
    else if (raw.trim() !== "") throw new XmlReadError(`text outside the document element`, at);
  };
  while (i < n) {
    const lt = text.indexOf("<", i);
    if (lt < 0) {
      textNode(text.slice(i), i);
      break;
    }
    if (lt > i) textNode(text.slice(i, lt), i);
    const c = text.charCodeAt(lt + 1);
    if (c === 0x21 /* ! */) {
      if (text.startsWith("<!--", lt)) {
        const end = text.indexOf("-->", lt + 4);
        if (end < 0) throw new XmlReadError(`an unfinished comment`, lt);
        // XML 1.0 §2.5: no "--" inside a comment, none before its end.
        const dashes = text.indexOf("--", lt + 4);
        if (dashes < end) throw new XmlReadError(`"--" inside a comment`, dashes);
        i = end + 3;
      } else if (text.startsWith("<![CDATA[", lt)) {
        if (!current) throw new XmlReadError(`CDATA outside the document element`, lt);
        const end = text.indexOf("]]>", lt + 9);
        if (end < 0) throw new XmlReadError(`an unfinished CDATA section`, lt);
        current.children.push({ kind: "text", value: text.slice(lt + 9, end) });
        i = end + 3;
      } else throw new XmlReadError(`a document type declaration or other markup declaration is not allowed`, lt);
      continue;
    }
    if (c === 0x3f /* ? */) {
      const end = text.indexOf("?>", lt + 2);
      if (!opts.skipProcessingInstructions) throw new XmlReadError(`a processing instruction is not allowed`, lt);
      if (end < 0) throw new XmlReadError(`an unfinished processing instruction`, lt);
      i = end + 2;
      continue;
    }
    if (c === 0x2f /* / */) {
      const gt = text.indexOf(">", lt);
      if (gt < 0) throw new XmlReadError(`an unfinished end tag`, lt);
      const name = text.slice(lt + 2, gt).trimEnd();
      if (!current || name !== current.qname) throw new XmlReadError(`</${shown(name)}> does not close ${current ? `<${shown(current.qname)}>` : "any element"}`, lt);
      current.closeStart = lt;
      current = current.parent;
      depth--;
      i = gt + 1;
      continue;
    }
    // A start tag.
    if (!current && root) throw new XmlReadError(`a second document element`, lt);
    let j = lt + 1;
    while (j < n) {
      const ch = text.charCodeAt(j);
      if (ch === 0x20 || ch === 0x0a || ch === 0x09 || ch === 0x3e || ch === 0x2f) break;
      j++;
    }
    const qname = text.slice(lt + 1, j);
    const raw: Array<[string, string, number]> = [];
    for (;;) {
      ATTR.lastIndex = j;
      const m = ATTR.exec(text);
      if (!m) break;
      if (m.index !== j) break;
      if (j === ATTR.lastIndex) break;
      const first = text.charCodeAt(j);
      if (first !== 0x20 && first !== 0x0a && first !== 0x09) throw new XmlReadError(`no space before the attribute ${shown(m[1]!)}`, j);
      raw.push([m[1]!, m[2] ?? m[3] ?? "", j]);
      if (raw.length > MAX_ATTRIBUTES) throw new XmlLimitError(`more than ${MAX_ATTRIBUTES} attributes on one element`, j);
      j = ATTR.lastIndex;
    }
    while (j < n && /\s/.test(text[j]!)) j++;
    const empty = text.startsWith("/>", j);
    if (!empty && text.charCodeAt(j) !== 0x3e) throw new XmlReadError(`a malformed start tag <${shown(qname)}>`, lt);
    if (++elements > MAX_ELEMENTS) throw new XmlLimitError(`more than ${MAX_ELEMENTS} elements`);
    if (depth + 1 > MAX_DEPTH) throw new XmlLimitError(`nested deeper than ${MAX_DEPTH} elements`);
    const [prefix, local] = splitName(qname, lt);
    const el: XElement = { kind: "element", qname, prefix, local, ns: "", attrs: [], decls: null, children: [], parent: current, start: lt, contentStart: empty ? j + 2 : j + 1, closeStart: j };
    const seen = new Set<string>();
    for (const [name, value, at] of raw) {
      if (seen.has(name)) throw new XmlReadError(`the attribute ${shown(name)} twice on <${shown(qname)}>`, at);
      seen.add(name);
      // Attribute-value normalisation: white space written as such is a space; a character reference stays.
      const normalised = decode(value.replace(/[\t\n]/g, " "), at);
      if (name === "xmlns" || name.startsWith("xmlns:")) {
        const declared = name === "xmlns" ? "" : name.slice(6);
        if (declared !== "" && (!NAME.test(declared) || normalised === "")) throw new XmlReadError(`a malformed namespace declaration ${shown(name)}`, at);
        (el.decls ??= new Map()).set(declared, normalised);
      } else {
        const [p, l] = splitName(name, at);
        el.attrs.push({ qname: name, prefix: p, local: l, ns: "", value: normalised });
      }
    }
    const ns = lookupNamespace(el, prefix);
    if (ns === undefined) throw new XmlReadError(`the prefix ${shown(prefix)} of <${shown(qname)}> is not declared`, lt);
    el.ns = ns;
    for (const a of el.attrs) {
      if (a.prefix === "") continue;
      const uri = lookupNamespace(el, a.prefix);
      if (uri === undefined) throw new XmlReadError(`the prefix ${shown(a.prefix)} of the attribute ${shown(a.qname)} is not declared`, lt);
      a.ns = uri;
    }
    if (el.attrs.length > 1) {
      const names = new Set<string>();
      for (const a of el.attrs) {
        const key = `${a.ns}\u0000${a.local}`;
        if (names.has(key)) throw new XmlReadError(`the attribute ${shown(a.local)} twice on <${shown(qname)}>`, lt);
        names.add(key);
      }
    }
    if (current) current.children.push(el);
    else root = el;
    if (empty) {
      i = j + 2;
    } else {
      current = el;
      depth++;
      i = j + 1;
    }
  }
  if (current) throw new XmlReadError(`<${shown(current.qname)}> is not closed`);
  if (!root) throw new XmlReadError("no document element");
  return { root, text };
}

/** The element children of `el`. */
export const childElements = (el: XElement): XElement[] => el.children.filter((c): c is XElement => c.kind === "element");

/** Every element under `el` (and itself) that `test` accepts, in document order. */
export function findAll(el: XElement, test: (e: XElement) => boolean, out: XElement[] = []): XElement[] {
  if (test(el)) out.push(el);
  for (const c of el.children) if (c.kind === "element") findAll(c, test, out);
  return out;
}

/** The text an element holds (its descendants' too), as DOM's textContent. */
export function textOf(el: XElement): string {
  let s = "";
  for (const c of el.children) s += c.kind === "text" ? c.value : textOf(c);
  return s;
}
