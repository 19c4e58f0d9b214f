// Sign-in throttling that cannot lock people out: failures counted per account and address pair (refused), per
// address (refused) and per account (slowed, never refused), in the database, on a test clock that waiting moves on.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { fixedClock } from "../../platform/clock.ts";
import { sql } from "../../platform/db/index.ts";
import { testWorker } from "../../platform/jobs/testing.ts";
import type { App } from "../../platform/http/types.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { accountDelayMs, THROTTLE } from "./service.ts";
import { buildOfficer, TEST_PASSWORD } from "./testing.ts";

const code = (err: unknown) => (err as { code?: string }).code;

describe("sign-in throttling", () => {
  const clock = fixedClock(new Date());
  let env: TestEnv & { app: App };
  let agency: AgencyDto;
  before(async () => {
    env = await testApp({ clock });
    agency = await buildAgency(env.ctx);
  });
  after(() => env.close());

  const auditCount = async (action: string, subject: string) =>
    (await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND subject_id = ${subject}`))[0]
      ?.n ?? 0;

  /** How long (on the test clock) one sign-in took, and how it ended. */
  async function attempt(username: string, password: string, ip: string): Promise<{ waitedMs: number; outcome: string }> {
    const before = clock.now().getTime();
    const outcome = await env.ctx.identity.signIn({ username, password }, { ip }).then(
      () => "signed_in",
      (err: unknown) => code(err) ?? String(err),
    );
    return { waitedMs: clock.now().getTime() - before, outcome };
  }

  /** A sign-in through the page, from `ip`. */
  async function postSignIn(username: string, password: string, ip: string) {
    const page = await env.app.inject({ url: "/dang-nhap", remoteAddress: ip });
    const csrf = /motcua_csrf=([^;]+)/.exec(String(page.headers["set-cookie"]))![1]!;
    return env.app.inject({
      method: "POST",
      url: "/dang-nhap",
      remoteAddress: ip,
      headers: { cookie: `motcua_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      payload: new URLSearchParams({ _csrf: csrf, username, password, next: "/" }).toString(),
    });
  }

  it("refuses the attacker's own address after five failures, the right password included, 429 with Retry-After, audited", async () => {
    const officer = await buildOfficer(env.ctx, { agency, roles: ["receiver"] });
    for (let i = 1; i < THROTTLE.pair.limit; i++) assert.equal((await postSignIn(officer.username, `doan-sai-${i}`, "203.0.113.7")).statusCode, 401);
    const locked = await postSignIn(officer.username, "doan-sai-5", "203.0.113.7");
    assert.equal(locked.statusCode, 429);
    assert.equal(Number(locked.headers["retry-after"]), THROTTLE.pair.lockSeconds);
    assert.match(locked.body, /Đăng nhập sai quá nhiều lần/);
    assert.equal((await postSignIn(officer.username, TEST_PASSWORD, "203.0.113.7")).statusCode, 429, "the right password too, from that address");
    assert.equal(await auditCount("identity.locked_out", officer.id), 1);
    assert.equal(await auditCount("identity.sign_in_failed", officer.id), THROTTLE.pair.limit);

    // The officer, at another address, signs in at once; the attacker's address gets in again once its lock ends.
    const elsewhere = await postSignIn(officer.username, TEST_PASSWORD, "198.51.100.20");
    assert.equal(elsewhere.statusCode, 303);
    assert.match(String(elsewhere.headers["set-cookie"]), /motcua_session=/);
    clock.advance(THROTTLE.pair.lockSeconds * 1000);
    assert.equal((await postSignIn(officer.username, "doan-sai-6", "203.0.113.7")).statusCode, 401);
  });

  it("an attacker with many addresses cannot keep the officer out: the right password from an address that has not failed signs in", async () => {
    const officer = await buildOfficer(env.ctx, { agency, roles: ["receiver"] });
    // Sixty guesses from fifteen addresses, each stopping short of its own lock.
    for (let a = 1; a <= 15; a++) {
      for (let i = 1; i < THROTTLE.pair.limit; i++) {
        assert.equal((await attempt(officer.username, `doan-sai-${a}-${i}`, `192.0.2.${a}`)).outcome, "identity.invalid_credentials");
      }
    }
    const owner = await attempt(officer.username, TEST_PASSWORD, "198.51.100.30");
    assert.equal(owner.outcome, "signed_in");
    assert.equal(owner.waitedMs, THROTTLE.account.maxDelayMs, "slowed as every attempt on the account is, not refused");
    assert.equal(await auditCount("identity.locked_out", officer.id), 0);
  });

  it("slows every attempt on an account failing from many addresses, more with each failure up to a cap, and never refuses", async () => {
    const officer = await buildOfficer(env.ctx, { agency, roles: ["receiver"] });
    const waits: number[] = [];
    const outcomes = new Set<string>();
    // One guess from each address: no address reaches its own limit.
    for (let i = 1; i <= THROTTLE.account.freeFailures + 5; i++) {
      const r = await attempt(officer.username, `doan-sai-${i}`, `192.0.2.${100 + i}`);
      waits.push(r.waitedMs);
      outcomes.add(r.outcome);
    }
    assert.deepEqual([...outcomes], ["identity.invalid_credentials"]);
    assert.deepEqual(waits, [...Array<number>(THROTTLE.account.freeFailures).fill(0), 1000, 2000, 4000, 8000, 8000]);
    // The slowdown ends with the account's window; a sign-in does not lift it for the guessers.
    assert.equal((await attempt(officer.username, TEST_PASSWORD, "198.51.100.40")).waitedMs, 8000);
    clock.advance(THROTTLE.account.windowSeconds * 1000);
    assert.deepEqual(await attempt(officer.username, TEST_PASSWORD, "198.51.100.40"), { waitedMs: 0, outcome: "signed_in" });
  });

  it("refuses an address spraying many accounts, and only that address", async () => {
    const officers = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => buildOfficer(env.ctx, { agency, roles: ["receiver"] })));
    let last = "";
    // Four guesses per account: no pair is locked; the address is, at its limit.
    for (let i = 0; i < THROTTLE.address.limit; i++) last = (await attempt(officers[i % 8]!.username, `phun-${i}`, "203.0.113.99")).outcome;
    assert.equal(last, "identity.sign_in_throttled");
    assert.equal((await attempt(officers[0]!.username, TEST_PASSWORD, "203.0.113.99")).outcome, "identity.sign_in_throttled");
    assert.equal((await attempt(officers[0]!.username, TEST_PASSWORD, "198.51.100.50")).outcome, "signed_in");
  });

  it("forgets, hourly, the counts whose window has ended, keeping those still counting", async () => {
    assert.ok(env.ctx.jobs.schedules().some((s) => s.name === "identity.forget_sign_in_failures"), "scheduled");
    const rows = async () => (await env.database.rows<{ key: string }>(sql`SELECT key FROM sign_in_throttle ORDER BY key`)).map((r) => r.key);
    const run = async () => {
      await env.ctx.jobs.enqueue(env.database.db, "identity.forget_sign_in_failures", {});
      await testWorker(env.database, env.ctx.jobs).runOnce();
    };
    const officer = await buildOfficer(env.ctx, { agency, roles: ["receiver"] });
    clock.advance(THROTTLE.address.windowSeconds * 1000 + 1);
    await run(); // the earlier tests' counts
    await attempt(officer.username, "sai-mat-khau", "192.0.2.77");
    const counting = await rows();
    assert.equal(counting.length, 3, `the pair, the address and the account are counted: ${counting.join(", ")}`);
    clock.advance(THROTTLE.address.windowSeconds * 1000 - 60_000);
    await run();
    assert.deepEqual(await rows(), counting, "still within their window");
    clock.advance(120_000);
    await run();
    assert.deepEqual(await rows(), [], "their window has ended");
  });

  it("counts the account's failures in a window", () => {
    const now = new Date("2026-03-02T08:00:00Z");
    const { windowSeconds, freeFailures } = THROTTLE.account;
    assert.equal(accountDelayMs(null, now), 0);
    assert.equal(accountDelayMs({ failures: freeFailures - 1, windowStart: now }, now), 0);
    assert.equal(accountDelayMs({ failures: freeFailures, windowStart: now }, now), 1000);
    assert.equal(accountDelayMs({ failures: 1000, windowStart: now }, now), THROTTLE.account.maxDelayMs);
    assert.equal(accountDelayMs({ failures: 1000, windowStart: new Date(now.getTime() - windowSeconds * 1000) }, now), 0, "the window has passed");
  });
});
