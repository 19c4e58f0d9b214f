// The dashboards' pages (issue 17, items 4 and 5): a leader's dashboard of their agency's subtree, a supervisor's of
// the province (`?tinh=`), the dossiers behind a count, every table as CSV and XLSX, and the public scorecard of a
// province (`/chi-so/{province}`: counts and ratios only, kept ten minutes).
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Actor, systemActor } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import { OFFICERS, PUBLIC, rolesOnly } from "../../platform/http/access.ts";
import type { App } from "../../platform/http/types.ts";
import { Type } from "../../platform/typebox.ts";
import { csrfToken } from "../../web/cookies.ts";
import { FormText, pageQuery, pageSchema } from "../../web/forms.ts";
import { registerPageErrors } from "../../web/page-errors.tsx";
import { pageNumber } from "../../web/pager.tsx";
import { sendPage } from "../../web/render.ts";
import { partyPage } from "../../web/routes.tsx";
import { isoDate, localDay } from "../calendar/index.ts";
import { agencyLevel, type DirectoryService, isAgencyCode } from "../directory/index.ts";
import { CHANNELS, type Dashboard, dashboard, type DashboardFilter, type KpiTable, periodChoices, periodName } from "./dashboard.ts";
import { namedPeriod } from "./period.ts";
import { exportTable, type ExportFormat } from "./exports.ts";
import { FIGURE_ROLES } from "./policy.ts";
import { BEHIND, type BehindIndicator, type KpiService } from "./service.ts";
import type { Subscriptions } from "./subscriptions.ts";
import { BehindListPage, DASHBOARD_PATH, DashboardPage, type FilterChoices, ScorecardPage } from "./views.tsx";

export interface KpiPageDeps {
  kpi: KpiService;
  directory: DirectoryService;
  clock: Clock;
  subscriptions?: Subscriptions | undefined;
}

const FIGURES = rolesOnly(...FIGURE_ROLES);
const Filter = Type.Object({ ky: FormText(), tinh: FormText(), "co-quan": FormText(), "thu-tuc": FormText({ maxLength: 40 }), kenh: FormText(), trang: FormText() });
const DashboardQuery = pageSchema({ querystring: Filter });
const BehindQuery = pageSchema({ params: Type.Object({ indicator: Type.String() }), querystring: Filter });
const ExportQuery = pageSchema({ params: Type.Object({ file: Type.String() }), querystring: Filter });
const ScorecardQuery = pageSchema({ params: Type.Object({ province: Type.String() }), querystring: Filter });
const ScorecardExport = pageSchema({ params: Type.Object({ province: Type.String(), file: Type.String() }), querystring: Filter });
const PERIOD = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;
const PUBLIC_TTL_MS = 10 * 60_000;

/** The quarter `now` falls in, as a period's name. */
export function currentQuarter(now: Date): string {
  const today = isoDate(localDay(now.getTime()));
  return `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
}

/** The filter a query asks for; what does not read as a filter is left out. */
function filterOf(q: Partial<Record<string, string | undefined>>, now: Date): DashboardFilter {
  const pick = (v: string | undefined, ok: (s: string) => boolean) => (v && ok(v) ? v : undefined);
  return {
    period: pick(q.ky, (s) => PERIOD.test(s)) ?? currentQuarter(now),
    province: pick(q.tinh, (s) => /^\d{2}$/.test(s)),
    agency: pick(q["co-quan"], isAgencyCode),
    procedure: pick(q["thu-tuc"]?.trim(), (s) => /^[\w.-]{1,40}$/.test(s)),
    channel: pick(q.kenh, (s) => (CHANNELS as readonly string[]).includes(s)),
  };
}

/** A file's name split into the table and the format (`xep-hang.xlsx`), or null. */
function exportName(file: string): { key: string; format: ExportFormat } | null {
  const m = /^([a-z0-9_-]{1,40})\.(csv|xlsx)$/.exec(file);
  return m ? { key: m[1]!, format: m[2] as ExportFormat } : null;
}

async function sendExport(reply: FastifyReply, table: KpiTable, format: ExportFormat, subtitle: string, name: string) {
  const file = await exportTable(table, format, subtitle, name);
  return reply.header("content-type", file.type).header("content-disposition", `attachment; filename="${file.filename}"`).send(file.body);
}

export function kpiPages(deps: KpiPageDeps) {
  const { kpi, directory, clock, subscriptions } = deps;
  const publicCache = new Map<string, { at: number; d: Dashboard }>();
  const publicBuilds = new Map<string, Promise<Dashboard>>();

  /** The agencies a filter offers: the scope's root and the agencies ranked under it. */
  async function choicesOf(d: Dashboard): Promise<FilterChoices> {
    const ranked = d.tables.find((t) => t.key === "xep-hang")?.rows.map((r) => ({ code: String(r.cells[2]), name: String(r.cells[1]) })) ?? [];
    const procedures = d.tables.find((t) => t.key === "thu-tuc")?.rows.map((r) => String(r.cells[0])) ?? [];
    return { periods: periodChoices(isoDate(localDay(clock.now().getTime()))), agencies: ranked.sort((a, b) => a.name.localeCompare(b.name, "vi")), procedures };
  }

  async function scopeName(d: Dashboard): Promise<string> {
    const code = d.filter.agency ?? d.summary.scope.agency;
    if (code) return directory.agency(code).then((a) => a.name, () => code);
    const p = d.summary.scope.province;
    return (await directory.provinces()).find((x) => x.code === p)?.name ?? p ?? "";
  }

  /**
   * The public dashboard of a province, computed at most once in ten minutes per filter, and only for the filters the
   * page offers (the periods of its list, a channel): anyone may ask, so a made-up period or procedure must not cost a
   * dashboard each; a build in progress is shared by those who ask meanwhile.
   */
  async function publicDashboard(province: string, asked: DashboardFilter): Promise<Dashboard> {
    const now = clock.now();
    const period = periodChoices(isoDate(localDay(now.getTime()))).includes(asked.period) ? asked.period : currentQuarter(now);
    const f: DashboardFilter = { period, province, ...(asked.channel ? { channel: asked.channel } : {}) };
    const key = JSON.stringify(f);
    const hit = publicCache.get(key);
    if (hit && now.getTime() - hit.at < PUBLIC_TTL_MS) return hit.d;
    const pending = publicBuilds.get(key);
    if (pending) return pending;
    const build = dashboard(kpi, directory, systemActor("kpi-scorecard"), f).finally(() => publicBuilds.delete(key));
    publicBuilds.set(key, build);
    const d = await build;
    // No count on the public page links to a dossier; a name of a person is never in the tables (codes, counts).
    if (publicCache.size >= 500) publicCache.delete(publicCache.keys().next().value!);
    publicCache.set(key, { at: now.getTime(), d });
    return d;
  }

  async function subscriptionOf(actor: Actor, d: Dashboard, request: FastifyRequest, reply: FastifyReply) {
    if (!subscriptions || actor.type !== "user") return undefined;
    const agency = d.summary.scope.agency ?? actor.roles.find((g) => FIGURE_ROLES.includes(g.role) && agencyLevel(g.agencyCode) === 1)?.agencyCode;
    if (!agency) return undefined;
    return { agency, subscribed: await subscriptions.has(actor.userId, agency), csrf: csrfToken(request, reply) };
  }

  return async (app: App) => {
    registerPageErrors(app, { signInReturn: DASHBOARD_PATH, signIn: "office", back: { href: DASHBOARD_PATH, vi: "Bảng điều hành chỉ số", en: "Indicators dashboard" } });
    app.addHook("onSend", async (request, reply, payload) => {
      const path = request.url.split("?")[0] ?? "";
      if (path.startsWith(`${DASHBOARD_PATH}`)) void reply.header("cache-control", "private, no-store");
      else if (path.startsWith("/chi-so/") && reply.statusCode === 200) void reply.header("cache-control", "public, max-age=600");
      return payload;
    });

    app.get(DASHBOARD_PATH, { config: { access: FIGURES }, ...DashboardQuery }, async (request, reply) => {
      const f = filterOf(pageQuery(request), clock.now());
      const d = await dashboard(kpi, directory, request.actor, f);
      const page = partyPage(request, reply, "office");
      return sendPage(reply, <DashboardPage page={page} d={d} scopeName={await scopeName(d)} choices={await choicesOf(d)} subscription={await subscriptionOf(request.actor, d, request, reply)} />);
    });

    app.get(`${DASHBOARD_PATH}/ho-so/:indicator`, { config: { access: OFFICERS }, ...BehindQuery }, async (request, reply) => {
      const indicator = request.params.indicator as BehindIndicator;
      if (!BEHIND.includes(indicator)) return reply.callNotFound();
      const q = pageQuery(request);
      const f = filterOf(q, clock.now());
      const result = await kpi.dossiersBehind(request.actor, indicator, { ...scope(f), ...periodOf(f), procedure: f.procedure, channel: f.channel, page: pageNumber(q.trang), pageSize: 50 });
      const here = `${DASHBOARD_PATH}/ho-so/${indicator}?${new URLSearchParams(Object.entries(q).filter(([k, v]) => k !== "trang" && v) as [string, string][]).toString()}`;
      return sendPage(reply, <BehindListPage page={partyPage(request, reply, "office")} f={f} indicator={indicator} result={result} here={here} />);
    });

    app.get(`${DASHBOARD_PATH}/xuat/:file`, { config: { access: OFFICERS }, ...ExportQuery }, async (request, reply) => {
      const name = exportName(request.params.file);
      if (!name) return reply.callNotFound();
      const f = filterOf(pageQuery(request), clock.now());
      const behind = /^ho-so-(.+)$/.exec(name.key)?.[1] as BehindIndicator | undefined;
      if (behind) {
        if (!BEHIND.includes(behind)) return reply.callNotFound();
        return sendExport(reply, await behindTable(f, behind, request.actor), name.format, periodName(f.period, "vi"), `${name.key}-${f.period}`);
      }
      const d = await dashboard(kpi, directory, request.actor, f);
      const table = d.tables.find((t) => t.key === name.key);
      if (!table) return reply.callNotFound();
      return sendExport(reply, table, name.format, `${await scopeName(d)}, ${periodName(f.period, "vi")}`, `${name.key}-${f.period}`);
    });

    app.get("/chi-so/:province", { config: { access: PUBLIC }, ...ScorecardQuery }, async (request, reply) => {
      const province = (await directory.provinces()).find((p) => p.code === request.params.province);
      if (!province) return reply.callNotFound();
      const d = await publicDashboard(province.code, filterOf(pageQuery(request), clock.now()));
      return sendPage(reply, <ScorecardPage page={partyPage(request, reply, "portal")} d={d} provinceName={province.name} choices={{ ...(await choicesOf(d)), agencies: [] }} />);
    });

    app.get("/chi-so/:province/xuat/:file", { config: { access: PUBLIC }, ...ScorecardExport }, async (request, reply) => {
      const province = (await directory.provinces()).find((p) => p.code === request.params.province);
      const name = exportName(request.params.file);
      if (!province || !name) return reply.callNotFound();
      const f = filterOf(pageQuery(request), clock.now());
      const table = (await publicDashboard(province.code, f)).tables.find((t) => t.key === name.key);
      if (!table) return reply.callNotFound();
      return sendExport(reply, table, name.format, `${province.name}, ${periodName(f.period, "vi")}`, `${name.key}-${province.code}-${f.period}`);
    });

    if (subscriptions) subscriptions.routes(app, { access: FIGURES, back: DASHBOARD_PATH });
  };

  /** Every dossier behind a count (up to BEHIND_EXPORT_MAX), as an exported table. */
  async function behindTable(f: DashboardFilter, indicator: BehindIndicator, actor: Actor): Promise<KpiTable> {
    // One query: every dossier at once (up to BEHIND_EXPORT_MAX), not a page at a time.
    const res = await kpi.dossiersBehind(actor, indicator, { ...scope(f), ...periodOf(f), procedure: f.procedure, channel: f.channel, all: true });
    const day = (v: string | null) => (v ? isoDate(localDay(new Date(v).getTime())) : null);
    const rows: KpiTable["rows"] = res.items.map((d) => ({ cells: [d.code ?? d.dossierId, d.procedureCode, d.agencyCode, d.channel, day(d.receivedAt), day(d.dueAt), day(d.endedAt)] }));
    return {
      key: `ho-so-${indicator}`,
      title: { vi: "Danh sách hồ sơ", en: "Dossiers" },
      columns: ["Mã hồ sơ", "Mã thủ tục", "Cơ quan tiếp nhận", "Kênh", "Ngày tiếp nhận", "Hạn trả kết quả", "Ngày kết thúc"].map((vi) => ({ vi, en: vi, kind: "text" as const })),
      rows,
    };
  }
}

const scope = (f: DashboardFilter) => ({ agency: f.agency, province: f.agency ? undefined : f.province });
const periodOf = (f: DashboardFilter) => namedPeriod(f.period);
