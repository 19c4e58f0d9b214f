import { bigint, index, pgTable, sql, text, timestamp, uniqueIndex } from "../db/drizzle.ts";

/**
 * The audit log. Writers only INSERT (no lock, no read of the previous entry), so unrelated writers
 * never wait for each other. A sealer later gives each committed entry its place in the hash chain
 * (`seq`, `prev_hash`, `hash`); triggers (migration 0005) forbid deleting entries and changing
 * anything but an unsealed entry's seal.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true, precision: 6 }).notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    requestId: text("request_id"),
    /** SHA-256 (hex) of the change's canonical JSON; the change itself is not kept. */
    changeDigest: text("change_digest"),
    seq: bigint("seq", { mode: "number" }),
    prevHash: text("prev_hash"),
    hash: text("hash"),
  },
  // Every index costs each audited write: only the two the sealer and the verifier need, both partial
  // so that a new entry touches the primary key and the small "unsealed" index only.
  (t) => [
    uniqueIndex("audit_log_seq_idx").on(t.seq).where(sql`${t.seq} IS NOT NULL`),
    index("audit_log_unsealed_idx").on(t.id).where(sql`${t.hash} IS NULL`),
  ],
);

/** Each sealing run's head: the last sequence number and hash. Removing the chain's tail shows up here. */
export const auditSeals = pgTable("audit_seals", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  sealedAt: timestamp("sealed_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
  lastHash: text("last_hash").notNull(),
  /** HMAC-SHA256 of the head with the audit key (not in the database): a rewritten chain cannot be re-sealed. */
  mac: text("mac").notNull(),
});
