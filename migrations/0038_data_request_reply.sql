ALTER TABLE "data_subject_requests" ADD COLUMN "reply_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "data_subject_requests" ADD COLUMN "replied_at" timestamp with time zone;--> statement-breakpoint
-- A request handled before the reply was kept: its reply was its first handling (taken up or answered), as the
-- audit log recorded it, else its answer.
UPDATE "data_subject_requests" r SET "replied_at" = COALESCE(
  (SELECT min(a."at") FROM "audit_log" a WHERE a."action" = 'registries.data_request_handled' AND a."subject_type" = 'data_subject_request' AND a."subject_id" = r."id"),
  r."answered_at")
WHERE r."status" <> 'received';--> statement-breakpoint
-- A breach not notified yet, recorded under Decree 13/2023 (its hours counted from when it occurred): the same hours
-- from its discovery (Law 91/2025 Art. 23(1)).
UPDATE "data_breaches" SET "notify_due_at" = "discovered_at" + ("notify_due_at" - "occurred_at")
WHERE "notified_at" IS NULL AND "occurred_at" IS NOT NULL;
