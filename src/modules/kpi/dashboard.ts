// What the dashboards show, as tables: the headline counts (each linked to the dossiers behind it), the ratios, the
// Decision 766 groups, the months, the ranking of agencies, the procedures and the channels. The pages draw them,
// the exports write them (CSV, XLSX) with the same Vietnamese headers: one model, so every table shown has both.
import type { Actor } from "../../platform/auth/actor.ts";
import type { DirectoryService } from "../directory/index.ts";
import { namedPeriod } from "./period.ts";
import type { BehindIndicator, KpiService, Summary } from "./service.ts";

export type Cell = string | number | null;
export type ColumnKind = "text" | "count" | "percent" | "points" | "hours";

export interface KpiTable {
  key: string;
  title: { vi: string; en: string };
  columns: Array<{ vi: string; en: string; kind: ColumnKind }>;
  rows: Array<{ cells: Cell[]; /** The indicator whose dossiers a count cell lists, and the filter it adds. */ behind?: Array<{ indicator: BehindIndicator; extra?: Record<string, string> } | null> }>;
}

/** The filters of a dashboard, as the page's query names them. */
export interface DashboardFilter {
  /** `2026`, `2026-Q1` or `2026-03`. */
  period: string;
  agency?: string | undefined;
  province?: string | undefined;
  procedure?: string | undefined;
  channel?: string | undefined;
}

export interface Dashboard {
  filter: DashboardFilter;
  summary: Summary;
  index766: number | null;
  months: Array<{ name: string; received: number; onTimeRatio: number | null }>;
  tables: KpiTable[];
}

export const CHANNELS = ["online", "counter", "post"] as const;
export const CHANNEL_NAMES: Record<string, { vi: string; en: string }> = {
  online: { vi: "Trực tuyến", en: "Online" },
  counter: { vi: "Trực tiếp tại quầy", en: "At the counter" },
  post: { vi: "Bưu chính công ích", en: "By post" },
};

/** The headline counts, in order, with the indicator listing each one's dossiers. */
export const HEADLINE: Array<{ indicator: BehindIndicator; key: keyof Summary["counts"]; vi: string; en: string }> = [
  { indicator: "received", key: "received", vi: "Tiếp nhận", en: "Received" },
  { indicator: "online_received", key: "onlineReceived", vi: "Tiếp nhận trực tuyến", en: "Received online" },
  { indicator: "finished_early", key: "finishedEarly", vi: "Giải quyết trước hạn", en: "Finished early" },
  { indicator: "finished_on_time", key: "finishedOnTime", vi: "Giải quyết đúng hạn", en: "Finished on time" },
  { indicator: "finished_late", key: "finishedLate", vi: "Giải quyết quá hạn", en: "Finished late" },
  { indicator: "in_progress_on_time", key: "inProgressOnTime", vi: "Đang giải quyết trong hạn", en: "In progress, on time" },
  { indicator: "in_progress_overdue", key: "inProgressOverdue", vi: "Đang giải quyết quá hạn", en: "In progress, overdue" },
  { indicator: "refused", key: "refused", vi: "Từ chối giải quyết", en: "Refused" },
  { indicator: "withdrawn", key: "withdrawn", vi: "Rút hồ sơ", en: "Withdrawn" },
  { indicator: "refused_receipt", key: "refusedAtReceipt", vi: "Từ chối tiếp nhận", en: "Refused at the desk" },
  { indicator: "digitised", key: "digitised", vi: "Số hóa thành phần hồ sơ", en: "Papers digitised" },
  { indicator: "electronic_result", key: "electronicResults", vi: "Có kết quả điện tử", en: "Electronic results" },
];

/** The indicators' names (the drill-down's heading). */
export const INDICATOR_NAMES: Partial<Record<BehindIndicator, { vi: string; en: string }>> = Object.fromEntries(HEADLINE.map((h) => [h.indicator, { vi: h.vi, en: h.en }]));

/** `2026-03` → `T3/2026`, `2026-Q1` → `Quý 1/2026`, `2026` → `Năm 2026`. */
export function periodName(name: string, lang: "vi" | "en"): string {
  const m = /^(\d{4})-(\d{2})$/.exec(name);
  if (m) return lang === "vi" ? `T${Number(m[2])}/${m[1]}` : `${m[2]}/${m[1]}`;
  const q = /^(\d{4})-Q([1-4])$/.exec(name);
  if (q) return lang === "vi" ? `Quý ${q[2]}/${q[1]}` : `Q${q[2]} ${q[1]}`;
  return lang === "vi" ? `Năm ${name}` : name;
}

/** The twelve months ending with the period's last month, `YYYY-MM`. */
export function monthsEnding(period: string): string[] {
  const last = namedPeriod(period).to;
  let y = Number(last.slice(0, 4));
  let m = Number(last.slice(5, 7));
  const out: string[] = [];
  for (let i = 0; i < 12; i++) {
    out.unshift(`${y}-${String(m).padStart(2, "0")}`);
    if (--m === 0) [y, m] = [y - 1, 12];
  }
  return out;
}

/** The period's choices offered by the filter: the last 12 months, 8 quarters and 3 years before `today`. */
export function periodChoices(today: string): string[] {
  const y = Number(today.slice(0, 4));
  const q = Math.ceil(Number(today.slice(5, 7)) / 3);
  const quarters: string[] = [];
  for (let i = 0, yy = y, qq = q; i < 8; i++) {
    quarters.push(`${yy}-Q${qq}`);
    if (--qq === 0) [yy, qq] = [yy - 1, 4];
  }
  return [...quarters, ...monthsEnding(today.slice(0, 7)).reverse(), String(y), String(y - 1), String(y - 2)];
}

const scopeOf = (f: DashboardFilter) => ({ agency: f.agency, province: f.agency ? undefined : f.province });
const only = (f: DashboardFilter) => ({ procedure: f.procedure, channel: f.channel });

/** Everything a dashboard shows. Throws as the service does (KpiForbidden, InvalidPeriod). */
export async function dashboard(kpi: KpiService, directory: DirectoryService, actor: Actor, filter: DashboardFilter): Promise<Dashboard> {
  const period = namedPeriod(filter.period);
  const base = { ...scopeOf(filter), ...only(filter) };
  const summary = await kpi.summary(actor, { ...base, ...period });
  const index = await kpi.index766(actor, { ...scopeOf(filter), period: filter.period }).then((x) => x, () => null);
  const months = [];
  for (const name of monthsEnding(filter.period)) {
    const s = await kpi.summary(actor, { ...base, ...namedPeriod(name) });
    months.push({ name, received: s.counts.received, onTimeRatio: s.onTimeRatio });
  }
  const [byAgency, byProcedure, byChannel] = await Promise.all(
    (["agency", "procedure", "channel"] as const).map((by) => kpi.breakdown(actor, { ...base, ...period, by })),
  );
  const ranking = [];
  for (const row of byAgency!) {
    const name = await directory.agency(row.key).then((a) => a.name, () => row.key);
    const points = await kpi.index766(actor, { agency: row.key, period: filter.period }).then((x) => x.total, () => null);
    ranking.push({ code: row.key, name, received: row.counts.received, late: row.counts.finishedLate + row.counts.inProgressOverdue, onTimeRatio: row.onTimeRatio, points });
  }
  ranking.sort((a, b) => (b.points ?? -1) - (a.points ?? -1) || (b.onTimeRatio ?? -1) - (a.onTimeRatio ?? -1) || a.code.localeCompare(b.code));

  const c = summary.counts;
  const tables: KpiTable[] = [
    {
      key: "tong-hop",
      title: { vi: "Số hồ sơ", en: "Dossiers" },
      columns: [{ vi: "Chỉ tiêu", en: "Indicator", kind: "text" }, { vi: "Số hồ sơ", en: "Dossiers", kind: "count" }],
      rows: HEADLINE.map((h) => ({ cells: [h.vi, c[h.key] as number], behind: [null, { indicator: h.indicator }] })),
    },
    {
      key: "ty-le",
      title: { vi: "Tỷ lệ", en: "Ratios" },
      columns: [{ vi: "Chỉ tiêu", en: "Indicator", kind: "text" }, { vi: "Tỷ lệ", en: "Ratio", kind: "percent" }],
      rows: [
        ["Tỷ lệ giải quyết đúng hạn", summary.onTimeRatio],
        ["Tỷ lệ tiếp nhận trực tuyến", summary.onlineRatio],
        ["Tỷ lệ số hóa hồ sơ", summary.digitisedRatio],
        ["Tỷ lệ trả kết quả điện tử", summary.electronicResultRatio],
        ["Tỷ lệ hài lòng", summary.satisfactionRatio],
      ].map((cells) => ({ cells: cells as Cell[] })),
    },
    {
      key: "theo-thang",
      title: { vi: "Theo tháng", en: "By month" },
      columns: [{ vi: "Tháng", en: "Month", kind: "text" }, { vi: "Tiếp nhận", en: "Received", kind: "count" }, { vi: "Tỷ lệ đúng hạn", en: "On-time ratio", kind: "percent" }],
      rows: months.map((m) => ({ cells: [periodName(m.name, "vi"), m.received, m.onTimeRatio] })),
    },
    {
      key: "xep-hang",
      title: { vi: "Xếp hạng cơ quan", en: "Ranking of agencies" },
      columns: [
        { vi: "Hạng", en: "Rank", kind: "count" },
        { vi: "Cơ quan", en: "Agency", kind: "text" },
        { vi: "Mã cơ quan", en: "Code", kind: "text" },
        { vi: "Điểm Chỉ số 766", en: "Decision 766 points", kind: "points" },
        { vi: "Tỷ lệ đúng hạn", en: "On-time ratio", kind: "percent" },
        { vi: "Tiếp nhận", en: "Received", kind: "count" },
        { vi: "Quá hạn", en: "Late", kind: "count" },
      ],
      rows: ranking.map((r, i) => ({
        cells: [i + 1, r.name, r.code, r.points, r.onTimeRatio, r.received, r.late],
        behind: [null, null, null, null, null, { indicator: "received", extra: { "co-quan": r.code } }, null],
      })),
    },
    {
      key: "thu-tuc",
      title: { vi: "Theo thủ tục", en: "By procedure" },
      columns: [
        { vi: "Mã thủ tục", en: "Procedure", kind: "text" },
        { vi: "Tiếp nhận", en: "Received", kind: "count" },
        { vi: "Giải quyết quá hạn", en: "Finished late", kind: "count" },
        { vi: "Tỷ lệ đúng hạn", en: "On-time ratio", kind: "percent" },
        { vi: "Thời gian xử lý trung bình (giờ)", en: "Average processing (hours)", kind: "hours" },
      ],
      rows: byProcedure!.map((r) => ({
        cells: [r.key, r.counts.received, r.counts.finishedLate, r.onTimeRatio, summary.procedures.find((p) => p.procedureCode === r.key)?.averageProcessingHours ?? null],
        behind: [null, { indicator: "received", extra: { "thu-tuc": r.key } }, { indicator: "finished_late", extra: { "thu-tuc": r.key } }, null, null],
      })),
    },
    {
      key: "kenh",
      title: { vi: "Theo kênh tiếp nhận", en: "By channel" },
      columns: [{ vi: "Kênh", en: "Channel", kind: "text" }, { vi: "Tiếp nhận", en: "Received", kind: "count" }, { vi: "Tỷ lệ đúng hạn", en: "On-time ratio", kind: "percent" }],
      rows: byChannel!.map((r) => ({ cells: [CHANNEL_NAMES[r.key]?.vi ?? r.key, r.counts.received, r.onTimeRatio], behind: [null, { indicator: "received", extra: { kenh: r.key } }, null] })),
    },
  ];
  if (index) {
    tables.splice(2, 0, {
      key: "chi-so-766",
      title: { vi: "Chỉ số 766", en: "Decision 766 index" },
      columns: [{ vi: "Nhóm chỉ số", en: "Group", kind: "text" }, { vi: "Điểm", en: "Points", kind: "points" }, { vi: "Điểm tối đa", en: "Maximum", kind: "points" }],
      rows: [...index.groups.map((g) => ({ cells: [g.label.vi, g.points, g.maxPoints] as Cell[] })), { cells: ["Tổng điểm", index.total, index.groups.reduce((s, g) => s + g.maxPoints, 0)] }],
    });
  }
  return { filter, summary, index766: index?.total ?? null, months, tables };
}
