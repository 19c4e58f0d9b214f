import type { Context } from "../context.ts";
import { migrate } from "../platform/db/migrate.ts";
import { runSeeds } from "../platform/db/seeds.ts";
import { seeds } from "../context.ts";

/** Where a command writes what it has to say. */
export interface Output {
  write(text: string): void;
}

/** Thrown by a command for a usage or input problem: printed, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * A CLI command that works on a context. Commands run in whichever process holds the database:
 * this one, or the running server (through its control socket), with the same code.
 */
export interface Command {
  /** Words that name it: `["audit", "verify"]`. */
  words: string[];
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run(ctx: Context, args: string[], out: Output): Promise<number>;
}

const builtins: Command[] = [
  {
    words: ["migrate"],
    usage: "motcua migrate",
    summary: "apply pending database migrations",
    async run(ctx, _args, out) {
      const applied = await migrate(ctx.database);
      out.write(applied.length ? `applied: ${applied.join(", ")}\n` : "the database is up to date\n");
      return 0;
    },
  },
  {
    words: ["seed"],
    usage: "motcua seed",
    summary: "load reference data (and demo data when MOTCUA_DEMO is on) not loaded yet",
    async run(ctx, _args, out) {
      const ran = await runSeeds(ctx.database, seeds(ctx), { demo: ctx.config.demo });
      out.write(ran.length ? `loaded: ${ran.join(", ")}\n` : "every seed is already loaded\n");
      return 0;
    },
  },
];

const registered: Command[] = [...builtins];

/** Modules add their commands here (from `src/cli/index.ts`). */
export function registerCommands(commands: Command[]): void {
  registered.push(...commands);
}

export function allCommands(): readonly Command[] {
  return registered;
}

/** The command whose words start `argv`, and the remaining arguments. */
export function findCommand(argv: string[]): { command: Command; args: string[] } | null {
  let best: { command: Command; args: string[] } | null = null;
  for (const command of registered) {
    const n = command.words.length;
    if (argv.length >= n && command.words.every((w, i) => argv[i] === w)) {
      if (!best || n > best.command.words.length) best = { command, args: argv.slice(n) };
    }
  }
  return best;
}

/** Runs a command, turning usage problems into a message and exit code 2. */
export async function runCommand(ctx: Context, argv: string[], out: Output): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    out.write(`unknown command: ${argv.join(" ")}\n${helpText()}`);
    return 2;
  }
  try {
    return await found.command.run(ctx, found.args, out);
  } catch (err) {
    if (err instanceof UsageError) {
      out.write(`${err.message}\nusage: ${found.command.usage}\n`);
      return 2;
    }
    throw err;
  }
}

export function helpText(): string {
  const lines = [
    "usage: motcua <command>",
    "",
    "  start                 run the web server and a worker (default)",
    "  web                   run the web server only",
    "  worker                run a job worker only",
  ];
  for (const c of registered) lines.push(`  ${c.usage.replace(/^motcua /, "").padEnd(22)}${c.summary}`);
  return `${lines.join("\n")}\n`;
}
