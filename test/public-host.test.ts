// A page opened on another name of the node (127.0.0.1 while MOTCUA_PUBLIC_URL says localhost) moves to the public
// URL before sign-in starts there; the API, the probes and the provider's endpoints answer on any host (issue 15,
// item 5). Without it, sign-in began on 127.0.0.1 kept its state in 127.0.0.1's cookie and failed with a 400 at the
// callback on localhost.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { App } from "../src/platform/http/types.ts";
import { testApp, type TestEnv } from "./helpers/app.ts";

const PAGE = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

describe("pages on another host move to the public URL", () => {
  let env: TestEnv & { app: App };
  let proxied: TestEnv & { app: App };
  before(async () => {
    env = await testApp({ config: { publicUrl: "http://localhost:3000", redirectToPublicUrl: true, trustedProxies: [] } });
    proxied = await testApp({ config: { publicUrl: "https://dvc.example.vn", redirectToPublicUrl: true, trustedProxies: ["10.0.0.0/8"] } });
  });
  after(async () => {
    await env.close();
    await proxied.close();
  });

  const get = (app: App, url: string, headers: Record<string, string>, remoteAddress?: string) =>
    app.inject({ method: "GET", url, headers, ...(remoteAddress ? { remoteAddress } : {}) });

  it("sends a page read on 127.0.0.1 to the same path and query on localhost, before sign-in begins", async () => {
    const home = await get(env.app, "/", { ...PAGE, host: "127.0.0.1:3000" });
    assert.equal(home.statusCode, 302);
    assert.equal(home.headers.location, "http://localhost:3000/");
    assert.equal(home.headers["set-cookie"], undefined, "no cookie is set on the wrong host");
    const signIn = await get(env.app, "/auth/dang-nhap?next=%2Fthu-tuc%3Fq%3Dkhai%2Bsinh", { ...PAGE, host: "127.0.0.1:3000" });
    assert.equal(signIn.statusCode, 302);
    assert.equal(signIn.headers.location, "http://localhost:3000/auth/dang-nhap?next=%2Fthu-tuc%3Fq%3Dkhai%2Bsinh");
    assert.equal(signIn.headers["set-cookie"], undefined);
    const odd = await get(env.app, "//evil.example/x", { ...PAGE, host: "127.0.0.1:3000" });
    assert.equal(new URL(String(odd.headers.location)).host, "localhost:3000", "a path never becomes a host");
    // Another port of the same name is another origin too.
    assert.equal((await get(env.app, "/thu-tuc", { ...PAGE, host: "localhost:8080" })).headers.location, "http://localhost:3000/thu-tuc");
  });

  it("serves the page on the public URL's host, whatever the case of its name", async () => {
    assert.equal((await get(env.app, "/", { ...PAGE, host: "localhost:3000" })).statusCode, 200);
    assert.equal((await get(env.app, "/", { ...PAGE, host: "LocalHost:3000" })).statusCode, 200);
  });

  it("leaves the API, the probes, the provider's endpoints, assets and form posts alone", async () => {
    const other = { host: "127.0.0.1:3000" };
    assert.equal((await get(env.app, "/healthz", { ...PAGE, ...other })).statusCode, 200);
    assert.equal((await get(env.app, "/api/agencies", { ...PAGE, ...other })).statusCode, 200);
    assert.equal((await get(env.app, "/.well-known/openid-configuration", { ...PAGE, ...other })).statusCode, 200);
    assert.equal((await get(env.app, "/", { accept: "application/json", ...other })).statusCode, 200, "not a browser's page read");
    const post = await env.app.inject({ method: "POST", url: "/ngon-ngu", headers: other });
    assert.notEqual(post.statusCode, 302);
  });

  it("behind a trusted proxy reads the forwarded host; through a proxy it does not trust, moves nothing", async () => {
    const forwarded = { ...PAGE, host: "10.1.2.3:3000", "x-forwarded-proto": "https" };
    assert.equal((await get(proxied.app, "/", { ...forwarded, "x-forwarded-host": "dvc.example.vn" }, "10.0.0.5")).statusCode, 200);
    const elsewhere = await get(proxied.app, "/thu-tuc", { ...forwarded, "x-forwarded-host": "old.example.vn" }, "10.0.0.5");
    assert.equal(elsewhere.statusCode, 302);
    assert.equal(elsewhere.headers.location, "https://dvc.example.vn/thu-tuc");
    // Direct to the node's address, from a client: moved to the public name.
    assert.equal((await get(proxied.app, "/", { ...PAGE, host: "10.1.2.3:3000" }, "10.0.0.5")).headers.location, "https://dvc.example.vn/");
    // A proxy not listed in MOTCUA_TRUSTED_PROXIES may call the node by any name: moving it could loop.
    assert.equal((await get(env.app, "/", { ...PAGE, host: "127.0.0.1:3000", "x-forwarded-for": "203.0.113.9" })).statusCode, 200);
  });
});
