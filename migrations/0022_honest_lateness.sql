ALTER TABLE "dossiers" ADD COLUMN "promised_at" timestamp with time zone;--> statement-breakpoint
-- Issue 14, item 4 (DOMAIN.md §3): an apology promises a new date (promised_at) but no longer moves the legal
-- due date. Dossiers apologised for under the old rule had due_at moved to the new date and original_due_at
-- kept the legal one (both moved alike by supplement pauses): the new date becomes the promise, the legal date
-- comes back, and a finished dossier's timeliness is read again against it, by Vietnamese calendar days as
-- transitions.ts timelinessOf reads it.
UPDATE "dossiers" SET
  "promised_at" = "due_at",
  "due_at" = "original_due_at",
  "timeliness" = CASE
    WHEN "timeliness" IS NULL OR "finished_at" IS NULL THEN "timeliness"
    WHEN "finished_at" > "original_due_at" THEN 'late'
    WHEN ("finished_at" AT TIME ZONE 'Asia/Ho_Chi_Minh')::date < ("original_due_at" AT TIME ZONE 'Asia/Ho_Chi_Minh')::date THEN 'early'
    ELSE 'on_time'
  END
WHERE "apologized" > 0 AND "original_due_at" IS NOT NULL AND "due_at" IS NOT NULL;
