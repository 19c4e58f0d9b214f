CREATE TABLE "data_breaches" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"agency_code" text,
	"discovered_at" timestamp with time zone NOT NULL,
	"occurred_at" timestamp with time zone,
	"description" text NOT NULL,
	"subjects" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"notify_due_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"notified_by" text
);
--> statement-breakpoint
CREATE TABLE "data_consents" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"user_id" text NOT NULL,
	"purpose" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"granted_by" text NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" text
);
--> statement-breakpoint
CREATE TABLE "data_subject_requests" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"user_id" text NOT NULL,
	"username" text NOT NULL,
	"full_name" text NOT NULL,
	"kind" text NOT NULL,
	"detail" text NOT NULL,
	"status" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"answered_by" text,
	"answer" text,
	"export" jsonb,
	CONSTRAINT "data_subject_requests_kind_known" CHECK ("data_subject_requests"."kind" IN ('see', 'correct', 'delete')),
	CONSTRAINT "data_subject_requests_status_known" CHECK ("data_subject_requests"."status" IN ('received', 'in_progress', 'done', 'refused'))
);
--> statement-breakpoint
CREATE INDEX "data_breaches_agency_idx" ON "data_breaches" USING btree ("agency_code","discovered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "data_consents_in_force_idx" ON "data_consents" USING btree ("user_id","purpose") WHERE "data_consents"."withdrawn_at" IS NULL;--> statement-breakpoint
CREATE INDEX "data_consents_user_idx" ON "data_consents" USING btree ("user_id","granted_at");--> statement-breakpoint
CREATE INDEX "data_subject_requests_user_idx" ON "data_subject_requests" USING btree ("user_id","filed_at");--> statement-breakpoint
CREATE INDEX "data_subject_requests_open_idx" ON "data_subject_requests" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "registry_lookups_agency_idx" ON "registry_lookups" USING btree ("agency_code","at");