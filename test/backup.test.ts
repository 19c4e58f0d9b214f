// Backups that restore (issue 13, item 9): `motcua backup` writes one archive of a node — its database (PGlite's
// data directory, or pg_dump of PostgreSQL), its stored files and its key files, with a manifest of checksums —
// and `motcua restore` loads it into an empty data directory (and an empty PostgreSQL database), where the audit
// chain verifies and a dossier's file reads back with the same hash. A damaged archive and a target that is not
// empty are refused before anything is written.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openContext } from "../src/boot.ts";
import { runCommand, runOffline } from "../src/cli/commands.ts";
import { type Context, createContext } from "../src/context.ts";
import { readEntries } from "../src/platform/backup/archive.ts";
import { type Config, dataPaths, loadConfig } from "../src/platform/config/index.ts";
import { openDatabase } from "../src/platform/db/index.ts";
import { migrate, readMigrations } from "../src/platform/db/migrate.ts";
import { createLogger } from "../src/platform/log/index.ts";
import type { TestAccount } from "../src/modules/identity/testing.ts";
import { actorOf, buildProvincialProcedure, dossierSetting, formOf, PDF, publishProcedures } from "../src/modules/dossiers/testing.ts";
import { pgliteTemplateBlob } from "./helpers/db.ts";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/motcua.js");

/** How many entries the node's audit chain holds (it must verify). */
async function sealedOf(ctx: Context): Promise<number> {
  const report = await ctx.audit.verify();
  assert.ok(report.ok, JSON.stringify(report));
  return report.sealed;
}

/** A node's configuration on its own data directory (and database). */
function nodeConfig(dataDir: string, databaseUrl: string | null): Config {
  return { ...loadConfig(), dataDir, databaseUrl, logLevel: "silent", demo: false, auditKey: null, secret: null };
}

/** Runs a command as the CLI would, in `cwd`; returns its exit code and what it printed. */
async function cli(run: (out: { write(t: string): void; cwd: string }) => Promise<number>, cwd: string): Promise<{ code: number; text: string }> {
  let text = "";
  const code = await run({ write: (t) => void (text += t), cwd });
  return { code, text };
}

/** A filed dossier with a paper, as the applicant makes it; the id and the paper's hash. */
type Made = { id: string; sha256: string; fileId: string; citizen: TestAccount };
async function fileDossier(ctx: Context): Promise<Made> {
  const s = await dossierSetting(ctx);
  const procedure = await publishProcedures(ctx, buildProvincialProcedure(s.place, { name: "Cấp phiếu thử nghiệm sao lưu" }));
  const { citizen } = s.cast;
  const owner = actorOf(ctx, citizen);
  const { dossier } = await ctx.dossiers.create(owner, { procedureCode: procedure.code, agencyCode: s.place.centre, formData: formOf(citizen), requestId: randomUUID() });
  const paper = await ctx.dossiers.attach(owner, dossier.id, { component: "to-khai", source: Readable.from(PDF), declaredName: "to-khai.pdf" });
  await ctx.dossiers.submit(owner, dossier.id);
  return { id: dossier.id, sha256: paper.sha256, fileId: paper.id, citizen };
}

/** What the restored node shows: its audit chain, the dossier and its paper's hash as read through the service. */
async function check(config: Config, made: Made, sealed: number): Promise<void> {
  const opened = await openContext(config, { migrateAndSeed: false, logger: createLogger("silent") });
  try {
    const { ctx } = opened;
    assert.deepEqual(await migrate(ctx.database), [], "the schema came back whole: nothing to apply");
    assert.equal(await sealedOf(ctx), sealed, "every sealed entry is back, and the chain verifies");
    const owner = actorOf(ctx, made.citizen);
    const d = await ctx.dossiers.get(owner, made.id);
    assert.equal(d.status, "new");
    const { file, stream } = await ctx.dossiers.file(owner, made.id, made.fileId);
    const hash = createHash("sha256");
    for await (const chunk of stream) hash.update(chunk as Buffer);
    assert.equal(hash.digest("hex"), made.sha256);
    assert.equal(file.sha256, made.sha256);
  } finally {
    await opened.close();
  }
}

const tmp = (label: string) => fs.mkdtempSync(path.join(os.tmpdir(), `motcua-${label}-`));

describe("backup and restore on PGlite", () => {
  let work: string;
  let source: { ctx: Context; close(): Promise<void> };
  let made: Made;
  let sealed = 0;
  let written: { code: number; text: string };
  const archive = () => path.join(work, "node.backup");

  before(async () => {
    work = tmp("backup-work");
    const config = nodeConfig(tmp("backup-src"), null);
    // The node's embedded database on disk, started from the migrated template.
    const database = await openDatabase({ databaseUrl: null, pgliteDir: dataPaths(config).pgdata, loadDataDir: await pgliteTemplateBlob() });
    const ctx = createContext(config, database, { logger: createLogger("silent") });
    source = { ctx, close: async () => (await database.close(), fs.rmSync(config.dataDir, { recursive: true, force: true })) };
    made = await fileDossier(ctx);
    written = await cli((out) => runCommand(ctx, ["backup", "node.backup"], out), work);
    sealed = await sealedOf(ctx);
  });
  after(async () => {
    await source.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("writes one archive: the database, the stored files, the key files, then the manifest with their checksums", async () => {
    assert.equal(written.code, 0, written.text);
    assert.match(written.text, /backup written: .*node\.backup .*pglite database with \d+ migrations, 1 stored files, \d key files/);
    assert.ok(sealed > 0);
    const names = (await readEntries(archive())).map((e) => e.name);
    assert.deepEqual([names[0], names.at(-1)], ["database/pglite-datadir.tar.gz", "manifest.json"]);
    assert.ok(names.includes(`files/${made.sha256.slice(0, 2)}/${made.sha256.slice(2, 4)}/${made.sha256}`), names.join(" "));
    assert.ok(names.includes("keys/audit.key"));
    assert.equal(fs.statSync(archive()).mode & 0o777, 0o600, "it holds personal data and keys");
    const manifest = JSON.parse(spawnSync("tar", ["-xOf", archive(), "manifest.json"], { encoding: "utf8" }).stdout);
    assert.equal(manifest.format, "motcua-backup");
    assert.equal(manifest.migrations.applied.length, readMigrations().length);
    assert.deepEqual(manifest.entries.map((e: { name: string }) => e.name), names.slice(0, -1));
    assert.equal((await cli((out) => runCommand(source.ctx, ["backup", "node.backup"], out), work)).code, 1, "never over an existing file");
  });

  it("restores into an empty data directory: the audit chain verifies and the dossier's file reads back with its hash", async () => {
    const target = nodeConfig(tmp("restore-pglite"), null);
    try {
      const r = await cli((out) => runOffline(target, ["restore", archive()], out), work);
      assert.equal(r.code, 0, r.text);
      assert.match(r.text, /every entry matches its checksum/);
      assert.match(r.text, /audit log intact: \d+ entries in the chain/);
      await check(target, made, sealed);

      // Again on the same directory: not empty now.
      const again = await cli((out) => runOffline(target, ["restore", "node.backup"], out), work);
      assert.equal(again.code, 1);
      assert.match(again.text, /restore refused: the target is not empty .*pgdata/);
      const forced = await cli((out) => runOffline(target, ["restore", "node.backup", "--force"], out), work);
      assert.equal(forced.code, 0, forced.text);
      const aside = /now in (\S+)/.exec(forced.text)![1]!;
      assert.ok(fs.existsSync(path.join(aside, "pgdata")) && fs.existsSync(path.join(aside, "audit.key")), "what was there is set aside, not deleted");
      await check(target, made, sealed);
    } finally {
      fs.rmSync(target.dataDir, { recursive: true, force: true });
    }
  });

  it("refuses a damaged or cut-short archive before it writes anything", async () => {
    const target = nodeConfig(tmp("restore-damaged"), null);
    try {
      const entries = await readEntries(archive());
      const blob = entries.find((e) => e.name.startsWith("files/"))!;
      const bytes = fs.readFileSync(archive());
      bytes[blob.offset + 3] = bytes[blob.offset + 3]! ^ 0x01;
      fs.writeFileSync(path.join(work, "damaged.backup"), bytes);
      const damaged = await cli((out) => runOffline(target, ["restore", "damaged.backup"], out), work);
      assert.equal(damaged.code, 1);
      assert.match(damaged.text, /damaged: files\/.* does not match its checksum/);
      fs.writeFileSync(path.join(work, "cut.backup"), fs.readFileSync(archive()).subarray(0, entries.at(-1)!.offset - 512));
      const cut = await cli((out) => runOffline(target, ["restore", "cut.backup"], out), work);
      assert.equal(cut.code, 1);
      assert.match(cut.text, /cut short/);
      assert.deepEqual(fs.readdirSync(target.dataDir), [], "nothing was written");
    } finally {
      fs.rmSync(target.dataDir, { recursive: true, force: true });
    }
  });

  it("motcua restore opens no database: an archive that is not there leaves the data directory empty", () => {
    const dataDir = tmp("restore-cli");
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, MOTCUA_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
      delete env.DATABASE_URL;
      const r = spawnSync(process.execPath, [BIN, "restore", "no-such.backup"], { cwd: work, env, encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /restore refused: .*no-such\.backup does not exist/);
      assert.deepEqual(fs.readdirSync(dataDir), []);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// PostgreSQL: the machine's server (CI's, or the one DATABASE_URL names), with databases of this test's own.
const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
const withDatabase = (name: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();

// CI has PostgreSQL: there it must be reached; elsewhere these run when a server answers.
if (process.env.CI || (await reachable())) {
  describe("backup and restore on PostgreSQL (pg_dump, pg_restore)", () => {
    const names = { src: `motcua_backup_${process.pid}_src`, dst: `motcua_backup_${process.pid}_dst` };
    const admin = () => new pg.Client({ connectionString: ADMIN_URL });
    let work: string;
    let source: Awaited<ReturnType<typeof openContext>>;
    let made: Made;

    before(async () => {
      work = tmp("backup-pg");
      const c = admin();
      await c.connect();
      for (const db of Object.values(names)) {
        await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
        await c.query(`CREATE DATABASE "${db}"`);
      }
      await c.end();
      source = await openContext(nodeConfig(tmp("backup-pg-src"), withDatabase(names.src)), { logger: createLogger("silent") });
      made = await fileDossier(source.ctx);
    });
    after(async () => {
      const dir = source.ctx.config.dataDir;
      await source.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(work, { recursive: true, force: true });
      const c = admin();
      await c.connect();
      for (const db of Object.values(names)) await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      await c.end();
    });

    it("backs up with pg_dump and restores with pg_restore into an empty database: audit chain and files intact", async () => {
      const r = await cli((out) => runCommand(source.ctx, ["backup", "pg.backup"], out), work);
      assert.equal(r.code, 0, r.text);
      assert.match(r.text, /postgres database/);
      const sealed = await sealedOf(source.ctx);
      assert.equal((await readEntries(path.join(work, "pg.backup")))[0]!.name, "database/postgres.dump");

      // Into PGlite: refused, the kinds differ.
      const embedded = nodeConfig(tmp("restore-pg-as-pglite"), null);
      const wrong = await cli((out) => runOffline(embedded, ["restore", "pg.backup"], out), work);
      fs.rmSync(embedded.dataDir, { recursive: true, force: true });
      assert.equal(wrong.code, 1);
      assert.match(wrong.text, /holds a postgres database, and this node is configured for pglite/);

      const target = nodeConfig(tmp("restore-pg"), withDatabase(names.dst));
      try {
        const restored = await cli((out) => runOffline(target, ["restore", "pg.backup"], out), work);
        assert.equal(restored.code, 0, restored.text);
        assert.match(restored.text, /audit log intact/);
        await check(target, made, sealed);
        // The database is not empty now.
        const again = await cli((out) => runOffline(target, ["restore", "pg.backup"], out), work);
        assert.equal(again.code, 1);
        assert.match(again.text, /the target is not empty .*the database of DATABASE_URL/);
      } finally {
        fs.rmSync(target.dataDir, { recursive: true, force: true });
      }
    });
  });
}
