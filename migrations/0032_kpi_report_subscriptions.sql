CREATE TABLE "kpi_report_sends" (
	"month" text NOT NULL,
	"user_id" text NOT NULL,
	"agency_code" text NOT NULL,
	"queued_at" timestamp with time zone NOT NULL,
	CONSTRAINT "kpi_report_sends_month_user_id_agency_code_pk" PRIMARY KEY("month","user_id","agency_code")
);
--> statement-breakpoint
CREATE TABLE "kpi_report_subscriptions" (
	"user_id" text NOT NULL,
	"agency_code" text NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "kpi_report_subscriptions_user_id_agency_code_pk" PRIMARY KEY("user_id","agency_code")
);
