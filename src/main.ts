import fs from "node:fs";
import { buildApp } from "./app.ts";
import { dataPaths, openContext, type Opened } from "./boot.ts";
import { findCommand, helpText, isOffline, runCommand, runOffline } from "./cli/commands.ts";
import { runRemote, startControlServer } from "./cli/control.ts";
import { type Config, ConfigError, loadConfig } from "./platform/config/index.ts";
import { DataDirBusy, lockHolder } from "./platform/db/lock.ts";
import { createLogger, prettyDestination } from "./platform/log/index.ts";
import { readDemoAccounts } from "./modules/identity/index.ts";
import { DEMO_CLIENT, startDemoRegistries } from "./modules/registries/index.ts";
import { startBanner } from "./start-banner.ts";

type Role = { web: boolean; worker: boolean };

const ROLES: Record<string, Role> = {
  start: { web: true, worker: true },
  web: { web: true, worker: false },
  worker: { web: false, worker: true },
};

function fail(message: string, code: number): never {
  process.stderr.write(`motcua: ${message}\n`);
  process.exit(code);
}

/** Runs the web server and/or a worker until SIGINT or SIGTERM, then shuts down cleanly. */
async function serve(config: Config, role: Role): Promise<void> {
  const terminal = Boolean(process.stdout.isTTY);
  // The person who ran it first reads where to go; a collector reading stdout gets JSON lines only.
  const demo = config.demo ? readDemoAccounts() : null;
  const banner = startBanner(config, {
    web: role.web,
    demo: demo && {
      password: demo.password,
      citizen: demo.accounts.find((a) => a.kind === "citizen")?.username,
      officer: demo.accounts.find((a) => a.kind === "officer")?.username,
    },
  });
  (terminal ? process.stdout : process.stderr).write(banner);
  const pretty = config.logFormat === "pretty" || (config.logFormat === "auto" && terminal);
  const logger = pretty ? createLogger(config.logLevel, prettyDestination(process.stdout, { colour: terminal && !config.noColour })) : undefined;
  // The demo's simulated national registries, a process of their own beside the web node (unless registries are configured).
  // Never in place of registries that are configured: officers would verify applicants against made-up people.
  const configured = Object.keys(config.registries.connectors).length > 0;
  const registrySim = role.web && config.registries.simulate && !configured ? await startDemoRegistries(config, DEMO_CLIENT) : null;
  if (registrySim) config = registrySim.config;
  const opened: Opened = await openContext(config, logger ? { logger } : {});
  const { ctx } = opened;
  const stops: Array<() => Promise<void>> = [];
  if (registrySim) {
    stops.push(registrySim.sim.stop);
    registrySim.sim.ready.then(
      (url) => ctx.logger.info({ url }, "simulated national registries ready (motcua registry-sim)"),
      (err: unknown) => ctx.logger.warn({ err }, "the simulated registries did not start: look-ups will find them unavailable"),
    );
  }

  if (!config.databaseUrl) stops.push(await startControlServer(ctx, dataPaths(config).control));
  // What the other nodes change (a publication, a disabled account) reaches this node's caches.
  await ctx.signals.start();

  if (role.worker) {
    const { startWorker } = await import("./worker.ts");
    stops.push(await startWorker(ctx));
  }

  if (role.web) {
    const app = await buildApp(ctx);
    await app.listen({ port: config.port, host: config.host });
    ctx.logger.info({ open: config.publicUrl }, `ready: open ${config.publicUrl}`);
    // Loaded on first use (platform/lazy.ts), so that a test file or a command does not pay for them: a web node,
    // ready, loads the ones its first requests need (a bearer token's check, an upload's sniffing) in the background.
    void Promise.all([import("jose"), import("file-type")]).catch(() => {});
    // First to stop: no new requests; in-flight ones finish.
    stops.unshift(() => app.close());
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      ctx.logger.error("shutdown timed out; exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs + 5000);
    timer.unref();
    void (async () => {
      for (const stop of stops) {
        try {
          await stop();
        } catch (err) {
          ctx.logger.error({ err }, "error while stopping");
        }
      }
      await opened.close();
      ctx.logger.info("stopped");
      process.exit(0);
    })();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

/** Runs a one-off command here, or in the running server when it holds the embedded database. */
async function command(config: Config, argv: string[]): Promise<number> {
  const write = (t: string) => process.stdout.write(t);
  // A restore opens no database of its own: it must find the data directory as it is (and refuses a running server's).
  if (isOffline(argv)) return runOffline(config, argv, { write });
  const paths = dataPaths(config);
  if (!config.databaseUrl && lockHolder(paths.lock) !== null && fs.existsSync(paths.control)) {
    const { exitCode, output } = await runRemote(paths.control, argv, process.cwd());
    process.stdout.write(output);
    return exitCode;
  }
  const isMigrate = argv[0] === "migrate" || argv[0] === "seed";
  const opened = await openContext(config, { migrateAndSeed: !isMigrate });
  try {
    return await runCommand(opened.ctx, argv, { write });
  } finally {
    await opened.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const name = argv[0] ?? "start";
  if (name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(helpText());
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration error: ${err.message}`, 2);
    throw err;
  }
  const role = ROLES[name];
  if (role) {
    await serve(config, role);
    return;
  }
  if (!findCommand(argv)) fail(`unknown command "${argv.join(" ")}"\n\n${helpText()}`, 2);
  process.exitCode = await command(config, argv);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof DataDirBusy) fail(`${err.message}; stop it or point MOTCUA_DATA_DIR elsewhere`, 1);
  process.stderr.write(`motcua: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
