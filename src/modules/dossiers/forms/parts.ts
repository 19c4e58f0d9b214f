// Blocks several one-stop forms repeat in the same words (Circular 03/2025/TT-VPCP and 01/2018/TT-VPCP).
import type { FormWriter } from "./layout.ts";
import type { Applicant, FormAgency } from "./types.ts";

/** CCCD for a person, MST for an organisation: the identifier the dossier records (DOMAIN.md §3). */
export function idLabel(a: Applicant): string {
  return a.type === "citizen" ? "Số CCCD" : "Mã số thuế";
}

/** How the forms address the applicant: "Ông/Bà" in the annex; an organisation is addressed as such. */
export function addressee(a: Applicant): string {
  return a.type === "citizen" ? "Ông/Bà" : "Quý tổ chức";
}

/** The desk that issues the receipt and the notices, named with its agency. */
export function deskOf(agency: FormAgency): string {
  return `${agency.deskName ?? "Bộ phận Tiếp nhận và Trả kết quả"} - ${agency.name}`;
}

/** The applicant's lines as the annex lists them: identifier, address, phone and email. */
export function applicantLines(w: FormWriter, a: Applicant): void {
  w.field(idLabel(a), a.idNumber);
  w.field("Địa chỉ", a.address);
  w.fieldPair(["Số điện thoại", a.phone], ["Email", a.email]);
}
