// The monthly report as a PDF (A4, DejaVu Sans shipped in the repository for the Vietnamese letters): the scope and
// month, the Decision 766 points, the two charts of the dashboard drawn as vector paths, and its tables.
import type PdfKit from "pdfkit";
import { lazy } from "../../platform/lazy.ts";
import { chartValue, layout } from "../../web/chart.tsx";
import { formatNumber } from "../../web/format.ts";
import { FONT_FILES } from "../../platform/fonts.ts";
import { type Cell, type ColumnKind, type Dashboard, periodName } from "./dashboard.ts";

type Doc = PDFKit.PDFDocument;
const pdfkit = lazy(() => import("pdfkit").then((m) => m.default as typeof PdfKit));
const R = "DejaVuSans";
const B = "DejaVuSans-Bold";

/** A chart of `points` in the box (x, y, w, h): axis lines, bars or a line, the labels. */
function chart(doc: Doc, box: { x: number; y: number; w: number; h: number }, title: string, points: Array<{ label: string; value: number | null }>, kind: "bar" | "line", unit: "count" | "percent") {
  doc.font(B).fontSize(11).fillColor("#000").text(title, box.x, box.y);
  // The screen chart's geometry (640 × 240), scaled into the box.
  const g = layout(points, unit);
  const sx = box.w / 640;
  const sy = (box.h - 18) / 240;
  const X = (x: number) => box.x + x * sx;
  const Y = (y: number) => box.y + 18 + y * sy;
  doc.font(R).fontSize(7);
  for (const t of [0, 0.5, 1].map((f) => g.top * f)) {
    doc.moveTo(X(48), Y(g.y(t))).lineTo(X(628), Y(g.y(t))).lineWidth(0.5).strokeColor("#c9c9c9").stroke();
    doc.fillColor("#333").text(chartValue(t, unit, "vi"), box.x, Y(g.y(t)) - 4, { width: X(44) - box.x, align: "right" });
  }
  const barW = Math.max(2, g.step * 0.6) * sx;
  if (kind === "bar") {
    for (const p of g.items) if (p.y !== null) doc.rect(X(p.x) - barW / 2, Y(p.y), barW, Y(g.base) - Y(p.y)).fillColor("#1d5fa8").fill();
  } else {
    let open = false;
    for (const p of g.items) {
      if (p.y === null) {
        open = false;
        continue;
      }
      if (open) doc.lineTo(X(p.x), Y(p.y));
      else doc.moveTo(X(p.x), Y(p.y));
      open = true;
    }
    doc.lineWidth(1.5).strokeColor("#1d5fa8").stroke();
    for (const p of g.items) if (p.y !== null) doc.circle(X(p.x), Y(p.y), 2).fillColor("#1d5fa8").fill();
  }
  doc.fillColor("#333").fontSize(6.5);
  for (const p of g.items) doc.text(p.label, X(p.x) - 20, Y(g.base) + 4, { width: 40, align: "center" });
}

function cell(v: Cell, kind: ColumnKind): string {
  if (v === null) return "—";
  if (typeof v === "string") return v;
  if (kind === "percent") return chartValue(v, "percent", "vi");
  return formatNumber(kind === "hours" ? Math.round(v * 10) / 10 : v, "vi");
}

/** The report of a dashboard (a month's) for `scopeName`. Deterministic for the same input (`generatedAt`). */
export async function monthlyReportPdf(d: Dashboard, scopeName: string, generatedAt: Date): Promise<Buffer> {
  const PDFDocument = await pdfkit();
  const title = `Báo cáo chỉ số tháng ${periodName(d.filter.period, "vi").replace(/^T/, "")}`;
  const doc = new PDFDocument({ size: "A4", margin: 48, font: FONT_FILES.regular, lang: "vi-VN", displayTitle: true, info: { Title: title, Author: scopeName, Creator: "motcua", CreationDate: generatedAt } });
  doc.registerFont(R, FONT_FILES.regular);
  doc.registerFont(B, FONT_FILES.bold);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const left = 48;
  const width = doc.page.width - 96;
  doc.font(B).fontSize(16).text(title.normalize("NFC"), { align: "center" });
  doc.font(R).fontSize(11).text(scopeName.normalize("NFC"), { align: "center" });
  doc.moveDown();
  if (d.index766 !== null) doc.font(B).fontSize(12).text(`Điểm Chỉ số 766 (Quyết định 766/QĐ-TTg): ${formatNumber(d.index766, "vi")}`);
  doc.moveDown(0.5);
  const pts = (f: (m: Dashboard["months"][number]) => number | null) => d.months.map((m) => ({ label: periodName(m.name, "vi"), value: f(m) }));
  // Each chart's labels move the cursor: both are placed from where the first starts.
  const top = doc.y;
  chart(doc, { x: left, y: top, w: width, h: 150 }, "Tỷ lệ giải quyết đúng hạn theo tháng", pts((m) => m.onTimeRatio), "line", "percent");
  chart(doc, { x: left, y: top + 170, w: width, h: 150 }, "Số hồ sơ tiếp nhận theo tháng", pts((m) => m.received), "bar", "count");
  doc.x = left;
  doc.y = top + 335;
  for (const t of d.tables) {
    if (!t.rows.length) continue;
    if (doc.y > doc.page.height - 140) doc.addPage();
    doc.moveDown(0.5).font(B).fontSize(11).fillColor("#000").text(t.title.vi, left, doc.y);
    const colW = width / t.columns.length;
    const row = (cells: string[], bold: boolean) => {
      if (doc.y > doc.page.height - 70) doc.addPage();
      const y = doc.y;
      doc.font(bold ? B : R).fontSize(8);
      const heights = cells.map((c) => doc.heightOfString(c.normalize("NFC"), { width: colW - 4 }));
      cells.forEach((c, i) => doc.text(c.normalize("NFC"), left + i * colW, y, { width: colW - 4, align: t.columns[i]!.kind === "text" ? "left" : "right" }));
      doc.x = left;
      doc.y = y + Math.max(...heights) + 3;
      doc.moveTo(left, doc.y - 1.5).lineTo(left + width, doc.y - 1.5).lineWidth(0.3).strokeColor("#999").stroke();
    };
    row(t.columns.map((c) => c.vi), true);
    for (const r of t.rows) row(r.cells.map((v, i) => cell(v, t.columns[i]!.kind)), false);
  }
  doc.end();
  return ended;
}
