ALTER TABLE "dossier_files" ADD COLUMN "digitised" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dossier_files" ADD COLUMN "reused_from" text;--> statement-breakpoint
ALTER TABLE "dossier_pauses" ADD COLUMN "due_before" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dossier_pauses" ADD COLUMN "due_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "filed_loa" integer DEFAULT 0 NOT NULL;