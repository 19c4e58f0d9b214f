import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  DEFAULT_OFFICE_HOURS,
  type DayKind,
  type DueRules,
  type DueUnit,
  type OfficeHours,
  officeHoursProblems,
  pauseClock,
  resumeClock,
  specialDays,
  WorkingTime,
} from "./engine.ts";
import { readAnnounced, seedYear } from "./holidays.ts";
import { day, dayStart, formatLocal, localDay, MINUTE_MS, parseInstant } from "./time.ts";

const announced = readAnnounced();

/** The seeded calendar (announced years as announced, others by rule) for 2023–2040. */
function seeded(hours: OfficeHours = DEFAULT_OFFICE_HOURS, extra: [string, DayKind][] = []): WorkingTime {
  const entries: [number, DayKind][] = [];
  for (let y = 2023; y <= 2040; y++) for (const d of seedYear(y, announced)) entries.push([day(d.date), d.kind]);
  for (const [date, kind] of extra) entries.push([day(date), kind]);
  return new WorkingTime(specialDays(entries, { first: 2023, last: 2040 }), hours);
}

const wt = seeded();
const at = (local: string) => parseInstant(local)!;
const due = (from: string, amount: number, unit: DueUnit, w = wt, rules: DueRules = {}) => formatLocal(w.due(at(from), amount, unit, rules));
const NEXT_DAY_AFTER_CUTOFF: DueRules = { countFromNextDayAfterCutoff: true };

describe("working-time engine: fixed examples (default office hours 07:00–11:30, 13:30–17:00, cut-off 15:00)", () => {
  it("Tết 2026 (16–20 Feb, Thông báo 9441/TB-BNV): working days skip the whole break", () => {
    // Friday before Tết; back on Monday 23 Feb.
    assert.equal(due("2026-02-13 10:00", 3, "working_days"), "2026-02-25T10:00:00+07:00");
    assert.equal(due("2026-02-13 10:00", 1, "working_days"), "2026-02-23T10:00:00+07:00");
    for (const d of ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]) assert.equal(wt.isWorkingDay(day(d)), false, d);
    assert.equal(wt.isWorkingDay(day("2026-02-23")), true);
  });

  // This test encoded the old rule (every working-day deadline counted from the next working day after 15:00).
  // DOMAIN.md §3 (corrected 4 December 2026): the 15:00 cut-off is a transfer rule; it moves a working-day
  // deadline only for a procedure that says so.
  it("Tết 2026: after 15:00 the deadline still counts from the receipt; a procedure may count from the next working day", () => {
    // Friday 15:30–17:00 (1.5 h), then Monday 23 Feb 07:00–11:30 and 13:30–15:30 (6.5 h).
    assert.equal(due("2026-02-13 15:30", 1, "working_days"), "2026-02-23T15:30:00+07:00");
    assert.equal(due("2026-02-13 15:30", 1, "working_days", wt, NEXT_DAY_AFTER_CUTOFF), "2026-02-23T17:00:00+07:00");
    // At 15:00 sharp the dossier is not after the cut-off, whatever the procedure says.
    assert.equal(due("2026-02-13 15:00", 1, "working_days", wt, NEXT_DAY_AFTER_CUTOFF), "2026-02-23T15:00:00+07:00");
    // Either way it is transferred to the processing unit after the break, at Monday's opening.
    assert.equal(formatLocal(wt.transferAt(at("2026-02-13 15:30"))), "2026-02-23T07:00:00+07:00");
    assert.equal(formatLocal(wt.transferAt(at("2026-02-13 15:00"))), "2026-02-13T15:00:00+07:00");
  });

  it("a same-day procedure: before the cut-off the same day's close, after it the next working day's close", () => {
    assert.equal(due("2026-03-02 09:00", 1, "same_day"), "2026-03-02T17:00:00+07:00");
    assert.equal(due("2026-03-02 15:00", 1, "same_day"), "2026-03-02T17:00:00+07:00");
    assert.equal(due("2026-03-02 15:01", 1, "same_day"), "2026-03-03T17:00:00+07:00");
    // Before opening and at lunch: still that day.
    assert.equal(due("2026-03-02 06:00", 1, "same_day"), "2026-03-02T17:00:00+07:00");
    assert.equal(due("2026-03-02 12:00", 1, "same_day"), "2026-03-02T17:00:00+07:00");
    // Friday 13 Feb 2026 after 15:00: the next working day is after Tết, Monday 23.
    assert.equal(due("2026-02-13 16:00", 1, "same_day"), "2026-02-23T17:00:00+07:00");
    // Filed online on a Sunday: received at Monday's opening, due Monday.
    assert.equal(due("2026-03-01 20:00", 1, "same_day"), "2026-03-02T17:00:00+07:00");
    // An agency without a cut-off: until its close.
    const noCutoff = seeded({ ...DEFAULT_OFFICE_HOURS, receiptCutoff: null });
    assert.equal(due("2026-03-02 16:59", 1, "same_day", noCutoff), "2026-03-02T17:00:00+07:00");
    assert.equal(due("2026-03-02 17:00", 1, "same_day", noCutoff), "2026-03-03T17:00:00+07:00");
  });

  it("Tết 2026: an online filing during the break counts from the first working period after it", () => {
    assert.equal(due("2026-02-18 09:00", 1, "working_days"), "2026-02-23T17:00:00+07:00");
    assert.equal(due("2026-02-18 09:00", 2, "hours"), "2026-02-23T09:00:00+07:00");
  });

  it("Tết 2026: working hours run out on Friday afternoon and go on after the break", () => {
    assert.equal(due("2026-02-13 16:00", 4, "hours"), "2026-02-23T10:00:00+07:00");
  });

  it("Tết 2026: a deadline in calendar days that lands in the break moves to the next working day", () => {
    // 5 Feb + 10 days = Sunday 15 Feb; 16–20 Tết; 21–22 weekend.
    assert.equal(due("2026-02-05 10:00", 10, "days"), "2026-02-23T17:00:00+07:00");
    // Landing on a working day: the end of that day.
    assert.equal(due("2026-02-05 10:00", 7, "days"), "2026-02-12T17:00:00+07:00");
  });

  it("Tết 2027 (by rule: 5–9 Feb, Saturday and Sunday compensated on 10–11 Feb)", () => {
    for (const d of ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"]) assert.equal(wt.isWorkingDay(day(d)), false, d);
    assert.equal(wt.isWorkingDay(day("2027-02-04")), true);
    assert.equal(wt.isWorkingDay(day("2027-02-12")), true);
    assert.equal(due("2027-02-04 14:00", 2, "working_days"), "2027-02-15T14:00:00+07:00");
    assert.equal(due("2027-02-04 14:00", 1, "working_days"), "2027-02-12T14:00:00+07:00");
  });

  it("Hùng Kings' day 2026 is Sunday 26 April: Monday 27 is off (Art. 111(3)), then 30/4 and 1/5", () => {
    assert.equal(due("2026-04-24 10:00", 1, "working_days"), "2026-04-28T10:00:00+07:00");
    assert.equal(due("2026-04-24 10:00", 3, "working_days"), "2026-05-04T10:00:00+07:00");
    // 21 April + 6 days = Monday 27, the compensatory day: the end of Tuesday 28.
    assert.equal(due("2026-04-21 09:00", 6, "days"), "2026-04-28T17:00:00+07:00");
  });

  it("2/9/2026: off Monday 31/8 (swapped), Tuesday 1/9, Wednesday 2/9; Saturday 22/8 is worked", () => {
    assert.equal(due("2026-08-28 10:00", 1, "working_days"), "2026-09-03T10:00:00+07:00");
    assert.equal(due("2026-08-21 10:00", 1, "working_days"), "2026-08-22T10:00:00+07:00");
    assert.equal(due("2026-08-21 16:00", 2, "hours"), "2026-08-22T08:00:00+07:00");
  });

  it("2/9/2027 is a Thursday: Friday 3/9 is the adjacent day off (by rule)", () => {
    assert.equal(due("2027-09-01 10:00", 1, "working_days"), "2027-09-06T10:00:00+07:00");
  });

  it("New Year 2026: 1/1 and the swapped Friday 2/1 are off, Saturday 10/1 is worked", () => {
    assert.equal(due("2025-12-31 10:00", 1, "working_days"), "2026-01-05T10:00:00+07:00");
    assert.equal(due("2026-01-09 10:00", 1, "working_days"), "2026-01-10T10:00:00+07:00");
  });

  it("receipt before opening or at lunch starts at the next working period", () => {
    assert.equal(due("2026-03-02 06:00", 1, "working_days"), "2026-03-02T17:00:00+07:00");
    assert.equal(due("2026-03-02 12:00", 2, "hours"), "2026-03-02T15:30:00+07:00");
    assert.equal(due("2026-03-02 11:30", 4, "hours"), "2026-03-03T07:30:00+07:00");
    assert.equal(due("2026-03-02 12:00", 0, "working_days"), "2026-03-02T13:30:00+07:00");
    assert.equal(due("2026-03-07 12:00", 0.5, "working_days"), "2026-03-09T11:00:00+07:00");
  });

  it("office hours of another agency: Saturday mornings worked, no cut-off", () => {
    const saturdays = seeded({ ...DEFAULT_OFFICE_HOURS, week: [...DEFAULT_OFFICE_HOURS.week.slice(0, 5), [{ start: 450, end: 690 }], []], receiptCutoff: null });
    assert.equal(due("2026-03-06 16:00", 2, "hours", saturdays), "2026-03-07T08:30:00+07:00");
    // Friday 15:30–17:00, Saturday 07:30–11:30, then Monday from 07:00: no cut-off for this agency.
    assert.equal(due("2026-03-06 15:30", 1, "working_days", saturdays), "2026-03-09T09:30:00+07:00");
  });
});

describe("working-time engine: deadline clock (supplements pause it)", () => {
  const start = at("2026-03-02 09:00");
  const clock = { start, amount: 5, unit: "working_days" as const, pauses: [] };

  it("extends the deadline by the working time spent paused", () => {
    assert.equal(formatLocal(wt.readClock(clock).due!), "2026-03-09T09:00:00+07:00");
    const paused = pauseClock(clock, at("2026-03-04 10:00"));
    const reading = wt.readClock(paused);
    assert.deepEqual(reading, { due: null, paused: true, remainingMinutes: 1380 });
    const resumed = resumeClock(paused, at("2026-03-09 14:00"));
    assert.equal(formatLocal(wt.readClock(resumed).due!), "2026-03-12T11:00:00+07:00");
  });

  it("a pause after the deadline or outside office hours changes nothing it should not", () => {
    const late = resumeClock(pauseClock(clock, at("2026-03-10 08:00")), at("2026-03-20 08:00"));
    assert.equal(formatLocal(wt.readClock(late).due!), "2026-03-09T09:00:00+07:00");
    const weekend = resumeClock(pauseClock(clock, at("2026-03-07 08:00")), at("2026-03-08 20:00"));
    assert.equal(formatLocal(wt.readClock(weekend).due!), "2026-03-09T09:00:00+07:00");
  });

  it("calendar days: the landing day moves by the paused time", () => {
    const days = { start: at("2026-03-02 09:00"), amount: 10, unit: "days" as const, pauses: [] };
    assert.equal(formatLocal(wt.readClock(days).due!), "2026-03-12T17:00:00+07:00");
    const p = resumeClock(pauseClock(days, at("2026-03-05 09:00")), at("2026-03-08 09:00"));
    assert.equal(formatLocal(wt.readClock(p).due!), "2026-03-16T17:00:00+07:00");
  });

  it("a same-day clock: the office time left to the day's close, moved by the pause", () => {
    const sameDay = { start: at("2026-03-02 09:00"), amount: 1, unit: "same_day" as const, pauses: [] };
    assert.equal(formatLocal(wt.readClock(sameDay).due!), "2026-03-02T17:00:00+07:00");
    // Paused 10:00–14:00 after an hour of the six left: five hours from 14:00 end on Tuesday at 09:00.
    const p = resumeClock(pauseClock(sameDay, at("2026-03-02 10:00")), at("2026-03-02 14:00"));
    assert.equal(formatLocal(wt.readClock(p).due!), "2026-03-03T09:00:00+07:00");
  });

  it("refuses pausing twice, resuming a running clock and time going backwards", () => {
    const paused = pauseClock(clock, at("2026-03-04 10:00"));
    assert.throws(() => pauseClock(paused, at("2026-03-05 10:00")), /already paused/);
    assert.throws(() => resumeClock(clock, at("2026-03-05 10:00")), /not paused/);
    assert.throws(() => resumeClock(paused, at("2026-03-03 10:00")), /before it begins/);
    assert.throws(() => pauseClock(clock, at("2026-03-01 10:00")), /before the clock/);
    assert.throws(() => wt.readClock({ ...clock, pauses: [{ from: at("2026-03-04 10:00"), to: null }, { from: at("2026-03-05 10:00"), to: null }] }), /only the last/);
  });
});

describe("working-time engine: office hours checks", () => {
  it("accepts the default and names what is wrong in a broken setup", () => {
    assert.deepEqual(officeHoursProblems(DEFAULT_OFFICE_HOURS), []);
    const paths = officeHoursProblems({
      week: [[{ start: 600, end: 500 }], [{ start: 420, end: 700 }, { start: 600, end: 900 }], [], [], [], [], []],
      makeUpDay: [],
      dayMinutes: 0,
      receiptCutoff: 1440,
    }).map((p) => p.path);
    assert.deepEqual(paths, ["/week/0", "/week/1", "/makeUpDay", "/dayMinutes", "/receiptCutoff"]);
  });
});

// Random instants across 2024–2031, at any millisecond.
const instant = fc.integer({ min: at("2024-01-01 00:00"), max: at("2031-12-31 23:59") });
const UNIT_MAX: Record<DueUnit, number> = { working_days: 60, hours: 400, days: 120, same_day: 1 };
const unitAndAmount = fc.constantFrom<DueUnit>("working_days", "hours", "days", "same_day").chain((unit) =>
  fc.tuple(fc.constant(unit), fc.integer({ min: 0, max: UNIT_MAX[unit] })),
);
const saturdayAgency = seeded({
  ...DEFAULT_OFFICE_HOURS,
  week: [...DEFAULT_OFFICE_HOURS.week.slice(0, 5), [{ start: 450, end: 690 }], []],
  receiptCutoff: null,
});
const calendars = fc.constantFrom({ name: "default", w: wt }, { name: "saturday mornings", w: saturdayAgency });

describe("working-time engine: properties over random dates 2024–2031", () => {
  it("a deadline is never outside office hours nor on a day off", () => {
    fc.assert(
      fc.property(calendars, instant, unitAndAmount, ({ w }, from, [unit, amount]) => {
        const d = w.due(from, amount, unit);
        assert.ok(w.isWithinHours(d), `${formatLocal(d)} is outside office hours`);
        assert.ok(w.isWorkingDay(localDay(d)), `${formatLocal(d)} is on a day off`);
        assert.ok(d >= from);
      }),
      { numRuns: 500 },
    );
  });

  it("a deadline grows with the amount, strictly for working time", () => {
    fc.assert(
      fc.property(calendars, instant, unitAndAmount, fc.integer({ min: 1, max: 30 }), ({ w }, from, [unit, n], k) => {
        const a = w.due(from, n, unit);
        const b = w.due(from, n + k, unit);
        if (unit === "days" || unit === "same_day") assert.ok(b >= a);
        else assert.ok(b > a, `${formatLocal(a)} then ${formatLocal(b)}`);
      }),
      { numRuns: 400 },
    );
  });

  it("a later receipt never gets an earlier deadline", () => {
    fc.assert(
      fc.property(calendars, instant, fc.integer({ min: 0, max: 10 * 24 * 60 }), unitAndAmount, ({ w }, from, later, [unit, n]) => {
        assert.ok(w.due(from + later * MINUTE_MS, n, unit) >= w.due(from, n, unit));
      }),
      { numRuns: 300 },
    );
  });

  // m ≥ 1: a zero amount gives where counting starts, which may be later than the end of the day before.
  it("n working days then m working days is n + m working days (and the same for hours)", () => {
    fc.assert(
      fc.property(calendars, instant, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 40 }), ({ w }, from, n, m) => {
        assert.equal(w.due(w.due(from, n, "working_days"), m, "working_days"), w.due(from, n + m, "working_days"));
        assert.equal(w.due(w.due(from, n * 3, "hours"), m * 5, "hours"), w.due(from, n * 3 + m * 5, "hours"));
      }),
      { numRuns: 400 },
    );
  });

  it("n working days are exactly n × 8 office hours from where counting starts", () => {
    fc.assert(
      fc.property(calendars, instant, fc.integer({ min: 0, max: 60 }), fc.boolean(), ({ w }, from, n, nextDay) => {
        // From the receipt itself, or from the transfer for a procedure that counts from the next working day.
        const start = nextDay ? w.transferAt(from) : from;
        assert.equal(w.workingMs(start, w.due(from, n, "working_days", { countFromNextDayAfterCutoff: nextDay })), n * 8 * 60 * MINUTE_MS);
      }),
      { numRuns: 300 },
    );
  });

  it("a calendar-day deadline is the close of the first working day on or after the landing day", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 120 }), (from, n) => {
        const d = localDay(wt.due(from, n, "days"));
        const landing = localDay(from) + n;
        assert.ok(d >= landing);
        for (let x = landing; x < d; x++) assert.equal(wt.isWorkingDay(x), false);
      }),
      { numRuns: 300 },
    );
  });

  it("a paused clock's deadline leaves exactly the amount of unpaused working time", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 30 * 24 * 60 }), (from, n, frac, minutes) => {
        const start = from;
        const total = n * 8 * 60 * MINUTE_MS;
        const pauseAt = wt.addWorkingMs(start, Math.floor(total * frac * 0.999));
        const resumeAt = pauseAt + minutes * MINUTE_MS;
        const clock = resumeClock(pauseClock({ start: from, amount: n, unit: "working_days", pauses: [] }, pauseAt), resumeAt);
        const dueAt = wt.readClock(clock).due!;
        assert.ok(wt.isWithinHours(dueAt));
        assert.equal(wt.workingMs(start, dueAt) - wt.workingMs(pauseAt, resumeAt), total);
      }),
      { numRuns: 300 },
    );
  });
});

// Instants on the afternoon of a random working-day-or-not between 2024 and 2031: around the cut-off.
const day2024to2031 = fc.integer({ min: day("2024-01-01"), max: day("2031-12-31") });
const minuteOfDay = fc.integer({ min: 0, max: 24 * 60 - 1 });
const noCutoff = seeded({ ...DEFAULT_OFFICE_HOURS, receiptCutoff: null });

describe("working-time engine: the 15:00 cut-off is a transfer rule (DOMAIN.md §3)", () => {
  it("a deadline in working days, hours or days is the same as with no cut-off at all, unless the procedure says so", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom<DueUnit>("working_days", "hours", "days"), fc.integer({ min: 0, max: 60 }), (from, unit, n) => {
        assert.equal(wt.due(from, n, unit), noCutoff.due(from, n, unit), `${formatLocal(from)} + ${n} ${unit}`);
      }),
      { numRuns: 500 },
    );
  });

  it("two receipts on the same working day, before and after the cut-off, are due the same office time after each", () => {
    fc.assert(
      fc.property(day2024to2031, minuteOfDay, minuteOfDay, fc.integer({ min: 1, max: 40 }), (d, m1, m2, n) => {
        fc.pre(wt.isWorkingDay(d));
        const [a, b] = [dayStart(d) + Math.min(m1, m2) * MINUTE_MS, dayStart(d) + Math.max(m1, m2) * MINUTE_MS];
        const [dueA, dueB] = [wt.due(a, n, "working_days"), wt.due(b, n, "working_days")];
        // Each is n working days of office time from its own receipt, whichever side of 15:00 it fell.
        assert.equal(wt.workingMs(a, dueA), n * 8 * 60 * MINUTE_MS);
        assert.equal(wt.workingMs(b, dueB), n * 8 * 60 * MINUTE_MS);
        // The later one is later exactly by the office time between the two receipts.
        assert.equal(wt.workingMs(dueA, dueB), wt.workingMs(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it("with the procedure's flag, a receipt after the cut-off counts from the next working day's opening", () => {
    fc.assert(
      fc.property(day2024to2031, minuteOfDay, fc.integer({ min: 1, max: 40 }), (d, m, n) => {
        const t = dayStart(d) + m * MINUTE_MS;
        const flagged = wt.due(t, n, "working_days", NEXT_DAY_AFTER_CUTOFF);
        if (!wt.isAfterCutoff(t)) {
          assert.equal(flagged, wt.due(t, n, "working_days"));
        } else {
          const next = wt.transferAt(t);
          assert.ok(localDay(next) > d && wt.isWorkingDay(localDay(next)));
          assert.equal(flagged, wt.due(next, n, "working_days"));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a dossier is transferred at its receipt, or at the next working day's opening when received after the cut-off", () => {
    fc.assert(
      fc.property(day2024to2031, minuteOfDay, (d, m) => {
        const t = dayStart(d) + m * MINUTE_MS;
        const moved = wt.transferAt(t);
        const after = wt.isWorkingDay(d) && m > 15 * 60;
        assert.equal(wt.isAfterCutoff(t), after);
        if (!after) return assert.equal(moved, t);
        const next = localDay(moved);
        for (let x = d + 1; x < next; x++) assert.equal(wt.isWorkingDay(x), false);
        assert.equal(formatLocal(moved).slice(11, 16), "07:00");
      }),
      { numRuns: 500 },
    );
  });

  it("same day: received on a working day by 15:00, due at that day's close; after it, at the next working day's close", () => {
    fc.assert(
      fc.property(day2024to2031, minuteOfDay, (d, m) => {
        const t = dayStart(d) + m * MINUTE_MS;
        const dueAt = wt.due(t, 1, "same_day");
        assert.ok(dueAt >= t);
        assert.equal(formatLocal(dueAt).slice(11, 16), "17:00", "at a day's close");
        const dueDay = localDay(dueAt);
        if (wt.isWorkingDay(d) && m <= 15 * 60) {
          assert.equal(dueDay, d);
        } else {
          // The first working day after the receipt's day (after the cut-off), or from it (received on a day off).
          const first = wt.isWorkingDay(d) ? wt.workingDayFrom(d + 1) : wt.workingDayFrom(d);
          assert.equal(dueDay, first);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
