// The shape of a `motcua …` command. Commands run in whichever process holds the database: this one,
// or the running server (through its control socket), with the same code.
import os from "node:os";
import type { Actor } from "./auth/actor.ts";
import type { Config } from "./config/index.ts";
import { DomainError } from "./http/errors.ts";

/** Where a command writes what it has to say. */
export interface Output {
  write(text: string): void;
  /**
   * The directory the operator ran the command in: a path they give is relative to it, also when the command runs
   * inside the server through its control socket. This process's own when absent.
   */
  cwd?: string;
}

/** Thrown by a command for a usage or input problem: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A command; `run` gets only what its module gives it (`Deps`). */
export interface Command<Deps> {
  /** Words that name it: `["audit", "verify"]`. */
  words: readonly string[];
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run(deps: Deps, args: string[], out: Output): Promise<number>;
}

/**
 * A command that runs before the database is opened, given the configuration only: one that must find the data
 * directory as it is (`motcua restore`), never opened, migrated or seeded by its own process. It never runs inside
 * a running server.
 */
export interface OfflineCommand {
  words: readonly string[];
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run(config: Config, args: string[], out: Output): Promise<number>;
}

/** The operator running a command, as the audit log names them. */
export function cliActor(): Actor {
  let name = "operator";
  try {
    name = os.userInfo().username || name;
  } catch {
    // no user entry for this uid (a container): keep the generic name
  }
  return { type: "cli", name };
}

/** Positional arguments and `--flag value` / `--flag=value` options; an unknown flag is a usage error. */
export function parseArgs(args: string[], flags: readonly string[]): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
    if (!flags.includes(flag)) throw new UsageError(`unknown option ${flag}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    options.set(flag, value);
  }
  return { positional, options };
}

/** Runs a command's action; a domain error is printed (Vietnamese, then English, then its fields): exit code 1. */
export async function attempt(out: Output, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    out.write(`${err.code}: ${err.messages.vi} (${err.messages.en})\n`);
    for (const f of err.fields ?? []) out.write(`  ${f.path}: ${f.message}\n`);
    return 1;
  }
}
