// Signing in through the pages in Chromium: a citizen with a password, an officer with the second factor.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import axe from "axe-core";
import { generate } from "otplib";
import type { Browser } from "playwright-core";
import { buildApp } from "../../src/app.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../../src/modules/directory/seeds.ts";
import { demoAccountsSeed, readDemoAccounts } from "../../src/modules/identity/seeds.ts";
import { runSeeds } from "../../src/platform/db/seeds.ts";
import type { App } from "../../src/platform/http/types.ts";
import { testLogger } from "../../src/platform/log/testing.ts";
import { freePort } from "../helpers/net.ts";
import { type TestEnv, testContext } from "../helpers/app.ts";
import { launchChromium, openPage } from "../helpers/browser.ts";

const PASSWORD = readDemoAccounts().password;

describe("signing in through the pages", () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;

  before(async () => {
    // The portal and the office send the browser to the provider at the public address: this one.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = await testContext({ config: { publicUrl: base } });
    await runSeeds(env.database, [adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory), demoAccountsSeed(env.ctx.identity, testLogger())], {
      demo: true,
    });
    app = await buildApp(env.ctx);
    await app.listen({ port, host: "127.0.0.1" });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await env?.close();
  });

  it("a citizen signs in through the portal's button, sees their name and signs out of the portal and motcua", async () => {
    const context = await browser.newContext({ locale: "vi-VN" });
    try {
      const { page, errors } = await openPage(context);
      await page.goto(`${base}/`);
      await page.getByRole("link", { name: "Đăng nhập" }).click();
      await page.waitForURL(/\/dang-nhap\?next=%2Foidc%2Finteraction%2F/);
      await page.evaluate(axe.source);
      const result = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: typeof axe }).axe.run(document);
        return { violations: r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null })) };
      });
      assert.deepEqual(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical"), []);
      await page.getByLabel("Tên đăng nhập").fill("001199000001");
      await page.getByLabel("Mật khẩu").fill("wrong-password-1");
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      assert.match(await page.locator("[role=alert]").innerText(), /không đúng/);
      await page.getByLabel("Mật khẩu").fill(PASSWORD);
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      await page.waitForURL(`${base}/`);
      assert.match(await page.locator("header").innerText(), /Xin chào, Nguyễn Thị Mai/);
      const cookies = await context.cookies();
      for (const name of ["motcua_session", "motcua_portal"]) {
        const session = cookies.find((c) => c.name === name);
        assert.ok(session?.httpOnly, name);
        assert.equal(session?.sameSite, "Lax", name);
      }
      // Signing out of the portal goes through the provider's end-session endpoint (its form sends itself)
      // and back home, signed out of both.
      await page.getByRole("button", { name: "Đăng xuất" }).click();
      await page.waitForURL(`${base}/`);
      assert.ok(await page.getByRole("link", { name: "Đăng nhập" }).isVisible());
      const left = (await context.cookies()).map((c) => c.name);
      assert.ok(!left.includes("motcua_session") && !left.includes("motcua_portal"), left.join(" "));
      const me = await page.goto(`${base}/api/me`);
      assert.equal(me?.status(), 401);
      // The refused password (401 page) and the signed-out /api/me (401) are the only failed loads; a
      // favicon still loading when a form navigates away is aborted by the browser, not failed.
      assert.deepEqual(errors.filter((e) => !e.includes("status of 401") && !e.endsWith("net::ERR_ABORTED")), []);
    } finally {
      await context.close();
    }
  });

  it("an officer enrols the second factor by QR code, keeps the recovery codes, then signs in with a code", async () => {
    const context = await browser.newContext({ locale: "vi-VN" });
    try {
      const { page } = await openPage(context);
      await page.goto(`${base}/office`);
      await page.getByRole("link", { name: "Đăng nhập" }).click();
      await page.waitForURL(/\/dang-nhap\?next=%2Foidc%2Finteraction%2F/);
      await page.getByLabel("Tên đăng nhập").fill("tiepnhan");
      await page.getByLabel("Mật khẩu").fill(PASSWORD);
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      await page.waitForURL(/\/dang-nhap\/xac-thuc/);
      assert.ok(await page.locator("img[src^='data:image/png']").isVisible(), "the QR code is shown");
      const secret = await page.locator("main code").first().innerText();
      await page.getByLabel("Mã xác thực").fill(await generate({ secret }));
      await page.getByRole("button", { name: "Xác nhận" }).click();
      assert.equal(await page.locator("ul.recovery-codes li").count(), 10);
      await page.getByRole("link", { name: "Tiếp tục" }).click();
      await page.waitForURL(`${base}/office`);
      assert.match(await page.locator("header").innerText(), /Xin chào, /);
      const me = await page.goto(`${base}/api/me`);
      assert.equal(me?.status(), 200);
      assert.equal(((await me?.json()) as { username: string }).username, "tiepnhan");

      // A new browser: password, then a code (30 s later, a fresh one).
      const second = await browser.newContext({ locale: "vi-VN" });
      try {
        const { page: p2 } = await openPage(second);
        await p2.goto(`${base}/office/auth/dang-nhap`);
        await p2.getByLabel("Tên đăng nhập").fill("tiepnhan");
        await p2.getByLabel("Mật khẩu").fill(PASSWORD);
        await p2.getByRole("button", { name: "Đăng nhập" }).click();
        await p2.waitForURL(/\/dang-nhap\/xac-thuc/);
        assert.equal(await p2.locator("img").count(), 0, "no new enrolment");
        const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
        await p2.getByLabel("Mã xác thực").fill(next);
        await p2.getByRole("button", { name: "Xác nhận" }).click();
        await p2.waitForURL(`${base}/office`);
      } finally {
        await second.close();
      }
    } finally {
      await context.close();
    }
  });
});
