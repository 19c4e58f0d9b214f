import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { nodeSecret } from "./secrets.ts";

describe("node secrets", () => {
  it("are generated once into the data directory (0600) and kept across restarts", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-secret-"));
    try {
      const first = nodeSecret({ secret: null, dataDir: dir }, "totp");
      assert.match(first, /^[0-9a-f]{64}$/);
      assert.equal(nodeSecret({ secret: null, dataDir: dir }, "totp"), first);
      assert.equal(fs.statSync(path.join(dir, "totp.key")).mode & 0o777, 0o600);
      assert.notEqual(nodeSecret({ secret: null, dataDir: dir }, "oidc-cookies"), first);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("derive from MOTCUA_SECRET identically on every node, distinct per name", () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-secret-"));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-secret-"));
    try {
      const secret = "x".repeat(40);
      assert.equal(nodeSecret({ secret, dataDir: a }, "totp"), nodeSecret({ secret, dataDir: b }, "totp"));
      assert.notEqual(nodeSecret({ secret, dataDir: a }, "totp"), nodeSecret({ secret, dataDir: a }, "oidc-cookies"));
      assert.equal(fs.existsSync(path.join(a, "totp.key")), false);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
  });
});
