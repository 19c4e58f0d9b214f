import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "./drizzle.ts";
import { execRows, type Database } from "./index.ts";

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../migrations");

export interface Migration {
  /** The number the file name starts with: migrations apply in this order. */
  id: number;
  name: string;
  sha256: string;
  statements: string[];
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

/**
 * Reads `migrations/NNNN_name.sql` in order. drizzle-kit writes them; hand-written ones (extensions,
 * triggers) are made with `drizzle-kit generate --custom` so the numbering stays one sequence.
 */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const id = Number(file.slice(0, 4));
    if (seen.has(id)) throw new MigrationError(`two migrations are numbered ${id}: fix ${file}`);
    seen.add(id);
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const statements = text
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter((s) => s.replace(/--.*$/gm, "").trim() !== "");
    return { id, name: file.replace(/\.sql$/, ""), sha256: createHash("sha256").update(text).digest("hex"), statements };
  });
}

/** A digest of every migration file, naming a schema version (used to cache test templates). */
export function migrationsDigest(dir = MIGRATIONS_DIR): string {
  const h = createHash("sha256");
  for (const m of readMigrations(dir)) h.update(`${m.name}:${m.sha256}\n`);
  return h.digest("hex").slice(0, 16);
}

// A fixed advisory lock key: concurrent starts on one PostgreSQL server migrate one at a time.
const MIGRATION_LOCK = 727_001;

/**
 * Applies every migration not yet recorded in `motcua_migrations`, each in its own transaction.
 * A migration already applied whose file changed afterwards is refused: migrations are append-only.
 * Returns the names applied.
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  await database.db.execute(sql`
    CREATE TABLE IF NOT EXISTS motcua_migrations (
      id integer PRIMARY KEY,
      name text NOT NULL,
      sha256 text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const applied: string[] = [];
  for (const m of readMigrations(dir)) {
    const done = await database.transaction(async (tx) => {
      // A migration (an index on a large table) and the wait for another node's may outlast the pool's
      // statement_timeout, which is for the requests'.
      await tx.execute(sql`SET LOCAL statement_timeout = 0`);
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const rows = await execRows<{ sha256: string }>(tx, sql`SELECT sha256 FROM motcua_migrations WHERE id = ${m.id}`);
      const existing = rows[0];
      if (existing) {
        if (existing.sha256 !== m.sha256) {
          throw new MigrationError(`migration ${m.name} was changed after it was applied; add a new migration instead`);
        }
        return false;
      }
      for (const statement of m.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`INSERT INTO motcua_migrations (id, name, sha256) VALUES (${m.id}, ${m.name}, ${m.sha256})`);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}
