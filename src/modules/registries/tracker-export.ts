// The data tracker's exports (issue 18, item 4): the look-ups about the signed-in person as CSV (for a
// spreadsheet, UTF-8 with its byte-order mark) and as PDF (DejaVu Sans, the repository's font, for every
// Vietnamese letter). Both libraries are loaded with the first export, not with the program.
import { spreadsheetCsv } from "../../platform/csv.ts";
import type PdfKit from "pdfkit";
import { lazy } from "../../platform/lazy.ts";
import { REGISTRY_NAMES } from "./errors.ts";
import type { RegistryName } from "./gateway/mapping.ts";
import type { LookupRow } from "./repo.ts";
import { FONT_FILES } from "../../platform/fonts.ts";

const pdfkit = lazy(() => import("pdfkit").then((m) => m.default as typeof PdfKit));

const FONT = FONT_FILES.regular;
const FONT_BOLD = FONT_FILES.bold;

/** A time as Vietnam reads it (Asia/Ho_Chi_Minh), `dd/MM/yyyy HH:mm`. */
export function vnTime(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

export const registryName = (r: string) => (Object.hasOwn(REGISTRY_NAMES, r) ? REGISTRY_NAMES[r as RegistryName].vi : r);
export const OUTCOMES: Record<string, string> = { ok: "Đã cung cấp", not_found: "Không có dữ liệu" };
const outcomeName = (o: string) => OUTCOMES[o] ?? "Không cung cấp được";
const whoName = (r: LookupRow) => (r.agencyCode ? `${r.actorName} (${r.agencyCode})` : `${r.actorName} (chính bạn)`);

const COLUMNS = ["Thời điểm", "Người tra cứu", "Cơ quan", "Cơ sở dữ liệu", "Thông tin", "Mục đích", "Căn cứ pháp lý", "Hồ sơ", "Kết quả"];

function cells(r: LookupRow): string[] {
  return [vnTime(r.at), r.actorName, r.agencyCode ?? "", registryName(r.registry), r.fields.join(", "), r.purpose, r.legalBasis, r.dossierId, outcomeName(r.outcome)];
}

export function trackerCsv(rows: LookupRow[]): Buffer {
  return spreadsheetCsv(COLUMNS, rows.map(cells));
}

export async function trackerPdf(rows: LookupRow[], meta: { subject: string; generatedAt: Date; period: string }): Promise<Buffer> {
  const PDFDocument = await pdfkit();
  const doc = new PDFDocument({ size: "A4", margin: 50, info: { Title: "Ai đã xem dữ liệu của tôi", Subject: meta.subject } });
  doc.registerFont("r", FONT);
  doc.registerFont("b", FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  doc.font("b").fontSize(15).text("Ai đã xem dữ liệu của tôi", { align: "center" });
  doc.font("r").fontSize(9).text(`Người được tra cứu: ${meta.subject} · Thời gian: ${meta.period} · Lập lúc ${vnTime(meta.generatedAt)}`, { align: "center" });
  doc.moveDown();
  if (rows.length === 0) doc.fontSize(10).text("Không có lượt tra cứu nào.");
  rows.forEach((r, i) => {
    doc.font("b").fontSize(10).text(`${i + 1}. ${vnTime(r.at)} — ${whoName(r)}`);
    doc.font("r").fontSize(9);
    doc.text(`Cơ sở dữ liệu: ${registryName(r.registry)} · Kết quả: ${outcomeName(r.outcome)}`);
    doc.text(`Thông tin: ${r.fields.join(", ") || "—"}`);
    doc.text(`Mục đích: ${r.purpose}`);
    doc.text(`Căn cứ pháp lý: ${r.legalBasis}`);
    doc.text(`Hồ sơ: ${r.dossierId}`);
    doc.moveDown(0.5);
  });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
