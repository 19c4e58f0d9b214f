// A demo site for the browser tests: the app listening on a free port of 127.0.0.1 over the demo agencies, accounts
// and days off (with the procedures a test publishes, or the whole demo catalogue), and Chromium launched.
import type { Browser } from "playwright-core";
import { buildApp } from "../../src/app.ts";
import { holidaysSeed } from "../../src/modules/calendar/index.ts";
import { demoCatalogSeed, type ProcedureContent } from "../../src/modules/catalog/index.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../../src/modules/directory/seeds.ts";
import { demoAccountsSeed } from "../../src/modules/identity/seeds.ts";
import { systemActor } from "../../src/platform/auth/actor.ts";
import { runSeeds } from "../../src/platform/db/seeds.ts";
import type { App } from "../../src/platform/http/types.ts";
import { testLogger } from "../../src/platform/log/testing.ts";
import { type TestEnv, testContext } from "./app.ts";
import { launchChromium } from "./browser.ts";
import { freePort } from "./net.ts";

export interface DemoSite {
  env: TestEnv;
  app: App;
  browser: Browser;
  /** `http://127.0.0.1:<port>`, also the site's public URL. */
  base: string;
  /** Closes the browser, the app and the database. */
  close(): Promise<void>;
}

export async function startDemoSite(opts: { procedures?: ProcedureContent[]; demoCatalog?: boolean } = {}): Promise<DemoSite> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = await testContext({ config: { publicUrl: base } });
  const seeds = [holidaysSeed(), adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory), demoAccountsSeed(env.ctx.identity, testLogger())];
  await runSeeds(env.database, opts.demoCatalog ? [...seeds, demoCatalogSeed(env.ctx.catalog)] : seeds, { demo: true });
  for (const p of opts.procedures ?? []) {
    await env.ctx.catalog.create(systemActor("e2e"), p);
    await env.ctx.catalog.publish(systemActor("e2e"), p.code);
  }
  const app = await buildApp(env.ctx);
  await app.listen({ port, host: "127.0.0.1" });
  const browser = await launchChromium();
  return {
    env,
    app,
    browser,
    base,
    close: async () => {
      await browser.close();
      await app.close();
      await env.close();
    },
  };
}
