// Single sign-on follows the motcua browser session: whoever is signed in to motcua is who the relying
// parties get, never a person signed in earlier on the same browser; officers only after the second factor.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import * as client from "openid-client";
import { generate } from "otplib";
import { buildBusiness, buildCitizen, buildOfficer } from "../testing.ts";
import { Browser, type OidcTestServer, startOidcTestServer } from "../../../../test/helpers/oidc-server.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("OIDC single sign-on on the motcua session", () => {
  let s: OidcTestServer;
  before(async () => {
    s = await startOidcTestServer();
  });
  after(() => s.close());

  async function codeFlow(browser: Browser, params: Record<string, string> = {}) {
    const { config, callback, verifier, nonce, state } = await s.authorize(browser, params);
    assert.match(callback, /\/test\/callback\?/, `ended at ${callback}`);
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
    });
    return Object.assign(tokens.claims()!, { config, tokens });
  }

  it("another person signing in on the same browser gets their own identity, not the previous one's", async () => {
    const [citizen, business] = [await buildCitizen(s.env.ctx), await buildBusiness(s.env.ctx)];
    const browser = new Browser();
    await s.signIn(browser, citizen.username);
    assert.equal((await codeFlow(browser)).sub, citizen.id);
    // The provider's own session cookies stay in the browser; the motcua session changes hands.
    await s.signIn(browser, business.username);
    assert.equal((await codeFlow(browser)).sub, business.id);
  });

  it("after signing out of motcua the relying party is sent to the sign-in page again", async () => {
    const browser = new Browser();
    const token = await s.signIn(browser, (await buildCitizen(s.env.ctx)).username);
    await codeFlow(browser);
    await s.env.ctx.identity.signOut(token);
    const { callback } = await s.authorize(browser);
    assert.match(callback, /\/dang-nhap\?next=%2Foidc%2Finteraction%2F/);
    // A silent request (prompt=none) is answered with login_required, no code.
    const silent = await s.authorize(browser, { prompt: "none" });
    assert.match(silent.callback, /\/test\/callback\?.*error=login_required/);
    assert.doesNotMatch(silent.callback, /[?&]code=/);
  });

  it("an officer gets through only after the second factor, and amr says so", async () => {
    const { username, user: officer } = await buildOfficer(s.env.ctx, { roles: ["specialist"] });
    const browser = new Browser();
    const token = await s.signIn(browser, username);
    const { callback: signInPage } = await s.authorize(browser);
    const next = new URL(signInPage).searchParams.get("next")!;
    assert.match(next, /^\/oidc\/interaction\//);
    // The sign-in page sends a password-only officer on to the second factor.
    const pending = await browser.get(signInPage);
    assert.match(pending.headers.get("location") ?? "", /^\/dang-nhap\/xac-thuc\?/);
    // Still pending: the interaction does not let the officer through.
    const again = await browser.get(`${s.base}${next}`);
    assert.match(again.headers.get("location") ?? "", /^\/dang-nhap\?/);

    const { secret } = await s.env.ctx.secondFactor.begin(officer);
    await s.env.ctx.secondFactor.confirm(officer, await generate({ secret }), sha256(token));

    const callback = await browser.followUntilAway(`${s.base}${next}`, s.base);
    assert.match(callback, /\/test\/callback\?.*code=/);
    // Now signed in: a new flow goes straight through. The ID token says how; userinfo tells the roles.
    const claims = await codeFlow(browser, { scope: "openid profile" });
    assert.equal(claims.sub, officer.id);
    assert.deepEqual(claims.amr, ["pwd", "otp", "mfa"]);
    const info = await client.fetchUserInfo(claims.config, claims.tokens.access_token, officer.id);
    assert.equal(info.preferred_username, username);
    assert.ok((info.roles as string[]).some((r) => r.startsWith("specialist@")));
  });

  it("without an external provider, a required level above the sign-in's is an error for the client", async () => {
    const browser = new Browser();
    await s.signIn(browser, (await buildCitizen(s.env.ctx)).username);
    const claims = JSON.stringify({ id_token: { acr: { essential: true, value: "urn:motcua:loa:1" } } });
    const { callback } = await s.authorize(browser, { claims });
    const url = new URL(callback);
    assert.equal(url.pathname, "/test/callback");
    assert.equal(url.searchParams.get("error"), "unmet_authentication_requirements");
    assert.equal(url.searchParams.get("code"), null);
    // Level 0 asked for is level 0 given.
    const zero = JSON.stringify({ id_token: { acr: { essential: true, value: "urn:motcua:loa:0" } } });
    assert.equal((await codeFlow(browser, { claims: zero })).acr, "urn:motcua:loa:0");
  });

  it("a citizen's password sign-in says pwd", async () => {
    const browser = new Browser();
    await s.signIn(browser, (await buildCitizen(s.env.ctx)).username);
    const claims = await codeFlow(browser);
    assert.deepEqual(claims.amr, ["pwd"]);
    assert.equal(claims.acr, "urn:motcua:loa:0");
  });

  it("the portal signs a browser in as a relying party over real HTTP too, on the provider's session", async () => {
    const browser = new Browser();
    await s.signIn(browser, (await buildCitizen(s.env.ctx, { fullName: "Nguyễn Thị Mai" })).username);
    const landed = await browser.followUntilAway(`${s.base}/auth/dang-nhap?next=%2Fngay-nghi`, s.base, /\/ngay-nghi$/);
    assert.equal(landed, `${s.base}/ngay-nghi`);
    assert.ok(browser.cookiesOf(s.base).get("motcua_portal"));
    assert.match(await (await browser.get(`${s.base}/`)).text(), /Xin chào, Nguyễn Thị Mai/);
  });
});
