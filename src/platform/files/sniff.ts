// What a file is, from its first bytes (never from its name).
import { lazy } from "../lazy.ts";

/**
 * file-type, loaded with the first file sniffed (an upload, an import): with the tokenizers it reads through it is
 * ~35 ES modules, and a process that takes no file (most test files, the CLI) paid for them at start.
 */
const fileType = lazy(() => import("file-type"));

/** How many leading bytes the sniffer looks at. */
export const SNIFF_BYTES = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The media type of content beginning with `head`: the binary signatures `file-type` knows; otherwise
 * XML (edXML, forms), JSON or plain text when the bytes are valid UTF-8 text; otherwise
 * `application/octet-stream`.
 */
export async function sniffContentType(head: Uint8Array): Promise<string> {
  const { fileTypeFromBuffer } = await fileType();
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  const text = decodeText(head);
  if (text === null) return "application/octet-stream";
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("<?xml") || /^<[A-Za-z_][\w.:-]*[\s>/]/.test(start)) return "application/xml";
  if (/^[[{]/.test(start)) {
    try {
      JSON.parse(text);
      return "application/json";
    } catch {
      // a prefix of a longer JSON document, or not JSON: plain text
    }
  }
  return "text/plain";
}

/** `head` as text when it is UTF-8 with no control characters but tab, CR, LF (a cut last character is allowed). */
function decodeText(head: Uint8Array): string | null {
  let text: string | null = null;
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    try {
      text = utf8.decode(head.subarray(0, head.length - cut));
      break;
    } catch {
      // a multi-byte character cut at the end of the sample: try a shorter one
    }
  }
  if (text === null) return null;
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text) ? null : text;
}
