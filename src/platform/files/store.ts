// Content-addressed file store: a file is named by the SHA-256 of its bytes.
import { createHash } from "node:crypto";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { EmptyFile, FileNotFound, FileTooLarge, FileTypeNotAllowed } from "./errors.ts";
import { SNIFF_BYTES, sniffContentType } from "./sniff.ts";

/** A blob being written; invisible under any key until `commit`. */
export interface StagedBlob {
  writable: Writable;
  /** Makes the complete blob readable under `key` (a no-op when that key already holds it). */
  commit(key: string): Promise<void>;
  /** Drops what was written. */
  abort(): Promise<void>;
}

/**
 * Where bytes live. Local disk implements it (`local.ts`); an S3-compatible store implements it with a
 * multipart upload to a temporary object in `stage` and a copy (or conditional put) to the key in `commit`.
 */
export interface BlobBackend {
  stage(): Promise<StagedBlob>;
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
  exists(key: string): Promise<boolean>;
}

export interface StoredFile {
  /** Lower-case hex SHA-256 of the content: the file's name. */
  sha256: string;
  size: number;
  /** Sniffed from the content, never taken from the file name or the client. */
  contentType: string;
}

export interface PutOptions {
  /** Smaller limit than the store's, e.g. a procedure's limit for one component. */
  maxBytes?: number;
  /** Accepted media types (e.g. a dossier component's); the store's list when absent. */
  allowedTypes?: readonly string[];
  /**
   * The name the client gave the file. Only quoted in error messages so people know which file was
   * refused; it never decides the content type (a PNG named `.pdf` is `image/png`) and is not stored.
   */
  declaredName?: string;
}

export interface FileStore {
  /** Streams `source` in, enforcing the size limit and the accepted types; the same bytes give the same file. */
  put(source: Readable | Uint8Array, opts?: PutOptions): Promise<StoredFile>;
  /** The content; `FileNotFound` for an unknown or malformed name. */
  get(sha256: string): Promise<{ stream: Readable; size: number }>;
  has(sha256: string): Promise<boolean>;
  /** Re-reads the content and checks it still hashes to its name (bit rot, tampering). */
  verify(sha256: string): Promise<boolean>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Media types accepted when the caller gives none: documents and scans citizens attach to dossiers. */
export const DEFAULT_ALLOWED_TYPES: readonly string[] = [
  "application/pdf",
  "image/jpeg",
  "image/png",
  "image/tiff",
  "image/webp",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/zip",
  "application/xml",
  "application/json",
  "text/plain",
];

export function createFileStore(opts: {
  backend: BlobBackend;
  maxBytes: number;
  allowedTypes?: readonly string[];
}): FileStore {
  const { backend } = opts;
  const storeAllowed = opts.allowedTypes ?? DEFAULT_ALLOWED_TYPES;

  async function put(source: Readable | Uint8Array, putOpts: PutOptions = {}): Promise<StoredFile> {
    const maxBytes = Math.min(putOpts.maxBytes ?? opts.maxBytes, opts.maxBytes);
    const allowed = putOpts.allowedTypes ?? storeAllowed;
    const hash = createHash("sha256");
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes) {
          cb(new FileTooLarge(maxBytes, putOpts.declaredName));
          return;
        }
        hash.update(chunk);
        if (headBytes < SNIFF_BYTES) {
          const part = chunk.subarray(0, SNIFF_BYTES - headBytes);
          head.push(part);
          headBytes += part.length;
        }
        cb(null, chunk);
      },
    });
    // Bytes in memory already stored (a circular sent to many, an attachment delivered again): checked and named
    // without writing them a second time (the temp file, its fsync and the rename cost more than the hash).
    if (!(source instanceof Readable)) {
      if (source.length > maxBytes) throw new FileTooLarge(maxBytes, putOpts.declaredName);
      if (source.length === 0) throw new EmptyFile();
      const sha256 = createHash("sha256").update(source).digest("hex");
      if (await backend.exists(sha256)) {
        const contentType = await sniffContentType(source.subarray(0, SNIFF_BYTES));
        if (!allowed.includes(contentType)) throw new FileTypeNotAllowed(contentType, allowed, putOpts.declaredName);
        return { sha256, size: source.length, contentType };
      }
    }
    const staged = await backend.stage();
    try {
      const input = source instanceof Readable ? source : Readable.from([Buffer.from(source)]);
      await pipeline(input, meter, staged.writable);
      if (size === 0) throw new EmptyFile();
      const contentType = await sniffContentType(Buffer.concat(head));
      if (!allowed.includes(contentType)) throw new FileTypeNotAllowed(contentType, allowed, putOpts.declaredName);
      const sha256 = hash.digest("hex");
      await staged.commit(sha256);
      return { sha256, size, contentType };
    } catch (err) {
      await staged.abort();
      throw err;
    }
  }

  async function get(sha256: string) {
    const found = SHA256.test(sha256) ? await backend.open(sha256) : null;
    if (!found) throw new FileNotFound(sha256);
    return found;
  }

  return {
    put,
    get,
    has: async (sha256) => SHA256.test(sha256) && backend.exists(sha256),
    async verify(sha256) {
      const { stream } = await get(sha256);
      const hash = createHash("sha256");
      for await (const chunk of stream) hash.update(chunk as Buffer);
      return hash.digest("hex") === sha256;
    },
  };
}
