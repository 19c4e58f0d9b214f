// My account and the administration of officer accounts in Chromium: an agency administrator signs in
// with the second factor, creates an officer through the form and disables the account; every page
// passes axe-core without serious or critical violations.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import axe from "axe-core";
import { generate } from "otplib";
import type { Browser, Page } from "playwright-core";
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

async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string | null }>> {
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: typeof axe }).axe.run(document);
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical");
}

describe("account administration in a browser", () => {
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

  it("an agency administrator creates an officer through the form and disables the account", async () => {
    const context = await browser.newContext({ locale: "vi-VN" });
    try {
      const { page } = await openPage(context);
      await page.goto(`${base}/quan-tri/tai-khoan`);
      // Not signed in: sent through the office's sign-in to the provider's page, then on to the second
      // factor, then back.
      await page.waitForURL(/\/dang-nhap\?next=%2Foidc%2Finteraction%2F/);
      await page.getByLabel("Tên đăng nhập").fill("quantri.tinh");
      await page.getByLabel("Mật khẩu").fill(PASSWORD);
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      await page.waitForURL(/\/dang-nhap\/xac-thuc/);
      const secret = await page.locator("main code").first().innerText();
      await page.getByLabel("Mã xác thực").fill(await generate({ secret }));
      await page.getByRole("button", { name: "Xác nhận" }).click();
      await page.getByRole("link", { name: "Tiếp tục" }).click();
      await page.waitForURL(`${base}/quan-tri/tai-khoan`);
      assert.deepEqual(await seriousViolations(page), [], "the list of officers");
      assert.ok(await page.getByRole("link", { name: "chuyenvien.tuphap" }).isVisible());

      await page.getByLabel("Cơ quan").selectOption("000.00.11.H06");
      await page.getByRole("button", { name: "Xem" }).click();
      await page.getByRole("link", { name: "Tạo tài khoản cán bộ" }).click();
      assert.deepEqual(await seriousViolations(page), [], "the form to create an officer");
      await page.getByLabel("Tên đăng nhập").fill("hotich.tuphap");
      await page.getByLabel("Họ và tên").fill("Đặng Văn Hộ");
      await page.getByLabel("Phòng ban").selectOption("hanh-chinh-tu-phap");
      await page.getByLabel(/^Chuyên viên/).check();
      await page.getByLabel("Mật khẩu ban đầu").fill("ho-tich-2026");
      await page.getByRole("button", { name: "Tạo tài khoản" }).click();
      await page.waitForURL(/\/quan-tri\/tai-khoan\/[0-9a-f-]{36}\?da=tao-moi/);
      assert.match(await page.locator("[role=status]").innerText(), /Đã tạo tài khoản cán bộ/);
      assert.deepEqual(await seriousViolations(page), [], "the officer's page");

      await page.getByRole("button", { name: "Khóa tài khoản" }).click();
      await page.waitForURL(/da=khoa/);
      assert.match(await page.locator("#status").innerText(), /Đã khóa/);
      const created = await env.ctx.identity.findByUsername("hotich.tuphap");
      assert.equal(created?.status, "disabled");
      assert.equal(created?.departmentCode, "hanh-chinh-tu-phap");

      await page.goto(`${base}/tai-khoan`);
      assert.deepEqual(await seriousViolations(page), [], "my account");
      assert.match(await page.locator("#second-factor-status").innerText(), /Còn 10 mã khôi phục/);
    } finally {
      await context.close();
    }
  });
});
