// `motcua backup <file>` and `motcua restore <file> [--force]`. A backup runs where the database is open (inside
// the running server when it holds the embedded one); a restore runs before any database is opened, on an empty
// data directory, and refuses while a server holds it.
import path from "node:path";
import type { AuditLog } from "../audit/index.ts";
import { type Command, type OfflineCommand, UsageError } from "../cli.ts";
import type { Config } from "../config/index.ts";
import type { Database } from "../db/index.ts";
import { backup, BackupRefused, restore } from "./index.ts";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const backupCommand: Command<{ config: Config; database: Database; audit: AuditLog }> = {
  words: ["backup"],
  usage: "motcua backup <file>",
  summary: "write the database, the stored files and the node's key files into one archive with checksums (mode 0600: it holds personal data and keys)",
  async run({ config, database, audit }, args, out) {
    if (args.length !== 1 || args[0]!.startsWith("--")) throw new UsageError("name the archive to write");
    const file = path.resolve(out.cwd ?? process.cwd(), args[0]!);
    // Every entry made so far gets its place in the chain, so the backup's chain verifies as a whole.
    await audit.seal();
    try {
      const r = await backup({ config, database }, file);
      out.write(`backup written: ${r.file} (${mb(r.bytes)}): ${r.database} database with ${r.migrations} migrations, ${r.blobs} stored files, ${r.keys} key files\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof BackupRefused)) throw err;
      out.write(`backup refused: ${err.message}\n`);
      return 1;
    }
  },
};

export const restoreCommand: OfflineCommand = {
  words: ["restore"],
  usage: "motcua restore <file> [--force]",
  summary: "load a backup into an empty data directory (and the empty database of DATABASE_URL), checking every checksum first, then verify its audit chain; --force sets aside what is there",
  async run(config, args, out) {
    const force = args.includes("--force");
    const rest = args.filter((a) => a !== "--force");
    if (rest.length !== 1 || rest[0]!.startsWith("--")) throw new UsageError(rest.find((a) => a.startsWith("--")) ? `unknown option ${rest.find((a) => a.startsWith("--"))}` : "name the archive to restore");
    const file = path.resolve(out.cwd ?? process.cwd(), rest[0]!);
    try {
      const r = await restore(config, file, { force, say: (line) => out.write(`${line}\n`) });
      if (r.audit.ok) {
        out.write(`audit log intact: ${r.audit.sealed} entries in the chain, ${r.audit.seals} seals, ${r.audit.unsealed} pending\nrestored into ${config.dataDir}\n`);
        return 0;
      }
      out.write(`restored into ${config.dataDir}, but the AUDIT LOG DOES NOT VERIFY (${r.audit.problem}): ${r.audit.message}\n`);
      return 1;
    } catch (err) {
      if (!(err instanceof BackupRefused)) throw err;
      out.write(`restore refused: ${err.message}\n`);
      return 1;
    }
  },
};
