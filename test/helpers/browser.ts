// Debian's Chromium driven by playwright-core (never a downloaded browser), for the browser tests.
import assert from "node:assert/strict";
import fs from "node:fs";
import axe from "axe-core";
import { generate } from "otplib";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page that records console errors and uncaught exceptions from the moment it opens. */
export async function openPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  // A request cancelled by a navigation of the page begun after it (a favicon still loading when a link was followed:
  // net::ERR_ABORTED) is not the page's failure; any other failed request is. The navigation's own request is issued
  // before the document it leaves cancels its loads.
  let navigations = 0;
  const madeAfter = new WeakMap<object, number>();
  page.on("request", (r) => {
    madeAfter.set(r, navigations);
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) navigations++;
  });
  page.on("requestfailed", (r) => {
    const text = r.failure()?.errorText ?? "";
    if (text === "net::ERR_ABORTED" && !r.isNavigationRequest() && navigations > (madeAfter.get(r) ?? navigations)) return;
    errors.push(`requestfailed: ${r.url()} ${text}`);
  });
  return { page, errors };
}

/**
 * axe-core's violations on the page as it is now, `page url: rule nodes` each: of any impact (`all`), or only the
 * serious and critical ones (the default).
 */
export async function axeProblems(page: Page, opts: { all?: boolean } = {}): Promise<string[]> {
  await page.evaluate(axe.source);
  const found = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: typeof axe }).axe.run(document);
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
  });
  return found.filter((v) => opts.all || v.impact === "serious" || v.impact === "critical").map((v) => `${page.url()}: ${v.id} ${v.nodes.join(", ")}`);
}

/**
 * Signs an officer in to the office from `page` on their first sign-in, enrolling the second factor on the way
 * (the demo accounts have none yet); ends on `${base}/office`.
 */
export async function officerFirstSignIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/office`);
  await page.getByRole("link", { name: "Đăng nhập" }).click();
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL(/\/dang-nhap\/xac-thuc/);
  const secret = await page.locator("main code").first().innerText();
  await page.getByLabel("Mã xác thực").fill(await generate({ secret }));
  await page.getByRole("button", { name: "Xác nhận" }).click();
  await page.getByRole("link", { name: "Tiếp tục" }).click();
  await page.waitForURL(`${base}/office`);
}
