// The motcua command as a user runs it: real processes on a private data directory.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { readDemoAccounts } from "../src/modules/identity/index.ts";
import { freePort } from "./helpers/net.ts";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/motcua.js");

describe("motcua command", () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-cli-"));
    // The embedded database always: these tests are about the one-process PGlite mode.
    env = { ...process.env, MOTCUA_DATA_DIR: dataDir, PORT: String(await freePort()), HOST: "127.0.0.1", LOG_LEVEL: "info" };
    delete env.DATABASE_URL;
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    return spawnSync(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, encoding: "utf8", timeout: 120_000 });
  }

  it("exits with code 2 and names the variable on a bad setting", () => {
    const r = cli(["migrate"], { PORT: "eighty" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /PORT/);
  });

  it("exits with code 2 on an unknown command", () => {
    const r = cli(["frobnicate"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command/);
  });

  it("migrates the embedded database without a server", () => {
    const r = cli(["migrate"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /applied: 0000_extensions|up to date/);
    assert.equal(fs.existsSync(path.join(dataDir, "motcua.lock")), false, "the lock is released after the command");
  });

  describe("with the server running", () => {
    let server: ChildProcess;
    let logs = "";
    let stderr = "";
    before(async () => {
      server = spawn(process.execPath, [BIN, "start"], { env, stdio: ["ignore", "pipe", "pipe"] });
      server.stdout!.on("data", (d: Buffer) => (logs += d.toString()));
      server.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`server did not start:\n${stderr}\n${logs}`);
        try {
          const res = await fetch(`http://127.0.0.1:${env.PORT}/healthz`);
          if (res.ok) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    });
    after(() => {
      if (server.exitCode === null) server.kill("SIGKILL");
      // The server's log lines join the suite's, for the check that none holds a secret (test/run.mjs).
      const logDir = process.env.MOTCUA_TEST_LOG_DIR;
      if (logDir) fs.appendFileSync(path.join(logDir, `motcua-start-${process.pid}.log`), logs);
    });

    it("says first where to go, the demo password and where the data is; the logs on a pipe are JSON lines (issue 15, item 7)", async () => {
      // Not a terminal: the banner goes to stderr, before anything else, so that stdout stays JSON for a collector.
      const banner = stderr.replace(/^.*oidc-provider WARNING.*\n/m, "");
      assert.match(banner, new RegExp(`^\\s*motcua — Nền tảng Chính phủ điện tử\\s+Mở / open: +http://localhost:${env.PORT} `));
      assert.match(banner, new RegExp(`password ${readDemoAccounts().password.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      assert.ok(banner.includes(`Dữ liệu / data:  ${dataDir}`), banner);
      const lines = logs.split("\n").filter((l) => l !== "");
      for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), line);
      assert.ok(lines.some((l) => (JSON.parse(l) as { msg?: string }).msg === `ready: open http://localhost:${env.PORT}`));
      // The page a browser opens on another name of the node moves to the public URL, gzipped when it arrives there.
      const moved = await fetch(`http://127.0.0.1:${env.PORT}/thu-tuc`, { headers: { accept: "text/html" }, redirect: "manual" });
      assert.equal(moved.status, 302);
      assert.equal(moved.headers.get("location"), `http://localhost:${env.PORT}/thu-tuc`);
      const page = await fetch(`http://127.0.0.1:${env.PORT}/thu-tuc`, { headers: { accept: "text/html", host: `localhost:${env.PORT}`, "accept-encoding": "gzip" } });
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("content-encoding"), "gzip");
    });

    it("runs CLI commands inside the running server through its control socket", () => {
      assert.ok(fs.existsSync(path.join(dataDir, "motcua.sock")));
      const r = cli(["migrate"]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /up to date/);
    });

    it("backs up inside the running server, to a path relative to where the command was run; restore refuses meanwhile", () => {
      const here = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-cli-backup-"));
      try {
        const r = spawnSync(process.execPath, [BIN, "backup", "live.backup"], { cwd: here, env, encoding: "utf8", timeout: 120_000 });
        assert.equal(r.status, 0, r.stderr + r.stdout);
        assert.match(r.stdout, /backup written: .*live\.backup .*pglite database/);
        assert.ok(fs.statSync(path.join(here, "live.backup")).size > 0, "written where the operator stood, not in the server's directory");
        const refused = spawnSync(process.execPath, [BIN, "restore", "live.backup"], { cwd: here, env, encoding: "utf8", timeout: 120_000 });
        assert.equal(refused.status, 1);
        assert.match(refused.stderr, /in use by process/);
      } finally {
        fs.rmSync(here, { recursive: true, force: true });
      }
    });

    it("refuses a second server on the same data directory", () => {
      const r = cli(["start"], { PORT: "0" });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /in use by process/);
    });

    it("shuts down cleanly on Ctrl-C and releases the data directory", async () => {
      const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
      server.kill("SIGINT");
      assert.equal(await exited, 0, logs);
      assert.match(logs, /"msg":"stopped"/);
      assert.equal(fs.existsSync(path.join(dataDir, "motcua.lock")), false);
      assert.equal(fs.existsSync(path.join(dataDir, "motcua.sock")), false);
      // Started again, the same data is there: the migrations are not re-applied.
      const r = cli(["migrate"]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /up to date/);
    });
  });
});
