-- The public lookup's throttle, shared by every node. UNLOGGED (drizzle-kit has no word for it): no WAL for a
-- counter written with most lookups; a crash empties it, forgetting at most a minute's counts.
CREATE UNLOGGED TABLE "lookup_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
