// The codec's round trip over generated messages, and its precise refusals of malformed input and of values that
// cannot be written.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type Attachment,
  BUSSINESS_DOC_TYPES,
  buildEdxml,
  type EdxmlDocument,
  EdxmlError,
  type EdxmlStatus,
  formatDocumentId,
  type Organization,
  parseEdxml,
  STATUS_CODES,
} from "./index.ts";

/** Drops the keys whose value is undefined: an absent optional element is an absent key in the model. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// Vietnamese letters, XML's special characters, entity-like text, white space inside and an astral character.
const TOKENS = ["a", "Z", "7", " ", "\n", "\t", "<", ">", "&", '"', "'", "]]>", "amp;", "#233;", "ệ", "Đ", "ư", "ờ", "ạ", "😀", "/", ","];
const text = fc
  .array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 })
  .map((a) => a.join("").trim())
  .filter((s) => s.length > 0);
// Plain objects (fast-check's records have a null prototype by default, which deepStrictEqual tells apart).
const rec = <T extends object>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
  fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const agency = fc.constantFrom("000.00.00.G22", "000.00.00.H41", "000.00.51.H06", "001.02.51.H06", "000.00.00.H26");
const day = fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true });
const pad = (n: number) => String(n).padStart(2, "0");
const date = day.map((d) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`);
const timestamp = day.map(
  (d) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
);
const count = fc.nat({ max: 2_147_483_647 });
const codeNumber = fc.stringMatching(/^[0-9A-Za-z.-]{1,8}$/);
const documentId = fc
  .record({ organId: agency, promulgationDate: date, codeNumber, codeNotation: text })
  .map((p) => formatDocumentId(p));

const organization: fc.Arbitrary<Organization> = fc
  .record({
    organId: agency,
    organizationInCharge: opt(text),
    organName: text,
    organAdd: opt(text),
    email: opt(text),
    telephone: opt(text),
    fax: opt(text),
    website: opt(text),
  })
  .map(compact);
const responseFor = rec({ organId: agency, code: text, promulgationDate: date, documentId });
const staffInfo = fc
  .record({ department: opt(text), staff: opt(text), mobile: opt(text), email: opt(text) })
  .map(compact);
const attachments: fc.Arbitrary<Attachment[]> = fc.uniqueArray(
  fc
    .record({
      contentId: fc.stringMatching(/^[A-Za-z0-9.@-]{1,24}$/),
      contentType: fc.constantFrom("application/pdf", "text/plain", "application/octet-stream"),
      attachmentName: text,
      description: opt(text),
      content: fc.uint8Array({ maxLength: 96 }),
    })
    .map(compact),
  { maxLength: 4, selector: (a) => a.contentId },
);

const document: fc.Arbitrary<EdxmlDocument> = rec({
  kind: fc.constant("document" as const),
  header: fc
    .record({
      from: organization,
      to: fc.array(organization, { minLength: 1, maxLength: 3 }),
      code: rec({ codeNumber, codeNotation: text }),
      promulgationInfo: rec({ place: text, promulgationDate: date }),
      documentType: rec({ type: count, typeName: text }),
      subject: text,
      content: opt(text),
      signerInfo: rec({ competence: opt(text), position: opt(text), fullName: text }).map(compact),
      dueDate: opt(date),
      toPlaces: fc.array(text, { maxLength: 3 }),
      otherInfo: opt(
        fc
          .record({
            priority: opt(count),
            sphereOfPromulgation: opt(text),
            typerNotation: opt(text),
            promulgationAmount: opt(count),
            pageAmount: opt(count),
            appendixes: fc.array(text, { maxLength: 3 }),
          })
          .map(compact),
      ),
      responseFor: fc.array(responseFor, { maxLength: 2 }),
      steeringType: opt(fc.nat({ max: 3 })),
      documentId,
    })
    .map(compact),
  traces: fc.array(rec({ organId: agency, timestamp }), { maxLength: 3 }),
  bussiness: fc
    .record({
      bussinessDocType: fc.constantFrom(...BUSSINESS_DOC_TYPES),
      bussinessDocReason: opt(text),
      documentId: opt(documentId),
      staffInfo: opt(staffInfo),
      paper: opt(fc.nat({ max: 1 })),
      replacementInfoList: fc.array(rec({ documentId, organIds: fc.array(agency, { maxLength: 3 }) }), {
        maxLength: 2,
      }),
    })
    .map(compact),
  attachments,
});

const status: fc.Arbitrary<EdxmlStatus> = fc
  .record({
    kind: fc.constant("status" as const),
    responseFor,
    from: organization,
    statusCode: fc.constantFrom(...STATUS_CODES),
    description: opt(text),
    timestamp,
    staffInfo: opt(staffInfo),
    traces: fc.array(rec({ organId: agency, timestamp }), { maxLength: 2 }),
  })
  .map(compact);

describe("edXML round trip", () => {
  it("parse(build(document)) is the document, as text and as bytes, and building is canonical", () => {
    fc.assert(
      fc.property(document, (doc) => {
        const xml = buildEdxml(doc);
        assert.deepStrictEqual(parseEdxml(xml), doc);
        assert.deepStrictEqual(parseEdxml(new TextEncoder().encode(xml)), doc);
        assert.equal(buildEdxml(parseEdxml(xml)), xml);
      }),
      { numRuns: 150 },
    );
  });

  it("parse(build(status)) is the status message", () => {
    fc.assert(
      fc.property(status, (s) => {
        assert.deepStrictEqual(parseEdxml(buildEdxml(s)), s);
      }),
      { numRuns: 150 },
    );
  });

  it("reads a manifest Reference's xlink:href, never a namespace declaration named like it", () => {
    // A Reference naming its file by xlink:href alone, as some senders write it.
    const xml = buildEdxml(sampleDocument()).replace(/\s*<edXML:ContentId>cid:main<\/edXML:ContentId>/, "");
    assert.ok(!xml.includes("<edXML:ContentId>"), "the manifest names the file by xlink:href only");
    const withDeclaration = xml.replace('xlink:href="cid:main"', 'xmlns:href="cid:other" xlink:href="cid:main"');
    assert.notEqual(withDeclaration, xml);
    const read = parseEdxml(withDeclaration);
    assert.equal(read.kind === "document" && read.attachments[0]!.contentId, "main");
  });

  it("writes the edXML: prefix on the envelope and its header, AttachmentEncoded after the envelope", () => {
    const xml = buildEdxml(sampleDocument());
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<edXML xmlns="http:\/\/www\.mic\.gov\.vn\/TBT\/QCVN_102_2016"/);
    for (const name of ["edXMLEnvelope", "edXMLHeader", "MessageHeader", "From", "TraceHeaderList", "Bussiness", "edXMLBody", "edXMLManifest"]) {
      assert.ok(xml.includes(`<edXML:${name}`), name);
    }
    assert.match(xml, /<\/edXML:edXMLEnvelope>\s*<AttachmentEncoded>/);
    assert.ok(xml.includes('xlink:href="cid:main"'));
    assert.ok(!xml.includes("Signature"), "no signature placeholder");
  });
});

function sampleDocument(): EdxmlDocument {
  return {
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
    traces: [{ organId: "000.00.00.G22", timestamp: "2015/09/30 10:11:12" }],
    bussiness: { bussinessDocType: 0, replacementInfoList: [] },
    attachments: [{ contentId: "main", contentType: "text/plain", attachmentName: "a.txt", content: new Uint8Array([104, 105]) }],
  };
}

const SAMPLE = buildEdxml(sampleDocument());
const STATUS = buildEdxml({
  kind: "status",
  responseFor: { organId: "000.00.00.G22", code: "7816/VPCP-TTĐT", promulgationDate: "2015/09/30", documentId: "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT" },
  from: { organId: "000.00.00.H41", organName: "UBND tỉnh Nghệ An" },
  statusCode: "03",
  timestamp: "2015/09/30 17:00:00",
  traces: [],
});

/** Asserts that reading throws an EdxmlError naming that element, with a problem matching `problem`. */
function refuses(input: string | Uint8Array, element: string, problem: RegExp): void {
  assert.throws(
    () => parseEdxml(input),
    (e: unknown) => {
      assert.ok(e instanceof EdxmlError, String(e));
      assert.equal(e.element, element);
      assert.match(e.problem, problem);
      return true;
    },
  );
}

function edit(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to);
  assert.notEqual(out, xml, `the edit ${String(from)} applies`);
  return out;
}

describe("edXML reading refuses malformed input precisely", () => {
  const H = "edXMLHeader/MessageHeader";
  it("a From without OrganId", () =>
    refuses(edit(SAMPLE, "<edXML:OrganId>000.00.00.G22</edXML:OrganId>", ""), `${H}/From/OrganId`, /^missing$/));
  it("a document without To", () => refuses(edit(SAMPLE, /<edXML:To>[\s\S]*<\/edXML:To>/, ""), `${H}/To`, /missing/));
  it("a date that does not exist", () =>
    refuses(edit(SAMPLE, "<edXML:PromulgationDate>2015/09/30", "<edXML:PromulgationDate>2015/02/30"), `${H}/PromulgationInfo/PromulgationDate`, /"2015\/02\/30" is not a date \(yyyy\/MM\/dd\)/));
  it("a date in another form", () =>
    refuses(edit(SAMPLE, "<edXML:PromulgationDate>2015/09/30", "<edXML:PromulgationDate>30/09/2015"), `${H}/PromulgationInfo/PromulgationDate`, /not a date/));
  it("a timestamp out of range", () =>
    refuses(edit(SAMPLE, "2015/09/30 10:11:12", "2015/09/30 24:11:12"), "edXMLHeader/TraceHeaderList/TraceHeader[1]/Timestamp", /not a timestamp/));
  it("a DocumentId of the wrong shape", () =>
    refuses(edit(SAMPLE, "<edXML:DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT", "<edXML:DocumentId>7816/VPCP-TTĐT"), `${H}/DocumentId`, /is not a DocumentId/));
  it("a DocumentId whose OrganId is no agency code", () =>
    refuses(edit(SAMPLE, "<edXML:DocumentId>000.00.00.G22,", "<edXML:DocumentId>G22,"), `${H}/DocumentId`, /"G22" is not an agency code/));
  it("a status code outside the list", () =>
    refuses(edit(STATUS, "<edXML:StatusCode>03", "<edXML:StatusCode>07"), "edXMLHeader/MessageStatus/StatusCode", /"07" is not a status code/));
  it("a BussinessDocType outside 0–3", () =>
    refuses(edit(SAMPLE, "<edXML:BussinessDocType>0", "<edXML:BussinessDocType>4"), "edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType", /4 is not one of 0, 1, 2, 3/));
  it("a count that is not a whole number", () =>
    refuses(edit(SAMPLE, "<edXML:Type>5", "<edXML:Type>năm"), `${H}/DocumentType/Type`, /not a whole number/));
  it("an attachment that is not base64", () =>
    refuses(edit(SAMPLE, "<ContentTransferEncoded>aGk=", "<ContentTransferEncoded>aGk*"), "AttachmentEncoded[1]/Attachment[1]/ContentTransferEncoded", /not base64/));
  it("an attachment whose base64 is not canonical (pad bits set)", () =>
    refuses(edit(SAMPLE, "<ContentTransferEncoded>aGk=", "<ContentTransferEncoded>aGl="), "AttachmentEncoded[1]/Attachment[1]/ContentTransferEncoded", /not canonical base64/));
  it("an attachment whose base64 is cut short", () =>
    refuses(edit(SAMPLE, "<ContentTransferEncoded>aGk=", "<ContentTransferEncoded>aGk"), "AttachmentEncoded[1]/Attachment[1]/ContentTransferEncoded", /not base64 \(only/));
  it("a manifest reference no attachment carries", () =>
    refuses(edit(SAMPLE, "<ContentId>main</ContentId>", "<ContentId>other</ContentId>"), "edXMLBody/edXMLManifest/Reference[1]", /cid:main, which no AttachmentEncoded\/Attachment carries/));
  it("an element given twice", () =>
    refuses(edit(SAMPLE, "<edXML:Subject>", "<edXML:Subject>x</edXML:Subject><edXML:Subject>"), `${H}/Subject`, /appears 2 times/));
  it("an element where text belongs", () =>
    refuses(edit(SAMPLE, "<edXML:Subject>Thử nghiệm", "<edXML:Subject><b>Thử nghiệm</b>"), `${H}/Subject`, /should hold text, holds the element <b>/));
  it("an empty required value", () =>
    refuses(edit(SAMPLE, "<edXML:Subject>Thử nghiệm</edXML:Subject>", "<edXML:Subject>  </edXML:Subject>"), `${H}/Subject`, /^empty$/));
  it("a header with neither MessageHeader nor MessageStatus", () =>
    refuses(edit(SAMPLE, /<edXML:MessageHeader>[\s\S]*<\/edXML:MessageHeader>/, ""), `${H}`, /missing \(nor is there a MessageStatus\)/));
  it("an unknown root element", () => refuses("<?xml version=\"1.0\"?><Envelope><Body/></Envelope>", "edXML", /root element is <Envelope>, expected <edXML>/));
  it("text that is not XML", () => refuses("Công văn số 7816", "(document)", /not well-formed XML \(line 1, column 1\)/));
  it("truncated XML", () => refuses(SAMPLE.slice(0, Math.floor(SAMPLE.length / 2)), "(document)", /not well-formed XML/));
  it("two root elements", () => refuses(`${SAMPLE}<edXML/>`, "(document)", /not well-formed XML \(line \d+, column \d+\): a second document element/));
  it("empty input", () => refuses("  \n", "(document)", /^empty$/));
  it("bytes that are not UTF-8", () => refuses(new Uint8Array([0x3c, 0x61, 0xff, 0x3e]), "(document)", /not valid UTF-8/));
});

describe("edXML reading is lenient about form", () => {
  it("reads unprefixed names, other prefixes, white space, unknown elements and UTF-16 bytes", () => {
    const expected = parseEdxml(SAMPLE);
    const unprefixed = SAMPLE.replaceAll("edXML:", "").replace(' xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"', "");
    assert.deepStrictEqual(parseEdxml(unprefixed), expected);
    const other = SAMPLE.replaceAll("edXML:", "q:").replace("xmlns:edXML=", "xmlns:q=");
    assert.deepStrictEqual(parseEdxml(other), expected);
    const spaced = edit(SAMPLE, "<edXML:Subject>Thử nghiệm", "<edXML:TypeDetail>0</edXML:TypeDetail><edXML:Subject>\n   Thử nghiệm   \n");
    assert.deepStrictEqual(parseEdxml(spaced), expected);
    const status = parseEdxml(STATUS);
    const envelopeAlone = STATUS.replace(/^[\s\S]*?(<edXML:edXMLEnvelope)/, '$1 xmlns:edXML="x"').replace("</edXML>", "");
    assert.ok(envelopeAlone.startsWith("<edXML:edXMLEnvelope") && !envelopeAlone.includes("</edXML>"));
    assert.deepStrictEqual(parseEdxml(envelopeAlone), status);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, "utf16le")]);
    assert.deepStrictEqual(parseEdxml(new Uint8Array(utf16)), expected);
  });
});

describe("edXML writing is strict", () => {
  function refusesToBuild(change: (d: EdxmlDocument) => void, element: string, problem: RegExp): void {
    const doc = sampleDocument();
    change(doc);
    assert.throws(
      () => buildEdxml(doc),
      (e: unknown) => e instanceof EdxmlError && e.element === element && problem.test(e.problem),
    );
  }
  const H = "edXMLHeader/MessageHeader";
  it("refuses a value with surrounding white space", () =>
    refusesToBuild((d) => (d.header.subject = " Thử "), `${H}/Subject`, /white space/));
  it("refuses a carriage return", () => refusesToBuild((d) => (d.header.subject = "a\r\nb"), `${H}/Subject`, /carriage return/));
  it("refuses a character XML cannot carry", () => refusesToBuild((d) => (d.header.subject = "a\u0001b"), `${H}/Subject`, /XML cannot carry/));
  it("refuses an empty optional value", () => refusesToBuild((d) => (d.header.content = ""), `${H}/Content`, /empty/));
  it("refuses a date that does not exist", () => refusesToBuild((d) => (d.header.dueDate = "2023/02/29"), `${H}/DueDate`, /not a date/));
  it("refuses a malformed DocumentId", () => refusesToBuild((d) => (d.header.documentId = "abc"), `${H}/DocumentId`, /not a DocumentId/));
  it("refuses a negative count", () => refusesToBuild((d) => (d.header.documentType.type = -1), `${H}/DocumentType/Type`, /whole number/));
  it("refuses no recipient", () => refusesToBuild((d) => (d.header.to = []), `${H}/To`, /missing/));
  it("refuses two attachments with one ContentId", () =>
    refusesToBuild((d) => d.attachments.push({ ...d.attachments[0]! }), "AttachmentEncoded/Attachment[2]/ContentId", /appears on two/));
});
