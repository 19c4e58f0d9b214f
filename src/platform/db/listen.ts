// One LISTEN connection per process (PostgreSQL): a client of its own, outside the pool, because a pooled
// connection is handed to whoever asks next and a LISTEN lives as long as its session. It reconnects by itself
// with backoff; after a reconnection the caller is told, since notifications sent meanwhile were lost.
import pg from "pg";

export interface ListenerOptions {
  databaseUrl: string;
  channel: string;
  /** A notification's payload on `channel`. */
  onMessage(payload: string): void;
  /**
   * The connection was lost and is listening again: anything sent while it was down was missed. Not called
   * for the first connection.
   */
  onResume(): void;
  /** Problems worth a log line (a lost connection, a failed reconnection). */
  onError(err: Error, context: string): void;
  /** Backoff between reconnections: from `minDelayMs`, doubling to `maxDelayMs` (250 ms, 10 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * How often the connection is checked with a round trip (30 s), so a connection dropped without a word (a
   * network partition, a killed backend behind a proxy) is found and replaced rather than listening to nothing.
   */
  checkEveryMs?: number;
}

export interface Listener {
  /** Resolves once listening (the first time); a failure to connect is retried, never thrown. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** Listens on `channel` until closed, reconnecting with backoff. */
export function listen(opts: ListenerOptions): Listener {
  if (!CHANNEL.test(opts.channel)) throw new Error(`listen: "${opts.channel}" is not a plain channel name`);
  const minDelay = opts.minDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 10_000;
  const checkEvery = opts.checkEveryMs ?? 30_000;
  let client: pg.Client | null = null;
  let closed = false;
  let delay = minDelay;
  let retry: NodeJS.Timeout | null = null;
  let check: NodeJS.Timeout | null = null;
  let connectedOnce = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const dropped = (c: pg.Client, err: Error | null, context: string) => {
    if (client !== c) return; // an older connection, replaced already
    client = null;
    if (check) clearInterval(check);
    check = null;
    c.removeAllListeners("notification");
    c.on("error", () => undefined);
    void c.end().catch(() => undefined);
    if (closed) return;
    if (err) opts.onError(err, context);
    schedule();
  };

  const schedule = () => {
    if (closed || retry) return;
    // Jitter: nodes that lost the server together do not all come back in the same millisecond.
    const wait = Math.round(delay * (0.75 + Math.random() * 0.5));
    delay = Math.min(delay * 2, maxDelay);
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, wait);
    retry.unref();
  };

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: opts.databaseUrl, keepAlive: true, application_name: "motcua-listen" });
    client = c;
    c.on("error", (err) => dropped(c, err, "listen connection lost"));
    c.on("end", () => dropped(c, new Error("connection ended"), "listen connection ended"));
    c.on("notification", (n) => {
      if (n.channel === opts.channel && n.payload !== undefined) opts.onMessage(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${opts.channel}`);
    } catch (err) {
      dropped(c, err as Error, "listen: could not connect");
      return;
    }
    if (closed || client !== c) {
      void c.end().catch(() => undefined);
      return;
    }
    delay = minDelay;
    check = setInterval(() => {
      c.query("SELECT 1").catch((err: Error) => dropped(c, err, "listen connection check failed"));
    }, checkEvery);
    check.unref();
    if (connectedOnce) opts.onResume();
    connectedOnce = true;
    markReady();
  };

  void connect();
  return {
    ready,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (check) clearInterval(check);
      const c = client;
      client = null;
      markReady();
      if (c) {
        c.removeAllListeners("notification");
        c.removeAllListeners("end");
        await c.end().catch(() => undefined);
      }
    },
  };
}
