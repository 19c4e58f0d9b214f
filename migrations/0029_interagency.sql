CREATE TABLE "interagency_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"side" text NOT NULL,
	"origin_code" text NOT NULL,
	"step_index" integer NOT NULL,
	"round" integer NOT NULL,
	"dossier_id" text NOT NULL,
	"agency_code" text NOT NULL,
	"partner_code" text NOT NULL,
	"request_copy_id" uuid NOT NULL,
	"response_for" jsonb,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "interagency_transfers_passage_key" UNIQUE("side","origin_code","step_index","round"),
	CONSTRAINT "interagency_transfers_side_known" CHECK ("interagency_transfers"."side" IN ('out', 'in')),
	CONSTRAINT "interagency_transfers_state_known" CHECK ("interagency_transfers"."state" IN ('sent', 'approved', 'refused', 'taken_in', 'answered'))
);
--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "away_agency_code" text;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "taken_in_step" jsonb;--> statement-breakpoint
CREATE INDEX "interagency_transfers_dossier_idx" ON "interagency_transfers" USING btree ("dossier_id");