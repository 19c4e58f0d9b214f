// Filing anywhere in the province in Chromium (issue 14, item 3), on the demo data: a walk-in files the Department
// of Justice's "Đăng ký hành nghề và cấp Thẻ công chứng viên" (a provincial procedure) at Phường Kinh Bắc's desk,
// which receives it under its own code; the department's specialist finds it "transferred to us", takes it up and
// examines it; the leader signs and issues the result; the result comes back to Kinh Bắc's desk, which returns it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { PDF, PNG } from "../../src/modules/dossiers/testing.ts";
import { readDemoAccounts } from "../../src/modules/identity/seeds.ts";
import { type DemoSite, startDemoSite } from "../helpers/demo-site.ts";
import { axeProblems, officerFirstSignIn, openPage } from "../helpers/browser.ts";

const PASSWORD = readDemoAccounts().password;
/** The demo catalogue's notary card (Sở Tư pháp), received at the provincial centre unless filed elsewhere. */
const PROCEDURE = "1.900211";
const WARD = "Ủy ban nhân dân phường Kinh Bắc";

describe("filing anywhere in the province, in the browser", () => {
  let site: DemoSite;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const a11y: string[] = [];
  const check = async (page: Page) => a11y.push(...(await axeProblems(page)));

  before(async () => {
    site = await startDemoSite({ demoCatalog: true });
    ({ browser, base } = site);
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await site?.close();
  });

  /** A demo officer signs in to the office, enrolling the second factor on the way (their first sign-in). */
  const officer = async (username: string): Promise<Page> => {
    const context = await browser.newContext({ locale: "vi-VN" });
    contexts.push(context);
    const { page } = await openPage(context);
    await officerFirstSignIn(page, base, username, PASSWORD);
    return page;
  };
  const status = (page: Page) => page.locator("#status").innerText();
  const upload = async (page: Page, key: string, file: { name: string; mimeType: string; buffer: Buffer }) => {
    await page.locator(`#paper-${key}`).setInputFiles(file);
    await page.locator("li.paper", { has: page.locator(`#paper-${key}`) }).getByRole("button", { name: "Tải lên" }).click();
    await page.waitForURL(/\?da=tai-len$/);
  };

  it("is received at Kinh Bắc's desk, processed at the Department of Justice, and returned at Kinh Bắc", async () => {
    // Kinh Bắc's desk takes the walk-in's dossier of a provincial procedure at its counter.
    const desk = await officer("tiepnhan.kinhbac");
    await desk.goto(`${base}/office/tiep-nhan/moi?thu-tuc=${PROCEDURE}`);
    assert.equal(await desk.locator("#agency option[selected]").innerText(), WARD, "the desk's own agency first");
    await check(desk);
    await desk.locator("#a-name").fill("Trần Thị Công");
    await desk.locator("#a-idNumber").fill("001185000777");
    await desk.locator("#a-phone").fill("0912345678");
    await desk.locator("#a-address").fill("Xã Phật Tích, tỉnh Bắc Ninh");
    const form: Record<string, string> = {
      hoTen: "Trần Thị Công",
      ngaySinh: "1985-04-12",
      soDinhDanh: "001185000777",
      soDienThoai: "0912345678",
      email: "cong@example.vn",
      soQuyetDinhBoNhiem: "1234/QĐ-BTP",
      ngayBoNhiem: "2026-10-01",
      tenToChucHanhNghe: "Văn phòng công chứng Kinh Bắc",
      diaChiToChucHanhNghe: "Phường Kinh Bắc, tỉnh Bắc Ninh",
    };
    for (const [name, value] of Object.entries(form)) await desk.locator(`#f-${name}`).fill(value);
    await desk.getByRole("button", { name: "Tạo hồ sơ" }).click();
    await desk.waitForURL(/\/office\/ho-so\/[0-9a-f-]+\?da=tao$/);
    const deskUrl = desk.url().split("?")[0]!;
    // At the counter the paper declaration is scanned like every other paper.
    await upload(desk, "giay-de-nghi", { name: "giay-de-nghi.pdf", mimeType: "application/pdf", buffer: PDF });
    await upload(desk, "quyet-dinh-bo-nhiem", { name: "quyet-dinh.pdf", mimeType: "application/pdf", buffer: PDF });
    await upload(desk, "anh", { name: "anh.png", mimeType: "image/png", buffer: PNG });
    await desk.getByRole("button", { name: "Nộp và tiếp nhận hồ sơ" }).click();
    await desk.waitForURL(/\?da=/);
    const code = await desk.locator("#code").innerText();
    assert.match(code, /^000\.00\.51\.H06-\d{6}-0001$/, "the receipt's code is Kinh Bắc's");
    assert.match(await status(desk), /Tiếp nhận hồ sơ liên thông/);
    assert.equal(await desk.locator("#return-desk").innerText(), WARD);
    await check(desk);

    // The department's specialist finds it transferred from Kinh Bắc, takes it up and examines it.
    const specialist = await officer("chuyenvien.tuphap");
    await specialist.goto(`${base}/office/ho-so?hang-doi=processing`);
    const row = specialist.locator("tr", { has: specialist.getByRole("link", { name: code }) });
    assert.match(await row.innerText(), /Được chuyển đến từ Ủy ban nhân dân phường Kinh Bắc/);
    await check(specialist);
    await specialist.getByRole("link", { name: code }).click();
    await specialist.getByRole("button", { name: "Chuyển bước tiếp theo" }).click();
    await specialist.waitForURL(/\?da=forward$/);
    assert.match(await status(specialist), /Phòng Bổ trợ tư pháp kiểm tra hồ sơ/);
    await specialist.getByRole("button", { name: "Chuyển bước tiếp theo" }).click();
    await specialist.waitForURL(/\?da=forward$/);

    // The leader signs and issues the result: it goes back to Kinh Bắc's desk.
    const leader = await officer("lanhdao.tuphap");
    await leader.goto(`${base}/office/ho-so?hang-doi=processing`);
    await leader.getByRole("link", { name: code }).click();
    await leader.getByLabel("Văn bản kết quả (PDF)").setInputFiles({ name: "the-cong-chung-vien.pdf", mimeType: "application/pdf", buffer: PDF });
    await leader.getByRole("button", { name: "Tải lên kết quả và kết thúc xử lý" }).click();
    await leader.waitForURL(/\?da=finish$/);

    // Kinh Bắc's desk finds it among the results to return, and returns it.
    await desk.goto(`${base}/office/ho-so?hang-doi=finished`);
    await desk.getByRole("link", { name: code }).click();
    assert.equal(desk.url().split("?")[0], deskUrl);
    assert.equal(await status(desk), "Đã có kết quả");
    await desk.getByRole("button", { name: "Trả kết quả" }).click();
    await desk.waitForURL(/\?da=return$/);
    assert.equal(await status(desk), "Đã trả kết quả");
    // The hand-overs (the control sheet's rows, by the names its PDF gives): Kinh Bắc's reception, the hand-over to the department, its steps,
    // the return at Kinh Bắc.
    const steps = await desk.locator("#steps ~ .table-scroll table").first().innerText();
    const rows = steps.split("\n").slice(2).map((r) => r.split("\t").slice(0, 2).join(" @ "));
    assert.deepEqual(rows, [
      `Tiếp nhận hồ sơ, cấp giấy tiếp nhận và hẹn trả kết quả, chuyển cơ quan giải quyết @ ${WARD}`,
      "Tiếp nhận hồ sơ liên thông từ nơi tiếp nhận @ Phòng Bổ trợ tư pháp - Sở Tư pháp tỉnh Bắc Ninh",
      "Phòng Bổ trợ tư pháp kiểm tra hồ sơ, dự thảo quyết định đăng ký hành nghề và Thẻ công chứng viên @ Phòng Bổ trợ tư pháp - Sở Tư pháp tỉnh Bắc Ninh",
      "Lãnh đạo Sở xem xét, ký kết quả @ Sở Tư pháp tỉnh Bắc Ninh",
      `Nhận kết quả từ cơ quan giải quyết, trả kết quả cho người nộp hồ sơ @ ${WARD}`,
    ]);
    assert.deepEqual(a11y, []);
  });
});
