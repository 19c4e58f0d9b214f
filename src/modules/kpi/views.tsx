// The dashboards as views: the filters, the charts over the months, every table with its CSV and XLSX links and,
// in the office, each count linked to the dossiers behind it; the list behind a count; the public scorecard.
import { Chart } from "../../web/chart.tsx";
import { chartValue } from "../../web/chart.tsx";
import { formatDate, formatNumber } from "../../web/format.ts";
import { tr } from "../../web/i18n.ts";
import { Layout } from "../../web/layout.tsx";
import { Pager } from "../../web/pager.tsx";
import type { PageRequest } from "../../web/render.ts";
import { ScrollTable } from "../../web/table.tsx";
import { officeDossierPath } from "../dossiers/index.ts";
import { type Cell, CHANNEL_NAMES, CHANNELS, type ColumnKind, type Dashboard, type DashboardFilter, INDICATOR_NAMES, type KpiTable, periodName } from "./dashboard.ts";
import type { BehindIndicator, BehindItem } from "./service.ts";

export const DASHBOARD_PATH = "/office/chi-so";
export const behindPath = (indicator: BehindIndicator) => `${DASHBOARD_PATH}/ho-so/${indicator}`;
export const scorecardPath = (province: string) => `/chi-so/${province}`;

/** The filter as the page's query. */
export function filterQuery(f: DashboardFilter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  q.set("ky", f.period);
  if (f.province) q.set("tinh", f.province);
  if (f.agency) q.set("co-quan", f.agency);
  if (f.procedure) q.set("thu-tuc", f.procedure);
  if (f.channel) q.set("kenh", f.channel);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

function cellText(page: PageRequest, v: Cell, kind: ColumnKind): string {
  if (v === null) return "—";
  if (typeof v === "string") return v;
  if (kind === "percent") return chartValue(v, "percent", page.lang);
  if (kind === "hours") return formatNumber(Math.round(v * 10) / 10, page.lang);
  return formatNumber(v, page.lang);
}

/** A table with its export links; counts linked to their dossiers when `behind` makes the link. */
export function TableView({ page, table, exportBase, query, behind }: { page: PageRequest; table: KpiTable; exportBase: string; query: string; behind?: ((indicator: BehindIndicator, extra?: Record<string, string>) => string) | undefined }) {
  const id = `bang-${table.key}`;
  const title = tr(page, table.title.vi, table.title.en);
  return (
    <section class="kpi-table">
      <h2 id={id}>{title}</h2>
      <p class="kpi-exports">
        <a href={`${exportBase}/${table.key}.csv?${query}`} download>
          {tr(page, `Tải CSV: ${title}`, `Download CSV: ${title}`)}
        </a>{" "}
        <a href={`${exportBase}/${table.key}.xlsx?${query}`} download>
          {tr(page, `Tải Excel: ${title}`, `Download Excel: ${title}`)}
        </a>
      </p>
      {table.rows.length === 0 ? (
        <p>{tr(page, "Không có số liệu trong kỳ này.", "No figures for this period.")}</p>
      ) : (
        <ScrollTable labelledBy={id}>
          <table aria-labelledby={id}>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c.vi} scope="col">
                    {tr(page, c.vi, c.en)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, ri) => (
                <tr key={ri}>
                  {r.cells.map((v, i) => {
                    const text = cellText(page, v, table.columns[i]!.kind);
                    const b = r.behind?.[i];
                    const content = behind && b && typeof v === "number" && v > 0 ? <a href={behind(b.indicator, b.extra)}>{text}</a> : text;
                    return i === 0 ? (
                      <th key={i} scope="row">
                        {content}
                      </th>
                    ) : (
                      <td key={i}>{content}</td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </section>
  );
}

function Charts({ page, d }: { page: PageRequest; d: Dashboard }) {
  const points = (f: (m: Dashboard["months"][number]) => number | null) => d.months.map((m) => ({ label: periodName(m.name, page.lang), value: f(m) }));
  const period = tr(page, "Tháng", "Month");
  return (
    <div class="kpi-charts">
      <Chart
        id="bieu-do-dung-han"
        lang={page.lang}
        kind="line"
        unit="percent"
        title={tr(page, "Tỷ lệ giải quyết đúng hạn theo tháng", "On-time ratio by month")}
        description={tr(page, "Tỷ lệ hồ sơ giải quyết đúng hạn của 12 tháng đến hết kỳ đã chọn.", "The on-time ratio of the 12 months up to the period chosen.")}
        points={points((m) => m.onTimeRatio)}
        periodHeader={period}
        valueHeader={tr(page, "Tỷ lệ đúng hạn", "On-time ratio")}
      />
      <Chart
        id="bieu-do-tiep-nhan"
        lang={page.lang}
        title={tr(page, "Số hồ sơ tiếp nhận theo tháng", "Dossiers received by month")}
        description={tr(page, "Số hồ sơ tiếp nhận của 12 tháng đến hết kỳ đã chọn.", "The dossiers received in the 12 months up to the period chosen.")}
        points={points((m) => m.received)}
        periodHeader={period}
        valueHeader={tr(page, "Tiếp nhận", "Received")}
      />
    </div>
  );
}

export interface FilterChoices {
  periods: string[];
  agencies: Array<{ code: string; name: string }>;
  procedures: string[];
}

function Filters({ page, f, choices, action }: { page: PageRequest; f: DashboardFilter; choices: FilterChoices; action: string }) {
  return (
    <form method="get" action={action} class="kpi-filters">
      {f.province ? <input type="hidden" name="tinh" value={f.province} /> : null}
      <label for="loc-ky">{tr(page, "Kỳ", "Period")}</label>
      <select id="loc-ky" name="ky">
        {choices.periods.map((p) => (
          <option key={p} value={p} selected={p === f.period}>
            {periodName(p, page.lang)}
          </option>
        ))}
      </select>
      {choices.agencies.length ? (
        <>
          <label for="loc-co-quan">{tr(page, "Cơ quan", "Agency")}</label>
          <select id="loc-co-quan" name="co-quan">
            <option value="">{tr(page, "Tất cả", "All")}</option>
            {choices.agencies.map((a) => (
              <option key={a.code} value={a.code} selected={a.code === f.agency}>
                {a.name}
              </option>
            ))}
          </select>
        </>
      ) : null}
      <label for="loc-thu-tuc">{tr(page, "Thủ tục", "Procedure")}</label>
      <select id="loc-thu-tuc" name="thu-tuc">
        <option value="">{tr(page, "Tất cả", "All")}</option>
        {choices.procedures.map((p) => (
          <option key={p} value={p} selected={p === f.procedure}>
            {p}
          </option>
        ))}
      </select>
      <label for="loc-kenh">{tr(page, "Kênh", "Channel")}</label>
      <select id="loc-kenh" name="kenh">
        <option value="">{tr(page, "Tất cả", "All")}</option>
        {CHANNELS.map((c) => (
          <option key={c} value={c} selected={c === f.channel}>
            {tr(page, CHANNEL_NAMES[c]!.vi, CHANNEL_NAMES[c]!.en)}
          </option>
        ))}
      </select>
      <button type="submit">{tr(page, "Xem", "Show")}</button>
    </form>
  );
}

/** The subscription to the monthly report, on the dashboard. */
export interface Subscription {
  subscribed: boolean;
  agency: string;
  csrf: string;
}

export function DashboardPage({ page, d, scopeName, choices, subscription }: { page: PageRequest; d: Dashboard; scopeName: string; choices: FilterChoices; subscription?: Subscription | undefined }) {
  const title = tr(page, "Bảng điều hành chỉ số", "Indicators dashboard");
  const query = filterQuery(d.filter);
  const behind = (indicator: BehindIndicator, extra: Record<string, string> = {}) => `${behindPath(indicator)}?${filterQuery(d.filter, extra)}`;
  return (
    <Layout page={page} variant="office" title={title} current={DASHBOARD_PATH}>
      <h1>{title}</h1>
      <p class="kpi-scope">
        {scopeName} — {periodName(d.filter.period, page.lang)} ({formatDate(d.summary.period.from, page.lang)} – {formatDate(d.summary.period.to, page.lang)})
      </p>
      <Filters page={page} f={d.filter} choices={choices} action={DASHBOARD_PATH} />
      {d.index766 !== null ? (
        <p class="kpi-headline">
          {tr(page, "Điểm Chỉ số 766", "Decision 766 points")}: <strong>{formatNumber(d.index766, page.lang)}</strong>
        </p>
      ) : null}
      <Charts page={page} d={d} />
      {d.tables.map((t) => (
        <TableView key={t.key} page={page} table={t} exportBase={`${DASHBOARD_PATH}/xuat`} query={query} behind={behind} />
      ))}
      {subscription ? (
        <form method="post" action={`${DASHBOARD_PATH}/bao-cao-thang`} class="kpi-subscription">
          <input type="hidden" name="_csrf" value={subscription.csrf} />
          <input type="hidden" name="co-quan" value={subscription.agency} />
          <input type="hidden" name="nhan" value={subscription.subscribed ? "0" : "1"} />
          <p>
            {subscription.subscribed
              ? tr(page, "Bạn đang nhận báo cáo tháng (PDF) qua thư điện tử.", "You receive the monthly report (PDF) by email.")
              : tr(page, "Bạn chưa nhận báo cáo tháng qua thư điện tử.", "You do not receive the monthly report by email.")}
          </p>
          <button type="submit">{subscription.subscribed ? tr(page, "Ngừng nhận báo cáo tháng", "Stop the monthly report") : tr(page, "Nhận báo cáo tháng", "Receive the monthly report")}</button>
        </form>
      ) : null}
    </Layout>
  );
}

export function BehindListPage({ page, f, indicator, result, here }: { page: PageRequest; f: DashboardFilter; indicator: BehindIndicator; result: { items: BehindItem[]; page: number; hasMore: boolean; total: number }; here: string }) {
  const name = INDICATOR_NAMES[indicator] ?? { vi: indicator, en: indicator };
  const title = `${tr(page, name.vi, name.en)} — ${periodName(f.period, page.lang)}`;
  const when = (v: string | null) => (v ? formatDate(new Date(v), page.lang) : "—");
  return (
    <Layout page={page} variant="office" title={title} current={DASHBOARD_PATH}>
      <p>
        <a href={`${DASHBOARD_PATH}?${filterQuery(f)}`}>{tr(page, "← Về bảng điều hành", "← Back to the dashboard")}</a>
      </p>
      <h1 id="behind-heading">{title}</h1>
      <p id="behind-total">{tr(page, `${formatNumber(result.total, "vi")} hồ sơ`, `${formatNumber(result.total, "en")} dossiers`)}</p>
      <p class="kpi-exports">
        <a href={`${DASHBOARD_PATH}/xuat/ho-so-${indicator}.csv?${filterQuery(f)}`} download>
          {tr(page, "Tải CSV danh sách", "Download the list as CSV")}
        </a>{" "}
        <a href={`${DASHBOARD_PATH}/xuat/ho-so-${indicator}.xlsx?${filterQuery(f)}`} download>
          {tr(page, "Tải Excel danh sách", "Download the list as Excel")}
        </a>
      </p>
      {result.items.length ? (
        <ScrollTable labelledBy="behind-heading">
          <table aria-labelledby="behind-heading">
            <thead>
              <tr>
                <th scope="col">{tr(page, "Mã hồ sơ", "Code")}</th>
                <th scope="col">{tr(page, "Thủ tục", "Procedure")}</th>
                <th scope="col">{tr(page, "Kênh", "Channel")}</th>
                <th scope="col">{tr(page, "Ngày tiếp nhận", "Received")}</th>
                <th scope="col">{tr(page, "Hạn trả kết quả", "Due")}</th>
                <th scope="col">{tr(page, "Ngày kết thúc", "Ended")}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((d) => (
                <tr key={d.dossierId}>
                  <th scope="row">
                    <a href={officeDossierPath(d.dossierId)}>{d.code ?? d.dossierId}</a>
                  </th>
                  <td>{d.procedureCode}</td>
                  <td>{CHANNEL_NAMES[d.channel] ? tr(page, CHANNEL_NAMES[d.channel]!.vi, CHANNEL_NAMES[d.channel]!.en) : d.channel}</td>
                  <td>{when(d.receivedAt)}</td>
                  <td>{when(d.dueAt)}</td>
                  <td>{when(d.endedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p>{tr(page, "Không có hồ sơ nào.", "No dossier.")}</p>
      )}
      <Pager page={page} result={result} link={(n) => ({ href: `${here}&trang=${n}` })} />
    </Layout>
  );
}

/** The public scorecard of a province: counts and ratios only, no link to any dossier. */
export function ScorecardPage({ page, d, provinceName, choices }: { page: PageRequest; d: Dashboard; provinceName: string; choices: FilterChoices }) {
  const title = tr(page, `Chỉ số phục vụ người dân, doanh nghiệp: ${provinceName}`, `Service scorecard: ${provinceName}`);
  const path = scorecardPath(d.filter.province!);
  return (
    <Layout page={page} variant="portal" title={title}>
      <h1>{title}</h1>
      <p class="kpi-scope">
        {periodName(d.filter.period, page.lang)} ({formatDate(d.summary.period.from, page.lang)} – {formatDate(d.summary.period.to, page.lang)})
      </p>
      <Filters page={page} f={{ ...d.filter, province: undefined }} choices={choices} action={path} />
      {d.index766 !== null ? (
        <p class="kpi-headline">
          {tr(page, "Điểm Chỉ số 766", "Decision 766 points")}: <strong>{formatNumber(d.index766, page.lang)}</strong>
        </p>
      ) : null}
      <Charts page={page} d={d} />
      {d.tables.map((t) => (
        <TableView key={t.key} page={page} table={t} exportBase={`${path}/xuat`} query={filterQuery({ ...d.filter, province: undefined })} />
      ))}
    </Layout>
  );
}
