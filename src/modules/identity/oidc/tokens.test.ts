// Access tokens at the API: what verifies and what does not (tampered, expired, revoked, of a disabled
// account, signed by another issuer or with another key, an ID token passed off as an access token).
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from "jose";
import Provider from "oidc-provider";
import * as client from "openid-client";
import type { Actor } from "../../../platform/auth/actor.ts";
import * as repo from "./repo.ts";
import { freePort } from "../../../../test/helpers/net.ts";
import { buildBusiness, buildCitizen } from "../testing.ts";
import { Browser, movableClock, type OidcTestServer, startOidcTestServer } from "../../../../test/helpers/oidc-server.ts";

const clock = movableClock();
const operator: Actor = { type: "cli", name: "test" };

describe("access tokens", () => {
  let s: OidcTestServer;
  let foreign: http.Server;
  let foreignIssuer: string;

  before(async () => {
    s = await startOidcTestServer({ clock });
    // Another OpenID provider, issuing JWT access tokens addressed to motcua's issuer.
    const port = await freePort();
    foreignIssuer = `http://127.0.0.1:${port}`;
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const provider = new Provider(foreignIssuer, {
      jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "foreign", alg: "RS256", use: "sig" }] as never },
      clients: [
        { client_id: "elsewhere", client_secret: "elsewhere-secret-0123456789abcdef", grant_types: ["client_credentials"], redirect_uris: [], response_types: [] },
      ],
      scopes: ["api"],
      features: {
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => s.env.ctx.oidc.issuer,
          getResourceServerInfo: () => ({ scope: "api", audience: s.env.ctx.oidc.issuer, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } } }),
        },
      },
    });
    foreign = http.createServer(provider.callback());
    await new Promise<void>((r) => foreign.listen(port, "127.0.0.1", r));
  });
  after(async () => {
    await new Promise((r) => foreign.close(r));
    await s.close();
  });

  const me = (token: string) => fetch(`${s.base}/api/me`, { headers: { authorization: `Bearer ${token}` } });

  async function refused(token: string, why: string) {
    const res = await me(token);
    assert.equal(res.status, 401, why);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "oidc.invalid_token", why);
    await assert.rejects(s.env.ctx.oidc.verifyAccessToken(token), { code: "oidc.invalid_token" }, why);
  }

  /** Tokens of a code flow for `username`, by default a citizen of their own. */
  async function signedIn(username?: string) {
    const browser = new Browser();
    await s.signIn(browser, username ?? (await buildCitizen(s.env.ctx)).username);
    const { config, callback, verifier, nonce, state } = await s.authorize(browser, { scope: "openid offline_access", prompt: "consent" });
    client.enableNonRepudiationChecks(config);
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
    });
    return { config, tokens };
  }

  it("the ID token is signed with a key published at jwks_uri", async () => {
    const citizen = await buildCitizen(s.env.ctx);
    const { config, tokens } = await signedIn(citizen.username);
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: s.env.ctx.oidc.issuer, audience: "test-rp" });
    assert.equal(protectedHeader.alg, "RS256");
    assert.equal(payload.sub, citizen.id);
    // What the provider publishes holds no private key material.
    const published = (await (await fetch(config.serverMetadata().jwks_uri!)).json()) as { keys: Array<Record<string, unknown>> };
    for (const key of published.keys) for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) assert.equal(key[secret], undefined);
  });

  it("a code-flow access token works until revoked", async () => {
    const { config, tokens } = await signedIn();
    assert.equal((await me(tokens.access_token)).status, 200);
    await client.tokenRevocation(config, tokens.access_token);
    await refused(tokens.access_token, "revoked");
  });

  it("a code-flow access token is refused once expired, and its refresh token still gives a new one", async () => {
    const { config, tokens } = await signedIn();
    const verified = await s.env.ctx.oidc.verifyAccessToken(tokens.access_token);
    assert.ok(verified.expiresAt.getTime() > clock.now().getTime());
    clock.offsetMs = 2 * 3600 * 1000;
    try {
      await refused(tokens.access_token, "expired");
    } finally {
      clock.offsetMs = 0;
    }
    const again = await client.refreshTokenGrant(config, tokens.refresh_token!);
    assert.equal((await me(again.access_token)).status, 200);
  });

  it("a disabled account's tokens and refresh tokens stop working", async () => {
    const business = await buildBusiness(s.env.ctx);
    const { config, tokens } = await signedIn(business.username);
    const minted = await s.env.ctx.oidc.mintToken(operator, business.username, 600);
    assert.equal((await me(tokens.access_token)).status, 200);
    assert.equal((await me(minted)).status, 200);
    await s.env.ctx.identity.disable(operator, business.id);
    await refused(tokens.access_token, "account disabled");
    await refused(minted, "account disabled");
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token!), { error: "invalid_grant" });
  });

  it("refuses JWTs that are not this issuer's access tokens", async () => {
    const [ours] = await repo.activeKeys(s.env.database.db);
    const ourKey = await importJWK(ours!.jwk as JWK, "RS256");
    const { privateKey: otherKey } = await generateKeyPair("RS256");
    const issuer = s.env.ctx.oidc.issuer;
    const sub = (await buildCitizen(s.env.ctx)).id;
    const now = Math.floor(Date.now() / 1000);
    const jwt = (over: { iss?: string; aud?: string; exp?: number; typ?: string; kid?: string } = {}) =>
      new SignJWT({ client_id: "motcua-cli", scope: "api", loa: 2 })
        .setProtectedHeader({ alg: "RS256", typ: over.typ ?? "at+jwt", kid: over.kid ?? ours!.kid })
        .setIssuer(over.iss ?? issuer)
        .setAudience(over.aud ?? issuer)
        .setSubject(sub)
        .setIssuedAt(now - 120)
        .setExpirationTime(over.exp ?? now + 600);
    // The control: well made, it verifies.
    assert.equal((await me(await jwt().sign(ourKey))).status, 200);
    await refused(await jwt().sign(otherKey), "another key under our kid");
    await refused(await jwt({ iss: foreignIssuer }).sign(ourKey), "another issuer");
    await refused(await jwt({ aud: "https://elsewhere.example" }).sign(ourKey), "another audience");
    await refused(await jwt({ exp: now - 1 }).sign(ourKey), "expired");
    await refused(await jwt({ typ: "JWT" }).sign(ourKey), "not typed as an access token");
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${Buffer.from(
      JSON.stringify({ iss: issuer, aud: issuer, sub, exp: now + 600 }),
    ).toString("base64url")}.`;
    await refused(unsigned, "unsigned");
    // An ID token is for the relying party, not a key to the API.
    const { tokens } = await signedIn();
    await refused(tokens.id_token!, "an ID token");
  });

  it("a JWT verified once is still refused once it expires (its signature is not checked again, its time is)", async (t) => {
    const [ours] = await repo.activeKeys(s.env.database.db);
    const ourKey = await importJWK(ours!.jwk as JWK, "RS256");
    const issuer = s.env.ctx.oidc.issuer;
    const sub = (await buildCitizen(s.env.ctx)).id;
    const now = Math.floor(clock.now().getTime() / 1000);
    const token = await new SignJWT({ client_id: "motcua-cli", scope: "api", loa: 2 })
      .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: ours!.kid })
      .setIssuer(issuer)
      .setAudience(issuer)
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 10)
      .sign(ourKey);
    // jose checks an RS256 signature with WebCrypto: count the checks.
    const verify = t.mock.method(globalThis.crypto.subtle, "verify");
    try {
      assert.equal((await me(token)).status, 200);
      const checked = verify.mock.callCount();
      assert.ok(checked >= 1, "the first time, its signature is checked");
      assert.equal((await me(token)).status, 200, "the second time from the verified tokens");
      assert.equal(verify.mock.callCount(), checked, "the second time, no signature is checked");
      // Past its expiry but within the keys' recheck (30 s), when the verified tokens are kept.
      clock.offsetMs += 15_000;
      await refused(token, "expired after it was verified");
    } finally {
      clock.offsetMs -= 15_000;
    }
  });

  it("refuses another provider's access tokens, even addressed to motcua", async () => {
    const config = await client.discovery(new URL(foreignIssuer), "elsewhere", undefined, client.ClientSecretPost("elsewhere-secret-0123456789abcdef"), {
      execute: [client.allowInsecureRequests],
    });
    const tokens = await client.clientCredentialsGrant(config, { scope: "api" });
    const claims = JSON.parse(Buffer.from(tokens.access_token.split(".")[1]!, "base64url").toString()) as { aud: string; iss: string };
    assert.equal(claims.aud, s.env.ctx.oidc.issuer);
    assert.equal(claims.iss, foreignIssuer);
    await refused(tokens.access_token, "another issuer's JWT access token");
  });
});
