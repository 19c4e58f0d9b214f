// Federation: a second oidc-provider, started here, plays the external identity provider (VNeID).
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import Provider from "oidc-provider";
import { buildApp } from "../../app.ts";
import { sql } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { freePort } from "../../../test/helpers/net.ts";
import { buildCitizen } from "./testing.ts";

/** The people the external provider knows (a test adds one with an account here), and who signs in next. */
const PEOPLE: Record<string, { cccd: string; loa: number; name: string; birthdate?: string; address?: { formatted: string } }> = {
  "ext-new": { cccd: "036301000888", loa: 2, name: "Đặng Văn Mới", birthdate: "2001-04-30", address: { formatted: "Thôn Đông, xã Yên Thành, tỉnh Nghệ An" } },
  "ext-bad": { cccd: "12345", loa: 2, name: "Sai Số" },
};
let nextPerson = "ext-new";

describe("federated sign-in", () => {
  let env: TestEnv;
  let app: App;
  let idp: http.Server;
  let base: string;

  before(async () => {
    const idpPort = await freePort();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const issuer = `http://127.0.0.1:${idpPort}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: "motcua",
          client_secret: "motcua-secret-0123456789abcdefghij",
          redirect_uris: [`${base}/dang-nhap/ngoai/callback`],
          grant_types: ["authorization_code"],
          response_types: ["code"],
          token_endpoint_auth_method: "client_secret_post",
        },
      ],
      features: { devInteractions: { enabled: false } },
      claims: { openid: ["sub", "cccd", "loa"], profile: ["name", "birthdate", "address"] },
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
    // The external provider's "login": whoever `nextPerson` is signs in at once.
    idp = http.createServer((req, res) => {
      if (req.url?.startsWith("/interaction/")) {
        void provider.interactionFinished(req, res, { login: { accountId: nextPerson } }, { mergeWithLastSubmission: false });
        return;
      }
      void callback(req, res);
    });
    await new Promise<void>((r) => idp.listen(idpPort, "127.0.0.1", r));

    env = await testContext({
      config: {
        publicUrl: base,
        federation: { issuer, clientId: "motcua", clientSecret: "motcua-secret-0123456789abcdefghij", cccdClaim: "cccd", loaClaim: "loa", name: "VNeID" },
      },
    });
    app = await buildApp(env.ctx);
    await app.listen({ port, host: "127.0.0.1" });
  });
  after(async () => {
    await app.close();
    await new Promise((r) => idp.close(r));
    await env.close();
  });

  /** A browser going through the whole redirect dance; returns the final response and its cookies. */
  async function signIn(): Promise<{ status: number; location: string | null; session: string | null; body: string }> {
    const jar = new Map<string, string>();
    let url = `${base}/dang-nhap/ngoai?next=/tai-khoan`;
    for (let i = 0; i < 12; i++) {
      const host = new URL(url).host;
      const cookie = [...jar].filter(([k]) => k.startsWith(`${host}|`)).map(([k, v]) => `${k.split("|")[1]}=${v}`).join("; ");
      const res = await fetch(url, { redirect: "manual", headers: { cookie } });
      for (const line of res.headers.getSetCookie()) {
        const pair = line.split(";")[0]!;
        const eq = pair.indexOf("=");
        jar.set(`${host}|${pair.slice(0, eq)}`, pair.slice(eq + 1));
      }
      const location = res.headers.get("location");
      if (url.includes("/dang-nhap/ngoai/callback") || !location) {
        return { status: res.status, location, session: jar.get(`${new URL(base).host}|motcua_session`) ?? null, body: await res.text() };
      }
      await res.arrayBuffer();
      url = new URL(location, url).href;
    }
    throw new Error("too many redirects");
  }

  const me = async (session: string) => {
    const res = await fetch(`${base}/api/me`, { headers: { cookie: `motcua_session=${session}` } });
    return { status: res.status, body: (await res.json()) as { username?: string; loa?: number } };
  };

  it("creates a citizen account by CCCD, with the provider's assurance level", async () => {
    nextPerson = "ext-new";
    const r = await signIn();
    assert.equal(r.status, 303);
    assert.equal(r.location, "/tai-khoan");
    assert.ok(r.session);
    const who = await me(r.session);
    assert.equal(who.body.username, "036301000888");
    assert.equal(who.body.loa, 2);
    // Again: the same account, through the link.
    const again = await signIn();
    assert.equal((await me(again.session!)).body.username, "036301000888");
    const rows = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users WHERE username = '036301000888'`);
    assert.equal(rows[0]?.n, 1);
    // What the provider says of the person is kept: a new dossier's form starts with it.
    const account = await env.ctx.identity.findByUsername("036301000888");
    assert.deepEqual([account?.birthDate, account?.address], ["2001-04-30", "Thôn Đông, xã Yên Thành, tỉnh Nghệ An"]);
  });

  it("links an existing citizen account by CCCD", async () => {
    const known = await buildCitizen(env.ctx);
    PEOPLE["ext-known"] = { cccd: known.username, loa: 1, name: known.user.fullName };
    nextPerson = "ext-known";
    const r = await signIn();
    const who = await me(r.session!);
    assert.equal(who.body.username, known.username);
    assert.equal(who.body.loa, 1);
    const links = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM federated_identities WHERE subject = 'ext-known'`);
    assert.equal(links[0]?.n, 1);
  });

  it("refuses a malformed CCCD from the provider, creating nothing", async () => {
    nextPerson = "ext-bad";
    const before = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`);
    const r = await signIn();
    assert.equal(r.status, 400);
    assert.equal(r.session, null);
    assert.match(r.body, /CCCD không hợp lệ/);
    const after = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM users`);
    assert.equal(after[0]?.n, before[0]?.n);
  });

  it("offers the provider on the sign-in page", async () => {
    const page = await (await fetch(`${base}/dang-nhap`)).text();
    assert.match(page, /Đăng nhập bằng VNeID/);
  });

  it("refuses a callback without its state cookie or with a forged one", async () => {
    const res = await fetch(`${base}/dang-nhap/ngoai/callback?code=abc&state=xyz`, { redirect: "manual", headers: { cookie: "motcua_fed=e30.forged" } });
    assert.equal(res.status, 400);
    assert.equal(res.headers.getSetCookie().some((c) => c.startsWith("motcua_session=")), false);
  });
});

describe("federated sign-in with the provider unreachable", () => {
  let env: TestEnv;
  let app: App;

  before(async () => {
    // A port nobody listens on: the provider is down.
    const issuer = `http://127.0.0.1:${await freePort()}`;
    env = await testContext({
      config: { federation: { issuer, clientId: "motcua", clientSecret: null, cccdClaim: "cccd", loaClaim: "loa", name: "VNeID" } },
    });
    app = await buildApp(env.ctx);
  });
  after(async () => {
    await app.close();
    await env.close();
  });

  it("answers 503 with the sign-in page, a message and Retry-After instead of a 500", async () => {
    const res = await app.inject({ method: "GET", url: "/dang-nhap/ngoai?next=/tai-khoan" });
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.headers["retry-after"], "30");
    assert.match(res.headers["content-type"] as string, /text\/html/);
    assert.match(res.body, /Hiện không kết nối được với VNeID/);
    assert.match(res.body, /name="password"/, "the password form is still there");
  });
});
