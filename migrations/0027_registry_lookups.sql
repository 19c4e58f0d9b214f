CREATE TABLE "registry_lookups" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"actor_name" text NOT NULL,
	"agency_code" text,
	"registry" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"fields" text[] NOT NULL,
	"purpose" text NOT NULL,
	"legal_basis" text NOT NULL,
	"dossier_id" text NOT NULL,
	"outcome" text NOT NULL,
	"request_id" text,
	CONSTRAINT "registry_lookups_registry_known" CHECK ("registry_lookups"."registry" IN ('population', 'business', 'civil_status')),
	CONSTRAINT "registry_lookups_subject_type_known" CHECK ("registry_lookups"."subject_type" IN ('citizen', 'business'))
);
--> statement-breakpoint
CREATE INDEX "registry_lookups_subject_idx" ON "registry_lookups" USING btree ("subject_type","subject_id","at");--> statement-breakpoint
CREATE INDEX "registry_lookups_dossier_idx" ON "registry_lookups" USING btree ("dossier_id");