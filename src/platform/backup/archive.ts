// The backup's container: a POSIX tar archive (ustar), regular files only, so `tar -tvf` lists it and `tar -xf`
// unpacks it anywhere. Written here rather than with a package: a writer that streams each entry while hashing it
// and a reader that finds each entry's place without unpacking are a page of code, and a backup's dependencies are
// fewer things that can break a restore. Entries over 8 GiB (a province's PostgreSQL dump) carry their size in
// base-256, as GNU tar and bsdtar write and read it.
import { createHash } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";

const BLOCK = 512;
const MAX_OCTAL_SIZE = 0o77777777777;

/** A file of the archive: its name and where its bytes are. */
export interface TarEntry {
  name: string;
  size: number;
  /** Offset of its first byte in the archive. */
  offset: number;
}

/** The archive is not a tar this reader knows, or is cut short. */
export class ArchiveDamaged extends Error {
  override name = "ArchiveDamaged";
}

function octal(buf: Buffer, at: number, width: number, value: number): void {
  buf.write(`${value.toString(8).padStart(width - 1, "0")}\0`, at, width, "ascii");
}

/** The 512-byte ustar header of a regular file (mode 0600, owned by nobody in particular). */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const bytes = Buffer.from(name, "utf8");
  if (bytes.length > 100 || /[\0\\]/.test(name) || name.startsWith("/") || name.split("/").includes("..")) throw new Error(`not an archive name: ${name}`);
  const h = Buffer.alloc(BLOCK);
  bytes.copy(h, 0);
  octal(h, 100, 8, 0o600);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  if (size <= MAX_OCTAL_SIZE) octal(h, 124, 12, size);
  else {
    // base-256: the high bit of the first byte set, the number big-endian in the other eleven.
    h[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--) {
      h[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  octal(h, 136, 12, Math.floor(mtime.getTime() / 1000));
  h.fill(" ", 148, 156);
  h.write("0", 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write(`${checksum(h).toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return h;
}

/** The header's checksum: the sum of its bytes, its own field counted as spaces. */
function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum;
}

function text(h: Buffer, at: number, width: number): string {
  const field = h.subarray(at, at + width);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? width : end).toString("utf8");
}

function sizeOf(h: Buffer): number {
  if (h[124]! & 0x80) {
    let n = 0n;
    for (let i = 125; i < 136; i++) n = (n << 8n) | BigInt(h[i]!);
    return Number(n);
  }
  const s = text(h, 124, 12).trim();
  if (!/^[0-7]+$/.test(s)) throw new ArchiveDamaged("an entry's size is unreadable");
  return parseInt(s, 8);
}

/**
 * Writes an archive entry by entry; nothing is at `path` until `finish`, which writes the end, syncs and renames
 * the archive into place (a backup is there whole or not at all).
 */
export class TarWriter {
  private position = 0;
  private constructor(
    private readonly fh: fsp.FileHandle,
    private readonly partial: string,
    private readonly target: string,
  ) {}

  /** Starts the archive at `target` (written as `target.partial`, mode 0600: a backup holds personal data and keys). */
  static async create(target: string): Promise<TarWriter> {
    const partial = `${target}.partial`;
    return new TarWriter(await fsp.open(partial, "wx", 0o600), partial, target);
  }

  /** Adds a file of `size` bytes from `source`; returns its SHA-256. Throws if the source gives another number of bytes. */
  async add(name: string, size: number, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, mtime = new Date()): Promise<string> {
    await this.write(tarHeader(name, size, mtime));
    const hash = createHash("sha256");
    let written = 0;
    for await (const chunk of source) {
      written += chunk.length;
      if (written > size) throw new Error(`${name} grew while it was written`);
      hash.update(chunk);
      await this.write(chunk);
    }
    if (written !== size) throw new Error(`${name} is ${written} bytes, not ${size}`);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) await this.write(Buffer.alloc(pad));
    return hash.digest("hex");
  }

  /** Writes the end of the archive and puts it in place. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    await this.fh.sync();
    await this.fh.close();
    await fsp.rename(this.partial, this.target);
  }

  /** Drops what was written. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fsp.rm(this.partial, { force: true });
  }

  private async write(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.fh.write(bytes, done, bytes.length - done, this.position);
      done += bytesWritten;
      this.position += bytesWritten;
    }
  }
}

/** Every entry of the archive at `file`, in order, without reading their bytes. Throws ArchiveDamaged. */
export async function readEntries(file: string): Promise<TarEntry[]> {
  const fh = await fsp.open(file, "r");
  try {
    const { size: total } = await fh.stat();
    const entries: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let at = 0;
    for (;;) {
      const { bytesRead } = await fh.read(h, 0, BLOCK, at);
      if (bytesRead < BLOCK) throw new ArchiveDamaged("the archive ends before its end marker: it was cut short");
      if (h.every((b) => b === 0)) return entries;
      if (checksum(h) !== parseInt(text(h, 148, 8).trim(), 8)) throw new ArchiveDamaged(`a header at byte ${at} is damaged`);
      const type = String.fromCharCode(h[156]!);
      const size = sizeOf(h);
      const prefix = text(h, 345, 155);
      const name = prefix ? `${prefix}/${text(h, 0, 100)}` : text(h, 0, 100);
      if (type === "0" || type === "\0") entries.push({ name, size, offset: at + BLOCK });
      else if (type !== "5") throw new ArchiveDamaged(`entry ${name} is not a regular file (type ${type})`);
      at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
      if (at > total) throw new ArchiveDamaged(`entry ${name} is cut short`);
    }
  } finally {
    await fh.close();
  }
}

/** The bytes of one entry, as a stream. */
export function entryStream(file: string, entry: TarEntry): AsyncIterable<Uint8Array> {
  if (entry.size === 0) return (async function* () {})();
  return fs.createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 });
}

/** The SHA-256 of one entry's bytes. */
export async function entryHash(file: string, entry: TarEntry): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of entryStream(file, entry)) hash.update(chunk);
  return hash.digest("hex");
}
