// Signals between the nodes of one deployment: "this changed, forget what you kept of it". A module sends one in
// the transaction that makes the change; every node's subscribers hear it once that transaction has committed
// (PostgreSQL's NOTIFY travels with the COMMIT and is delivered only if it commits), this node's at once, the
// others' through one LISTEN connection per process (platform/db/listen.ts). On the embedded database there is
// one process: the signal is delivered in it.
//
// Signals are for caches, not for work: one may be missed while a node's LISTEN connection is down, so after a
// reconnection every subscriber is called with `null` (forget everything). Work that must happen goes through
// the job queue, written in the transaction.
import { randomUUID } from "node:crypto";
import { afterCommit, type Db, type DbKind, literal, runAtCommit, sql } from "./db/index.ts";
import { listen, type Listener } from "./db/listen.ts";

/**
 * Signals by name with their payload (a string: an id, a code). The sending module declares its own
 * (declaration merging in its `index.ts`):
 *
 *     declare module "../../platform/signals.ts" { interface SignalMap { "catalog.published": string } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules
export interface SignalMap {}

export type SignalName = keyof SignalMap & string;

/** Called with the payload sent, or `null` when signals may have been missed (forget everything). */
export type SignalHandler<S extends SignalName> = (payload: SignalMap[S] | null) => void;

export interface Signals {
  /**
   * Tells every node, this one included, once `tx` commits (nothing if it rolls back). Outside a transaction
   * (`database.db`) it is sent at once.
   */
  send<S extends SignalName>(tx: Db, name: S, payload: SignalMap[S]): Promise<void>;
  /** Subscribes to `name` on this node; done when the services are built, before anything is sent. */
  on<S extends SignalName>(name: S, handler: SignalHandler<S>): void;
  /** Starts listening to the other nodes (PostgreSQL); resolves once listening. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The PostgreSQL channel every node listens on. */
export const SIGNAL_CHANNEL = "motcua_signals";

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
const MAX_PAYLOAD = 7000;

export interface SignalOptions {
  kind: DbKind;
  /** The PostgreSQL server, for the LISTEN connection; null on the embedded database. */
  databaseUrl: string | null;
  /** Where a lost LISTEN connection or a failing subscriber is reported. */
  onError(err: Error, context: string): void;
}

export function createSignals(opts: SignalOptions): Signals {
  // A node ignores its own signals when they come back through LISTEN: it delivered them at its commit.
  const node = randomUUID();
  const handlers = new Map<string, Array<SignalHandler<never>>>();
  let listener: Listener | null = null;

  const deliver = (name: string, payload: string | null) => {
    for (const handler of handlers.get(name) ?? []) {
      try {
        (handler as SignalHandler<SignalName>)(payload as never);
      } catch (err) {
        opts.onError(err as Error, `signal ${name}: a subscriber failed`);
      }
    }
  };
  const deliverAll = () => {
    for (const name of handlers.keys()) deliver(name, null);
  };

  return {
    async send(tx, name, payload) {
      if (name.includes("\t") || payload.includes("\t") || payload.length > MAX_PAYLOAD) throw new Error(`signal ${name}: a name or payload with a tab, or a payload too long`);
      afterCommit(tx, () => deliver(name, payload));
      if (opts.kind !== "postgres") return;
      const statement = `SELECT pg_notify(${literal(SIGNAL_CHANNEL)}, ${literal(`${node}\t${name}\t${payload}`)})`;
      // In a transaction the NOTIFY goes with the COMMIT (one message, no wait); PostgreSQL delivers it then.
      if (!runAtCommit(tx, statement)) await tx.execute(sql.raw(statement));
    },

    on(name, handler) {
      const list = handlers.get(name) ?? [];
      list.push(handler as SignalHandler<never>);
      handlers.set(name, list);
    },

    async start() {
      if (opts.kind !== "postgres" || !opts.databaseUrl || listener) return;
      listener = listen({
        databaseUrl: opts.databaseUrl,
        channel: SIGNAL_CHANNEL,
        onMessage: (message) => {
          const [from, name, ...rest] = message.split("\t");
          if (from === node || !name) return;
          deliver(name, rest.join("\t"));
        },
        onResume: deliverAll,
        onError: opts.onError,
      });
      // A node whose LISTEN connection cannot be made yet (the server full, a partition) still starts; the
      // listener keeps trying, and each of its reconnections tells every subscriber to forget everything.
      let waited: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (waited = setTimeout(resolve, 10_000)));
      await Promise.race([listener.ready, late]);
      clearTimeout(waited);
    },

    async stop() {
      const l = listener;
      listener = null;
      await l?.close();
    },
  };
}
