import { defineError, type FieldProblem } from "../../platform/http/errors.ts";

/** A calendar edit or query with a wrong field; `fields` names it (`/date`, `/year`, `/week/5`). */
export const InvalidCalendarInput = defineError<[FieldProblem[]]>(
  "calendar.invalid_input",
  "invalid",
  () => ({ vi: "Thông tin lịch làm việc không hợp lệ.", en: "The calendar input is not valid." }),
  (fields) => ({ fields }),
);

export const CalendarDayExists = defineError<[string, string]>("calendar.day_exists", "conflict", (date, kind) => ({
  vi: `Ngày ${date} đã có trong lịch (${kind}). Hãy xóa trước khi thêm lại.`,
  en: `${date} is already in the calendar (${kind}). Remove it before adding it again.`,
}));

export const CalendarDayNotFound = defineError<[string, string]>("calendar.day_not_found", "not_found", (date, what) => ({
  vi: `Ngày ${date} không phải là ${what === "working_day" ? "ngày làm bù" : "ngày nghỉ"} trong lịch.`,
  en: `${date} is not a ${what === "working_day" ? "make-up working day" : "day off"} in the calendar.`,
}));

export const NotARestDay = defineError<[string]>("calendar.not_a_rest_day", "conflict", (date) => ({
  vi: `Ngày ${date} đã là ngày làm việc; ngày làm bù phải là ngày nghỉ hằng tuần.`,
  en: `${date} is already a working day; a make-up working day must be a weekly rest day.`,
}));

/** The computation needs years the calendar does not cover. */
export const CalendarOutOfRange = defineError<[number, number]>("calendar.out_of_range", "invalid", (min, max) => ({
  vi: `Lịch làm việc chỉ tính được trong các năm ${min}–${max}.`,
  en: `The working calendar covers the years ${min}–${max} only.`,
}));

export const CalendarForbidden = defineError("calendar.forbidden", "forbidden", () => ({
  vi: "Bạn không có quyền thay đổi lịch làm việc.",
  en: "You are not allowed to change the working calendar.",
}));
