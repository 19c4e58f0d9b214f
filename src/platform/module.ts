// The module contract (docs/ARCHITECTURE.md, "Adding a module"). A module is one folder under
// `src/modules` whose `index.ts` exports one definition made with `defineModule`; the ordered list in
// `src/modules.ts` builds the services, the web app, the worker, the CLI and the authorization matrix.
import type { AuditLog } from "./audit/index.ts";
import type { Command, OfflineCommand } from "./cli.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config/index.ts";
import type { Database, Db } from "./db/index.ts";
import type { Seed } from "./db/seeds.ts";
import type { EventBus, EventListener, EventMap } from "./events.ts";
import type { FileStore } from "./files/index.ts";
import type { App } from "./http/types.ts";
import type { JobDefinition, JobQueue } from "./jobs/index.ts";
import type { Logger } from "./log/index.ts";
import type { Mailer } from "./mail/index.ts";
import type { Role } from "./auth/actor.ts";
import type { Signals } from "./signals.ts";

/** What every module is given: the platform's mechanisms, none of them domain knowledge. */
export interface Platform {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Job definitions and schedules are the modules' `jobs`/`schedules`; services enqueue here. */
  jobs: JobQueue;
  files: FileStore;
  /** The tamper-evident audit log: `record(tx, entry)` in the transaction that makes a change. */
  audit: AuditLog;
  /** Outgoing mail, through the job queue. */
  mail: Mailer;
  /** Published events (`listens` of the modules): `publish(tx, name, event)` in the change's transaction. */
  events: EventBus;
  /**
   * Signals between the nodes (`send(tx, name, payload)` in the change's transaction, `on(name, fn)` when the
   * services are built): what a node keeps in memory and another node's change makes stale.
   */
  signals: Signals;
  /** A named secret of this node (derived from MOTCUA_SECRET, or kept in the data directory). */
  secret(name: string): string;
  /** Settings a test or an embedding program gives a module beyond the configuration. */
  options: Partial<ModuleOptions>;
}

/**
 * The services the modules provide, by name. Each module declares its own here (declaration merging in
 * its `index.ts`), so `needs` and `build` are typed by name:
 *
 *     declare module "../../platform/module.ts" { interface Services { directory: DirectoryService } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules
export interface Services {}

/** Options a module accepts from the program that composes it (its tests): declared like `Services`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules
export interface ModuleOptions {}

export type ServiceName = keyof Services & string;

/** What a module's parts receive: the platform, the services it needs, its own services and its own parts. */
export type ModuleDeps<Needs extends ServiceName, Provides extends ServiceName, Parts extends object = object> = Platform &
  Pick<Services, Needs | Provides> &
  Parts;

/** A link in the portal's or the office's menu. */
export interface NavEntry {
  area: "portal" | "office";
  href: string;
  label: { vi: string; en: string };
  /** Shown only to holders of one of these roles (the page itself still checks access). */
  roles?: readonly Role[];
  /** Position in the menu, smallest first (the home link is 0). */
  order: number;
}

/** The text of a module's pages: every key in both languages (`en` is typed by `vi`). */
export interface Messages<Key extends string = string> {
  vi: Readonly<Record<Key, string>>;
  en: Readonly<Record<Key, string>>;
}

/** A Fastify plugin of a module's routes or pages. */
export type ModulePlugin = (app: App, opts: Record<never, never>) => Promise<void>;

export interface ModuleSpec<Needs extends ServiceName, Provides extends ServiceName, Parts extends object = object> {
  /** The folder's name; unique. */
  name: string;
  /** The services it is given besides the platform's; they must be provided by modules listed before it. */
  needs: readonly Needs[];
  /** The services it provides to the modules listed after it (and to the web app, the CLI, the tests). */
  provides: readonly Provides[];
  /** Builds its services from the platform and the services it needs (nothing is started here). */
  build(deps: Platform & Pick<Services, Needs>): { [K in Provides]: Services[K] };
  /**
   * Pieces of its own that its routes, jobs and listeners share but no other module sees (a listener and
   * the job it queues), built once after `build`.
   */
  parts?: (deps: ModuleDeps<Needs, Provides>) => Parts;
  /** Its API routes; each route declares its access in its config (`config: { access }`). */
  routes?: (deps: ModuleDeps<Needs, Provides, Parts>) => ModulePlugin[];
  /** Its pages, built with the web kit; access declared on each route as for `routes`. */
  pages?: (deps: ModuleDeps<Needs, Provides, Parts>) => ModulePlugin[];
  /** Hooks on the whole application (who the actor of a request is): registered before any route. */
  http?: (app: App, deps: ModuleDeps<Needs, Provides, Parts>) => void;
  /** The jobs it runs; registered on the queue when the modules are composed. */
  jobs?: (deps: ModuleDeps<Needs, Provides, Parts>) => Array<JobDefinition<never>>;
  /** Recurring jobs: job name → cron (Asia/Ho_Chi_Minh time). */
  schedules?: Readonly<Record<string, string>>;
  /** Reference and demo data, loaded once per database, in the modules' order. */
  seeds?: (deps: ModuleDeps<Needs, Provides, Parts>) => Seed[];
  /** Its `motcua …` commands. */
  commands?: ReadonlyArray<Command<ModuleDeps<Needs, Provides, Parts>>>;
  /**
   * Its `motcua …` commands that run before the database is opened, on the configuration alone (a process of its
   * own that needs no database, such as a simulator): never inside a running server.
   */
  offlineCommands?: readonly OfflineCommand[];
  /** Its entries in the portal's and the office's menus. */
  nav?: readonly NavEntry[];
  /**
   * The text of its pages, keyed (the web kit's `defineMessages`, whose typed translator its pages use); the
   * app registers it beside the kit's, and refuses a key another module defines too.
   */
  messages?: Messages;
  /** What it does when another module (or itself) publishes an event, in the publisher's transaction. */
  listens?: { [E in keyof EventMap]?: (deps: ModuleDeps<Needs, Provides, Parts>) => EventListener<E> };
}

/** A module as the composition sees it (its types erased to what the composition needs). */
export interface ModuleDefinition {
  readonly name: string;
  readonly needs: readonly string[];
  readonly provides: readonly string[];
  readonly spec: ModuleSpec<ServiceName, ServiceName, object>;
}

/** Declares a module. `needs` and what `build` returns are checked against `Services` by name. */
export function defineModule<Needs extends ServiceName = never, Provides extends ServiceName = never, Parts extends object = object>(
  spec: ModuleSpec<Needs, Provides, Parts>,
): ModuleDefinition {
  if (!/^[a-z][a-z0-9-]*$/.test(spec.name)) throw new Error(`module name "${spec.name}" must be a folder name (a-z, 0-9, -)`);
  return { name: spec.name, needs: spec.needs, provides: spec.provides, spec: spec as unknown as ModuleSpec<ServiceName, ServiceName, object> };
}

/** A listener's transaction, re-exported for modules that listen. */
export type { Db };
