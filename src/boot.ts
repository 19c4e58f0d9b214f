import { type Config, dataPaths } from "./platform/config/index.ts";
import { type Context, type ContextOptions, createContext, seeds } from "./context.ts";
import { openDatabase } from "./platform/db/index.ts";
import { acquireLock } from "./platform/db/lock.ts";
import { migrate } from "./platform/db/migrate.ts";
import { runSeeds } from "./platform/db/seeds.ts";

export { dataPaths };

export interface Opened {
  ctx: Context;
  close(): Promise<void>;
}

/**
 * Opens the database for this process (taking the data directory's lock on PGlite), applies
 * pending migrations and loads the seeds not yet loaded. `migrateAndSeed: false` skips both.
 */
export async function openContext(
  config: Config,
  opts: ContextOptions & { migrateAndSeed?: boolean } = {},
): Promise<Opened> {
  const paths = dataPaths(config);
  const release = config.databaseUrl ? () => undefined : acquireLock(paths.lock);
  let database;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: paths.pgdata,
      poolMax: config.databasePoolMax,
      ...config.databaseFaults,
    });
  } catch (err) {
    release();
    throw err;
  }
  const ctx = createContext(config, database, opts);
  const close = async () => {
    await ctx.signals.stop();
    await database.close();
    release();
  };
  try {
    if (opts.migrateAndSeed !== false) {
      const applied = await migrate(database);
      if (applied.length) ctx.logger.info({ applied }, "migrations applied");
      const seeded = await runSeeds(database, seeds(ctx), { demo: config.demo });
      if (seeded.length) ctx.logger.info({ seeded }, "seed data loaded");
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { ctx, close };
}
