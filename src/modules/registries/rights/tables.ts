import { check, index, jsonb, pgTable, sql, text, timestamp, uniqueIndex } from "../../../platform/db/drizzle.ts";

/**
 * A data subject's consent to an optional use of their data (Decree 13/2023/NĐ-CP Art. 9(2), (4): the right to
 * consent and to withdraw it). One row per grant; a withdrawal closes it and the use stops. At most one grant in
 * force per person and purpose.
 */
export const dataConsents = pgTable(
  "data_consents",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    userId: text("user_id").notNull(),
    /** One of `CONSENT_PURPOSES` (rights/consents.ts). */
    purpose: text("purpose").notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull(),
    /** `user:<id>` of who recorded it (the person themselves). */
    grantedBy: text("granted_by").notNull(),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    withdrawnBy: text("withdrawn_by"),
  },
  (t) => [
    uniqueIndex("data_consents_in_force_idx").on(t.userId, t.purpose).where(sql`${t.withdrawnAt} IS NULL`),
    index("data_consents_user_idx").on(t.userId, t.grantedAt),
  ],
);

/**
 * A data subject's request to see, correct or delete their personal data, tracked to its two deadlines (Decree
 * 356/2025/NĐ-CP Art. 5, docs/DOMAIN.md §10): to reply (`replyDueAt`: taken up or answered) and to carry it out
 * (`dueAt`: answered).
 */
export const dataSubjectRequests = pgTable(
  "data_subject_requests",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    userId: text("user_id").notNull(),
    username: text("username").notNull(),
    fullName: text("full_name").notNull(),
    /**
     * The agency the request is addressed to (one that holds the person's data: its supervisors and administrators,
     * and those above it, handle it); null for the node as a whole, handled by the system administrator.
     */
    agencyCode: text("agency_code"),
    /** `see`, `correct` or `delete`. */
    kind: text("kind").notNull(),
    detail: text("detail").notNull(),
    /** `received`, `in_progress`, `done` or `refused`. */
    status: text("status").notNull(),
    filedAt: timestamp("filed_at", { withTimezone: true }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    /** The deadline to reply; null on a request filed before it was kept (migration 0038). */
    replyDueAt: timestamp("reply_due_at", { withTimezone: true }),
    /** When it was first taken up or answered. */
    repliedAt: timestamp("replied_at", { withTimezone: true }),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    answeredBy: text("answered_by"),
    answer: text("answer"),
    /** For `see`: what motcua held about the person when it was answered (rights/export.ts). */
    export: jsonb("export"),
  },
  (t) => [
    index("data_subject_requests_user_idx").on(t.userId, t.filedAt),
    index("data_subject_requests_open_idx").on(t.status, t.dueAt),
    index("data_subject_requests_agency_idx").on(t.agencyCode, t.dueAt),
    check("data_subject_requests_kind_known", sql`${t.kind} IN ('see', 'correct', 'delete')`),
    check("data_subject_requests_status_known", sql`${t.status} IN ('received', 'in_progress', 'done', 'refused')`),
  ],
);

/** The register of personal-data breaches, with the deadline to notify the authority. */
export const dataBreaches = pgTable(
  "data_breaches",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    /** The agency whose data it concerns; null for the node as a whole. */
    agencyCode: text("agency_code"),
    discoveredAt: timestamp("discovered_at", { withTimezone: true }).notNull(),
    /** When it happened, when known: the deadline counts from it (see rights/breaches.ts). */
    occurredAt: timestamp("occurred_at", { withTimezone: true }),
    description: text("description").notNull(),
    /** Whose data: the people or groups concerned, as the register's reader needs them. */
    subjects: text("subjects").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
    recordedBy: text("recorded_by").notNull(),
    notifyDueAt: timestamp("notify_due_at", { withTimezone: true }).notNull(),
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
    notifiedBy: text("notified_by"),
  },
  (t) => [index("data_breaches_agency_idx").on(t.agencyCode, t.discoveredAt)],
);
