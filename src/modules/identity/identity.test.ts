// Accounts, sign-in, throttling, sessions and the pages, on a real database.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import { sql } from "../../platform/db/index.ts";
import { testLogger } from "../../platform/log/testing.ts";
import { type AgencyDto, demoAgenciesSeed } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { checkCccd, checkTaxCode } from "./ids.ts";
import { demoAccountsSeed, readDemoAccounts } from "./seeds.ts";
import { buildBusiness, buildCitizen, buildOfficer, TEST_PASSWORD } from "./testing.ts";
import type { Actor } from "../../platform/auth/actor.ts";

const DEMO_PASSWORD = readDemoAccounts().password;
const code = (err: unknown) => (err as { code?: string }).code;

describe("identifiers", () => {
  // The checks' clock: 5 December 2026 in Vietnam.
  const now = new Date("2026-12-05T10:00:00+07:00");

  it("accepts a well-formed CCCD consistent with the date of birth and sex", () => {
    const r = checkCccd("001199000001", { now, birthDate: "1999-05-12", sex: "female" });
    assert.deepEqual(r, { ok: true, facts: { provinceCode: "001", birthYear: 1999, sex: "female" } });
    assert.equal(checkCccd("079203012345", { now, birthDate: "2003-01-01", sex: "male" }).ok, true);
  });

  it("refuses a CCCD by format, province prefix, birth year and sex", () => {
    assert.deepEqual(checkCccd("00119900001", { now }), { ok: false, problem: "format" });
    assert.deepEqual(checkCccd("00119900000a", { now }), { ok: false, problem: "format" });
    assert.deepEqual(checkCccd("003199000001", { now }), { ok: false, problem: "province" });
    assert.deepEqual(checkCccd("001199000001", { now, birthDate: "2000-01-01" }), { ok: false, problem: "birth_year" });
    assert.deepEqual(checkCccd("001199000001", { now, sex: "male" }), { ok: false, problem: "sex" });
    assert.deepEqual(checkCccd("001299000001", { now, birthDate: "1999-01-01" }), { ok: false, problem: "birth_year" });
  });

  it("refuses a CCCD whose birth year has not come yet, by the clock's year in Vietnam", () => {
    // Century digit 2 (a man born 2000–2099) and year 27: born in 2027, after the clock's 2026.
    assert.deepEqual(checkCccd("001227000001", { now }), { ok: false, problem: "future_birth_year" });
    // Century digit 5 (a woman born 2100–2199): always in the future in 2026, whatever the two digits say.
    assert.deepEqual(checkCccd("001500000001", { now }), { ok: false, problem: "future_birth_year" });
    // This year's births are accepted (a CCCD may be issued to a new-born).
    assert.deepEqual(checkCccd("001326000001", { now }), { ok: true, facts: { provinceCode: "001", birthYear: 2026, sex: "female" } });
    // The year is Vietnam's: at 17:30 UTC on 31 December 2026 it is already 2027 in Hà Nội.
    assert.equal(checkCccd("001227000001", { now: new Date("2026-12-31T16:30:00Z") }).ok, false);
    assert.equal(checkCccd("001227000001", { now: new Date("2026-12-31T17:30:00Z") }).ok, true);
  });

  it("checks a tax code's check digit, with or without a branch suffix", () => {
    assert.deepEqual(checkTaxCode("0100233488"), { ok: true, compact: "0100233488" });
    assert.deepEqual(checkTaxCode("0100233488-001"), { ok: true, compact: "0100233488001" });
    assert.equal(checkTaxCode("0100233489").ok, false);
    assert.equal(checkTaxCode("010023348").ok, false);
    assert.equal(checkTaxCode("01002334ab").ok, false);
  });
});

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | null {
  const raw = res.headers["set-cookie"];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const c of list as string[]) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return m[1] ?? "";
  }
  return null;
}

function setCookieLine(res: { headers: Record<string, unknown> }, name: string): string {
  const raw = res.headers["set-cookie"];
  const list = (Array.isArray(raw) ? raw : [raw]) as string[];
  return list.find((c) => c?.startsWith(`${name}=`)) ?? "";
}

describe("accounts and sessions", () => {
  let env: TestEnv & { app: App };
  let province: AgencyDto;
  before(async () => {
    env = await testApp();
    province = await buildAgency(env.ctx);
  });
  after(() => env.close());

  const auditCount = async (action: string) =>
    (await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`))[0]?.n ?? 0;

  it("registers a citizen with an argon2id hash, audited; a second time is a conflict", async () => {
    const user = await env.ctx.identity.registerCitizen({
      cccd: "027090001234",
      fullName: "Ngô Văn Bình",
      birthDate: "1990-03-04",
      sex: "male",
      email: "binh@example.vn",
      password: "mat-khau-2026",
    });
    assert.equal(user.kind, "citizen");
    assert.deepEqual(user.roles, [{ role: "citizen", agencyCode: "" }]);
    const rows = await env.database.rows<{ password_hash: string }>(sql`SELECT password_hash FROM users WHERE id = ${user.id}`);
    assert.match(rows[0]!.password_hash, /^\$argon2id\$/);
    assert.equal(await auditCount("identity.citizen_registered"), 1);
    await assert.rejects(
      env.ctx.identity.registerCitizen({ cccd: "027090001234", fullName: "X", birthDate: "1990-03-04", sex: "male", password: "mat-khau-2026" }),
      (err) => code(err) === "identity.username_taken",
    );
  });

  it("refuses a registration whose CCCD says its holder is born in the future, naming the number", async () => {
    // Century digit 2 (a man born 2000–2099), year 99: born in 2099, whatever the date of birth typed.
    await assert.rejects(
      env.ctx.identity.registerCitizen({ cccd: "001299000007", fullName: "Nguyễn Văn Tương Lai", birthDate: "2099-01-01", sex: "male", password: "mat-khau-2026" }),
      (err: { code?: string; fields?: Array<{ path: string; message: string }> }) =>
        err.code === "identity.invalid_account" && err.fields?.length === 1 && err.fields[0]!.path === "/cccd" && /năm sinh chưa đến/.test(err.fields[0]!.message),
    );
  });

  it("refuses malformed registrations naming each field, writing nothing", async () => {
    const before = (await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`))[0]?.n;
    await assert.rejects(
      env.ctx.identity.registerCitizen({ cccd: "12345", fullName: "", birthDate: "1990-01-01", sex: "male", email: "not-an-email", password: "short" }),
      (err: { code?: string; fields?: Array<{ path: string }> }) =>
        err.code === "identity.invalid_account" &&
        ["/cccd", "/fullName", "/email", "/password"].every((p) => err.fields?.some((f) => f.path === p)),
    );
    await assert.rejects(
      env.ctx.identity.registerBusiness({ taxCode: "0100233489", name: "Công ty", password: "mat-khau-2026" }),
      (err: { fields?: Array<{ path: string }> }) => err.fields?.[0]?.path === "/taxCode",
    );
    const after = (await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`))[0]?.n;
    assert.equal(after, before);
  });

  it("signs in with the right password; a wrong one or an unknown user gets the same error, audited", async () => {
    const { username } = await buildOfficer(env.ctx, { agency: province, roles: ["receiver"] });
    const ok = await env.ctx.identity.signIn({ username, password: TEST_PASSWORD });
    assert.equal(ok.user.username, username);
    assert.deepEqual(ok.user.roles, [{ role: "receiver", agencyCode: province.code }]);
    const failed = await auditCount("identity.sign_in_failed");
    await assert.rejects(env.ctx.identity.signIn({ username, password: "wrong-password-1" }), (e) => code(e) === "identity.invalid_credentials");
    await assert.rejects(env.ctx.identity.signIn({ username: "nobody.here", password: "wrong-password-1" }), (e) => code(e) === "identity.invalid_credentials");
    assert.equal(await auditCount("identity.sign_in_failed"), failed + 2);
    assert.ok((await auditCount("identity.signed_in")) >= 1);
  });

  it("locks an address out of an account after repeated failures (429 with Retry-After), audited; never the account", async () => {
    const { username } = await buildOfficer(env.ctx, { agency: province, roles: ["supervisor"] });
    const app = env.app;
    const page = await app.inject({ method: "GET", url: "/dang-nhap" });
    const csrf = cookieOf(page, "motcua_csrf")!;
    const post = (password: string, ip: string) =>
      app.inject({
        method: "POST",
        url: "/dang-nhap",
        remoteAddress: ip,
        headers: { cookie: `motcua_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: csrf, username, password, next: "/" }).toString(),
      });
    for (let i = 0; i < 4; i++) assert.equal((await post("wrong-password-1", "10.0.0.9")).statusCode, 401);
    const locked = await post("wrong-password-1", "10.0.0.9");
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers["retry-after"]) > 0);
    assert.match(locked.body, /Đăng nhập sai quá nhiều lần/);
    // Even the right password waits for the lock to end, from that address; from another it signs in.
    assert.equal((await post(TEST_PASSWORD, "10.0.0.9")).statusCode, 429);
    assert.equal(await auditCount("identity.locked_out"), 1);
    assert.equal((await post(TEST_PASSWORD, "10.0.0.10")).statusCode, 303);
  });

  it("signs in through the page: CSRF required, a new HttpOnly SameSite session cookie, then /api/me", async () => {
    const app = env.app;
    const page = await app.inject({ method: "GET", url: "/dang-nhap?next=/tai-khoan" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Đăng nhập/);
    const csrf = cookieOf(page, "motcua_csrf")!;
    assert.ok(csrf);
    const { username } = await buildCitizen(env.ctx, { fullName: "Nguyễn Thị Mai" });
    const form = (extra: Record<string, string>) => new URLSearchParams({ username, password: TEST_PASSWORD, next: "/tai-khoan", ...extra }).toString();
    const noCsrf = await app.inject({ method: "POST", url: "/dang-nhap", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: form({}) });
    assert.equal(noCsrf.statusCode, 403);
    const planted = "A".repeat(43);
    const res = await app.inject({
      method: "POST",
      url: "/dang-nhap",
      headers: { cookie: `motcua_csrf=${csrf}; motcua_session=${planted}`, "content-type": "application/x-www-form-urlencoded" },
      payload: form({ _csrf: csrf }),
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/tai-khoan");
    const token = cookieOf(res, "motcua_session")!;
    assert.ok(token && token !== planted, "a fresh session id, never the one the browser brought");
    const line = setCookieLine(res, "motcua_session");
    assert.match(line, /HttpOnly/);
    assert.match(line, /SameSite=Lax/);
    const me = await app.inject({ method: "GET", url: "/api/me", headers: { cookie: `motcua_session=${token}` } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().username, username);
    assert.deepEqual(me.json().roles, [{ role: "citizen", agencyCode: "" }]);
    const account = await app.inject({ method: "GET", url: "/tai-khoan", headers: { cookie: `motcua_session=${token}` } });
    assert.match(account.body, /Nguyễn Thị Mai/);
    // Sign out ends the session on the server.
    const out = await app.inject({
      method: "POST",
      url: "/dang-xuat",
      headers: { cookie: `motcua_csrf=${csrf}; motcua_session=${token}`, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    assert.equal(out.statusCode, 303);
    assert.equal((await app.inject({ method: "GET", url: "/api/me", headers: { cookie: `motcua_session=${token}` } })).statusCode, 401);
  });

  it("answers /api/me without a session with 401 in the error envelope", async () => {
    const res = await env.app.inject({ method: "GET", url: "/api/me", headers: { cookie: "motcua_session=garbage" } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, "access.unauthenticated");
    assert.ok(res.json().error.requestId);
  });

  it("registers a citizen through the page and signs them in", async () => {
    const page = await env.app.inject({ method: "GET", url: "/dang-ky" });
    const csrf = cookieOf(page, "motcua_csrf")!;
    const post = (fields: Record<string, string>) =>
      env.app.inject({
        method: "POST",
        url: "/dang-ky",
        headers: { cookie: `motcua_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      });
    const bad = await post({ cccd: "001199", fullName: "A <b>", birthDate: "1999-01-01", sex: "male", password: "x" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /12 chữ số/);
    assert.ok(!bad.body.includes("A <b>"), "the echoed name is escaped");
    const ok = await post({ cccd: "036301000777", fullName: "Vũ Thị Lan", birthDate: "2001-07-07", sex: "female", password: "lan-2026-secret" });
    assert.equal(ok.statusCode, 303);
    assert.ok(cookieOf(ok, "motcua_session"));
  });

  it("an agency administrator creates officers within their subtree only; disabling ends sessions", async () => {
    const construction = await buildAgency(env.ctx, { parent: province });
    const justice = await buildAgency(env.ctx, { parent: province });
    const provinceAdmin = await buildOfficer(env.ctx, { agency: province, roles: ["agency_admin"] });
    const admin = await env.ctx.identity.signIn({ username: provinceAdmin.username, password: TEST_PASSWORD });
    const actor = (await env.ctx.identity.session(admin.token))!.actor;
    const officer = await env.ctx.identity.createOfficer(actor, {
      username: "chuyenvien.xaydung",
      fullName: "Bùi Văn Dựng",
      agencyCode: construction.code,
      roles: [{ role: "specialist" }],
      password: "xay-dung-2026",
    });
    assert.deepEqual(officer.roles, [{ role: "specialist", agencyCode: construction.code }]);
    await assert.rejects(
      env.ctx.identity.createOfficer(actor, { username: "root2", fullName: "R", agencyCode: province.code, roles: [{ role: "system_admin" }], password: "root-2026-pass" }),
      (e) => code(e) === "identity.forbidden",
    );
    const justiceLeader = await buildOfficer(env.ctx, { agency: justice, roles: ["leader"] });
    const signedIn = await env.ctx.identity.signIn({ username: justiceLeader.username, password: TEST_PASSWORD });
    const leader = (await env.ctx.identity.session(signedIn.token))!.actor as Actor;
    await assert.rejects(
      env.ctx.identity.createOfficer(leader, { username: "someone", fullName: "S", agencyCode: justice.code, roles: [{ role: "receiver" }], password: "mat-khau-2026" }),
      (e) => code(e) === "identity.forbidden",
    );
    const session = await env.ctx.identity.signIn({ username: "chuyenvien.xaydung", password: "xay-dung-2026" });
    await env.ctx.identity.disable(actor, officer.id);
    assert.equal(await env.ctx.identity.session(session.token), null);
    await assert.rejects(env.ctx.identity.signIn({ username: "chuyenvien.xaydung", password: "xay-dung-2026" }), (e) => code(e) === "identity.account_disabled");
    assert.equal(await auditCount("identity.account_disabled"), 1);
  });

  it("loads every demo account of the README, each able to sign in", async () => {
    await runSeeds(env.database, [demoAgenciesSeed(env.ctx.directory), demoAccountsSeed(env.ctx.identity, testLogger())], { demo: true });
    for (const a of readDemoAccounts().accounts) {
      const { user } = await env.ctx.identity.signIn({ username: a.username, password: DEMO_PASSWORD });
      assert.deepEqual(user.roles, a.roles);
    }
  });

  it("my account lists the sessions, revokes another one, and changes the password ending the others", async () => {
    const app = env.app;
    const { username } = await buildBusiness(env.ctx);
    const a = await env.ctx.identity.signIn({ username, password: TEST_PASSWORD });
    const b = await env.ctx.identity.signIn({ username, password: TEST_PASSWORD });
    const stranger = await env.ctx.identity.signIn({ username: (await buildCitizen(env.ctx)).username, password: TEST_PASSWORD });
    const page = await app.inject({ method: "GET", url: "/tai-khoan", headers: { cookie: `motcua_session=${a.token}` } });
    const csrf = cookieOf(page, "motcua_csrf")!;
    const ids = [...page.body.matchAll(/name="session" value="([0-9a-f]{64})"/g)].map((m) => m[1]!);
    assert.ok(ids.length >= 1, "other sessions can be revoked");
    assert.match(page.body, /Phiên này/);
    const post = (url: string, fields: Record<string, string>, token = a.token) =>
      app.inject({
        method: "POST",
        url,
        headers: { cookie: `motcua_csrf=${csrf}; motcua_session=${token}`, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      });
    // Someone else's session cannot be revoked from this account.
    const strangerId = (await env.ctx.identity.sessionsOf(stranger.user.id))[0]!.id;
    assert.equal((await post("/tai-khoan/phien/thu-hoi", { session: strangerId })).statusCode, 404);
    assert.ok(await env.ctx.identity.session(stranger.token));
    const bId = (await env.ctx.identity.session(b.token))!.sessionId;
    assert.equal((await post("/tai-khoan/phien/thu-hoi", { session: bId })).statusCode, 200);
    assert.equal(await env.ctx.identity.session(b.token), null);
    // Password: the current one is checked, the new one must follow the policy.
    const wrong = await post("/tai-khoan/mat-khau", { currentPassword: "not-it-2026", newPassword: "doanh-nghiep-2027" });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Mật khẩu hiện tại không đúng/);
    const c = await env.ctx.identity.signIn({ username, password: TEST_PASSWORD });
    const ok = await post("/tai-khoan/mat-khau", { currentPassword: TEST_PASSWORD, newPassword: "doanh-nghiep-2027" });
    assert.equal(ok.statusCode, 200);
    assert.equal(await env.ctx.identity.session(c.token), null, "other sessions end");
    assert.ok(await env.ctx.identity.session(a.token), "this session stays");
    await assert.rejects(env.ctx.identity.signIn({ username, password: TEST_PASSWORD }), (e) => code(e) === "identity.invalid_credentials");
    await env.ctx.identity.signIn({ username, password: "doanh-nghiep-2027" });
    assert.equal(await auditCount("identity.password_changed"), 1);
  });
});
