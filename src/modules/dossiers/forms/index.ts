// The one-stop forms of Circular 01/2018/TT-VPCP (Mẫu 01–06) as PDF, and the register as CSV. A pure
// rendering library: the dossier service gathers the data, these turn it into bytes.
export { controlSheet05Pdf, TIMELINESS_VI } from "./control-sheet.ts";
export { FONT_FILES, lookupUrl } from "./layout.ts";
export { apology04Pdf, refusal03Pdf, supplementRequest02Pdf } from "./notices.ts";
export { receipt01Pdf } from "./receipt.ts";
export { REGISTER_CSV_COLUMNS, register06Csv, register06Pdf } from "./register.ts";
export type * from "./types.ts";
