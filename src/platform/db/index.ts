import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type * as PgliteModule from "@electric-sql/pglite";
import type * as Fuzzystrmatch from "@electric-sql/pglite/contrib/fuzzystrmatch";
import type * as PgTrgm from "@electric-sql/pglite/contrib/pg_trgm";
import type * as Unaccent from "@electric-sql/pglite/contrib/unaccent";
import type { SQL } from "drizzle-orm";
import { drizzlePg, drizzlePglite, getTableColumns, getTableName, sql } from "./drizzle.ts";
import type { PgDatabase, PgQueryResultHKT, PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { createHealthMonitor, type DatabaseHealth, discard, embeddedHealth, type HealthMonitor } from "./health.ts";

// PGlite's CommonJS build, the copy Drizzle's PGlite driver requires (./drizzle.ts): one copy, not a second
// as ES modules.
const require = createRequire(import.meta.url);
const { PGlite } = require("@electric-sql/pglite") as typeof PgliteModule;
type PGlite = PgliteModule.PGlite;
const { fuzzystrmatch } = require("@electric-sql/pglite/contrib/fuzzystrmatch") as typeof Fuzzystrmatch;
const { pg_trgm } = require("@electric-sql/pglite/contrib/pg_trgm") as typeof PgTrgm;
const { unaccent } = require("@electric-sql/pglite/contrib/unaccent") as typeof Unaccent;

export { DatabaseUnavailableError, unavailableReason, type UnavailableReason } from "./faults.ts";
export type { DatabaseHealth, HealthProblem } from "./health.ts";

/**
 * The drizzle-orm version this layer was verified against. The layer relies on Drizzle's internals (listed in
 * docs/ARCHITECTURE.md, "The database layer"), which a new version may change: `transaction.test.ts`, the
 * layer's conformance suite, fails while the installed version is another. package.json pins this version.
 */
export const DRIZZLE_VERIFIED_VERSION = "0.45.4";

/** A Drizzle handle: the database itself or an open transaction (a transaction is a PgDatabase too). */
export type Db = PgDatabase<PgQueryResultHKT>;

export type DbKind = "pglite" | "postgres";

export interface Database {
  db: Db;
  kind: DbKind;
  /** Runs `fn` in one transaction; a throw rolls everything back. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Raw SQL rows, for the few places (migrations, health) that need them outside Drizzle. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
  /** The embedded engine, when `kind` is `pglite` (for sharing it over a socket and for test templates). */
  pglite: PGlite | null;
  /** The server pool, when `kind` is `postgres`. */
  pool: pg.Pool | null;
  /** Whether the database can serve now (docs/ARCHITECTURE.md, "When the database fails"). */
  health: DatabaseHealth;
}

export interface OpenOptions {
  databaseUrl: string | null;
  /** Directory of the embedded database; `null` for an in-memory one (tests). */
  pgliteDir: string | null;
  /** A data directory tarball to start the embedded database from (test templates). */
  loadDataDir?: Blob;
  poolMax?: number;
  /** How long making a new connection to the server may take, in ms (default 5,000). */
  connectTimeoutMs?: number;
  /** The server's statement_timeout for every pooled connection, in ms; 0 for none (default 30,000). */
  statementTimeoutMs?: number;
  /** How often the server is checked while it answers, in ms; 0 for never (default 1,000; see `health.ts`). */
  heartbeatMs?: number;
}

/** The application name of the pool's connections on the server (`pg_stat_activity`). */
export const APPLICATION_NAME = "motcua";

/** The extensions motcua's SQL uses; PGlite loads them from its own bundle. */
export const PGLITE_EXTENSIONS = { unaccent, pg_trgm, fuzzystrmatch };

// timestamptz and date values are parsed by us, not by pg's defaults: dates stay `YYYY-MM-DD` strings
// (no shift through the local time zone) and bigint counts come back as JS numbers when they fit.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

/** Opens PGlite (embedded) or a PostgreSQL pool, by configuration. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPool(opts.databaseUrl, opts);
  if (opts.pgliteDir) fs.mkdirSync(path.dirname(opts.pgliteDir), { recursive: true });
  const pglite = await PGlite.create({
    ...(opts.pgliteDir ? { dataDir: opts.pgliteDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: PGLITE_EXTENSIONS,
  });
  const db = drizzlePglite({ client: pglite }) as unknown as Db;
  return wrap(db, "pglite", pglite, null, null, () => pglite.close());
}

/**
 * A PostgreSQL pool that survives its server's faults. Every connection has an error handler, the ones handed out
 * too (node-postgres emits a lost connection's error on its client, and an unhandled one ends the process); a
 * failure that says the server may be gone has it checked (`health.ts`); while it cannot be reached, queries fail
 * at once with `DatabaseUnavailableError`, and the pool makes new connections once it answers again.
 */
function openPool(databaseUrl: string, opts: OpenOptions): Database {
  const statementTimeoutMs = opts.statementTimeoutMs ?? 30_000;
  const client: pg.ClientConfig = {
    connectionString: databaseUrl,
    application_name: APPLICATION_NAME,
    // How long a new connection may take to be made (a silent network), not how long a query may wait for one of
    // the pool's: under load, queries queue for a connection as long as they must.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    // A peer that vanished without closing (a host down, a cut cable) is found by the kernel's keepalive.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
  };
  // pg-pool gives its own connectionTimeoutMillis to both waits; its connections get theirs through their class.
  class PoolClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: client.connectionTimeoutMillis });
    }
  }
  const pool = new pg.Pool({ ...client, connectionTimeoutMillis: 0, max: opts.poolMax ?? 10, Client: PoolClient });
  const connections = new Set<pg.PoolClient>();
  const send = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const health = createHealthMonitor({
    client,
    heartbeatMs: opts.heartbeatMs ?? 1000,
    select1: () => pool.query("SELECT 1"),
    dropConnections: () => {
      for (const c of connections) discard(c);
    },
  });
  pool.on("connect", (c) => {
    connections.add(c);
    c.on("error", health.report);
  });
  pool.on("remove", (c) => connections.delete(c));
  // An idle connection lost: the pool has removed it already.
  pool.on("error", health.report);
  // Drizzle sends every statement outside a transaction through `pool.query`.
  pool.query = ((...args: unknown[]) => {
    const refused = health.refusal();
    return refused ? Promise.reject(refused) : health.guard(send(...args));
  }) as typeof pool.query;
  const db = drizzlePg({ client: pool }) as unknown as Db;
  return wrap(db, "postgres", null, pool, health, async () => {
    health.close();
    await pool.end();
  });
}

/**
 * Statements to run with a transaction's COMMIT, per open transaction (see `runAtCommit`). Only
 * transactions opened by `Database.transaction` have an entry.
 */
const commitTails = new WeakMap<object, string[]>();

/**
 * Queues `statement` (literal SQL: quote values with `literal`) to run just before `tx` commits, in the
 * same round trip as the COMMIT on PostgreSQL, so a write that must always accompany another (an audit
 * entry) adds no wait. A failure rolls the whole transaction back. Returns false when `tx` is not a
 * transaction opened by `Database.transaction`; the caller then runs the statement itself.
 */
export function runAtCommit(tx: Db, statement: string): boolean {
  const tail = commitTails.get(tx);
  if (!tail) return false;
  tail.push(statement);
  return true;
}

/**
 * Runs now the statements queued for `tx`'s COMMIT (`runAtCommit`), so that what the transaction reads next sees
 * them: for a reader that cannot know whether the rows it reads were written in its transaction (a listener of a
 * change reading the changed row back). Costs the round trip the queue saved; nothing when nothing is queued.
 */
export async function runQueuedNow(tx: Db): Promise<void> {
  const tail = commitTails.get(tx);
  if (!tail || tail.length === 0) return;
  // One by one: PGlite's extended protocol takes one statement per query.
  for (const statement of tail.splice(0, tail.length)) await tx.execute(sql.raw(statement));
}

/** Work to do once a transaction has committed (see `afterCommit`), per open transaction. */
const commitCallbacks = new WeakMap<object, Array<() => void>>();

/**
 * Runs `fn` once `tx` has committed (not if it rolls back): for what must follow the data, such as
 * clearing a cache the transaction makes stale, which done inside it could be refilled with the old data
 * before the COMMIT. Outside a transaction opened by `Database.transaction`, runs `fn` at once.
 */
export function afterCommit(tx: Db, fn: () => void): void {
  const callbacks = commitCallbacks.get(tx);
  if (callbacks) callbacks.push(fn);
  else fn();
}

function runCallbacks(callbacks: Array<() => void>): void {
  for (const fn of callbacks) fn();
}

/**
 * Whether `err` is PostgreSQL's unique violation (23505), of `constraint` when it is named: the driver's error, or
 * Drizzle's wrapping of it (a statement run through `tx.execute`, a COMMIT carrying `runAtCommit` statements).
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (const e of [err, (err as { cause?: unknown } | null)?.cause] as Array<{ code?: unknown; constraint?: unknown } | null | undefined>) {
    if (e?.code === "23505" && (constraint === undefined || e.constraint === constraint)) return true;
  }
  return false;
}

/** A value as an SQL literal, for `runAtCommit` statements. */
export function literal(value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("not a finite number");
    return String(value);
  }
  return pg.escapeLiteral(value);
}

const tableColumns = new WeakMap<PgTable, Array<[string, PgTable["_"]["columns"][string]]>>();

/**
 * An INSERT of one row as literal SQL, for `runAtCommit`: each column given in `row` converted as Drizzle
 * converts it (dates to ISO 8601, JSON to text), then quoted by `literal`; the database casts each literal to
 * its column's type. Columns left out take their defaults.
 */
export function literalInsert<T extends PgTable>(table: T, row: Partial<T["$inferInsert"]>): string {
  const names: string[] = [];
  const values: string[] = [];
  let columns = tableColumns.get(table);
  if (!columns) tableColumns.set(table, (columns = Object.entries(getTableColumns(table))));
  for (const [key, column] of columns) {
    const value = (row as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const driver: unknown = value === null ? null : column.mapToDriverValue(value);
    if (typeof driver === "boolean") {
      names.push(pg.escapeIdentifier(column.name));
      values.push(driver ? "TRUE" : "FALSE");
      continue;
    }
    if (driver !== null && typeof driver !== "string" && typeof driver !== "number") {
      throw new Error(`literalInsert: ${getTableName(table)}.${column.name} has a ${typeof driver} value`);
    }
    names.push(pg.escapeIdentifier(column.name));
    values.push(literal(driver));
  }
  return `INSERT INTO ${pg.escapeIdentifier(getTableName(table))} (${names.join(", ")}) VALUES (${values.join(", ")})`;
}

function noNesting(): never {
  throw new Error("nested transaction: pass the open transaction down instead of opening another");
}

/**
 * A transaction's handle, fresh for each transaction (so nothing queued on a handle kept past its transaction
 * can reach another's COMMIT), with the connection's long-lived handle that `prepared` statements are built
 * on and kept by: a pooled connection, or the embedded database's one connection.
 */
interface TxHandle {
  connection: Db;
  open: boolean;
}
const txHandles = new WeakMap<Db, TxHandle>();

function transactionHandle(tx: Db, connection: Db): TxHandle {
  // The handle is bound to one connection outside drizzle's own transaction: another BEGIN on it would
  // commit this one early.
  (tx as unknown as { transaction: unknown }).transaction = noNesting;
  const handle = { connection, open: true };
  txHandles.set(tx, handle);
  return handle;
}

/**
 * A pooled connection as Drizzle sees it: its queries, preceded by the BEGIN of the open transaction when that
 * has not been sent yet. A transaction sends its BEGIN with its first query, or — when everything it does is
 * queued for the commit (`runAtCommit`) — in the one message with those statements and the COMMIT: a
 * transaction of writes alone is one round trip.
 */
interface Gate {
  client: pg.PoolClient;
  /** The open transaction's BEGIN, not sent yet. */
  beginPending: boolean;
  /** The open transaction's BEGIN, once sent: its queries follow it, in the order asked. */
  beginning: Promise<unknown> | null;
  /** The handle Drizzle queries through (`query` sends a pending BEGIN first). */
  view: pg.PoolClient;
}
const gates = new WeakMap<pg.PoolClient, Gate>();

/** `work`, with what it tells of the server told to `health`: an answer, or a failure that may say it is gone. */
function told<R>(health: HealthMonitor, work: Promise<R>): Promise<R> {
  return work.then(
    (value) => {
      health.answered();
      return value;
    },
    (err: unknown) => {
      health.report(err);
      throw err;
    },
  );
}

function gateOf(client: pg.PoolClient, health: HealthMonitor): Gate {
  let gate = gates.get(client);
  if (gate) return gate;
  const g: Gate = { client, beginPending: false, beginning: null, view: undefined as unknown as pg.PoolClient };
  const reported = (work: Promise<unknown>) => told(health, work);
  g.view = {
    query: (...args: unknown[]) => {
      const run = () => reported((client.query as (...a: unknown[]) => Promise<unknown>)(...args));
      if (g.beginPending) {
        g.beginPending = false;
        g.beginning = reported(client.query("BEGIN"));
      }
      // Chained, not queued on the connection beside the BEGIN: a query must never run if the BEGIN failed.
      return g.beginning ? g.beginning.then(run) : run();
    },
  } as unknown as pg.PoolClient;
  gates.set(client, (gate = g));
  return gate;
}

/** The long-lived handle of each pooled connection, for its prepared statements; never handed out. */
const connectionHandles = new WeakMap<pg.PoolClient, Db>();

function connectionHandle(client: pg.PoolClient, health: HealthMonitor): Db {
  let db = connectionHandles.get(client);
  if (!db) connectionHandles.set(client, (db = drizzlePg({ client: gateOf(client, health).view }) as unknown as Db));
  return db;
}

/**
 * A transaction on its own pooled connection; queued commit statements travel with the COMMIT, and the BEGIN
 * with the first query (see `Gate`).
 */
async function poolTransaction<T>(pool: pg.Pool, health: HealthMonitor, fn: (tx: Db) => Promise<T>): Promise<T> {
  const refused = health.refusal();
  if (refused) throw refused;
  // A connection that comes after the server was found unreachable goes straight back.
  const client = await health.guard(pool.connect(), (late) => late.release());
  const reported = <R>(work: Promise<R>) => told(health, work);
  const gate = gateOf(client, health);
  gate.beginPending = true;
  const tx = drizzlePg({ client: gate.view }) as unknown as Db;
  const handle = transactionHandle(tx, connectionHandle(client, health));
  const tail: string[] = [];
  const callbacks: Array<() => void> = [];
  commitTails.set(tx, tail);
  commitCallbacks.set(tx, callbacks);
  let broken: Error | undefined;
  let committed = false;
  try {
    const result = await fn(tx);
    handle.open = false;
    if (gate.beginPending) {
      // Nothing was read or written before the commit: the BEGIN goes with the queued statements, or,
      // with none, the transaction had nothing to do.
      gate.beginPending = false;
      if (!tail.length) {
        committed = true;
        return result;
      }
      tail.unshift("BEGIN");
    }
    tail.push("COMMIT");
    await reported(client.query(tail.join(";\n")));
    committed = true;
    return result;
  } catch (err) {
    // A BEGIN sent with the first query, or with the statements that failed, leaves a transaction to end.
    if (!gate.beginPending) {
      try {
        await reported(client.query("ROLLBACK"));
      } catch (rollbackErr) {
        broken = rollbackErr as Error;
      }
    }
    throw err;
  } finally {
    gate.beginPending = false;
    gate.beginning = null;
    handle.open = false;
    commitTails.delete(tx);
    commitCallbacks.delete(tx);
    client.release(broken);
    if (committed) runCallbacks(callbacks);
  }
}

type EmbeddedTx = Parameters<Parameters<PGlite["transaction"]>[0]>[0];

/** A client whose queries go to `target()`: the open transaction of the embedded database. */
function forwarding(target: () => EmbeddedTx): PGlite {
  return {
    query: (...args: Parameters<EmbeddedTx["query"]>) => target().query(...args),
    exec: (...args: Parameters<EmbeddedTx["exec"]>) => target().exec(...args),
  } as unknown as PGlite;
}

const ENDED = "the transaction has ended: a query on its handle after it";

/**
 * The embedded database's long-lived transaction handle (PGlite runs one transaction at a time), for the
 * statements prepared inside transactions: its queries go to whichever transaction is open.
 */
function embeddedConnection(): { db: Db; open(t: EmbeddedTx): void; close(): void } {
  let current: EmbeddedTx | null = null;
  const db = drizzlePglite({
    client: forwarding(() => {
      if (!current) throw new Error(ENDED);
      return current;
    }),
  }) as unknown as Db;
  return { db, open: (t) => (current = t), close: () => (current = null) };
}

/**
 * A transaction on the embedded database (one connection: PGlite holds every other query until it ends).
 * Queued commit statements run as one simple-protocol message, several times cheaper in PGlite than a
 * statement through the extended protocol.
 */
async function embeddedTransaction<T>(pglite: PGlite, connection: ReturnType<typeof embeddedConnection>, fn: (tx: Db) => Promise<T>): Promise<T> {
  const callbacks: Array<() => void> = [];
  const result = await pglite.transaction(async (client) => {
    const tx = drizzlePglite({
      client: forwarding(() => {
        if (!handle.open) throw new Error(ENDED);
        return client;
      }),
    }) as unknown as Db;
    const handle = transactionHandle(tx, connection.db);
    connection.open(client);
    const tail: string[] = [];
    commitTails.set(tx, tail);
    commitCallbacks.set(tx, callbacks);
    try {
      const result = await fn(tx);
      if (tail.length) await client.exec(tail.join(";\n"));
      return result;
    } finally {
      handle.open = false;
      commitTails.delete(tx);
      commitCallbacks.delete(tx);
      connection.close();
    }
  });
  // PGlite's transaction resolves once it has committed; a throw above skipped this.
  runCallbacks(callbacks);
  return result;
}

/** Something a query builder prepared (`.prepare(name)`). */
interface PreparedQuery {
  execute(values?: Record<string, unknown>): Promise<unknown>;
}

const preparedOn = new WeakMap<Db, Map<string, PreparedQuery>>();
const preparedNames = new Set<string>();

/**
 * A statement of a hot path, built once per connection instead of on every call: the pool, a pooled
 * connection or the embedded database's transaction. `build` gives every value as `sql.placeholder(…)` and
 * ends with `.prepare(name)`; on PostgreSQL the statement is then also parsed and planned once per
 * connection. Each `name` is defined once (PostgreSQL keeps a statement by its name).
 *
 * `const byId = prepared("user_by_id", (db, name) => db.select().from(users).where(eq(users.id, sql.placeholder("id"))).prepare(name));`
 * `await byId(db).execute({ id })`
 */
export function prepared<Q extends PreparedQuery>(name: string, build: (db: Db, name: string) => Q): (db: Db) => Q {
  if (preparedNames.has(name)) throw new Error(`prepared statement ${name} is defined twice`);
  preparedNames.add(name);
  return (db) => {
    const tx = txHandles.get(db);
    if (tx && !tx.open) throw new Error(ENDED);
    const on = tx?.connection ?? db;
    let statements = preparedOn.get(on);
    if (!statements) preparedOn.set(on, (statements = new Map()));
    let q = statements.get(name) as Q | undefined;
    if (!q) statements.set(name, (q = build(on, name)));
    return q;
  };
}

function wrap(db: Db, kind: DbKind, pglite: PGlite | null, pool: pg.Pool | null, health: HealthMonitor | null, close: () => Promise<void>): Database {
  let closed = false;
  const embedded = pglite ? embeddedConnection() : null;
  return {
    db,
    kind,
    pglite,
    pool,
    health: health ?? embeddedHealth(() => (pglite as PGlite).query("SELECT 1")),
    transaction: pool && health
      ? (fn) => poolTransaction(pool, health, fn)
      : (fn) => embeddedTransaction(pglite as PGlite, embedded as ReturnType<typeof embeddedConnection>, fn),
    rows: async <T>(query: SQL) => {
      const res = (await db.execute(query)) as unknown as { rows: T[] };
      return res.rows;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

/** Rows of a raw query on any handle (database or transaction). */
export async function execRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export { sql };
