// The file store on a real temporary directory.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import {
  createFileStore,
  createLocalBackend,
  createLocalFileStore,
  type FileStore,
  localBlobPath,
  sniffContentType,
} from "./index.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
/** A minimal valid PNG: the signature and an IHDR chunk. */
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" + "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);
const PDF = Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The files under the store's directory, temp files included. */
function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

describe("file store", () => {
  let dir: string;
  let store: FileStore;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-files-"));
    store = createFileStore({ backend: createLocalBackend(dir), maxBytes: 64 * 1024 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("stores content under its SHA-256 and gives it back; the same bytes are stored once", async () => {
    const stored = await store.put(PDF);
    assert.deepEqual(stored, { sha256: sha(PDF), size: PDF.length, contentType: "application/pdf" });
    assert.ok(fs.existsSync(localBlobPath(dir, stored.sha256)));
    const { stream, size } = await store.get(stored.sha256);
    assert.equal(size, PDF.length);
    assert.deepEqual(await read(stream), PDF);
    const again = await store.put(Readable.from([PDF.subarray(0, 10), PDF.subarray(10)]));
    assert.equal(again.sha256, stored.sha256);
    assert.equal(allFiles(dir).filter((f) => f.endsWith(stored.sha256)).length, 1);
    assert.equal(await store.verify(stored.sha256), true);
  });

  it("names bytes already stored without writing them again, still checking their type and size", async () => {
    const stored = await store.put(PNG);
    // A backend that can write nothing more (a full disk): what it holds is still taken.
    const full = createFileStore({ backend: { ...createLocalBackend(dir), stage: () => Promise.reject(new Error("ENOSPC")) }, maxBytes: 64 * 1024 });
    assert.deepEqual(await full.put(PNG), stored);
    await assert.rejects(full.put(PNG, { allowedTypes: ["application/pdf"] }), { code: "files.type_not_allowed" });
    await assert.rejects(full.put(PNG, { maxBytes: 10 }), { code: "files.too_large" });
    await assert.rejects(full.put(Buffer.from("%PDF-1.4 not stored yet\n")), /ENOSPC/);
  });

  it("sniffs the type from the bytes, not the name", async () => {
    const stored = await store.put(PNG, { declaredName: "giay-to.pdf" });
    assert.equal(stored.contentType, "image/png");
    // A type check against PDF only refuses it, naming the file the client sent.
    await assert.rejects(
      store.put(PNG, { declaredName: "giay-to.pdf", allowedTypes: ["application/pdf"] }),
      (err: Error & { code?: string; details?: Record<string, unknown> }) =>
        err.code === "files.type_not_allowed" &&
        err.details?.contentType === "image/png" &&
        err.message.includes("giay-to.pdf"),
    );
    assert.equal(await sniffContentType(Buffer.from('<?xml version="1.0"?><edXML:edXML/>')), "application/xml");
    assert.equal(await sniffContentType(Buffer.from('{"a": "Đăng ký"}')), "application/json");
    assert.equal(await sniffContentType(Buffer.from("Họ và tên: Nguyễn Văn A\n")), "text/plain");
    assert.equal(await sniffContentType(Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe])), "application/octet-stream");
  });

  it("refuses types not accepted, leaving nothing behind", async () => {
    const before = allFiles(dir).length;
    const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200, 1)]);
    await assert.rejects(store.put(exe), (err: Error & { code?: string }) => err.code === "files.type_not_allowed");
    await assert.rejects(store.put(PNG, { allowedTypes: ["application/pdf"] }), /not accepted/);
    assert.equal(allFiles(dir).length, before);
    assert.equal(await store.has(sha(exe)), false);
  });

  it("enforces the size limit while streaming, leaving nothing behind", async () => {
    const before = allFiles(dir).length;
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 16 * 1024;
        this.push(Buffer.alloc(16 * 1024, 0x41));
        if (produced > 10 * 1024 * 1024) this.push(null);
      },
    });
    await assert.rejects(store.put(endless), (err: Error & { code?: string }) => err.code === "files.too_large");
    assert.ok(produced < 1024 * 1024, "stopped reading soon after the limit");
    await assert.rejects(store.put(Buffer.alloc(2048, 0x41), { maxBytes: 1024 }), /larger than allowed/);
    assert.equal(allFiles(dir).length, before);
  });

  it("an upload that breaks half way leaves no file under any hash", async () => {
    const before = allFiles(dir).length;
    const content = Buffer.concat([PDF, Buffer.alloc(8000, 0x20)]);
    const broken = new Readable({
      read() {
        this.push(content.subarray(0, 4000));
        this.destroy(new Error("connection reset"));
      },
    });
    await assert.rejects(store.put(broken), /connection reset/);
    assert.equal(await store.has(sha(content)), false);
    assert.equal(await store.has(sha(content.subarray(0, 4000))), false);
    assert.equal(allFiles(dir).length, before);
  });

  it("a crash mid-write leaves only a temp file, swept at the next start", async () => {
    const backend = createLocalBackend(dir);
    const staged = await backend.stage();
    const half = Buffer.from("half a file");
    await new Promise<void>((resolve, reject) => staged.writable.write(half, (err) => (err ? reject(err) : resolve())));
    // The process dies here: no commit, no abort. Nothing is readable under any key.
    const temps = fs.readdirSync(path.join(dir, "tmp"));
    assert.equal(temps.length, 1);
    assert.equal(await store.has(sha(half)), false);
    assert.equal(allFiles(dir).filter((f) => /[0-9a-f]{64}$/.test(f)).length, allFiles(dir).length - 1);
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.join(dir, "tmp", temps[0]!), old, old);
    createLocalBackend(dir);
    assert.deepEqual(fs.readdirSync(path.join(dir, "tmp")), []);
  });

  it("a fresh temp file (another process's live upload) survives a start", async () => {
    const staged = await createLocalBackend(dir).stage();
    createLocalFileStore({ dir, maxBytes: 1024 });
    assert.equal(fs.readdirSync(path.join(dir, "tmp")).length, 1);
    await staged.abort();
    assert.deepEqual(fs.readdirSync(path.join(dir, "tmp")), []);
  });

  it("createLocalFileStore lays files out under ab/cd/<sha256> and applies its allow-list", async () => {
    const own = createLocalFileStore({ dir, maxBytes: 1024, allowedTypes: ["text/plain"] });
    const stored = await own.put(Buffer.from("Xin chào\n"));
    assert.equal(stored.contentType, "text/plain");
    assert.equal(
      localBlobPath(dir, stored.sha256),
      path.join(dir, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256),
    );
    await assert.rejects(own.put(PDF), (err: Error & { code?: string }) => err.code === "files.type_not_allowed");
  });

  it("concurrent puts of the same content both succeed", async () => {
    const content = Buffer.from("Giấy khai sinh — bản sao ".repeat(100));
    const results = await Promise.all(Array.from({ length: 8 }, () => store.put(content)));
    assert.equal(new Set(results.map((r) => r.sha256)).size, 1);
    assert.deepEqual(await read((await store.get(sha(content))).stream), content);
  });

  it("unknown or malformed names are not found, and nothing outside the store is reachable", async () => {
    for (const name of ["0".repeat(64), "../../etc/passwd", "ABC", `${"a".repeat(63)}/`]) {
      await assert.rejects(store.get(name), (err: Error & { code?: string }) => err.code === "files.not_found");
      assert.equal(await store.has(name), false);
    }
  });

  it("an empty file is refused", async () => {
    await assert.rejects(store.put(Buffer.alloc(0)), (err: Error & { code?: string }) => err.code === "files.empty");
  });

  it("verify notices content changed on disk", async () => {
    const stored = await store.put(Buffer.from("original content\n"));
    fs.writeFileSync(localBlobPath(dir, stored.sha256), "tampered content\n");
    assert.equal(await store.verify(stored.sha256), false);
  });
});
