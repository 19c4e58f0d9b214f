-- The catalogue of procedures. Typo correction of searches uses edit distance (fuzzystrmatch, in
-- PostgreSQL's contrib and in PGlite) against the vocabulary of published procedures (catalog_words).
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
--> statement-breakpoint
CREATE TABLE "catalog_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "procedure_versions" (
	"procedure_code" text NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" text,
	"request_id" text,
	CONSTRAINT "procedure_versions_procedure_code_version_pk" PRIMARY KEY("procedure_code","version"),
	CONSTRAINT "procedure_versions_version_positive" CHECK ("procedure_versions"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"code" text PRIMARY KEY NOT NULL,
	"current_version" integer,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"field_code" text NOT NULL,
	"field_name" text NOT NULL,
	"online_level" text NOT NULL,
	"levels" text[] NOT NULL,
	"audience" text[] NOT NULL,
	"agency_codes" text[] NOT NULL,
	"summary" jsonb NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('vietnamese'::regconfig, name)) STORED,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('vietnamese'::regconfig, name), 'A') || setweight(to_tsvector('vietnamese'::regconfig, description), 'B') || setweight(to_tsvector('vietnamese'::regconfig, field_name), 'C')) STORED,
	CONSTRAINT "procedures_online_level_valid" CHECK ("procedures"."online_level" IN ('full', 'partial'))
);
--> statement-breakpoint
ALTER TABLE "procedure_versions" ADD CONSTRAINT "procedure_versions_procedure_code_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "public"."procedures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "procedure_versions_one_draft_idx" ON "procedure_versions" USING btree ("procedure_code") WHERE "procedure_versions"."published_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "procedure_versions_request_idx" ON "procedure_versions" USING btree ("created_by","request_id") WHERE "procedure_versions"."request_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "procedures_search_vector_idx" ON "procedures" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "procedures_name_vector_idx" ON "procedures" USING gin ("name_vector");--> statement-breakpoint
CREATE INDEX "procedures_listed_order_idx" ON "procedures" USING btree (char_length("name"),"name","code") WHERE "procedures"."current_version" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "procedures_field_idx" ON "procedures" USING btree ("field_code");--> statement-breakpoint
CREATE INDEX "procedures_agencies_idx" ON "procedures" USING gin ("agency_codes");--> statement-breakpoint
CREATE INDEX "procedures_listed_name_idx" ON "procedures" USING btree ("name") WHERE "procedures"."current_version" IS NOT NULL;
--> statement-breakpoint
-- A published version is the law a dossier was filed under: it never changes and is never removed.
-- The only update allowed on a version is the one that publishes a draft.
CREATE FUNCTION procedure_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.published_at IS NOT NULL THEN
    RAISE EXCEPTION 'procedure % version % is published and cannot be changed', OLD.procedure_code, OLD.version
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER procedure_versions_immutable BEFORE UPDATE OR DELETE ON "procedure_versions" FOR EACH ROW EXECUTE FUNCTION procedure_versions_guard();
