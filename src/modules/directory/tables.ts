import { check, index, integer, pgTable, sql, text, timestamp, unique } from "../../platform/db/drizzle.ts";
import { AGENCY_KINDS } from "./kinds.ts";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/** Provinces and centrally-run cities after the 2025 reform (34), codes of Công văn 915/CTK-CSCL. */
export const adminProvinces = pgTable("admin_provinces", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
});

/** Commune-level units after 1 July 2025 (3,321): xã, phường, đặc khu; codes of Công văn 1027/CTK-CSCL. */
export const adminCommunes = pgTable(
  "admin_communes",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    provinceCode: text("province_code")
      .notNull()
      .references(() => adminProvinces.code),
  },
  (t) => [index("admin_communes_province_idx").on(t.provinceCode, t.code)],
);

/**
 * Agencies by their QCVN 102:2016 identifier `V1V2V3.Z1Z2.Y1Y2.MX1X2` (13 characters).
 * `level` is the depth of the identifier's last used level (1 = MX1X2 only … 4 = V1V2V3 used).
 */
export const agencies = pgTable(
  "agencies",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    nameEn: text("name_en"),
    level: integer("level").notNull(),
    parentCode: text("parent_code").references((): AnyPgColumn => agencies.code),
    provinceCode: text("province_code").references(() => adminProvinces.code),
    communeCode: text("commune_code").references(() => adminCommunes.code),
    kind: text("kind").notNull(),
    address: text("address"),
    email: text("email"),
    phone: text("phone"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("agencies_parent_idx").on(t.parentCode),
    index("agencies_province_idx").on(t.provinceCode),
    check("agencies_code_format", sql`${t.code} ~ '^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2}$'`),
    check("agencies_level_range", sql`${t.level} BETWEEN 1 AND 4`),
    check("agencies_kind_known", sql.raw(`"kind" IN (${AGENCY_KINDS.map((k) => `'${k}'`).join(", ")})`)),
  ],
);

/** Departments (phòng ban) inside an agency. */
export const departments = pgTable(
  "departments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    agencyCode: text("agency_code")
      .notNull()
      .references(() => agencies.code),
    code: text("code").notNull(),
    name: text("name").notNull(),
    nameEn: text("name_en"),
  },
  (t) => [unique("departments_agency_code_key").on(t.agencyCode, t.code)],
);
