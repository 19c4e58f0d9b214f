// The one CSV of the exports (the desk's register, the data tracker, the statistics' tables): a spreadsheet's file.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { trackerCsv } from "../modules/registries/tracker-export.ts";
import type { LookupRow } from "../modules/registries/repo.ts";
import { spreadsheetCsv } from "./csv.ts";

describe("spreadsheetCsv", () => {
  it("writes UTF-8 with a BOM, CRLF, quoted line breaks, NFC, and escapes formulas", () => {
    const decomposed = "Nguye\u0302\u0303n"; // ễ as e + combining circumflex + combining tilde
    const csv = spreadsheetCsv(["Họ tên", "Ghi chú"], [[decomposed, "=HYPERLINK(\"http://x\")"], ["An", "dòng 1\ndòng 2"]]).toString("utf8");
    assert.ok(csv.startsWith("\uFEFF"));
    assert.equal(csv, '\uFEFFHọ tên,Ghi chú\r\nNguy\u1ec5n,"\'=HYPERLINK(""http://x"")"\r\nAn,"dòng 1\ndòng 2"\r\n');
  });

  it("is what the data tracker's export writes: a looked-up purpose cannot run as a formula", () => {
    const row = {
      id: "l1",
      at: new Date("2026-03-02T02:00:00Z"),
      actor: "user:u1",
      actorName: "Trần Văn Tiếp",
      agencyCode: "000.00.01.H06",
      registry: "population",
      subjectType: "citizen",
      subjectId: "001199000001",
      fields: ["hoTen"],
      purpose: "=cmd|' /C calc'!A0",
      legalBasis: "Nghị định 104/2022/NĐ-CP",
      dossierId: "D1",
      outcome: "ok",
      requestId: null,
    } as unknown as LookupRow;
    const lines = trackerCsv([row]).toString("utf8").replace(/^\uFEFF/, "").split("\r\n");
    assert.match(lines[1]!, /,'=cmd\|/);
  });
});
