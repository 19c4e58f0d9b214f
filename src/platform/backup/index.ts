// Backups that restore (issue 13, item 9): one archive file holding the database (PGlite's data directory as it
// dumps it, or `pg_dump --format=custom` of the PostgreSQL database), the file store's blobs, the node's key files
// of the data directory (the audit log's seal key among them) and, last, a manifest with the version, the
// migrations applied, the time and each entry's size and SHA-256. A restore checks all of it before it writes
// anything, loads it into an empty data directory (and, on PostgreSQL, an empty database), then verifies the audit
// chain of what it loaded.
import { spawn } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebStream } from "node:stream/web";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createAuditLog, type VerifyReport } from "../audit/index.ts";
import { systemClock } from "../clock.ts";
import { childEnv, type Config, dataPaths } from "../config/index.ts";
import { type Database, type DbKind, openDatabase, sql } from "../db/index.ts";
import { acquireLock } from "../db/lock.ts";
import { migrationsDigest, readMigrations } from "../db/migrate.ts";
import { ArchiveDamaged, entryHash, entryStream, readEntries, TarWriter } from "./archive.ts";

export const BACKUP_FORMAT = "motcua-backup";
export const BACKUP_FORMAT_VERSION = 1;
const MANIFEST = "manifest.json";
const DATABASE_ENTRY: Record<DbKind, string> = { pglite: "database/pglite-datadir.tar.gz", postgres: "database/postgres.dump" };
/** The node's secrets kept in the data directory (`platform/secrets.ts`: audit.key, the derived keys). */
const KEY_FILE = /^[a-z0-9][a-z0-9._-]{0,80}\.key$/i;
const BLOB_ENTRY = /^files\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  /** motcua's version (package.json) that made it. */
  motcuaVersion: string;
  createdAt: string;
  database: { kind: DbKind; entry: string; serverVersion: string };
  /** The migrations applied to the database backed up, and the digest of those the program that made it knew. */
  migrations: { digest: string; applied: Array<{ id: number; name: string; sha256: string }> };
  /** Every entry but the manifest, in the archive's order. */
  entries: Array<{ name: string; size: number; sha256: string }>;
}

/** A backup or restore that must not go on: the message says why and what to do. */
export class BackupRefused extends Error {
  override name = "BackupRefused";
}

function motcuaVersion(): string {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** A connection URL without its password, and the password for the child's PGPASSWORD (never on a command line). */
function connection(url: string): { url: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { url: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** Runs pg_dump or pg_restore; rejects with what it printed when it fails. */
function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: childEnv(env), stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()).length > 64_000 && (stderr = stderr.slice(-32_000)));
    child.on("error", (err) => reject(new BackupRefused(`${command} could not be run (${err.message}): install the PostgreSQL client tools of the server's version`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new BackupRefused(`${command} failed (exit ${code}): ${stderr.trim().slice(-2000)}`))));
  });
}

/** The blobs of the file store: `files/ab/cd/<sha256>` → path. */
async function blobs(dir: string): Promise<Array<{ name: string; file: string }>> {
  const out: Array<{ name: string; file: string }> = [];
  const names = async (d: string) => (await fsp.readdir(d).catch(() => [] as string[])).sort();
  for (const a of await names(dir)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of await names(path.join(dir, a))) {
      if (!/^[0-9a-f]{2}$/.test(b)) continue;
      for (const key of await names(path.join(dir, a, b))) {
        if (/^[0-9a-f]{64}$/.test(key) && key.startsWith(a + b)) out.push({ name: `files/${a}/${b}/${key}`, file: path.join(dir, a, b, key) });
      }
    }
  }
  return out;
}

async function keyFiles(dataDir: string): Promise<string[]> {
  const names = await fsp.readdir(dataDir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const name of names.sort()) if (KEY_FILE.test(name) && (await fsp.stat(path.join(dataDir, name))).isFile()) out.push(name);
  return out;
}

async function appliedMigrations(database: Database): Promise<Manifest["migrations"]["applied"]> {
  const rows = await database.rows<{ id: number; name: string; sha256: string }>(sql`SELECT id, name, sha256 FROM motcua_migrations ORDER BY id`);
  return rows.map((r) => ({ id: Number(r.id), name: r.name, sha256: r.sha256 }));
}

export interface BackupReport {
  file: string;
  bytes: number;
  database: DbKind;
  blobs: number;
  keys: number;
  migrations: number;
}

/**
 * Writes a backup of the node to `target` (a new file). The database first, then the file store: a file is stored
 * before the row that names it commits, so every file the dumped database names is in the store by then. Throws
 * BackupRefused.
 */
export async function backup(deps: { config: Config; database: Database }, target: string): Promise<BackupReport> {
  const { config, database } = deps;
  if (fs.existsSync(target) || fs.existsSync(`${target}.partial`)) throw new BackupRefused(`${target} exists already: name a new file`);
  const paths = dataPaths(config);
  const writer = await TarWriter.create(target);
  const entries: Manifest["entries"] = [];
  const add = async (name: string, size: number, source: AsyncIterable<Uint8Array>) => entries.push({ name, size, sha256: await writer.add(name, size, source) });
  const scratch = `${target}.dump.partial`;
  try {
    const applied = await appliedMigrations(database);
    const [{ version } = { version: "" }] = await database.rows<{ version: string }>(sql`SELECT current_setting('server_version') AS version`);
    if (database.kind === "pglite") {
      const pglite = database.pglite!;
      // PGlite dumps its files between two statements; a checkpoint first puts every committed change in them
      // (what a later commit adds is in the write-ahead log the dump carries too).
      await pglite.exec("CHECKPOINT");
      const dump = await pglite.dumpDataDir("gzip");
      await add(DATABASE_ENTRY.pglite, dump.size, Readable.fromWeb(dump.stream() as WebStream<Uint8Array>));
    } else {
      const { url, env } = connection(config.databaseUrl!);
      await run("pg_dump", ["--format=custom", "--no-sync", `--file=${scratch}`, `--dbname=${url}`], env);
      await add(DATABASE_ENTRY.postgres, (await fsp.stat(scratch)).size, fs.createReadStream(scratch));
      await fsp.rm(scratch, { force: true });
    }
    const keys = await keyFiles(config.dataDir);
    for (const name of keys) {
      const file = path.join(config.dataDir, name);
      await add(`keys/${name}`, (await fsp.stat(file)).size, fs.createReadStream(file));
    }
    const stored = await blobs(paths.files);
    for (const b of stored) await add(b.name, (await fsp.stat(b.file)).size, fs.createReadStream(b.file));
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      motcuaVersion: motcuaVersion(),
      createdAt: new Date().toISOString(),
      database: { kind: database.kind, entry: DATABASE_ENTRY[database.kind], serverVersion: version },
      migrations: { digest: migrationsDigest(), applied },
      entries,
    };
    const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await writer.add(MANIFEST, text.length, [text]);
    await writer.finish();
    return { file: target, bytes: (await fsp.stat(target)).size, database: database.kind, blobs: stored.length, keys: keys.length, migrations: applied.length };
  } catch (err) {
    await writer.abort();
    await fsp.rm(scratch, { force: true });
    throw err;
  }
}

/** Reads and checks an archive's manifest and entries against this program. Throws BackupRefused. */
export async function inspect(source: string, kind: DbKind): Promise<{ manifest: Manifest; entries: Map<string, { offset: number; size: number }> }> {
  let found;
  try {
    found = await readEntries(source);
  } catch (err) {
    if (err instanceof ArchiveDamaged) throw new BackupRefused(`${source} is damaged: ${err.message}`);
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new BackupRefused(`${source} does not exist`);
    throw err;
  }
  const last = found.at(-1);
  // The manifest is written last: an archive cut short has none.
  if (last?.name !== MANIFEST) throw new BackupRefused(`${source} has no manifest at its end: it is not a motcua backup, or it was cut short`);
  let manifest: Manifest;
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of entryStream(source, last)) chunks.push(chunk);
    manifest = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Manifest;
  } catch {
    throw new BackupRefused(`${source}: its manifest is not readable`);
  }
  if (manifest.format !== BACKUP_FORMAT || manifest.formatVersion !== BACKUP_FORMAT_VERSION) throw new BackupRefused(`${source} is not a motcua backup of format ${BACKUP_FORMAT_VERSION}`);
  if (manifest.database.kind !== kind) {
    throw new BackupRefused(`${source} holds a ${manifest.database.kind} database, and this node is configured for ${kind} (DATABASE_URL): restore it where it came from`);
  }
  const known = new Map(readMigrations().map((m) => [m.id, m]));
  for (const m of manifest.migrations.applied) {
    const ours = known.get(m.id);
    if (!ours || ours.sha256 !== m.sha256) throw new BackupRefused(`${source} was made by another version of motcua (migration ${m.name} is not this program's): restore it with motcua ${manifest.motcuaVersion}`);
  }
  const entries = new Map(found.slice(0, -1).map((e) => [e.name, { offset: e.offset, size: e.size }]));
  const listed = manifest.entries.map((e) => e.name);
  if (listed.length !== entries.size || !listed.every((n) => entries.has(n))) throw new BackupRefused(`${source}: its entries are not those its manifest lists`);
  for (const e of manifest.entries) {
    const blob = BLOB_ENTRY.exec(e.name);
    const ok = e.name === manifest.database.entry || (e.name.startsWith("keys/") && KEY_FILE.test(e.name.slice(5))) || (blob !== null && blob[3] === e.sha256 && blob[3].startsWith(blob[1]! + blob[2]!));
    if (!ok || !/^[0-9a-f]{64}$/.test(e.sha256)) throw new BackupRefused(`${source}: entry ${e.name} is not one a backup holds`);
  }
  if (!entries.has(manifest.database.entry)) throw new BackupRefused(`${source} holds no database`);
  return { manifest, entries };
}

export interface RestoreReport {
  database: DbKind;
  blobs: number;
  keys: number;
  /** Where what was in the way went (`--force`), or null. */
  setAside: string | null;
  audit: VerifyReport | { ok: false; problem: "no_key"; message: string };
}

/** What of the target is not empty: the reasons a restore without --force refuses. */
async function occupied(config: Config): Promise<string[]> {
  const paths = dataPaths(config);
  const found: string[] = [];
  if (!config.databaseUrl && (await fsp.readdir(paths.pgdata).catch(() => [])).length) found.push(paths.pgdata);
  if ((await blobs(paths.files)).length) found.push(paths.files);
  for (const k of await keyFiles(config.dataDir)) found.push(path.join(config.dataDir, k));
  if (config.databaseUrl) {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      const r = await client.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`);
      if ((r.rows[0] as { n: number }).n > 0) found.push(`the database of DATABASE_URL (${(r.rows[0] as { n: number }).n} tables, views or sequences)`);
    } finally {
      await client.end();
    }
  }
  return found;
}

/**
 * Restores the backup at `source` into this node's data directory (and, on PostgreSQL, the database of
 * DATABASE_URL), which must be empty unless `force` (what is in the way is moved aside into the data directory;
 * on PostgreSQL the backup's objects are dropped first). Every entry's checksum is checked before anything is
 * written. Throws BackupRefused; reports the audit chain of what it loaded.
 */
export async function restore(config: Config, source: string, opts: { force?: boolean; say?: (line: string) => void } = {}): Promise<RestoreReport> {
  const say = opts.say ?? (() => undefined);
  const kind: DbKind = config.databaseUrl ? "postgres" : "pglite";
  const { manifest, entries } = await inspect(source, kind);
  say(`backup of ${manifest.createdAt} by motcua ${manifest.motcuaVersion}: ${manifest.database.kind} ${manifest.database.serverVersion}, ${manifest.migrations.applied.length} migrations, ${manifest.entries.length} entries`);
  const paths = dataPaths(config);
  const release = acquireLock(paths.lock);
  try {
    const inTheWay = await occupied(config);
    if (inTheWay.length && !opts.force) throw new BackupRefused(`the target is not empty (${inTheWay.join(", ")}): restore into an empty data directory and database, or give --force`);
    for (const e of manifest.entries) {
      const at = entries.get(e.name)!;
      if (at.size !== e.size || (await entryHash(source, { name: e.name, ...at })) !== e.sha256) throw new BackupRefused(`${source} is damaged: ${e.name} does not match its checksum`);
    }
    say("every entry matches its checksum");

    let setAside: string | null = null;
    if (inTheWay.length) {
      setAside = path.join(config.dataDir, `before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`);
      await fsp.mkdir(setAside, { recursive: true, mode: 0o700 });
      const moved = [kind === "pglite" ? paths.pgdata : null, paths.files, ...(await keyFiles(config.dataDir)).map((k) => path.join(config.dataDir, k))];
      for (const p of moved) if (p && fs.existsSync(p)) await fsp.rename(p, path.join(setAside, path.basename(p)));
      say(`what was in the way is now in ${setAside}`);
    }

    let blobCount = 0;
    let keyCount = 0;
    for (const e of manifest.entries) {
      const at = { name: e.name, ...entries.get(e.name)! };
      if (e.name.startsWith("keys/")) {
        await pipeline(entryStream(source, at), fs.createWriteStream(path.join(config.dataDir, e.name.slice(5)), { flags: "wx", mode: 0o600 }));
        keyCount += 1;
      } else if (e.name.startsWith("files/")) {
        const file = path.join(paths.files, e.name.slice("files/".length));
        await fsp.mkdir(path.dirname(file), { recursive: true });
        await pipeline(entryStream(source, at), fs.createWriteStream(file, { flags: "wx", mode: 0o600 }));
        blobCount += 1;
      }
    }
    say(`restored ${blobCount} stored files and ${keyCount} key files`);

    const dbEntry = { name: manifest.database.entry, ...entries.get(manifest.database.entry)! };
    let database: Database;
    if (kind === "pglite") {
      // PGlite starts from the dumped data directory, read in place from the archive (the slice is not copied).
      const dump = (await fs.openAsBlob(source)).slice(dbEntry.offset, dbEntry.offset + dbEntry.size, "application/x-gzip");
      database = await openDatabase({ databaseUrl: null, pgliteDir: paths.pgdata, loadDataDir: dump });
    } else {
      const scratch = path.join(config.dataDir, `restore-${process.pid}.dump`);
      try {
        await pipeline(entryStream(source, dbEntry), fs.createWriteStream(scratch, { flags: "w", mode: 0o600 }));
        const { url, env } = connection(config.databaseUrl!);
        const clean = opts.force ? ["--clean", "--if-exists"] : [];
        await run("pg_restore", ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", ...clean, `--dbname=${url}`, scratch], env);
      } finally {
        await fsp.rm(scratch, { force: true });
      }
      database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: null, poolMax: 2 });
    }
    try {
      const applied = await appliedMigrations(database);
      if (JSON.stringify(applied) !== JSON.stringify(manifest.migrations.applied)) throw new BackupRefused("the restored database does not hold the migrations its manifest lists");
      say(`database restored (${applied.length} migrations)`);
      const key = config.auditKey ?? (await fsp.readFile(path.join(config.dataDir, "audit.key"), "utf8").then((t) => t.trim(), () => null));
      const audit: RestoreReport["audit"] = key
        ? await createAuditLog({ database, clock: systemClock, key }).verify()
        : { ok: false, problem: "no_key", message: "no audit key: set MOTCUA_AUDIT_KEY to the key of the node backed up, then run `motcua audit verify`" };
      return { database: kind, blobs: blobCount, keys: keyCount, setAside, audit };
    } finally {
      await database.close();
    }
  } finally {
    release();
  }
}
