// The notices the desk or the agency gives the applicant, all on A5: Mẫu 02 when a dossier must be completed,
// 03 when it is refused, 04 when it will be late, and (Circular 03/2025/TT-VPCP only) 05 when it is stopped. A
// dossier received before 15 September 2025 gets Circular 01/2018/TT-VPCP's wording (sets.ts).
// The text of Circular 03/2025's Phụ lục I was not available (no source searched for issue 14 holds it): its
// Mẫu 04 and 05 below are written from DOMAIN.md §3 (the apology with the extension asked and the new date; the
// stop notice with its reason) in the layout of the other forms; check them against the annex.
import { FormWriter, vnDate, vnDateTime } from "./layout.ts";
import { addressee, applicantLines, deskOf } from "./parts.ts";
import type { ApologyInput, FormDossier, RefusalInput, StopNoticeInput, SupplementItem, SupplementRequestInput } from "./types.ts";

async function writer(input: FormDossier): Promise<FormWriter> {
  return FormWriter.create({
    paper: "A5",
    edition: input.edition,
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
export async function supplementRequestPdf(input: SupplementRequestInput): Promise<Buffer> {
  const w = await writer(input);
  const you = addressee(input.applicant);
  w.header({ desk: true });
  w.title(input.edition.title);
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
  closing(w, `Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ${you} liên hệ với ${input.officerName}${contact} để được hướng dẫn.`);
  w.signatures([{ role: "Người hướng dẫn", name: input.officerName }]);
  return w.finish();
}

/** Mẫu 03: the refusal, at the desk or after receipt, with its reason in writing (DOMAIN.md §3). */
export async function refusalPdf(input: RefusalInput): Promise<Buffer> {
  const w = await writer(input);
  const you = addressee(input.applicant);
  const agency = input.stage === "receipt" ? deskOf(input.agency) : input.agency.name;
  w.header({ desk: input.stage === "receipt" });
  w.title(input.edition.title);
  w.field("Mã hồ sơ", input.dossierCode, { bold: true });
  w.paragraph(agency);
  w.field("Tiếp nhận hồ sơ của", input.applicant.name, { bold: true });
  applicantLines(w, input.applicant);
  w.field("Nội dung yêu cầu giải quyết", input.procedure.name);
  w.paragraph(`Qua xem xét, ${agency} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`);
  w.paragraph(input.reason, { indent: 8 });
  closing(w, `Xin thông báo cho ${you} được biết và thực hiện./.`);
  w.signatures([{ role: input.stage === "receipt" ? "Người tiếp nhận hồ sơ" : "Người giải quyết hồ sơ", name: input.officerName }]);
  return w.finish();
}

/**
 * Mẫu 04: the agency apologises for a result that will be late. Circular 01/2018's form sets a new date; Circular
 * 03/2025's asks the applicant for an extension (how long) and names the new date. The head of the agency signs
 * it under the seal, so the signature block is theirs, not the desk officer's.
 */
export async function apologyPdf(input: ApologyInput): Promise<Buffer> {
  return input.edition.basis === "01/2018/TT-VPCP" ? apology2018(input) : extensionRequest2025(input);
}

async function apology2018(input: ApologyInput): Promise<Buffer> {
  const w = await writer(input);
  const you = addressee(input.applicant);
  const agency = input.agency.name;
  w.header();
  w.title(input.edition.title);
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
  closing(w, `Kính mong nhận được sự thông cảm của ${you} vì sự chậm trễ này./.`);
  w.signatures([{ role: input.signerTitle ?? "Thủ trưởng cơ quan", hint: "(Ký, ghi rõ họ tên, đóng dấu)", name: input.signerName }]);
  return w.finish();
}

/**
 * The opening of Circular 03/2025's letters to the applicant (Mẫu 04, 05): the number line, the title, the
 * addressee, and the dossier received; with the words for the applicant and the agency the rest says.
 */
async function letter(input: ApologyInput | StopNoticeInput): Promise<{ w: FormWriter; you: string; agency: string }> {
  const w = await writer(input);
  const you = addressee(input.applicant);
  const agency = input.agency.name;
  w.header({ number: true });
  w.title(input.edition.title);
  w.paragraph(`Kính gửi: ${you} ${input.applicant.name}`, { bold: true, align: "center" });
  w.paragraph(`Ngày ${vnDate(input.receivedAt)}, ${agency} tiếp nhận hồ sơ của ${you}:`);
  w.field("Mã hồ sơ", input.dossierCode, { bold: true });
  return { w, you, agency };
}

/** Circular 03/2025's Mẫu 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết, a letter to the applicant. */
async function extensionRequest2025(input: ApologyInput): Promise<Buffer> {
  const { w, you, agency } = await letter(input);
  w.field("Nội dung yêu cầu giải quyết", input.procedure.name);
  w.field("Thời gian hẹn trả kết quả giải quyết hồ sơ", vnDateTime(input.dueAt));
  w.paragraph(`Đến nay, ${agency} chưa giải quyết xong hồ sơ của ${you} trong thời hạn đã hẹn.`);
  w.field("Lý do", input.reason);
  w.paragraph(`${agency} xin lỗi ${you} và đề nghị ${you} đồng ý gia hạn thời gian giải quyết hồ sơ như sau:`);
  w.field("Thời gian đề nghị gia hạn", input.extension ?? null);
  w.field("Thời gian hẹn trả kết quả mới", vnDateTime(input.newDueAt), { bold: true });
  closing(w, `Kính mong nhận được sự thông cảm của ${you}./.`);
  w.signatures([{ role: input.signerTitle ?? "Thủ trưởng cơ quan", hint: "(Ký, ghi rõ họ tên, đóng dấu)", name: input.signerName }]);
  return w.finish();
}

/** Circular 03/2025's Mẫu 05: Thông báo dừng giải quyết hồ sơ, with the reason it was stopped. */
export async function stopNoticePdf(input: StopNoticeInput): Promise<Buffer> {
  const { w, you, agency } = await letter(input);
  applicantLines(w, input.applicant);
  w.field("Nội dung yêu cầu giải quyết", input.procedure.name);
  w.paragraph(`${agency} thông báo dừng giải quyết hồ sơ nêu trên.`, { bold: true });
  w.field("Lý do", input.reason);
  closing(w, `Xin thông báo để ${you} được biết./.`);
  // A leader stops a dossier (policy.ts): the agency's notice, signed under its seal like Mẫu 04.
  w.signatures([{ role: input.signerTitle ?? "Thủ trưởng cơ quan", hint: "(Ký, ghi rõ họ tên, đóng dấu)", name: input.signerName }]);
  return w.finish();
}

/** The form's last sentence, kept on one page with the signatures under it. */
function closing(w: FormWriter, text: string): void {
  w.keep(w.paragraphHeight(text) + w.signaturesHeight());
  w.paragraph(text);
}
