import { attempt, cliActor, type Command, parseArgs, UsageError } from "../../platform/cli.ts";
import type { Clock } from "../../platform/clock.ts";
import { DAY_OFF_KINDS, DUE_UNITS, type DayOffKind, type DueUnit } from "./engine.ts";
import { type OfficeHoursSpec, WEEKDAY_NAMES } from "./office-hours.ts";
import type { CalendarDayDto, CalendarService } from "./service.ts";
import { day, formatLocal, isoDate, isoWeekday, localDay, parseInstant } from "./time.ts";

function dayLine(d: CalendarDayDto): string {
  return `${d.date}  ${WEEKDAY_NAMES[isoWeekday(day(d.date)) - 1]}  ${d.kind.padEnd(12)}  ${d.name}`;
}

function hoursText(h: OfficeHoursSpec): string {
  const lines = [
    `office hours of ${h.agency ?? "every agency without its own (default)"}, in force from ${h.validFrom}`,
    ...h.week.map((ps, i) => `  ${WEEKDAY_NAMES[i]}  ${ps.length ? ps.join(", ") : "closed"}`),
    `  make-up working day  ${h.makeUpDay.join(", ")}`,
    `  working day          ${h.dayMinutes / 60} h`,
    `  receipt cut-off      ${h.receiptCutoff ?? "none"}`,
  ];
  if (h.basis) lines.push(`  basis                ${h.basis}`);
  return `${lines.join("\n")}\n`;
}

function periodsOption(v: string): string[] {
  return v === "none" || v === "" ? [] : v.split(",").map((p) => p.trim());
}

function todayInVietnam(clock: Clock): string {
  return isoDate(localDay(clock.now().getTime()));
}

/** What the calendar's commands use. */
export interface CalendarCommandDeps {
  calendar: CalendarService;
  clock: Clock;
}

export const calendarCommands: Array<Command<CalendarCommandDeps>> = [
  {
    words: ["calendar", "holidays"],
    usage: "motcua calendar holidays <year>",
    summary: "list the days off and the make-up working days of a year",
    async run(ctx, args, out) {
      const [raw, ...rest] = args;
      if (raw === undefined || rest.length || !/^\d{4}$/.test(raw)) throw new UsageError("give one year, e.g. 2026");
      return attempt(out, async () => {
        const year = Number(raw);
        const [off, working] = await Promise.all([ctx.calendar.holidays(year), ctx.calendar.workingDays(year)]);
        out.write(off.length ? `days off in ${year}:\n` : `no days off in ${year}\n`);
        for (const d of off) out.write(`  ${dayLine(d)}\n`);
        if (working.length) out.write(`make-up working days in ${year}:\n`);
        for (const d of working) out.write(`  ${dayLine(d)}\n`);
        return 0;
      });
    },
  },
  {
    words: ["calendar", "add-day-off"],
    usage: "motcua calendar add-day-off <YYYY-MM-DD> <name> [--en <English name>] [--kind holiday|compensatory|swapped]",
    summary: "add a day off (audited)",
    async run(ctx, args, out) {
      const { positional, options } = parseArgs(args, ["--en", "--kind"]);
      const [date, ...words] = positional;
      if (date === undefined || words.length === 0) throw new UsageError("give the date and the name of the day off");
      const kind = options.get("--kind") ?? "holiday";
      if (!(DAY_OFF_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${DAY_OFF_KINDS.join(", ")}`);
      return attempt(out, async () => {
        const d = await ctx.calendar.addDayOff(cliActor(), {
          date,
          name: words.join(" "),
          nameEn: options.get("--en"),
          kind: kind as DayOffKind,
        });
        out.write(`added: ${dayLine(d)}\n`);
        return 0;
      });
    },
  },
  {
    words: ["calendar", "remove-day-off"],
    usage: "motcua calendar remove-day-off <YYYY-MM-DD>",
    summary: "make a day off an ordinary day again (audited)",
    async run(ctx, args, out) {
      if (args.length !== 1) throw new UsageError("give one date");
      return attempt(out, async () => {
        const d = await ctx.calendar.removeDayOff(cliActor(), args[0]!);
        out.write(`removed: ${dayLine(d)}\n`);
        return 0;
      });
    },
  },
  {
    words: ["calendar", "add-working-day"],
    usage: "motcua calendar add-working-day <YYYY-MM-DD> <name> [--en <English name>]",
    summary: "add a make-up working day on a Saturday or Sunday (audited)",
    async run(ctx, args, out) {
      const { positional, options } = parseArgs(args, ["--en"]);
      const [date, ...words] = positional;
      if (date === undefined || words.length === 0) throw new UsageError("give the date and a name, e.g. \"Làm bù cho thứ Hai 31/8\"");
      return attempt(out, async () => {
        const d = await ctx.calendar.addWorkingDay(cliActor(), { date, name: words.join(" "), nameEn: options.get("--en") });
        out.write(`added: ${dayLine(d)}\n`);
        return 0;
      });
    },
  },
  {
    words: ["calendar", "remove-working-day"],
    usage: "motcua calendar remove-working-day <YYYY-MM-DD>",
    summary: "remove a make-up working day (audited)",
    async run(ctx, args, out) {
      if (args.length !== 1) throw new UsageError("give one date");
      return attempt(out, async () => {
        const d = await ctx.calendar.removeWorkingDay(cliActor(), args[0]!);
        out.write(`removed: ${dayLine(d)}\n`);
        return 0;
      });
    },
  },
  {
    words: ["calendar", "due"],
    usage: "motcua calendar due <from> <amount> <working_days|days|hours|same_day> [--agency <code>]",
    summary: "the deadline of a processing time; <from> in Vietnam's time (2026-02-13T10:00) or with an offset",
    async run(ctx, args, out) {
      const { positional, options } = parseArgs(args, ["--agency"]);
      const [fromText, amountText, unit, ...rest] = positional;
      if (fromText === undefined || amountText === undefined || unit === undefined || rest.length) {
        throw new UsageError("give the time received, the amount and the unit");
      }
      const from = parseInstant(fromText);
      if (from === null) throw new UsageError(`cannot read the time ${fromText}: use 2026-02-13T10:00 or an ISO time with an offset`);
      if (!/^\d+(\.\d+)?$/.test(amountText)) throw new UsageError("the amount is a non-negative number");
      if (!(DUE_UNITS as readonly string[]).includes(unit)) throw new UsageError(`the unit is one of ${DUE_UNITS.join(", ")}`);
      return attempt(out, async () => {
        const due = await ctx.calendar.due({
          from: new Date(from),
          amount: Number(amountText),
          unit: unit as DueUnit,
          agency: options.get("--agency"),
        });
        out.write(`${formatLocal(due.getTime())}\n`);
        return 0;
      });
    },
  },
  {
    words: ["calendar", "office-hours"],
    usage: "motcua calendar office-hours [<agency code>]",
    summary: "show the office hours in force for an agency (or the default)",
    async run(ctx, args, out) {
      if (args.length > 1) throw new UsageError("give at most one agency code");
      return attempt(out, async () => {
        out.write(hoursText(await ctx.calendar.officeHours(args[0] ?? null)));
        return 0;
      });
    },
  },
  {
    words: ["calendar", "set-office-hours"],
    usage:
      "motcua calendar set-office-hours <agency code|default> [--from YYYY-MM-DD] [--weekdays 07:00-11:30,13:30-17:00] [--saturday 07:30-11:30|none] [--sunday …] [--make-up …] [--cutoff 15:00|none] [--day-hours 8] [--basis <text>]",
    summary: "change an agency's (or the default) office hours from a date, starting from those in force (audited)",
    async run(ctx, args, out) {
      const flags = ["--from", "--weekdays", "--saturday", "--sunday", "--make-up", "--cutoff", "--day-hours", "--basis"];
      const { positional, options } = parseArgs(args, flags);
      if (positional.length !== 1) throw new UsageError("give one agency code, or default");
      const agency = positional[0] === "default" ? null : positional[0]!;
      const dayHours = options.get("--day-hours");
      if (dayHours !== undefined && !/^\d+(\.\d+)?$/.test(dayHours)) throw new UsageError("--day-hours is a number of hours");
      return attempt(out, async () => {
        const current = await ctx.calendar.officeHours(agency);
        const week = current.week.map((ps) => [...ps]);
        const weekdays = options.get("--weekdays");
        if (weekdays !== undefined) for (let i = 0; i < 5; i++) week[i] = periodsOption(weekdays);
        const saturday = options.get("--saturday");
        if (saturday !== undefined) week[5] = periodsOption(saturday);
        const sunday = options.get("--sunday");
        if (sunday !== undefined) week[6] = periodsOption(sunday);
        const makeUp = options.get("--make-up");
        const cutoff = options.get("--cutoff");
        const spec = await ctx.calendar.setOfficeHours(cliActor(), {
          agency,
          validFrom: options.get("--from") ?? todayInVietnam(ctx.clock),
          week,
          makeUpDay: makeUp !== undefined ? periodsOption(makeUp) : weekdays !== undefined ? periodsOption(weekdays) : current.makeUpDay,
          dayMinutes: dayHours !== undefined ? Math.round(Number(dayHours) * 60) : current.dayMinutes,
          receiptCutoff: cutoff === undefined ? current.receiptCutoff : cutoff === "none" ? null : cutoff,
          basis: options.get("--basis") ?? current.basis,
        });
        out.write(hoursText(spec));
        return 0;
      });
    },
  },
];

