import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Clock } from "../../platform/clock.ts";
import { PUBLIC } from "../../platform/http/access.ts";
import { DueDto, DueQuery, HolidaysDto, HolidaysQuery } from "./schema.ts";
import type { CalendarService } from "./service.ts";
import { formatLocal, localDay, yearOfDay } from "./time.ts";

// Days off change by an administrator's edit, a few times a year.
const CALENDAR_CACHE = "public, max-age=300";

/** Public working-time answers: deadlines and the days off of a year. */
export function calendarRoutes(calendar: CalendarService, clock: Clock): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/calendar/due",
      {
        config: { access: PUBLIC },
        schema: {
          tags: ["reference"],
          summary: "Tính hạn giải quyết",
          description:
            "The deadline of a processing time received at `from`, by the working-time rules for the agency (its office hours, else the default): working days count 8 office hours from receipt, whether before or after the cut-off (15:00 by default), unless `countFromNextDayAfterCutoff` (then from the next working day's opening); receipt outside office hours counts from the next working period; a deadline in calendar days that ends on a day off moves to the next working day; `same_day` is the close of the day received, or of the next working day when received after the cut-off.",
          querystring: DueQuery,
          response: { 200: DueDto },
        },
      },
      async (request, reply) => {
        const { from, amount, unit, agency, countFromNextDayAfterCutoff } = request.query;
        const at = new Date(from);
        const due = await calendar.due({ from: at, amount, unit, agency, countFromNextDayAfterCutoff });
        void reply.header("cache-control", CALENDAR_CACHE);
        return { due: formatLocal(due.getTime()), from: formatLocal(at.getTime()), amount, unit, agency: agency ?? null };
      },
    );

    app.get(
      "/api/calendar/holidays",
      {
        config: { access: PUBLIC },
        schema: {
          tags: ["reference"],
          summary: "Các ngày nghỉ lễ, Tết trong năm",
          description:
            "The days off of a year (holidays, compensatory and swapped days, DOMAIN §4) in `items`, and the make-up working days in `workingDays`.",
          querystring: HolidaysQuery,
          response: { 200: HolidaysDto },
        },
      },
      async (request, reply) => {
        const year = request.query.year ?? yearOfDay(localDay(clock.now().getTime()));
        const [items, workingDays] = await Promise.all([calendar.holidays(year), calendar.workingDays(year)]);
        void reply.header("cache-control", CALENDAR_CACHE);
        return { year, items, workingDays };
      },
    );
  };
}
