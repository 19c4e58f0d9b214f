// Exclusive XML canonicalisation (https://www.w3.org/TR/xml-exc-c14n/, without comments) of a tree read by
// edxml/tree.ts: what the signature of an edXML message digests and signs (xmldsig.ts). It replaces a DOM and an
// XPath engine on the exchange's hot path (each message is signed once and verified once per node): reading and
// canonicalising a message costs a fraction of a millisecond where the DOM took several.
//
// Canonical form (exc-c14n §3, from Canonical XML 1.0 §2.3): no XML declaration; `<a></a>` for empty elements;
// attributes sorted by namespace URI then local name; on each element only the namespace declarations it visibly
// uses (its own prefix, its attributes' prefixes) that its nearest rendered ancestor does not already render with
// the same value, sorted by prefix (the default first; `xmlns=""` when an unprefixed element leaves a rendered
// default namespace); text escaped `&amp; &lt; &gt; &#xD;`, attribute values `&amp; &lt; &quot; &#x9; &#xA; &#xD;`.
// The tests hold it to xml-crypto's implementation on generated documents and to xmlsec1's signatures.
import { lookupNamespace, type XElement } from "../edxml/tree.ts";

const escapeText = (s: string) => (/[&<>\r]/.test(s) ? s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;") : s);
const escapeAttr = (s: string) =>
  /[&<"\t\n\r]/.test(s) ? s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/\t/g, "&#x9;").replace(/\n/g, "&#xA;").replace(/\r/g, "&#xD;") : s;
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The exclusive canonical form of `el` and what it holds, as the apex of a document subset (no namespace is rendered
 * above it), leaving out the elements `omit` says (with all they hold).
 */
export function canonicalize(el: XElement, omit: (e: XElement) => boolean = () => false): string {
  const out: string[] = [];
  write(el, null, omit, out);
  return out.join("");
}

/**
 * The namespace declarations the output's ancestors rendered: a chain of one scope per element that rendered some
 * (not a copy per element: the work stays proportional to the document, however its declarations are spread).
 */
interface Rendered {
  own: ReadonlyMap<string, string>;
  up: Rendered | null;
}

function renderedValue(rendered: Rendered | null, prefix: string): string | undefined {
  for (let r = rendered; r; r = r.up) {
    const uri = r.own.get(prefix);
    if (uri !== undefined) return uri;
  }
  return prefix === "" ? "" : undefined;
}

function write(el: XElement, rendered: Rendered | null, omit: (e: XElement) => boolean, out: string[]): void {
  // The prefixes this element visibly uses: its own (or the default), and its prefixed attributes'.
  const used = new Set([el.prefix]);
  for (const a of el.attrs) if (a.prefix !== "" && a.prefix !== "xml") used.add(a.prefix);
  const decls: Array<[string, string]> = [];
  for (const p of used) {
    if (p === "xml") continue;
    const uri = p === el.prefix ? el.ns : lookupNamespace(el, p)!;
    if (renderedValue(rendered, p) !== uri) decls.push([p, uri]);
  }
  const mine: Rendered | null = decls.length ? { own: new Map(decls), up: rendered } : rendered;
  out.push("<", el.qname);
  if (decls.length > 1) decls.sort((x, y) => byCodePoint(x[0], y[0]));
  for (const [p, uri] of decls) out.push(p === "" ? " xmlns=\"" : ` xmlns:${p}="`, escapeAttr(uri), '"');
  const attrs = el.attrs.length > 1 ? [...el.attrs].sort((x, y) => byCodePoint(x.ns, y.ns) || byCodePoint(x.local, y.local)) : el.attrs;
  for (const a of attrs) out.push(" ", a.qname, '="', escapeAttr(a.value), '"');
  out.push(">");
  for (const c of el.children) {
    if (c.kind === "text") out.push(escapeText(c.value));
    else if (!omit(c)) write(c, mine, omit, out);
  }
  out.push("</", el.qname, ">");
}

