import type { ClientMetadata } from "oidc-provider";
import path from "node:path";
import type { Config } from "./platform/config/index.ts";
import type { Database } from "./platform/db/index.ts";
import type { Seed } from "./platform/db/seeds.ts";
import { type Clock, systemClock } from "./platform/clock.ts";
import { createLogger, type Logger } from "./platform/log/index.ts";
import { createMailer } from "./platform/mail/index.ts";
import { createFileStore, createLocalBackend, type FileStore } from "./platform/files/index.ts";
import { createJobQueue, type JobQueue, pruneJobsJob } from "./platform/jobs/index.ts";
import { type AuditLog, auditKey, auditSealJob, createAuditLog } from "./platform/audit/index.ts";
import { type CalendarService, holidaysSeed, makeCalendarService, officeHoursSeed } from "./platform/calendar/index.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "./modules/directory/seeds.ts";
import { type DirectoryService, makeDirectoryService } from "./modules/directory/service.ts";
import { createOidc, type Oidc, oidcHousekeepingJob } from "./modules/oidc/index.ts";
import { nodeSecret } from "./platform/secrets.ts";
import { demoAccountsSeed, type IdentityService, makeIdentityService } from "./modules/identity/index.ts";
import { makeSecondFactor, type SecondFactor } from "./modules/identity/second-factor.ts";
import { FEDERATION_PATH } from "./modules/identity/federation.tsx";
import { type CatalogService, demoCatalogSeed, makeCatalogService } from "./modules/catalog/index.ts";
import { type DossierService, latenessJob, makeDossierService } from "./modules/dossiers/index.ts";
import { catalogLookup, directoryLookup } from "./modules/dossiers/lookups.ts";
import { makeNationalSync } from "./modules/dossiers/national-sync.ts";
import { makeNotifier } from "./modules/dossiers/notifications.ts";
import { type FormsService, makeFormsService } from "./modules/dossiers/service.forms.ts";

/**
 * The composition root: every service of the platform and the modules, built once from the
 * configuration and the database. The web app, the worker and the CLI all run on a Context.
 */
export interface Context {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** The job queue: modules register their job definitions and schedules here, services enqueue. */
  jobs: JobQueue;
  /** Content-addressed file store (attachments, results, exchanged documents). */
  files: FileStore;
  /** The tamper-evident audit log: `record(tx, entry)` in the transaction that makes a change. */
  audit: AuditLog;
  /** Working time: deadlines, days off, office hours (DOMAIN.md §4). */
  calendar: CalendarService;
  directory: DirectoryService;
  /** Accounts, sign-in, sessions and roles. */
  identity: IdentityService;
  /** TOTP second factor of officers and administrators. */
  secondFactor: SecondFactor;
  /** The OpenID Connect provider: single sign-on, access tokens. */
  oidc: Oidc;
  /** Administrative procedures: versions, publishing, search. */
  catalog: CatalogService;
  /** The one-stop core: dossiers from filing to the returned result. */
  dossiers: DossierService;
  /** The Circular 01/2018 forms of dossiers and the register. */
  dossierForms: FormsService;
}

export interface ContextOptions {
  /** Extra OIDC relying parties (tests). */
  oidcClients?: ClientMetadata[];
  clock?: Clock;
  logger?: Logger;
}

export function createContext(config: Config, database: Database, opts: ContextOptions = {}): Context {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const jobs = createJobQueue();
  const audit = createAuditLog({ database, clock, key: auditKey(config.auditKey, config.dataDir) });
  jobs.register(pruneJobsJob, auditSealJob(audit));
  jobs.schedule("jobs.prune", "0 3 * * *");
  jobs.schedule("audit.seal", "* * * * *");
  const calendar = makeCalendarService({ database, audit, clock });
  const directory = makeDirectoryService({ database, audit });
  const files = createFileStore({
    backend: createLocalBackend(path.join(config.dataDir, "files")),
    maxBytes: config.maxUploadBytes,
  });
  const mail = createMailer({ jobs, smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir });
  const identity = makeIdentityService({ database, clock, audit, directory, mail, publicUrl: config.publicUrl });
  const oidc = createOidc({
    database,
    clock,
    audit,
    identity,
    publicUrl: config.publicUrl,
    cookieSecret: nodeSecret(config, "oidc-cookies"),
    stepUpPath: config.federation ? FEDERATION_PATH : null,
    ...(opts.oidcClients ? { clients: opts.oidcClients } : {}),
  });
  jobs.register(oidcHousekeepingJob(oidc));
  jobs.schedule("oidc.housekeeping", "40 3 * * *");
  const secondFactor = makeSecondFactor({ database, clock, audit, key: nodeSecret(config, "totp") });
  const catalog = makeCatalogService({ database, clock, audit, directory, searchCacheSeconds: config.searchCacheSeconds });
  // In every dossier change's transaction: the applicant's and officers' mail, the national portal's sync.
  const hooks = [
    makeNotifier({ jobs, mail, identity, publicUrl: config.publicUrl, catalog: catalogLookup(catalog) }),
    makeNationalSync({ jobs, endpoint: config.nationalSync, catalog: catalogLookup(catalog), directory: directoryLookup(directory) }),
  ];
  const dossiers = makeDossierService({ database, clock, audit, calendar, catalog, directory, identity, files, hooks, lookupsPerMinute: config.lookupsPerMinute });
  const dossierForms = makeFormsService({ database, clock, catalog, directory, publicUrl: config.publicUrl });
  jobs.register(latenessJob(dossiers));
  jobs.schedule("dossiers.flag_lateness", "*/15 * * * *");
  return { config, database, clock, logger, jobs, audit, files, calendar, directory, identity, secondFactor, oidc, catalog, dossiers, dossierForms };
}

/** Reference data and demo data, in load order (each loads once per database). */
export function seeds(ctx: Context): Seed[] {
  return [
    officeHoursSeed(),
    holidaysSeed(),
    adminUnitsSeed(),
    demoAgenciesSeed(ctx.directory),
    demoAccountsSeed(ctx.identity, ctx.logger),
    demoCatalogSeed(ctx.catalog),
  ];
}
