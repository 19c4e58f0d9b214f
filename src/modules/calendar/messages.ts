// The calendar's text on its pages (the days-off page), in both languages; registered as the module's `messages`.
import { defineMessages } from "../../web/i18n.ts";

export const calendarMessages = defineMessages({
  vi: {
    "daysOff.title": "Ngày nghỉ năm {year}",
    "daysOff.heading": "Ngày nghỉ lễ, Tết năm {year}",
    "daysOff.intro":
      "Các ngày nghỉ theo Điều 112 Bộ luật Lao động 2019 và thông báo của Chính phủ. Thời hạn giải quyết hồ sơ không tính các ngày này.",
    "daysOff.yearLabel": "Năm",
    "daysOff.show": "Xem",
    "daysOff.previous": "Năm trước ({year})",
    "daysOff.next": "Năm sau ({year})",
    "daysOff.otherYears": "Năm khác",
    "daysOff.caption": "Danh sách ngày nghỉ năm {year}",
    "daysOff.count": "{count} ngày nghỉ",
    "daysOff.date": "Ngày",
    "daysOff.name": "Tên ngày nghỉ",
    "daysOff.kind": "Loại",
    "daysOff.empty": "Chưa có ngày nghỉ nào được ghi cho năm {year}.",
    "daysOff.invalidYear": "Năm không hợp lệ: hãy nhập một năm từ {min} đến {max}.",
    "daysOff.kind.holiday": "Nghỉ lễ, Tết",
    "daysOff.kind.compensatory": "Nghỉ bù",
    "daysOff.kind.swap": "Nghỉ hoán đổi",
    "daysOff.kind.other": "Ngày nghỉ khác",
  },
  en: {
    "daysOff.title": "Days off in {year}",
    "daysOff.heading": "Public holidays and days off in {year}",
    "daysOff.intro":
      "Days off under Article 112 of the Labour Code 2019 and the Government's announcements. Processing times do not count these days.",
    "daysOff.yearLabel": "Year",
    "daysOff.show": "Show",
    "daysOff.previous": "Previous year ({year})",
    "daysOff.next": "Next year ({year})",
    "daysOff.otherYears": "Other years",
    "daysOff.caption": "Days off in {year}",
    "daysOff.count": "{count} days off",
    "daysOff.date": "Date",
    "daysOff.name": "Name",
    "daysOff.kind": "Kind",
    "daysOff.empty": "No days off are recorded for {year} yet.",
    "daysOff.invalidYear": "Not a valid year: enter a year from {min} to {max}.",
    "daysOff.kind.holiday": "Public holiday",
    "daysOff.kind.compensatory": "Compensatory day off",
    "daysOff.kind.swap": "Swapped day off",
    "daysOff.kind.other": "Other day off",
  },
});
