ALTER TABLE "dossiers" ADD COLUMN "registry_fields" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "registries_used" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "registry_lookups" ADD COLUMN "covert_purpose" text;--> statement-breakpoint
ALTER TABLE "registry_lookups" ADD COLUMN "disclose_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "registry_lookups" ADD COLUMN "prefill" boolean DEFAULT false NOT NULL;