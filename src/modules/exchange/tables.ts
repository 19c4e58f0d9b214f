import { sql } from "../../platform/db/drizzle.ts";
import { bigint, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from "../../platform/db/drizzle.ts";
import type { Bussiness, MessageHeader } from "./edxml/model.ts";
import type { StoredAttachment, PendingChange, StoredMessage } from "./model.ts";

/**
 * An official document in one agency's box: the sender's copy (`out`) or a recipient's (`in`). A document
 * arrives once per agency: `(agency_code, box, document_id)` is unique, so a redelivered one is stored once.
 * Each copy is numbered in its agency's register of the year (sổ văn bản đi / đến).
 */
export const exchangeDocuments = pgTable(
  "exchange_documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agencyCode: text("agency_code").notNull(),
    box: text("box").notNull(),
    /** edXML DocumentId: `{OrganId},{yyyy/MM/dd},{CodeNumber}/{CodeNotation}`. */
    documentId: text("document_id").notNull(),
    header: jsonb("header").$type<MessageHeader>().notNull(),
    bussiness: jsonb("bussiness").$type<Bussiness>().notNull(),
    attachments: jsonb("attachments").$type<StoredAttachment[]>().notNull(),
    /** Copies of the header's searchable fields. */
    codeNumber: text("code_number").notNull(),
    codeNotation: text("code_notation").notNull(),
    subject: text("subject").notNull(),
    senderCode: text("sender_code").notNull(),
    senderName: text("sender_name").notNull(),
    registerYear: integer("register_year").notNull(),
    registerNumber: integer("register_number").notNull(),
    /** in: received · refused · accepted · assigned · processing · done · recalled · replaced; out: sent · recalled · replaced. */
    state: text("state").notNull(),
    /** A revocation, update or replacement the sender asked for and the recipient has not answered (in only). */
    pendingChange: jsonb("pending_change").$type<PendingChange | null>(),
    departmentCode: text("department_code"),
    assigneeId: text("assignee_id"),
    assigneeName: text("assignee_name"),
    assignmentDue: date("assignment_due", { mode: "string" }),
    /**
     * SHA-256 (in the file store) of the signed edXML of the document: as it left (out) or as it came (in), the
     * evidence of what was sent; null when it went unsigned (between agencies of this node, the sender without a key).
     */
    signedSha256: text("signed_sha256"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("exchange_documents_copy_key").on(t.agencyCode, t.box, t.documentId),
    unique("exchange_documents_register_key").on(t.agencyCode, t.box, t.registerYear, t.registerNumber),
    index("exchange_documents_box_idx").on(t.agencyCode, t.box, t.createdAt),
    check("exchange_documents_box_known", sql`${t.box} IN ('in', 'out')`),
  ],
);

/**
 * The status timeline of a copy: on the sender's copy each recipient's answers (`party` the recipient), on a
 * recipient's copy its own steps (`party` itself). `key` makes a redelivered status message count once.
 */
export const exchangeStatuses = pgTable(
  "exchange_statuses",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    copyId: uuid("copy_id")
      .notNull()
      .references(() => exchangeDocuments.id),
    party: text("party").notNull(),
    code: text("code").notNull(),
    description: text("description"),
    staff: text("staff"),
    /** When the status was given (the message's timestamp). */
    at: timestamp("at", { withTimezone: true }).notNull(),
    key: text("key").notNull(),
  },
  (t) => [unique("exchange_statuses_key").on(t.copyId, t.key), index("exchange_statuses_copy_idx").on(t.copyId, t.at)],
);

/**
 * The outbox: every message an agency of this node sends to another agency, delivered by the job
 * `exchange.deliver` in order per sender–recipient pair. `(from, to, key)` is unique: a message is queued once.
 */
export const exchangeOutbox = pgTable(
  "exchange_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    fromAgency: text("from_agency").notNull(),
    toAgency: text("to_agency").notNull(),
    /** The sender's copy the message belongs to (a document, or the copy a status is about). */
    copyId: uuid("copy_id")
      .notNull()
      .references(() => exchangeDocuments.id),
    kind: text("kind").notNull(),
    key: text("key").notNull(),
    message: jsonb("message").$type<StoredMessage>().notNull(),
    /** pending · delivered · undelivered (the retry budget spent). */
    state: text("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** The `exchange.deliver` job carrying it (for `motcua jobs retry` once undelivered). */
    jobId: bigint("job_id", { mode: "number" }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    unique("exchange_outbox_key").on(t.fromAgency, t.toAgency, t.key),
    index("exchange_outbox_copy_idx").on(t.copyId),
    // A pair's queued messages, which a delivery takes along in one request (repo.ts pendingAfter).
    index("exchange_outbox_pending_idx").on(t.fromAgency, t.toAgency, t.id).where(sql`${t.state} = 'pending'`),
    check("exchange_outbox_state_known", sql`${t.state} IN ('pending', 'delivered', 'undelivered')`),
    check("exchange_outbox_kind_known", sql`${t.kind} IN ('document', 'status')`),
  ],
);

/**
 * The signed edXML of documents sent and received (the evidence of what was sent), by its SHA-256, when it is small
 * (support.ts `keepSigned`): a row costs a fraction of a file written and fsynced. A larger one is in the file store.
 */
export const exchangeEvidence = pgTable("exchange_evidence", {
  sha256: text("sha256").primaryKey(),
  xml: text("xml").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The last number given in an agency's register of a year (sổ văn bản đi `out`, đến `in`). */
export const exchangeRegisters = pgTable(
  "exchange_registers",
  {
    agencyCode: text("agency_code").notNull(),
    box: text("box").notNull(),
    year: integer("year").notNull(),
    lastNumber: integer("last_number").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyCode, t.box, t.year] })],
);

/** The nodes of other agencies: the subtree of `agency_code` is served at `node_url`, signed with `certificate`. */
export const exchangePeers = pgTable("exchange_peers", {
  agencyCode: text("agency_code").primaryKey(),
  name: text("name").notNull(),
  nodeUrl: text("node_url").notNull(),
  /** PEM of the peer's signing certificate. */
  certificate: text("certificate").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
