// The second factor through the pages: enrolment with a QR code, recovery codes, a code at every sign-in.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generate } from "otplib";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildCitizen, buildOfficer, formBrowser, setCookies, signInThroughPages, TEST_PASSWORD as PASSWORD } from "./testing.ts";

let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };

const cookiesSet = (res: { headers: Record<string, unknown> }) => new Map(setCookies(res));

describe("second factor", () => {
  let env: TestEnv & { app: App };
  let agency: AgencyDto;
  before(async () => {
    env = await testApp({ clock });
    agency = await buildAgency(env.ctx);
  });
  after(() => env.close());

  /** A browser: its cookies, the CSRF token, and form posts. */
  async function browser() {
    const jar = new Map<string, string>();
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const keep = <T extends { headers: Record<string, unknown> }>(res: T): T => {
      for (const [k, v] of cookiesSet(res)) jar.set(k, v);
      return res;
    };
    const get = async (url: string) => keep(await env.app.inject({ method: "GET", url, headers: { cookie: cookie() } }));
    await get("/dang-nhap");
    const post = async (url: string, fields: Record<string, string>) =>
      keep(
        await env.app.inject({
          method: "POST",
          url,
          headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
          payload: new URLSearchParams({ _csrf: jar.get("motcua_csrf") ?? "", ...fields }).toString(),
        }),
      );
    return { get, post, jar };
  }

  const code = (secret: string, at = clock.now()) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

  /** An officer of their own who has enrolled a second factor through the pages; the clock is past the code used. */
  async function enrolledOfficer(): Promise<{ username: string; secret: string; recovery: string[] }> {
    const { username } = await buildOfficer(env.ctx, { agency });
    const { secret, recovery } = await signInThroughPages(env.ctx, await formBrowser(env.app), username, PASSWORD);
    offset += 60_000;
    return { username, secret: secret!, recovery };
  }

  it("an officer's password alone does not sign in: enrolment comes first, with a QR code", async () => {
    const officer = await buildOfficer(env.ctx, { agency });
    const b = await browser();
    const res = await b.post("/dang-nhap", { username: officer.username, password: PASSWORD, next: "/office" });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/dang-nhap/xac-thuc?next=%2Foffice");
    assert.equal((await b.get("/api/me")).statusCode, 401, "no access before the second factor");
    const page = await b.get("/dang-nhap/xac-thuc?next=/office");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<img src="data:image\/png;base64,/);
    let secret = /<code>([A-Z2-7]+)<\/code>/.exec(page.body)![1]!;
    const wrong = await b.post("/dang-nhap/xac-thuc/dang-ky", { code: "000000", next: "/office" });
    assert.equal(wrong.statusCode, 401);
    secret = /<code>([A-Z2-7]+)<\/code>/.exec(wrong.body)![1]!; // a fresh secret after a wrong first code
    const ok = await b.post("/dang-nhap/xac-thuc/dang-ky", { code: await code(secret), next: "/office" });
    assert.equal(ok.statusCode, 200);
    const recovery = [...ok.body.matchAll(/<code>([0-9a-f]{5}-[0-9a-f]{5})<\/code>/g)].map((m) => m[1]!);
    assert.equal(recovery.length, 10);
    const me = await b.get("/api/me");
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().username, officer.username);
    const stored = await env.database.rows<{ secret_enc: string; recovery_codes: string[] }>(
      sql`SELECT secret_enc, recovery_codes FROM totp_factors WHERE user_id = ${officer.id}`,
    );
    assert.ok(!stored[0]!.secret_enc.includes(secret), "the secret is stored encrypted");
    assert.ok(!stored[0]!.recovery_codes.includes(recovery[0]!), "recovery codes are stored as digests");
  });

  it("asks for a code at every sign-in; a replayed or wrong code is refused", async () => {
    const { username, secret } = await enrolledOfficer();
    const b = await browser();
    await b.post("/dang-nhap", { username, password: PASSWORD, next: "/office" });
    const page = await b.get("/dang-nhap/xac-thuc");
    assert.doesNotMatch(page.body, /<img/, "no new enrolment once enrolled");
    assert.equal((await b.post("/dang-nhap/xac-thuc", { code: "123456" })).statusCode, 401);
    const good = await code(secret);
    assert.equal((await b.post("/dang-nhap/xac-thuc", { code: good, next: "/office" })).statusCode, 303);
    assert.equal((await b.get("/api/me")).statusCode, 200);
    // The same code in another sign-in within its 30 seconds: refused (replay).
    const other = await browser();
    await other.post("/dang-nhap", { username, password: PASSWORD });
    assert.equal((await other.post("/dang-nhap/xac-thuc", { code: good })).statusCode, 401);
  });

  it("a recovery code works once", async () => {
    const { username, recovery } = await enrolledOfficer();
    const b = await browser();
    await b.post("/dang-nhap", { username, password: PASSWORD });
    assert.equal((await b.post("/dang-nhap/xac-thuc", { code: recovery[0]!, next: "/" })).statusCode, 303);
    const c = await browser();
    await c.post("/dang-nhap", { username, password: PASSWORD });
    assert.equal((await c.post("/dang-nhap/xac-thuc", { code: recovery[0]! })).statusCode, 401);
    const audited = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'identity.recovery_code_used'`);
    assert.equal(audited[0]?.n, 1);
  });

  it("repeated wrong codes are throttled with Retry-After", async () => {
    const { username, secret } = await enrolledOfficer();
    const b = await browser();
    await b.post("/dang-nhap", { username, password: PASSWORD });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await b.post("/dang-nhap/xac-thuc", { code: "999999" })).statusCode);
    assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 401]);
    const locked = await b.post("/dang-nhap/xac-thuc", { code: await code(secret) });
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers["retry-after"]) > 0);
  });

  it("citizens need no second factor", async () => {
    const b = await browser();
    const res = await b.post("/dang-nhap", { username: (await buildCitizen(env.ctx)).username, password: PASSWORD, next: "/" });
    assert.equal(res.headers.location, "/");
    assert.equal((await b.get("/api/me")).statusCode, 200);
  });
});
