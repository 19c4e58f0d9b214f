CREATE TABLE "calendar_days" (
	"date" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "calendar_days_kind_known" CHECK ("kind" IN ('holiday', 'compensatory', 'swapped', 'working_day')),
	CONSTRAINT "calendar_days_source_known" CHECK ("calendar_days"."source" IN ('seed', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "office_hours" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "office_hours_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"agency_code" text,
	"valid_from" date NOT NULL,
	"week" jsonb NOT NULL,
	"make_up_day" jsonb NOT NULL,
	"day_minutes" integer NOT NULL,
	"receipt_cutoff" text,
	"basis" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "office_hours_agency_valid_from_key" UNIQUE NULLS NOT DISTINCT("agency_code","valid_from"),
	CONSTRAINT "office_hours_day_minutes_range" CHECK ("office_hours"."day_minutes" BETWEEN 1 AND 1440),
	CONSTRAINT "office_hours_cutoff_format" CHECK ("office_hours"."receipt_cutoff" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
