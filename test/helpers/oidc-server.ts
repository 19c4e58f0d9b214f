// Test support for the OIDC provider: the app listening on 127.0.0.1 (tests make their accounts with the
// identity factories), a browser with a cookie jar, and an openid-client relying party.
import * as client from "openid-client";
import type { ClientMetadata } from "oidc-provider";
import { testContext, type TestEnv } from "./app.ts";
import { freePort } from "./net.ts";
import { buildApp } from "../../src/app.ts";
import type { Clock } from "../../src/platform/clock.ts";
import type { Config } from "../../src/platform/config/index.ts";
import type { App } from "../../src/platform/http/types.ts";
import { TEST_PASSWORD } from "../../src/modules/identity/testing.ts";

export const TEST_RP = "test-rp";
export const TEST_INTEGRATION = "test-integration";
export const TEST_INTEGRATION_SECRET = "integration-secret-0123456789abcdef";
/** A confidential relying party (code flow, authenticated at the token endpoint with its secret). */
export const TEST_CONFIDENTIAL_RP = "test-confidential-rp";
export const TEST_CONFIDENTIAL_RP_SECRET = "confidential-rp-secret-0123456789abcdef";

/** A clock the test can move forward; waiting on it moves it on. */
export function movableClock(): Clock & { offsetMs: number } {
  const clock = {
    offsetMs: 0,
    now: () => new Date(Date.now() + clock.offsetMs),
    sleep: async (ms: number) => void (clock.offsetMs += ms),
  };
  return clock;
}

const unescapeHtml = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** A browser's cookie jar, enough for one host; it submits the provider's self-posting forms as script would. */
export class Browser {
  /** Cookies by host (host:port; paths are not told apart). */
  private jar = new Map<string, Map<string, string>>();
  cookiesOf(url: string): Map<string, string> {
    const host = new URL(url).host;
    let cookies = this.jar.get(host);
    if (!cookies) this.jar.set(host, (cookies = new Map()));
    return cookies;
  }
  private async send(url: string, init: RequestInit = {}): Promise<Response> {
    const cookies = this.cookiesOf(url);
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") cookies.delete(name);
      else cookies.set(name, value);
    }
    return res;
  }
  get(url: string): Promise<Response> {
    return this.send(url);
  }
  post(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }
  /** Follows redirects until one leaves `origin` or matches `stopAt`; returns that URL. */
  async followUntilAway(start: string, origin: string, stopAt: RegExp = /\/test\/callback/): Promise<string> {
    let res = await this.get(start);
    let url = start;
    for (let i = 0; i < 12; i++) {
      const location = res.headers.get("location");
      if (!location) {
        const body = await res.text();
        // The provider's auto-submitted form (ending a previous person's session, form_post responses).
        const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(body);
        if (res.status !== 200 || !form) throw new Error(`no redirect from ${url}: ${res.status} ${body}`);
        const fields = Object.fromEntries(
          [...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)]),
        );
        url = new URL(unescapeHtml(form[1]!), url).href;
        res = await this.post(url, fields);
        continue;
      }
      await res.arrayBuffer();
      const next = new URL(location, url).href;
      if (!next.startsWith(origin) || stopAt.test(next)) return next;
      url = next;
      res = await this.get(url);
    }
    throw new Error("too many redirects");
  }
}

export interface OidcTestServer {
  env: TestEnv;
  app: App;
  base: string;
  redirectUri: string;
  /** A relying party of the server (openid-client), `test-rp` (public, PKCE) unless told otherwise. */
  discover(clientId?: string, auth?: client.ClientAuth, secret?: string): Promise<client.Configuration>;
  /**
   * Runs the code flow with PKCE (and a nonce) in `browser` up to the callback, as `test-rp` or as the relying
   * party `rp` names (a confidential one with its secret); returns the callback URL and what the RP must check it with.
   */
  authorize(
    browser: Browser,
    params?: Record<string, string>,
    rp?: { clientId: string; secret: string },
  ): Promise<{ config: client.Configuration; callback: string; verifier: string; nonce: string; state: string }>;
  /** A browser session cookie for `username`, an account of the factories (password sign-in). */
  signIn(browser: Browser, username: string): Promise<string>;
  close(): Promise<void>;
}

/** The app listening on 127.0.0.1, with a test relying party and a client-credentials integration. */
export async function startOidcTestServer(opts: { clock?: Clock; config?: Partial<Config>; port?: number } = {}): Promise<OidcTestServer> {
  const port = opts.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const redirectUri = `${base}/test/callback`;
  const clients: ClientMetadata[] = [
    {
      client_id: TEST_RP,
      token_endpoint_auth_method: "none",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    },
    {
      client_id: TEST_CONFIDENTIAL_RP,
      client_secret: TEST_CONFIDENTIAL_RP_SECRET,
      token_endpoint_auth_method: "client_secret_basic",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    },
    {
      client_id: TEST_INTEGRATION,
      client_secret: TEST_INTEGRATION_SECRET,
      redirect_uris: [],
      response_types: [],
      grant_types: ["client_credentials"],
    },
  ];
  const env = await testContext({
    ...(opts.clock ? { clock: opts.clock } : {}),
    config: { publicUrl: base, ...opts.config },
    options: { oidcClients: clients },
  });
  const app = await buildApp(env.ctx);
  await app.listen({ port, host: "127.0.0.1" });

  const discover = (clientId = TEST_RP, auth: client.ClientAuth = client.None(), secret?: string) =>
    client.discovery(new URL(env.ctx.oidc.issuer), clientId, secret, auth, { execute: [client.allowInsecureRequests] });

  return {
    env,
    app,
    base,
    redirectUri,
    discover,
    async authorize(browser, params = {}, rp) {
      const config = rp ? await discover(rp.clientId, client.ClientSecretBasic(rp.secret), rp.secret) : await discover();
      const verifier = client.randomPKCECodeVerifier();
      const nonce = client.randomNonce();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: "openid",
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        nonce,
        state,
        ...params,
      });
      const callback = await browser.followUntilAway(url.href, base, /\/test\/callback|\/dang-nhap\?/);
      return { config, callback, verifier, nonce, state };
    },
    async signIn(browser, username) {
      const { token } = await env.ctx.identity.signIn({ username, password: TEST_PASSWORD });
      browser.cookiesOf(base).set("motcua_session", token);
      return token;
    },
    async close() {
      await app.close();
      await env.close();
    },
  };
}
