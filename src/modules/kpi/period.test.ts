// Named periods (2026, 2026-Q3, 2026-07): a year PostgreSQL or the calendar cannot hold is refused as the period's
// error (400), never turned into a 500 by the database or into a nonsense range.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { namedPeriod } from "./period.ts";

describe("named periods", () => {
  it("names a year, a quarter and a month; refuses years out of range and names that are none", () => {
    assert.deepEqual(namedPeriod("2026"), { from: "2026-01-01", to: "2026-12-31" });
    assert.deepEqual(namedPeriod("2026-Q1"), { from: "2026-01-01", to: "2026-03-31" });
    assert.deepEqual(namedPeriod("2024-02"), { from: "2024-02-01", to: "2024-02-29" });
    for (const bad of ["0000", "0050-Q1", "0099-02", "3000", "2026-13", "2026-Q5", "x"]) {
      assert.throws(() => namedPeriod(bad), { code: "kpi.invalid_period" }, bad);
    }
  });
});
