// Nothing typed is lost while filing, in Chromium with JavaScript and without (issue 15, item 2): the citizen types
// the form, uploads a paper (a refused one first), and finds every typed value still there; continues to "Kiểm tra
// lại thông tin", goes back with "Sửa", and files from there; a session that ends before a post loses nothing typed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildProvincialProcedure, DEMO_PLACE, PDF, PNG } from "../../src/modules/dossiers/testing.ts";
import { readDemoAccounts } from "../../src/modules/identity/seeds.ts";
import { type DemoSite, startDemoSite } from "../helpers/demo-site.ts";
import { openPage } from "../helpers/browser.ts";

const PASSWORD = readDemoAccounts().password;
const PROCEDURE = buildProvincialProcedure(DEMO_PLACE, { name: "Cấp phiếu lý lịch tư pháp giữ tờ khai" });

describe("nothing typed is lost while filing, in the browser", () => {
  let site: DemoSite;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    site = await startDemoSite({ procedures: [PROCEDURE] });
    ({ browser, base } = site);
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await site?.close();
  });

  /** The demo citizen, signed in, on a new draft of the procedure. */
  const draft = async (javaScriptEnabled: boolean): Promise<{ page: Page; errors: string[] }> => {
    const context = await browser.newContext({ locale: "vi-VN", javaScriptEnabled });
    contexts.push(context);
    const opened = await openPage(context);
    const { page } = opened;
    await page.goto(`${base}/nop-ho-so/${PROCEDURE.code}`);
    await page.getByLabel("Tên đăng nhập").fill("001199000001");
    await page.getByLabel("Mật khẩu").fill(PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(`${base}/nop-ho-so/${PROCEDURE.code}`);
    await page.getByRole("button", { name: "Bắt đầu khai hồ sơ" }).click();
    await page.waitForURL(/\/ho-so-cua-toi\/[0-9a-f-]+\?da=tao$/);
    return opened;
  };
  const paperButton = (page: Page, label: string) => page.locator("li.paper", { has: page.getByLabel(label) }).getByRole("button", { name: "Tải lên" });

  for (const javaScriptEnabled of [true, false]) {
    it(`keeps what was typed through a refused upload, an accepted one and the check page (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const { page, errors } = await draft(javaScriptEnabled);
      const name = javaScriptEnabled ? "Nguyễn Thị Mai" : "Nguyễn Thị Mai Anh";
      // Typed, never saved as a draft, then a paper chosen and uploaded: a PNG where a PDF is asked.
      await page.getByLabel("Họ và tên").fill(name);
      await page.getByLabel("Số định danh cá nhân").fill("001199000001");
      await page.getByLabel("Chọn tệp: Tờ khai theo mẫu").setInputFiles({ name: "to-khai.pdf", mimeType: "application/pdf", buffer: PNG });
      await paperButton(page, "Chọn tệp: Tờ khai theo mẫu").click();
      await page.waitForLoadState();
      assert.match(await page.locator("#paper-to-khai-error").innerText(), /không được chấp nhận/);
      assert.equal(await page.getByLabel("Họ và tên").inputValue(), name, "kept through a refused upload");
      assert.equal(await page.getByLabel("Số định danh cá nhân").inputValue(), "001199000001");

      // More typed, then the right file: uploaded, and everything typed is still there.
      await page.getByLabel("Họ và tên").fill(`${name} `);
      await page.getByLabel("Chọn tệp: Tờ khai theo mẫu").setInputFiles({ name: "to-khai.pdf", mimeType: "application/pdf", buffer: PDF });
      await paperButton(page, "Chọn tệp: Tờ khai theo mẫu").click();
      await page.waitForURL(/\?da=tai-len$/);
      assert.ok(await page.getByRole("link", { name: "to-khai.pdf" }).isVisible());
      assert.equal(await page.getByLabel("Họ và tên").inputValue(), name, "kept (trimmed) through the upload");
      assert.equal(await page.getByLabel("Số định danh cá nhân").inputValue(), "001199000001");

      // Kiểm tra lại thông tin: the answers, a way back to change one, then filing from there.
      await page.getByRole("button", { name: "Tiếp tục" }).click();
      await page.waitForURL(/\/kiem-tra$/);
      assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "Kiểm tra lại thông tin trước khi nộp");
      assert.equal(await page.locator("#answer-hoTen").innerText(), name);
      assert.equal(await page.locator("#answer-paper-to-khai").innerText(), "to-khai.pdf");
      await page.getByRole("link", { name: "Sửa Số định danh cá nhân" }).click();
      await page.waitForURL(/#f-soCccd$/);
      assert.equal(await page.getByLabel("Số định danh cá nhân").inputValue(), "001199000001");
      await page.getByRole("button", { name: "Tiếp tục" }).click();
      await page.waitForURL(/\/kiem-tra$/);
      await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
      await page.waitForURL(/\?da=nop$/);
      assert.equal(await page.locator("#status").innerText(), "Mới đăng ký, chờ tiếp nhận");
      assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
    });

    it(`keeps what was typed when the session ended before the post (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const { page, errors } = await draft(javaScriptEnabled);
      const draftUrl = page.url().split("?")[0]!;
      await page.getByLabel("Họ và tên").fill("Trần Văn Bình");
      await page.getByRole("button", { name: "Lưu bản nháp" }).click();
      await page.waitForURL(/\?da=luu$/);
      // The session ends (expired, or signed out in another tab) while the next part is typed and a paper chosen.
      await page.context().clearCookies({ name: /^motcua_(portal|session)$/ });
      await page.getByLabel("Số định danh cá nhân").fill("001199000001");
      await page.getByLabel("Chọn tệp: Tờ khai theo mẫu").setInputFiles({ name: "to-khai.pdf", mimeType: "application/pdf", buffer: PDF });
      await paperButton(page, "Chọn tệp: Tờ khai theo mẫu").click();
      await page.getByLabel("Mật khẩu").waitFor();
      await page.getByLabel("Tên đăng nhập").fill("001199000001");
      await page.getByLabel("Mật khẩu").fill(PASSWORD);
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      await page.waitForURL(draftUrl);
      assert.match(await page.getByRole("status").first().innerText(), /Phiên đăng nhập đã hết hạn khi bạn gửi biểu mẫu/);
      assert.equal(await page.getByLabel("Họ và tên").inputValue(), "Trần Văn Bình", "the saved draft");
      assert.equal(await page.getByLabel("Số định danh cá nhân").inputValue(), "001199000001", "typed after it, kept");
      await page.getByRole("button", { name: "Lưu bản nháp" }).click();
      await page.waitForURL(/\?da=luu$/);
      await page.waitForLoadState("networkidle");
      await page.reload();
      assert.equal(await page.getByLabel("Số định danh cá nhân").inputValue(), "001199000001", "saved");
      assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
    });
  }
});
