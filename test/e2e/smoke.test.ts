// Browser smoke test: the real app on loopback, driven in the system's Chromium (never a downloaded one).
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import axe from "axe-core";
import type { Browser } from "playwright-core";
import { launchChromium, openPage } from "../helpers/browser.ts";
import { buildApp } from "../../src/app.ts";
import { holidaysSeed } from "../../src/modules/calendar/index.ts";
import { runSeeds } from "../../src/platform/db/seeds.ts";
import type { App } from "../../src/platform/http/types.ts";
import { type TestEnv, testContext } from "../helpers/app.ts";
import { systemActor } from "../../src/platform/auth/actor.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../../src/modules/directory/seeds.ts";
import { buildProcedure } from "../../src/modules/catalog/testing.ts";

// The catalogue pages read procedures the test publishes through the service (the e2e database has no demo data).
const KHAI_SINH = buildProcedure({ name: "Đăng ký khai sinh", field: { code: "HT", name: "Hộ tịch" } });
const KET_HON = buildProcedure({ name: "Đăng ký kết hôn", field: { code: "HT", name: "Hộ tịch" }, fees: [] });

const PAGES = [
  { path: "/", title: /Một cửa điện tử/ },
  { path: "/office", title: /Một cửa điện tử/ },
  { path: "/ngay-nghi?year=2026", title: /2026/ },
  { path: "/thu-tuc", title: /Thủ tục hành chính/ },
  { path: "/thu-tuc?q=qwzx", title: /Thủ tục hành chính/ },
  { path: `/thu-tuc/${KHAI_SINH.code}`, title: /Đăng ký khai sinh/ },
];

describe("browser smoke test", () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;

  before(async () => {
    env = await testContext();
    await runSeeds(env.database, [holidaysSeed(), adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory)], { demo: true });
    for (const p of [KHAI_SINH, KET_HON]) {
      await env.ctx.catalog.create(systemActor("e2e"), p);
      await env.ctx.catalog.publish(systemActor("e2e"), p.code);
    }
    app = await buildApp(env.ctx);
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await env?.close();
  });

  it("loads the home page with its title and no console error", async () => {
    const context = await browser.newContext({ locale: "vi-VN" });
    try {
      const { page, errors } = await openPage(context);
      const res = await page.goto(`${base}/`);
      assert.equal(res?.status(), 200);
      assert.match(await page.title(), /^Cổng dịch vụ công — Một cửa điện tử$/);
      assert.equal(await page.getAttribute("html", "lang"), "vi");
      assert.equal(await page.locator("h1").innerText(), "Dịch vụ công trực tuyến");
      // htmx loaded from our own origin, under the CSP, and read its configuration.
      await page.waitForLoadState("load");
      assert.equal(await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx), "object");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("every page loads with no console error, and axe finds no serious or critical violation", async () => {
    const context = await browser.newContext({ locale: "vi-VN" });
    try {
      for (const { path, title } of PAGES) {
        const { page, errors } = await openPage(context);
        const res = await page.goto(`${base}${path}`);
        assert.equal(res?.status(), 200, path);
        assert.match(await page.title(), title);
        await page.waitForLoadState("load");
        // Evaluated through the DevTools protocol, so the page's CSP (no inline script) does not apply.
        await page.evaluate(axe.source);
        const violations = await page.evaluate(async () => {
          const result = await (window as unknown as { axe: typeof axe }).axe.run(document);
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            nodes: v.nodes.map((n) => n.target.join(" ")),
          }));
        });
        const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        assert.deepEqual(severe, [], `${path}: ${JSON.stringify(severe, null, 2)}`);
        assert.deepEqual(errors, [], path);
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  it("fits a 360 px wide screen with no horizontal scroll", async () => {
    const context = await browser.newContext({ locale: "vi-VN", viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    try {
      for (const { path } of PAGES) {
        const { page, errors } = await openPage(context);
        await page.goto(`${base}${path}`);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        assert.equal(innerWidth, 360, path);
        assert.ok(scrollWidth <= innerWidth, `${path}: content is ${scrollWidth}px wide on a ${innerWidth}px screen`);
        assert.deepEqual(errors, [], path);
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  it("switches to English by clicking, and the choice sticks across pages", async () => {
    const context = await browser.newContext({ locale: "vi-VN" });
    try {
      const { page, errors } = await openPage(context);
      await page.goto(`${base}/ngay-nghi?year=2026`);
      await Promise.all([page.waitForURL(`${base}/ngay-nghi?year=2026`), page.getByRole("link", { name: "English" }).click()]);
      assert.equal(await page.getAttribute("html", "lang"), "en");
      assert.equal(await page.locator("h1").innerText(), "Public holidays and days off in 2026");

      await page.getByRole("link", { name: "Home" }).click();
      await page.waitForURL(`${base}/`);
      assert.equal(await page.locator("h1").innerText(), "Online public services");
      assert.equal(await page.getAttribute("html", "lang"), "en");

      await Promise.all([page.waitForURL(`${base}/`), page.getByRole("link", { name: "Tiếng Việt" }).click()]);
      assert.equal(await page.getAttribute("html", "lang"), "vi");
      assert.equal(await page.locator("h1").innerText(), "Dịch vụ công trực tuyến");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("the skip link is the first stop of the keyboard and shows its focus", async () => {
    const context = await browser.newContext({ locale: "vi-VN" });
    try {
      const { page } = await openPage(context);
      await page.goto(`${base}/`);
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
          text: el.textContent,
          outline: style.outlineStyle,
          outlineWidth: style.outlineWidth,
          visible: box.bottom > 0 && box.right > 0 && box.top < window.innerHeight,
        };
      });
      assert.equal(focused.text, "Bỏ qua đến nội dung chính");
      assert.equal(focused.outline, "solid");
      assert.equal(focused.outlineWidth, "3px");
      assert.ok(focused.visible, "the focused skip link is on screen");
      await page.keyboard.press("Enter");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
    } finally {
      await context.close();
    }
  });

  it("works without JavaScript: the year form is a plain GET form", async () => {
    const context = await browser.newContext({ locale: "vi-VN", javaScriptEnabled: false });
    try {
      const { page, errors } = await openPage(context);
      await page.goto(`${base}/ngay-nghi?year=2026`);
      await page.getByLabel("Năm", { exact: true }).fill("2027");
      await Promise.all([page.waitForURL(`${base}/ngay-nghi?year=2027`), page.getByRole("button", { name: "Xem" }).click()]);
      assert.equal(await page.locator("h1").innerText(), "Ngày nghỉ lễ, Tết năm 2027");
      assert.ok((await page.locator("tbody tr").count()) > 0, "the table lists the days off");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
  it("the catalogue search updates its results as the user types (htmx), and the address follows", async () => {
    const context = await browser.newContext({ locale: "vi-VN" });
    try {
      const { page, errors } = await openPage(context);
      await page.goto(`${base}/thu-tuc`);
      await page.waitForLoadState("load");
      assert.equal(await page.locator("#ket-qua .result").count(), 2);
      await page.getByLabel("Tên thủ tục hoặc từ khóa").pressSequentially("ket hon");
      // The address is the search's own (empty filters left out), so it can be shared or reloaded.
      await page.waitForURL(`${base}/thu-tuc?q=ket+hon`);
      await page.waitForFunction(() => document.querySelectorAll("#ket-qua .result").length === 1);
      assert.equal(await page.locator("#ket-qua .result__title").innerText(), "Đăng ký kết hôn");
      assert.equal(await page.locator("h1").count(), 1, "only the results region was replaced");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("works without JavaScript: the catalogue search is a plain GET form leading to the procedure page", async () => {
    const context = await browser.newContext({ locale: "vi-VN", javaScriptEnabled: false });
    try {
      const { page, errors } = await openPage(context);
      await page.goto(`${base}/thu-tuc`);
      await page.getByLabel("Tên thủ tục hoặc từ khóa").fill("dang ky khai sinh");
      await Promise.all([page.waitForURL(/\/thu-tuc\?q=dang\+ky\+khai\+sinh/), page.getByRole("button", { name: "Tìm kiếm" }).click()]);
      await Promise.all([page.waitForURL(`${base}/thu-tuc/${KHAI_SINH.code}`), page.getByRole("link", { name: "Đăng ký khai sinh" }).click()]);
      assert.equal(await page.locator("h1").innerText(), "Đăng ký khai sinh");
      assert.equal(await page.getByRole("link", { name: "Nộp hồ sơ trực tuyến" }).getAttribute("href"), `/nop-ho-so/${KHAI_SINH.code}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
