// After signing in (and switching language) a browser goes back to its `next` only when it is a path of this site
// (issue 13, item 3): `/.//evil.example` became `Location: //evil.example` on these four addresses.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import { buildCitizen, buildOfficer, formBrowser, type TestAccount, TEST_PASSWORD } from "./testing.ts";

/** Ways out, as a visitor's link would carry them (already in query form). */
const WAYS_OUT = [
  encodeURIComponent("/.//evil.example"),
  "/.//evil.example",
  "/%2e//evil.example",
  "/..//evil.example",
  encodeURIComponent("//evil.example/x"),
  encodeURIComponent("/\\evil.example"),
  "%5C%5Cevil.example",
  "/%09/evil.example",
  encodeURIComponent("/\t/evil.example"),
  encodeURIComponent("\t//evil.example"),
  "%0D%0A//evil.example",
  encodeURIComponent("https://evil.example/"),
  encodeURIComponent("javascript:alert(1)"),
];

/** Encoded slashes stay a path of the site: the browser asks this site for it. */
const ENCODED = ["%252f%252fevil.example", "/%252F%252Fevil.example"];

describe("next only leads back to this site", () => {
  let env: TestEnv & { app: App };
  let citizen: TestAccount;
  let officer: TestAccount;
  let origin: string;
  before(async () => {
    env = await testApp();
    origin = new URL(env.config.publicUrl).origin;
    citizen = await buildCitizen(env.ctx);
    officer = await buildOfficer(env.ctx, { roles: ["receiver"] });
  });
  after(() => env.close());

  const onSite = (location: string, why: string) => {
    assert.ok(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\"), `${why} → ${location}`);
    assert.equal(new URL(location, `${origin}/dang-nhap`).origin, origin, `${why} → ${location}`);
  };

  // Signed in already (a bearer token names the account as a session would): each goes straight to `next`.
  const addresses = () =>
    [
      { path: "/dang-nhap", account: citizen, home: "/" },
      { path: "/auth/dang-nhap", account: citizen, home: "/" },
      { path: "/office/auth/dang-nhap", account: officer, home: "/office" },
      { path: "/dang-nhap/xac-thuc", account: citizen, home: "/" },
      { path: "/ngon-ngu?lang=vi", account: citizen, home: "/" },
    ] as const;

  it("sends a signed-in visitor home, never off the site, from /dang-nhap, /auth/dang-nhap, /office/auth/dang-nhap, /dang-nhap/xac-thuc and /ngon-ngu", async () => {
    for (const { path, account, home } of addresses()) {
      const headers = { authorization: `Bearer ${await account.token()}` };
      for (const next of WAYS_OUT) {
        const res = await env.app.inject({ url: `${path}${path.includes("?") ? "&" : "?"}next=${next}`, headers });
        assert.equal(res.statusCode, 303, `${path} ${next}`);
        assert.equal(res.headers.location, home, `${path} next=${next}`);
      }
      for (const next of ENCODED) {
        const res = await env.app.inject({ url: `${path}${path.includes("?") ? "&" : "?"}next=${next}`, headers });
        onSite(String(res.headers.location), `${path} next=${next}`);
        assert.notEqual(res.headers.location, home, `${path} next=${next} is a path of the site`);
      }
      const own = await env.app.inject({ url: `${path}${path.includes("?") ? "&" : "?"}next=${encodeURIComponent(`${origin}/ho-so-cua-toi?trang=2`)}`, headers });
      assert.equal(own.headers.location, "/ho-so-cua-toi?trang=2", path);
    }
  });

  it("after a password sign-in, goes to a path of the site or home, and the sign-in page carries only that", async () => {
    for (const next of ["/.//evil.example", "/%2e//evil.example", "/\t/evil.example", "\\\\evil.example"]) {
      const b = await formBrowser(env.app);
      const page = await b.get(`/dang-nhap?next=${encodeURIComponent(next)}`, { accept: "text/html" });
      assert.match(page.body, /<input type="hidden" name="next" value="\/"\/>/, next);
      const res = await b.post("/dang-nhap", { username: citizen.username, password: TEST_PASSWORD, next });
      assert.equal(res.statusCode, 303, next);
      assert.equal(res.headers.location, "/", next);
    }
    const b = await formBrowser(env.app);
    const res = await b.post("/dang-nhap", { username: citizen.username, password: TEST_PASSWORD, next: "/ho-so-cua-toi?trang=2#ds" });
    assert.equal(res.headers.location, "/ho-so-cua-toi?trang=2#ds");
  });
});
