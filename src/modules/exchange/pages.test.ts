// The office's exchange pages (issue 16, item 5): a clerk composes a document with its file and recipients, the
// recipient's clerk finds it in the register of incoming documents and accepts it, the leader assigns it, the
// sender sees the timeline; another agency's officer gets the not-found page.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { type FormBrowser, formBrowser, TEST_PASSWORD } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { drain, exchangeSetting, type ExchangeSetting, PDF } from "./testing.ts";

const HTML = { accept: "text/html" };

/** A multipart form as a browser sends it: the CSRF token first, then the fields, then the files. */
function multipartForm(b: FormBrowser, fields: Record<string, string>, files: Array<{ name: string; bytes: Buffer }>) {
  const boundary = `----motcua${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries({ _csrf: b.cookies.get("motcua_csrf") ?? "", ...fields })) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/pdf\r\n\r\n`), f.bytes, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return { payload: Buffer.concat(parts), headers: { "content-type": `multipart/form-data; boundary=${boundary}`, cookie, accept: "text/html" } };
}

describe("exchange office pages", () => {
  let env: TestEnv & { app: App };
  let s: ExchangeSetting;
  const browsers = new Map<string, FormBrowser>();
  const as = (who: keyof ExchangeSetting["cast"]) => browsers.get(who)!;
  before(async () => {
    env = await testApp({ options: { exchange: { backoff: () => 0, maxAttempts: 2 } } });
    s = await exchangeSetting(env.ctx);
    for (const who of ["clerkA", "clerkB", "leaderB", "outsider"] as const) {
      const b = await formBrowser(env.app);
      await signInThroughParty(env.ctx, b, "office", s.cast[who].username, TEST_PASSWORD);
      browsers.set(who, b);
    }
  });
  after(() => env.close());

  it("composes, receives, accepts, assigns and shows the timeline; another agency gets 404", async () => {
    const compose = await as("clerkA").get("/office/van-ban-di/soan", HTML);
    assert.equal(compose.statusCode, 200);
    assert.match(compose.body, new RegExp(`name="to\\.${s.recipient.code.replaceAll(".", "\\.")}"`));
    // Without a recipient, the form comes back with what was typed.
    const missing = await env.app.inject({ method: "POST", url: "/office/van-ban-di/soan", ...multipartForm(as("clerkA"), { subject: "Thiếu nơi nhận", notation: "SNV-VP", signer: "Ký Tên", loai: "5" }, [{ name: "a.pdf", bytes: PDF }]) });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Cần chọn ít nhất một nơi nhận/);
    assert.match(missing.body, /Thiếu nơi nhận/);
    const sent = await env.app.inject({
      method: "POST",
      url: "/office/van-ban-di/soan",
      ...multipartForm(as("clerkA"), { [`to.${s.recipient.code}`]: "on", subject: "Về việc tổng kết công tác năm 2026", notation: "SNV-VP", signer: "Nguyễn Văn Ký", position: "Giám đốc", loai: "9" }, [{ name: "bao-cao.pdf", bytes: PDF }]),
    });
    assert.equal(sent.statusCode, 303, sent.body);
    const outPath = String(sent.headers.location).split("?")[0]!;
    const outPage = await as("clerkA").get(String(sent.headers.location), HTML);
    assert.match(outPage.body, /Đã vào sổ văn bản đi và gửi văn bản/);
    assert.match(outPage.body, /Báo cáo \d+\/SNV-VP/);
    assert.match(outPage.body, /Đang chuyển/);
    await drain(env.ctx);

    const inbox = await as("clerkB").get(`/office/van-ban-den?q=${encodeURIComponent("tong ket")}`, HTML);
    assert.equal(inbox.statusCode, 200);
    const link = /href="(\/office\/van-ban\/[0-9a-f-]{36})"/.exec(inbox.body)?.[1];
    assert.ok(link, "the document is in the register of incoming documents");
    assert.match(inbox.body, /Chờ tiếp nhận/);
    assert.equal((await as("outsider").get(link, HTML)).statusCode, 404);
    assert.equal((await as("outsider").get(outPath, HTML)).statusCode, 404);
    assert.doesNotMatch((await as("outsider").get("/office/van-ban-den?q=tong+ket", HTML)).body, /tổng kết/);

    const page = await as("clerkB").get(link, HTML);
    assert.match(page.body, /01 · Đã đến/);
    assert.match(page.body, /[0-9a-f]{64}/);
    // The clerk registers; assigning is the leader's.
    assert.doesNotMatch(page.body, /Phân công xử lý/);
    const accepted = await as("clerkB").post(`${link}/trang-thai`, { code: "03" });
    assert.equal(accepted.statusCode, 303);
    const leaderPage = await as("leaderB").get(link, HTML);
    assert.match(leaderPage.body, /Phân công xử lý/);
    assert.match(leaderPage.body, /Chuyên Viên Nhận/);
    const assigned = await as("leaderB").post(`${link}/trang-thai`, { code: "04", department: "van-phong", assigneeId: s.cast.specialistB.id, due: "2026-12-31" });
    assert.equal(assigned.statusCode, 303, assigned.body);
    const refused = await as("clerkB").post(`${link}/trang-thai`, { code: "03" });
    assert.equal(refused.statusCode, 409);
    await drain(env.ctx);
    const timeline = await as("clerkA").get(outPath, HTML);
    assert.match(timeline.body, /Đã chuyển đến/);
    assert.match(timeline.body, /03 · Đã tiếp nhận/);
    assert.match(timeline.body, /04 · Đã phân công/);
    // An update, then a replacement composed from the sent document (its recipients ticked), each answered 15.
    const updated = await as("clerkA").post(`${outPath}/cap-nhat`, { subject: "Về việc tổng kết công tác năm 2026 (bổ sung)", reason: "Bổ sung phụ lục" });
    assert.equal(updated.statusCode, 303);
    await drain(env.ctx);
    const withChange = await as("clerkB").get(link, HTML);
    assert.match(withChange.body, /Bên gửi gửi bản cập nhật của văn bản/);
    assert.equal((await as("clerkB").post(`${link}/trang-thai`, { code: "15" })).statusCode, 303);
    assert.match((await as("clerkB").get(link, HTML)).body, /tổng kết công tác năm 2026 \(bổ sung\)/);
    const replaceForm = await as("clerkA").get(`/office/van-ban-di/soan?thay-the=${outPath.split("/").at(-1)}`, HTML);
    assert.match(replaceForm.body, /Thay thế văn bản \d+\/SNV-VP/);
    assert.match(replaceForm.body, new RegExp(`name="to\\.${s.recipient.code.replaceAll(".", "\\.")}" value="on" checked`));
    assert.equal((await as("outsider").get(`/office/van-ban-di/soan?thay-the=${outPath.split("/").at(-1)}`, HTML)).statusCode, 404);
    const replacement = await env.app.inject({
      method: "POST",
      url: "/office/van-ban-di/soan",
      ...multipartForm(as("clerkA"), { replaces: outPath.split("/").at(-1)!, reason: "Thay số liệu", [`to.${s.recipient.code}`]: "on", subject: "Về việc tổng kết công tác năm 2026 (thay thế)", notation: "SNV-VP", signer: "Nguyễn Văn Ký", loai: "9" }, [{ name: "bao-cao-moi.pdf", bytes: PDF }]),
    });
    assert.equal(replacement.statusCode, 303, replacement.body);
    assert.match((await as("clerkA").get(outPath, HTML)).body, /Đã được thay thế/);
    await drain(env.ctx);
    assert.match((await as("clerkB").get(link, HTML)).body, /Bên gửi thay thế văn bản bằng văn bản mới/);

    const other = await env.app.inject({
      method: "POST",
      url: "/office/van-ban-di/soan",
      ...multipartForm(as("clerkA"), { [`to.${s.recipient.code}`]: "on", subject: "Văn bản để thu hồi", notation: "SNV-VP", signer: "Nguyễn Văn Ký", loai: "5" }, [{ name: "a.pdf", bytes: PDF }]),
    });
    const otherPath = String(other.headers.location).split("?")[0]!;
    const recalled = await as("clerkA").post(`${otherPath}/thu-hoi`, { reason: "Sai số liệu" });
    assert.equal(recalled.statusCode, 303);
    assert.match((await as("clerkA").get(`/office/van-ban-di`, HTML)).body, /Đã thu hồi/);
  });

  it("links the signed edXML of a document its sender signed, for both agencies", async () => {
    const cli = { type: "cli", name: "test" } as const;
    await env.ctx.exchangeKeys.generate(cli, { agencyCode: s.sender.code });
    await env.ctx.exchange.send(cli, { from: s.sender.code, to: [s.recipient.code], subject: "Văn bản có chữ ký số", notation: "SNV-VP", signer: { fullName: "Nguyễn Văn Ký" }, files: [await env.ctx.exchange.storeFile(PDF, "a.pdf")] });
    await drain(env.ctx);
    const [copy] = (await env.ctx.exchange.list(cli, { box: "in", agency: s.recipient.code, q: "co chu ky so" })).items;
    const page = await as("clerkB").get(`/office/van-ban/${copy!.id}`, HTML);
    const evidence = /href="(\/office\/van-ban\/[^"]+\/tep\/[0-9a-f]{64})">Bản edXML đã ký số/.exec(page.body)?.[1];
    assert.ok(evidence, "the page links the signed edXML");
    const xml = await as("clerkB").get(evidence, HTML);
    assert.equal(xml.statusCode, 200);
    assert.match(String(xml.headers["content-type"]), /application\/xml/);
    assert.match(xml.body, /<SignatureValue>/);
    assert.equal((await as("outsider").get(evidence, HTML)).statusCode, 404);
  });
});
