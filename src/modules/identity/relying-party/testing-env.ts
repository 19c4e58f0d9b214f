// A test app whose public address no one can reach (.invalid): every request the portal and the office make
// to the provider must stay inside the process.
import { testApp, type TestEnv } from "../../../../test/helpers/app.ts";
import type { Clock } from "../../../platform/clock.ts";
import { runSeeds } from "../../../platform/db/seeds.ts";
import type { App } from "../../../platform/http/types.ts";
import { createLogger } from "../../../platform/log/index.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../../directory/seeds.ts";
import { demoAccountsSeed, readDemoAccounts } from "../seeds.ts";

export const UNREACHABLE_PUBLIC_URL = "http://dvc.motcua.invalid";
export const DEMO_PASSWORD = readDemoAccounts().password;

/** The app with the demo accounts, its public address unreachable. */
export async function partyTestApp(clock: Clock): Promise<TestEnv & { app: App }> {
  const env = await testApp({ clock, config: { publicUrl: UNREACHABLE_PUBLIC_URL } });
  await runSeeds(env.database, [adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory), demoAccountsSeed(env.ctx.identity, createLogger("silent"))], {
    demo: true,
  });
  return env;
}

/** The Set-Cookie line of `name` in a response, if any. */
export function setCookieLine(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const raw = res.headers["set-cookie"];
  const lines = (Array.isArray(raw) ? raw : raw ? [raw] : []) as string[];
  return lines.find((l) => l.startsWith(`${name}=`));
}
