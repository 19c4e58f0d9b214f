import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { decodeQr, type PdfFile, readPdf } from "../../../../test/helpers/pdf.ts";
import { APOLOGY, APOLOGY_2018, CONTROL_SHEET, EXAMPLE_URL, edition, RECEIPT, REFUSAL, registerExample, STOP_NOTICE, SUPPLEMENT } from "./examples.ts";
import {
  apologyPdf,
  controlSheetPdf,
  formSetAt,
  FORM_NUMBERS,
  lookupUrl,
  receiptPdf,
  refusalPdf,
  registerCsv,
  registerPdf,
  stopNoticePdf,
  supplementRequestPdf,
  type RegisterRow,
} from "./index.ts";

const A5 = { width: 419.53, height: 595.28 };
const A4 = { width: 595.28, height: 841.89 };

/**
 * The text with every run of white space as one space: a wrapped line reads as the sentence it is. The
 * line breaker may break after a slash ("Ông/" | "Bà"), so a break there is no space.
 */
const flat = (s: string) => s.replace(/\/\n/g, "/").replace(/\s+/g, " ");
const allText = (f: PdfFile) => flat(f.pages.map((p) => p.text).join("\n"));
const upper = (s: string) => s.toLocaleUpperCase("vi");

function assertSize(f: PdfFile, size: { width: number; height: number }) {
  for (const p of f.pages) {
    assert.ok(Math.abs(p.width - size.width) < 0.01 && Math.abs(p.height - size.height) < 0.01, `page is ${p.width}×${p.height}`);
  }
}

/** What every form must have: DejaVu embedded on each page, the QR code and its address, the metadata. */
function assertCommon(f: PdfFile, bytes: Buffer, opts: { title: string; url: string; created?: Date; basis?: string }) {
  for (const p of f.pages) {
    assert.ok(p.fonts.length > 0);
    for (const name of p.fonts) assert.match(name, /^[A-Z]{6}\+DejaVuSans(-Bold)?$/);
  }
  // No standard 14 font anywhere (they have no Vietnamese glyphs), and the fonts are embedded.
  const raw = bytes.toString("latin1");
  assert.doesNotMatch(raw, /\/BaseFont\s*\/(Helvetica|Times|Courier|Symbol|ZapfDingbats)/);
  assert.match(raw, /\/FontFile2/);
  const first = f.pages[0]!;
  assert.equal(first.images.length, 1, "one QR code on the first page");
  assert.equal(decodeQr(first.images[0]!), opts.url);
  assert.ok(flat(first.text).includes(opts.url), "the lookup address is printed");
  assert.equal(f.info.Title, opts.title);
  assert.equal(f.info.Author, "UBND phường Ngọc Hà");
  const created = (opts.created ?? RECEIPT.generatedAt).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  assert.equal(f.info.CreationDate, `D:${created}Z`);
  assert.equal(f.info.Subject, `Thông tư ${opts.basis ?? "03/2025/TT-VPCP"}`);
  assertInside(f);
}

/** No text starts or ends outside the paper, nor closer than 10 pt to its edge. */
function assertInside(f: PdfFile) {
  for (const [n, p] of f.pages.entries()) {
    assert.ok(p.boxes.length > 0, `page ${n + 1} has text`);
    for (const b of p.boxes) {
      const where = `page ${n + 1}: "${b.str}" at ${b.x.toFixed(1)},${b.y.toFixed(1)} w ${b.width.toFixed(1)}`;
      assert.ok(b.x >= 10 && b.x + b.width <= p.width - 10 && b.y >= 10 && b.y <= p.height - 10, where);
    }
  }
}

describe("Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả", () => {
  it("is one A5 page with the receipt's content in Vietnamese, the papers table and both signatures", async () => {
    const bytes = await receiptPdf(RECEIPT);
    const f = await readPdf(bytes);
    assertSize(f, A5);
    assert.equal(f.pages.length, 1);
    assertCommon(f, bytes, { title: "Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả", url: EXAMPLE_URL });
    const text = allText(f);
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Hà Nội, ngày 03 tháng 11 năm 2025",
      "UBND PHƯỜNG NGỌC HÀ",
      upper("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
      "Mã hồ sơ: 000.00.12.H29-251103-0007",
      "Tiếp nhận hồ sơ của: Nguyễn Thị Mai",
      "Số CCCD: 001190012345",
      "Số điện thoại: 0912345678",
      "Email: mai.nguyen@example.vn",
      "Địa chỉ: Số 12, ngõ 34 phố Đội Cấn, phường Ngọc Hà, thành phố Hà Nội",
      "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã TTHC 1.001193)",
      "Bản chính",
      "Bản sao chứng thực",
      "Giấy chứng nhận kết hôn của cha, mẹ 01 01 Xuất trình bản chính để đối chiếu",
      "3. Thời gian giải quyết hồ sơ theo quy định: 01 ngày làm việc",
      "4. Thời gian nhận hồ sơ: 08:30 ngày 03/11/2025",
      "5. Thời gian trả kết quả giải quyết hồ sơ: 16:30 ngày 04/11/2025",
      "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2025, Số thứ tự: 7",
      "NGƯỜI NỘP HỒ SƠ",
      "NGƯỜI TIẾP NHẬN HỒ SƠ",
      "Trần Văn Hùng",
    ]) {
      assert.ok(text.includes(s), `missing: ${s}`);
    }
  });

  it("prints times in Vietnam's time and names in NFC, and a business's tax code as MST", async () => {
    const f = await readPdf(
      await receiptPdf({
        ...RECEIPT,
        applicant: { ...RECEIPT.applicant, type: "business", name: "Công ty Cổ phần Hải Đăng".normalize("NFD"), idNumber: "0101234567" },
        receivedAt: new Date("2025-11-03T17:30:00Z"),
      }),
    );
    const text = allText(f);
    assert.ok(text.includes("4. Thời gian nhận hồ sơ: 00:30 ngày 04/11/2025"));
    assert.ok(text.includes("Công ty Cổ phần Hải Đăng".normalize("NFC")));
    assert.ok(!text.includes("Công ty Cổ phần Hải Đăng".normalize("NFD")));
    assert.ok(text.includes("Mã số thuế: 0101234567"));
  });

  it("gives the same bytes for the same input", async () => {
    assert.deepEqual(await receiptPdf(RECEIPT), await receiptPdf(RECEIPT));
  });

  it("keeps a receipt of the usual number of papers on one page, the signatures on the page that holds the papers", async () => {
    // Seven papers, as a household business registration or a construction permit asks for: one page.
    const papers = [
      ...RECEIPT.papers,
      { name: "Giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai", original: 0, certifiedCopy: 1, copy: 0 },
      { name: "Bản vẽ thiết kế xây dựng", original: 2, certifiedCopy: 0, copy: 0, electronic: 1 },
      { name: "Văn bản ủy quyền (nếu nộp thay)", original: 1, certifiedCopy: 0, copy: 0 },
    ];
    const f = await readPdf(await receiptPdf({ ...RECEIPT, papers }));
    assert.equal(f.pages.length, 1);
    const text = allText(f);
    assert.ok(text.includes("Văn bản ủy quyền (nếu nộp thay) 01"));
    assert.ok(text.includes("NGƯỜI TIẾP NHẬN HỒ SƠ"));
    assertInside(f);
    // Beside the QR code (30 pt margin, 52 pt code), not over it; its caption then goes on the address's line.
    const qrLeft = A5.width - 30 - 52;
    for (const b of f.pages[0]!.boxes.filter((b) => /NGƯỜI TIẾP NHẬN|Trần Văn Hùng|Ký và ghi rõ/.test(b.str))) assert.ok(b.x + b.width < qrLeft, `"${b.str}" clear of the QR code`);
    assert.equal(decodeQr(f.pages[0]!.images[0]!), EXAMPLE_URL);
    assert.ok(flat(f.pages[0]!.text).includes(`Tra cứu tình trạng hồ sơ: quét mã QR hoặc mở ${EXAMPLE_URL}`));
  });

  it("never leaves the signatures alone on a page: the closing lines and the last paper go over with them", async () => {
    // From 6 to 14 papers the table fills the first page and runs over; wherever it breaks, the signatures are on
    // a page that holds papers and the closing lines, and whole (role, hint and name on one page).
    for (let n = 6; n <= 14; n++) {
      const papers = Array.from({ length: n }, (_, i) => ({ ...RECEIPT.papers[i % RECEIPT.papers.length]!, name: `Giấy tờ số ${i + 1}: ${RECEIPT.papers[i % RECEIPT.papers.length]!.name}` }));
      const f = await readPdf(await receiptPdf({ ...RECEIPT, papers }));
      assertInside(f);
      const at = f.pages.findIndex((p) => flat(p.text).includes("NGƯỜI TIẾP NHẬN HỒ SƠ"));
      const page = flat(f.pages[at]!.text);
      assert.ok(page.includes("Trần Văn Hùng") && page.includes("NGƯỜI NỘP HỒ SƠ"), `${n} papers: the signature block is whole`);
      assert.ok(page.includes(`Giấy tờ số ${n}:`), `${n} papers: the last paper is on the signatures' page ${at + 1}`);
      assert.ok(page.includes("5. Thời gian trả kết quả giải quyết hồ sơ"), `${n} papers: the appointment is on the signatures' page`);
    }
  });

  it("wraps long names and paginates many papers, a row taller than a page included, without leaving the paper", async () => {
    const long = "Giấy xác nhận của cơ quan có thẩm quyền về việc cư trú hợp pháp tại địa phương ".repeat(3);
    const huge = "Bản sao phải được chứng thực từ bản chính theo quy định của pháp luật về chứng thực. ".repeat(60) + "Hết ghi chú.";
    const bytes = await receiptPdf({
      ...RECEIPT,
      applicant: { ...RECEIPT.applicant, address: "Thôn Bản Phùng, xã Tả Van Chư, huyện Bắc Hà, tỉnh Lào Cai ".repeat(6) },
      papers: [
        ...Array.from({ length: 40 }, (_, i) => ({ name: `${i + 1}. ${long}`, original: 1, certifiedCopy: i % 2, copy: 2 })),
        { name: "Giấy tờ có ghi chú rất dài", original: 1, certifiedCopy: 0, copy: 0, note: huge },
      ],
    });
    const f = await readPdf(bytes);
    assert.ok(f.pages.length >= 4, `${f.pages.length} pages`);
    assertSize(f, A5);
    assertInside(f);
    const text = allText(f);
    assert.ok(text.includes("40. Giấy xác nhận"));
    assert.ok(text.includes("Hết ghi chú."), "the end of a row split across pages is printed");
    assert.ok(text.includes("NGƯỜI TIẾP NHẬN HỒ SƠ"));
    assert.ok(f.pages.at(-1)!.text.includes(`Trang ${f.pages.length}/${f.pages.length}`));
  });
});

describe("Mẫu 02–05: the notices", () => {
  it("Mẫu 02 lists every item with its reason, by the names the applicant knows", async () => {
    const bytes = await supplementRequestPdf(SUPPLEMENT);
    const f = await readPdf(bytes);
    assertSize(f, A5);
    assertCommon(f, bytes, { title: "Mẫu 02 - Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", url: EXAMPLE_URL });
    const text = allText(f);
    for (const s of [
      upper("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
      "Hồ sơ của: Nguyễn Thị Mai",
      "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:",
      "1. Giấy chứng sinh",
      "Lý do: Bản chụp bị mờ, không đọc được họ tên người mẹ và ngày sinh của trẻ.",
      '2. Thông tin "Nơi sinh" trong tờ khai',
      'Nơi sinh ghi "Bệnh viện Phụ sản" chưa đủ',
      '3. Giấy chứng nhận kết hôn - mục "Số đăng ký"',
      "liên hệ với Trần Văn Hùng, số điện thoại 024 3845 1234, để được hướng dẫn",
      "NGƯỜI HƯỚNG DẪN",
    ]) {
      assert.ok(text.includes(s), `missing: ${s}`);
    }
  });

  it("Mẫu 03 states the reason of the refusal", async () => {
    const bytes = await refusalPdf(REFUSAL);
    const f = await readPdf(bytes);
    assertSize(f, A5);
    assertCommon(f, bytes, { title: "Mẫu 03 - Phiếu từ chối tiếp nhận giải quyết hồ sơ", url: EXAMPLE_URL });
    const text = allText(f);
    assert.ok(text.includes(upper("Phiếu từ chối tiếp nhận giải quyết hồ sơ")));
    assert.ok(text.includes("thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"));
    assert.ok(text.includes(flat(REFUSAL.reason)));
    assert.ok(text.includes("Xin thông báo cho Ông/Bà được biết và thực hiện./."));
  });

  it("Mẫu 04 of Circular 03/2025 apologises and asks for an extension: the reason, how long, the new date, signed by the head of the agency", async () => {
    const bytes = await apologyPdf(APOLOGY);
    const f = await readPdf(bytes);
    assertSize(f, A5);
    assertCommon(f, bytes, { title: "Mẫu 04 - Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", url: EXAMPLE_URL });
    const text = allText(f);
    for (const s of [
      upper("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
      "Số: ........../..........",
      "Kính gửi: Ông/Bà Nguyễn Thị Mai",
      "Ngày 03/11/2025, UBND phường Ngọc Hà tiếp nhận hồ sơ của Ông/Bà:",
      "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16:30 ngày 04/11/2025",
      `Lý do: ${APOLOGY.reason}`,
      "xin lỗi Ông/Bà và đề nghị Ông/Bà đồng ý gia hạn thời gian giải quyết hồ sơ",
      "Thời gian đề nghị gia hạn: 02 ngày làm việc",
      "Thời gian hẹn trả kết quả mới: 16:30 ngày 06/11/2025",
      "CHỦ TỊCH",
      "(Ký, ghi rõ họ tên, đóng dấu)",
      "Lê Thị Hồng",
    ]) {
      assert.ok(text.includes(s), `missing: ${s}`);
    }
    assert.ok(!text.includes(upper("Phiếu xin lỗi và hẹn lại ngày trả kết quả")));
  });

  it("Mẫu 04 of Circular 01/2018 (a dossier received before 15/09/2025) apologises and sets the new date", async () => {
    const bytes = await apologyPdf(APOLOGY_2018);
    const f = await readPdf(bytes);
    assertSize(f, A5);
    assertCommon(f, bytes, { title: "Mẫu 04 - Phiếu xin lỗi và hẹn lại ngày trả kết quả", url: EXAMPLE_URL, basis: "01/2018/TT-VPCP" });
    const text = allText(f);
    for (const s of [
      upper("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
      "Ngày 03/09/2025, UBND phường Ngọc Hà tiếp nhận giải quyết hồ sơ của Ông/Bà: Nguyễn Thị Mai.",
      "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16:30 ngày 04/09/2025",
      `Lý do: ${APOLOGY.reason}`,
      "xin lỗi Ông/Bà về sự bất tiện này",
      "sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào: 16:30 ngày 08/09/2025",
      "CHỦ TỊCH",
      "(Ký, ghi rõ họ tên, đóng dấu)",
      "Lê Thị Hồng",
    ]) {
      assert.ok(text.includes(s), `missing: ${s}`);
    }
  });
});

describe("Mẫu 05 (Circular 03/2025): Thông báo dừng giải quyết hồ sơ", () => {
  it("tells the applicant that the dossier is stopped and why, under the agency's number line, signed by its head", async () => {
    const bytes = await stopNoticePdf(STOP_NOTICE);
    const f = await readPdf(bytes);
    assertSize(f, A5);
    assert.equal(f.pages.length, 1);
    assertCommon(f, bytes, { title: "Mẫu 05 - Thông báo dừng giải quyết hồ sơ", url: EXAMPLE_URL });
    const text = allText(f);
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Hà Nội, ngày 03 tháng 11 năm 2025",
      "Số: ........../..........",
      upper("Thông báo dừng giải quyết hồ sơ"),
      "Kính gửi: Ông/Bà Nguyễn Thị Mai",
      "Mã hồ sơ: 000.00.12.H29-251103-0007",
      "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
      "UBND phường Ngọc Hà thông báo dừng giải quyết hồ sơ nêu trên.",
      `Lý do: ${STOP_NOTICE.reason}`,
      "CHỦ TỊCH",
      "(Ký, ghi rõ họ tên, đóng dấu)",
      "Lê Thị Hồng",
    ]) {
      assert.ok(text.includes(s), `missing: ${s}`);
    }
  });
});

describe("the form sets", () => {
  it("gives a dossier received from 15/09/2025 Circular 03/2025's seven forms, and one received before Circular 01/2018's six", () => {
    const titles = (at: string) => formSetAt(new Date(at)).forms.map((f) => `${f.number} ${f.title}`);
    assert.deepEqual(titles("2025-09-15T00:00:00+07:00"), [
      "01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
      "02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
      "03 Phiếu từ chối tiếp nhận giải quyết hồ sơ",
      "04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
      "05 Thông báo dừng giải quyết hồ sơ",
      "06 Phiếu kiểm soát quá trình giải quyết hồ sơ",
      "07 Sổ theo dõi hồ sơ",
    ]);
    assert.deepEqual(titles("2025-09-14T23:59:59+07:00"), [
      "01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
      "02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
      "03 Phiếu từ chối tiếp nhận giải quyết hồ sơ",
      "04 Phiếu xin lỗi và hẹn lại ngày trả kết quả",
      "05 Phiếu kiểm soát quá trình giải quyết hồ sơ",
      "06 Sổ theo dõi hồ sơ",
    ]);
    assert.deepEqual(FORM_NUMBERS, ["01", "02", "03", "04", "05", "06", "07"]);
  });
});

describe("the control sheet: Phiếu kiểm soát quá trình giải quyết hồ sơ", () => {
  it("is A5 landscape with a row per hand-over: from whom, to whom, when, by when, and early, on time or late", async () => {
    const bytes = await controlSheetPdf(CONTROL_SHEET);
    const f = await readPdf(bytes);
    assertSize(f, { width: A5.height, height: A5.width });
    assertCommon(f, bytes, { title: "Mẫu 06 - Phiếu kiểm soát quá trình giải quyết hồ sơ", url: EXAMPLE_URL });
    const text = allText(f);
    for (const s of [
      upper("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
      "Kèm theo hồ sơ của: Nguyễn Thị Mai",
      "Cơ quan phối hợp giải quyết hồ sơ: Công an phường Ngọc Hà",
      "Thời gian giao, nhận",
      "Trước hạn",
      "Đúng hạn",
      "Quá hạn",
      "Đang giải quyết",
      "Phạm Quốc Bảo",
      "Hệ thống CSDL quốc gia về dân cư gián đoạn",
      "15:20 04/11/2025",
    ]) {
      assert.ok(text.includes(s), `missing: ${s}`);
    }
    // The first unit receives it from the desk; each later one from the unit before it.
    assert.ok(text.includes("1 Thẩm định hồ sơ Bộ phận Tiếp nhận và Trả kết quả"));
  });
});

describe("the register: Sổ theo dõi hồ sơ", () => {
  it("puts 120 dossiers on A4 landscape pages, the table header on each, every dossier once", async () => {
    const input = registerExample(120);
    const bytes = await registerPdf(input);
    const f = await readPdf(bytes);
    assertSize(f, { width: A4.height, height: A4.width });
    assert.ok(f.pages.length > 1, `${f.pages.length} pages`);
    assertCommon(f, bytes, { title: "Mẫu 07 - Sổ theo dõi hồ sơ", url: input.lookupUrl, created: input.generatedAt });
    for (const [n, p] of f.pages.entries()) {
      const text = flat(p.text);
      for (const h of ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Ngày hẹn trả kết quả", "Ngày có kết quả", "Ghi chú"]) {
        assert.ok(text.includes(h), `page ${n + 1} lacks the header "${h}"`);
      }
      assert.ok(text.includes(`Trang ${n + 1}/${f.pages.length}`));
    }
    assert.ok(allText(f).includes("Quyển số: 01/2025 - Từ ngày 01/11/2025 đến ngày 30/11/2025"));
    const squeezed = f.pages.map((p) => p.text).join("").replace(/\s+/g, "");
    for (const r of input.rows) assert.equal(squeezed.split(r.dossierCode).length - 1, 1, r.dossierCode);
  });

  it("is Mẫu 06 of Circular 01/2018 for a period before 15/09/2025", async () => {
    const input = { ...registerExample(3), edition: edition("register", "01/2018/TT-VPCP") };
    const bytes = await registerPdf(input);
    const f = await readPdf(bytes);
    assertCommon(f, bytes, { title: "Mẫu 06 - Sổ theo dõi hồ sơ", url: input.lookupUrl, created: input.generatedAt, basis: "01/2018/TT-VPCP" });
  });
});

describe("the register as CSV", () => {
  const rows: RegisterRow[] = [
    ...registerExample(2).rows,
    {
      dossierCode: "000.00.12.H29-251103-0009",
      procedureName: "Đăng ký kết hôn",
      applicantName: 'Lê Văn "Tý", Trưởng thôn',
      address: "Xóm 3\nxã Nghĩa Đàn, Nghệ An",
      phone: "+84912345678",
      receivedAt: new Date("2025-11-03T01:30:00Z"),
      note: "=HYPERLINK(\"http://x\")",
    },
  ];
  const csv = registerCsv(rows);

  it("is UTF-8 with a BOM, CRLF between records, and the register's columns", () => {
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = csv.toString("utf8").slice(1);
    assert.ok(text.startsWith("STT,Mã hồ sơ,Tên thủ tục hành chính,\"Tên cá nhân, tổ chức\",Địa chỉ,Số điện thoại,Ngày nhận hồ sơ,"));
    assert.ok(text.endsWith("\r\n"));
    // Every line break is CRLF except the one inside the quoted address.
    assert.equal(text.split("\r\n").length - 1, rows.length + 1);
    assert.equal(text.replace(/\r\n/g, "").split("\n").length - 1, 1);
    assert.ok(text.includes('"Lê Văn ""Tý"", Trưởng thôn"'));
    assert.ok(text.includes('"Xóm 3\nxã Nghĩa Đàn, Nghệ An"'));
  });

  it("round-trips through csv-parse, a name with a comma and quotes and an address with a line break included", () => {
    const records = parse(csv, { bom: true }) as string[][];
    assert.equal(records.length, rows.length + 1);
    const last = records.at(-1)!;
    assert.equal(last[1], "000.00.12.H29-251103-0009");
    assert.equal(last[3], 'Lê Văn "Tý", Trưởng thôn');
    assert.equal(last[4], "Xóm 3\nxã Nghĩa Đàn, Nghệ An");
    assert.equal(last[6], "03/11/2025");
    assert.equal(last[7], "");
    assert.equal(records[1]![0], "1");
    assert.equal(records[1]![3], "Nguyễn Thị Mai");
  });

  it("defuses a field that a spreadsheet would run as a formula", () => {
    const last = (parse(csv, { bom: true }) as string[][]).at(-1)!;
    assert.equal(last[11], "'=HYPERLINK(\"http://x\")");
  });
});

describe("lookupUrl", () => {
  it("builds the public lookup address with the code and key escaped", () => {
    assert.equal(lookupUrl("https://dvc.example.gov.vn/", "000.00.12.H29-251103-0007", "a&b c"), "https://dvc.example.gov.vn/tra-cuu?ma=000.00.12.H29-251103-0007&khoa=a%26b+c");
  });
});
