// Signing keys over time: rotation, how long superseded keys stay published, another node's rotation,
// and the daily housekeeping of expired provider records.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as client from "openid-client";
import type { Actor } from "../../../platform/auth/actor.ts";
import { sql } from "../../../platform/db/index.ts";
import { buildCitizen, type TestAccount } from "../testing.ts";
import { createOidc } from "./provider.ts";
import { Browser, movableClock, type OidcTestServer, startOidcTestServer } from "../../../../test/helpers/oidc-server.ts";

const clock = movableClock();
const operator: Actor = { type: "cli", name: "test" };
const DAY = 86400 * 1000;

describe("OIDC signing keys", () => {
  let s: OidcTestServer;
  /** Whose sign-ins and tokens the keys sign. */
  let citizen: TestAccount;
  before(async () => {
    s = await startOidcTestServer({ clock });
    citizen = await buildCitizen(s.env.ctx);
  });
  after(() => s.close());

  const published = async () => ((await (await fetch(`${s.base}/oidc/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
  const apiStatus = async (token: string) => (await fetch(`${s.base}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  /** The kid that signed a new ID token. */
  async function signingKid(): Promise<string> {
    const browser = new Browser();
    await s.signIn(browser, citizen.username);
    const { config, callback, verifier, nonce, state } = await s.authorize(browser);
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
    return (JSON.parse(Buffer.from(tokens.id_token!.split(".")[0]!, "base64url").toString()) as { kid: string }).kid;
  }

  it("superseded keys stay published while tokens they signed may live, then housekeeping retires them", async () => {
    const [k0] = await published();
    const longLived = await s.env.ctx.oidc.mintToken(operator, citizen.username, 30 * 86400);
    const k1 = await s.env.ctx.oidc.rotateKeys();
    const k2 = await s.env.ctx.oidc.rotateKeys();
    assert.deepEqual(await published(), [k2, k1, k0]);
    assert.equal(await signingKid(), k2);

    // 29 days on, another rotation: the first key still verifies the token it signed.
    clock.offsetMs = 29 * DAY;
    const k3 = await s.env.ctx.oidc.rotateKeys();
    assert.deepEqual(await published(), [k3, k2, k1, k0]);
    assert.equal(await apiStatus(longLived), 200);

    // Past the longest token lifetime after their successors took over, k0 and k1 go; k2 (superseded a day
    // ago) stays. Expired codes, sessions and grants go too.
    clock.offsetMs = 30 * DAY + 2 * 3600 * 1000;
    const stale = await s.env.database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM oidc_payloads WHERE expires_at < ${clock.now().toISOString()}::timestamptz`,
    );
    assert.ok(stale[0]!.n > 0);
    assert.deepEqual(await s.env.ctx.oidc.housekeeping(), { expired: stale[0]!.n, retired: 2 });
    assert.deepEqual(await published(), [k3, k2]);
    const left = await s.env.database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM oidc_payloads WHERE expires_at < ${clock.now().toISOString()}::timestamptz`,
    );
    assert.equal(left[0]!.n, 0);
    assert.equal(await signingKid(), k3);
    assert.ok(s.env.ctx.jobs.schedules().some((j) => j.name === "oidc.housekeeping"));
  });

  it("a rotation on another node is taken up here at once: published, signing, verifying", async () => {
    const { ctx, database } = s.env;
    // Its signals reach this node as the other nodes' do (test/nodes.test.ts: through LISTEN, between processes).
    const otherNode = createOidc({ database, signals: ctx.signals, clock, audit: ctx.audit, identity: ctx.identity, publicUrl: s.base, cookieSecret: "another-node" });
    assert.equal(await apiStatus(await ctx.oidc.mintToken(operator, citizen.username, 600)), 200, "this node has read its keys");
    const kid = await otherNode.rotateKeys();
    const minted = await otherNode.mintToken(operator, citizen.username, 600);
    assert.equal((await published())[0], kid);
    assert.equal(await signingKid(), kid);
    assert.equal(await apiStatus(minted), 200);
  });

  it("`motcua token` lifetimes stay within the key retention", async () => {
    await assert.rejects(s.env.ctx.oidc.mintToken(operator, citizen.username, 31 * 86400), RangeError);
  });
});
