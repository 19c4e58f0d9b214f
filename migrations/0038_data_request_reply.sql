ALTER TABLE "data_subject_requests" ADD COLUMN "reply_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "data_subject_requests" ADD COLUMN "replied_at" timestamp with time zone;--> statement-breakpoint
-- A request answered before the reply was kept: its answer was its reply.
UPDATE "data_subject_requests" SET "replied_at" = "answered_at" WHERE "answered_at" IS NOT NULL;
