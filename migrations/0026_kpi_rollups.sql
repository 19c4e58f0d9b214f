CREATE TABLE "kpi_deltas" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kpi_deltas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"province_code" text NOT NULL,
	"agency_code" text NOT NULL,
	"competent_agency_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"channel" text NOT NULL,
	"day" date NOT NULL,
	"measure" text NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_facts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "kpi_facts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dossier_id" text NOT NULL,
	"province_code" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"fact" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_formula_versions" (
	"version" text PRIMARY KEY NOT NULL,
	"valid_from" date NOT NULL,
	"body" jsonb NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "kpi_formula_versions_valid_from_unique" UNIQUE("valid_from")
);
--> statement-breakpoint
CREATE TABLE "kpi_rollups" (
	"province_code" text NOT NULL,
	"agency_code" text NOT NULL,
	"competent_agency_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"channel" text NOT NULL,
	"day" date NOT NULL,
	"measure" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "kpi_rollups_province_code_day_agency_code_competent_agency_code_procedure_code_channel_measure_pk" PRIMARY KEY("province_code","day","agency_code","competent_agency_code","procedure_code","channel","measure")
);
--> statement-breakpoint
CREATE TABLE "kpi_stock_snapshots" (
	"province_code" text NOT NULL,
	"agency_code" text NOT NULL,
	"competent_agency_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"channel" text NOT NULL,
	"month_end" date NOT NULL,
	"measure" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "kpi_stock_snapshots_province_code_month_end_agency_code_competent_agency_code_procedure_code_channel_measure_pk" PRIMARY KEY("province_code","month_end","agency_code","competent_agency_code","procedure_code","channel","measure")
);
--> statement-breakpoint
CREATE INDEX "kpi_deltas_province_idx" ON "kpi_deltas" USING btree ("province_code","day");--> statement-breakpoint
CREATE INDEX "kpi_facts_dossier_idx" ON "kpi_facts" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE INDEX "kpi_facts_province_idx" ON "kpi_facts" USING btree ("province_code","at");--> statement-breakpoint
CREATE INDEX "kpi_rollups_stock_idx" ON "kpi_rollups" USING btree ("province_code","measure","day");