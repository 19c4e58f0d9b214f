// Hostile input: external entities, entity expansion, oversized and deeply nested documents are refused before
// they cost anything, with an EdxmlError.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildEdxml, type EdxmlDocument, EdxmlError, parseEdxml } from "./index.ts";

const DOC: EdxmlDocument = {
  kind: "document",
  header: {
    from: { organId: "000.00.00.G22", organName: "Văn phòng Chính phủ" },
    to: [{ organId: "000.00.00.H41", organName: "UBND tỉnh Nghệ An" }],
    code: { codeNumber: "7816", codeNotation: "VPCP-TTĐT" },
    promulgationInfo: { place: "Hà Nội", promulgationDate: "2015/09/30" },
    documentType: { type: 5, typeName: "Công văn" },
    subject: "Thử nghiệm",
    signerInfo: { fullName: "Nguyễn Văn A" },
    toPlaces: [],
    responseFor: [],
    documentId: "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
  },
  traces: [],
  bussiness: { bussinessDocType: 0, replacementInfoList: [] },
  attachments: [],
};
const XML = buildEdxml(DOC);
const BODY = XML.replace(/^<\?xml[^>]*>\n/, "");

function refused(run: () => unknown, element: string, problem: RegExp): EdxmlError {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof EdxmlError, `expected an EdxmlError, got ${String(caught)}`);
  assert.equal(caught.element, element);
  assert.match(caught.problem, problem);
  return caught;
}

describe("edXML reading is safe", () => {
  it("refuses an external entity (XXE): /etc/passwd is never read", () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${BODY.replace("Thử nghiệm", "&xxe;")}`;
    const e = refused(() => parseEdxml(xxe), "(document)", /DOCTYPE is not allowed/);
    assert.ok(!e.message.includes("root:"));
  });

  it("refuses a parameter entity and a DOCTYPE spelled in lower case", () => {
    const xxe = `<!doctype edXML [<!ENTITY % p SYSTEM "http://127.0.0.1/evil.dtd"> %p;]>${BODY}`;
    refused(() => parseEdxml(xxe), "(document)", /DOCTYPE is not allowed/);
  });

  it("refuses the billion laughs", () => {
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("");
    const bomb = `<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY lol0 "lol">${lol}]>${BODY.replace("Thử nghiệm", "&lol9;")}`;
    refused(() => parseEdxml(bomb), "(document)", /DOCTYPE is not allowed/);
  });

  it("refuses an undeclared entity and a character reference to a character XML forbids", () => {
    refused(() => parseEdxml(XML.replace("Thử nghiệm", "&xxe;")), "(document)", /the entity &xxe; is not allowed/);
    refused(() => parseEdxml(XML.replace("Thử nghiệm", "a&#0;b")), "(document)", /&#0; is not an XML character/);
  });

  it("decodes XML's own entities and character references", () => {
    const m = parseEdxml(XML.replace("Thử nghiệm", "&lt;Th&#7917; nghi&#x1EC7;m&gt; &amp; &quot;x&apos;"));
    assert.equal(m.kind === "document" && m.header.subject, "<Thử nghiệm> & \"x'");
  });

  it("refuses input over the size limit, as text or bytes, before parsing it", () => {
    refused(() => parseEdxml(XML, { maxBytes: 1000 }), "(document)", /larger than 1000 bytes/);
    refused(() => parseEdxml(new TextEncoder().encode(XML), { maxBytes: 1000 }), "(document)", /larger than 1000 bytes/);
    // The default is 50 MB: one more byte of white space is refused without reading the text.
    refused(() => parseEdxml(" ".repeat(50 * 1024 * 1024 + 1)), "(document)", /larger than 52428800 bytes/);
    // Multi-byte characters count as their UTF-8 bytes.
    refused(() => parseEdxml(`<edXML>${"ệ".repeat(400)}</edXML>`, { maxBytes: 1000 }), "(document)", /larger than 1000 bytes/);
  });

  it("refuses too deep nesting", () => {
    refused(() => parseEdxml(`${"<a>".repeat(50_000)}${"</a>".repeat(50_000)}`), "(document)", /nested deeper than 32 elements/);
    // Within what the parser allows, the error names the first element too deep.
    refused(() => parseEdxml(XML, { maxDepth: 4 }), "edXML/edXMLEnvelope/edXMLHeader/MessageHeader/From", /nested deeper than 4 elements/);
  });

  it("refuses too many elements", () => {
    refused(() => parseEdxml(`<edXML>${"<a/>".repeat(100_001)}</edXML>`), "(document)", /more than 100000 elements/);
    refused(() => parseEdxml(XML, { maxElements: 20 }), "(document)", /more than 20 elements/);
  });

  it("reads a document within the limits given", () => {
    assert.deepStrictEqual(parseEdxml(XML, { maxBytes: XML.length * 3, maxElements: 100, maxDepth: 7 }), DOC);
  });
});
