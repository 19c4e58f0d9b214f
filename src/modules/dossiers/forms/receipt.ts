// Mẫu 01 (Circular 03/2025/TT-VPCP, and Circular 01/2018/TT-VPCP for older dossiers): Giấy tiếp nhận hồ sơ và hẹn
// trả kết quả, on A5. The annex's own text was not available (no source searched for issue 14 holds it): the
// lines below follow DOMAIN.md §3 and the 2018 form as provinces print it.
import { FormWriter, vnDateTime } from "./layout.ts";
import { applicantLines } from "./parts.ts";
import type { ReceiptInput } from "./types.ts";

const count = (n: number | undefined) => (n && n > 0 ? String(n).padStart(2, "0") : "");

/**
 * Mẫu 01: the receipt and appointment given to the applicant when the dossier is received. It lists the papers
 * the applicant actually handed in, with their counts, not every paper the procedure names. Its closing lines and
 * signatures stay on the page of the table's last row: a receipt of the usual few papers is one page, and a long
 * list never leaves the signatures alone on a page of their own.
 */
export async function receiptPdf(input: ReceiptInput): Promise<Buffer> {
  const w = await FormWriter.create({
    paper: "A5",
    edition: input.edition,
    agency: input.agency,
    lookupUrl: input.lookupUrl,
    generatedAt: input.generatedAt,
    keywords: input.dossierCode,
  });
  w.header({ desk: true });
  w.title(input.edition.title);
  w.field("Mã hồ sơ", input.dossierCode, { bold: true });
  w.field("Tiếp nhận hồ sơ của", input.applicant.name, { bold: true });
  applicantLines(w, input.applicant);
  w.field("Nội dung yêu cầu giải quyết", `${input.procedure.name} (mã TTHC ${input.procedure.code})`);
  w.paragraph("1. Thành phần hồ sơ nộp gồm:", { bold: true });

  const lines: [string, string][] = [
    ["2. Số lượng hồ sơ", `${count(input.sets ?? 1)} (bộ)`],
    ["3. Thời gian giải quyết hồ sơ theo quy định", input.processingTime],
    ["4. Thời gian nhận hồ sơ", vnDateTime(input.receivedAt)],
    ["5. Thời gian trả kết quả giải quyết hồ sơ", vnDateTime(input.dueAt)],
    ["6. Đăng ký nhận kết quả tại", input.returnPlace],
  ];
  const registerLine = `Vào Sổ theo dõi hồ sơ, Quyển số: ${input.register.book}, Số thứ tự: ${input.register.number}`;
  // What follows the table, as tall as it is on the page it lands on (the signatures may sit beside the QR code).
  const closing = () => lines.reduce((h, [label, value]) => h + w.fieldHeight(label, value), 0) + w.paragraphHeight(registerLine) + w.signaturesHeight();

  // The annex's "Hình thức (bản chính, bản sao hoặc bản sao chứng thực)", one column each with the count; the
  // files filed electronically (online, or scanned at the desk) in a column of their own.
  w.table(
    [
      { header: "TT", weight: 0.5, align: "center" },
      { header: "Tên loại giấy tờ", weight: 4.4 },
      { header: "Bản chính", weight: 0.9, align: "center" },
      { header: "Bản sao chứng thực", weight: 1, align: "center" },
      { header: "Bản sao", weight: 0.8, align: "center" },
      { header: "Bản điện tử", weight: 0.9, align: "center" },
      { header: "Ghi chú", weight: 1.7 },
    ],
    input.papers.map((p, i) => [String(i + 1), p.name, count(p.original), count(p.certifiedCopy), count(p.copy), count(p.electronic), p.note ?? ""]),
    { keepWithNext: closing },
  );
  // Without a table row to carry them (no paper at all), the closing lines still go together.
  w.keep(closing());
  lines.forEach(([label, value], i) => w.field(label, value, i === 3 ? { bold: true } : {}));
  w.paragraph(registerLine);
  w.signatures([
    { role: "Người nộp hồ sơ", name: input.applicant.name },
    { role: "Người tiếp nhận hồ sơ", name: input.officerName },
  ]);
  return w.finish();
}
