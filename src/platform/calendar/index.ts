// The working-time engine and calendar of days off (DOMAIN.md §4): `ctx.calendar`.
export {
  type ClockReading,
  DAY_KINDS,
  DAY_OFF_KINDS,
  type DayKind,
  type DeadlineClock,
  DEFAULT_OFFICE_HOURS,
  DUE_UNITS,
  type DueUnit,
  type OfficeHours,
  pauseClock,
  resumeClock,
  WorkingTime,
} from "./engine.ts";
export { holidaysSeed, officeHoursSeed } from "./seeds.ts";
export { calendarRoutes } from "./routes.ts";
export {
  type CalendarDayDto,
  type CalendarService,
  type ClockQuery,
  type DueQuery,
  makeCalendarService,
  MAX_YEAR,
  MIN_YEAR,
} from "./service.ts";
export { formatLocal } from "./time.ts";
