CREATE TABLE "exchange_agency_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "exchange_agency_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"agency_code" text NOT NULL,
	"state" text NOT NULL,
	"source" text NOT NULL,
	"certificate_pem" text NOT NULL,
	"fingerprint" text NOT NULL,
	"private_key_enc" text NOT NULL,
	"subject" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "exchange_agency_keys_fingerprint_key" UNIQUE("fingerprint"),
	CONSTRAINT "exchange_agency_keys_state_known" CHECK ("exchange_agency_keys"."state" IN ('active', 'retired')),
	CONSTRAINT "exchange_agency_keys_source_known" CHECK ("exchange_agency_keys"."source" IN ('generated', 'imported'))
);
--> statement-breakpoint
CREATE TABLE "exchange_signing_ca" (
	"id" text PRIMARY KEY NOT NULL,
	"certificate_pem" text NOT NULL,
	"private_key_enc" text NOT NULL,
	"fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_trusted_certificates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "exchange_trusted_certificates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"agency_code" text NOT NULL,
	"certificate_pem" text NOT NULL,
	"fingerprint" text NOT NULL,
	"subject" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "exchange_trusted_certificates_agency_fingerprint_key" UNIQUE("agency_code","fingerprint")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_agency_keys_one_active" ON "exchange_agency_keys" USING btree ("agency_code") WHERE "exchange_agency_keys"."state" = 'active';--> statement-breakpoint
CREATE INDEX "exchange_agency_keys_agency_idx" ON "exchange_agency_keys" USING btree ("agency_code");--> statement-breakpoint
CREATE INDEX "exchange_trusted_certificates_agency_idx" ON "exchange_trusted_certificates" USING btree ("agency_code");