// The CLI's commands: `migrate` and `seed` of the program itself, and every module's (`commands` in its
// definition). They run in whichever process holds the database: this one, or the running server through
// its control socket, with the same code.
import type { Context } from "../context.ts";
import { MODULES } from "../modules.ts";
import { restoreCommand } from "../platform/backup/commands.ts";
import { type Command, type OfflineCommand, type Output, UsageError } from "../platform/cli.ts";
import type { Config } from "../platform/config/index.ts";
import { commandsOf } from "../platform/compose.ts";
import { migrate } from "../platform/db/migrate.ts";
import { runSeeds } from "../platform/db/seeds.ts";
import type { ModuleDefinition } from "../platform/module.ts";
import { seeds } from "../context.ts";

export { type Output, UsageError };

const builtins: Array<Command<Context>> = [
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

/** Commands run before the database is opened, on the configuration alone: the program's and the modules'. */
const offline: OfflineCommand[] = [restoreCommand, ...MODULES.flatMap((m) => m.spec.offlineCommands ?? [])];

/** What a command says of itself: enough to find it and list it without opening the database. */
type Described = Pick<Command<never>, "words" | "usage" | "summary">;

function described(modules: readonly ModuleDefinition[]): Described[] {
  return [...builtins, ...modules.flatMap((m) => m.spec.commands ?? []), ...offline];
}

/** The command whose words start `argv` (the longest match), and the remaining arguments. */
function match<C extends Described>(commands: readonly C[], argv: string[]): { command: C; args: string[] } | null {
  let best: { command: C; args: string[] } | null = null;
  for (const command of commands) {
    const n = command.words.length;
    if (argv.length >= n && command.words.every((w, i) => argv[i] === w)) {
      if (!best || n > best.command.words.length) best = { command, args: argv.slice(n) };
    }
  }
  return best;
}

/** Whether `argv` names a command of the program or of one of `modules`. */
export function findCommand(argv: string[], modules: readonly ModuleDefinition[] = MODULES): boolean {
  return match(described(modules), argv) !== null;
}

/** Whether `argv` names a command that runs before the database is opened (`restore`). */
export function isOffline(argv: string[]): boolean {
  return match(offline, argv) !== null;
}

/** Runs a command that needs no open database, turning usage problems into a message and exit code 2. */
export async function runOffline(config: Config, argv: string[], out: Output): Promise<number> {
  const found = match(offline, argv);
  if (!found) {
    out.write(`unknown command: ${argv.join(" ")}\n`);
    return 2;
  }
  try {
    return await found.command.run(config, found.args, out);
  } catch (err) {
    if (err instanceof UsageError) {
      out.write(`${err.message}\nusage: ${found.command.usage}\n`);
      return 2;
    }
    throw err;
  }
}

/** Runs a command on a context, turning usage problems into a message and exit code 2. */
export async function runCommand(ctx: Context, argv: string[], out: Output): Promise<number> {
  const runnable = [
    ...builtins.map((command) => ({ ...command, go: (args: string[]) => command.run(ctx, args, out) })),
    ...commandsOf(ctx.modules).map((b) => ({ ...b.command, go: (args: string[]) => b.run(args, out) })),
  ];
  const found = match(runnable, argv);
  if (!found) {
    out.write(`unknown command: ${argv.join(" ")}\n${helpText(ctx.modules.map((m) => m.definition))}`);
    return 2;
  }
  try {
    return await found.command.go(found.args);
  } catch (err) {
    if (err instanceof UsageError) {
      out.write(`${err.message}\nusage: ${found.command.usage}\n`);
      return 2;
    }
    throw err;
  }
}

export function helpText(modules: readonly ModuleDefinition[] = MODULES): string {
  const lines = [
    "usage: motcua <command>",
    "",
    "  start                 run the web server and a worker (default)",
    "  web                   run the web server only",
    "  worker                run a job worker only",
  ];
  for (const c of described(modules)) {
    const usage = c.usage.replace(/^motcua /, "");
    // A usage longer than the column keeps two spaces before its summary.
    lines.push(`  ${usage.length >= 22 ? `${usage}  ` : usage.padEnd(22)}${c.summary}`);
  }
  return `${lines.join("\n")}\n`;
}
