// A dashboard's table as a file: CSV (csv-stringify, UTF-8 with a BOM for spreadsheets, formulas escaped) or XLSX
// (exceljs), the headers in Vietnamese, ratios as ratios (a percent format in XLSX, "85,5%" in CSV). Both libraries
// are loaded on the first export (src/platform/lazy.ts).
import { createRequire } from "node:module";
import type ExcelJS from "exceljs";
import { spreadsheetCsv } from "../../platform/csv.ts";
import { lazy } from "../../platform/lazy.ts";
import { formatNumber } from "../../web/format.ts";
import type { Cell, ColumnKind, KpiTable } from "./dashboard.ts";

const require = createRequire(import.meta.url);
const excel = lazy(() => require("exceljs") as typeof ExcelJS);

export const EXPORT_TYPES = { csv: "text/csv; charset=utf-8", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } as const;
export type ExportFormat = keyof typeof EXPORT_TYPES;

/** A cell as CSV writes it: numbers in Vietnamese formats, a ratio as per cent, nothing for none. */
function csvCell(v: Cell, kind: ColumnKind): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (kind === "percent") return `${formatNumber(Math.round(v * 1000) / 10, "vi")}%`;
  return formatNumber(v, "vi");
}

export function tableCsv(table: KpiTable): Buffer {
  return spreadsheetCsv(
    table.columns.map((c) => c.vi),
    table.rows.map((r) => r.cells.map((v, i) => csvCell(v, table.columns[i]!.kind))),
  );
}

const FORMATS: Record<ColumnKind, string | undefined> = { text: undefined, count: "#,##0", percent: "0.0%", points: "0.00", hours: "0.0" };

export async function tableXlsx(table: KpiTable, subtitle: string): Promise<Buffer> {
  const { Workbook } = excel();
  const book = new Workbook();
  book.creator = "motcua";
  const sheet = book.addWorksheet(table.title.vi.slice(0, 31));
  sheet.addRow([`${table.title.vi} — ${subtitle}`]).font = { bold: true };
  const header = sheet.addRow(table.columns.map((c) => c.vi));
  header.font = { bold: true };
  for (const r of table.rows) sheet.addRow(r.cells.map((v) => (typeof v === "string" ? v.normalize("NFC") : v)));
  table.columns.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = Math.min(60, Math.max(c.vi.length + 2, ...table.rows.map((r) => String(r.cells[i] ?? "").length + 2)));
    const fmt = FORMATS[c.kind];
    if (fmt) col.numFmt = fmt;
  });
  sheet.views = [{ state: "frozen", ySplit: 2 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The table in `format`, with its file name. */
export async function exportTable(table: KpiTable, format: ExportFormat, subtitle: string, name: string): Promise<{ body: Buffer; type: string; filename: string }> {
  const body = format === "csv" ? tableCsv(table) : await tableXlsx(table, subtitle);
  return { body, type: EXPORT_TYPES[format], filename: `${name}.${format}` };
}
