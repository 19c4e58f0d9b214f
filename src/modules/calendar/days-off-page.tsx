import { MAX_YEAR, MIN_YEAR } from "./service.ts";
import { formatDate, formatWeekday } from "../../web/format.ts";
import type { MessageKeyOf } from "../../web/i18n.ts";
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import { calendarMessages } from "./messages.ts";

/** A day off as the calendar gives it (`ctx.calendar.holidays(year)`). */
export interface Holiday {
  /** Calendar date, `YYYY-MM-DD`. */
  date: string;
  name: string;
  nameEn: string;
  kind: string;
}

export type HolidaySource = (year: number) => Promise<Holiday[]>;

export const DAYS_OFF_PATH = "/ngay-nghi";
export { MAX_YEAR, MIN_YEAR };

// The calendar's kinds of day off (engine.ts DAY_OFF_KINDS); a new one shows as "other".
const KIND_LABEL: Record<string, MessageKeyOf<typeof calendarMessages>> = {
  holiday: "daysOff.kind.holiday",
  compensatory: "daysOff.kind.compensatory",
  swapped: "daysOff.kind.swap",
};

export type DaysOffResult =
  | { state: "ok"; holidays: Holiday[] }
  | { state: "invalid"; given: string };

export interface DaysOffProps {
  page: PageRequest;
  year: number;
  result: DaysOffResult;
}

function YearForm({ page, year, invalid }: { page: PageRequest; year: number | string; invalid: boolean }) {
  const t = calendarMessages.of(page);
  return (
    <form class="inline-form" method="get" action={DAYS_OFF_PATH}>
      <div class="field">
        <label for="year">{t("daysOff.yearLabel")}</label>
        <input
          id="year"
          name="year"
          type="number"
          inputmode="numeric"
          min={MIN_YEAR}
          max={MAX_YEAR}
          step={1}
          required
          value={String(year)}
          aria-invalid={invalid ? "true" : undefined}
          aria-describedby={invalid ? "year-error" : undefined}
        />
      </div>
      <button type="submit">{t("daysOff.show")}</button>
    </form>
  );
}

/** `/ngay-nghi?year=2026`: the days off of a year, the ones deadlines skip. */
export function DaysOffPage({ page, year, result }: DaysOffProps) {
  const { lang } = page;
  const t = calendarMessages.of(page);
  const heading = t("daysOff.heading", { year });
  return (
    <Layout page={page} variant="portal" title={t("daysOff.title", { year })} current={DAYS_OFF_PATH}>
      <h1>{heading}</h1>
      <p class="lead">{t("daysOff.intro")}</p>
      {result.state === "invalid" ? (
        <p class="error" id="year-error" role="alert">
          {t("daysOff.invalidYear", { min: MIN_YEAR, max: MAX_YEAR })}
        </p>
      ) : null}
      <YearForm page={page} year={result.state === "invalid" ? result.given : year} invalid={result.state === "invalid"} />
      {result.state === "invalid" ? null : (
        <nav aria-label={t("daysOff.otherYears")}>
          <ul class="pager">
            {year > MIN_YEAR ? (
              <li>
                <a href={`${DAYS_OFF_PATH}?year=${year - 1}`}>{t("daysOff.previous", { year: year - 1 })}</a>
              </li>
            ) : null}
            {year < MAX_YEAR ? (
              <li>
                <a href={`${DAYS_OFF_PATH}?year=${year + 1}`}>{t("daysOff.next", { year: year + 1 })}</a>
              </li>
            ) : null}
          </ul>
        </nav>
      )}
      {result.state === "ok" && result.holidays.length === 0 ? <p class="notice">{t("daysOff.empty", { year })}</p> : null}
      {result.state === "ok" && result.holidays.length > 0 ? (
        <table>
          <caption>
            {t("daysOff.caption", { year })} — {t("daysOff.count", { count: result.holidays.length })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("daysOff.date")}</th>
              <th scope="col">{t("daysOff.name")}</th>
              <th scope="col">{t("daysOff.kind")}</th>
            </tr>
          </thead>
          <tbody>
            {[...result.holidays]
              .sort((a, b) => a.date.localeCompare(b.date))
              .map((h) => (
                <tr key={h.date + h.kind}>
                  <td>
                    <time class="nowrap" dateTime={h.date}>
                      {formatDate(h.date, lang)}
                    </time>
                    <span class="sub">{formatWeekday(h.date, lang)}</span>
                  </td>
                  <td>{lang === "en" && h.nameEn ? h.nameEn : h.name}</td>
                  <td>{t(KIND_LABEL[h.kind] ?? "daysOff.kind.other")}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
    </Layout>
  );
}
