import { sql } from "../../../platform/db/drizzle.ts";
import { check, index, integer, pgTable, text, timestamp, unique, uniqueIndex } from "../../../platform/db/drizzle.ts";

// The keys and certificates of the edXML exchange (issue 16). A private key is never stored in clear: it is
// AES-256-GCM encrypted with a key derived from the node secret `exchange-signing` (see keystore.ts), bound to its
// row by the agency code and the certificate's fingerprint.

/** This installation's development CA (one row, `id` = 'dev'): issues the demo's agency certificates. */
export const exchangeSigningCa = pgTable("exchange_signing_ca", {
  id: text("id").primaryKey(),
  certificatePem: text("certificate_pem").notNull(),
  privateKeyEnc: text("private_key_enc").notNull(),
  fingerprint: text("fingerprint").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The signing keys of this node's own agencies: at most one `active` per agency (outgoing messages are signed with
 * it); the `retired` ones still verify the messages signed before a rotation.
 */
export const exchangeAgencyKeys = pgTable(
  "exchange_agency_keys",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    agencyCode: text("agency_code").notNull(),
    state: text("state").notNull(),
    /** `generated` (by the development CA) or `imported`. */
    source: text("source").notNull(),
    certificatePem: text("certificate_pem").notNull(),
    fingerprint: text("fingerprint").notNull().unique("exchange_agency_keys_fingerprint_key"),
    privateKeyEnc: text("private_key_enc").notNull(),
    subject: text("subject").notNull(),
    notBefore: timestamp("not_before", { withTimezone: true }).notNull(),
    notAfter: timestamp("not_after", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [
    check("exchange_agency_keys_state_known", sql`${t.state} IN ('active', 'retired')`),
    check("exchange_agency_keys_source_known", sql`${t.source} IN ('generated', 'imported')`),
    uniqueIndex("exchange_agency_keys_one_active").on(t.agencyCode).where(sql`${t.state} = 'active'`),
    index("exchange_agency_keys_agency_idx").on(t.agencyCode),
  ],
);

/** Certificates registered for other agencies' codes: what their incoming messages are verified against. */
export const exchangeTrustedCertificates = pgTable(
  "exchange_trusted_certificates",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    agencyCode: text("agency_code").notNull(),
    certificatePem: text("certificate_pem").notNull(),
    fingerprint: text("fingerprint").notNull(),
    subject: text("subject").notNull(),
    notBefore: timestamp("not_before", { withTimezone: true }).notNull(),
    notAfter: timestamp("not_after", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [unique("exchange_trusted_certificates_agency_fingerprint_key").on(t.agencyCode, t.fingerprint), index("exchange_trusted_certificates_agency_idx").on(t.agencyCode)],
);
