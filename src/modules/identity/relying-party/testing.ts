// Test support: a browser (identity/testing.ts's FormBrowser over app.inject) signing in to the portal or
// the office through the parties' code flow, on the provider's own sign-in and second-factor pages.
import type { Context } from "../../../context.ts";
import type { RelyingParty } from "../service.ts";
import { type FormBrowser, totpCode } from "../testing.ts";
import { PARTIES } from "./paths.ts";

type Res = Awaited<ReturnType<FormBrowser["get"]>>;

export interface PartySignIn {
  /** The callback's address, as the provider sent the browser to it. */
  callbackUrl: string;
  /** The callback's answer (a redirect to `next` with the party's session, or a refusal page); null with `stopAtCallback`. */
  callback: Res | null;
  /** The TOTP secret an officer enrolled on the way (null when none was enrolled). */
  secret: string | null;
}

/**
 * Starts the party's sign-in in `b` and follows it through the provider: the sign-in page (password), the
 * second factor (a code of `secret`, or a first enrolment), back to the party's callback.
 */
export async function signInThroughParty(
  ctx: Context,
  b: FormBrowser,
  rp: RelyingParty,
  username: string,
  password: string,
  opts: { secret?: string; next?: string; stopAtCallback?: boolean } = {},
): Promise<PartySignIn> {
  const origin = ctx.config.publicUrl;
  const local = (location: unknown) => {
    const text = String(location ?? "");
    return text.startsWith(origin) ? text.slice(origin.length) || "/" : text;
  };
  let secret = opts.secret ?? null;
  let res = await b.get(`${PARTIES[rp].signIn}${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ""}`);
  for (let step = 0; step < 20; step++) {
    if (res.statusCode !== 302 && res.statusCode !== 303) throw new Error(`sign-in of ${username} stopped at ${res.statusCode}: ${res.body.slice(0, 300)}`);
    const location = local(res.headers.location);
    if (!location.startsWith("/")) throw new Error(`sign-in of ${username} left the node for ${location}`);
    const next = new URL(location, origin).searchParams.get("next") ?? "/";
    if (location.startsWith(`${PARTIES[rp].callback}?`)) {
      return { callbackUrl: location, callback: opts.stopAtCallback ? null : await b.get(location), secret };
    }
    if (location.startsWith("/dang-nhap?")) {
      res = await b.post("/dang-nhap", { username, password, next });
    } else if (location.startsWith("/dang-nhap/xac-thuc?") && secret) {
      res = await b.post("/dang-nhap/xac-thuc", { code: await totpCode(secret, ctx.clock), next });
    } else if (location.startsWith("/dang-nhap/xac-thuc?")) {
      const page = await b.get(location);
      secret = /<code>([A-Z2-7]+)<\/code>/.exec(page.body)?.[1] ?? null;
      if (!secret) throw new Error(`no enrolment page for ${username}`);
      const codes = await b.post("/dang-nhap/xac-thuc/dang-ky", { code: await totpCode(secret, ctx.clock), next });
      if (codes.statusCode !== 200) throw new Error(`enrolment of ${username}: ${codes.statusCode}`);
      res = await b.get(next);
    } else {
      res = await b.get(location);
    }
  }
  throw new Error(`sign-in of ${username}: too many redirects`);
}
