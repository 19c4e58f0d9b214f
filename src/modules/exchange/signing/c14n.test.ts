import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import { DOMParser } from "@xmldom/xmldom";
import fc from "fast-check";
import { ExclusiveCanonicalization } from "xml-crypto";
import { debianTool } from "../../../../test/helpers/tools.ts";
import { EDXML_NAMESPACE } from "../edxml/model.ts";
import { createDevelopmentCa, issueAgencyCertificate, type KeyAndCertificate } from "./ca.ts";
import { readXml, XmlReadError } from "../edxml/tree.ts";
import { canonicalize } from "./c14n.ts";
import { TRACES_XPATH, XPATH_TRANSFORM } from "./traces.ts";
import { DSIG_NAMESPACE, ENVELOPED, EXC_C14N, RSA_SHA256, SHA256, type SignatureRefusal, SignatureError, verifyEdxml } from "./xmldsig.ts";

const c14n = (xml: string) => canonicalize(readXml(xml).root);
/** xml-crypto's exclusive canonicalisation of the same text, read by xmldom: an independent implementation. */
const theirs = (xml: string) => new ExclusiveCanonicalization().process(new DOMParser().parseFromString(xml, "text/xml").documentElement as unknown as Element, {});

describe("exclusive canonicalisation", () => {
  it("writes the canonical form: no declaration, sorted attributes, used namespaces only, empty elements opened and closed", () => {
    assert.equal(c14n('<?xml version="1.0"?>\n<a b="2"   a="1"/>'), '<a a="1" b="2"></a>');
    assert.equal(
      c14n('<n1:elem2 xmlns:n1="http://example.net" xmlns:n2="http://unused" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2>'),
      '<n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>',
    );
    // Attributes by namespace URI then local name; the unqualified ones first.
    assert.equal(c14n('<e xmlns:b="urn:b" xmlns:a="urn:c" a:z="1" b:y="2" x="3"/>'), '<e xmlns:a="urn:c" xmlns:b="urn:b" x="3" b:y="2" a:z="1"></e>');
    // A default namespace left: xmlns="" where a rendered one is in force, never at the top.
    assert.equal(c14n('<a xmlns="urn:x"><b xmlns=""><c/></b></a>'), '<a xmlns="urn:x"><b xmlns=""><c></c></b></a>');
    assert.equal(c14n('<a xmlns=""><b/></a>'), "<a><b></b></a>");
    // A prefix rendered once down a branch, again in a sibling branch.
    assert.equal(c14n('<r xmlns:p="urn:p"><p:a><p:b/></p:a><p:c/></r>'), '<r><p:a xmlns:p="urn:p"><p:b></p:b></p:a><p:c xmlns:p="urn:p"></p:c></r>');
  });

  it("escapes text and attribute values, normalises line ends and attribute white space, and reads CDATA as text", () => {
    assert.equal(c14n('<a v="x&#9;y&#10;z\tw\nq &quot;&lt;&gt;&amp;">&lt;&gt;&amp;"\'\r\n&#13;<![CDATA[<&>]]><!-- gone --></a>'), '<a v="x&#x9;y&#xA;z w q &quot;&lt;>&amp;">&lt;&gt;&amp;"\'\n&#xD;&lt;&amp;&gt;</a>');
    assert.equal(c14n("<a>Về việc triển khai đề án</a>"), "<a>Về việc triển khai đề án</a>");
  });

  it("refuses what a signed message may not hold, saying what and where", () => {
    for (const [xml, what] of [
      ['<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', /document type/],
      ["<a>&e;</a>", /entity &e;/],
      ["<a><?pi x?></a>", /processing instruction/],
      ["<a><b></a>", /does not close/],
      ["<p:a/>", /prefix p/],
      ['<a x="1" x="2"/>', /twice/],
      ['<a xmlns:p="urn:p" xmlns:q="urn:p" p:x="1" q:x="2"/>', /twice/],
      ["<a/><b/>", /second document element/],
      ["<a>", /not closed/],
      ["<a>&#0;</a>", /not an XML character/],
      ["<a> & </a>", /bare "&"/],
      ['<a x="1"y="2"/>', /no space|malformed/],
      [`${"<a>".repeat(70)}${"</a>".repeat(70)}`, /deeper/],
      [`<a ${Array.from({ length: 257 }, (_, i) => `x${i}="1"`).join(" ")}/>`, /more than 256 attributes/],
      ["<a><!-- a -- b --></a>", /"--" inside a comment/],
      ["<a><!-- a ---></a>", /"--" inside a comment/],
      ["<a>x ]]> y</a>", /"\]\]>" in text/],
    ] as const) {
      assert.throws(() => readXml(xml), (e: unknown) => e instanceof XmlReadError && what.test(e.message), xml);
    }
  });

  it("quotes what was sent cut short in its refusals", () => {
    for (const xml of [`<a>&${"x".repeat(10_000)};</a>`, `<a></${"b".repeat(10_000)}>`, `<${"c".repeat(10_000)} x="1"y="2"/>`]) {
      assert.throws(() => readXml(xml), (e: unknown) => e instanceof XmlReadError && e.message.length < 200, xml.slice(0, 40));
    }
  });

  it("renders each namespace where it is first used, among many declarations and siblings", () => {
    // Many prefixes declared once, each used by one of many siblings: each sibling renders its own, nothing more.
    const prefixes = Array.from({ length: 200 }, (_, i) => `p${i}`);
    const xml = `<r ${prefixes.map((p) => `xmlns:${p}="urn:${p}"`).join(" ")}>${Array.from({ length: 20_000 }, (_, i) => `<${prefixes[i % 200]}:e/>`).join("")}</r>`;
    const out = c14n(xml);
    assert.ok(out.startsWith('<r><p0:e xmlns:p0="urn:p0"></p0:e><p1:e xmlns:p1="urn:p1"></p1:e>'));
    assert.equal(out.match(/xmlns:/g)!.length, 20_000);
  });

  it("agrees with xml-crypto's implementation on generated documents (namespaces declared, redeclared and undone, escapes, CDATA, comments)", () => {
    fc.assert(
      fc.property(arbitraryDocument(), (xml) => {
        assert.equal(c14n(xml), theirs(xml), xml);
      }),
      { numRuns: 300 },
    );
  });
});

/** Generated XML: elements under a few prefixes and default namespaces, attributes, text with characters to escape. */
function arbitraryDocument(): fc.Arbitrary<string> {
  const uris = ["urn:a", "urn:b", "http://www.mic.gov.vn/TBT/QCVN_102_2016"];
  const prefixes = ["p", "q", "edXML"];
  const chars = fc.constantFrom("a", "Đ", "ệ", " ", "&", "<", ">", '"', "'", "\t", "\n", "\r\n", "\r");
  const raw = fc.array(chars, { maxLength: 6 }).map((cs) => cs.join(""));
  const escText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\r(?!\n)/g, "&#13;");
  const escAttr = (s: string, refs: boolean) => {
    const e = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
    return refs ? e.replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;") : e;
  };
  interface Spec {
    prefix: number; // -1: unprefixed
    declare: Array<[number, number]>; // prefix index (-1: default), uri index (-1: "" for the default)
    attrs: Array<[number, number, string, boolean]>; // prefix index (-1: none), name, value, refs
    content: Array<{ text: string; cdata: boolean; comment: boolean } | Spec>;
  }
  const node: fc.Memo<Spec> = fc.memo((depth) =>
    fc.record({
      prefix: fc.integer({ min: -1, max: 2 }),
      declare: fc.array(fc.tuple(fc.integer({ min: -1, max: 2 }), fc.integer({ min: -1, max: 2 })), { maxLength: 3 }),
      attrs: fc.array(fc.tuple(fc.integer({ min: -1, max: 2 }), fc.integer({ min: 0, max: 3 }), raw, fc.boolean()), { maxLength: 3 }),
      content: depth <= 1 ? fc.array(fc.record({ text: raw, cdata: fc.boolean(), comment: fc.boolean() }), { maxLength: 2 }) : fc.array(fc.oneof(fc.record({ text: raw, cdata: fc.boolean(), comment: fc.boolean() }), node(depth - 1)), { maxLength: 4 }),
    }),
  );
  const write = (s: Spec, scope: Map<number, number>): string => {
    const decls = new Map<number, number>();
    for (const [p, u] of s.declare) {
      if (p >= 0 && u < 0) continue; // xmlns:p="" is XML 1.1
      decls.set(p, u);
    }
    // Every prefix used is declared where it is used, or above.
    const need = (p: number) => {
      if (p >= 0 && !scope.has(p) && !decls.has(p)) decls.set(p, p % uris.length);
    };
    need(s.prefix);
    const attrs = new Map<string, string>();
    for (const [p, n, v, refs] of s.attrs) {
      need(p);
      attrs.set(p < 0 ? `n${n}` : `${prefixes[p]}:n${n}`, `${attrs.size ? "" : ""}${escAttr(v, refs)}`);
    }
    const inner = new Map(scope);
    for (const [p, u] of decls) inner.set(p, u);
    // Two prefixed attributes of the same local name under prefixes bound to one URI are not allowed: keep one.
    const seen = new Set<string>();
    const attrText = [...attrs]
      .filter(([name]) => {
        const [p, local] = name.includes(":") ? name.split(":") : ["", name];
        const key = `${p ? uris[inner.get(prefixes.indexOf(p!))!] : ""}|${local}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map(([name, value]) => ` ${name}="${value}"`)
      .join("");
    const name = s.prefix < 0 ? "e" : `${prefixes[s.prefix]}:e`;
    const declText = [...decls].map(([p, u]) => ` xmlns${p < 0 ? "" : `:${prefixes[p]}`}="${u < 0 ? "" : uris[u]}"`).join("");
    const body = s.content
      .map((c) => ("prefix" in c ? write(c, inner) : c.comment ? `<!--${c.text.replace(/-/g, "")}-->` : c.cdata && !c.text.includes("]]>") ? `<![CDATA[${c.text}]]>` : escText(c.text)))
      .join("");
    return `<${name}${declText}${attrText}>${body}</${name}>`;
  };
  return node(3).map((s) => write(s, new Map()));
}

describe("signatures made by xmlsec1 (libxml2's canonicalisation) verify here", () => {
  const XMLSEC1 = debianTool("xmlsec1");
  const A = "000.00.00.H29";
  const NOW = new Date();
  let a: KeyAndCertificate;
  before(async () => {
    const ca = await createDevelopmentCa({ name: "motcua CA thử nghiệm", now: NOW });
    a = await issueAgencyCertificate(ca, { agencyCode: A, agencyName: "Ủy ban nhân dân tỉnh Thử nghiệm" }, { now: NOW });
  });

  it("with the whole document signed, and with the hops' TraceHeaders left out; a changed byte is refused", (t) => {
    if (!XMLSEC1) {
      t.skip("xmlsec1 is not installed (Debian package xmlsec1): the independent check did not run");
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edxml-xmlsec-"));
    try {
      fs.writeFileSync(path.join(dir, "key.pem"), a.privateKeyPem);
      fs.writeFileSync(path.join(dir, "cert.pem"), a.certificatePem);
      const samples = fc.sample(arbitraryDocument(), { numRuns: 12, seed: 20261206 });
      samples.forEach((body, i) => {
        const traces = i % 2 === 0;
        const transforms = `<Transform Algorithm="${ENVELOPED}"/>${traces ? `<Transform Algorithm="${XPATH_TRANSFORM}"><XPath>${TRACES_XPATH}</XPath></Transform>` : ""}<Transform Algorithm="${EXC_C14N}"/>`;
        const template = `<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="${EDXML_NAMESPACE}">
  <edXML:edXMLHeader>
    <edXML:MessageHeader><edXML:From><edXML:OrganId>${A}</edXML:OrganId></edXML:From></edXML:MessageHeader>
    <edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>${A}</edXML:OrganId></edXML:TraceHeader></edXML:TraceHeaderList>
  <Signature xmlns="${DSIG_NAMESPACE}"><SignedInfo><CanonicalizationMethod Algorithm="${EXC_C14N}"/><SignatureMethod Algorithm="${RSA_SHA256}"/><Reference URI=""><Transforms>${transforms}</Transforms><DigestMethod Algorithm="${SHA256}"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></edXML:edXMLHeader>
  <edXML:edXMLBody>${body}</edXML:edXMLBody>
</edXML:edXMLEnvelope>
`;
        fs.writeFileSync(path.join(dir, "template.xml"), template);
        const signed = execFileSync(XMLSEC1, ["--sign", "--privkey-pem", `${path.join(dir, "key.pem")},${path.join(dir, "cert.pem")}`, path.join(dir, "template.xml")], { encoding: "utf8", stdio: "pipe" });
        const verify = (xml: string) => verifyEdxml(xml, { trusted: [a.certificatePem], agencyCode: A, now: NOW });
        assert.equal(verify(signed).agencyCode, A, body);
        const refused = (xml: string, reason: SignatureRefusal) =>
          assert.throws(() => verify(xml), (e: unknown) => e instanceof SignatureError && e.reason === reason, xml);
        refused(signed.replace("<edXML:edXMLBody>", "<edXML:edXMLBody>x"), "digest_mismatch");
        if (traces) {
          // A hop appended leaves xmlsec1's signature valid too: the same node-set.
          const hopped = signed.replace("</edXML:TraceHeader>", "</edXML:TraceHeader><edXML:TraceHeader><edXML:OrganId>000.00.00.G22</edXML:OrganId></edXML:TraceHeader>");
          assert.equal(verify(hopped).agencyCode, A);
        }
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
