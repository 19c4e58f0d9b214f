// The connectors' configuration, read from the environment once at start (src/platform/config).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../platform/config/index.ts";

const SHARED = { MOTCUA_REGISTRY_URL: "http://127.0.0.1:4100/", MOTCUA_REGISTRY_CLIENT_ID: "motcua", MOTCUA_REGISTRY_CLIENT_SECRET: "bi-mat" };

describe("registry connectors' configuration", () => {
  it("configures nothing by default, and simulates the registries for the demo only", () => {
    assert.deepEqual(loadConfig({}).registries.connectors, {});
    assert.equal(loadConfig({}).registries.simulate, true);
    assert.equal(loadConfig({ MOTCUA_DEMO: "false" }).registries.simulate, false);
    assert.equal(loadConfig(SHARED).registries.simulate, false, "configured registries are used, not simulated");
  });

  it("gives all three registries one base URL and client, each overridable", () => {
    const { connectors } = loadConfig({
      ...SHARED,
      MOTCUA_REGISTRY_BUSINESS_URL: "https://dkkd.example.gov.vn/api",
      MOTCUA_REGISTRY_BUSINESS_TIMEOUT_MS: "8000",
      MOTCUA_REGISTRY_POPULATION_FIELDS: '{"fullName":"ketQua.hoTen"}',
    }).registries;
    assert.equal(connectors.population?.baseUrl, "http://127.0.0.1:4100");
    assert.deepEqual(connectors.population?.auth, { kind: "oauth2", tokenUrl: "http://127.0.0.1:4100/oauth/token", clientId: "motcua", clientSecret: "bi-mat", scope: null });
    assert.deepEqual(connectors.population?.fields, { fullName: "ketQua.hoTen" });
    assert.equal(connectors.population?.retries, 2);
    assert.equal(connectors.business?.baseUrl, "https://dkkd.example.gov.vn/api");
    assert.equal(connectors.business?.timeoutMs, 8000);
    assert.equal(connectors.civil_status?.timeoutMs, 5000);
  });

  it("takes a client certificate instead of client credentials", () => {
    const { connectors } = loadConfig({ MOTCUA_REGISTRY_CIVIL_STATUS_URL: "https://hotich.example.gov.vn", MOTCUA_REGISTRY_CIVIL_STATUS_CERT: "/etc/motcua/client.pem", MOTCUA_REGISTRY_CIVIL_STATUS_KEY: "/etc/motcua/client.key" }).registries;
    assert.deepEqual(connectors.civil_status?.auth, { kind: "mtls", certFile: "/etc/motcua/client.pem", keyFile: "/etc/motcua/client.key", caFile: null });
    assert.equal(connectors.population, undefined);
  });

  it("names the variable that is wrong", () => {
    const bad = (env: Record<string, string>, variable: string) =>
      assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && err.variable === variable);
    bad({ MOTCUA_REGISTRY_URL: "http://127.0.0.1:4100" }, "MOTCUA_REGISTRY_CLIENT_ID");
    bad({ ...SHARED, MOTCUA_REGISTRY_URL: "ftp://x" }, "MOTCUA_REGISTRY_URL");
    bad({ ...SHARED, MOTCUA_REGISTRY_RETRIES: "9" }, "MOTCUA_REGISTRY_RETRIES");
    bad({ ...SHARED, MOTCUA_REGISTRY_FIELDS: "{not json" }, "MOTCUA_REGISTRY_FIELDS");
    bad({ ...SHARED, MOTCUA_REGISTRY_POPULATION_CERT: "/c.pem" }, "MOTCUA_REGISTRY_KEY");
  });
});
