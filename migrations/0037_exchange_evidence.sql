CREATE TABLE "exchange_evidence" (
	"sha256" text PRIMARY KEY NOT NULL,
	"xml" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
