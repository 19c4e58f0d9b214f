// The backup's tar container: what it writes is read back entry by entry with the same bytes and hashes, the
// system's tar lists it, a damaged or cut-short archive is refused, and a size past 8 GiB is written in base-256.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ArchiveDamaged, entryHash, entryStream, readEntries, tarHeader, TarWriter } from "./archive.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("the backup archive", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-archive-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const contents: Array<[string, Buffer]> = [
    ["database/pglite-datadir.tar.gz", randomBytes(70_001)],
    ["keys/audit.key", Buffer.from("a".repeat(64) + "\n")],
    ["files/ab/cd/" + "ab" + "cd" + "0".repeat(60), Buffer.alloc(0)],
    ["manifest.json", Buffer.from('{"format":"motcua-backup"}\n')],
  ];

  async function write(name: string): Promise<{ file: string; hashes: string[] }> {
    const file = path.join(dir, name);
    const w = await TarWriter.create(file);
    const hashes: string[] = [];
    for (const [entry, bytes] of contents) hashes.push(await w.add(entry, bytes.length, [bytes.subarray(0, 1000), bytes.subarray(1000)]));
    assert.equal(fs.existsSync(file), false, "nothing in place before it is finished");
    await w.finish();
    return { file, hashes };
  }

  it("reads back every entry with its bytes and hash, in order; a private file", async () => {
    const { file, hashes } = await write("a.tar");
    assert.deepEqual(hashes, contents.map(([, b]) => sha(b)));
    const entries = await readEntries(file);
    assert.deepEqual(entries.map((e) => [e.name, e.size]), contents.map(([n, b]) => [n, b.length]));
    for (const [i, e] of entries.entries()) {
      const chunks: Buffer[] = [];
      for await (const c of entryStream(file, e)) chunks.push(Buffer.from(c));
      assert.ok(Buffer.concat(chunks).equals(contents[i]![1]), e.name);
      assert.equal(await entryHash(file, e), hashes[i]);
    }
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it("is a tar the system's tar lists and unpacks", async () => {
    const { file } = await write("b.tar");
    const listed = spawnSync("tar", ["-tf", file], { encoding: "utf8" });
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(listed.stdout.trim().split("\n"), contents.map(([n]) => n));
    const out = fs.mkdtempSync(path.join(dir, "x-"));
    assert.equal(spawnSync("tar", ["-xf", file, "-C", out]).status, 0);
    assert.ok(fs.readFileSync(path.join(out, contents[0]![0])).equals(contents[0]![1]));
  });

  it("refuses an archive cut short or with a damaged header, and a source that gives other bytes than it said", async () => {
    const { file } = await write("c.tar");
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(path.join(dir, "cut.tar"), bytes.subarray(0, 40_000));
    await assert.rejects(readEntries(path.join(dir, "cut.tar")), ArchiveDamaged);
    const damaged = Buffer.from(bytes);
    damaged[10] = damaged[10]! ^ 0xff;
    fs.writeFileSync(path.join(dir, "damaged.tar"), damaged);
    await assert.rejects(readEntries(path.join(dir, "damaged.tar")), /header at byte 0 is damaged/);
    const w = await TarWriter.create(path.join(dir, "short.tar"));
    await assert.rejects(w.add("keys/x.key", 10, [Buffer.from("12345")]), /is 5 bytes, not 10/);
    await w.abort();
    assert.equal(fs.existsSync(path.join(dir, "short.tar.partial")), false);
  });

  it("writes a size past 8 GiB in base-256 and reads it back", async () => {
    // The header, then a sparse file as long as the entry would make it: nothing of the 9 GiB is written to disk.
    const file = path.join(dir, "big.tar");
    const size = 9 * 1024 ** 3 + 5;
    const header = tarHeader("database/postgres.dump", size, new Date());
    assert.equal(header[124], 0x80, "base-256");
    const fd = fs.openSync(file, "w");
    fs.writeSync(fd, header);
    fs.ftruncateSync(fd, 512 + Math.ceil(size / 512) * 512 + 1024);
    fs.closeSync(fd);
    assert.deepEqual((await readEntries(file)).map((e) => [e.name, e.size]), [["database/postgres.dump", size]]);
  });
});
