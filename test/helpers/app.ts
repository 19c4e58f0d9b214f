import { buildApp } from "../../src/app.ts";
import { type Context, type ContextOptions, createContext } from "../../src/context.ts";
import { type Config, loadConfig } from "../../src/platform/config/index.ts";
import type { Clock } from "../../src/platform/clock.ts";
import type { Database } from "../../src/platform/db/index.ts";
import type { Logger } from "../../src/platform/log/index.ts";
import { testLogger } from "../../src/platform/log/testing.ts";
import type { App } from "../../src/platform/http/types.ts";
import { testDatabase } from "./db.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TestEnv {
  ctx: Context;
  database: Database;
  config: Config;
  /** A private temporary data directory (files, sockets), removed by `close`. */
  dataDir: string;
  close(): Promise<void>;
}

/** A context on a fresh database, for one test file. */
export async function testContext(
  opts: { clock?: Clock; config?: Partial<Config>; logger?: Logger; options?: ContextOptions["options"]; modules?: ContextOptions["modules"] } = {},
): Promise<TestEnv> {
  const database = await testDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-test-"));
  // `inject()` asks for `localhost:80`, not the public URL's host: a test of that redirect turns it on.
  const config: Config = { ...loadConfig(), dataDir, logLevel: "silent", demo: false, redirectToPublicUrl: false, lazySchemas: true, ...opts.config };
  const ctx = createContext(config, database, {
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.options ? { options: opts.options } : {}),
    ...(opts.modules ? { modules: opts.modules } : {}),
    logger: opts.logger ?? testLogger(),
  });
  return {
    ctx,
    database,
    config,
    dataDir,
    close: async () => {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The app on a fresh database; `inject()` requests into it. */
export async function testApp(opts: Parameters<typeof testContext>[0] = {}): Promise<TestEnv & { app: App }> {
  const env = await testContext(opts);
  const app = await buildApp(env.ctx);
  await app.ready();
  return {
    ...env,
    app,
    close: async () => {
      await app.close();
      await env.close();
    },
  };
}
