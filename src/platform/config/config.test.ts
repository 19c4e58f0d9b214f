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
  });

  it("turns demo data off by default on PostgreSQL", () => {
    const c = loadConfig({ DATABASE_URL: "postgres://u@127.0.0.1:5432/x" });
    assert.equal(c.databaseUrl, "postgres://u@127.0.0.1:5432/x");
    assert.equal(c.demo, false);
  });

  const bad: Array<[Record<string, string>, string]> = [
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL"],
    [{ MOTCUA_DEMO: "maybe" }, "MOTCUA_DEMO"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ MOTCUA_PUBLIC_URL: "ftp://x" }, "MOTCUA_PUBLIC_URL"],
    [{ MOTCUA_AUDIT_KEY: "too-short" }, "MOTCUA_AUDIT_KEY"],
    [{ MOTCUA_SECRET: "too-short" }, "MOTCUA_SECRET"],
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
