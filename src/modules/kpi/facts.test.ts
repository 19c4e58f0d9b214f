// What a dossier's fact counts for, and what a change writes: pure.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contributions, delta, type KpiFact } from "./facts.ts";

const t = (s: string) => new Date(s).getTime();
const fact = (o: Partial<KpiFact> = {}): KpiFact => ({
  province: "24",
  agency: "000.00.T0.T01",
  competent: "000.00.T1.T01",
  procedure: "1.000101",
  channel: "counter",
  code: "X-1",
  filedAt: t("2026-03-02T02:00:00Z"),
  receivedAt: t("2026-03-02T02:00:00Z"),
  dueAt: t("2026-03-06T09:00:00Z"),
  pausedAt: null,
  pausedMs: 0,
  endedAt: null,
  outcome: null,
  timeliness: null,
  supplements: [],
  electronicResult: false,
  digitised: false,
  reused: false,
  vneid: false,
  paidOnline: false,
  feeBearing: false,
  rating: null,
  ...o,
});
const stock = (f: KpiFact, measure: "open" | "overdue", day: string) =>
  contributions(f)
    .filter((c) => c.measure === measure && c.day <= day)
    .reduce((s, c) => s + c.n, 0);

describe("kpi facts", () => {
  it("keeps a dossier open from its receipt day and overdue from its due day, until it ends", () => {
    const open = fact();
    assert.equal(stock(open, "open", "2026-03-01"), 0);
    assert.equal(stock(open, "open", "2026-03-02"), 1);
    assert.equal(stock(open, "overdue", "2026-03-05"), 0);
    assert.equal(stock(open, "overdue", "2026-03-06"), 1, "due at 16:00 and still open at the day's end");
    const ended = fact({ endedAt: t("2026-03-09T02:00:00Z"), outcome: "done", timeliness: "late" });
    assert.equal(stock(ended, "overdue", "2026-03-08"), 1);
    assert.equal(stock(ended, "overdue", "2026-03-09"), 0);
    assert.equal(stock(ended, "open", "2026-03-09"), 0);
  });

  it("stops the clock for a supplement asked before the due time, not for one asked after it", () => {
    assert.equal(stock(fact({ pausedAt: t("2026-03-05T02:00:00Z") }), "overdue", "2026-03-20"), 0);
    assert.equal(stock(fact({ pausedAt: t("2026-03-09T02:00:00Z") }), "overdue", "2026-03-20"), 1);
  });

  it("writes a change's difference on its own day or later, never on a day already past", () => {
    const before = fact({ pausedAt: t("2026-03-09T02:00:00Z") });
    // Answered on the 12th: the due time moves to the 16th. The days from the 6th to the 11th stay overdue.
    const after = fact({ dueAt: t("2026-03-16T09:00:00Z"), pausedMs: 3 * 86_400_000 });
    const rows = delta(before, after, new Date("2026-03-12T02:00:00Z"));
    assert.ok(rows.every((r) => r.day >= "2026-03-12"));
    assert.deepEqual(
      rows.filter((r) => r.measure === "overdue").map((r) => [r.day, r.n]),
      [
        ["2026-03-16", 1],
        ["2026-03-12", -1],
      ],
    );
  });

  it("moves its counts when a dimension changes, and writes nothing when nothing does", () => {
    const f = fact();
    assert.deepEqual(delta(f, f, new Date("2026-03-03T02:00:00Z")), []);
    const moved = delta(f, { ...f, competent: "000.00.T2.T01" }, new Date("2026-03-03T02:00:00Z"));
    const received = moved.filter((r) => r.measure === "received");
    assert.deepEqual(received.map((r) => [r.competent, r.day, r.n]).sort(), [
      ["000.00.T1.T01", "2026-03-03", -1],
      ["000.00.T2.T01", "2026-03-03", 1],
    ]);
  });

  it("counts a stop and a withdrawal after receipt as ended by their due time, a withdrawal before receipt as a withdrawal only", () => {
    const measures = (f: KpiFact) => contributions(f).map((c) => `${c.day} ${c.measure} ${c.n}`);
    const stopped = fact({ endedAt: t("2026-03-09T02:00:00Z"), outcome: "stopped", timeliness: "late" });
    assert.ok(measures(stopped).includes("2026-03-09 stopped 1"));
    assert.ok(measures(stopped).includes("2026-03-09 ended_late 1"));
    const early = fact({ filedAt: t("2026-03-02T01:00:00Z"), receivedAt: null, dueAt: null, endedAt: t("2026-03-03T02:00:00Z"), outcome: "withdrawn" });
    assert.deepEqual(measures(early), ["2026-03-02 filed 1", "2026-03-03 withdrawn 1"]);
  });
});
