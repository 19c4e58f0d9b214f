// Refresh tokens rotate for every client, public or confidential: each refresh gives a new one and retires the one
// used; presenting a retired one again (it was stolen, or the client was) revokes the whole grant, every refresh
// and access token issued from it (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as client from "openid-client";
import { buildCitizen } from "../testing.ts";
import { adapterFactory } from "./adapter.ts";
import {
  Browser,
  type OidcTestServer,
  startOidcTestServer,
  TEST_CONFIDENTIAL_RP,
  TEST_CONFIDENTIAL_RP_SECRET,
} from "../../../../test/helpers/oidc-server.ts";

describe("refresh token rotation", () => {
  let s: OidcTestServer;
  before(async () => {
    s = await startOidcTestServer();
  });
  after(() => s.close());

  const me = (token: string) => fetch(`${s.base}/api/me`, { headers: { authorization: `Bearer ${token}` } });

  const parties = [
    { name: "a public client (PKCE, no secret)", rp: undefined },
    { name: "a confidential client (client_secret_basic)", rp: { clientId: TEST_CONFIDENTIAL_RP, secret: TEST_CONFIDENTIAL_RP_SECRET } },
  ];

  for (const { name, rp } of parties) {
    it(`${name}: each refresh gives a new refresh token; reusing an old one fails and revokes the grant`, async () => {
      const browser = new Browser();
      await s.signIn(browser, (await buildCitizen(s.env.ctx)).username);
      const { config, callback, verifier, nonce, state } = await s.authorize(browser, { scope: "openid offline_access", prompt: "consent" }, rp);
      const first = await client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
      const r0 = first.refresh_token!;
      assert.ok(r0, "a refresh token for offline_access");

      const second = await client.refreshTokenGrant(config, r0);
      const r1 = second.refresh_token!;
      assert.ok(r1 && r1 !== r0, "a new refresh token");
      const third = await client.refreshTokenGrant(config, r1);
      const r2 = third.refresh_token!;
      assert.ok(r2 && r2 !== r1, "a new one at every refresh");
      assert.equal((await me(third.access_token)).status, 200);

      // The first one again, as a thief holding a copy would: refused, and the family with it.
      await assert.rejects(client.refreshTokenGrant(config, r0), { error: "invalid_grant" });
      await assert.rejects(client.refreshTokenGrant(config, r2), { error: "invalid_grant" }, "the newest refresh token is revoked too");
      assert.equal((await me(third.access_token)).status, 401, "and the grant's access tokens");
    });
  }

  it("marks a refresh token used once only: of two refreshes presenting it at once, on any nodes, the second is refused", async () => {
    // The provider reads the token, then marks it used; both requests may have read it unused. The mark is the
    // database's decision, so the one that lands second fails (invalid_grant) instead of rotating a second time.
    const Adapter = adapterFactory(s.env.database, s.env.ctx.clock, (await import("oidc-provider")).errors);
    const nodeA = new Adapter("RefreshToken");
    const nodeB = new Adapter("RefreshToken");
    await nodeA.upsert("rt-used-once", { kind: "RefreshToken", jti: "rt-used-once", grantId: "grant-used-once" }, 600);
    assert.equal((await nodeB.find("rt-used-once"))?.consumed, undefined);
    await nodeA.consume("rt-used-once");
    await assert.rejects(nodeB.consume("rt-used-once"), { error: "invalid_grant" });
    assert.ok((await nodeB.find("rt-used-once"))?.consumed, "marked used by the first");
  });
});
