// The whole path in Chromium (issue 5, item 12): a citizen files online through the portal (form and
// upload), the desk receives it from its queue, the specialist forwards, the leader approves, the desk
// uploads the result, finishes and returns it, and the citizen downloads the result and rates.
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildProvincialProcedure, DEMO_PLACE, PDF } from "../../src/modules/dossiers/testing.ts";
import { readDemoAccounts } from "../../src/modules/identity/seeds.ts";
import { type DemoSite, startDemoSite } from "../helpers/demo-site.ts";
import { axeProblems, officerFirstSignIn, openPage } from "../helpers/browser.ts";

const PASSWORD = readDemoAccounts().password;
const PROCEDURE = buildProvincialProcedure(DEMO_PLACE, { name: "Cấp phiếu lý lịch tư pháp trực tuyến" });

describe("a dossier's whole path in the browser", () => {
  let site: DemoSite;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const a11y: string[] = [];

  before(async () => {
    site = await startDemoSite({ procedures: [PROCEDURE] });
    ({ browser, base } = site);
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await site?.close();
  });

  const open = async () => {
    const context = await browser.newContext({ locale: "vi-VN", acceptDownloads: true });
    contexts.push(context);
    return (await openPage(context)).page;
  };
  const check = async (page: Page) => a11y.push(...(await axeProblems(page)));

  /** An officer signs in to the office, enrolling the second factor on the way (their first sign-in). */
  const officer = async (username: string): Promise<Page> => {
    const page = await open();
    await officerFirstSignIn(page, base, username, PASSWORD);
    return page;
  };
  const status = (page: Page) => page.locator("#status").innerText();

  it("files online, is received, forwarded, approved, finished and returned; the citizen downloads the result and rates", async () => {
    // The citizen signs in through the portal and finds the procedure.
    const citizen = await open();
    await citizen.goto(`${base}/`);
    await citizen.getByRole("link", { name: "Đăng nhập" }).click();
    await citizen.getByLabel("Tên đăng nhập").fill("001199000001");
    await citizen.getByLabel("Mật khẩu").fill(PASSWORD);
    await citizen.getByRole("button", { name: "Đăng nhập" }).click();
    await citizen.waitForURL(`${base}/`);
    await citizen.goto(`${base}/thu-tuc?q=${encodeURIComponent("lý lịch tư pháp trực tuyến")}`);
    await citizen.getByRole("link", { name: PROCEDURE.name }).first().click();
    await citizen.getByRole("link", { name: "Nộp hồ sơ trực tuyến" }).click();
    await citizen.waitForURL(`${base}/nop-ho-so/${PROCEDURE.code}`);
    await check(citizen);
    await citizen.getByLabel("Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh").check();
    await citizen.getByRole("button", { name: "Bắt đầu khai hồ sơ" }).click();
    await citizen.waitForURL(/\/ho-so-cua-toi\/[0-9a-f-]+\?da=tao$/);
    const dossierUrl = citizen.url().split("?")[0]!;

    // Continuing with a missing field is refused next to the field.
    await citizen.getByLabel("Họ và tên").fill("Nguyễn Thị Mai");
    await citizen.getByRole("button", { name: "Tiếp tục" }).click();
    assert.match(await citizen.locator("#form-errors").innerText(), /Cần nhập Số định danh cá nhân/);
    assert.equal(await citizen.getByLabel("Số định danh cá nhân").getAttribute("aria-invalid"), "true");
    assert.equal(await citizen.getByLabel("Họ và tên").inputValue(), "Nguyễn Thị Mai", "what was typed is kept");
    await check(citizen);
    await citizen.getByLabel("Số định danh cá nhân").fill("001199000001");
    await citizen.getByRole("button", { name: "Lưu bản nháp" }).click();
    await citizen.waitForURL(/\?da=luu$/);
    await citizen.getByLabel("Chọn tệp: Tờ khai theo mẫu").setInputFiles({ name: "to-khai.pdf", mimeType: "application/pdf", buffer: PDF });
    await citizen.locator("li.paper", { has: citizen.getByLabel("Chọn tệp: Tờ khai theo mẫu") }).getByRole("button", { name: "Tải lên" }).click();
    await citizen.waitForURL(/\?da=tai-len$/);
    assert.ok(await citizen.getByRole("link", { name: "to-khai.pdf" }).isVisible());
    await citizen.getByRole("button", { name: "Tiếp tục" }).click();
    await citizen.waitForURL(/\/kiem-tra$/);
    await check(citizen);
    await citizen.getByRole("button", { name: "Nộp hồ sơ" }).click();
    await citizen.waitForURL(/\?da=nop$/);
    assert.equal(await status(citizen), "Mới đăng ký, chờ tiếp nhận");
    // The code is given at filing: the citizen has it to quote before the desk has seen the dossier.
    const code = await citizen.locator("#code").innerText();
    assert.match(code, /^000\.00\.01\.H06-\d{6}-0001$/);

    // The desk receives it from the queue of new dossiers.
    const desk = await officer("tiepnhan");
    await desk.getByRole("link", { name: "Hồ sơ cần xử lý" }).first().click();
    await desk.waitForURL(/\/office\/ho-so/);
    assert.equal(await desk.locator(".tabs [aria-current=page]").innerText(), "Mới tiếp nhận");
    await check(desk);
    await desk.getByRole("link", { name: code }).click();
    await check(desk);
    await desk.getByRole("button", { name: "Tiếp nhận hồ sơ", exact: true }).click();
    await desk.waitForURL(/\?da=receive$/);
    assert.equal(await desk.locator("#code").innerText(), code, "the receipt keeps the code given at filing");
    const deskUrl = desk.url().split("?")[0]!;

    // The specialist forwards it, the leader approves it.
    const specialist = await officer("chuyenvien.tuphap");
    await specialist.goto(`${base}/office/ho-so?hang-doi=processing`);
    await specialist.getByRole("link", { name: code }).click();
    await specialist.getByLabel("Ý kiến, ghi chú").first().fill("Hồ sơ đủ điều kiện");
    await specialist.getByRole("button", { name: "Chuyển bước tiếp theo" }).click();
    await specialist.waitForURL(/\?da=forward$/);
    const leader = await officer("lanhdao.tuphap");
    await leader.goto(`${base}/office/ho-so?hang-doi=processing`);
    await leader.getByRole("link", { name: code }).click();
    await check(leader);
    await leader.getByRole("button", { name: "Phê duyệt" }).click();
    await leader.waitForURL(/\?da=approve$/);

    // Back at the centre's return step, the desk uploads the result, finishes and returns it.
    await desk.goto(deskUrl);
    await desk.getByLabel("Văn bản kết quả (PDF)").setInputFiles({ name: "ket-qua.pdf", mimeType: "application/pdf", buffer: PDF });
    await desk.getByRole("button", { name: "Tải lên kết quả và kết thúc xử lý" }).click();
    await desk.waitForURL(/\?da=finish$/);
    assert.equal(await status(desk), "Đã có kết quả");
    await desk.getByRole("button", { name: "Trả kết quả" }).click();
    await desk.waitForURL(/\?da=return$/);
    assert.equal(await status(desk), "Đã trả kết quả");

    // The citizen finds it returned, downloads the result and rates.
    await citizen.goto(`${base}/ho-so-cua-toi`);
    await check(citizen);
    await citizen.getByRole("link", { name: PROCEDURE.name }).click();
    assert.equal(citizen.url(), dossierUrl);
    assert.equal(await status(citizen), "Đã trả kết quả");
    const [download] = await Promise.all([citizen.waitForEvent("download"), citizen.getByRole("link", { name: /Tải kết quả/ }).click()]);
    assert.equal(download.suggestedFilename(), "ket-qua.pdf");
    assert.ok(fs.readFileSync((await download.path())!).equals(PDF));
    await check(citizen);
    await citizen.getByLabel("Rất hài lòng").check();
    await citizen.getByLabel("Ý kiến (không bắt buộc)").fill("Nhanh, chu đáo");
    await citizen.getByRole("button", { name: "Gửi đánh giá" }).click();
    await citizen.waitForURL(/\?da=danh-gia$/);
    assert.equal(await citizen.locator("#rating").innerText(), "Rất hài lòng: Nhanh, chu đáo");

    // Anyone with the receipt's code and key sees its status (what the QR opens).
    const key = await citizen.locator("#lookup-key").innerText();
    const visitor = await open();
    await visitor.goto(`${base}/`);
    await visitor.getByRole("link", { name: "Tra cứu hồ sơ" }).first().click();
    await visitor.getByLabel("Mã hồ sơ").fill(code);
    await visitor.getByLabel("Mã tra cứu").fill(key);
    await visitor.getByRole("button", { name: "Tra cứu" }).click();
    assert.equal(await status(visitor), "Đã trả kết quả");
    await check(visitor);

    assert.deepEqual(a11y, []);
  });
});
