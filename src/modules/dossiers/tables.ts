import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, sql, text, timestamp, uniqueIndex } from "../../platform/db/drizzle.ts";
import type { ProcedureContent } from "../catalog/index.ts";

/** The applicant as the dossier records them (chủ hồ sơ). */
export interface Applicant {
  type: "citizen" | "business";
  name: string;
  /** CCCD (12 digits) or tax code (MST). */
  idNumber: string;
  phone: string | null;
  email: string | null;
  address: string | null;
}

/** The step a dossier taken in from another node performs (`dossiers.taken_in_step`), and where it came from. */
export interface TakenInStep {
  key: string;
  name: string;
  role: "receiver" | "specialist" | "leader";
  department: string | null;
  hours: number;
  leaderSigns: boolean;
  /** The origin dossier's code and the agency that sent the step. */
  originCode: string;
  originAgencyCode: string;
  originAgencyName: string;
}

/** A form field filled from a national registry (`dossiers.registry_fields`). */
export interface RegistryFieldMark {
  source: string;
  field: string;
  value: string;
  authoritative: boolean;
}

/** Mẫu 02: one item of a supplement request. */
export interface SupplementItem {
  component?: string | undefined;
  field?: string | undefined;
  reason: string;
}

/**
 * A dossier (hồ sơ). `province_code` is on every dossier table from the first day: it is the
 * distribution key when a province-scale deployment shards by receiving province (ARCHITECTURE.md).
 */
export const dossiers = pgTable(
  "dossiers",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    /** Mã hồ sơ, `{agency}-{YYMMDD}-{NNNN}`, given when the dossier is filed; a draft has none. */
    code: text("code").unique(),
    /** The short secret that, with the code, opens the public lookup. */
    lookupKey: text("lookup_key"),
    procedureCode: text("procedure_code").notNull(),
    /** The catalogue version the dossier was filed under: its rules for its whole life. */
    procedureVersion: integer("procedure_version").notNull(),
    /** The receiving agency (QCVN 102 code). */
    agencyCode: text("agency_code").notNull(),
    provinceCode: text("province_code").notNull(),
    /** The agency working on it now: the receiving one, or another one during an inter-agency step. */
    processingAgencyCode: text("processing_agency_code").notNull(),
    /**
     * The desk the result is handed over at when it is not the procedure's own (filing anywhere in the province,
     * Decree 118/2025): the desk that received it at its counter, or the one an online applicant chose; null:
     * the procedure's own return step.
     */
    returnAgencyCode: text("return_agency_code"),
    channel: text("channel").notNull(),
    status: text("status").notNull(),
    nationalStatus: integer("national_status"),
    applicant: jsonb("applicant").$type<Applicant>().notNull(),
    /** The account that filed it online, or that it was filed for at the counter; null for a walk-in without one. */
    ownerUserId: text("owner_user_id"),
    formData: jsonb("form_data").$type<Record<string, unknown>>().notNull(),
    /**
     * The form fields filled from a national registry after the applicant agreed (issue 18, once-only): each with
     * the registry, its field, the value it gave, and whether the registry is authoritative (the value may then not
     * be changed).
     */
    registryFields: jsonb("registry_fields").$type<Record<string, RegistryFieldMark>>().notNull().default({}),
    /** The national databases read for the dossier (the national portal's DSKetNoiCSDL), in the order first read. */
    registriesUsed: text("registries_used").array().notNull().default(sql`'{}'::text[]`),
    createdBy: text("created_by").notNull(),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    receivedAt: timestamp("received_at", { withTimezone: true }),
    /**
     * The legal due time (hạn giải quyết), fixed at receipt and moved only by supplement pauses. An apology
     * never moves it: a dossier finished after it is late (DOMAIN.md §3), and the queues' flags, the
     * statistics and the national portal's NgayHenTra read it.
     */
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** The due time fixed at receipt, moved only by supplement pauses (since apologies keep `due_at`, the same). */
    originalDueAt: timestamp("original_due_at", { withTimezone: true }),
    /**
     * The new date the latest apology (Mẫu 04) promised the applicant (ngày hẹn trả mới), moved by later
     * supplement pauses like the due time; null without an apology. Who promised it and when: its history event.
     */
    promisedAt: timestamp("promised_at", { withTimezone: true }),
    /** When the clock was paused for a supplement, while it is. */
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    returnedAt: timestamp("returned_at", { withTimezone: true }),
    timeliness: text("timeliness"),
    /** Index into the procedure version's steps; null before receipt and after the last. */
    stepIndex: integer("step_index"),
    stepDueAt: timestamp("step_due_at", { withTimezone: true }),
    assigneeUserId: text("assignee_user_id"),
    assigneeDepartment: text("assignee_department"),
    supplementsAfterReceipt: integer("supplements_after_receipt").notNull().default(0),
    apologized: integer("apologized").notNull().default(0),
    /** Flags set by the lateness job: due within the warning window, or past due. */
    dueSoonAt: timestamp("due_soon_at", { withTimezone: true }),
    overdueAt: timestamp("overdue_at", { withTimezone: true }),
    resultFileSha256: text("result_file_sha256"),
    returnMethod: text("return_method"),
    /**
     * The assurance level of the sign-in that filed it online (0 password only; 1 and 2 as VNeID's levels,
     * Decree 69/2024); 0 at the counter. The national portal's `TaiKhoanDuocXacThucVoiVNeID` reads it.
     */
    filedLoa: integer("filed_loa").notNull().default(0),
    /**
     * Một cửa liên thông across nodes (interagency module): the agency on another node performing the open step;
     * while set, the dossier waits for that agency's result and nobody here acts on it. Null otherwise.
     */
    awayAgencyCode: text("away_agency_code"),
    /**
     * A dossier taken in from another node to perform one step of its procedure there: that step. Its plan is this
     * step alone, its result goes back to the origin. Null for the node's own dossiers.
     */
    takenInStep: jsonb("taken_in_step").$type<TakenInStep>(),
  },
  (t) => [
    check("dossiers_channel_valid", sql`${t.channel} IN ('online', 'counter', 'post')`),
    check(
      "dossiers_status_valid",
      sql`${t.status} IN ('draft', 'new', 'incomplete', 'refused_receipt', 'processing', 'supplementing', 'withdrawn', 'stopped', 'refused', 'done', 'returned')`,
    ),
    check("dossiers_timeliness_valid", sql`${t.timeliness} IS NULL OR ${t.timeliness} IN ('early', 'on_time', 'late')`),
    uniqueIndex("dossiers_request_idx").on(t.createdBy, t.requestId).where(sql`${t.requestId} IS NOT NULL`),
    index("dossiers_owner_idx").on(t.ownerUserId, t.createdAt),
    // Officers' queues: an agency's dossiers in a state, oldest due first; created_at and id complete the
    // queue's order, so a page is read straight off the index, never sorted.
    index("dossiers_queue_idx").on(t.processingAgencyCode, t.status, t.dueAt, t.createdAt, t.id),
    // The reception queues (new, incomplete) are the receiving agency's: without this index a desk's
    // page reads every dossier in that state across the province (bench/dossiers.ts, 1M dossiers).
    // Not yet received, they have no due time: created_at and id complete the queue's order, so a page
    // is read straight off the index instead of sorting the whole desk.
    index("dossiers_reception_idx").on(t.agencyCode, t.status, t.dueAt, t.createdAt, t.id),
    index("dossiers_province_received_idx").on(t.provinceCode, t.receivedAt),
  ],
);

/** The history of a dossier: every action, in order (API.md `history[]`). */
export const dossierEvents = pgTable(
  "dossier_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dossierId: text("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    provinceCode: text("province_code").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    actor: text("actor").notNull(),
    /** A display name of the actor for the history (an officer's name, "Người nộp hồ sơ"). */
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    note: text("note"),
    /** Action details: supplement items, the apology's new date, the assignee… */
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  // Also INCLUDE (at, action, to_status), added by migrations/0016 (Drizzle has no INCLUDE): the public lookup
  // reads a history from the index alone.
  (t) => [index("dossier_events_dossier_idx").on(t.dossierId, t.id)],
);

/** The files of a dossier: components, supplements, the result. The bytes are in the file store. */
export const dossierFiles = pgTable(
  "dossier_files",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    dossierId: text("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    provinceCode: text("province_code").notNull(),
    kind: text("kind").notNull(),
    /** The procedure component's key, for components and supplements. */
    component: text("component"),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull(),
    /**
     * The receiver scanned the paper at the counter and marked it digitised (số hóa: Decree 45/2020/NĐ-CP and the
     * digitisation group of Decision 766/QĐ-TTg, per DOMAIN.md §2 and issue 14; the decree's text was not in our
     * sources, so no article is cited): it joins the applicant's data store (kho dữ liệu).
     */
    digitised: boolean("digitised").notNull().default(false),
    /**
     * Linked from the applicant's data store instead of uploaded again (tái sử dụng): the file of an earlier
     * dossier it was taken from; the bytes are the same blob in the content-addressed store.
     */
    reusedFrom: text("reused_from"),
  },
  (t) => [
    check("dossier_files_kind_valid", sql`${t.kind} IN ('component', 'result')`),
    index("dossier_files_dossier_idx").on(t.dossierId),
  ],
);

/** Mẫu 05: one hand-over of the processing — who had it, from when, due when, done when. */
export const dossierSteps = pgTable(
  "dossier_steps",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dossierId: text("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    provinceCode: text("province_code").notNull(),
    stepIndex: integer("step_index").notNull(),
    stepKey: text("step_key").notNull(),
    stepName: text("step_name").notNull(),
    agencyCode: text("agency_code").notNull(),
    department: text("department"),
    assigneeUserId: text("assignee_user_id"),
    handedBy: text("handed_by").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    doneAt: timestamp("done_at", { withTimezone: true }),
    doneBy: text("done_by"),
    outcome: text("outcome"),
    timeliness: text("timeliness"),
  },
  (t) => [index("dossier_steps_dossier_idx").on(t.dossierId, t.id)],
);

/** Pauses of the deadline clock (a supplement after receipt). */
export const dossierPauses = pgTable(
  "dossier_pauses",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dossierId: text("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    provinceCode: text("province_code").notNull(),
    fromAt: timestamp("from_at", { withTimezone: true }).notNull(),
    toAt: timestamp("to_at", { withTimezone: true }),
    items: jsonb("items").$type<SupplementItem[]>().notNull(),
    /** The due time in force when the supplement was requested, and the one after it was answered (the national portal's NgayHenTraTruoc, NgayHenTraMoi). */
    dueBefore: timestamp("due_before", { withTimezone: true }),
    dueAfter: timestamp("due_after", { withTimezone: true }),
  },
  (t) => [index("dossier_pauses_dossier_idx").on(t.dossierId, t.id)],
);

/**
 * The daily sequence of dossier codes per receiving agency (Circular 01/2018). Incremented inside the
 * filing's transaction: the row lock orders concurrent filings, and a filing that rolls back takes
 * its number back with it, so numbers are neither repeated nor skipped.
 */
export const dossierCounters = pgTable(
  "dossier_counters",
  {
    agencyCode: text("agency_code").notNull(),
    day: date("day").notNull(),
    last: integer("last").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyCode, t.day] })],
);

/** The applicant's rating after the result was returned; once per dossier. */
export const dossierRatings = pgTable(
  "dossier_ratings",
  {
    dossierId: text("dossier_id")
      .primaryKey()
      .references(() => dossiers.id),
    provinceCode: text("province_code").notNull(),
    level: text("level").notNull(),
    comment: text("comment"),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [check("dossier_ratings_level_valid", sql`${t.level} IN ('very_satisfied', 'satisfied', 'unsatisfied')`)],
);

export type ProcedureSteps = ProcedureContent["steps"];
