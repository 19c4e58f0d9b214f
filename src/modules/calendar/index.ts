// Working time (DOMAIN.md §4): days off, Tết and make-up days, office hours per agency, deadlines.
import { defineModule } from "../../platform/module.ts";
import { calendarCommands } from "./commands.ts";
import { calendarMessages } from "./messages.ts";
import { calendarPages } from "./pages.tsx";
import { calendarRoutes } from "./routes.ts";
import { holidaysSeed, officeHoursSeed } from "./seeds.ts";
import { type CalendarService, makeCalendarService } from "./service.ts";

declare module "../../platform/module.ts" {
  interface Services {
    calendar: CalendarService;
  }
}

export const calendarModule = defineModule({
  name: "calendar",
  needs: ["directory"],
  provides: ["calendar"],
  build: ({ database, directory, audit, clock }) => ({ calendar: makeCalendarService({ database, directory, audit, clock }) }),
  routes: ({ calendar, clock }) => [calendarRoutes(calendar, clock)],
  pages: ({ calendar, clock }) => [calendarPages({ calendar, clock })],
  seeds: () => [officeHoursSeed(), holidaysSeed()],
  commands: calendarCommands,
  messages: calendarMessages,
  nav: [
    { area: "portal", href: "/ngay-nghi", label: { vi: "Ngày nghỉ", en: "Days off" }, order: 50 },
    { area: "office", href: "/ngay-nghi", label: { vi: "Ngày nghỉ", en: "Days off" }, order: 50 },
  ],
});

export {
  type ClockReading,
  DAY_KINDS,
  DAY_OFF_KINDS,
  type DayKind,
  type DeadlineClock,
  DEFAULT_OFFICE_HOURS,
  DUE_UNITS,
  type DueRules,
  type DueUnit,
  type OfficeHours,
  pauseClock,
  resumeClock,
  WorkingTime,
} from "./engine.ts";
export { holidaysSeed, officeHoursSeed } from "./seeds.ts";
export {
  type CalendarDayDto,
  type CalendarService,
  type ClockQuery,
  type DueQuery,
  MAX_YEAR,
  MIN_YEAR,
} from "./service.ts";
export { dayStart, formatLocal, isoDate, localDay, parseIsoDate } from "./time.ts";
