// The blob backend on local disk: `<dir>/ab/cd/<sha256>`, written through a temp file and a rename.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { type BlobBackend, createFileStore, type FileStore, type StagedBlob } from "./store.ts";

const KEY = /^[0-9a-f]{64}$/;
/** A temp file older than this was left by a crash (a live upload writes at least every few seconds). */
const STALE_TEMP_MS = 60 * 60 * 1000;

export function localBlobPath(dir: string, key: string): string {
  if (!KEY.test(key)) throw new Error("not a SHA-256 key");
  return path.join(dir, key.slice(0, 2), key.slice(2, 4), key);
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Blobs on local disk. Nothing appears under a key until its content is complete and on disk: the bytes
 * go to `tmp/<random>.part`, are fsynced, then renamed into place (atomic on one filesystem), and the
 * directory is fsynced. A crash leaves at most a temp file, removed at the next start.
 */
export function createLocalBackend(dir: string): BlobBackend & { sweepTemp(now?: number): Promise<number> } {
  const tmpDir = path.join(dir, "tmp");
  fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
  // What a crash left behind: no upload of this process can be running yet.
  for (const name of fs.readdirSync(tmpDir)) {
    const file = path.join(tmpDir, name);
    if (Date.now() - fs.statSync(file).mtimeMs > STALE_TEMP_MS) fs.rmSync(file, { force: true });
  }

  return {
    async stage(): Promise<StagedBlob> {
      const tempPath = path.join(tmpDir, `${randomBytes(12).toString("hex")}.part`);
      const fh = await fsp.open(tempPath, "wx", 0o600);
      let closed = false;
      const close = async () => {
        if (!closed) {
          closed = true;
          await fh.close();
        }
      };
      const writable = new Writable({
        write(chunk: Buffer, _enc, cb) {
          fh.write(chunk).then(() => cb(), cb);
        },
        final(cb) {
          fh.sync()
            .then(close)
            .then(() => cb(), cb);
        },
      });
      return {
        writable,
        async commit(key) {
          await close();
          const target = localBlobPath(dir, key);
          await fsp.mkdir(path.dirname(target), { recursive: true });
          try {
            // Same content already stored (content addressing): keep the one in place.
            await fsp.access(target);
            await fsp.rm(tempPath, { force: true });
            return;
          } catch {
            // not there yet
          }
          await fsp.rename(tempPath, target);
          await syncDir(path.dirname(target));
        },
        async abort() {
          writable.destroy();
          await close().catch(() => undefined);
          await fsp.rm(tempPath, { force: true });
        },
      };
    },

    async open(key) {
      const file = localBlobPath(dir, key);
      try {
        const stat = await fsp.stat(file);
        return { stream: fs.createReadStream(file), size: stat.size };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw err;
      }
    },

    async exists(key) {
      try {
        await fsp.access(localBlobPath(dir, key));
        return true;
      } catch {
        return false;
      }
    },

    /** Removes temp files a crash left behind; returns how many. */
    async sweepTemp(now = Date.now()) {
      let removed = 0;
      for (const name of await fsp.readdir(tmpDir)) {
        const file = path.join(tmpDir, name);
        const stat = await fsp.stat(file).catch(() => null);
        if (stat && now - stat.mtimeMs > STALE_TEMP_MS) {
          await fsp.rm(file, { force: true });
          removed += 1;
        }
      }
      return removed;
    },
  };
}

/** A file store on local disk under `dir` (normally `<dataDir>/files`). */
export function createLocalFileStore(opts: { dir: string; maxBytes: number; allowedTypes?: readonly string[] }): FileStore {
  return createFileStore({
    backend: createLocalBackend(opts.dir),
    maxBytes: opts.maxBytes,
    ...(opts.allowedTypes ? { allowedTypes: opts.allowedTypes } : {}),
  });
}
