DROP INDEX "dossiers_queue_idx";--> statement-breakpoint
CREATE INDEX "dossiers_queue_idx" ON "dossiers" USING btree ("processing_agency_code","status","due_at","created_at","id");