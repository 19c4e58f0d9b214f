// The OIDC provider with real clients over HTTP on 127.0.0.1: openid-client completes code + PKCE.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as client from "openid-client";
import { runCommand } from "../../../cli/commands.ts";
import { sql } from "../../../platform/db/index.ts";
import type { TestEnv } from "../../../../test/helpers/app.ts";
import { buildCitizen, buildOfficer } from "../testing.ts";
import { Browser, movableClock, type OidcTestServer, startOidcTestServer } from "../../../../test/helpers/oidc-server.ts";

const clock = movableClock();

describe("OIDC provider", () => {
  let s: OidcTestServer;
  let env: TestEnv;
  let base: string;
  const redirectUri = () => s.redirectUri;

  before(async () => {
    s = await startOidcTestServer({ clock });
    env = s.env;
    base = s.base;
  });
  after(() => s.close());

  const discover: OidcTestServer["discover"] = (...args) => s.discover(...args);

  it("publishes discovery at /oidc and at the root, code flow only, PKCE S256", async () => {
    const res = await fetch(`${base}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Record<string, unknown>;
    assert.equal(doc.issuer, `${base}/oidc`);
    assert.deepEqual(doc.response_types_supported, ["code"]);
    assert.deepEqual(doc.code_challenge_methods_supported, ["S256"]);
    const again = await fetch(`${base}/oidc/.well-known/openid-configuration`);
    assert.equal(((await again.json()) as { issuer: string }).issuer, doc.issuer);
  });

  it("completes code + PKCE for a signed-in citizen; the ID token carries sub, nonce and loa", async () => {
    const citizen = await buildCitizen(env.ctx);
    const config = await discover();
    const browser = new Browser();
    await s.signIn(browser, citizen.username);
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const authUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(),
      scope: "openid profile offline_access",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      nonce,
      prompt: "consent",
    });
    const callback = await browser.followUntilAway(authUrl.href, base);
    assert.match(callback, /[?&]code=/);
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: nonce });
    const claims = tokens.claims()!;
    assert.equal(claims.sub, citizen.id);
    assert.equal(claims.nonce, nonce);
    assert.equal(claims.loa, 0);
    assert.equal(claims.iss, `${base}/oidc`);
    assert.ok(tokens.refresh_token, "a refresh token for offline_access");
    // The access token reaches the same actor as the browser session.
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 200);
    const body = (await me.json()) as { username: string; loa: number };
    assert.equal(body.username, citizen.username);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
  });

  it("sends a browser without a session to the sign-in page first", async () => {
    const config = await discover();
    const browser = new Browser();
    const authUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(),
      scope: "openid",
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: "S256",
    });
    const first = await browser.get(authUrl.href);
    const interaction = new URL(first.headers.get("location")!, base).href;
    const res = await browser.get(interaction);
    assert.equal(res.status, 303);
    assert.match(res.headers.get("location")!, /^\/dang-nhap\?next=%2Foidc%2Finteraction%2F/);
  });

  it("refuses an authorization request without PKCE", async () => {
    const config = await discover();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: redirectUri(), scope: "openid" });
    const res = await fetch(url, { redirect: "manual" });
    const location = res.headers.get("location") ?? "";
    assert.match(location, /error=invalid_request/);
    assert.match(decodeURIComponent(location), /PKCE/);
  });

  it("rejects tampered, unknown and foreign tokens with 401, and changes nothing", async () => {
    const { username } = await buildOfficer(env.ctx, { roles: ["receiver"] });
    const token = await env.ctx.oidc.mintToken({ type: "cli", name: "test" }, username, 600);
    const ok = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    for (const bad of [`${token.slice(0, -2)}xx`, "not-a-token-at-all-0123456789", "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL290aGVyIn0."]) {
      const res = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${bad}` } });
      assert.equal(res.status, 401, bad);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "oidc.invalid_token");
    }
  });

  it("an expired token is refused", async () => {
    const { username } = await buildOfficer(env.ctx, { roles: ["receiver"] });
    const token = await env.ctx.oidc.mintToken({ type: "cli", name: "test" }, username, 60);
    assert.equal((await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    clock.offsetMs = 2 * 60 * 1000;
    try {
      const res = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 401);
    } finally {
      clock.offsetMs = 0;
    }
  });

  it("issues client-credentials tokens to integrations", async () => {
    const config = await discover("test-integration", client.ClientSecretPost("integration-secret-0123456789abcdef"));
    const tokens = await client.clientCredentialsGrant(config, { scope: "api" });
    const verified = await env.ctx.oidc.verifyAccessToken(tokens.access_token);
    assert.deepEqual(verified.actor, { type: "system", name: "client:test-integration" });
  });

  it("`motcua oidc add-client` registers an integration that gets client-credentials tokens", async () => {
    let out = "";
    assert.equal(await runCommand(env.ctx, ["oidc", "add-client", "so.tu-phap"], { write: (t) => void (out += t) }), 0);
    const secret = out.trim().split("\n").at(-1)!;
    const config = await discover("so.tu-phap", client.ClientSecretPost(secret));
    const tokens = await client.clientCredentialsGrant(config, { scope: "api" });
    assert.deepEqual((await env.ctx.oidc.verifyAccessToken(tokens.access_token)).actor, { type: "system", name: "client:so.tu-phap" });
    const wrong = await discover("so.tu-phap", client.ClientSecretPost("not-the-secret"));
    await assert.rejects(client.clientCredentialsGrant(wrong, { scope: "api" }));
    assert.equal(await runCommand(env.ctx, ["oidc", "add-client", "Bad Id"], { write: () => undefined }), 2);
  });

  it("`motcua token` prints a working token, audited", async () => {
    const { username } = await buildOfficer(env.ctx, { roles: ["leader"] });
    let out = "";
    const code = await runCommand(env.ctx, ["token", "--user", username, "--ttl", "1h"], { write: (t) => void (out += t) });
    assert.equal(code, 0);
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${out.trim()}` } });
    assert.equal(((await me.json()) as { username: string }).username, username);
    const rows = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'identity.token_issued'`);
    assert.ok((rows[0]?.n ?? 0) >= 1);
    assert.equal(await runCommand(env.ctx, ["token", "--user", "nobody"], { write: () => undefined }), 1);
    assert.equal(await runCommand(env.ctx, ["token", "--user", username, "--ttl", "forever"], { write: () => undefined }), 2);
  });

  it("rotates signing keys: the new key signs, the old one stays published", async () => {
    const before = (await (await fetch(`${base}/oidc/jwks`)).json()) as { keys: Array<{ kid: string }> };
    let out = "";
    assert.equal(await runCommand(env.ctx, ["oidc", "rotate-keys"], { write: (t) => void (out += t) }), 0);
    const kid = /new signing key (\S+)/.exec(out)![1]!;
    const afterKeys = (await (await fetch(`${base}/oidc/jwks`)).json()) as { keys: Array<{ kid: string }> };
    assert.equal(afterKeys.keys[0]!.kid, kid);
    assert.ok(afterKeys.keys.some((k) => k.kid === before.keys[0]!.kid));
    // A new ID token is signed with the new key.
    const config = await discover();
    const browser = new Browser();
    await s.signIn(browser, (await buildCitizen(env.ctx)).username);
    const verifier = client.randomPKCECodeVerifier();
    const authUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(),
      scope: "openid",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: "s1",
    });
    const callback = await browser.followUntilAway(authUrl.href, base);
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: "s1" });
    const header = JSON.parse(Buffer.from(tokens.id_token!.split(".")[0]!, "base64url").toString()) as { kid: string };
    assert.equal(header.kid, kid);
  });
});
