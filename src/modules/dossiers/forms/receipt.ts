// Mẫu 01, Circular 01/2018/TT-VPCP: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, on A5.
import { FormWriter, vnDateTime } from "./layout.ts";
import { applicantLines } from "./parts.ts";
import type { ReceiptInput } from "./types.ts";

const count = (n: number) => (n > 0 ? String(n).padStart(2, "0") : "");

/** Mẫu 01: the receipt and appointment given to the applicant when the dossier is received. */
export async function receipt01Pdf(input: ReceiptInput): Promise<Buffer> {
  const w = await FormWriter.create({
    paper: "A5",
    title: "Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    agency: input.agency,
    lookupUrl: input.lookupUrl,
    generatedAt: input.generatedAt,
    keywords: input.dossierCode,
  });
  w.header({ desk: true });
  w.title("Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
  w.field("Mã hồ sơ", input.dossierCode, { bold: true });
  w.field("Tiếp nhận hồ sơ của", input.applicant.name, { bold: true });
  applicantLines(w, input.applicant);
  w.field("Nội dung yêu cầu giải quyết", `${input.procedure.name} (mã TTHC ${input.procedure.code})`);
  w.paragraph("1. Thành phần hồ sơ nộp gồm:", { bold: true });
  // The annex's "Hình thức (bản chính, bản sao hoặc bản sao chứng thực)", one column each with the count.
  w.table(
    [
      { header: "TT", weight: 0.6, align: "center" },
      { header: "Tên loại giấy tờ", weight: 4 },
      { header: "Bản chính", weight: 1, align: "center" },
      { header: "Bản sao chứng thực", weight: 1.3, align: "center" },
      { header: "Bản sao", weight: 0.9, align: "center" },
      { header: "Ghi chú", weight: 1.4 },
    ],
    input.papers.map((p, i) => [String(i + 1), p.name, count(p.original), count(p.certifiedCopy), count(p.copy), p.note ?? ""]),
  );
  w.field("2. Số lượng hồ sơ", `${count(input.sets ?? 1)} (bộ)`);
  w.field("3. Thời gian giải quyết hồ sơ theo quy định", input.processingTime);
  w.field("4. Thời gian nhận hồ sơ", vnDateTime(input.receivedAt));
  w.field("5. Thời gian trả kết quả giải quyết hồ sơ", vnDateTime(input.dueAt), { bold: true });
  w.field("6. Đăng ký nhận kết quả tại", input.returnPlace);
  w.paragraph(`Vào Sổ theo dõi hồ sơ, Quyển số: ${input.register.book}, Số thứ tự: ${input.register.number}`);
  w.signatures([
    { role: "Người nộp hồ sơ", name: input.applicant.name },
    { role: "Người tiếp nhận hồ sơ", name: input.officerName },
  ]);
  return w.finish();
}
