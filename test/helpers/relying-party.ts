// A test app whose public address no one can reach (.invalid): every request the portal and the office make
// to the provider must stay inside the process.
import { testApp, type TestEnv } from "./app.ts";
import type { Clock } from "../../src/platform/clock.ts";
import type { App } from "../../src/platform/http/types.ts";

export const UNREACHABLE_PUBLIC_URL = "http://dvc.motcua.invalid";

/** The app with its public address unreachable (tests make their accounts with the identity factories). */
export function partyTestApp(clock: Clock): Promise<TestEnv & { app: App }> {
  return testApp({ clock, config: { publicUrl: UNREACHABLE_PUBLIC_URL } });
}

/** The Set-Cookie line of `name` in a response, if any. */
export function setCookieLine(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const raw = res.headers["set-cookie"];
  const lines = (Array.isArray(raw) ? raw : raw ? [raw] : []) as string[];
  return lines.find((l) => l.startsWith(`${name}=`));
}
