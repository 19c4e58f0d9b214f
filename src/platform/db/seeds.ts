import { and, eq } from "./drizzle.ts";
import type { Database, Db } from "./index.ts";
import { motcuaSeeds } from "./tables.ts";

export interface Seed {
  /** Stable name, e.g. `directory.admin-units`. */
  name: string;
  /** Bump to load a new edition of the same seed. */
  version: string;
  /** Demo data is loaded only when the deployment asks for it (MOTCUA_DEMO). */
  demo?: boolean;
  run(tx: Db): Promise<void>;
}

/**
 * Runs each seed not yet recorded, in the order given, each in one transaction with its record,
 * so a crash leaves either the whole seed or none of it. Returns the names run.
 */
export async function runSeeds(database: Database, seeds: Seed[], opts: { demo: boolean }): Promise<string[]> {
  const ran: string[] = [];
  for (const seed of seeds) {
    if (seed.demo && !opts.demo) continue;
    const done = await database.transaction(async (tx) => {
      const inserted = await tx
        .insert(motcuaSeeds)
        .values({ name: seed.name, version: seed.version })
        .onConflictDoNothing()
        .returning({ name: motcuaSeeds.name });
      if (inserted.length === 0) return false;
      await seed.run(tx);
      return true;
    });
    if (done) ran.push(seed.name);
  }
  return ran;
}

export async function seedApplied(db: Db, name: string, version: string): Promise<boolean> {
  const rows = await db
    .select({ name: motcuaSeeds.name })
    .from(motcuaSeeds)
    .where(and(eq(motcuaSeeds.name, name), eq(motcuaSeeds.version, version)));
  return rows.length > 0;
}
