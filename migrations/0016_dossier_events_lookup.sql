-- The public lookup reads a dossier's history by (dossier_id, id) and shows only when, what and the status
-- after: with those three in the index it is read from the index alone, not from one table page per event
-- (a dossier's events are written days apart, each on another page). Drizzle's index builder has no INCLUDE,
-- so the index keeps its name and key columns (src/modules/dossiers/tables.ts) and gains them here.
DROP INDEX IF EXISTS "dossier_events_dossier_idx";--> statement-breakpoint
CREATE INDEX "dossier_events_dossier_idx" ON "dossier_events" USING btree ("dossier_id","id") INCLUDE ("at","action","to_status");
