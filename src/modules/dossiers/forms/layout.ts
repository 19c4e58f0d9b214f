// The page furniture the one-stop forms share (Circular 03/2025/TT-VPCP and, for older dossiers, Circular
// 01/2018/TT-VPCP): paper, font, the national motto header, labelled lines, tables that wrap and paginate,
// signature blocks kept with what they sign, and the lookup QR code.
import type PdfKit from "pdfkit";
import type QrCode from "qrcode";
import { formatLocal } from "../../calendar/index.ts";
import type { FormEdition } from "./sets.ts";
import type { FormAgency } from "./types.ts";
import { FONT_FILES } from "../../../platform/fonts.ts";

type Doc = PDFKit.PDFDocument;

/**
 * pdfkit and qrcode, loaded with the first form written: most processes of a node (the worker, the CLI, a test
 * file) write none, and loading the two was about a seventh of the time every process took to load the program.
 */
let libraries: Promise<{ PDFDocument: typeof PdfKit; QRCode: typeof QrCode }> | null = null;
const pdfLibraries = () =>
  (libraries ??= Promise.all([import("pdfkit"), import("qrcode")]).then(([pdfkit, qrcode]) => ({ PDFDocument: pdfkit.default, QRCode: qrcode.default })));

/** The repository's font (platform/fonts.ts): every Vietnamese letter, the same on every server. */
export { FONT_FILES };
const R = "DejaVuSans";
const B = "DejaVuSans-Bold";

/**
 * The forms are printed on A5 and the register on A4 (DOMAIN.md §3). The control sheet's nine-column table is on
 * A5 turned sideways (as wide as A4 upright).
 */
export type Paper = "A5" | "A5-landscape" | "A4" | "A4-landscape";

interface Metrics {
  margin: number;
  body: number;
  small: number;
  title: number;
}
const METRICS: Record<Paper, Metrics> = {
  A5: { margin: 30, body: 8.5, small: 6.5, title: 10.5 },
  "A5-landscape": { margin: 26, body: 8, small: 6.5, title: 10.5 },
  A4: { margin: 42, body: 10, small: 7.5, title: 13 },
  "A4-landscape": { margin: 30, body: 8, small: 7, title: 12 },
};
const QR_SIZE = 52;
/** Room under the first page's text for the QR code and its address. */
const QR_RESERVE = QR_SIZE + 10;
/** Room under every page's text for the page number. */
const FOOTER_RESERVE = 12;

export interface Column {
  header: string;
  /** Share of the table's width. */
  weight: number;
  align?: "left" | "center" | "right";
}

export interface FormMeta {
  paper: Paper;
  /** The form and its circular: the PDF's Title (`Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả`) and Subject. */
  edition: FormEdition;
  agency: FormAgency;
  lookupUrl: string;
  generatedAt: Date;
  /** The dossier code, or the register's book, for the PDF's Keywords. */
  keywords: string;
}

/** Every printed string is NFC, so a name typed with combining marks reaches the PDF as DejaVu's precomposed glyphs. */
export function nfc(s: string): string {
  return s.normalize("NFC");
}

/** `dd/MM/yyyy` in Vietnam's time. */
export function vnDate(d: Date): string {
  const s = formatLocal(d.getTime());
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
}

/** `HH:mm` in Vietnam's time. */
export function vnTime(d: Date): string {
  return formatLocal(d.getTime()).slice(11, 16);
}

/** `08:30 ngày 03/11/2025`: the circular's "… giờ … phút, ngày … tháng … năm …" in one line. */
export function vnDateTime(d: Date): string {
  return `${vnTime(d)} ngày ${vnDate(d)}`;
}

/** The public lookup address for a dossier: what the QR code on its forms opens. */
export function lookupUrl(publicUrl: string, dossierCode: string, lookupKey: string): string {
  const q = new URLSearchParams({ ma: dossierCode, khoa: lookupKey });
  return `${publicUrl.replace(/\/+$/, "")}/tra-cuu?${q.toString()}`;
}

/** The PNG the QR code is drawn from; margin 2 keeps a quiet zone that scanners need even when cropped. */
export async function qrPng(url: string): Promise<Buffer> {
  const { QRCode } = await pdfLibraries();
  return QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 2, scale: 4 });
}

/** A form being written; `finish()` gives the PDF. */
export class FormWriter {
  readonly doc: Doc;
  readonly m: Metrics;
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<Buffer>;
  /** The signatures took the room beside the QR code: its caption goes on the address's line under it. */
  private signedBesideQr = false;

  private constructor(
    PDFDocument: typeof PdfKit,
    private readonly meta: FormMeta,
    private readonly qr: Buffer,
  ) {
    this.m = METRICS[meta.paper];
    const margin = this.m.margin;
    this.doc = new PDFDocument({
      size: meta.paper.startsWith("A5") ? "A5" : "A4",
      layout: meta.paper.endsWith("landscape") ? "landscape" : "portrait",
      margins: { top: margin, left: margin, right: margin, bottom: margin + FOOTER_RESERVE },
      // Page numbers are written once the page count is known.
      bufferPages: true,
      font: FONT_FILES.regular,
      lang: "vi-VN",
      displayTitle: true,
      info: {
        Title: nfc(formTitle(meta.edition)),
        Author: nfc(meta.agency.name),
        Subject: `Thông tư ${meta.edition.basis}`,
        Keywords: nfc(meta.keywords),
        Creator: "motcua",
        // From the input, not the clock: the same input gives the same bytes (the file ID hashes this).
        CreationDate: meta.generatedAt,
      },
    });
    this.doc.registerFont(R, FONT_FILES.regular);
    this.doc.registerFont(B, FONT_FILES.bold);
    this.doc.font(R).fontSize(this.m.body);
    // The first page keeps room for the QR code; pages added later take the document's margins.
    this.doc.page.margins = { ...this.doc.page.margins, bottom: margin + QR_RESERVE };
    this.doc.on("data", (c: Buffer) => this.chunks.push(c));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on("end", () => resolve(Buffer.concat(this.chunks)));
      this.doc.on("error", reject);
    });
  }

  static async create(meta: FormMeta): Promise<FormWriter> {
    const { PDFDocument } = await pdfLibraries();
    return new FormWriter(PDFDocument, meta, await qrPng(meta.lookupUrl));
  }

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /**
   * The header every form of the annex opens with: the issuing body on the left (parent body, agency,
   * desk), the national name and motto on the right, and under it the place and date of issue. A letter the
   * agency signs (`number`) has its number line under the issuing body, left for the clerk who registers it.
   */
  header(opts: { desk?: boolean; number?: boolean } = {}): void {
    const { doc, m } = this;
    const a = this.meta.agency;
    const top = doc.y;
    const leftW = this.width * 0.42;
    const rightX = this.left + leftW + 6;
    const rightW = this.width - leftW - 6;
    const size = m.body - 0.5;
    doc.fontSize(size);
    if (a.parentName) doc.font(R).text(nfc(a.parentName).toUpperCase(), this.left, top, { width: leftW, align: "center" });
    doc.font(B).text(nfc(a.name).toUpperCase(), this.left, doc.y, { width: leftW, align: "center" });
    if (opts.desk && a.deskName) doc.font(B).text(nfc(a.deskName).toUpperCase(), this.left, doc.y, { width: leftW, align: "center" });
    this.rule(this.left + leftW / 2, doc.y + 3, leftW / 3);
    if (opts.number) doc.font(R).text("Số: ........../..........", this.left, doc.y + 7, { width: leftW, align: "center" });
    const leftEnd = doc.y + 4;
    doc.font(B).fontSize(fitSize(doc, B, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rightW, size));
    doc.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rightX, top, { width: rightW, align: "center" });
    doc.fontSize(size).text("Độc lập - Tự do - Hạnh phúc", rightX, doc.y, { width: rightW, align: "center" });
    this.rule(rightX + rightW / 2, doc.y + 3, doc.widthOfString("Độc lập - Tự do - Hạnh phúc"));
    doc.font(R).fontSize(m.small + 0.5).text(this.dateLine(), rightX, doc.y + 6, { width: rightW, align: "center" });
    doc.x = this.left;
    doc.y = Math.max(leftEnd, doc.y) + m.body;
    doc.font(R).fontSize(m.body);
  }

  /** `Hà Nội, ngày 03 tháng 11 năm 2025`: the dated line of an administrative document. */
  private dateLine(): string {
    const s = formatLocal(this.meta.generatedAt.getTime());
    const place = this.meta.agency.place ? `${nfc(this.meta.agency.place)}, ngày` : "Ngày";
    return `${place} ${s.slice(8, 10)} tháng ${s.slice(5, 7)} năm ${s.slice(0, 4)}`;
  }

  private rule(centerX: number, y: number, w: number): void {
    this.doc.save().lineWidth(0.6).moveTo(centerX - w / 2, y).lineTo(centerX + w / 2, y).stroke().restore();
  }

  /**
   * The form's name, centred and bold, with optional lines under it. A name a little too long for one line is set
   * a little smaller rather than leave a word alone on a second line.
   */
  title(text: string, ...sub: string[]): void {
    const { doc, m } = this;
    const name = nfc(text).toUpperCase();
    const size = fitSize(doc, B, name, this.width, m.title);
    doc.font(B).fontSize(size >= m.title * 0.85 ? size : m.title).text(name, this.left, doc.y, { width: this.width, align: "center" });
    doc.font(R).fontSize(m.body);
    for (const s of sub) doc.text(nfc(s), this.left, doc.y + 1, { width: this.width, align: "center" });
    doc.moveDown(0.6);
  }

  /** The height `field(label, value)` takes, for keeping a block together. */
  fieldHeight(label: string, value: string | null | undefined): number {
    const { doc, m } = this;
    doc.font(B).fontSize(m.body);
    return doc.heightOfString(`${nfc(label)}: ${nfc(value ?? "—")}`, { width: this.width }) + 0.15 * doc.currentLineHeight(true);
  }

  /** The height `paragraph(text, opts)` takes. */
  paragraphHeight(text: string, opts: { bold?: boolean; indent?: number } = {}): number {
    const { doc, m } = this;
    doc.fontSize(m.body).font(opts.bold ? B : R);
    const h = doc.heightOfString(nfc(text), { width: this.width - (opts.indent ?? 0) });
    doc.font(R);
    return h + 0.15 * doc.currentLineHeight(true);
  }

  /**
   * The height `signatures(…)` needs under the current line, here: on the first page the signatures may take the
   * room beside the QR code (left of it, down to its foot), so less is needed above the page's bottom.
   */
  signaturesHeight(): number {
    return Math.max(0, this.m.body * 8 - this.besideQr());
  }

  /** How far below the text's bottom the signatures may reach on this page: beside the QR code, on the first page only. */
  private besideQr(): number {
    if (this.doc.bufferedPageRange().count !== 1) return 0;
    return this.doc.page.height - this.m.margin - FOOTER_RESERVE + 2 - this.bottom;
  }

  /**
   * Two short fields on one line (the applicant's phone and email), each in half the width; one under the other
   * when either would wrap.
   */
  fieldPair(a: [string, string | null | undefined], b: [string, string | null | undefined]): void {
    const { doc, m } = this;
    const half = this.width / 2 - 4;
    doc.font(B).fontSize(m.body);
    const oneLine = (label: string, value: string | null | undefined) => doc.widthOfString(`${nfc(label)}: ${nfc(value ?? "—")}`) <= half;
    if (!oneLine(...a) || !oneLine(...b)) {
      this.field(...a);
      this.field(...b);
      return;
    }
    const h = this.fieldHeight(...a);
    if (doc.y + h > this.bottom) doc.addPage();
    const y = doc.y;
    [a, b].forEach(([label, value], i) => {
      const x = this.left + i * (half + 8);
      doc.font(B).fontSize(m.body).text(`${nfc(label)}: `, x, y, { width: half, continued: true, lineBreak: false });
      doc.font(R).text(value ? nfc(value) : "—", { width: half, lineBreak: false });
    });
    doc.x = this.left;
    doc.y = y + h;
  }

  /** Starts a new page unless `height` fits under the current line. */
  keep(height: number): void {
    if (this.doc.y + height > this.bottom && height <= this.bottom - this.doc.page.margins.top) this.doc.addPage();
  }

  /** `Label: value` with the label in bold; long values wrap under themselves and onto a new page. */
  field(label: string, value: string | null | undefined, opts: { bold?: boolean } = {}): void {
    const { doc, m } = this;
    // A page break inside a `continued` run makes pdfkit draw the pending label in the value's font:
    // start the line on a new page when the whole field does not fit (measured in bold, the wider).
    const h = doc.font(B).fontSize(m.body).heightOfString(`${nfc(label)}: ${nfc(value ?? "—")}`, { width: this.width });
    if (doc.y + h > this.bottom && h < this.bottom - doc.page.margins.top) doc.addPage();
    doc.fontSize(m.body).font(B).text(`${nfc(label)}: `, this.left, doc.y, { width: this.width, continued: true });
    doc.font(opts.bold ? B : R).text(value ? nfc(value) : "—", { width: this.width });
    doc.moveDown(0.15);
  }

  paragraph(text: string, opts: { bold?: boolean; align?: "left" | "justify" | "center"; indent?: number } = {}): void {
    const { doc, m } = this;
    const indent = opts.indent ?? 0;
    doc.fontSize(m.body).font(opts.bold ? B : R).text(nfc(text), this.left + indent, doc.y, { width: this.width - indent, align: opts.align ?? "justify" });
    doc.font(R).moveDown(0.15);
  }

  /** Blank vertical space, in lines of body text. */
  space(lines = 0.5): void {
    this.doc.moveDown(lines);
  }

  /**
   * A bordered table whose cells wrap. A row that does not fit what is left of the page goes to the next
   * one, under the header again (the register runs to many pages); a row taller than a whole page is
   * split across pages rather than cut. `keepWithNext`: the height of what follows that must stay on the page
   * of the last row (the receipt's closing lines and signatures), so that it never starts a page alone.
   */
  table(columns: Column[], rows: string[][], opts: { fontSize?: number; keepWithNext?: () => number } = {}): void {
    const { doc } = this;
    const size = opts.fontSize ?? this.m.body - 1;
    const pad = 2.5;
    const total = columns.reduce((s, c) => s + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * this.width);
    doc.font(R).fontSize(size);
    const lh = doc.currentLineHeight(true);
    doc.font(B);
    const head = columns.map((c, i) => wrapLines(doc, nfc(c.header), widths[i]! - 2 * pad));
    const headH = Math.max(...head.map((l) => l.length)) * lh + 2 * pad;
    let y = doc.y;
    const drawHead = () => {
      doc.font(B).fontSize(size);
      this.row(y, widths, head, Array(columns.length).fill("center"), headH, pad, lh, true);
      y += headH;
    };
    const newPage = () => {
      doc.addPage();
      y = doc.y;
      drawHead();
    };
    if (y + headH + lh + 2 * pad > this.bottom) {
      doc.addPage();
      y = doc.y;
    }
    drawHead();
    const aligns = columns.map((c) => c.align ?? "left");
    for (const [r, cells] of rows.entries()) {
      doc.font(R).fontSize(size);
      let lines = cells.map((c, i) => wrapLines(doc, nfc(c), widths[i]! - 2 * pad));
      for (;;) {
        // The last row carries what must follow it onto its page (in lines of the table's text, rounded up); how
        // much that is depends on the page (the first has room beside its QR code).
        const tail = r === rows.length - 1 && opts.keepWithNext ? Math.ceil((opts.keepWithNext() + this.m.body * 0.6) / lh) : 0;
        const need = Math.max(1, ...lines.map((l) => l.length));
        const fits = Math.floor((this.bottom - y - 2 * pad) / lh);
        const pageRoom = Math.floor((this.bottom - this.doc.page.margins.top - headH - 2 * pad) / lh);
        if (need <= fits && (need + tail <= fits || need + tail > pageRoom)) {
          const h = need * lh + 2 * pad;
          this.row(y, widths, lines, aligns, h, pad, lh, false);
          y += h;
          break;
        }
        if (need <= pageRoom || fits < 2) {
          newPage();
          continue;
        }
        this.row(y, widths, lines.map((l) => l.slice(0, fits)), aligns, fits * lh + 2 * pad, pad, lh, false);
        lines = lines.map((l) => l.slice(fits));
        newPage();
      }
    }
    doc.x = this.left;
    doc.y = y + this.m.body * 0.6;
    doc.font(R).fontSize(this.m.body);
  }

  private row(y: number, widths: number[], lines: string[][], aligns: string[], h: number, pad: number, lh: number, shaded: boolean): void {
    const { doc } = this;
    // The font the lines were measured in: a header drawn on a new page must not leave its bold behind.
    doc.font(shaded ? B : R);
    let x = this.left;
    widths.forEach((w, i) => {
      doc.save().lineWidth(0.5);
      if (shaded) doc.rect(x, y, w, h).fillAndStroke("#eeeeee", "#000000");
      else doc.rect(x, y, w, h).stroke();
      doc.restore().fillColor("#000000");
      (lines[i] ?? []).forEach((line, k) => {
        const tw = doc.widthOfString(line);
        const dx = aligns[i] === "center" ? (w - tw) / 2 : aligns[i] === "right" ? w - pad - tw : pad;
        doc.text(line, x + dx, y + pad + k * lh, { lineBreak: false });
      });
      x += w;
    });
  }

  /**
   * Signature blocks side by side: the role, "(Ký và ghi rõ họ tên)", room to sign, the name. Drawn whole on one
   * page: the forms keep the lines before it with it (`keep`, `keepWithNext`), so that it never stands alone.
   */
  signatures(blocks: { role: string; hint?: string; name?: string | null }[]): void {
    const { doc, m } = this;
    const need = m.body * 7.5;
    let width = this.width;
    const margins = doc.page.margins;
    if (doc.y + m.body * 0.5 + need > this.bottom) {
      // On the first page they may sit beside the QR code rather than go alone onto a page of their own (the
      // page's bottom margin lowered meanwhile, or pdfkit would start a page for the name).
      const room = this.besideQr();
      if (doc.y + m.body * 0.5 + need <= this.bottom + room) {
        width = this.width - QR_SIZE - 8;
        this.signedBesideQr = true;
        doc.page.margins = { ...margins, bottom: margins.bottom - room };
      } else doc.addPage();
    }
    const top = doc.y + m.body * 0.5;
    // A lone signer signs on the right half, as in the annex.
    const slots = Math.max(2, blocks.length);
    const w = width / slots;
    blocks.forEach((b, i) => {
      const x = this.left + (slots - blocks.length + i) * w;
      doc.font(B).fontSize(m.body).text(nfc(b.role).toUpperCase(), x, top, { width: w, align: "center" });
      doc.font(R).fontSize(m.small).text(nfc(b.hint ?? "(Ký và ghi rõ họ tên)"), x, doc.y, { width: w, align: "center" });
      if (b.name) doc.font(B).fontSize(m.body).text(nfc(b.name), x, top + m.body * 6, { width: w, align: "center" });
    });
    if (this.signedBesideQr) doc.page.margins = margins;
    doc.x = this.left;
    doc.y = top + need;
    doc.font(R).fontSize(m.body);
  }

  /** Draws the QR code and page numbers, ends the document and gives its bytes. */
  finish(): Promise<Buffer> {
    const { doc, m } = this;
    const { count } = doc.bufferedPageRange();
    for (let i = 0; i < count; i++) {
      doc.switchToPage(i);
      // Drawing in the bottom margin: with the margin left in place pdfkit would start a new page.
      const margins = doc.page.margins;
      doc.page.margins = { ...margins, bottom: 0 };
      const baseY = doc.page.height - m.margin;
      if (i === 0) {
        const x = doc.page.width - m.margin - QR_SIZE;
        const y = baseY - FOOTER_RESERVE - QR_SIZE + 2;
        doc.image(this.qr, x, y, { width: QR_SIZE, height: QR_SIZE });
        // The address under the code, for whoever cannot scan; one line, shrunk to fit (never cut). When the
        // signatures sit beside the code, its caption goes on that line too, clear of the page number.
        const url = nfc(this.meta.lookupUrl);
        if (this.signedBesideQr) {
          const line = `Tra cứu tình trạng hồ sơ: quét mã QR hoặc mở ${url}`;
          const width = this.width - 40;
          doc.font(R).fontSize(fitSize(doc, R, line, width, m.small - 1));
          doc.text(line, this.left + 40, y + QR_SIZE + 1, { width, align: "right", lineBreak: false });
        } else {
          doc.font(B).fontSize(m.small).text("Tra cứu tình trạng hồ sơ: quét mã QR", this.left, y + QR_SIZE - m.small * 2, { width: this.width - QR_SIZE - 6, align: "right" });
          doc.font(R).fontSize(fitSize(doc, R, url, this.width, m.small - 1));
          doc.text(url, this.left, y + QR_SIZE + 1, { width: this.width, align: "right", lineBreak: false });
        }
      }
      doc.font(R).fontSize(m.small).text(`Trang ${i + 1}/${count}`, this.left, baseY - m.small, { width: this.width, align: "left", lineBreak: false });
      doc.page.margins = margins;
    }
    doc.end();
    return this.ended;
  }
}

/** `Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả`: the PDF's title. */
export function formTitle(e: FormEdition): string {
  return `Mẫu ${e.number} - ${e.title}`;
}

/** The largest size up to `max` at which a line fits `width` (the motto must stay on one line). */
function fitSize(doc: Doc, font: string, text: string, width: number, max: number): number {
  let size = max;
  doc.font(font);
  while (size > 4 && doc.fontSize(size).widthOfString(text) > width) size -= 0.25;
  return size;
}

/**
 * Breaks text into lines no wider than `width` at the current font: at spaces, and inside a word too
 * long for the cell (a dossier code, an address) after a `-`, `.` or `/` where possible.
 */
export function wrapLines(doc: Doc, text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let line = "";
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (doc.widthOfString(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line) out.push(line);
      let rest = word;
      while (rest.length > 1 && doc.widthOfString(rest) > width) {
        let n = rest.length - 1;
        while (n > 1 && doc.widthOfString(rest.slice(0, n)) > width) n--;
        const soft = Math.max(rest.lastIndexOf("-", n - 1), rest.lastIndexOf(".", n - 1), rest.lastIndexOf("/", n - 1));
        if (soft > 0 && soft + 1 >= n / 2) n = soft + 1;
        out.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}
