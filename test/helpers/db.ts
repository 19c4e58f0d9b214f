import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { loadConfig } from "../../src/platform/config/index.ts";
import { type Database, openDatabase } from "../../src/platform/db/index.ts";
import { createHash } from "node:crypto";
import { migrate, MIGRATIONS_DIR, migrationsDigest, readMigrations } from "../../src/platform/db/migrate.ts";
import { runSeeds } from "../../src/platform/db/seeds.ts";
import { referenceDigest, referenceSeeds } from "./reference-data.ts";

/**
 * A fresh, migrated database for one test file, with the reference data loaded (`referenceSeeds`: office hours,
 * holidays, provinces and communes, recorded as seeded): PGlite loaded from a template (made once per schema
 * and reference data and cached), or, when DATABASE_URL is set, a new PostgreSQL database cloned from a
 * template database. Closing it drops it.
 */
export async function testDatabase(): Promise<Database> {
  const { databaseUrl } = loadConfig();
  return databaseUrl ? postgresDatabase(databaseUrl) : pgliteDatabase();
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "motcua-test");

/** Names a template: the schema (migrations), the reference data in it, and how it is made (this file). */
function templateDigest(): string {
  const maker = fs.readFileSync(fileURLToPath(import.meta.url));
  return createHash("sha256").update(`${migrationsDigest()} ${referenceDigest()} `).update(maker).digest("hex").slice(0, 16);
}

/** Migrates a new database and loads the reference data into it. */
async function prepareTemplate(db: Database): Promise<void> {
  await migrate(db);
  await runSeeds(db, referenceSeeds(), { demo: false });
}

/** The template's file, made when missing. */
async function pgliteTemplate(): Promise<string> {
  // Uncompressed: each test file loads it, and gunzipping its ~40 MB cost every one of them a tenth of a second.
  const name = `template-${templateDigest()}.tar`;
  const file = path.join(CACHE, name);
  if (fs.existsSync(file)) return file;
  const db = await openDatabase({ databaseUrl: null, pgliteDir: null });
  await prepareTemplate(db);
  // Only the database the tests use: template0 and template1 (nothing here makes a database) were 15 of the 42 MB
  // and half the files every test file's load unpacked, a quarter of its time.
  await db.pglite!.exec("UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')");
  // A test database holds a few megabytes and one connection: PostgreSQL's 128 MB of shared buffers and 100
  // connections' shared memory were set up by every load for nothing (16 MB and 10: a load -20% CPU).
  // One statement each: DROP DATABASE and ALTER SYSTEM run outside a transaction block.
  // The write-ahead log the template was made with (~11 MB of its 16 MB segment) is not needed once checkpointed:
  // the last statements start a new segment, and the checkpoint removes the old one instead of keeping it for reuse
  // (wal_recycle, this session's setting: in PGlite the checkpoint runs in the session).
  for (const statement of [
    "DROP DATABASE template0",
    "DROP DATABASE template1",
    "ALTER SYSTEM SET shared_buffers = '16MB'",
    "ALTER SYSTEM SET max_connections = 10",
    "SET wal_recycle = off",
    "SELECT pg_switch_wal()",
    "CHECKPOINT",
  ]) {
    await db.pglite!.exec(statement);
  }
  const dump = await db.pglite!.dumpDataDir("none");
  await db.close();
  fs.mkdirSync(CACHE, { recursive: true });
  // Parallel test files may all make it; each writes a private file and links it into place unless another's is
  // there already. Never replaced once there: a test process reading it lazily (`openAsBlob`) fails when the file
  // under it changes, which a rename over it did to the first test files of a run on a new schema.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, trimWal(new Uint8Array(await dump.arrayBuffer())));
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  // Templates of an earlier schema or data are not used again.
  for (const old of fs.readdirSync(CACHE)) if (/^template-[0-9a-f]+\.tar(\.gz)?$/.test(old) && old !== name) fs.rmSync(path.join(CACHE, old), { force: true });
  return file;
}

const TAR_BLOCK = 512;
const WAL_PAGE = 8192;

/**
 * The template's archive with its write-ahead log segment cut after the page that ends the log, and one page of
 * zeros: the segment is 16 MB, all zeros but its first page after the checkpoint, and every test file's load copied
 * those 16 MB three times (the archive read, its entries cut out, PGlite's in-memory files), more than half of
 * each load's bytes. PostgreSQL reads the log from the checkpoint to the first page of zeros and goes on writing
 * from there, growing the file as it goes. A segment with anything after the kept pages is left whole.
 */
function trimWal(tar: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset + TAR_BLOCK <= tar.length) {
    const header = tar.slice(offset, offset + TAR_BLOCK);
    if (header.every((b) => b === 0)) break;
    const name = new TextDecoder().decode(header.subarray(0, 100)).replace(/\0.*$/s, "");
    const size = parseInt(new TextDecoder().decode(header.subarray(124, 136)).replace(/[\0 ]/g, "") || "0", 8);
    let data = tar.subarray(offset + TAR_BLOCK, offset + TAR_BLOCK + size);
    offset += TAR_BLOCK + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
    if (/(^|\/)pg_wal\/[0-9A-F]{24}$/.test(name)) {
      let end = data.length;
      while (end > 0 && data[end - 1] === 0) end--;
      const keep = Math.min(data.length, (Math.ceil(end / WAL_PAGE) + 1) * WAL_PAGE);
      if (keep < data.length) {
        data = data.subarray(0, keep);
        header.set(new TextEncoder().encode(`${keep.toString(8).padStart(11, "0")}\0`), 124);
        header.fill(32, 148, 156);
        const sum = header.reduce((a, b) => a + b, 0);
        header.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
      }
    }
    parts.push(header, data, new Uint8Array((TAR_BLOCK - (data.length % TAR_BLOCK)) % TAR_BLOCK));
  }
  parts.push(new Uint8Array(2 * TAR_BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The migrated template with the reference data, as PGlite loads it: a Blob read from the file as it is loaded. */
export async function pgliteTemplateBlob(): Promise<Blob> {
  return fs.openAsBlob(await pgliteTemplate());
}

async function pgliteDatabase(): Promise<Database> {
  // A Blob read from the file as PGlite loads it: the ~40 MB are not read into memory first and copied.
  return openDatabase({ databaseUrl: null, pgliteDir: null, loadDataDir: await pgliteTemplateBlob() });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let counter = 0;

/**
 * The heartbeat of the suite's databases (platform/db/health.ts): every 5 s, a server silent for 10 s counted
 * unavailable. A machine running the whole suite at once can starve a `SELECT 1` of the CPU for seconds; the
 * default (1 s, 2 s) is the fault tests' to prove (test/faults/).
 */
export const TEST_HEARTBEAT_MS = 5000;

async function postgresDatabase(baseUrl: string): Promise<Database> {
  return (await postgresDatabaseAt(baseUrl)).database;
}

/** The PostgreSQL server of tests that need one whatever the suite runs on: DATABASE_URL's, else the machine's. */
export const LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * A fresh, migrated PostgreSQL database with the reference data, and its URL (for other processes to open it),
 * on DATABASE_URL's server or, when the suite runs on PGlite, on the machine's PostgreSQL (127.0.0.1:5432): for the
 * tests of what only a server does (several nodes on one database, LISTEN/NOTIFY). Closing it drops it.
 */
export async function serverDatabase(): Promise<{ database: Database; url: string }> {
  return postgresDatabaseAt(loadConfig().databaseUrl ?? LOCAL_POSTGRES);
}

async function postgresDatabaseAt(baseUrl: string): Promise<{ database: Database; url: string }> {
  const base = new URL(baseUrl).pathname.slice(1) || "postgres";
  const template = `${base}_tpl_${templateDigest()}`.slice(0, 63);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    // One test process at a time makes the template; the others wait on this lock and find it made.
    await admin.query("SELECT pg_advisory_lock(727002)");
    try {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
      if (exists.rowCount === 0) {
        await admin.query(`CREATE DATABASE "${template}"`);
        const db = await openDatabase({ databaseUrl: withDatabase(baseUrl, template), pgliteDir: null, poolMax: 1, heartbeatMs: 0 });
        try {
          await prepareTemplate(db);
        } catch (err) {
          // A half-made template must not be found made by the next run.
          await db.close();
          await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
          throw err;
        } finally {
          await db.close();
        }
      }
    } finally {
      await admin.query("SELECT pg_advisory_unlock(727002)");
    }
    const name = `${base}_t${process.pid}_${++counter}`.slice(0, 63);
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (err) {
        // Another clone of the same template is in progress ("source database is being accessed").
        if (attempt >= 20 || (err as { code?: string }).code !== "55006") throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    const url = withDatabase(baseUrl, name);
    const db = await openDatabase({ databaseUrl: url, pgliteDir: null, poolMax: 10, heartbeatMs: TEST_HEARTBEAT_MS });
    const close = db.close;
    db.close = async () => {
      await close();
      const dropper = new pg.Client({ connectionString: baseUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    };
    return { database: db, url };
  } finally {
    await admin.end();
  }
}

/**
 * The statements a database is sent outside transactions from now on (their SQL text), until `stop`: for a test
 * that proves how many round trips something took. It watches the pool (PostgreSQL) or the embedded database's
 * `query` (PGlite), which is where Drizzle sends a statement that runs on its own.
 */
export function watchStatements(database: Database): { texts: string[]; stop(): void } {
  const texts: string[] = [];
  const target = (database.pool ?? database.pglite) as unknown as { query: (...args: unknown[]) => unknown };
  const original = target.query;
  target.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    texts.push(typeof first === "string" ? first : String((first as { text?: string }).text));
    return original.apply(this, args);
  };
  return { texts, stop: () => void (target.query = original) };
}

/**
 * An embedded database migrated up to, not including, `migration` (a file name without `.sql`), for a test of what
 * that migration does to rows written before it; `applyIt()` then applies it (and returns the names applied). The
 * test templates are migrated to the end, so it is a database of its own; closing it removes its folder of
 * migrations.
 */
export async function databaseBefore(migration: string): Promise<{ database: Database; applyIt(): Promise<string[]>; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-before-"));
  const copy = (name: string) => fs.copyFileSync(path.join(MIGRATIONS_DIR, `${name}.sql`), path.join(dir, `${name}.sql`));
  const all = readMigrations();
  if (!all.some((m) => m.name === migration)) throw new Error(`no migration ${migration}`);
  for (const m of all.filter((m) => m.name < migration)) copy(m.name);
  const database = await openDatabase({ databaseUrl: null, pgliteDir: null });
  await migrate(database, dir);
  return {
    database,
    applyIt: async () => {
      copy(migration);
      return migrate(database, dir);
    },
    close: async () => {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
