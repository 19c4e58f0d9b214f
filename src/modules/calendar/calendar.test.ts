import assert from "node:assert/strict";
import os from "node:os";
import { after, before, describe, it } from "node:test";
import { sql } from "../../platform/db/drizzle.ts";
import { testApp } from "../../../test/helpers/app.ts";
import { runCommand } from "../../cli/commands.ts";
import { anonymous, systemActor } from "../../platform/auth/actor.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import { DomainError } from "../../platform/http/errors.ts";
import "./commands.ts";
import { holidaysSeed, officeHoursSeed } from "./seeds.ts";
import { formatLocal, parseInstant } from "./time.ts";

type Env = Awaited<ReturnType<typeof testApp>>;

async function rejectsWith(p: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${code}`);
}

const at = (local: string) => new Date(parseInstant(local)!);
const admin = systemActor("test");

async function auditEntries(env: Env, subjectId: string) {
  return env.database.rows<{ actor: string; action: string; subject_type: string }>(
    sql`SELECT actor, action, subject_type FROM audit_log WHERE subject_id = ${subjectId} ORDER BY id`,
  );
}

describe("calendar on the database", () => {
  let env: Env;
  before(async () => {
    env = await testApp();
    // The test template is made with these seeds (test/helpers/reference-data.ts): they are found loaded.
    assert.deepEqual(await runSeeds(env.database, [officeHoursSeed(), holidaysSeed()], { demo: false }), []);
    // Office hours belong to agencies of the directory.
    for (const [code, name] of [["000.00.00.H29", "UBND tỉnh"], ["000.00.12.H29", "Sở Tư pháp"], ["000.00.14.H29", "Sở Xây dựng"]] as const) {
      await env.ctx.directory.createAgency(admin, { code, name, kind: code.startsWith("000.00.00") ? "people_committee" : "specialised_agency" });
    }
  });
  after(() => env.close());

  const get = (url: string) => env.app.inject({ method: "GET", url });
  const dueOf = async (from: string, amount: number, unit: "working_days" | "days" | "hours", agency?: string) =>
    formatLocal((await env.ctx.calendar.due({ from: at(from), amount, unit, agency })).getTime());

  describe("GET /api/calendar/due", () => {
    it("answers the deadline in Vietnam's time, the same for any offset of the same instant", async () => {
      const res = await get("/api/calendar/due?from=2026-02-13T10:00:00%2B07:00&amount=3&unit=working_days");
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        due: "2026-02-25T10:00:00+07:00",
        from: "2026-02-13T10:00:00+07:00",
        amount: 3,
        unit: "working_days",
        agency: null,
      });
      const utc = await get("/api/calendar/due?from=2026-02-13T03:00:00Z&amount=3&unit=working_days");
      assert.equal(utc.json().due, "2026-02-25T10:00:00+07:00");
    });

    it("counts calendar days and working hours across Tết 2026", async () => {
      const days = await get("/api/calendar/due?from=2026-02-05T10:00:00%2B07:00&amount=10&unit=days");
      assert.equal(days.json().due, "2026-02-23T17:00:00+07:00");
      const hours = await get("/api/calendar/due?from=2026-02-13T16:00:00%2B07:00&amount=4&unit=hours");
      assert.equal(hours.json().due, "2026-02-23T10:00:00+07:00");
    });

    it("answers 400 naming each bad field", async () => {
      const cases: [string, string[]][] = [
        ["amount=3&unit=working_days", ["/querystring/from"]],
        ["from=2026-02-13T10:00:00&amount=3&unit=working_days", ["/querystring/from"]],
        ["from=2026-02-13T10:00:00Z&amount=-1&unit=weeks", ["/querystring/amount", "/querystring/unit"]],
        ["from=2026-02-13T10:00:00Z&amount=1&unit=days&agency=H29", ["/querystring/agency"]],
      ];
      for (const [query, paths] of cases) {
        const res = await get(`/api/calendar/due?${query}`);
        assert.equal(res.statusCode, 400, query);
        assert.equal(res.json().error.code, "request.validation_failed");
        assert.deepEqual(res.json().error.fields.map((f: { path: string }) => f.path).sort(), [...paths].sort(), query);
      }
      const half = await get("/api/calendar/due?from=2026-02-13T10:00:00Z&amount=1.5&unit=days");
      assert.equal(half.statusCode, 400);
      assert.equal(half.json().error.code, "calendar.invalid_input");
      assert.deepEqual(half.json().error.fields.map((f: { path: string }) => f.path), ["/amount"]);
      const far = await get("/api/calendar/due?from=2150-01-01T10:00:00Z&amount=1&unit=days");
      assert.equal(far.statusCode, 400);
      assert.equal(far.json().error.code, "calendar.out_of_range");
    });

    it("uses an agency's own office hours, version by version, and the default for the others", async () => {
      const agency = "000.00.12.H29";
      await env.ctx.calendar.setOfficeHours(admin, {
        agency,
        validFrom: "2026-03-01",
        week: [...Array(5).fill(["07:30-11:30", "13:00-17:00"]), ["07:30-11:30"], []],
        makeUpDay: ["07:30-11:30", "13:00-17:00"],
        dayMinutes: 480,
        receiptCutoff: null,
      });
      // Friday 16:00 + 2 h: one hour on Friday, one on Saturday morning at this agency.
      const res = await get(`/api/calendar/due?from=2026-03-06T16:00:00%2B07:00&amount=2&unit=hours&agency=${agency}`);
      assert.equal(res.json().due, "2026-03-07T08:30:00+07:00");
      assert.equal(await dueOf("2026-03-06 16:00", 2, "hours", "000.00.13.H29"), "2026-03-09T08:00:00+07:00");
      // Before its hours were in force the default applied.
      assert.equal(await dueOf("2026-02-27 16:00", 2, "hours", agency), "2026-03-02T08:00:00+07:00");
      assert.equal((await env.ctx.calendar.officeHours(agency, at("2026-03-02 10:00"))).week[5]?.[0], "07:30-11:30");
      const entries = (await auditEntries(env, agency)).filter((e) => e.subject_type === "office_hours");
      assert.deepEqual(entries, [{ actor: "system:test", action: "calendar.office_hours_set", subject_type: "office_hours" }]);
    });

    it("refuses unusable office hours naming the field", async () => {
      const err = await rejectsWith(
        env.ctx.calendar.setOfficeHours(admin, {
          agency: null,
          validFrom: "2027-01-01",
          week: [["11:30-07:00"], [], [], [], [], [], []],
          makeUpDay: ["7h-11h"],
          dayMinutes: 480,
          receiptCutoff: "25:00",
        }),
        "calendar.invalid_input",
      );
      assert.deepEqual(err.fields?.map((f) => f.path), ["/makeUpDay/0", "/receiptCutoff"]);
      // Office hours are an agency's: not for a code the directory does not know.
      const unknown = await rejectsWith(
        env.ctx.calendar.setOfficeHours(admin, { ...(await env.ctx.calendar.officeHours()), agency: "000.00.13.H29", validFrom: "2027-01-01" }),
        "calendar.invalid_input",
      );
      assert.deepEqual(unknown.fields?.map((f) => f.path), ["/agency"]);
      await rejectsWith(
        env.ctx.calendar.setOfficeHours(anonymous, { ...(await env.ctx.calendar.officeHours()), validFrom: "2027-01-01" }),
        "calendar.forbidden",
      );
    });
  });

  describe("GET /api/calendar/holidays", () => {
    it("lists the days off of 2026 and its make-up working days", async () => {
      const res = await get("/api/calendar/holidays?year=2026");
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.year, 2026);
      const dates = body.items.map((d: { date: string }) => d.date);
      assert.deepEqual(dates.slice(0, 8), [
        "2026-01-01",
        "2026-01-02",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-04-26",
      ]);
      assert.deepEqual(body.items.find((d: { date: string }) => d.date === "2026-04-27"), {
        date: "2026-04-27",
        name: "Nghỉ bù Giỗ Tổ Hùng Vương",
        nameEn: "Compensatory day off: Hùng Kings' Commemoration Day",
        kind: "compensatory",
      });
      assert.ok(dates.includes("2026-08-31") && dates.includes("2026-09-01") && dates.includes("2026-09-02"));
      assert.deepEqual(body.workingDays.map((d: { date: string }) => d.date), ["2026-01-10", "2026-08-22"]);
    });

    it("answers 400 for a year out of range and gives the seeded rule years", async () => {
      const bad = await get("/api/calendar/holidays?year=1999");
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json().error.fields.map((f: { path: string }) => f.path), ["/querystring/year"]);
      const y2027 = (await get("/api/calendar/holidays?year=2027")).json();
      assert.ok(y2027.items.some((d: { date: string; kind: string }) => d.date === "2027-02-11" && d.kind === "compensatory"));
      const y2040 = (await get("/api/calendar/holidays?year=2040")).json();
      assert.deepEqual(y2040.items, []);
    });
  });

  describe("edits", () => {
    it("a day off added moves deadlines, is audited, and removed moves them back", async () => {
      assert.equal(await dueOf("2026-03-13 10:00", 1, "working_days"), "2026-03-16T10:00:00+07:00");
      const added = await env.ctx.calendar.addDayOff(admin, { date: "2026-03-16", name: "Nghỉ đột xuất", nameEn: "Extra day off" });
      assert.deepEqual(added, { date: "2026-03-16", name: "Nghỉ đột xuất", nameEn: "Extra day off", kind: "holiday" });
      assert.equal(await dueOf("2026-03-13 10:00", 1, "working_days"), "2026-03-17T10:00:00+07:00");
      assert.ok((await env.ctx.calendar.holidays(2026)).some((d) => d.date === "2026-03-16"));

      await rejectsWith(env.ctx.calendar.addDayOff(admin, { date: "2026-03-16", name: "Lần nữa" }), "calendar.day_exists");
      await env.ctx.calendar.removeDayOff(admin, "2026-03-16");
      assert.equal(await dueOf("2026-03-13 10:00", 1, "working_days"), "2026-03-16T10:00:00+07:00");
      await rejectsWith(env.ctx.calendar.removeDayOff(admin, "2026-03-16"), "calendar.day_not_found");
      // A removed date can be added again.
      await env.ctx.calendar.addDayOff(admin, { date: "2026-03-16", name: "Nghỉ bù", kind: "compensatory" });
      await env.ctx.calendar.removeDayOff(admin, "2026-03-16");

      assert.deepEqual(await auditEntries(env, "2026-03-16"), [
        { actor: "system:test", action: "calendar.day_off_added", subject_type: "calendar_day" },
        { actor: "system:test", action: "calendar.day_off_removed", subject_type: "calendar_day" },
        { actor: "system:test", action: "calendar.day_off_added", subject_type: "calendar_day" },
        { actor: "system:test", action: "calendar.day_off_removed", subject_type: "calendar_day" },
      ]);
    });

    it("a make-up working Saturday counts as a working day; a weekday cannot be one", async () => {
      assert.equal(await dueOf("2026-03-20 10:00", 1, "working_days"), "2026-03-23T10:00:00+07:00");
      await env.ctx.calendar.addWorkingDay(admin, { date: "2026-03-21", name: "Làm bù" });
      assert.equal(await dueOf("2026-03-20 10:00", 1, "working_days"), "2026-03-21T10:00:00+07:00");
      assert.ok((await env.ctx.calendar.workingDays(2026)).some((d) => d.date === "2026-03-21" && d.nameEn === "Làm bù"));
      await rejectsWith(env.ctx.calendar.addWorkingDay(admin, { date: "2026-03-23", name: "Thứ Hai" }), "calendar.not_a_rest_day");
      await rejectsWith(env.ctx.calendar.removeDayOff(admin, "2026-03-21"), "calendar.day_not_found");
      await env.ctx.calendar.removeWorkingDay(admin, "2026-03-21");
      assert.equal(await dueOf("2026-03-20 10:00", 1, "working_days"), "2026-03-23T10:00:00+07:00");
      assert.deepEqual((await auditEntries(env, "2026-03-21")).map((e) => e.action), ["calendar.working_day_added", "calendar.working_day_removed"]);
    });

    it("refuses anonymous editors, bad dates and empty names, writing nothing", async () => {
      await rejectsWith(env.ctx.calendar.addDayOff(anonymous, { date: "2026-03-18", name: "X" }), "calendar.forbidden");
      await rejectsWith(
        env.ctx.calendar.addDayOff({ type: "user", userId: "u1", username: "u", fullName: "U", email: null, roles: [{ role: "specialist", agencyCode: "000.00.00.H06" }], agencyCode: null, loa: 1 }, { date: "2026-03-18", name: "X" }),
        "calendar.forbidden",
      );
      const bad = await rejectsWith(env.ctx.calendar.addDayOff(admin, { date: "2026-02-30", name: "X" }), "calendar.invalid_input");
      assert.deepEqual(bad.fields?.map((f) => f.path), ["/date"]);
      const empty = await rejectsWith(env.ctx.calendar.addDayOff(admin, { date: "2026-03-18", name: "  " }), "calendar.invalid_input");
      assert.deepEqual(empty.fields?.map((f) => f.path), ["/name"]);
      assert.deepEqual(await auditEntries(env, "2026-03-18"), []);
      assert.ok(!(await env.ctx.calendar.holidays(2026)).some((d) => d.date === "2026-03-18"));
    });

    it("an edit inside a transaction that fails leaves neither the day nor its audit entry", async () => {
      await assert.rejects(
        env.database.transaction(async (tx) => {
          await env.ctx.calendar.addDayOff(admin, { date: "2026-03-19", name: "X" }, tx);
          throw new Error("later step failed");
        }),
        /later step failed/,
      );
      assert.ok(!(await env.ctx.calendar.holidays(2026)).some((d) => d.date === "2026-03-19"));
      assert.deepEqual(await auditEntries(env, "2026-03-19"), []);
    });

    it("a seeded day an administrator removed is not brought back by a new edition of the seed", async () => {
      await env.ctx.calendar.removeDayOff(admin, "2029-09-04");
      await env.database.transaction((tx) => holidaysSeed(2029, 2029).run(tx));
      assert.ok(!(await env.ctx.calendar.holidays(2029)).some((d) => d.date === "2029-09-04"));
      assert.ok((await env.ctx.calendar.holidays(2029)).some((d) => d.date === "2029-09-03"));
    });

    it("reads a clock paused for a supplement", async () => {
      const cal = env.ctx.calendar;
      const base = { start: at("2026-03-02 09:00"), amount: 5, unit: "working_days" as const };
      assert.deepEqual(await cal.readClock({ ...base, pauses: [{ from: at("2026-03-04 10:00"), to: null }] }), {
        due: null,
        paused: true,
        remainingMinutes: 1380,
      });
      const resumed = await cal.readClock({ ...base, pauses: [{ from: at("2026-03-04 10:00"), to: at("2026-03-09 14:00") }] });
      assert.equal(formatLocal(resumed.due!.getTime()), "2026-03-12T11:00:00+07:00");
      const bad = await rejectsWith(cal.readClock({ ...base, pauses: [{ from: at("2026-03-04 10:00"), to: at("2026-03-03 10:00") }] }), "calendar.invalid_input");
      assert.deepEqual(bad.fields?.map((f) => f.path), ["/pauses"]);
      assert.equal(await cal.workingMinutes({ from: at("2026-02-13 16:00"), to: at("2026-02-23 08:00") }), 120);
      // Across years: New Year's Eve 2026 to the first working morning of 2027.
      assert.equal(await cal.workingMinutes({ from: at("2026-12-31 16:00"), to: at("2027-01-04 08:00") }), 120);
    });
  });

  describe("motcua calendar …", () => {
    const run = async (...argv: string[]) => {
      let output = "";
      const code = await runCommand(env.ctx, ["calendar", ...argv], { write: (t) => (output += t) });
      return { code, output };
    };

    it("lists a year's days off and make-up days", async () => {
      const { code, output } = await run("holidays", "2026");
      assert.equal(code, 0);
      assert.match(output, /^ {2}2026-02-16 {2}Mon {2}holiday {7}Tết Nguyên đán$/m);
      assert.match(output, /^ {2}2026-08-22 {2}Sat {2}working_day {3}Làm bù cho thứ Hai 31\/8\/2026$/m);
    });

    it("adds and removes a day off as the CLI operator, audited, and computes deadlines", async () => {
      assert.deepEqual(await run("due", "2026-03-26T10:00", "1", "working_days"), { code: 0, output: "2026-03-27T10:00:00+07:00\n" });
      const added = await run("add-day-off", "2026-03-27", "Nghỉ", "đột", "xuất", "--en", "Extra day off");
      assert.equal(added.code, 0, added.output);
      assert.match(added.output, /added: 2026-03-27 {2}Fri {2}holiday {7}Nghỉ đột xuất/);
      assert.deepEqual(await run("due", "2026-03-26T03:00:00Z", "1", "working_days"), { code: 0, output: "2026-03-30T10:00:00+07:00\n" });
      assert.equal((await run("remove-day-off", "2026-03-27")).code, 0);
      const again = await run("remove-day-off", "2026-03-27");
      assert.equal(again.code, 1);
      assert.match(again.output, /calendar\.day_not_found/);
      const entries = await auditEntries(env, "2026-03-27");
      assert.deepEqual(entries.map((e) => e.action), ["calendar.day_off_added", "calendar.day_off_removed"]);
      assert.ok(entries.every((e) => e.actor === `cli:${os.userInfo().username}`));
    });

    it("adds a make-up working day and shows and sets office hours", async () => {
      const added = await run("add-working-day", "2026-03-28", "Làm", "bù");
      assert.equal(added.code, 0, added.output);
      assert.equal((await run("remove-working-day", "2026-03-28")).code, 0);
      const shown = await run("office-hours");
      assert.match(shown.output, /Mon {2}07:00-11:30, 13:30-17:00/);
      assert.match(shown.output, /receipt cut-off {6}15:00/);
      const set = await run("set-office-hours", "000.00.14.H29", "--from", "2026-01-01", "--saturday", "07:30-11:30", "--cutoff", "none");
      assert.equal(set.code, 0, set.output);
      assert.match(set.output, /Sat {2}07:30-11:30/);
      assert.deepEqual(await run("due", "2026-03-06T16:00", "2", "hours", "--agency", "000.00.14.H29"), {
        code: 0,
        output: "2026-03-07T08:30:00+07:00\n",
      });
    });

    it("answers usage errors with exit code 2", async () => {
      for (const argv of [["holidays"], ["due", "tomorrow", "1", "days"], ["due", "2026-03-02T10:00", "1", "weeks"], ["add-day-off", "2026-03-02"], ["add-day-off", "2026-03-02", "X", "--kind", "party"]]) {
        const { code, output } = await run(...argv);
        assert.equal(code, 2, argv.join(" "));
        assert.match(output, /usage: motcua calendar/);
      }
    });
  });
});
