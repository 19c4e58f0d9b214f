// The control sheet, Phiếu kiểm soát quá trình giải quyết hồ sơ: Mẫu 06 of Circular 03/2025/TT-VPCP, Mẫu 05 of
// Circular 01/2018/TT-VPCP (sets.ts). It travels with the dossier from the desk through every unit and back, so
// each hand-over is a row: who gave it, who took it, when, by when, and whether that unit was early, on time or
// late. The 2025 annex's layout was not available (no source searched for issue 14 holds its text): the columns
// are those of DOMAIN.md §3.
import { FormWriter, vnDate, vnTime } from "./layout.ts";
import type { ControlSheetInput, StepRecord, Timeliness } from "./types.ts";

/** The annex's "Kết quả giải quyết hồ sơ (Trước hạn/đúng hạn/quá hạn)". */
export const TIMELINESS_VI: Record<Timeliness, string> = { early: "Trước hạn", on_time: "Đúng hạn", late: "Quá hạn" };

/**
 * How a hand-over ended (the sheet's "Ghi chú"), by the outcome a step row records; the office's table of the
 * same hand-overs says the same words (English for the page's switch).
 */
export const OUTCOME_WORDS: Record<string, readonly [string, string]> = {
  received: ["Đã tiếp nhận", "Received"],
  forwarded: ["Chuyển bước tiếp theo", "Forwarded to the next step"],
  sent_back: ["Trả lại bước trước", "Sent back to the previous step"],
  approved: ["Đã ký duyệt", "Signed and approved"],
  finished: ["Đã có kết quả", "Result issued"],
  returned: ["Đã trả kết quả", "Result returned"],
  refused: ["Từ chối giải quyết", "Refused"],
  stopped: ["Dừng xử lý", "Processing stopped"],
  withdrawn: ["Công dân rút hồ sơ", "Withdrawn by the applicant"],
};

/** A step still under way, in the sheet's result column. */
export const IN_PROGRESS_WORDS = ["Đang giải quyết", "In progress"] as const;

/** A unit of the sheet: "{department} - {agency}", or the agency alone. */
export const unitWords = (department: string | null | undefined, agencyName: string) => (department ? `${department} - ${agencyName}` : agencyName);
const unit = (s: StepRecord) => unitWords(s.department, s.agencyName);
const at = (d: Date) => `${vnTime(d)} ${vnDate(d)}`;

/** The control sheet of one dossier, on A5 landscape (its table is too wide for A5 upright). */
export async function controlSheetPdf(input: ControlSheetInput): Promise<Buffer> {
  const w = await FormWriter.create({
    paper: "A5-landscape",
    edition: input.edition,
    agency: input.agency,
    lookupUrl: input.lookupUrl,
    generatedAt: input.generatedAt,
    keywords: input.dossierCode,
  });
  w.header({ desk: true });
  w.title(input.edition.title, "(Liên: Lưu tại Bộ phận Tiếp nhận và Trả kết quả)");
  w.field("Mã hồ sơ", input.dossierCode, { bold: true });
  w.field("Kèm theo hồ sơ của", input.applicant.name, { bold: true });
  w.field("Nội dung yêu cầu giải quyết", input.procedure.name);
  w.field("Ngày nhận hồ sơ", vnDate(input.receivedAt));
  w.field("Ngày hẹn trả kết quả", vnDate(input.dueAt));
  w.field("Cơ quan (bộ phận) giải quyết hồ sơ", input.leadAgency);
  w.field("Cơ quan phối hợp giải quyết hồ sơ", input.partnerAgencies?.length ? input.partnerAgencies.join("; ") : null);
  w.space(0.3);
  const desk = input.agency.deskName ?? "Bộ phận Tiếp nhận và Trả kết quả";
  w.table(
    [
      { header: "TT", weight: 0.45, align: "center" },
      { header: "Bước xử lý", weight: 1.4 },
      { header: "Giao: cơ quan, bộ phận", weight: 1.6 },
      { header: "Nhận: cơ quan, bộ phận, người nhận", weight: 1.9 },
      { header: "Thời gian giao, nhận", weight: 1.15, align: "center" },
      { header: "Hạn giải quyết", weight: 1.15, align: "center" },
      { header: "Thời gian hoàn thành", weight: 1.15, align: "center" },
      { header: "Kết quả (Trước hạn / Đúng hạn / Quá hạn)", weight: 1.1, align: "center" },
      { header: "Ghi chú", weight: 1.1 },
    ],
    input.steps.map((s, i) => {
      const prev = input.steps[i - 1];
      const receiver = s.officerName ? `${unit(s)}; ${s.officerName}` : unit(s);
      const result = s.timeliness ? TIMELINESS_VI[s.timeliness] : s.doneAt ? "" : IN_PROGRESS_WORDS[0];
      return [String(i + 1), s.stepName, prev ? unit(prev) : desk, receiver, at(s.startedAt), at(s.dueAt), s.doneAt ? at(s.doneAt) : "", result, s.note ?? ""];
    }),
    { fontSize: 8 },
  );
  return w.finish();
}
