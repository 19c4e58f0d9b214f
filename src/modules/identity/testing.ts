// Test helpers of the identity pages: a cookie-keeping "browser" over app.inject, form posts with the
// CSRF token, and a password + TOTP sign-in for officers.
import { createHash } from "node:crypto";
import { generate } from "otplib";
import type { Clock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import type { Context } from "../../context.ts";

export interface FormBrowser {
  get(url: string, headers?: Record<string, string>): ReturnType<App["inject"]>;
  /** Posts a form, adding the CSRF token the pages set. */
  post(url: string, fields: Record<string, string | string[]>): ReturnType<App["inject"]>;
  cookies: Map<string, string>;
}

function setCookies(res: { headers: Record<string, unknown> }): Array<[string, string]> {
  const raw = res.headers["set-cookie"];
  const out: Array<[string, string]> = [];
  for (const c of (Array.isArray(raw) ? raw : raw ? [raw] : []) as string[]) {
    const [pair] = c.split(";");
    const eq = pair!.indexOf("=");
    out.push([pair!.slice(0, eq), pair!.slice(eq + 1)]);
  }
  return out;
}

/** A browser on `app`: keeps cookies (an emptied cookie is dropped) and has fetched a CSRF token. */
export async function formBrowser(app: App): Promise<FormBrowser> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const keep = async (res: Awaited<ReturnType<App["inject"]>>) => {
    for (const [k, v] of setCookies(res)) {
      if (v) jar.set(k, v);
      else jar.delete(k);
    }
    return res;
  };
  const get = async (url: string, headers: Record<string, string> = {}) =>
    keep(await app.inject({ method: "GET", url, headers: { cookie: cookie(), ...headers } }));
  const post = async (url: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams({ _csrf: jar.get("motcua_csrf") ?? "" });
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return keep(
      await app.inject({
        method: "POST",
        url,
        headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
        payload: body.toString(),
      }),
    );
  };
  await get("/dang-nhap");
  return { get: get as FormBrowser["get"], post: post as FormBrowser["post"], cookies: jar };
}

/** The current TOTP code of `secret` at the clock's time. */
export function totpCode(secret: string, clock: Clock): Promise<string> {
  return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
}

/**
 * Signs `username` in through the pages; an officer enrols a second factor (returning its secret and
 * recovery codes) or, when `secret` is given, enters a code.
 */
export async function signInThroughPages(
  ctx: Context,
  b: FormBrowser,
  username: string,
  password: string,
  secret?: string,
): Promise<{ secret: string | null; recovery: string[] }> {
  const res = await b.post("/dang-nhap", { username, password, next: "/tai-khoan" });
  if (res.statusCode !== 303) throw new Error(`sign-in of ${username}: ${res.statusCode}`);
  if (!String(res.headers.location).startsWith("/dang-nhap/xac-thuc")) return { secret: null, recovery: [] };
  if (secret) {
    const done = await b.post("/dang-nhap/xac-thuc", { code: await totpCode(secret, ctx.clock), next: "/tai-khoan" });
    if (done.statusCode !== 303) throw new Error(`second factor of ${username}: ${done.statusCode}`);
    return { secret, recovery: [] };
  }
  const page = await b.get("/dang-nhap/xac-thuc");
  const found = /<code>([A-Z2-7]+)<\/code>/.exec(page.body)?.[1];
  if (!found) throw new Error(`no enrolment page for ${username}`);
  const ok = await b.post("/dang-nhap/xac-thuc/dang-ky", { code: await totpCode(found, ctx.clock), next: "/tai-khoan" });
  const recovery = [...ok.body.matchAll(/<code>([0-9a-f]{5}-[0-9a-f]{5})<\/code>/g)].map((m) => m[1]!);
  if (recovery.length === 0) throw new Error(`enrolment of ${username}: ${ok.statusCode}`);
  return { secret: found, recovery };
}

/** The session id behind a cookie token. */
export const sessionIdOf = (token: string) => createHash("sha256").update(token).digest("hex");
