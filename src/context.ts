// The composition root: the platform's mechanisms, built once from the configuration and the database,
// then every module of `src/modules.ts` on top of them. The web app, the worker and the CLI run on a Context.
import { MODULES } from "./modules.ts";
import { auditKey, createAuditLog } from "./platform/audit/index.ts";
import { type Clock, systemClock } from "./platform/clock.ts";
import { type ComposedModule, composeModules, seedsOf } from "./platform/compose.ts";
import { type Config, dataPaths } from "./platform/config/index.ts";
import type { Database } from "./platform/db/index.ts";
import type { Seed } from "./platform/db/seeds.ts";
import { createEventBus } from "./platform/events.ts";
import { createFileStore, createLocalBackend } from "./platform/files/index.ts";
import { createJobQueue } from "./platform/jobs/index.ts";
import { createLogger, type Logger } from "./platform/log/index.ts";
import { createMailer } from "./platform/mail/index.ts";
import type { ModuleDefinition, ModuleOptions, Platform, Services } from "./platform/module.ts";
import { nodeSecret } from "./platform/secrets.ts";
import { createSignals } from "./platform/signals.ts";

/** The platform and every module's services (`ctx.dossiers`, `ctx.calendar`…), and the modules themselves. */
export type Context = Platform &
  Services & {
    /** The modules, composed in their order: what builds the web app, the worker, the CLI and the seeds. */
    readonly modules: readonly ComposedModule[];
  };

export interface ContextOptions {
  clock?: Clock;
  logger?: Logger;
  /** The modules to compose; every module of motcua by default (a test adds its own). */
  modules?: readonly ModuleDefinition[];
  /** Settings for modules beyond the configuration (tests). */
  options?: Partial<ModuleOptions>;
}

/** The platform's mechanisms: nothing here knows a module. */
export function createPlatform(config: Config, database: Database, opts: ContextOptions = {}): Platform {
  const clock = opts.clock ?? systemClock;
  const jobs = createJobQueue();
  const logger = opts.logger ?? createLogger(config.logLevel);
  // Once when the database is found unavailable (or why changes) and once when it is back: not per request.
  database.health.onChange((problem, previous) => {
    if (problem) logger.warn({ reason: problem.reason }, "database unavailable: requests answer 503 platform.unavailable until it is back");
    else if (previous) logger.info({ reason: previous.reason, downMs: Date.now() - previous.since.getTime() }, "database available again");
  });
  return {
    config,
    database,
    clock,
    logger,
    jobs,
    files: createFileStore({ backend: createLocalBackend(dataPaths(config).files), maxBytes: config.maxUploadBytes }),
    audit: createAuditLog({ database, clock, key: auditKey(config.auditKey, config.dataDir) }),
    mail: createMailer({ jobs, smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir }),
    events: createEventBus(),
    signals: createSignals({
      kind: database.kind,
      databaseUrl: config.databaseListenUrl ?? config.databaseUrl,
      onError: (err, context) => logger.warn({ err }, context),
    }),
    secret: (name) => nodeSecret(config, name),
    options: opts.options ?? {},
  };
}

export function createContext(config: Config, database: Database, opts: ContextOptions = {}): Context {
  const platform = createPlatform(config, database, opts);
  const { services, modules } = composeModules(platform, opts.modules ?? MODULES);
  return { ...platform, ...(services as Services), modules };
}

/** Reference data and demo data of every module, in the modules' order (each loads once per database). */
export function seeds(ctx: Context): Seed[] {
  return seedsOf(ctx.modules);
}
