import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "./index.ts";

describe("config", () => {
  it("has working defaults for the embedded database", () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.databaseUrl, null);
    assert.equal(c.demo, true);
    assert.match(c.dataDir, /\.motcua$/);
    assert.equal(c.publicUrl, "http://localhost:3000");
    assert.equal(c.lookupsPerMinute, 30);
    assert.equal(loadConfig({ MOTCUA_LOOKUP_PER_MINUTE: "600" }).lookupsPerMinute, 600);
    assert.deepEqual(c.trustedProxies, []);
    assert.equal(c.redirectToPublicUrl, true);
    assert.equal(c.logFormat, "auto");
    assert.equal(loadConfig({ LOG_FORMAT: "JSON" }).logFormat, "json");
    assert.equal(loadConfig({ MOTCUA_REDIRECT_TO_PUBLIC_URL: "false" }).redirectToPublicUrl, false);
    assert.deepEqual(loadConfig({ MOTCUA_TRUSTED_PROXIES: "10.0.0.0/8, 192.168.1.7,2001:db8::/32,loopback," }).trustedProxies, ["10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "loopback"]);
  });

  it("reads the document exchange's hub and retries", () => {
    assert.deepEqual(loadConfig({}).exchange, { hubUrl: null, hubCode: null, timeoutMs: 30_000, maxAttempts: 12, retryBaseMs: 30_000, retryMaxMs: 14_400_000, batch: 32 });
    const c = loadConfig({ MOTCUA_EXCHANGE_HUB_URL: "https://truc.example.gov.vn/", MOTCUA_EXCHANGE_HUB: "000.00.00.G22", MOTCUA_EXCHANGE_RETRY_BASE_MS: "100" });
    assert.deepEqual([c.exchange.hubUrl, c.exchange.hubCode, c.exchange.retryBaseMs], ["https://truc.example.gov.vn", "000.00.00.G22", 100]);
  });

  it("turns demo data off by default on PostgreSQL", () => {
    const c = loadConfig({ DATABASE_URL: "postgres://u@127.0.0.1:5432/x" });
    assert.equal(c.databaseUrl, "postgres://u@127.0.0.1:5432/x");
    assert.equal(c.demo, false);
  });

  it("syncs to the national portal only when its address is set, signing in with the integration account", () => {
    assert.equal(loadConfig({}).nationalSync, null);
    const portal = {
      MOTCUA_NATIONAL_SYNC_URL: "https://lgsp.example.gov.vn/dvcqg/integration",
      MOTCUA_NATIONAL_SYNC_AUTH_URL: "https://lgsp.example.gov.vn/dvcqg/auth",
      MOTCUA_NATIONAL_SYNC_USERNAME: "bacninh",
      MOTCUA_NATIONAL_SYNC_PASSWORD: " s3cr3t pass ",
      MOTCUA_NATIONAL_SYNC_MADONVI: "000.00.00.H06",
    };
    assert.deepEqual(loadConfig(portal).nationalSync, {
      url: "https://lgsp.example.gov.vn/dvcqg/integration",
      authUrl: "https://lgsp.example.gov.vn/dvcqg/auth",
      username: "bacninh",
      password: " s3cr3t pass ",
      madonvi: "000.00.00.H06",
      dstcode: null,
      timeoutMs: 15000,
      databaseCodes: {},
    });
    const c = loadConfig({ ...portal, MOTCUA_NATIONAL_SYNC_DSTCODE: "DVCQG", MOTCUA_NATIONAL_SYNC_TIMEOUT_MS: "2000" });
    assert.equal(c.nationalSync?.dstcode, "DVCQG");
    assert.equal(c.nationalSync?.timeoutMs, 2000);
    const codes = loadConfig({ ...portal, MOTCUA_NATIONAL_SYNC_MACSDL: '{"population":"CSDLQGDC","business":"CSDLQGDKDN"}' });
    assert.deepEqual(codes.nationalSync?.databaseCodes, { population: "CSDLQGDC", business: "CSDLQGDKDN" });
  });

  const portalEnv = () => ({
    MOTCUA_NATIONAL_SYNC_URL: "https://p.example",
    MOTCUA_NATIONAL_SYNC_AUTH_URL: "https://p.example/a",
    MOTCUA_NATIONAL_SYNC_USERNAME: "u",
    MOTCUA_NATIONAL_SYNC_PASSWORD: "p",
    MOTCUA_NATIONAL_SYNC_MADONVI: "000.00.00.H06",
  });
  const bad: Array<[Record<string, string>, string]> = [
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL"],
    [{ MOTCUA_DEMO: "maybe" }, "MOTCUA_DEMO"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ LOG_FORMAT: "xml" }, "LOG_FORMAT"],
    [{ MOTCUA_PUBLIC_URL: "ftp://x" }, "MOTCUA_PUBLIC_URL"],
    // The node answers at the root of its host only: sign-in would come back to an address it does not serve.
    [{ MOTCUA_PUBLIC_URL: "https://dvc.example.vn/motcua" }, "MOTCUA_PUBLIC_URL"],
    [{ MOTCUA_PUBLIC_URL: "https://user:pw@dvc.example.vn" }, "MOTCUA_PUBLIC_URL"],
    [{ MOTCUA_AUDIT_KEY: "too-short" }, "MOTCUA_AUDIT_KEY"],
    [{ MOTCUA_SECRET: "too-short" }, "MOTCUA_SECRET"],
    [{ MOTCUA_LOOKUP_PER_MINUTE: "0" }, "MOTCUA_LOOKUP_PER_MINUTE"],
    [{ MOTCUA_LOOKUP_PER_MINUTE: "many" }, "MOTCUA_LOOKUP_PER_MINUTE"],
    [{ MOTCUA_TRUSTED_PROXIES: "load-balancer.local" }, "MOTCUA_TRUSTED_PROXIES"],
    [{ MOTCUA_TRUSTED_PROXIES: "10.0.0.0/33" }, "MOTCUA_TRUSTED_PROXIES"],
    [{ MOTCUA_NATIONAL_SYNC_URL: "ftp://portal.example" }, "MOTCUA_NATIONAL_SYNC_URL"],
    [{ MOTCUA_NATIONAL_SYNC_URL: "https://portal.example", MOTCUA_NATIONAL_SYNC_TIMEOUT_MS: "5" }, "MOTCUA_NATIONAL_SYNC_TIMEOUT_MS"],
    [{ MOTCUA_NATIONAL_SYNC_URL: "https://portal.example" }, "MOTCUA_NATIONAL_SYNC_AUTH_URL"],
    [{ MOTCUA_NATIONAL_SYNC_URL: "https://portal.example", MOTCUA_NATIONAL_SYNC_AUTH_URL: "https://portal.example/auth" }, "MOTCUA_NATIONAL_SYNC_USERNAME"],
    [
      { MOTCUA_NATIONAL_SYNC_URL: "https://p.example", MOTCUA_NATIONAL_SYNC_AUTH_URL: "https://p.example/a", MOTCUA_NATIONAL_SYNC_USERNAME: "u", MOTCUA_NATIONAL_SYNC_PASSWORD: "p" },
      "MOTCUA_NATIONAL_SYNC_MADONVI",
    ],
    [{ MOTCUA_NATIONAL_SYNC_URL: "https://portal.example", MOTCUA_NATIONAL_SYNC_DSTCODE: "a b" }, "MOTCUA_NATIONAL_SYNC_DSTCODE"],
    [{ MOTCUA_NATIONAL_SYNC_PASSWORD: "orphan" }, "MOTCUA_NATIONAL_SYNC_PASSWORD"],
    [{ MOTCUA_NATIONAL_SYNC_MACSDL: '{"population":"X"}' }, "MOTCUA_NATIONAL_SYNC_MACSDL"],
    [{ ...portalEnv(), MOTCUA_NATIONAL_SYNC_MACSDL: "population=X" }, "MOTCUA_NATIONAL_SYNC_MACSDL"],
    [{ ...portalEnv(), MOTCUA_NATIONAL_SYNC_MACSDL: '["X"]' }, "MOTCUA_NATIONAL_SYNC_MACSDL"],
    [{ ...portalEnv(), MOTCUA_NATIONAL_SYNC_MACSDL: '{"land":"X"}' }, "MOTCUA_NATIONAL_SYNC_MACSDL"],
    [{ ...portalEnv(), MOTCUA_NATIONAL_SYNC_MACSDL: '{"population":"a b"}' }, "MOTCUA_NATIONAL_SYNC_MACSDL"],
    [{ MOTCUA_EXCHANGE_HUB_URL: "ftp://hub" }, "MOTCUA_EXCHANGE_HUB_URL"],
    [{ MOTCUA_EXCHANGE_HUB: "1" }, "MOTCUA_EXCHANGE_HUB"],
    [{ MOTCUA_EXCHANGE_MAX_ATTEMPTS: "0" }, "MOTCUA_EXCHANGE_MAX_ATTEMPTS"],
    [{ MOTCUA_EXCHANGE_BATCH: "0" }, "MOTCUA_EXCHANGE_BATCH"],
    [{ MOTCUA_EXCHANGE_BATCH: "65" }, "MOTCUA_EXCHANGE_BATCH"],
  ];
  for (const [env, variable] of bad) {
    it(`names ${variable} when ${JSON.stringify(env)} is bad`, () => {
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => err instanceof ConfigError && err.variable === variable && err.message.startsWith(variable),
      );
    });
  }
});
