import { pgTable, primaryKey, text, timestamp } from "./drizzle.ts";

/** Seeds applied to this database, so reference and demo data load once and later edits stay. */
export const motcuaSeeds = pgTable(
  "motcua_seeds",
  {
    name: text("name").notNull(),
    version: text("version").notNull(),
    appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.name, t.version] })],
);
