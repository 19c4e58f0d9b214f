import { check, index, integer, jsonb, pgTable, sql, text, timestamp, unique, uuid } from "../../platform/db/drizzle.ts";
import type { ResponseFor } from "../exchange/index.ts";

/**
 * One passage of an inter-agency step between nodes, on either end: `out` at the origin (the dossier whose step
 * left), `in` at the node that performs it (the dossier taken in). `(side, origin_code, step_index, round)` is
 * unique: a package redelivered, or a job run twice, finds its row and does nothing again.
 */
export const interagencyTransfers = pgTable(
  "interagency_transfers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    side: text("side").notNull(),
    originCode: text("origin_code").notNull(),
    stepIndex: integer("step_index").notNull(),
    round: integer("round").notNull(),
    /** This node's dossier: the origin (out) or the one taken in (in). */
    dossierId: text("dossier_id").notNull(),
    /** The agency hosted here, and the one on the other end. */
    agencyCode: text("agency_code").notNull(),
    partnerCode: text("partner_code").notNull(),
    /** The exchange copy of the request: the sent one (out), the received one (in). */
    requestCopyId: uuid("request_copy_id").notNull(),
    /** The request document as a result answers it (in). */
    responseFor: jsonb("response_for").$type<ResponseFor | null>(),
    /** out: sent · approved · refused; in: taken_in · answered. */
    state: text("state").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp("settled_at", { withTimezone: true }),
  },
  (t) => [
    unique("interagency_transfers_passage_key").on(t.side, t.originCode, t.stepIndex, t.round),
    index("interagency_transfers_dossier_idx").on(t.dossierId),
    check("interagency_transfers_side_known", sql`${t.side} IN ('out', 'in')`),
    check("interagency_transfers_state_known", sql`${t.state} IN ('sent', 'approved', 'refused', 'taken_in', 'answered')`),
  ],
);
