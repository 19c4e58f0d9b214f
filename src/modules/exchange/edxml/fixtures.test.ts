// Interoperability: messages in the layouts of the Java, C# and Bkav builders in use (test/fixtures/edxml/README.md)
// read to the expected values, and what we write of them reads back the same.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { buildEdxml, type EdxmlDocument, type EdxmlStatus, parseEdxml } from "./index.ts";

const fixture = (name: string): Uint8Array =>
  readFileSync(new URL(`../../../../test/fixtures/edxml/${name}`, import.meta.url));
const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function asDocument(m: ReturnType<typeof parseEdxml>): EdxmlDocument {
  assert.equal(m.kind, "document");
  return m as EdxmlDocument;
}

describe("edXML samples of the SDKs in use", () => {
  it("reads the Java builders' prefixed document with its attachments", () => {
    const doc = asDocument(parseEdxml(fixture("java-prefixed-document.edxml")));
    const h = doc.header;
    assert.deepEqual(h.from, {
      organId: "000.00.00.G22",
      organizationInCharge: "Chính phủ",
      organName: "Văn phòng Chính phủ",
      organAdd: "Số 1 Hoàng Hoa Thám, Ba Đình, Hà Nội",
      email: "vpcp@chinhphu.vn",
      telephone: "080 43162",
      fax: "080 44130",
      website: "www.chinhphu.vn",
    });
    assert.deepEqual(h.to.map((t) => t.organId), ["000.00.00.H41", "000.00.00.H26"]);
    assert.equal(h.to[0]?.organAdd, "Số 03, đường Trường Thi, Thành phố Vinh, Tỉnh Nghệ An, Việt Nam");
    assert.deepEqual(h.to[1], { organId: "000.00.00.H26", organName: "UBND Thành phố Hà Nội" });
    assert.deepEqual(h.code, { codeNumber: "7816", codeNotation: "VPCP-TTĐT" });
    assert.deepEqual(h.promulgationInfo, { place: "Hà Nội", promulgationDate: "2015/09/30" });
    assert.deepEqual(h.documentType, { type: 1, typeName: "Công văn" });
    assert.equal(h.subject, "V/v triển khai trục liên thông văn bản quốc gia");
    assert.equal(h.content, "Đề nghị các cơ quan kết nối & gửi nhận văn bản điện tử qua trục.");
    assert.deepEqual(h.signerInfo, {
      competence: "KT. BỘ TRƯỞNG, CHỦ NHIỆM",
      position: "PHÓ CHỦ NHIỆM",
      fullName: "Nguyễn Văn A",
    });
    assert.equal(h.dueDate, "2015/10/15");
    assert.deepEqual(h.toPlaces, ["Như trên", "Lưu: VT, TTĐT"]);
    assert.deepEqual(h.otherInfo, {
      priority: 1,
      sphereOfPromulgation: "Lưu hành nội bộ",
      typerNotation: "TVC",
      promulgationAmount: 2,
      pageAmount: 3,
      appendixes: ["Phụ lục I: Danh sách cơ quan", "Phụ lục II: Lộ trình"],
    });
    assert.deepEqual(h.responseFor, [
      {
        organId: "000.00.00.H41",
        code: "123/UBND-VX",
        promulgationDate: "2015/09/01",
        documentId: "000.00.00.H41,2015/09/01,123/UBND-VX",
      },
    ]);
    assert.equal(h.steeringType, 0);
    assert.equal(h.documentId, "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT");
    assert.deepEqual(doc.traces, [{ organId: "000.00.00.G22", timestamp: "2015/09/30 16:45:12" }]);
    assert.deepEqual(doc.bussiness, {
      bussinessDocType: 0,
      bussinessDocReason: "Văn bản mới",
      staffInfo: {
        department: "Văn thư văn phòng",
        staff: "Nguyễn Thị Ngọc Trâm",
        mobile: "84912000001",
        email: "vanthuvanphong@gov.vn",
      },
      paper: 0,
      replacementInfoList: [],
    });
    assert.equal(doc.attachments.length, 2);
    const [main, appendix] = doc.attachments;
    assert.equal(main?.contentId, "6f1c2a4e-0d5b-4a57-9a8e-2f1f0b7f1a01");
    assert.equal(main?.contentType, "text/plain");
    assert.equal(main?.attachmentName, "7816-VPCP-TTDT.txt");
    assert.equal(main?.description, "Văn bản chính");
    assert.equal(utf8(main?.content ?? new Uint8Array()), "Công văn số 7816/VPCP-TTĐT\n");
    assert.equal(appendix?.description, undefined);
    assert.equal(utf8(appendix?.content ?? new Uint8Array()), "%PDF-1.4 mẫu phụ lục");
  });

  it("reads the C# SDK's default-namespace document (no prefix, empty optional elements, wrapped base64)", () => {
    const doc = asDocument(parseEdxml(utf8(fixture("csharp-default-namespace-document.edxml"))));
    const h = doc.header;
    assert.deepEqual(h.from, {
      organId: "000.00.00.H41",
      organizationInCharge: "UBND Tỉnh Nghệ An",
      organName: "UBND Tỉnh Nghệ An",
    });
    assert.deepEqual(h.to, [{ organId: "000.00.00.G22", organizationInCharge: "Chính phủ", organName: "Văn phòng Chính phủ" }]);
    assert.deepEqual(h.code, { codeNumber: "45", codeNotation: "QĐ-UBND" });
    assert.deepEqual(h.promulgationInfo, { place: "Nghệ An", promulgationDate: "2016/02/29" });
    assert.deepEqual(h.documentType, { type: 18, typeName: "Quyết định" });
    assert.equal(h.subject, "Quyết định thay thế Quyết định số 12/QĐ-UBND <bản đính chính>");
    assert.equal(h.content, "Thay thế Điều 2 của Quyết định số 12/QĐ-UBND.");
    assert.deepEqual(h.otherInfo, {
      priority: 0,
      sphereOfPromulgation: "Liên thông văn bản",
      typerNotation: "TVC",
      promulgationAmount: 1,
      pageAmount: 1,
      appendixes: [],
    });
    assert.deepEqual(h.responseFor, []);
    assert.equal(h.documentId, "000.00.00.H41,2016/02/29,45/QĐ-UBND");
    assert.deepEqual(doc.traces, [
      { organId: "000.00.00.H41", timestamp: "2016/02/29 08:00:05" },
      { organId: "000.00.00.G22", timestamp: "2016/02/29 08:00:07" },
    ]);
    assert.deepEqual(doc.bussiness, {
      bussinessDocType: 3,
      bussinessDocReason: "Thay thế văn bản ban hành sai thể thức",
      documentId: "000.00.00.H41,2016/02/15,12/QĐ-UBND",
      staffInfo: { department: "Văn phòng UBND tỉnh", staff: "Lê Văn C" },
      paper: 1,
      replacementInfoList: [
        { documentId: "000.00.00.H41,2016/02/15,12/QĐ-UBND", organIds: ["000.00.00.G22", "000.00.00.H26"] },
      ],
    });
    assert.equal(doc.attachments.length, 1);
    const [file] = doc.attachments;
    assert.equal(file?.contentId, "3a7d5e10-5c1b-4f0e-8a2d-000000000045");
    assert.equal(file?.description, "Quyết định 45/QĐ-UBND");
    assert.equal(
      utf8(file?.content ?? new Uint8Array()),
      "Quyết định thay thế — nội dung tệp đính kèm mẫu, đủ dài để xuống dòng khi mã hoá base64 theo MIME.",
    );
  });

  it("reads the Bkav SDK's status message", () => {
    const expected: EdxmlStatus = {
      kind: "status",
      responseFor: {
        organId: "000.00.00.G22",
        code: "7816/VPCP-TTĐT",
        promulgationDate: "2015/09/30",
        documentId: "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
      },
      from: {
        organId: "000.00.00.H41",
        organizationInCharge: "UBND Tỉnh Nghệ An",
        organName: "UBND Tỉnh Nghệ An",
        organAdd: "Số 03, đường Trường Thi, Thành phố Vinh, Tỉnh Nghệ An, Việt Nam",
        email: "nghean@gov.vn",
        telephone: "0383 840418",
        fax: "0383 843049",
        website: "www.nghean.vn",
      },
      statusCode: "01",
      description: "Văn thư - Phòng Văn thư - Lưu trữ: Đã đến - Phần mềm QLVB đã nhận nhưng văn thư chưa xử lý",
      timestamp: "2015/09/30 17:02:33",
      staffInfo: {
        department: "Văn thư văn phòng",
        staff: "Nguyễn Thị Ngọc Trâm",
        mobile: "84912000001",
        email: "vanthuvanphong@gov.vn",
      },
      traces: [],
    };
    assert.deepStrictEqual(parseEdxml(fixture("bkav-status.edxml")), expected);
  });

  for (const name of ["java-prefixed-document.edxml", "csharp-default-namespace-document.edxml", "bkav-status.edxml"]) {
    it(`writes ${name} back in the canonical form, which reads the same`, () => {
      const read = parseEdxml(fixture(name));
      const written = buildEdxml(read);
      assert.deepStrictEqual(parseEdxml(written), read);
      assert.equal(buildEdxml(parseEdxml(written)), written);
    });
  }
});
