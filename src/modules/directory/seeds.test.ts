import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { readAdminUnits, readCsv } from "./seeds.ts";

describe("admin-units files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-csv-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("parses quoted fields, CRLF line ends and a byte-order mark", () => {
    const file = path.join(dir, "q.csv");
    fs.writeFileSync(file, '\uFEFFcode,name\r\n01,"Hà Nội, Thủ đô"\r\n02,"Say ""hi"""\r\n');
    assert.deepEqual(readCsv(file, ["code", "name"]), [
      { code: "01", name: "Hà Nội, Thủ đô" },
      { code: "02", name: 'Say "hi"' },
    ]);
  });

  it("refuses a file whose columns are not the expected ones", () => {
    const file = path.join(dir, "h.csv");
    fs.writeFileSync(file, "ma,ten\n01,X\n");
    assert.throws(() => readCsv(file, ["code", "name"]), /expected the columns code,name/);
  });

  it("refuses a commune of an unknown province", () => {
    fs.writeFileSync(path.join(dir, "provinces.csv"), "code,name\n01,Hà Nội\n");
    fs.writeFileSync(path.join(dir, "communes.csv"), "code,name,province_code\n00004,Ba Đình,01\n00005,X,77\n");
    assert.throws(() => readAdminUnits(`${dir}/`), /communes.csv line 3/);
  });

  it("reads the shipped data: 34 provinces, 3,321 communes, unique codes", () => {
    const { provinces, communes } = readAdminUnits();
    assert.equal(provinces.length, 34);
    assert.equal(communes.length, 3321);
    assert.equal(new Set(communes.map((c) => c.code)).size, 3321);
  });
});
