import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { generateYear, readAnnounced, secondNationalDay, seedYear } from "./holidays.ts";
import { day, isoDate, isoWeekday } from "./time.ts";

const key = (d: { date: string; kind: string }) => `${d.date} ${d.kind}`;

describe("holiday seed by rule (date-holidays + Labour Code 2019 Art. 111–112)", () => {
  it("gives the eleven public holidays of Art. 112 every year 2024–2032", () => {
    for (let y = 2024; y <= 2032; y++) {
      const holidays = generateYear(y).filter((d) => d.kind === "holiday");
      assert.equal(holidays.length, 11, `${y}`);
      assert.equal(holidays.filter((d) => d.name === "Tết Nguyên đán").length, 5, `${y}: Tết has five days`);
      assert.ok(holidays.some((d) => d.date === `${y}-09-02`) && holidays.some((d) => d.date === `${y}-01-01`));
    }
  });

  it("reproduces the Government's 2026 decisions but for the swapped days it cannot know", () => {
    const generated = new Set(generateYear(2026).map(key));
    const announced = seedYear(2026);
    assert.ok([...generated].every((k) => announced.some((d) => key(d) === k)), "every generated day is announced");
    assert.deepEqual(
      announced.filter((d) => !generated.has(key(d))).map(key),
      ["2026-01-02 swapped", "2026-01-10 working_day", "2026-08-22 working_day", "2026-08-31 swapped"],
    );
    // DOMAIN.md §4: Tết 2026 16–20 February; Hùng Kings' day Sunday 26 April, Monday 27 off.
    assert.deepEqual(
      announced.filter((d) => d.name === "Tết Nguyên đán").map((d) => d.date),
      ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"],
    );
    assert.ok(announced.some((d) => d.date === "2026-04-26" && d.name === "Giỗ Tổ Hùng Vương"));
    assert.ok(announced.some((d) => d.date === "2026-04-27" && d.kind === "compensatory"));
  });

  it("picks the day next to 2/9 the way the Government did in 2021–2026", () => {
    const announced: Record<number, string> = {
      2021: "2021-09-03",
      2022: "2022-09-01",
      2023: "2023-09-01",
      2024: "2024-09-03",
      2025: "2025-09-01",
      2026: "2026-09-01",
    };
    for (const [year, date] of Object.entries(announced)) assert.equal(isoDate(secondNationalDay(Number(year))), date, year);
  });

  it("gives a compensatory day on the next working day for a holiday on a weekend (Art. 111(3))", () => {
    const y2027 = generateYear(2027);
    assert.deepEqual(y2027.filter((d) => d.kind === "compensatory").map((d) => d.date), ["2027-02-10", "2027-02-11", "2027-05-03"]);
    // 2028: 30/4 is a Sunday and 1/5 a Monday holiday, so the compensation is Tuesday 2/5.
    assert.ok(generateYear(2028).some((d) => d.date === "2028-05-02" && d.kind === "compensatory" && d.name === "Nghỉ bù Ngày Chiến thắng"));
    for (let y = 2024; y <= 2032; y++) {
      for (const d of generateYear(y).filter((x) => x.kind === "compensatory")) assert.ok(isoWeekday(day(d.date)) <= 5, d.date);
    }
  });

  it("names each day in Vietnamese and English", () => {
    for (let y = 2024; y <= 2032; y++) {
      for (const d of seedYear(y)) {
        assert.ok(d.name.length > 0 && d.nameEn.length > 0, `${d.date}`);
        assert.equal(d.name, d.name.normalize("NFC"));
      }
    }
  });
});

describe("announced years file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-holidays-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (years: unknown) => {
    const file = path.join(dir, `${Math.random()}.json`);
    fs.writeFileSync(file, JSON.stringify({ about: "test", years }));
    return file;
  };
  const entry = (date: string) => ({ date, kind: "holiday", name: "X", nameEn: "X" });

  it("holds 2024, 2025 and 2026 with their sources", () => {
    assert.deepEqual([...readAnnounced().keys()], [2024, 2025, 2026]);
  });

  it("refuses a date outside its year, a date twice and an unknown kind", () => {
    assert.throws(() => readAnnounced(write([{ year: 2026, sources: ["s"], days: [entry("2027-01-01")] }])), /not in 2026/);
    assert.throws(() => readAnnounced(write([{ year: 2026, sources: ["s"], days: [entry("2026-01-01"), entry("2026-01-01")] }])), /twice/);
    assert.throws(() => readAnnounced(write([{ year: 2026, sources: ["s"], days: [{ ...entry("2026-01-01"), kind: "party" }] }])), /kind/);
    assert.throws(() => readAnnounced(write([{ year: 2026, sources: ["s"], days: [entry("2026-02-30")] }])), /not a calendar date/);
  });
});
