import { type Static, Type } from "../../platform/typebox.ts";
import { Nullable } from "../../platform/http/schema.ts";
import { DUE_UNITS, type DueUnit } from "./engine.ts";
import { MAX_YEAR, MIN_YEAR } from "./service.ts";

export const DueQuery = Type.Object(
  {
    from: Type.String({
      format: "date-time",
      description: "Thời điểm tiếp nhận, ISO 8601 có múi giờ (`2026-02-13T10:00:00+07:00`)",
      examples: ["2026-02-13T10:00:00+07:00"],
    }),
    amount: Type.Number({ minimum: 0, maximum: 1000, description: "Thời hạn giải quyết (số ngày là số nguyên)" }),
    // One `enum` rather than a union of literals: a wrong unit is reported once, listing the units.
    unit: Type.Unsafe<DueUnit>({
      type: "string",
      enum: [...DUE_UNITS],
      description: "`working_days` ngày làm việc (8 giờ), `days` ngày theo lịch, `hours` giờ làm việc, `same_day` trong ngày",
    }),
    countFromNextDayAfterCutoff: Type.Optional(
      Type.Boolean({ description: "Thủ tục tính ngày làm việc từ ngày làm việc tiếp theo khi tiếp nhận sau giờ chốt (mặc định: không)" }),
    ),
    agency: Type.Optional(
      Type.String({
        pattern: "^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2}$",
        description: "Mã định danh cơ quan (QCVN 102:2016): giờ làm việc của cơ quan, nếu có, thay giờ mặc định",
      }),
    ),
  },
  { additionalProperties: false },
);
export type DueQuery = Static<typeof DueQuery>;

export const DueDto = Type.Object({
  due: Type.String({ description: "Hạn giải quyết, ISO 8601 giờ Việt Nam", examples: ["2026-02-25T10:00:00+07:00"] }),
  from: Type.String(),
  amount: Type.Number(),
  unit: Type.String(),
  agency: Nullable(Type.String()),
});

export const CalendarDayDto = Type.Object({
  date: Type.String({ description: "YYYY-MM-DD" }),
  name: Type.String(),
  nameEn: Type.String(),
  kind: Type.String({ description: "holiday (ngày lễ, Tết), compensatory (nghỉ bù), swapped (nghỉ hoán đổi), working_day (làm bù)" }),
});

export const HolidaysQuery = Type.Object(
  { year: Type.Optional(Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR, description: "Năm; mặc định năm hiện tại" })) },
  { additionalProperties: false },
);

export const HolidaysDto = Type.Object({
  year: Type.Integer(),
  items: Type.Array(CalendarDayDto, { description: "Các ngày nghỉ: lễ, Tết, nghỉ bù, nghỉ hoán đổi" }),
  workingDays: Type.Array(CalendarDayDto, { description: "Các ngày làm bù (thường là thứ Bảy)" }),
});
