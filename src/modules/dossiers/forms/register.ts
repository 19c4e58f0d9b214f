// The register, Sổ theo dõi hồ sơ: Mẫu 07 of Circular 03/2025/TT-VPCP, Mẫu 06 of Circular 01/2018/TT-VPCP for a
// period before 15 September 2025 (sets.ts). The desk's register of the dossiers of a period, on A4 landscape and
// as CSV for a spreadsheet. The 2025 annex's columns were not available (no source searched for issue 14 holds
// its text): these are the 2018 register's.
import { spreadsheetCsv } from "../../../platform/csv.ts";
import { FormWriter, vnDate } from "./layout.ts";
import type { RegisterInput, RegisterRow } from "./types.ts";

const day = (d: Date | null | undefined) => (d ? vnDate(d) : "");
const contact = (r: RegisterRow) => [r.address, r.phone].filter(Boolean).join("; ");

/** The register as PDF: one row per dossier, the table's header repeated on every page. */
export async function registerPdf(input: RegisterInput): Promise<Buffer> {
  const w = await FormWriter.create({
    paper: "A4-landscape",
    edition: input.edition,
    agency: input.agency,
    lookupUrl: input.lookupUrl,
    generatedAt: input.generatedAt,
    keywords: `Quyển số ${input.book}`,
  });
  w.header({ desk: true });
  w.title(input.edition.title, `Quyển số: ${input.book} - Từ ngày ${vnDate(input.from)} đến ngày ${vnDate(input.to)}`);
  w.table(
    [
      { header: "STT", weight: 0.55, align: "center" },
      { header: "Mã hồ sơ", weight: 1.7 },
      { header: "Tên thủ tục hành chính", weight: 2.6 },
      { header: "Tên cá nhân, tổ chức", weight: 1.6 },
      { header: "Địa chỉ, số điện thoại", weight: 2.1 },
      { header: "Ngày nhận hồ sơ", weight: 1.05, align: "center" },
      { header: "Ngày hẹn trả kết quả", weight: 1.05, align: "center" },
      { header: "Ngày chuyển hồ sơ", weight: 1.05, align: "center" },
      { header: "Ngày có kết quả", weight: 1.05, align: "center" },
      { header: "Ngày trả kết quả", weight: 1.05, align: "center" },
      { header: "Ghi chú", weight: 1.3 },
    ],
    input.rows.map((r, i) => [
      String(i + 1),
      r.dossierCode,
      r.procedureName,
      r.applicantName,
      contact(r),
      day(r.receivedAt),
      day(r.dueAt),
      day(r.transferredAt),
      day(r.resultAt),
      day(r.returnedAt),
      r.note ?? "",
    ]),
    { fontSize: 7 },
  );
  return w.finish();
}

export const REGISTER_CSV_COLUMNS = [
  "STT",
  "Mã hồ sơ",
  "Tên thủ tục hành chính",
  "Tên cá nhân, tổ chức",
  "Địa chỉ",
  "Số điện thoại",
  "Ngày nhận hồ sơ",
  "Ngày hẹn trả kết quả",
  "Ngày chuyển hồ sơ",
  "Ngày có kết quả",
  "Ngày trả kết quả",
  "Ghi chú",
] as const;

/**
 * The register as CSV (RFC 4180): UTF-8 with a BOM, without which Excel reads the file as the ANSI code page
 * and garbles every diacritic; CRLF; fields quoted when they hold a comma, a quote or a line break. A
 * field an applicant typed that starts like a formula (`=`, `+`, `-`, `@`) is prefixed with `'` so a
 * spreadsheet shows it rather than runs it (OWASP CSV injection).
 */
export function registerCsv(rows: RegisterRow[]): Buffer {
  const records = rows.map((r, i) => [
    String(i + 1),
    r.dossierCode,
    r.procedureName,
    r.applicantName,
    r.address ?? "",
    r.phone ?? "",
    day(r.receivedAt),
    day(r.dueAt),
    day(r.transferredAt),
    day(r.resultAt),
    day(r.returnedAt),
    r.note ?? "",
  ].map((v) => v.normalize("NFC")));
  return spreadsheetCsv(REGISTER_CSV_COLUMNS, records);
}
