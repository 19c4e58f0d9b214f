CREATE TABLE "kpi_rollups_monthly" (
	"province_code" text NOT NULL,
	"agency_code" text NOT NULL,
	"competent_agency_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"channel" text NOT NULL,
	"month" date NOT NULL,
	"measure" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "kpi_rollups_monthly_province_code_month_agency_code_competent_agency_code_procedure_code_channel_measure_pk" PRIMARY KEY("province_code","month","agency_code","competent_agency_code","procedure_code","channel","measure")
);
