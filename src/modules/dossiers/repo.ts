import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, isNull, lt, sql } from "../../platform/db/drizzle.ts";
import { randomUUID } from "node:crypto";
import { type Db, isUniqueViolation, literalInsert, prepared, runAtCommit } from "../../platform/db/index.ts";
import type { DossierRow } from "./hooks.ts";
import { dossierCounters, dossierEvents, dossierFiles, dossierPauses, dossierRatings, dossiers, dossierSteps } from "./tables.ts";

export type NewDossierRow = typeof dossiers.$inferInsert;
export type EventRow = typeof dossierEvents.$inferSelect;
export type FileRow = typeof dossierFiles.$inferSelect;
export type StepRow = typeof dossierSteps.$inferSelect;
export type PauseRow = typeof dossierPauses.$inferSelect;
export type RatingRow = typeof dossierRatings.$inferSelect;

// The reads of a dossier's page, its busiest, are prepared (built once per connection).
const p = sql.placeholder;

/** The columns a new dossier is given; the others start at their defaults (`newDossierRow`). */
export type NewDossier = Pick<
  Required<NewDossierRow>,
  | "procedureCode"
  | "procedureVersion"
  | "agencyCode"
  | "provinceCode"
  | "processingAgencyCode"
  | "channel"
  | "status"
  | "nationalStatus"
  | "applicant"
  | "ownerUserId"
  | "formData"
  | "createdBy"
  | "requestId"
  | "createdAt"
  | "updatedAt"
  | "submittedAt"
> &
  Partial<Pick<NewDossierRow, "filedLoa">> & { returnAgencyCode?: string | null };

/** A new dossier as it will be stored: the columns given, every other one at its default (the id made here). */
export function newDossierRow(row: NewDossier): DossierRow {
  return {
    id: randomUUID(),
    code: null,
    lookupKey: null,
    receivedAt: null,
    dueAt: null,
    originalDueAt: null,
    promisedAt: null,
    pausedAt: null,
    finishedAt: null,
    returnedAt: null,
    timeliness: null,
    stepIndex: null,
    stepDueAt: null,
    assigneeUserId: null,
    assigneeDepartment: null,
    supplementsAfterReceipt: 0,
    apologized: 0,
    dueSoonAt: null,
    overdueAt: null,
    resultFileSha256: null,
    returnMethod: null,
    filedLoa: 0,
    returnAgencyCode: null,
    awayAgencyCode: null,
    takenInStep: null,
    registryFields: {},
    registriesUsed: [],
    ...row,
  };
}

/**
 * Inserts the dossier with the transaction's COMMIT (`runAtCommit`): a filing is one round trip with its history
 * and audit entries. A request id its creator used before fails the commit with an error `isRequestTaken` knows.
 */
export async function insertDossier(tx: Db, row: DossierRow): Promise<void> {
  const statement = literalInsert(dossiers, row);
  if (!runAtCommit(tx, statement)) await tx.execute(sql.raw(statement));
}

/** The error of a dossier inserted with a request id its creator had used: a retry, or both at once. */
export function isRequestTaken(err: unknown): boolean {
  return isUniqueViolation(err, "dossiers_request_idx");
}

const byRequest = prepared("dossiers_by_request", (db, name) =>
  db
    .select()
    .from(dossiers)
    .where(and(eq(dossiers.createdBy, p("createdBy")), eq(dossiers.requestId, p("requestId"))))
    .prepare(name),
);

export async function findByRequest(db: Db, createdBy: string, requestId: string): Promise<DossierRow | null> {
  const rows = await byRequest(db).execute({ createdBy, requestId });
  return rows[0] ?? null;
}

const byId = prepared("dossiers_by_id", (db, name) => db.select().from(dossiers).where(eq(dossiers.id, p("id"))).prepare(name));

export async function findDossier(db: Db, id: string): Promise<DossierRow | null> {
  const rows = await byId(db).execute({ id });
  return rows[0] ?? null;
}

/** What deciding who may see a dossier reads (policy.ts `canSee`), for many dossiers in one query. */
export function dossiersAccess(db: Db, ids: string[]): Promise<Array<Pick<DossierRow, "id" | "ownerUserId" | "agencyCode" | "processingAgencyCode" | "submittedAt" | "channel">>> {
  if (!ids.length) return Promise.resolve([]);
  return db
    .select({ id: dossiers.id, ownerUserId: dossiers.ownerUserId, agencyCode: dossiers.agencyCode, processingAgencyCode: dossiers.processingAgencyCode, submittedAt: dossiers.submittedAt, channel: dossiers.channel })
    .from(dossiers)
    .where(inArray(dossiers.id, ids));
}

const lockById = prepared("dossiers_lock", (db, name) => db.select().from(dossiers).where(eq(dossiers.id, p("id"))).for("update").prepare(name));

/** The dossier locked until the transaction ends: concurrent actions on one dossier take turns. */
export async function lockDossier(tx: Db, id: string): Promise<DossierRow | null> {
  const rows = await lockById(tx).execute({ id });
  return rows[0] ?? null;
}

const lookupColumns = {
  id: dossiers.id,
  code: dossiers.code,
  lookupKey: dossiers.lookupKey,
  procedureCode: dossiers.procedureCode,
  procedureVersion: dossiers.procedureVersion,
  agencyCode: dossiers.agencyCode,
  status: dossiers.status,
  nationalStatus: dossiers.nationalStatus,
  receivedAt: dossiers.receivedAt,
  dueAt: dossiers.dueAt,
  promisedAt: dossiers.promisedAt,
  finishedAt: dossiers.finishedAt,
  returnedAt: dossiers.returnedAt,
  timeliness: dossiers.timeliness,
  apologized: dossiers.apologized,
  resultFileSha256: dossiers.resultFileSha256,
};
export type LookupRow = { [K in keyof typeof lookupColumns]: DossierRow[K] };
/** A history event as the lookup shows it: the time already in ISO 8601 (UTC, milliseconds), as `toISOString` writes it. */
export type LookupEventRow = { at: string; action: string; toStatus: string };

/**
 * Dossiers by their codes, each with its history, in one round trip and one row per dossier: only what the
 * public lookup shows, so the public path never reads the applicant's data. The history comes as one JSON array
 * built by the database (oldest first), which costs the node one parse instead of a row and a date per event.
 */
export type LookupResult = { dossier: LookupRow; events: LookupEventRow[] };

/**
 * The lookup's query, prepared once for a database handle: the public lookup is the node's busiest read,
 * and building and planning the same statement on every call cost more than running it. It takes a batch of
 * codes (the lookups asked for at about the same moment, see `service.ts`): one statement for many lookups.
 * The answer has the codes found; an unknown code is simply absent.
 */
export function prepareLookup(db: Db): (codes: readonly string[]) => Promise<Map<string, LookupResult>> {
  const query = lookupSelect(db).prepare("dossier_lookup");
  return async (codes) => {
    if (!codes.length) return new Map();
    const rows = await query.execute({ codes: [...codes] });
    return new Map(rows.map((row) => [row.dossier.code!, { dossier: row.dossier, events: row.history ?? [] }]));
  };
}

/**
 * The lookup's statement, unprepared (its plan is checked in lookup-plan.test.ts). The subquery names
 * `dossiers.id` itself: Drizzle writes a one-table select's columns unqualified, and `id` there is the event's.
 */
export function lookupSelect(db: Db) {
  return db
    .select({
      dossier: lookupColumns,
      history: sql<LookupEventRow[] | null>`(
        SELECT json_agg(json_build_object(
                 'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                 'action', e.action, 'toStatus', e.to_status) ORDER BY e.id)
          FROM dossier_events e WHERE e.dossier_id = dossiers.id)`,
    })
    .from(dossiers)
    .where(sql`${dossiers.code} = ANY(${sql.placeholder("codes")}::text[])`);
}

export async function updateDossier(tx: Db, id: string, set: Partial<NewDossierRow>): Promise<DossierRow> {
  const rows = await tx.update(dossiers).set(set).where(eq(dossiers.id, id)).returning();
  return rows[0]!;
}

/** The papers as received: whether one was digitised at the counter, and one reused from a data store. */
export interface PaperFlags {
  digitised: boolean;
  reused: boolean;
}

/**
 * `updateDossier` for a receipt: the row and, in the same statement, its papers' flags (`componentFlags`), which
 * the receipt's event carries to its listeners (no query of their own).
 */
export async function updateDossierAtReceipt(tx: Db, id: string, set: Partial<NewDossierRow>): Promise<{ row: DossierRow; papers: PaperFlags }> {
  const papers = (cond: ReturnType<typeof sql>) =>
    sql<boolean>`coalesce((SELECT bool_or(${cond}) FROM ${dossierFiles} WHERE ${dossierFiles.dossierId} = ${dossiers.id} AND ${dossierFiles.kind} = 'component'), false)`;
  const rows = await tx
    .update(dossiers)
    .set(set)
    .where(eq(dossiers.id, id))
    .returning({ ...getTableColumns(dossiers), papersDigitised: papers(sql`${dossierFiles.digitised}`), papersReused: papers(sql`${dossierFiles.reusedFrom} IS NOT NULL`) });
  const { papersDigitised, papersReused, ...row } = rows[0]!;
  return { row, papers: { digitised: papersDigitised === true, reused: papersReused === true } };
}

/** The next number of the day for an agency's dossier codes, in the caller's transaction (row-locked). */
export async function nextDailyNumber(tx: Db, agencyCode: string, day: string): Promise<number> {
  const rows = await tx
    .insert(dossierCounters)
    .values({ agencyCode, day, last: 1 })
    .onConflictDoUpdate({ target: [dossierCounters.agencyCode, dossierCounters.day], set: { last: sql`${dossierCounters.last} + 1` } })
    .returning({ last: dossierCounters.last });
  return rows[0]!.last;
}

/** A history event as written (every column given: a prepared statement has no optional values). */
export type NewEvent = Omit<Required<typeof dossierEvents.$inferInsert>, "id">;

/**
 * Adds a history event to the caller's transaction, written with its COMMIT like the audit entry (nothing
 * reads a dossier's history inside the transaction that changes it): one round trip fewer for every action.
 * Returns the event as written.
 */
export async function appendEvent(tx: Db, e: NewEvent): Promise<NewEvent> {
  const statement = literalInsert(dossierEvents, e);
  if (!runAtCommit(tx, statement)) await tx.execute(sql.raw(statement));
  return e;
}

const eventsOf = prepared("dossier_events_of", (db, name) =>
  db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, p("dossierId"))).orderBy(asc(dossierEvents.id)).prepare(name),
);

export function listEvents(db: Db, dossierId: string): Promise<EventRow[]> {
  return eventsOf(db).execute({ dossierId });
}

export async function insertFile(tx: Db, row: typeof dossierFiles.$inferInsert): Promise<FileRow> {
  const rows = await tx.insert(dossierFiles).values(row).returning();
  return rows[0]!;
}

// The dossier page reads these four beside its history on every view and after every action: prepared.
const filesOf = prepared("dossier_files_of", (db, name) =>
  db.select().from(dossierFiles).where(eq(dossierFiles.dossierId, p("dossierId"))).orderBy(asc(dossierFiles.uploadedAt), asc(dossierFiles.id)).prepare(name),
);

export function listFiles(db: Db, dossierId: string): Promise<FileRow[]> {
  return filesOf(db).execute({ dossierId });
}

export async function findFile(db: Db, dossierId: string, fileId: string): Promise<FileRow | null> {
  const rows = await db.select().from(dossierFiles).where(and(eq(dossierFiles.dossierId, dossierId), eq(dossierFiles.id, fileId)));
  return rows[0] ?? null;
}

export async function insertStep(tx: Db, row: typeof dossierSteps.$inferInsert): Promise<void> {
  await tx.insert(dossierSteps).values(row);
}

/** Closes the open hand-over of a dossier (there is at most one). */
export async function closeOpenStep(tx: Db, dossierId: string, set: { doneAt: Date; doneBy: string; outcome: string; timeliness: string }): Promise<StepRow | null> {
  const rows = await tx
    .update(dossierSteps)
    .set(set)
    .where(and(eq(dossierSteps.dossierId, dossierId), isNull(dossierSteps.doneAt)))
    .returning();
  return rows[0] ?? null;
}

export async function shiftOpenStep(tx: Db, dossierId: string, dueAt: Date): Promise<void> {
  await tx.update(dossierSteps).set({ dueAt }).where(and(eq(dossierSteps.dossierId, dossierId), isNull(dossierSteps.doneAt)));
}

export async function setOpenStepAssignee(tx: Db, dossierId: string, set: { assigneeUserId: string | null; department: string | null }): Promise<void> {
  await tx.update(dossierSteps).set(set).where(and(eq(dossierSteps.dossierId, dossierId), isNull(dossierSteps.doneAt)));
}

const stepsOf = prepared("dossier_steps_of", (db, name) =>
  db.select().from(dossierSteps).where(eq(dossierSteps.dossierId, p("dossierId"))).orderBy(asc(dossierSteps.id)).prepare(name),
);

export function listSteps(db: Db, dossierId: string): Promise<StepRow[]> {
  return stepsOf(db).execute({ dossierId });
}

export async function insertPause(tx: Db, row: typeof dossierPauses.$inferInsert): Promise<void> {
  await tx.insert(dossierPauses).values(row);
}

export async function endPause(tx: Db, dossierId: string, at: Date, dueAfter: Date | null = null): Promise<void> {
  await tx.update(dossierPauses).set({ toAt: at, dueAfter }).where(and(eq(dossierPauses.dossierId, dossierId), isNull(dossierPauses.toAt)));
}

const pausesOf = prepared("dossier_pauses_of", (db, name) =>
  db.select().from(dossierPauses).where(eq(dossierPauses.dossierId, p("dossierId"))).orderBy(asc(dossierPauses.id)).prepare(name),
);

export function listPauses(db: Db, dossierId: string): Promise<PauseRow[]> {
  return pausesOf(db).execute({ dossierId });
}

/** Records the rating unless the dossier has one; returns whether it was recorded. */
export async function insertRating(tx: Db, row: RatingRow): Promise<boolean> {
  const rows = await tx.insert(dossierRatings).values(row).onConflictDoNothing().returning({ id: dossierRatings.dossierId });
  return rows.length === 1;
}

const ratingOf = prepared("dossier_rating_of", (db, name) => db.select().from(dossierRatings).where(eq(dossierRatings.dossierId, p("dossierId"))).prepare(name));

export async function findRating(db: Db, dossierId: string): Promise<RatingRow | null> {
  const rows = await ratingOf(db).execute({ dossierId });
  return rows[0] ?? null;
}

const componentFlagsOf = prepared("dossier_component_flags", (db, name) =>
  db
    .select({
      digitised: sql<boolean>`coalesce(bool_or(${dossierFiles.digitised}), false)`,
      reused: sql<boolean>`coalesce(bool_or(${dossierFiles.reusedFrom} IS NOT NULL), false)`,
    })
    .from(dossierFiles)
    .where(and(eq(dossierFiles.dossierId, p("dossierId")), eq(dossierFiles.kind, "component")))
    .prepare(name),
);

/** Whether a dossier's submitted papers include a digitised one, and one reused from a data store. */
export async function componentFlags(db: Db, dossierId: string): Promise<{ digitised: boolean; reused: boolean }> {
  const [row] = await componentFlagsOf(db).execute({ dossierId });
  return { digitised: row?.digitised === true, reused: row?.reused === true };
}

export const summary = {
  id: dossiers.id,
  code: dossiers.code,
  procedureCode: dossiers.procedureCode,
  procedureVersion: dossiers.procedureVersion,
  agencyCode: dossiers.agencyCode,
  processingAgencyCode: dossiers.processingAgencyCode,
  channel: dossiers.channel,
  status: dossiers.status,
  nationalStatus: dossiers.nationalStatus,
  // The name only: a queue page of twenty would otherwise read and parse twenty whole applicants (address,
  // identity numbers, contacts) to show one line each.
  applicantName: sql<string>`${dossiers.applicant}->>'name'`.as("applicant_name"),
  createdAt: dossiers.createdAt,
  receivedAt: dossiers.receivedAt,
  dueAt: dossiers.dueAt,
  timeliness: dossiers.timeliness,
  dueSoonAt: dossiers.dueSoonAt,
  overdueAt: dossiers.overdueAt,
};
export type SummaryRow = { [K in Exclude<keyof typeof summary, "applicantName">]: DossierRow[K] } & { applicantName: string };

/** One page of an applicant's dossiers, newest first, with their form data (what each is about). */
export function listOwned(db: Db, ownerUserId: string, limit: number, offset: number): Promise<Array<SummaryRow & { formData: unknown }>> {
  return db
    .select({ ...summary, formData: dossiers.formData })
    .from(dossiers)
    .where(eq(dossiers.ownerUserId, ownerUserId))
    .orderBy(desc(dossiers.createdAt), desc(dossiers.id))
    .limit(limit)
    .offset(offset);
}

/** Dossiers being processed whose due time is before `before` and not yet flagged `flag`. */
export function dueBefore(db: Db, before: Date, flag: "dueSoonAt" | "overdueAt", limit: number): Promise<Array<{ id: string }>> {
  return db
    .select({ id: dossiers.id })
    .from(dossiers)
    .where(and(eq(dossiers.status, "processing"), isNotNull(dossiers.dueAt), lt(dossiers.dueAt, before), isNull(dossiers[flag])))
    .orderBy(asc(dossiers.dueAt))
    .limit(limit);
}

export async function setClosedStepTimeliness(tx: Db, stepId: number, timeliness: string): Promise<void> {
  await tx.update(dossierSteps).set({ timeliness }).where(eq(dossierSteps.id, stepId));
}

/** The dossiers an agency received in [from, to), in the order received (the register, Mẫu 06). */
export function receivedBetween(db: Db, agencyCode: string, from: Date, to: Date, limit: number): Promise<DossierRow[]> {
  return db
    .select()
    .from(dossiers)
    .where(and(eq(dossiers.agencyCode, agencyCode), sql`${dossiers.receivedAt} >= ${from}`, lt(dossiers.receivedAt, to)))
    .orderBy(asc(dossiers.receivedAt), asc(dossiers.code))
    .limit(limit);
}

/** When each of `ids` first had `action` (e.g. its first forward: the register's "ngày chuyển"). */
export async function firstActionAt(db: Db, ids: string[], action: string): Promise<Map<string, Date>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: dossierEvents.dossierId, at: sql<Date>`min(${dossierEvents.at})`.mapWith(dossierEvents.at) })
    .from(dossierEvents)
    .where(and(inArray(dossierEvents.dossierId, ids), eq(dossierEvents.action, action)))
    .groupBy(dossierEvents.dossierId);
  return new Map(rows.map((r) => [r.id, r.at]));
}
