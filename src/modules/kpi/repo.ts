// The only SQL of the statistics' tables.
import type { SQL } from "drizzle-orm";
import { and, asc, desc, eq, sql } from "../../platform/db/drizzle.ts";
import { type Db, execRows, literal, literalInsert, prepared, runAtCommit } from "../../platform/db/index.ts";
import type { DeltaRow, KpiFact } from "./facts.ts";
import type { FormulaVersion, FormulaVersionBody } from "./formulas.ts";
import { kpiDeltas, kpiFacts, kpiFormulaVersions, kpiReportSends, kpiReportSubscriptions, kpiRollups, kpiRollupsEpoch, kpiRollupsMonthly, kpiStockSnapshots } from "./tables.ts";

const p = sql.placeholder;

const lastFactOf = prepared("kpi_last_fact", (db, name) =>
  db.select({ fact: kpiFacts.fact }).from(kpiFacts).where(eq(kpiFacts.dossierId, p("dossierId"))).orderBy(desc(kpiFacts.id)).limit(1).prepare(name),
);

/** The statistics' fact of a dossier after its last event heard, or null. */
export async function lastFact(db: Db, dossierId: string): Promise<KpiFact | null> {
  const [row] = await lastFactOf(db).execute({ dossierId });
  return row?.fact ?? null;
}

/** The deltas' rows as one INSERT. */
function deltasInsert(rows: DeltaRow[]): string {
  const values = rows.map(
    (r) => `(${literal(r.province)}, ${literal(r.agency)}, ${literal(r.competent)}, ${literal(r.procedure)}, ${literal(r.channel)}, ${literal(r.day)}, ${literal(r.measure)}, ${literal(r.n)})`,
  );
  return `INSERT INTO kpi_deltas (province_code, agency_code, competent_agency_code, procedure_code, channel, day, measure, n) VALUES ${values.join(", ")}`;
}

/**
 * Writes an event's fact and its deltas with the transaction's COMMIT (no round trip of their own), or at once
 * outside a transaction opened by `Database.transaction`.
 */
export async function record(tx: Db, entry: { dossierId: string; at: Date; fact: KpiFact }, deltas: DeltaRow[]): Promise<void> {
  const statements = [literalInsert(kpiFacts, { dossierId: entry.dossierId, provinceCode: entry.fact.province, at: entry.at, fact: entry.fact })];
  if (deltas.length) statements.push(deltasInsert(deltas));
  for (const s of statements) if (!runAtCommit(tx, s)) await tx.execute(sql.raw(s));
}

/**
 * Folds every committed delta into the rollups, in one statement (a reader sees the rows before or after, never
 * both). One fold at a time (an advisory lock of the transaction); a delta committed meanwhile waits for the next.
 */
export async function fold(tx: Db): Promise<number> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('kpi.fold'))`);
  const rows = await execRows<{ n: number }>(
    tx,
    sql`WITH moved AS (DELETE FROM kpi_deltas RETURNING province_code, agency_code, competent_agency_code, procedure_code, channel, day, measure, n),
      -- The daily and the monthly rollups from the same deltas (a WITH's INSERT runs whether or not it is read).
      folded AS (
        INSERT INTO kpi_rollups (province_code, agency_code, competent_agency_code, procedure_code, channel, day, measure, n)
        SELECT province_code, agency_code, competent_agency_code, procedure_code, channel, day, measure, sum(n) FROM moved
        GROUP BY province_code, agency_code, competent_agency_code, procedure_code, channel, day, measure
        ON CONFLICT (province_code, day, agency_code, competent_agency_code, procedure_code, channel, measure) DO UPDATE SET n = kpi_rollups.n + EXCLUDED.n
        RETURNING 1),
      monthly AS (
        INSERT INTO kpi_rollups_monthly (province_code, agency_code, competent_agency_code, procedure_code, channel, month, measure, n)
        SELECT province_code, agency_code, competent_agency_code, procedure_code, channel, date_trunc('month', day)::date, measure, sum(n) FROM moved
        GROUP BY province_code, agency_code, competent_agency_code, procedure_code, channel, date_trunc('month', day)::date, measure
        ON CONFLICT (province_code, month, agency_code, competent_agency_code, procedure_code, channel, measure) DO UPDATE SET n = kpi_rollups_monthly.n + EXCLUDED.n)
      SELECT count(*)::int AS n FROM folded`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Where a figure is taken: a province, an agency's subtree (by its codes' shared suffix: the dossiers received or
 * handled in it), or both.
 */
export interface ScopeFilter {
  province: string | null;
  agencySuffix: string | null;
}

export interface TotalRow {
  measure: string;
  procedure: string;
  channel: string;
  agency: string;
  competent: string;
  /** The sum over the period's days. */
  inPeriod: number;
  /** The sum over every day up to the period's end (a stock's value at its end). */
  toEnd: number;
}

/** The dimensions `totals` may group by besides the measure and the procedure. */
export type TotalDim = "channel" | "agency" | "competent";
const DIM_COLUMN: Record<TotalDim, string> = { channel: "channel", agency: "agency_code", competent: "competent_agency_code" };

/**
 * The rollups and the deltas not yet folded, summed per measure, procedure and the dimensions `by` names (all of
 * them by default; one left out comes back as "") over [from, to] (flows) and over every day up to `to` (stocks),
 * of the procedure and the channel asked. Grouping by only what a caller needs sends it a few rows, not thousands.
 */
export async function totals(
  db: Db,
  scope: ScopeFilter,
  from: string,
  to: string,
  opts: { by?: readonly TotalDim[]; procedure?: string | undefined; channel?: string | undefined } = {},
): Promise<TotalRow[]> {
  const by = opts.by ?? (["channel", "agency", "competent"] as const);
  const where: SQL[] = [];
  if (scope.province) where.push(sql`province_code = ${scope.province}`);
  if (opts.procedure !== undefined) where.push(sql`procedure_code = ${opts.procedure}`);
  if (opts.channel !== undefined) where.push(sql`channel = ${opts.channel}`);
  if (scope.agencySuffix) {
    const n = scope.agencySuffix.length;
    where.push(sql`(right(agency_code, ${n}) = ${scope.agencySuffix} OR right(competent_agency_code, ${n}) = ${scope.agencySuffix})`);
  }
  const cond = where.length ? sql.join(where, sql` AND `) : sql`true`;
  // A flow counts the period's days. A stock counts the latest snapshot at or before `to` (m) and the days after it
  // up to `to`: the period's days (after m) and, before the period, only the days after m — m is an InitPlan's
  // value, so the index reads from it on, never the stock's whole history.
  const m = sql`(SELECT coalesce(max(month_end), '-infinity'::date) FROM kpi_stock_snapshots WHERE month_end <= ${to}::date)`;
  const cols = sql`measure, procedure_code, channel, agency_code, competent_agency_code`;
  const stock = sql`measure IN ('open', 'overdue')`;
  const inPeriod = (table: SQL, first: string, last: string) =>
    sql`SELECT ${cols}, n AS in_period, CASE WHEN ${stock} AND day <= ${m} THEN 0 ELSE n END AS to_end
          FROM ${table} WHERE ${cond} AND day >= ${first}::date AND day <= ${last}::date`;
  const beforePeriod = (table: SQL) => sql`SELECT ${cols}, 0, n FROM ${table} WHERE ${cond} AND ${stock} AND day > ${m} AND day < ${from}::date`;
  // The period's whole months from the monthly rollups (m is a month's last day: a month is all at or before it, or
  // all after it), the days of its partial months from the daily ones.
  const whole = wholeMonths(from, to);
  const daily: SQL[] = whole
    ? [
        ...(from < whole.first ? [inPeriod(sql`kpi_rollups`, from, dayBefore(whole.first))] : []),
        sql`SELECT ${cols}, n AS in_period, CASE WHEN ${stock} AND month <= ${m} THEN 0 ELSE n END AS to_end
              FROM kpi_rollups_monthly WHERE ${cond} AND month >= ${whole.first}::date AND month <= ${whole.lastMonth}::date`,
        ...(whole.last < to ? [inPeriod(sql`kpi_rollups`, dayAfterIso(whole.last), to)] : []),
      ]
    : [inPeriod(sql`kpi_rollups`, from, to)];
  const parts = [...daily, beforePeriod(sql`kpi_rollups`), inPeriod(sql`kpi_deltas`, from, to), beforePeriod(sql`kpi_deltas`), sql`SELECT ${cols}, 0, n FROM kpi_stock_snapshots WHERE ${cond} AND month_end = ${m}`];
  const dims = (["channel", "agency", "competent"] as const).map((d) => sql.raw(by.includes(d) ? DIM_COLUMN[d] : "''::text"));
  const grouped = by.map((d) => sql.raw(`, ${DIM_COLUMN[d]}`));
  const rows = await execRows<{ measure: string; procedure: string; channel: string; agency: string; competent: string; in_period: string | number; to_end: string | number }>(
    db,
    sql`SELECT measure, procedure_code AS procedure, ${dims[0]} AS channel, ${dims[1]} AS agency, ${dims[2]} AS competent,
          sum(in_period) AS in_period, sum(to_end) AS to_end
        FROM (${sql.join(parts, sql` UNION ALL `)}) x
        GROUP BY measure, procedure_code${sql.join(grouped, sql``)}`,
  );
  return rows.map((r) => ({
    measure: r.measure,
    procedure: r.procedure,
    channel: r.channel,
    agency: r.agency,
    competent: r.competent,
    inPeriod: Number(r.in_period),
    toEnd: Number(r.to_end),
  }));
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const dayBefore = (d: string) => iso(dayMs(d) - 86_400_000);
const dayAfterIso = (d: string) => iso(dayMs(d) + 86_400_000);

/** The whole months within [from, to] (`YYYY-MM-DD`): the first's first day, the last's first and last days; or null. */
export function wholeMonths(from: string, to: string): { first: string; lastMonth: string; last: string } | null {
  const f = new Date(dayMs(from));
  const first = f.getUTCDate() === 1 ? from : iso(Date.UTC(f.getUTCFullYear(), f.getUTCMonth() + 1, 1));
  const t = new Date(dayMs(to));
  const endOfTo = iso(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0));
  const last = to === endOfTo ? to : iso(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 0));
  if (first > last) return null;
  return { first, lastMonth: `${last.slice(0, 7)}-01`, last };
}

const SNAP_COLS = sql.raw("province_code, agency_code, competent_agency_code, procedure_code, channel");

/**
 * Snapshots the stocks at the end of each closed month not yet snapshotted, up to `lastDay` (in the fold's
 * transaction, after the deltas are folded): the previous snapshot plus the month's rollups.
 */
export async function snapshotStocks(tx: Db, lastDay: string, next: { monthEnd(day: string): string; dayAfter(day: string): string }): Promise<number> {
  const [state] = await execRows<{ through: string | null; first: string | null }>(
    tx,
    sql`SELECT (SELECT max(month_end)::text FROM kpi_stock_snapshots) AS through,
          (SELECT min(day)::text FROM kpi_rollups WHERE measure IN ('open', 'overdue')) AS first`,
  );
  let through = state?.through ?? null;
  const start = through ? next.monthEnd(next.dayAfter(through)) : state?.first ? next.monthEnd(state.first) : null;
  let made = 0;
  for (let end = start; end !== null && end <= lastDay; end = next.monthEnd(next.dayAfter(end))) {
    const parts = [
      sql`SELECT ${SNAP_COLS}, measure, n FROM kpi_rollups WHERE measure IN ('open', 'overdue') AND day <= ${end}::date${through ? sql` AND day > ${through}::date` : sql``}`,
    ];
    if (through) parts.push(sql`SELECT ${SNAP_COLS}, measure, n FROM kpi_stock_snapshots WHERE month_end = ${through}::date`);
    await tx.execute(
      sql`INSERT INTO kpi_stock_snapshots (province_code, agency_code, competent_agency_code, procedure_code, channel, month_end, measure, n)
          SELECT ${SNAP_COLS}, ${end}::date, measure, sum(n) FROM (${sql.join(parts, sql` UNION ALL `)}) x
          GROUP BY ${SNAP_COLS}, measure HAVING sum(n) <> 0`,
    );
    through = end;
    made++;
  }
  return made;
}

/**
 * The facts behind a count of the period [start, end): each dossier's fact as it stood at `end` (its last event
 * before then), in the scope, of the procedure and channel asked. A flow (`stock` false) reads only the facts heard
 * in the period: whatever a dossier counts for on a day of the period was heard that day or later (a change's count
 * never falls before its own day), so its last fact before `end` is among them. A stock (open at the end) reads the
 * dossiers' last facts before `end` and keeps only those still open then, in the database.
 */
export async function factsAt(
  db: Db,
  scope: ScopeFilter,
  period: { start: Date; end: Date; stock: boolean; procedure?: string | undefined; channel?: string | undefined },
): Promise<Array<{ dossierId: string; fact: KpiFact }>> {
  const where = [sql`at < ${period.end.toISOString()}::timestamptz`];
  if (!period.stock) where.push(sql`at >= ${period.start.toISOString()}::timestamptz`);
  if (scope.province) where.push(sql`province_code = ${scope.province}`);
  if (scope.agencySuffix) {
    const n = scope.agencySuffix.length;
    where.push(sql`(right(fact->>'agency', ${n}) = ${scope.agencySuffix} OR right(fact->>'competent', ${n}) = ${scope.agencySuffix})`);
  }
  if (period.procedure) where.push(sql`fact->>'procedure' = ${period.procedure}`);
  if (period.channel) where.push(sql`fact->>'channel' = ${period.channel}`);
  const last = sql`SELECT DISTINCT ON (dossier_id) dossier_id, fact FROM kpi_facts WHERE ${sql.join(where, sql` AND `)} ORDER BY dossier_id, id DESC`;
  const rows = await execRows<{ dossier_id: string; fact: KpiFact }>(
    db,
    period.stock ? sql`SELECT dossier_id, fact FROM (${last}) f WHERE fact->>'receivedAt' IS NOT NULL AND fact->>'endedAt' IS NULL` : last,
  );
  return rows.map((r) => ({ dossierId: r.dossier_id, fact: r.fact }));
}

/** A page of the facts' log in (dossier, event) order, after the row `afterId` of that order. */
export function logPage(db: Db, after: { dossierId: string; id: number } | null, limit: number) {
  const q = db.select({ id: kpiFacts.id, dossierId: kpiFacts.dossierId, at: kpiFacts.at, fact: kpiFacts.fact }).from(kpiFacts);
  return (after ? q.where(sql`(${kpiFacts.dossierId}, ${kpiFacts.id}) > (${after.dossierId}, ${after.id})`) : q)
    .orderBy(asc(kpiFacts.dossierId), asc(kpiFacts.id))
    .limit(limit);
}

const epochOf = prepared("kpi_rollups_epoch", (db, name) => db.select({ epoch: kpiRollupsEpoch.epoch }).from(kpiRollupsEpoch).where(eq(kpiRollupsEpoch.id, 1)).prepare(name));

/** The rollups' epoch (tables.ts `kpiRollupsEpoch`): 0 until they are first recomputed. */
export async function rollupsEpoch(db: Db): Promise<number> {
  const [row] = await epochOf(db).execute();
  return row?.epoch ?? 0;
}

/** Bumps the rollups' epoch (in the transaction that recomputes them: readers see the new one with the new rows). */
export async function bumpRollupsEpoch(tx: Db): Promise<void> {
  await tx
    .insert(kpiRollupsEpoch)
    .values({ id: 1, epoch: 1 })
    .onConflictDoUpdate({ target: kpiRollupsEpoch.id, set: { epoch: sql`${kpiRollupsEpoch.epoch} + 1` } });
}

const MONTHLY_FROM_DAILY = sql`INSERT INTO kpi_rollups_monthly (province_code, agency_code, competent_agency_code, procedure_code, channel, month, measure, n)
    SELECT province_code, agency_code, competent_agency_code, procedure_code, channel, date_trunc('month', day)::date, measure, sum(n) FROM kpi_rollups
    GROUP BY province_code, agency_code, competent_agency_code, procedure_code, channel, date_trunc('month', day)::date, measure`;

/**
 * Remakes the monthly rollups from the daily ones, under the fold's lock (the fold keeps both in one statement, so
 * they agree then): what a deployment that had daily rows before migration 0034 needs. Returns the rows made.
 */
export async function remakeMonthly(tx: Db): Promise<number> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('kpi.fold'))`);
  await tx.delete(kpiRollupsMonthly);
  await tx.execute(MONTHLY_FROM_DAILY);
  await bumpRollupsEpoch(tx);
  const [row] = await execRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM kpi_rollups_monthly`);
  return row?.n ?? 0;
}

/** Empties the rollups, the deltas and the stocks' snapshots (the rebuild, under the fold's lock). */
export async function clearRollups(tx: Db): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('kpi.fold'))`);
  await bumpRollupsEpoch(tx);
  await tx.delete(kpiDeltas);
  await tx.delete(kpiRollups);
  await tx.delete(kpiRollupsMonthly);
  await tx.delete(kpiStockSnapshots);
}

export type RollupRow = typeof kpiRollups.$inferInsert;

/**
 * Inserts the rebuilt rollups, 5,000 rows a statement written as literals: the query builder's insert of a
 * thousand rows with their parameters took most of a rebuild's time (a million dossiers make about a million rows).
 */
export async function insertRollups(tx: Db, rows: RollupRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const values = rows
      .slice(i, i + 5000)
      .map((r) => `(${literal(r.provinceCode)}, ${literal(r.agencyCode)}, ${literal(r.competentAgencyCode)}, ${literal(r.procedureCode)}, ${literal(r.channel)}, ${literal(r.day)}, ${literal(r.measure)}, ${literal(r.n)})`);
    await tx.execute(sql.raw(`INSERT INTO kpi_rollups (province_code, agency_code, competent_agency_code, procedure_code, channel, day, measure, n) VALUES ${values.join(", ")}`));
  }
  // The monthly rollups: the same rows summed per month.
  await tx.execute(MONTHLY_FROM_DAILY);
}

export async function formulaVersions(db: Db): Promise<FormulaVersion[]> {
  const rows = await db.select().from(kpiFormulaVersions).orderBy(asc(kpiFormulaVersions.validFrom));
  return rows.map((r) => ({ version: r.version, validFrom: r.validFrom, ...r.body }));
}

/** Adds a version; false when its name or its first day is taken. */
export async function insertFormulaVersion(tx: Db, v: { version: string; validFrom: string; body: FormulaVersionBody; addedBy: string; addedAt: Date }): Promise<boolean> {
  const rows = await tx.insert(kpiFormulaVersions).values(v).onConflictDoNothing().returning({ version: kpiFormulaVersions.version });
  return rows.length === 1;
}


export type ReportSubscription = typeof kpiReportSubscriptions.$inferSelect;

export async function subscribed(db: Db, userId: string, agencyCode: string): Promise<boolean> {
  const rows = await db.select({ u: kpiReportSubscriptions.userId }).from(kpiReportSubscriptions).where(and(eq(kpiReportSubscriptions.userId, userId), eq(kpiReportSubscriptions.agencyCode, agencyCode)));
  return rows.length > 0;
}

export async function subscribe(tx: Db, row: ReportSubscription): Promise<void> {
  await tx.insert(kpiReportSubscriptions).values(row).onConflictDoUpdate({ target: [kpiReportSubscriptions.userId, kpiReportSubscriptions.agencyCode], set: { email: row.email } });
}

export async function unsubscribe(tx: Db, userId: string, agencyCode: string): Promise<void> {
  await tx.delete(kpiReportSubscriptions).where(and(eq(kpiReportSubscriptions.userId, userId), eq(kpiReportSubscriptions.agencyCode, agencyCode)));
}

export const subscriptions = (db: Db): Promise<ReportSubscription[]> =>
  db.select().from(kpiReportSubscriptions).orderBy(asc(kpiReportSubscriptions.agencyCode), asc(kpiReportSubscriptions.userId));

/** Claims a month's report of a subscription; false when it was already queued (a rerun sends nothing twice). */
export async function claimSend(tx: Db, row: { month: string; userId: string; agencyCode: string; queuedAt: Date }): Promise<boolean> {
  const rows = await tx.insert(kpiReportSends).values(row).onConflictDoNothing().returning({ month: kpiReportSends.month });
  return rows.length > 0;
}
