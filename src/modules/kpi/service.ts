// The statistics' use cases: the summary of a scope and period, the Decision 766 index, breakdowns, the dossiers
// behind a count, the rollups' fold and rebuild, and the formula versions.
import { type Actor, actorRef, OFFICER_ROLES } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import type { CatalogService } from "../catalog/index.ts";
import type { DirectoryService } from "../directory/index.ts";
import { type Aggregate, aggregateOf, averageHours, countsBy, inputsOf, onTimeRatio, ratio, type CatalogCounts, type Counts } from "./compute.ts";
import { FormulaExists, InvalidFormula, KpiForbidden, NoFormula } from "./errors.ts";
import { contributions, type KpiFact, type Measure } from "./facts.ts";
import { evaluate, type FormulaVersion, formulaProblems, type GroupScore, type Inputs } from "./formulas.ts";
import { closedThrough, dayAfter, monthEnd, namedPeriod, type Period, periodEnd, periodOf, periodStart } from "./period.ts";
import { maySeeDossier, resolveScope, type Scope } from "./policy.ts";
import { rebuildRollups } from "./rebuild.ts";
import * as repo from "./repo.ts";
import type { Targets } from "./targets.ts";

export interface KpiQuery {
  agency?: string | undefined;
  province?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Only this procedure's dossiers (a code of the catalogue). */
  procedure?: string | undefined;
  /** Only the dossiers filed through this channel (`online`, `counter`, `post`). */
  channel?: string | undefined;
}

export interface Summary {
  scope: { agency: string | null; province: string | null };
  period: Period;
  counts: Counts;
  onTimeRatio: number | null;
  onlineRatio: number | null;
  paidOnlineRatio: number | null;
  digitisedRatio: number | null;
  electronicResultRatio: number | null;
  satisfactionRatio: number | null;
  averageProcessingHours: number | null;
  procedures: Array<{ procedureCode: string; finished: number; averageProcessingHours: number | null; onTimeRatio: number | null }>;
  targets: Array<{ indicator: string; actual: number | null; target: number; edition: string; source: string }>;
}

export interface Index766 {
  scope: { agency: string | null; province: string | null };
  period: Period & { name: string };
  formula: { version: string; validFrom: string; source: FormulaVersion["source"] };
  inputs: Inputs;
  groups: GroupScore[];
  total: number;
}

/** By procedure, receiving agency, competent agency or channel. */
export type BreakdownBy = "procedure" | "agency" | "competent" | "channel";

/** The indicators whose dossiers `dossiersBehind` lists. */
export const BEHIND = [
  "received",
  "finished_early",
  "finished_on_time",
  "finished_late",
  "in_progress_on_time",
  "in_progress_overdue",
  "refused",
  "stopped",
  "withdrawn",
  "refused_receipt",
  "online_received",
  "electronic_result",
  "digitised",
] as const;
export type BehindIndicator = (typeof BEHIND)[number];
/** The most dossiers an export of the list behind a count holds. */
export const BEHIND_EXPORT_MAX = 10_000;

export interface BehindItem {
  dossierId: string;
  code: string | null;
  procedureCode: string;
  agencyCode: string;
  competentAgencyCode: string;
  channel: string;
  receivedAt: string | null;
  dueAt: string | null;
  endedAt: string | null;
  timeliness: string | null;
}

export interface KpiService {
  /** The counts and ratios of a scope and period, with the Resolution 17 targets beside them. Throws KpiForbidden, InvalidPeriod. */
  summary(actor: Actor, query: KpiQuery): Promise<Summary>;
  /** The Decision 766 index of a scope for a named period (`2026-Q3`), by the formula version in force on its first day. Throws KpiForbidden, InvalidPeriod, NoFormula. */
  index766(actor: Actor, query: { agency?: string | undefined; province?: string | undefined; period: string }): Promise<Index766>;
  /** The counts of a scope and period per procedure, receiving agency or channel. Throws as `summary`. */
  breakdown(actor: Actor, query: KpiQuery & { by: BreakdownBy }): Promise<Array<{ key: string; counts: Counts; onTimeRatio: number | null }>>;
  /**
   * The dossiers a count of `summary` counted, those the caller may see, by code: a page, or with `all` the first
   * BEHIND_EXPORT_MAX (an export). Throws as `summary`.
   */
  dossiersBehind(actor: Actor, indicator: BehindIndicator, query: KpiQuery & { page?: number; pageSize?: number; all?: boolean }): Promise<{ items: BehindItem[]; page: number; pageSize: number; hasMore: boolean; total: number }>;
  /** Folds the deltas into the rollups; returns the rollup rows touched. */
  fold(): Promise<number>;
  /** Recomputes the rollups from the facts' log (dossier changes wait meanwhile). Throws KpiForbidden. */
  rebuild(actor: Actor): Promise<{ dossiers: number; events: number; rows: number }>;
  formulaVersions(): Promise<FormulaVersion[]>;
  /** Adds a formula version. Throws KpiForbidden, InvalidFormula, FormulaExists. */
  addFormulaVersion(actor: Actor, candidate: unknown): Promise<FormulaVersion>;
}

export interface KpiDeps {
  database: Database;
  clock: Clock;
  directory: DirectoryService;
  catalog: Pick<CatalogService, "search">;
  targets: Targets;
}

/** The closed periods' aggregates a node keeps (a few hundred bytes each). */
const CACHE_MAX = 2000;

const isProgram = (a: Actor) => a.type === "cli" || a.type === "system" || (a.type === "user" && a.roles.some((g) => g.role === "system_admin"));

export function makeKpiService(deps: KpiDeps): KpiService {
  const { database, clock, directory, catalog, targets } = deps;
  const db = database.db;

  /**
   * A closed period's aggregates (its last day at or before `closedThrough`) by scope, period, procedure and channel,
   * with the rollups' epoch they were read at: good while the epoch stays the same (tables.ts `kpiRollupsEpoch`).
   * An open period is read each time. At most CACHE_MAX kept, the oldest dropped first.
   */
  const closed = new Map<string, { epoch: number; aggregate: Aggregate }>();

  async function aggregateOfScope(scope: Scope, period: Period, query: KpiQuery): Promise<Aggregate> {
    const filters = { procedure: query.procedure || undefined, channel: query.channel || undefined };
    const read = async () => aggregateOf(await repo.totals(db, scope, period.from, period.to, { by: [], ...filters }));
    if (period.to > closedThrough(clock.now())) return read();
    const key = JSON.stringify([scope.province, scope.agencySuffix, period.from, period.to, filters.procedure ?? null, filters.channel ?? null]);
    // The epoch before the sums: a recomputation committed between them leaves an entry older than its data, never newer.
    const epoch = await repo.rollupsEpoch(db);
    const kept = closed.get(key);
    if (kept && kept.epoch === epoch) return kept.aggregate;
    const aggregate = await read();
    closed.delete(key);
    closed.set(key, { epoch, aggregate });
    if (closed.size > CACHE_MAX) closed.delete(closed.keys().next().value!);
    return aggregate;
  }

  async function rowsOf(actor: Actor, query: KpiQuery, period: Period, roles?: readonly string[]) {
    const scope = await resolveScope(actor, query, directory, roles as never);
    const rows = await repo.totals(db, scope, period.from, period.to, { procedure: query.procedure || undefined, channel: query.channel || undefined });
    return { scope, rows };
  }
  const scopeDto = (s: Scope) => ({ agency: s.agencySuffix ? s.root : null, province: s.province });

  /** The published procedures under the scope's agency, from the catalogue's search (every one is offered online). */
  async function catalogCounts(scope: Scope): Promise<CatalogCounts> {
    const out: CatalogCounts = { procedures: 0, onlineProcedures: 0, feeProcedures: new Set(), onlineProcedureCodes: new Set() };
    if (!scope.root) return out;
    for (let page = 1; page <= 100; page++) {
      const res = await catalog.search({ agency: scope.root, page, pageSize: 100 });
      for (const p of res.items) {
        out.procedures++;
        out.onlineProcedures++;
        out.onlineProcedureCodes.add(p.code);
        if (p.fees.some((f) => f.amount > 0)) out.feeProcedures.add(p.code);
      }
      if (!res.hasMore) break;
    }
    return out;
  }

  async function versionFor(day: string): Promise<FormulaVersion> {
    const versions = await repo.formulaVersions(db);
    const found = versions.filter((v) => v.validFrom <= day).at(-1);
    if (!found) throw new NoFormula(day);
    return found;
  }

  return {
    async summary(actor, query) {
      const period = periodOf(query.from, query.to, clock.now());
      const scope = await resolveScope(actor, query, directory);
      const a = await aggregateOfScope(scope, period, query);
      const c = a.counts;
      const ratings = c.ratings.verySatisfied + c.ratings.satisfied + c.ratings.unsatisfied;
      const finished = c.finishedEarly + c.finishedOnTime + c.finishedLate;
      const onlineRatio = ratio(c.onlineReceived, c.received);
      const actual: Record<string, number | null> = { onlineRatio, authenticatedRatio: ratio(c.vneid, c.onlineReceived) };
      const edition = targets.editionFor(period.from);
      return {
        scope: scopeDto(scope),
        period,
        counts: c,
        onTimeRatio: onTimeRatio(c),
        onlineRatio,
        paidOnlineRatio: ratio(c.paidOnline, c.feeBearing),
        digitisedRatio: ratio(c.digitised, c.received),
        electronicResultRatio: ratio(c.electronicResults, finished),
        satisfactionRatio: ratio(c.ratings.verySatisfied + c.ratings.satisfied, ratings),
        averageProcessingHours: averageHours(c),
        procedures: [...a.byProcedure]
          .map(([procedureCode, pc]) => ({
            procedureCode,
            finished: pc.finishedEarly + pc.finishedOnTime + pc.finishedLate,
            averageProcessingHours: averageHours(pc),
            onTimeRatio: onTimeRatio(pc),
          }))
          .sort((a, b) => a.procedureCode.localeCompare(b.procedureCode)),
        targets: edition
          ? Object.entries(edition.targets).map(([indicator, target]) => ({ indicator, actual: actual[indicator] ?? null, target, edition: edition.label, source: targets.source }))
          : [],
      };
    },

    async index766(actor, query) {
      const period = namedPeriod(query.period);
      const scope = await resolveScope(actor, query, directory);
      const formula = await versionFor(period.from);
      const inputs = inputsOf(await aggregateOfScope(scope, period, {}), await catalogCounts(scope));
      const { groups, total } = evaluate(formula, inputs);
      return {
        scope: scopeDto(scope),
        period: { ...period, name: query.period },
        formula: { version: formula.version, validFrom: formula.validFrom, source: formula.source },
        inputs,
        groups,
        total,
      };
    },

    async breakdown(actor, query) {
      const period = periodOf(query.from, query.to, clock.now());
      const { rows } = await rowsOf(actor, query, period);
      const keys: Record<BreakdownBy, (r: repo.TotalRow) => string> = { procedure: (r) => r.procedure, agency: (r) => r.agency, competent: (r) => r.competent, channel: (r) => r.channel };
      const key = keys[query.by];
      return [...countsBy(rows, key)].map(([k, counts]) => ({ key: k, counts, onTimeRatio: onTimeRatio(counts) })).sort((a, b) => a.key.localeCompare(b.key));
    },

    async dossiersBehind(actor, indicator, query) {
      const period = periodOf(query.from, query.to, clock.now());
      const scope = await resolveScope(actor, query, directory, OFFICER_ROLES);
      const facts = await repo.factsAt(db, scope, {
        start: periodStart(period),
        end: periodEnd(period),
        stock: STOCK[indicator] !== undefined,
        procedure: query.procedure,
        channel: query.channel,
      });
      const matching = facts.filter(({ fact }) => counts(fact, indicator, period) > 0 && (maySeeDossier(actor, fact.agency) || maySeeDossier(actor, fact.competent)));
      matching.sort((a, b) => (a.fact.code ?? a.dossierId).localeCompare(b.fact.code ?? b.dossierId));
      const page = query.page ?? 1;
      // An export takes them all at once (up to BEHIND_EXPORT_MAX), from the one query above.
      const pageSize = query.all ? BEHIND_EXPORT_MAX : Math.min(query.pageSize ?? 20, 100);
      const slice = matching.slice((page - 1) * pageSize, page * pageSize);
      const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
      return {
        items: slice.map(({ dossierId, fact: f }) => ({
          dossierId,
          code: f.code,
          procedureCode: f.procedure,
          agencyCode: f.agency,
          competentAgencyCode: f.competent,
          channel: f.channel,
          receivedAt: iso(f.receivedAt),
          dueAt: iso(f.dueAt),
          endedAt: iso(f.endedAt),
          timeliness: f.timeliness,
        })),
        page,
        pageSize,
        hasMore: page * pageSize < matching.length,
        total: matching.length,
      };
    },

    fold: () =>
      database.transaction(async (tx) => {
        const rows = await repo.fold(tx);
        await repo.snapshotStocks(tx, closedThrough(clock.now()), { monthEnd, dayAfter });
        return rows;
      }),

    async rebuild(actor) {
      if (!isProgram(actor)) throw new KpiForbidden();
      return database.transaction((tx) => rebuildRollups(tx));
    },

    formulaVersions: () => repo.formulaVersions(db),

    async addFormulaVersion(actor, candidate) {
      if (!isProgram(actor)) throw new KpiForbidden();
      const problems = formulaProblems(candidate);
      if (problems.length) throw new InvalidFormula(problems);
      const v = candidate as FormulaVersion;
      const { version, validFrom, ...body } = v;
      const added = await database.transaction((tx) => repo.insertFormulaVersion(tx, { version, validFrom, body, addedBy: actorRef(actor), addedAt: clock.now() }));
      if (!added) throw new FormulaExists(version);
      return v;
    },
  };
}

const STOCK: Partial<Record<BehindIndicator, Measure[]>> = { in_progress_overdue: ["overdue"], in_progress_on_time: ["open"] };

/** How much one dossier's fact (at the period's end) counts for an indicator. */
function counts(f: KpiFact, indicator: BehindIndicator, period: Period): number {
  const cs = contributions(f);
  const sumOf = (m: Measure, flow: boolean) => cs.filter((c) => c.measure === m && c.day <= period.to && (!flow || c.day >= period.from)).reduce((s, c) => s + c.n, 0);
  if (STOCK[indicator]) {
    const open = sumOf("open", false);
    const overdue = sumOf("overdue", false);
    return indicator === "in_progress_overdue" ? overdue : open - overdue;
  }
  return sumOf(indicator as Measure, true);
}
