// Email verification and password reset by emailed single-use links, delivered to a real SMTP server.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import { testWorker } from "../../platform/jobs/testing.ts";
import { type MailCatcher, type ReceivedMail, startMailCatcher } from "../../../test/helpers/smtp.ts";
import { buildCitizen, TEST_PASSWORD as PASSWORD } from "./testing.ts";

let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };

describe("emailed links", () => {
  let env: TestEnv & { app: App };
  let smtp: MailCatcher;

  before(async () => {
    smtp = await startMailCatcher();
    env = await testApp({ clock, config: { smtpUrl: smtp.url, publicUrl: "https://dvc.example.gov.vn" } });
  });
  after(async () => {
    await env.close();
    await smtp.close();
  });

  /** Runs the queued mail jobs and returns the newest message to `to`. */
  async function deliver(to: string): Promise<ReceivedMail> {
    await testWorker(env.database, env.ctx.jobs).runOnce();
    const mail = smtp.inbox.filter((m) => m.to.includes(to)).at(-1);
    assert.ok(mail, `a mail to ${to}`);
    return mail;
  }
  const linkIn = (mail: ReceivedMail) => new URL(/https:\/\/dvc\.example\.gov\.vn\S+/.exec(mail.text)![0]);

  const form = async (url: string, fields: Record<string, string>) => {
    const page = await env.app.inject({ method: "GET", url: "/dang-nhap" });
    const csrf = /motcua_csrf=([^;]+)/.exec(String(page.headers["set-cookie"]))![1]!;
    return env.app.inject({
      method: "POST",
      url,
      headers: { cookie: `motcua_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
  };

  it("mails a verification link at registration; it works once", async () => {
    await env.ctx.identity.registerCitizen({
      cccd: "036301000999",
      fullName: "Trịnh Thị Thư",
      birthDate: "2001-02-03",
      sex: "female",
      email: "thu@example.vn",
      password: "thu-2026-matkhau",
    });
    const mail = await deliver("thu@example.vn");
    assert.match(mail.subject, /Xác minh địa chỉ thư điện tử/);
    const link = linkIn(mail);
    assert.equal(link.pathname, "/xac-minh-email");
    const ok = await env.app.inject({ method: "GET", url: `${link.pathname}${link.search}` });
    assert.equal(ok.statusCode, 200);
    const user = await env.ctx.identity.findByUsername("036301000999");
    assert.equal(user?.emailVerified, true);
    const again = await env.app.inject({ method: "GET", url: `${link.pathname}${link.search}` });
    assert.equal(again.statusCode, 400);
  });

  it("resets a password by an emailed single-use link; sessions end; a replayed or expired link is refused", async () => {
    const { username, user } = await buildCitizen(env.ctx);
    const session = await env.ctx.identity.signIn({ username, password: PASSWORD });
    // Unknown accounts get the same answer and no mail.
    const before = smtp.inbox.length;
    const unknown = await form("/quen-mat-khau", { username: "khong.ton.tai" });
    assert.equal(unknown.statusCode, 200);
    const res = await form("/quen-mat-khau", { username });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body.replace(/value="[^"]*"/g, ""), unknown.body.replace(/value="[^"]*"/g, ""));
    const mail = await deliver(user.email!);
    assert.equal(smtp.inbox.length, before + 1);
    const link = linkIn(mail);
    const token = link.searchParams.get("token")!;
    assert.equal((await env.app.inject({ method: "GET", url: `${link.pathname}${link.search}` })).statusCode, 200);
    // A weak password does not use up the link.
    assert.equal((await form("/dat-lai-mat-khau", { token, password: "short" })).statusCode, 400);
    assert.equal((await form("/dat-lai-mat-khau", { token, password: "mai-moi-2026x" })).statusCode, 200);
    assert.equal(await env.ctx.identity.session(session.token), null, "earlier sessions end");
    await env.ctx.identity.signIn({ username, password: "mai-moi-2026x" });
    const replay = await form("/dat-lai-mat-khau", { token, password: "another-2026x" });
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /đã hết hạn hoặc đã được sử dụng/);
    await assert.rejects(env.ctx.identity.signIn({ username, password: "another-2026x" }));

    // Expired: a link older than an hour.
    await form("/quen-mat-khau", { username });
    const late = linkIn(await deliver(user.email!)).searchParams.get("token")!;
    offset = 61 * 60 * 1000;
    try {
      assert.equal((await form("/dat-lai-mat-khau", { token: late, password: "expired-2026x" })).statusCode, 400);
    } finally {
      offset = 0;
    }
    const audited = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'identity.password_reset'`);
    assert.equal(audited[0]?.n, 1);
  });
});
