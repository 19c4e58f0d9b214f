import { integer, pgTable, text, timestamp } from "../db/drizzle.ts";

/**
 * The look-up throttles' counts per key and window, shared by every node (one node's memory would let each added
 * node multiply a limit): the public dossier lookup's per client address, the registries' per person and per client.
 * A key's window runs for its length from its first count. Unlogged (migration 0017): no WAL is written for it, and a
 * crash forgets at most a window's counts, which a throttle can afford.
 */
export const lookupThrottle = pgTable("lookup_throttle", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  resetAt: timestamp("reset_at", { withTimezone: true }).notNull(),
});
