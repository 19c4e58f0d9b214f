// Assurance levels through the provider: the level an external provider (VNeID, played by a second
// oidc-provider started here) vouched for reaches the ID token (`acr`, `loa`) and the access token, and a
// relying party that requires a level gets it through the external provider or an error.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import Provider from "oidc-provider";
import * as client from "openid-client";
import { freePort } from "../../../../test/helpers/net.ts";
import { buildCitizen, type TestAccount } from "../testing.ts";
import { Browser, type OidcTestServer, startOidcTestServer } from "../../../../test/helpers/oidc-server.ts";

/** The people the external provider knows (tests add citizens with an account here), and who signs in there next. */
const PEOPLE: Record<string, { cccd: string; loa: number; name: string }> = {
  "ext-level1": { cccd: "036301000888", loa: 1, name: "Đặng Văn Mới" },
};
let nextPerson = "nobody";

const requireLoa = (...levels: string[]) =>
  JSON.stringify({ id_token: { acr: levels.length === 1 ? { essential: true, value: levels[0] } : { essential: true, values: levels } } });

describe("assurance levels in tokens", () => {
  let s: OidcTestServer;
  let idp: http.Server;

  before(async () => {
    const idpPort = await freePort();
    const port = await freePort();
    const issuer = `http://127.0.0.1:${idpPort}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: "motcua",
          client_secret: "motcua-secret-0123456789abcdefghij",
          redirect_uris: [`http://127.0.0.1:${port}/dang-nhap/ngoai/callback`],
          grant_types: ["authorization_code"],
          response_types: ["code"],
          token_endpoint_auth_method: "client_secret_post",
        },
      ],
      features: { devInteractions: { enabled: false } },
      claims: { openid: ["sub", "cccd", "loa"], profile: ["name"] },
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, ...PEOPLE[sub] }) }),
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      loadExistingGrant: async (ctx) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope("openid profile");
        await grant.save();
        return grant;
      },
    });
    const callback = provider.callback();
    // The external provider's "login": whoever `nextPerson` is signs in at once (a new session each time).
    idp = http.createServer((req, res) => {
      if (req.url?.startsWith("/interaction/")) {
        void provider.interactionFinished(req, res, { login: { accountId: nextPerson } }, { mergeWithLastSubmission: false });
        return;
      }
      void callback(req, res);
    });
    await new Promise<void>((r) => idp.listen(idpPort, "127.0.0.1", r));
    s = await startOidcTestServer({
      port,
      config: {
        federation: { issuer, clientId: "motcua", clientSecret: "motcua-secret-0123456789abcdefghij", cccdClaim: "cccd", loaClaim: "loa", name: "VNeID" },
      },
    });
  });
  after(async () => {
    await s.close();
    await new Promise((r) => idp.close(r));
  });

  type Flow =
    | { ok: true; config: client.Configuration; tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>; claims: client.IDToken }
    | { ok: false; error: string; description: string };

  const succeeded = (flow: Flow) => {
    if (!flow.ok) throw new Error(`${flow.error}: ${flow.description}`);
    return flow;
  };

  /** The code flow in `browser`, through whatever sign-in it takes; the RP's tokens, or the error it got. */
  async function codeFlow(browser: Browser, params: Record<string, string> = {}): Promise<Flow> {
    const config = await s.discover();
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: s.redirectUri,
      scope: "openid offline_access",
      prompt: "consent",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      nonce,
      state,
      ...params,
    });
    // Both servers are on 127.0.0.1: follow everything up to the relying party's callback.
    const callback = new URL(await browser.followUntilAway(url.href, "http://127.0.0.1:"));
    assert.equal(callback.pathname, "/test/callback");
    const error = callback.searchParams.get("error");
    if (error) return { ok: false, error, description: callback.searchParams.get("error_description") ?? "" };
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
    return { ok: true, config, tokens, claims: tokens.claims()! };
  }

  /** A citizen of their own, with an account here, whom the external provider vouches for at `loa` when next asked. */
  async function knownToProvider(loa: number): Promise<TestAccount> {
    const citizen = await buildCitizen(s.env.ctx);
    nextPerson = `ext-${citizen.username}`;
    PEOPLE[nextPerson] = { cccd: citizen.username, loa, name: citizen.user.fullName };
    return citizen;
  }

  const signInThroughProvider = async (browser: Browser) => {
    const end = await browser.followUntilAway(`${s.base}/dang-nhap/ngoai?next=/tai-khoan`, "http://127.0.0.1:", /\/tai-khoan$/);
    assert.equal(end, `${s.base}/tai-khoan`);
  };

  it("a sign-in vouched for at level 2 gives acr and loa 2 in the ID token and the access token, also after refresh", async () => {
    const citizen = await knownToProvider(2);
    const browser = new Browser();
    await signInThroughProvider(browser);
    const flow = succeeded(await codeFlow(browser));
    assert.equal(flow.claims.sub, citizen.id);
    assert.equal(flow.claims.acr, "urn:motcua:loa:2");
    assert.equal(flow.claims.loa, 2);
    assert.equal(flow.claims.amr, undefined, "no password was used");
    const me = await fetch(`${s.base}/api/me`, { headers: { authorization: `Bearer ${flow.tokens.access_token}` } });
    assert.equal(((await me.json()) as { loa: number }).loa, 2);
    const refreshed = await client.refreshTokenGrant(flow.config, flow.tokens.refresh_token!);
    const actor = (await s.env.ctx.oidc.verifyAccessToken(refreshed.access_token)).actor;
    assert.equal(actor.type === "user" ? actor.loa : -1, 2, "the refreshed access token keeps the level");
    assert.equal(refreshed.claims()?.acr, "urn:motcua:loa:2");
  });

  it("a relying party requiring level 2 sends a password sign-in through the external provider", async () => {
    const citizen = await knownToProvider(2);
    const browser = new Browser();
    await s.signIn(browser, citizen.username);
    const flow = succeeded(await codeFlow(browser, { claims: requireLoa("urn:motcua:loa:2") }));
    assert.equal(flow.claims.sub, citizen.id);
    assert.equal(flow.claims.acr, "urn:motcua:loa:2");
    // Now at level 2, a request for level 1 (or 1 or 2) is satisfied at once.
    for (const claims of [requireLoa("urn:motcua:loa:1"), requireLoa("urn:motcua:loa:1", "urn:motcua:loa:2")]) {
      nextPerson = "nobody"; // the external provider is not visited again
      const again = succeeded(await codeFlow(browser, { claims }));
      assert.equal(again.claims.acr, "urn:motcua:loa:2");
    }
  });

  it("a level reached neither by the sign-in nor through the external provider is an error for the client", async () => {
    const citizen = await buildCitizen(s.env.ctx);
    nextPerson = "ext-level1";
    const browser = new Browser();
    await s.signIn(browser, citizen.username);
    const flow = await codeFlow(browser, { claims: requireLoa("urn:motcua:loa:2") });
    assert.deepEqual(flow, { ok: false, error: "unmet_authentication_requirements", description: "assurance level 2 is required; the sign-in has level 1" });
  });

  it("an assurance level motcua does not know cannot be met", async () => {
    await knownToProvider(2);
    const browser = new Browser();
    await signInThroughProvider(browser);
    const flow = await codeFlow(browser, { claims: requireLoa("urn:example:loa:high") });
    assert.equal(flow.ok ? "tokens" : flow.error, "unmet_authentication_requirements");
  });
});
