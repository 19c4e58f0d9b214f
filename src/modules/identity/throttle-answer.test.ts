// A throttled sign-in says when to come back (Retry-After), whether it reaches the API's JSON error handler or
// the sign-in page: the one error-kind → status map gives both their status and headers.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { buildApp } from "../../app.ts";
import { PUBLIC } from "../../platform/http/access.ts";
import type { App } from "../../platform/http/types.ts";
import { SignInThrottled } from "./errors.ts";

const PASSWORD = "mat-khau-2026";

describe("a throttled sign-in's answer", () => {
  let env: TestEnv & { app: App };
  before(async () => {
    env = await testApp();
    await env.ctx.identity.registerCitizen({ cccd: "027090001234", fullName: "Lê Văn Thử", birthDate: "1990-03-04", sex: "male", password: PASSWORD });
  });
  after(() => env.close());

  it("carries Retry-After through the API's error envelope", async () => {
    const app = await buildApp(env.ctx);
    app.get("/api/thu-gioi-han", { config: { access: PUBLIC } }, async () => {
      throw new SignInThrottled(125);
    });
    await app.ready();
    try {
      const res = await app.inject({ url: "/api/thu-gioi-han" });
      assert.equal(res.statusCode, 429);
      assert.equal(res.headers["retry-after"], "125");
      assert.equal(res.json().error.code, "identity.sign_in_throttled");
      assert.equal(res.json().error.retryAfterSeconds, 125);
    } finally {
      await app.close();
    }
  });

  it("carries Retry-After on the sign-in page, as many seconds as the lock has left", async () => {
    const page = await env.app.inject({ url: "/dang-nhap" });
    const csrf = /motcua_csrf=([^;]+)/.exec(String(page.headers["set-cookie"]))![1]!;
    const post = (password: string, ip: string) =>
      env.app.inject({
        method: "POST",
        url: "/dang-nhap",
        remoteAddress: ip,
        headers: { cookie: `motcua_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        payload: new URLSearchParams({ _csrf: csrf, username: "027090001234", password, next: "/" }).toString(),
      });
    // Failures from one address lock that address out of the account.
    let res = await post("sai-mat-khau-1", "10.9.0.1");
    for (let i = 2; i <= 10 && res.statusCode !== 429; i++) res = await post("sai-mat-khau-1", "10.9.0.1");
    assert.equal(res.statusCode, 429);
    assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
    const seconds = Number(res.headers["retry-after"]);
    assert.ok(Number.isInteger(seconds) && seconds > 0 && seconds <= 3600, `Retry-After: ${seconds}`);
    assert.match(res.body, new RegExp(`Vui lòng thử lại sau ${Math.ceil(seconds / 60)} phút`));
  });
});
