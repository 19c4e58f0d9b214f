import { index, jsonb, pgTable, primaryKey, text, timestamp } from "../../../platform/db/drizzle.ts";

/** oidc-provider's models (sessions, codes, tokens, grants, interactions…), one row per model instance. */
export const oidcPayloads = pgTable(
  "oidc_payloads",
  {
    model: text("model").notNull(),
    id: text("id").notNull(),
    payload: jsonb("payload").notNull(),
    grantId: text("grant_id"),
    userCode: text("user_code"),
    uid: text("uid"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index("oidc_payloads_grant_idx").on(t.grantId),
    index("oidc_payloads_uid_idx").on(t.uid),
    index("oidc_payloads_user_code_idx").on(t.userCode),
    index("oidc_payloads_expires_idx").on(t.expiresAt),
  ],
);

/** Signing keys (private JWKs). The newest signs; older ones stay published until retired. */
export const oidcKeys = pgTable("oidc_keys", {
  kid: text("kid").primaryKey(),
  jwk: jsonb("jwk").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp("retired_at", { withTimezone: true }),
});
