// Whether the PostgreSQL server can serve, as the layer finds out (docs/ARCHITECTURE.md, "When the database
// fails"). A heartbeat on a connection of its own notices a server that stopped answering; a failure of any query
// that says the server may be gone (`faults.ts`) has it checked at once. While it cannot be reached, queries fail
// at once instead of waiting on a dead network, and it is checked again every half heartbeat until it answers.
import pg from "pg";
import { DatabaseUnavailableError, markDatabaseFailure, unavailability, type UnavailableReason } from "./faults.ts";

/** The database cannot serve: why, and since when. */
export interface HealthProblem {
  reason: UnavailableReason;
  since: Date;
}

/** What a node knows of its database's health. */
export interface DatabaseHealth {
  /** Why the database cannot serve now, as last found; null while it serves. */
  readonly problem: HealthProblem | null;
  /** Checks the database now (for `/healthz`): the problem found, or null when it answers. */
  check(): Promise<HealthProblem | null>;
  /** Calls `fn` whenever a problem is found, changes or goes (`problem` null); returns the unsubscribe. */
  onChange(fn: (problem: HealthProblem | null, previous: HealthProblem | null) => void): () => void;
}

/** The health of the embedded database: in process, it has no network to lose. */
export function embeddedHealth(select1: () => Promise<unknown>): DatabaseHealth {
  return {
    problem: null,
    check: async () => {
      try {
        await select1();
        return null;
      } catch {
        return { reason: "unreachable", since: new Date() };
      }
    },
    onChange: () => () => undefined,
  };
}

export interface HealthMonitorOptions {
  /** How the probes and the heartbeat connect (the pool's settings). */
  client: pg.ClientConfig;
  /**
   * How often the heartbeat runs while the server answers, in ms (0: none). A heartbeat unanswered for twice as
   * long (at least a second) while no other query got an answer either, or a probe that fails, counts the server
   * unavailable; a probe runs every half heartbeat while it is.
   */
  heartbeatMs: number;
  /** A statement through the pool, for `check()`. */
  select1(): Promise<unknown>;
  /** Drops every connection of the pool: once the server stopped answering, they are presumed stuck. */
  dropConnections(): void;
}

/** The layer's side of the health: what the pool asks before and after each query. */
export interface HealthMonitor extends DatabaseHealth {
  /** The error to fail a query with at once, while the server cannot be reached; null when it may be tried. */
  refusal(): DatabaseUnavailableError | null;
  /** The server answered a query (any answer: a row, an error of its own): it is not silent. */
  answered(): void;
  /**
   * `work`, its failure reported; it fails at once if the server is found unreachable meanwhile. What `work` gives
   * after that goes to `late` (a connection to give back).
   */
  guard<T>(work: Promise<T>, late?: (value: T) => void): Promise<T>;
  /**
   * A failure of one of the database's connections, marked as the database's (`markDatabaseFailure`): one that
   * says the server may be gone has it checked at once. Every failure the layer passes on goes through here.
   */
  report(err: unknown): void;
  close(): void;
}

/** An application name of the health checks' own connections, for telling them apart (`pg_stat_activity`). */
export const HEALTH_APPLICATION_NAME = "motcua-health";

/**
 * A probe: a new connection, a statement, and a write that must find room on disk (a temporary table's first
 * page is a new block of a file: a full disk fails it with 53100, as it fails the application's inserts).
 */
const PROBE = "BEGIN; CREATE TEMPORARY TABLE motcua_health_probe (x int) ON COMMIT DROP; INSERT INTO motcua_health_probe VALUES (1); COMMIT";

const noop = () => undefined;

/** Ends a connection without waiting on a server that may not answer (its queries fail at once). */
export function discard(client: pg.Client | pg.PoolClient): void {
  // pg's socket (Client.connection.stream): end() would wait for the server to close its side.
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

export function createHealthMonitor(opts: HealthMonitorOptions): HealthMonitor {
  // A statement's answer is due within two heartbeats; a new connection within the pool's connect timeout (a
  // backend to start, which a server busy with its disk can be slow to do).
  const timeoutMs = Math.max(1000, 2 * opts.heartbeatMs);
  const connectMs = Math.max(timeoutMs, opts.client.connectionTimeoutMillis ?? 0);
  const probeEveryMs = Math.max(100, Math.floor(opts.heartbeatMs / 2) || 500);
  const listeners = new Set<(problem: HealthProblem | null, previous: HealthProblem | null) => void>();
  const waiters = new Set<(err: DatabaseUnavailableError) => void>();
  let problem: HealthProblem | null = null;
  /** When the server last answered anything, on any connection (`performance.now()`). */
  let lastAnswer = 0;
  let probing: Promise<void> | null = null;
  let heartbeat: pg.Client | null = null;
  let beating = false;
  let closed = false;

  const blocking = () => problem !== null && problem.reason !== "disk_full";

  function set(reason: UnavailableReason | null): void {
    const previous = problem;
    if (reason === null) {
      if (!previous) return;
      problem = null;
    } else {
      if (previous?.reason === reason) return;
      problem = { reason, since: previous?.since ?? new Date() };
    }
    if (blocking()) {
      const err = new DatabaseUnavailableError(reason!);
      for (const fail of [...waiters]) fail(err);
      waiters.clear();
    }
    for (const fn of listeners) fn(problem, previous);
  }

  function client(name: string): pg.Client {
    const c = new pg.Client({ ...opts.client, application_name: name, connectionTimeoutMillis: connectMs, keepAlive: false });
    c.on("error", noop);
    // The checks never keep a process alive by themselves (a test, a command that ends): pg's Client.unref
    // (its socket's), which @types/pg does not declare.
    (c as unknown as { unref(): void }).unref();
    return c;
  }

  /** `work`, or a timeout once it has not settled in `ms` (answers already read count as in time). */
  function timed<T>(work: Promise<T>, ms = timeoutMs): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        // After the event loop's poll: an answer that arrived while the loop was busy is read first.
        setImmediate(() => reject(new DatabaseUnavailableError("timeout")));
      }, ms);
      timer.unref();
      work.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e as Error);
        },
      );
    });
  }

  /** One probe on a new connection: null when the server answers and can write, else why not. */
  async function probeOnce(): Promise<UnavailableReason | null> {
    const c = client(HEALTH_APPLICATION_NAME);
    try {
      await timed(c.connect(), connectMs);
      await timed(c.query(PROBE));
      void c.end().catch(noop);
      return null;
    } catch (err) {
      discard(c);
      // Something else than unavailability (a refused temporary table): the server answered.
      return unavailability(err)?.reason ?? null;
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }

  /** Probes until the server answers; the problem is what the last probe found. */
  function probe(): void {
    if (probing || closed) return;
    probing = (async () => {
      try {
        for (;;) {
          const started = performance.now();
          let reason = await probeOnce();
          if (closed) return;
          if (reason === "timeout") {
            // Slow, not silent, when other queries got answers meanwhile (a server under load is slow to fork a
            // backend); silent, every connection is as stuck as the probe's.
            if (lastAnswer >= started) reason = null;
            else opts.dropConnections();
          }
          set(reason);
          if (reason === null) return;
          await sleep(probeEveryMs);
          if (closed) return;
        }
      } finally {
        probing = null;
      }
    })();
  }

  function dropHeartbeat(): void {
    if (heartbeat) discard(heartbeat);
    heartbeat = null;
  }

  async function beat(): Promise<void> {
    if (beating || probing || problem || closed) return;
    beating = true;
    const started = performance.now();
    try {
      let c = heartbeat;
      if (!c) {
        const made = client(HEALTH_APPLICATION_NAME);
        heartbeat = c = made;
        // Its session ended (a restart, pg_terminate_backend): the server is checked at once.
        made.on("error", () => {
          if (heartbeat === made) dropHeartbeat();
          probe();
        });
        await timed(made.connect(), connectMs);
      }
      await timed(c.query("SELECT 1"));
      lastAnswer = performance.now();
    } catch (err) {
      dropHeartbeat();
      if (closed) return;
      // Silent: nothing came back on any connection while the heartbeat waited (a server slow under load still
      // answers the pool's queries). Every connection is as stuck as this one: queries fail at once from here on.
      if (unavailability(err)?.reason === "timeout" && lastAnswer < started) {
        set("timeout");
        opts.dropConnections();
      }
      probe();
    } finally {
      beating = false;
    }
  }

  function report(err: unknown): void {
    markDatabaseFailure(err);
    if (closed) return;
    const found = unavailability(err);
    // Any other failure (a constraint, a syntax error) is the server's answer too.
    if (!found) lastAnswer = performance.now();
    else if (found.check) probe();
  }

  const ticker = opts.heartbeatMs > 0 ? setInterval(() => void beat(), opts.heartbeatMs) : null;
  ticker?.unref();

  return {
    get problem() {
      return problem;
    },
    async check() {
      if (problem) return problem;
      try {
        await opts.select1();
        return null;
      } catch (err) {
        return { reason: unavailability(err)?.reason ?? "unreachable", since: new Date() };
      }
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    refusal() {
      return blocking() ? new DatabaseUnavailableError(problem!.reason) : null;
    },
    answered() {
      lastAnswer = performance.now();
    },
    guard<T>(work: Promise<T>, late?: (value: T) => void): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let settled = false;
        const fail = (err: DatabaseUnavailableError) => {
          settled = true;
          reject(err);
        };
        waiters.add(fail);
        work.then(
          (value) => {
            lastAnswer = performance.now();
            waiters.delete(fail);
            if (settled) late?.(value);
            else resolve(value);
          },
          (err: unknown) => {
            waiters.delete(fail);
            report(err);
            if (!settled) reject(err as Error);
          },
        );
      });
    },
    report,
    close() {
      closed = true;
      if (ticker) clearInterval(ticker);
      dropHeartbeat();
      listeners.clear();
    },
  };
}
