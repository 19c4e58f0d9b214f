import fs from "node:fs";
import path from "node:path";

/** The embedded database is held by another live process. */
export class DataDirBusy extends Error {
  override name = "DataDirBusy";
  constructor(
    readonly pid: number,
    readonly lockPath: string,
  ) {
    super(`the data directory is in use by process ${pid} (${lockPath})`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid holding the lock, if that process is still alive. */
export function lockHolder(lockPath: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, "utf8");
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
}

/**
 * Takes the data directory's lock: PGlite is one process's database, and two processes opening the
 * same files would corrupt them. A lock left by a dead process is taken over. Returns the release.
 */
export function acquireLock(lockPath: string): () => void {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx", 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        try {
          if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.on("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = lockHolder(lockPath);
      if (holder !== null) throw new DataDirBusy(holder, lockPath);
      try {
        fs.unlinkSync(lockPath); // stale: its process is gone
      } catch {
        // another process took it over first; try again
      }
    }
  }
  throw new Error(`could not take the lock ${lockPath}`);
}
