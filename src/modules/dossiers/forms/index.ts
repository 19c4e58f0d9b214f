// The one-stop forms as PDF, and the register as CSV: Circular 03/2025/TT-VPCP's seven (Mẫu 01–07), and Circular
// 01/2018/TT-VPCP's six for the dossiers received before 15 September 2025 (sets.ts). A pure rendering library:
// the dossier service gathers the data and chooses the edition, these turn it into bytes.
export { controlSheetPdf, IN_PROGRESS_WORDS, OUTCOME_WORDS, TIMELINESS_VI, unitWords } from "./control-sheet.ts";
export { FONT_FILES, formTitle, lookupUrl } from "./layout.ts";
export { apologyPdf, refusalPdf, stopNoticePdf, supplementRequestPdf } from "./notices.ts";
export { receiptPdf } from "./receipt.ts";
export { REGISTER_CSV_COLUMNS, registerCsv, registerPdf } from "./register.ts";
export * from "./sets.ts";
export type * from "./types.ts";
