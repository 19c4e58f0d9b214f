// Mẫu 02, 03 and 04 of Circular 01/2018/TT-VPCP: the notices the desk or the agency gives the applicant
// when a dossier must be completed, is refused, or will be late. All on A5, in the annex's wording.
import { FormWriter, vnDate, vnDateTime } from "./layout.ts";
import { addressee, applicantLines, deskOf } from "./parts.ts";
import type { ApologyInput, FormDossier, RefusalInput, SupplementItem, SupplementRequestInput } from "./types.ts";

async function writer(input: FormDossier, title: string): Promise<FormWriter> {
  return FormWriter.create({
    paper: "A5",
    title,
    agency: input.agency,
    lookupUrl: input.lookupUrl,
    generatedAt: input.generatedAt,
    keywords: input.dossierCode,
  });
}

/** What an item asks for, by the names the applicant knows: the paper, the form field, or both. */
function itemSubject(item: SupplementItem, labels: Record<string, string>): string {
  const paper = item.component ? (labels[item.component] ?? item.component) : null;
  const field = item.field ? (labels[item.field] ?? item.field) : null;
  if (paper && field) return `${paper} - mục "${field}"`;
  if (paper) return paper;
  if (field) return `Thông tin "${field}" trong tờ khai`;
  return "Nội dung khác";
}

/**
 * Mẫu 02: what is missing or wrong and why. A supplement may be asked for once, itemised (Decree
 * 61/2018, DOMAIN.md §3), so the list is printed whole, across pages if it is long.
 */
export async function supplementRequest02Pdf(input: SupplementRequestInput): Promise<Buffer> {
  const w = await writer(input, "Mẫu 02 - Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ");
  const you = addressee(input.applicant);
  w.header({ desk: true });
  w.title("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ");
  w.field("Mã hồ sơ", input.dossierCode, { bold: true });
  w.field("Hồ sơ của", input.applicant.name, { bold: true });
  w.field("Nội dung yêu cầu giải quyết", input.procedure.name);
  applicantLines(w, input.applicant);
  w.paragraph("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:", { bold: true });
  const labels = input.labels ?? {};
  input.items.forEach((item, i) => {
    w.paragraph(`${i + 1}. ${itemSubject(item, labels)}`, { bold: true, indent: 8 });
    w.paragraph(`Lý do: ${item.reason}`, { indent: 18 });
  });
  w.space(0.3);
  const contact = input.contact ? `, ${input.contact},` : "";
  w.paragraph(
    `Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ${you} liên hệ với ${input.officerName}${contact} để được hướng dẫn.`,
  );
  w.signatures([{ role: "Người hướng dẫn", name: input.officerName }]);
  return w.finish();
}

/** Mẫu 03: the refusal, at the desk or after receipt; Circular 01/2018 requires the reason in writing. */
export async function refusal03Pdf(input: RefusalInput): Promise<Buffer> {
  const w = await writer(input, "Mẫu 03 - Phiếu từ chối tiếp nhận, giải quyết hồ sơ");
  const you = addressee(input.applicant);
  const agency = input.stage === "receipt" ? deskOf(input.agency) : input.agency.name;
  w.header({ desk: input.stage === "receipt" });
  w.title("Phiếu từ chối tiếp nhận, giải quyết hồ sơ");
  w.field("Mã hồ sơ", input.dossierCode, { bold: true });
  w.paragraph(agency);
  w.field("Tiếp nhận hồ sơ của", input.applicant.name, { bold: true });
  applicantLines(w, input.applicant);
  w.field("Nội dung yêu cầu giải quyết", input.procedure.name);
  w.paragraph(`Qua xem xét, ${agency} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`);
  w.paragraph(input.reason, { indent: 8 });
  w.paragraph(`Xin thông báo cho ${you} được biết và thực hiện./.`);
  w.signatures([{ role: input.stage === "receipt" ? "Người tiếp nhận hồ sơ" : "Người giải quyết hồ sơ", name: input.officerName }]);
  return w.finish();
}

/**
 * Mẫu 04: the agency apologises for a result that will be late and sets a new date. The annex has the
 * head of the agency sign it under the seal, so the signature block is theirs, not the desk officer's.
 */
export async function apology04Pdf(input: ApologyInput): Promise<Buffer> {
  const w = await writer(input, "Mẫu 04 - Phiếu xin lỗi và hẹn lại ngày trả kết quả");
  const you = addressee(input.applicant);
  const agency = input.agency.name;
  w.header();
  w.title("Phiếu xin lỗi và hẹn lại ngày trả kết quả");
  w.paragraph(`Ngày ${vnDate(input.receivedAt)}, ${agency} tiếp nhận giải quyết hồ sơ của ${you}: ${input.applicant.name}.`);
  w.field("Nội dung yêu cầu giải quyết", input.procedure.name);
  w.field("Mã hồ sơ", input.dossierCode, { bold: true });
  w.field("Thời gian hẹn trả kết quả giải quyết hồ sơ", vnDateTime(input.dueAt));
  w.paragraph(
    `Tuy nhiên đến nay, ${agency} chưa trả kết quả giải quyết hồ sơ của ${you} đúng hẹn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.`,
  );
  w.field("Lý do", input.reason);
  w.paragraph(`Sự chậm trễ này đã gây phiền hà cho ${you}. ${agency} xin lỗi ${you} về sự bất tiện này.`);
  w.field(`${agency} sẽ trả kết quả giải quyết hồ sơ cho ${you} vào`, vnDateTime(input.newDueAt), { bold: true });
  w.paragraph(`Kính mong nhận được sự thông cảm của ${you} vì sự chậm trễ này./.`);
  w.signatures([{ role: input.signerTitle ?? "Thủ trưởng cơ quan", hint: "(Ký, ghi rõ họ tên, đóng dấu)", name: input.signerName }]);
  return w.finish();
}
