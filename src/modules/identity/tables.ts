import { boolean, check, date, index, integer, pgTable, primaryKey, sql, text, timestamp } from "../../platform/db/drizzle.ts";
import { agencies } from "../directory/index.ts";

/**
 * Accounts. The username is the CCCD for citizens, the tax code for businesses and a login name for
 * officers and administrators.
 */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    kind: text("kind").notNull(),
    username: text("username").notNull().unique(),
    fullName: text("full_name").notNull(),
    email: text("email"),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    birthDate: date("birth_date"),
    sex: text("sex"),
    /** Where the applicant lives (nơi cư trú), as they gave it or their identity provider said: a form may start with it. */
    address: text("address"),
    passwordHash: text("password_hash"),
    status: text("status").notNull().default("active"),
    agencyCode: text("agency_code").references(() => agencies.code),
    departmentCode: text("department_code"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("users_kind_valid", sql`${t.kind} IN ('citizen', 'business', 'officer', 'admin')`),
    check("users_status_valid", sql`${t.status} IN ('active', 'disabled')`),
    check("users_sex_valid", sql`${t.sex} IS NULL OR ${t.sex} IN ('male', 'female')`),
    index("users_agency_idx").on(t.agencyCode),
  ],
);

/** A role held over an agency's subtree (`agency_code`), or nationally for citizens and businesses (''). */
export const userRoles = pgTable(
  "user_roles",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    agencyCode: text("agency_code").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role, t.agencyCode] })],
);

/** Browser sessions; `id` is the SHA-256 of the cookie's token, so a database read cannot sign anyone in. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    loa: integer("loa").notNull().default(0),
    mfa: boolean("mfa").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Failed sign-ins per account (`user:<id>`) and per address (`ip:<ip>`), for throttling. */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
});

/**
 * Second factor (TOTP, RFC 6238). The secret is encrypted (AES-256-GCM) with a key kept outside the
 * database; `last_step` refuses a code used before; recovery codes are stored as SHA-256 digests.
 */
export const totpFactors = pgTable("totp_factors", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretEnc: text("secret_enc").notNull(),
  enabledAt: timestamp("enabled_at", { withTimezone: true }),
  lastStep: integer("last_step").notNull().default(0),
  recoveryCodes: text("recovery_codes").array().notNull().default(sql`'{}'::text[]`),
});

/** Accounts of an external OpenID provider (VNeID, a provincial Keycloak) linked to motcua accounts. */
export const federatedIdentities = pgTable(
  "federated_identities",
  {
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index("federated_identities_user_idx").on(t.userId)],
);

/** Single-use links sent by mail (email verification, password reset), stored as SHA-256 of the token. */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [check("email_tokens_purpose_valid", sql`${t.purpose} IN ('verify_email', 'reset_password')`), index("email_tokens_user_idx").on(t.userId)],
);

/** Citizens who represent a business (its legal representative and authorised people). */
export const businessRepresentatives = pgTable(
  "business_representatives",
  {
    businessId: text("business_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    citizenId: text("citizen_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.citizenId] }), index("business_representatives_citizen_idx").on(t.citizenId)],
);
