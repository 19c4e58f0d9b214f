// A PostgreSQL server of the test's own (initdb into a temporary directory, on a free port of 127.0.0.1), for
// tests that restart, kill or starve it: never the machine's shared server, which other tests are using.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./net.ts";

const run = promisify(execFile);

/** The directory of the PostgreSQL server programs (initdb, pg_ctl), or an error that says how to get them. */
export function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  // PostgreSQL 15 is what the machines run (docs/ARCHITECTURE.md); another version serves when it is the only one.
  const version = versions.includes("15") ? "15" : versions[0];
  if (!version) {
    throw new Error(
      "the PostgreSQL server programs (initdb, pg_ctl) are not installed under /usr/lib/postgresql/<version>/bin: " +
        "these tests start a PostgreSQL server of their own. Install them: apt-get install -y postgresql-15 (CI machines have them).",
    );
  }
  return path.join(root, version, "bin");
}

export interface PostgresInstance {
  port: number;
  /** The data directory (on its own tmpfs when one was asked for). */
  dataDir: string;
  /** The mount point of the data directory's tmpfs, or null. */
  tmpfs: string | null;
  /** The server's log file (outside the data directory: a full disk must not silence it). */
  logFile: string;
  /** A connection URL to `database` (default `postgres`) as the superuser `postgres`. */
  url(database?: string): string;
  /** A superuser's SQL on `database` (default `postgres`), on a connection of its own. */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[], database?: string): Promise<T[]>;
  /** `pg_ctl restart -m fast`: every session ends (57P01), the server starts again; resolves once it accepts connections. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`: every session ends, and connections are refused until `start`. */
  stop(): Promise<void>;
  /** Starts the stopped server with its settings; resolves once it accepts connections. */
  start(): Promise<void>;
  /** The process ids of the sessions whose application_name is `name` (or starts with it, unless `exact`). */
  backends(name: string, exact?: boolean): Promise<number[]>;
  /** Stops the server (immediately), unmounts its tmpfs and removes its files. */
  destroy(): Promise<void>;
}

/** Runs a program as the `postgres` user when this process is root (initdb and postgres refuse root). */
function asPostgres(program: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", program, ...args]] : [program, args];
}

/**
 * Creates and starts a server. `tmpfsMb`: its data directory on a tmpfs of that size, mounted for it (root only),
 * so that filling the tmpfs fills the server's disk and nothing else's.
 */
export async function startPostgres(opts: { tmpfsMb?: number; settings?: Record<string, string> } = {}): Promise<PostgresInstance> {
  const bin = postgresBin();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-pg-"));
  const home = path.join(root, "home");
  const logFile = path.join(root, "server.log");
  fs.mkdirSync(home);
  let tmpfs: string | null = null;
  if (opts.tmpfsMb) {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${opts.tmpfsMb}m,mode=0700`, "tmpfs", home]);
    tmpfs = home;
  }
  const dataDir = path.join(home, "data");
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    for (const p of [root, home]) fs.chownSync(p, uid, gid);
    fs.writeFileSync(logFile, "");
    fs.chownSync(logFile, uid, gid);
  }
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    port: String(port),
    unix_socket_directories: root,
    max_connections: "60",
    shared_buffers: "32MB",
    // Small WAL and frequent checkpoints: a tmpfs of a few hundred MB holds the server whatever the load.
    max_wal_size: "64MB",
    min_wal_size: "32MB",
    log_min_messages: "warning",
    ...opts.settings,
  };
  const pgctl = path.join(bin, "pg_ctl");
  const options = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(" ");
  // -l: the server's output goes to its log, not to pg_ctl's (whose end would otherwise wait for the server's).
  const start = async () => void (await run(...asPostgres(pgctl, ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", options, "start"])));
  const destroy = async () => {
    process.removeListener("exit", onExit);
    try {
      await run(...asPostgres(pgctl, ["-D", dataDir, "-m", "immediate", "-w", "stop"]));
    } catch {
      // Not running.
    }
    if (tmpfs) {
      try {
        execFileSync("umount", [tmpfs]);
      } catch {
        execFileSync("umount", ["-l", tmpfs]);
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  // A process that ends without destroying it (a crash, an uncaught error) takes its server down all the same.
  const onExit = () => {
    try {
      execFileSync(...asPostgres(pgctl, ["-D", dataDir, "-m", "immediate", "-w", "stop"]), { stdio: "ignore" });
    } catch {
      // Not running.
    }
    if (tmpfs) {
      try {
        execFileSync("umount", ["-l", tmpfs]);
      } catch {
        // Already unmounted.
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  try {
    await run(...asPostgres(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]));
    await start();
  } catch (err) {
    await destroy();
    throw err;
  }
  const url = (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const sqlOn = async <T,>(text: string, values: unknown[] = [], database = "postgres"): Promise<T[]> => {
    const c = new pg.Client({ connectionString: url(database), connectionTimeoutMillis: 5000 });
    c.on("error", () => undefined);
    await c.connect();
    try {
      return (await c.query(text, values)).rows as T[];
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  return {
    port,
    dataDir,
    tmpfs,
    logFile,
    url,
    sql: sqlOn,
    stop: async () => void (await run(...asPostgres(pgctl, ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]))),
    start,
    restart: async () => {
      await run(...asPostgres(pgctl, ["-D", dataDir, "-l", logFile, "-m", "fast", "-w", "-t", "60", "restart"]));
    },
    backends: async (name, exact = false) =>
      (
        await sqlOn<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE ${exact ? "application_name = $1" : "application_name LIKE $1 || '%'"} AND pid <> pg_backend_pid()`,
          [name],
        )
      ).map((r) => r.pid),
    destroy,
  };
}
