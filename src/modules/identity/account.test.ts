// "My account": the email address (change, verification link sent again) and the second factor's
// recovery codes, through the pages with their CSRF tokens.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import { buildBusiness, buildCitizen, buildOfficer, formBrowser, signInThroughPages, TEST_PASSWORD as PASSWORD, totpCode } from "./testing.ts";

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };

describe("my account: email and second factor", () => {
  let env: TestEnv & { app: App };
  before(async () => {
    env = await testApp({ clock, config: { publicUrl: "https://dvc.example.gov.vn" } });
  });
  after(() => env.close());

  const mailsTo = async (address: string) =>
    (await env.database.rows<{ payload: { to: string; text: string } }>(sql`SELECT payload FROM jobs WHERE name = 'mail.send' ORDER BY id`))
      .map((r) => r.payload)
      .filter((m) => m.to === address);
  const linkIn = (text: string) => new URL(/https:\/\/dvc\.example\.gov\.vn\S+/.exec(text)![0]);
  const actions = async (username: string) =>
    (
      await env.database.rows<{ action: string }>(
        sql`SELECT a.action FROM audit_log a JOIN users u ON u.id = a.subject_id WHERE u.username = ${username} ORDER BY a.id`,
      )
    ).map((r) => r.action);

  it("shows the address and whether it is verified; a citizen has no second-factor section", async () => {
    const citizen = await buildCitizen(env.ctx);
    const b = await formBrowser(env.app);
    await signInThroughPages(env.ctx, b, citizen.username, PASSWORD);
    const page = await b.get("/tai-khoan");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<p id="email-status"><span>${escaped(citizen.user.email!)}</span> —\\s*<strong>đã xác minh</strong>`));
    assert.doesNotMatch(page.body, /second-factor-status/);
    assert.doesNotMatch(page.body, /\/quan-tri\/tai-khoan/, "a citizen administers nothing");
  });

  it("changes the address only with the right password; the new one is unverified until its link is opened", async () => {
    const { username, user } = await buildCitizen(env.ctx);
    const b = await formBrowser(env.app);
    await signInThroughPages(env.ctx, b, username, PASSWORD);
    const wrong = await b.post("/tai-khoan/thu-dien-tu", { email: "mai.moi@example.vn", emailPassword: "not-the-password-1" });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /id="emailPassword"[^>]*aria-invalid="true"/);
    assert.equal((await env.ctx.identity.findByUsername(username))?.email, user.email, "nothing changed");
    const bad = await b.post("/tai-khoan/thu-dien-tu", { email: "not an address", emailPassword: PASSWORD });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Địa chỉ thư điện tử không hợp lệ/);

    const ok = await b.post("/tai-khoan/thu-dien-tu", { email: "mai.moi@example.vn", emailPassword: PASSWORD });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /<strong>chưa xác minh<\/strong>/);
    const changed = (await env.ctx.identity.findByUsername(username))!;
    assert.deepEqual([changed.email, changed.emailVerified], ["mai.moi@example.vn", false]);
    const [mail] = await mailsTo("mai.moi@example.vn");
    assert.ok(mail, "a verification link went to the new address");

    const link = linkIn(mail.text);
    assert.equal((await b.get(link.pathname + link.search)).statusCode, 200);
    assert.equal((await env.ctx.identity.findByUsername(username))?.emailVerified, true);
    assert.ok((await actions(username)).includes("identity.email_changed"));
  });

  it("keeps where the citizen lives, given on the account page, tidied; empty removes it; an officer has no such form", async () => {
    const citizen = await buildCitizen(env.ctx);
    const b = await formBrowser(env.app);
    await signInThroughPages(env.ctx, b, citizen.username, PASSWORD);
    assert.match((await b.get("/tai-khoan")).body, /<label for="address">Địa chỉ nơi cư trú<\/label>/);
    const saved = await b.post("/tai-khoan/dia-chi", { address: "  Số 5,  ngõ 12 phố Huế,\tphường Hai Bà Trưng, Hà Nội " });
    assert.equal(saved.statusCode, 200);
    assert.match(saved.body, /Đã lưu địa chỉ\./);
    assert.match(saved.body, /id="address"[^>]*value="Số 5, ngõ 12 phố Huế, phường Hai Bà Trưng, Hà Nội"/);
    assert.equal((await env.ctx.identity.findByUsername(citizen.username))?.address, "Số 5, ngõ 12 phố Huế, phường Hai Bà Trưng, Hà Nội");
    const tooLong = await b.post("/tai-khoan/dia-chi", { address: "x".repeat(301) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /Địa chỉ dài quá 300 ký tự/);
    assert.equal((await b.post("/tai-khoan/dia-chi", { address: "" })).statusCode, 200);
    assert.equal((await env.ctx.identity.findByUsername(citizen.username))?.address, null);
    const officer = await buildOfficer(env.ctx, { roles: ["specialist"] });
    const o = await formBrowser(env.app);
    await signInThroughPages(env.ctx, o, officer.username, PASSWORD);
    assert.doesNotMatch((await o.get("/tai-khoan")).body, /id="address"/);
    assert.equal((await o.post("/tai-khoan/dia-chi", { address: "Trụ sở" })).statusCode, 403);
  });

  it("an address changed again makes the earlier link useless", async () => {
    const { username } = await buildBusiness(env.ctx);
    const b = await formBrowser(env.app);
    await signInThroughPages(env.ctx, b, username, PASSWORD);
    await b.post("/tai-khoan/thu-dien-tu", { email: "mot@example.vn", emailPassword: PASSWORD });
    const first = linkIn((await mailsTo("mot@example.vn"))[0]!.text);
    await b.post("/tai-khoan/thu-dien-tu", { email: "hai@example.vn", emailPassword: PASSWORD });
    const stale = await b.get(first.pathname + first.search);
    assert.equal(stale.statusCode, 400);
    assert.equal((await env.ctx.identity.findByUsername(username))?.emailVerified, false);
    // Removing the address altogether.
    const removed = await b.post("/tai-khoan/thu-dien-tu", { email: "", emailPassword: PASSWORD });
    assert.equal(removed.statusCode, 200);
    assert.equal((await env.ctx.identity.findByUsername(username))?.email, null);
  });

  it("sends the verification link again, at most three an hour (429 with Retry-After)", async () => {
    const { username } = await buildOfficer(env.ctx, { roles: ["receiver"] });
    const b = await formBrowser(env.app);
    await signInThroughPages(env.ctx, b, username, PASSWORD);
    // An officer without a second factor enrols at sign-in; then changes the address (one link).
    await b.post("/tai-khoan/thu-dien-tu", { email: "tiepnhan@example.gov.vn", emailPassword: PASSWORD });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await b.post("/tai-khoan/thu-dien-tu/gui-lai", {}));
    assert.deepEqual(answers.map((a) => a.statusCode), [200, 200, 429]);
    assert.ok(Number(answers[2]!.headers["retry-after"]) > 0);
    assert.equal((await mailsTo("tiepnhan@example.gov.vn")).length, 3);
    offset += 61 * 60_000;
    assert.equal((await b.post("/tai-khoan/thu-dien-tu/gui-lai", {})).statusCode, 200, "allowed again an hour later");
    // A form without its CSRF token changes nothing.
    const forged = await env.app.inject({
      method: "POST",
      url: "/tai-khoan/thu-dien-tu",
      headers: { cookie: [...b.cookies].filter(([k]) => k !== "motcua_csrf").map(([k, v]) => `${k}=${v}`).join("; "), "content-type": "application/x-www-form-urlencoded" },
      payload: `email=evil%40example.com&emailPassword=${PASSWORD}`,
    });
    assert.equal(forged.statusCode, 403);
    assert.match(forged.body, /<h1>Không thực hiện được<\/h1>[\s\S]*Biểu mẫu đã hết hạn/);
    assert.equal((await env.ctx.identity.findByUsername(username))?.email, "tiepnhan@example.gov.vn");
  });

  it("an officer sees the second factor and makes new recovery codes with a current code; the old ones stop working", async () => {
    offset += 60_000;
    const { username } = await buildOfficer(env.ctx, { roles: ["leader"] });
    const b = await formBrowser(env.app);
    const { secret, recovery } = await signInThroughPages(env.ctx, b, username, PASSWORD);
    const page = await b.get("/tai-khoan");
    assert.match(page.body, /Còn 10 mã khôi phục/);

    const wrong = await b.post("/tai-khoan/xac-thuc/ma-khoi-phuc", { code: "000000" });
    assert.equal(wrong.statusCode, 401);
    // A recovery code cannot make new recovery codes.
    assert.equal((await b.post("/tai-khoan/xac-thuc/ma-khoi-phuc", { code: recovery[1]! })).statusCode, 401);

    offset += 60_000;
    const fresh = await b.post("/tai-khoan/xac-thuc/ma-khoi-phuc", { code: await totpCode(secret!, clock) });
    assert.equal(fresh.statusCode, 200);
    const codes = [...fresh.body.matchAll(/<code>([0-9a-f]{5}-[0-9a-f]{5})<\/code>/g)].map((m) => m[1]!);
    assert.equal(codes.length, 10);
    assert.equal(codes.filter((c) => recovery.includes(c)).length, 0);

    // An old recovery code no longer signs in; a new one does.
    const old = await formBrowser(env.app);
    await old.post("/dang-nhap", { username, password: PASSWORD });
    assert.equal((await old.post("/dang-nhap/xac-thuc", { code: recovery[0]! })).statusCode, 401);
    assert.equal((await old.post("/dang-nhap/xac-thuc", { code: codes[0]!, next: "/tai-khoan" })).statusCode, 303);
    assert.match((await old.get("/tai-khoan")).body, /Còn 9 mã khôi phục/);
    assert.ok((await actions(username)).includes("identity.recovery_codes_regenerated"));
  });

  it("a business registers with its tax code through the page; a wrong check digit is refused naming the field, and nothing is created", async () => {
    const b = await formBrowser(env.app);
    const form = await b.get("/dang-ky/doanh-nghiep");
    assert.equal(form.statusCode, 200);
    const bad = await b.post("/dang-ky/doanh-nghiep", { taxCode: "0101243151", name: "Công ty Cổ phần Ví dụ", password: "doanh-nghiep-2026" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="taxCode"[^>]*aria-invalid="true"/);
    assert.match(bad.body, /Mã số thuế không hợp lệ/);
    assert.equal(await env.ctx.identity.findByUsername("0101243151"), null);

    const ok = await b.post("/dang-ky/doanh-nghiep", { taxCode: "0101243150-001", name: "Chi nhánh Công ty Ví dụ", password: "doanh-nghiep-2026" });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, "/tai-khoan");
    const me = await b.get("/api/me");
    assert.deepEqual([me.json().username, me.json().kind, me.json().roles], ["0101243150001", "business", [{ role: "business", agencyCode: "" }]]);
    const again = await (await formBrowser(env.app)).post("/dang-ky/doanh-nghiep", { taxCode: "0101243150001", name: "Trùng", password: "doanh-nghiep-2026" });
    assert.equal(again.statusCode, 409);
  });

  it("a business adds a representative citizen by CCCD on its account page; a malformed or unknown CCCD is refused (400)", async () => {
    const business = await buildBusiness(env.ctx);
    const citizen = await buildCitizen(env.ctx, { fullName: "Nguyễn Thị Mai" });
    const b = await formBrowser(env.app);
    await signInThroughPages(env.ctx, b, business.username, PASSWORD);
    assert.match((await b.get("/tai-khoan")).body, /Chưa có người đại diện/);
    const malformed = await b.post("/tai-khoan/nguoi-dai-dien", { cccd: "12345" });
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.body, /id="cccd"[^>]*aria-invalid="true"/);
    assert.equal((await b.post("/tai-khoan/nguoi-dai-dien", { cccd: "001299000002" })).statusCode, 400);
    const ok = await b.post("/tai-khoan/nguoi-dai-dien", { cccd: citizen.username });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, new RegExp(`<ul id="representatives"><li>Nguyễn Thị Mai \\(${citizen.username}\\)</li></ul>`));
    // A citizen has no such section and cannot post to it.
    const asCitizen = await formBrowser(env.app);
    await signInThroughPages(env.ctx, asCitizen, citizen.username, PASSWORD);
    assert.doesNotMatch((await asCitizen.get("/tai-khoan")).body, /Người đại diện/);
    assert.equal((await asCitizen.post("/tai-khoan/nguoi-dai-dien", { cccd: citizen.username })).statusCode, 403);
  });

  it("an agency administrator's account page links to the administration of accounts", async () => {
    offset += 60_000;
    const { username } = await buildOfficer(env.ctx, { roles: ["agency_admin"] });
    const b = await formBrowser(env.app);
    await signInThroughPages(env.ctx, b, username, PASSWORD);
    assert.match((await b.get("/tai-khoan")).body, /href="\/quan-tri\/tai-khoan"/);
  });
});
