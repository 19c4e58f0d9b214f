// The portal's page of days off (`/ngay-nghi`): the holidays, Tết and make-up days of a year.
import { Type } from "../../platform/typebox.ts";
import type { Clock } from "../../platform/clock.ts";
import { PUBLIC } from "../../platform/http/access.ts";
import type { App } from "../../platform/http/types.ts";
import { FormText, pageQuery, pageSchema } from "../../web/forms.ts";
import { yearInVietnam } from "../../web/format.ts";
import { sendPage } from "../../web/render.ts";
import { partyPage } from "../../web/routes.tsx";
import { DAYS_OFF_PATH, type DaysOffResult, DaysOffPage, MAX_YEAR, MIN_YEAR } from "./days-off-page.tsx";
import type { CalendarService } from "./service.ts";

/** Reads `?year=`: absent is this year in Vietnam; a malformed or out-of-range value is reported. */
function parseYear(raw: string | undefined, clock: Clock): { year: number; invalid?: string } {
  const current = yearInVietnam(clock.now());
  if (raw === undefined || raw === "") return { year: current };
  const text = raw.trim().slice(0, 12);
  const n = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(n) && n >= MIN_YEAR && n <= MAX_YEAR) return { year: n };
  return { year: current, invalid: text };
}

/** `?year=`, as typed: the page says what is wrong with it (a number field cannot hold "abc"). */
const DaysOffQuery = pageSchema({ querystring: Type.Object({ year: FormText() }) });

export function calendarPages(deps: { calendar: Pick<CalendarService, "holidays">; clock: Clock }) {
  return async (app: App) => {
    app.get(DAYS_OFF_PATH, { config: { access: PUBLIC }, ...DaysOffQuery }, async (request, reply) => {
      const { year, invalid } = parseYear(pageQuery(request).year, deps.clock);
      const result: DaysOffResult =
        invalid === undefined ? { state: "ok", holidays: await deps.calendar.holidays(year) } : { state: "invalid", given: invalid };
      return sendPage(reply, <DaysOffPage page={partyPage(request, reply, "portal")} year={year} result={result} />, result.state === "invalid" ? 400 : 200);
    });
  };
}
