// Reads a PDF back the way a viewer does, with pdf.js (legacy build: runs in Node, no browser, no
// canvas needed for text, fonts and images), so tests assert on what a person would see.
import jsQR from "jsqr";
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface PdfImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel. */
  rgba: Uint8ClampedArray;
}

export interface PdfPage {
  width: number;
  height: number;
  /** The page's text in reading order, one line of the PDF a line. */
  text: string;
  images: PdfImage[];
  /** The names of the fonts the page draws with, e.g. `BZZZZZ+DejaVuSans`. */
  fonts: string[];
  /** Where each piece of text starts and how wide it is, in points from the bottom left. */
  boxes: { str: string; x: number; y: number; width: number }[];
}

export interface PdfFile {
  pages: PdfPage[];
  info: Record<string, unknown>;
}

/** pdf.js's decoded image: `kind` 1 is 1 bit grey, 2 RGB, 3 RGBA (its ImageKind). */
interface DecodedImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8ClampedArray;
}

function toRgba(img: DecodedImage): Uint8ClampedArray {
  const n = img.width * img.height;
  if (img.kind === 3) return img.data;
  const out = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    let r: number, g: number, b: number;
    if (img.kind === 2) [r, g, b] = [img.data[p * 3]!, img.data[p * 3 + 1]!, img.data[p * 3 + 2]!];
    else {
      const rowBytes = (img.width + 7) >> 3;
      const x = p % img.width;
      const y = (p - x) / img.width;
      r = g = b = (img.data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
    }
    out.set([r, g, b, 255], p * 4);
  }
  return out;
}

function objOf<T>(objs: { get(id: string, cb?: (v: unknown) => void): unknown }, id: string): Promise<T> {
  return new Promise((resolve) => objs.get(id, (v) => resolve(v as T)));
}

export async function readPdf(bytes: Buffer): Promise<PdfFile> {
  // pdf.js takes ownership of the array it is given; a copy leaves the caller's buffer intact.
  const task = getDocument({ data: new Uint8Array(bytes), isOffscreenCanvasSupported: false, isImageDecoderSupported: false, verbosity: 0 });
  const pdf = await task.promise;
  try {
    const meta = await pdf.getMetadata();
    const pages: PdfPage[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const [, , width, height] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      const items = content.items.flatMap((i) => ("str" in i ? [i] : []));
      const text = items.map((i) => i.str + (i.hasEOL ? "\n" : "")).join("");
      const boxes = items.filter((i) => i.str.trim()).map((i) => ({ str: i.str, x: Number(i.transform[4]), y: Number(i.transform[5]), width: i.width }));
      const ops = await page.getOperatorList();
      const images: PdfImage[] = [];
      const fonts = new Set<string>();
      for (let k = 0; k < ops.fnArray.length; k++) {
        const args = ops.argsArray[k] as unknown[];
        if (ops.fnArray[k] === OPS.paintImageXObject) {
          const img = await objOf<DecodedImage>(page.objs, String(args[0]));
          images.push({ width: img.width, height: img.height, rgba: toRgba(img) });
        } else if (ops.fnArray[k] === OPS.setFont) {
          fonts.add((await objOf<{ name: string }>(page.commonObjs, String(args[0]))).name);
        }
      }
      pages.push({ width, height, text, images, fonts: [...fonts], boxes });
    }
    return { pages, info: meta.info as Record<string, unknown> };
  } finally {
    await pdf.destroy();
  }
}

/** The text a QR code in an image says, or null when none is found. */
export function decodeQr(img: PdfImage): string | null {
  // jsqr is CommonJS: under NodeNext its default import is the module object, whose `default` is the function.
  return jsQR.default(img.rgba, img.width, img.height)?.data ?? null;
}
