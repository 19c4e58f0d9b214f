import { boolean, check, index, pgTable, sql, text, timestamp } from "../../platform/db/drizzle.ts";

/**
 * Every look-up in a national registry (issue 18): who asked (the actor, their agency), when, in which registry,
 * about whom, which fields came back, for what purpose, on what legal basis, for which dossier, and how it ended.
 * The citizen's data tracker reads it by subject; an `ok` row with `fields` is what the registry gave.
 */
export const registryLookups = pgTable(
  "registry_lookups",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** `user:<id>` (as the audit log names actors). */
    actor: text("actor").notNull(),
    actorName: text("actor_name").notNull(),
    /** The agency the officer asked for; null for a citizen or business asking about themselves. */
    agencyCode: text("agency_code"),
    registry: text("registry").notNull(),
    /** `citizen` (a CCCD) or `business` (a tax code). */
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    /** The fields of motcua's answer the registry filled (empty when nothing came back). */
    fields: text("fields").array().notNull(),
    purpose: text("purpose").notNull(),
    legalBasis: text("legal_basis").notNull(),
    dossierId: text("dossier_id").notNull(),
    /** `ok`, `not_found`, or the reason the registry was unavailable (`timeout`, `down`, `circuit_open`…). */
    outcome: text("outcome").notNull(),
    requestId: text("request_id"),
    /**
     * A look-up under a lawful covert purpose (`MOTCUA_REGISTRY_COVERT_PURPOSES`): its key, and when the person
     * looked up is shown it (until then their data tracker does not list it). Null for an ordinary look-up.
     */
    covertPurpose: text("covert_purpose"),
    discloseAt: timestamp("disclose_at", { withTimezone: true }),
    /** Whether the look-up filled a dossier's form with the applicant's consent (once-only prefill). */
    prefill: boolean("prefill").notNull().default(false),
  },
  (t) => [
    index("registry_lookups_subject_idx").on(t.subjectType, t.subjectId, t.at),
    index("registry_lookups_dossier_idx").on(t.dossierId),
    /** The supervisors' anomaly report reads an agency's look-ups over a period (anomalies.ts). */
    index("registry_lookups_agency_idx").on(t.agencyCode, t.at),
    check("registry_lookups_registry_known", sql`${t.registry} IN ('population', 'business', 'civil_status')`),
    check("registry_lookups_subject_type_known", sql`${t.subjectType} IN ('citizen', 'business')`),
  ],
);
