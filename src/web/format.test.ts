import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatWeekday, yearInVietnam } from "./format.ts";

describe("format", () => {
  it("writes dates dd/mm/yyyy in Vietnamese and as day month year in English", () => {
    assert.equal(formatDate("2026-02-16", "vi"), "16/02/2026");
    assert.equal(formatDate("2026-02-16", "en"), "16 Feb 2026");
    assert.equal(formatDate("2026-12-31", "vi"), "31/12/2026");
  });

  it("shows an instant as the day and time it is in Vietnam", () => {
    // 31 Dec 2025 20:30 UTC is already 1 Jan 2026, 03:30 in Hà Nội.
    const at = new Date("2025-12-31T20:30:00Z");
    assert.equal(formatDate(at, "vi"), "01/01/2026");
    assert.equal(formatDateTime(at, "vi"), "01/01/2026 03:30");
    assert.equal(formatDateTime(at, "en"), "1 Jan 2026, 03:30");
    assert.equal(formatDate("2025-12-31T20:30:00Z", "vi"), "01/01/2026");
    assert.equal(yearInVietnam(at), 2026);
    assert.equal(yearInVietnam(new Date("2025-12-31T16:59:59Z")), 2025);
  });

  it("keeps a calendar date the same day whatever the time zone", () => {
    assert.equal(formatDate("2026-01-01", "vi"), "01/01/2026");
    assert.equal(formatWeekday("2026-04-26", "vi"), "Chủ Nhật");
    assert.equal(formatWeekday("2026-04-27", "vi"), "Thứ Hai");
    assert.equal(formatWeekday("2026-04-27", "en"), "Monday");
    assert.throws(() => formatDate("not a date", "vi"), RangeError);
  });

  it("writes money as 1.000.000 ₫ in Vietnamese and VND 1,000,000 in English", () => {
    assert.equal(formatMoney(1_000_000, "vi"), "1.000.000\u00a0₫");
    assert.equal(formatMoney(50_000, "vi"), "50.000\u00a0₫");
    assert.equal(formatMoney(0, "vi"), "0\u00a0₫");
    assert.equal(formatMoney(1_000_000, "en"), "VND\u00a01,000,000");
    assert.equal(formatNumber(1234567.5, "vi"), "1.234.567,5");
    assert.equal(formatNumber(1234567.5, "en"), "1,234,567.5");
  });
});
