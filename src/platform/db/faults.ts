// Which failures of the database mean "it cannot serve now" (a restart, a lost connection, a network that stopped
// answering, a full disk) rather than "this request is wrong" (a constraint, a bug). The first kind is answered
// 503 `platform.unavailable` with Retry-After, and makes the layer check the server (`health.ts`); the second
// keeps its own meaning. Only the database's failures count: a peer's refused connection is the caller's to handle.

/** Why the database cannot serve now. */
export type UnavailableReason =
  /** The server cannot be reached: the connection was refused, reset or lost. */
  | "unreachable"
  /** The server is shutting down, starting up or recovering from a crash (SQLSTATE 57P01–57P03). */
  | "restarting"
  /** The server did not answer in time: a connection, the heartbeat or a statement (statement_timeout). */
  | "timeout"
  /** The server cannot write: its disk is full (SQLSTATE 53100). */
  | "disk_full"
  /** The server or the pool has no room for another connection or query (too many connections, out of memory). */
  | "busy";

/** A failure that the layer raises itself: the database was found unavailable, so the query was not sent. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(
    readonly reason: UnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(`the database is unavailable (${reason})`, options);
  }
}

/** SQLSTATEs of a server that cannot serve now; a class-08 state (connection exception) is `unreachable` too. */
const BY_SQLSTATE: Record<string, UnavailableReason> = {
  "57P01": "restarting", // admin_shutdown: a fast shutdown, or pg_terminate_backend
  "57P02": "restarting", // crash_shutdown: another backend crashed, every session ends
  "57P03": "restarting", // cannot_connect_now: starting up, shutting down, in recovery
  "57014": "timeout", // query_canceled: statement_timeout
  "53100": "disk_full",
  "53200": "busy", // out_of_memory
  "53300": "busy", // too_many_connections
};

/** Node's socket errors of a server out of reach. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * The errors node-postgres (pg 8.23, pg-pool 3.14: pinned in package.json) raises without a code when a
 * connection is lost or does not answer in time: their messages are all that tells them. The conformance suite
 * (`faults.test.ts`) provokes each against a real server, so a driver that changes them fails it.
 */
const DRIVER_MESSAGES: Record<string, UnavailableReason> = {
  "Connection terminated unexpectedly": "unreachable",
  "Connection terminated": "unreachable",
  "Client has encountered a connection error and is not queryable": "unreachable",
  "Connection terminated due to connection timeout": "timeout",
  "timeout expired": "timeout",
  "Query read timeout": "timeout",
  "timeout exceeded when trying to connect": "busy",
};

/** What a failure says of the database: why it cannot serve, and whether the server is worth checking. */
export interface Unavailability {
  reason: UnavailableReason;
  /**
   * False for a statement that ran too long (statement_timeout): the server answered, so nothing says it is
   * down; true for everything else, which may be one lost connection or the whole server gone.
   */
  check: boolean;
}

function own(err: object): Unavailability | null {
  if (err instanceof DatabaseUnavailableError) return { reason: err.reason, check: true };
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") {
    // A socket's error (EPIPE has five letters too), or a server's SQLSTATE.
    if (SOCKET_CODES.has(code)) return { reason: "unreachable", check: true };
    if (/^[0-9A-Z]{5}$/.test(code)) {
      const reason = BY_SQLSTATE[code] ?? (code.startsWith("08") ? "unreachable" : null);
      return reason ? { reason, check: code !== "57014" } : null;
    }
  }
  // A driver's error carries no code (a server's error always does: the message is then the server's own).
  if (code === undefined && err instanceof Error && Object.hasOwn(DRIVER_MESSAGES, err.message)) return { reason: DRIVER_MESSAGES[err.message]!, check: true };
  return null;
}

/**
 * What `err` says of the database's availability, or null when it says something else (a constraint, a bug). It
 * looks through the errors that wrap a driver's (Drizzle's `DrizzleQueryError`, an `Error` with a `cause`) and
 * into an `AggregateError` (a host name with several addresses, each refused).
 */
export function unavailability(err: unknown): Unavailability | null {
  const seen = new Set<unknown>();
  let next: unknown = err;
  while (next !== null && typeof next === "object" && !seen.has(next)) {
    seen.add(next);
    const found = own(next);
    if (found) return found;
    if (next instanceof AggregateError) {
      for (const inner of next.errors) {
        const r = unavailability(inner);
        if (r) return r;
      }
    }
    next = (next as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * The failures that came from the database's connections, as the layer saw them pass (`markDatabaseFailure`): a
 * refused connection means the database only when it was the database's, not a peer's HTTP endpoint's.
 */
const fromDatabase = new WeakSet<object>();

/** Marks `err` as a failure of one of the database's connections (the layer does, for every failure it passes on). */
export function markDatabaseFailure(err: unknown): void {
  if (err !== null && typeof err === "object") fromDatabase.add(err);
}

/**
 * Why `err` says the database cannot serve now, or null when it says something else, or is not the database's:
 * the failure itself, or one it wraps, passed through the layer (`markDatabaseFailure`) and has the shape of
 * unavailability (`unavailability`).
 */
export function unavailableReason(err: unknown): UnavailableReason | null {
  const seen = new Set<unknown>();
  let next: unknown = err;
  while (next !== null && typeof next === "object" && !seen.has(next)) {
    seen.add(next);
    if (next instanceof DatabaseUnavailableError) return next.reason;
    if (fromDatabase.has(next)) return unavailability(next)?.reason ?? null;
    next = (next as { cause?: unknown }).cause;
  }
  return null;
}
