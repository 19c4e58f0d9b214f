#!/usr/bin/env node
// Runs the test files with node:test, each loaded as one module (test/helpers/bundle.mjs). Node 20 expands no
// globs, so the files are found here.
//   node test/run.mjs            unit and integration tests (src/**/*.test.ts, test/**/*.test.ts but e2e)
//   node test/run.mjs --e2e      browser tests (test/e2e/*.test.ts)
//   node test/run.mjs --faults   database fault tests (test/faults/*.test.ts: a PostgreSQL server of their own, root)
//   node test/run.mjs FILE...    the files given
// Every test process writes its log lines, at debug level, to a file of its own in MOTCUA_TEST_LOG_DIR (a temporary
// directory unless it is set); once the tests have run, test/check-logs.ts reads every line and the run fails if one
// holds a password, an argon2 hash or a demo person's CCCD or phone number.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const e2e = args.includes("--e2e");
const faults = args.includes("--faults");
/** The folder of a kind of test run apart from the unit and integration tests, or null for those. */
const apart = e2e ? "e2e" : faults ? "faults" : null;
const given = args.filter((a) => !a.startsWith("--"));

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") walk(p, out);
    } else if (entry.name.endsWith(".test.ts") || entry.name.endsWith(".test.tsx")) out.push(p);
  }
  return out;
}

const files = given.length
  ? given
  : [...walk("src"), ...walk("test")]
      .filter((f) => {
        const parts = f.split(path.sep);
        return apart ? parts.includes(apart) : !parts.includes("e2e") && !parts.includes("faults");
      })
      .sort();
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
const concurrency = Math.max(2, os.availableParallelism());
// --liftoff-only: V8 compiles PGlite's WebAssembly (PostgreSQL) once, with its baseline compiler, and never again
// with the optimising one. A test file's process is short: recompiling the hot functions cost it more CPU than the
// faster code saved (a test file's start -35% CPU, DB-heavy test files -18%). Test processes only; the node's own
// `motcua` processes keep V8's defaults.
const logDir = process.env.MOTCUA_TEST_LOG_DIR || fs.mkdtempSync(path.join(os.tmpdir(), "motcua-test-logs-"));
const env = { ...process.env, MOTCUA_TEST_LOG_DIR: logDir };
// --import ./test/helpers/bundle.mjs, not tsx: each test file is loaded as one module with the project's files it
// imports (bundled by esbuild, cached), not file by file through tsx's hooks (test/helpers/bundle-hooks.mjs).
const BUNDLE = new URL("./helpers/bundle.mjs", import.meta.url).href;
const result = spawnSync(
  process.execPath,
  ["--liftoff-only", "--import", BUNDLE, "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files],
  { stdio: "inherit", env },
);
const check = spawnSync(process.execPath, ["--import", "tsx", "test/check-logs.ts", logDir], { stdio: "inherit", env });
if (check.status === 0 && !process.env.MOTCUA_TEST_LOG_DIR) fs.rmSync(logDir, { recursive: true, force: true });
process.exit((result.status ?? 1) || (check.status ?? 1));
