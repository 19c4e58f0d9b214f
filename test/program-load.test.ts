// What a process loads with the program (issue 12, item 10): every test file, node and command pays for each module
// at its start, through tsx's hooks. A library only some requests use is loaded on its first use, and no library is
// loaded for a type alone (`import { type X } from "lib"` stays in the program as `import "lib"`).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const LOADER = fileURLToPath(new URL("./fixtures/program-load/load-program.mjs", import.meta.url));

describe("what the program loads at a start", () => {
  let dir: string;
  let loaded: string[];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-program-load-"));
    const list = path.join(dir, "loaded.txt");
    execFileSync(process.execPath, ["--import", "tsx", LOADER, list], { stdio: ["ignore", "ignore", "inherit"] });
    loaded = fs.readFileSync(list, "utf8").split("\n").filter(Boolean);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const anyOf = (pattern: RegExp) => loaded.filter((m) => pattern.test(m));

  it("loads the program (the check sees what it loads)", () => {
    assert.ok(anyOf(/\/src\/modules\/exchange\/signing\/ca\.ts$/).length > 0, "the exchange's certificate code is loaded");
    assert.ok(anyOf(/node_modules\/@sinclair\/typebox\/build\/cjs\//).length > 0, "TypeBox's CommonJS build is required");
  });

  it("loads TypeBox and Drizzle once, from their CommonJS builds: never their ES modules beside them", () => {
    assert.deepEqual(anyOf(/node_modules\/@sinclair\/typebox\/build\/esm\//), []);
    assert.deepEqual(anyOf(/node_modules\/drizzle-orm\/.*\.js$/), []);
  });

  it("leaves the libraries of certificates, signed XML, tax codes and the registry simulator to their first use", () => {
    for (const library of ["@peculiar/x509", "reflect-metadata", "stdnum"]) {
      assert.deepEqual(anyOf(new RegExp(`node_modules/${library}/`)), [], `${library} is loaded at the start`);
    }
    assert.deepEqual(anyOf(/\/src\/modules\/registries\/sim\/(server|people|businesses|places)\.ts$/), []);
  });
});
