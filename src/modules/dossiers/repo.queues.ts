// The officers' work queues: a page of an agency's dossiers in a state, the most urgent first.
import type { SQL } from "drizzle-orm";
import { and, asc, eq, inArray, isNotNull, isNull, sql } from "../../platform/db/drizzle.ts";
import { type Db, prepared } from "../../platform/db/index.ts";
import type { FiledStatus } from "./model.ts";
import { type SummaryRow, summary } from "./repo.ts";
import { dossiers } from "./tables.ts";

const p = sql.placeholder;

export interface QueueFilter {
  agencies: string[];
  /** Filed statuses only: a queue never shows a draft (policy.ts `isOpenToStaff`). */
  statuses: FiledStatus[];
  /** Only those flagged due soon and not yet overdue / only those overdue. */
  dueSoon?: boolean;
  overdue?: boolean;
  /** Waiting at reception (new, incomplete) are found by the receiving agency; the rest by the processing one. */
  byReceivingAgency: boolean;
  limit: number;
  offset: number;
}

/** The conditions of a queue's page beyond its agencies and states. */
function queueFlags(f: Pick<QueueFilter, "dueSoon" | "overdue">): SQL[] {
  if (f.overdue) return [isNotNull(dossiers.overdueAt)];
  if (f.dueSoon) return [isNotNull(dossiers.dueSoonAt), isNull(dossiers.overdueAt)];
  return [];
}

const QUEUE_ORDER = [sql`${dossiers.dueAt} ASC NULLS LAST`, asc(dossiers.createdAt), asc(dossiers.id)];

/**
 * A page of one agency's dossiers in one state, the shape of nearly every queue page an officer opens, with its
 * values as placeholders (`agency`, `status`, `limit`, `offset`): read in order straight off
 * `dossiers_reception_idx` or `dossiers_queue_idx` (queue-plan.test.ts).
 */
export function onePairSelect(db: Db, byReceivingAgency: boolean, flags: Pick<QueueFilter, "dueSoon" | "overdue">) {
  return db
    .select(summary)
    .from(dossiers)
    .where(and(eq(byReceivingAgency ? dossiers.agencyCode : dossiers.processingAgencyCode, p("agency")), eq(dossiers.status, p("status")), ...queueFlags(flags)))
    .orderBy(...QUEUE_ORDER)
    .limit(p("limit"))
    .offset(p("offset"));
}

/** The same, prepared once per connection. */
const onePairQueue = (name: string, byReceivingAgency: boolean, flags: Pick<QueueFilter, "dueSoon" | "overdue">) =>
  prepared(name, (db, n) => onePairSelect(db, byReceivingAgency, flags).prepare(n));
const onePair = {
  reception: onePairQueue("dossier_queue_reception", true, {}),
  processing: onePairQueue("dossier_queue_processing", false, {}),
  dueSoon: onePairQueue("dossier_queue_due_soon", false, { dueSoon: true }),
};

/** One page of a work queue, the most urgent first. */
export async function queue(db: Db, f: QueueFilter): Promise<SummaryRow[]> {
  if (f.agencies.length === 0) return [];
  if (f.agencies.length === 1 && f.statuses.length === 1 && !f.overdue) {
    const statement = f.byReceivingAgency ? (f.dueSoon ? null : onePair.reception) : f.dueSoon ? onePair.dueSoon : onePair.processing;
    if (statement) return (await statement(db).execute({ agency: f.agencies[0], status: f.statuses[0], limit: f.limit, offset: f.offset })) as SummaryRow[];
  }
  const agency = f.byReceivingAgency ? dossiers.agencyCode : dossiers.processingAgencyCode;
  return db
    .select(summary)
    .from(dossiers)
    .where(and(inArray(agency, f.agencies), inArray(dossiers.status, f.statuses), ...queueFlags(f)))
    .orderBy(...QUEUE_ORDER)
    .limit(f.limit)
    .offset(f.offset);
}
