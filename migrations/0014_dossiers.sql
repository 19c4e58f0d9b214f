CREATE TABLE "dossier_counters" (
	"agency_code" text NOT NULL,
	"day" date NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "dossier_counters_agency_code_day_pk" PRIMARY KEY("agency_code","day")
);
--> statement-breakpoint
CREATE TABLE "dossier_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dossier_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dossier_id" text NOT NULL,
	"province_code" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"note" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "dossier_files" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"dossier_id" text NOT NULL,
	"province_code" text NOT NULL,
	"kind" text NOT NULL,
	"component" text,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dossier_files_kind_valid" CHECK ("dossier_files"."kind" IN ('component', 'result'))
);
--> statement-breakpoint
CREATE TABLE "dossier_pauses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dossier_pauses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dossier_id" text NOT NULL,
	"province_code" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone,
	"items" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_ratings" (
	"dossier_id" text PRIMARY KEY NOT NULL,
	"province_code" text NOT NULL,
	"level" text NOT NULL,
	"comment" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "dossier_ratings_level_valid" CHECK ("dossier_ratings"."level" IN ('very_satisfied', 'satisfied', 'unsatisfied'))
);
--> statement-breakpoint
CREATE TABLE "dossier_steps" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dossier_steps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dossier_id" text NOT NULL,
	"province_code" text NOT NULL,
	"step_index" integer NOT NULL,
	"step_key" text NOT NULL,
	"step_name" text NOT NULL,
	"agency_code" text NOT NULL,
	"department" text,
	"assignee_user_id" text,
	"handed_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text,
	"outcome" text,
	"timeliness" text
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"code" text,
	"lookup_key" text,
	"procedure_code" text NOT NULL,
	"procedure_version" integer NOT NULL,
	"agency_code" text NOT NULL,
	"province_code" text NOT NULL,
	"processing_agency_code" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"national_status" integer,
	"applicant" jsonb NOT NULL,
	"owner_user_id" text,
	"form_data" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"request_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"original_due_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"timeliness" text,
	"step_index" integer,
	"step_due_at" timestamp with time zone,
	"assignee_user_id" text,
	"assignee_department" text,
	"supplements_after_receipt" integer DEFAULT 0 NOT NULL,
	"apologized" integer DEFAULT 0 NOT NULL,
	"due_soon_at" timestamp with time zone,
	"overdue_at" timestamp with time zone,
	"result_file_sha256" text,
	"return_method" text,
	CONSTRAINT "dossiers_code_unique" UNIQUE("code"),
	CONSTRAINT "dossiers_channel_valid" CHECK ("dossiers"."channel" IN ('online', 'counter', 'post')),
	CONSTRAINT "dossiers_status_valid" CHECK ("dossiers"."status" IN ('draft', 'new', 'incomplete', 'refused_receipt', 'processing', 'supplementing', 'withdrawn', 'stopped', 'refused', 'done', 'returned')),
	CONSTRAINT "dossiers_timeliness_valid" CHECK ("dossiers"."timeliness" IS NULL OR "dossiers"."timeliness" IN ('early', 'on_time', 'late'))
);
--> statement-breakpoint
ALTER TABLE "dossier_events" ADD CONSTRAINT "dossier_events_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_files" ADD CONSTRAINT "dossier_files_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_pauses" ADD CONSTRAINT "dossier_pauses_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_ratings" ADD CONSTRAINT "dossier_ratings_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_steps" ADD CONSTRAINT "dossier_steps_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dossier_events_dossier_idx" ON "dossier_events" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE INDEX "dossier_files_dossier_idx" ON "dossier_files" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "dossier_pauses_dossier_idx" ON "dossier_pauses" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE INDEX "dossier_steps_dossier_idx" ON "dossier_steps" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "dossiers_request_idx" ON "dossiers" USING btree ("created_by","request_id") WHERE "dossiers"."request_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "dossiers_owner_idx" ON "dossiers" USING btree ("owner_user_id","created_at");--> statement-breakpoint
CREATE INDEX "dossiers_queue_idx" ON "dossiers" USING btree ("processing_agency_code","status","due_at");--> statement-breakpoint
CREATE INDEX "dossiers_province_received_idx" ON "dossiers" USING btree ("province_code","received_at");