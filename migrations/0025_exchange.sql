CREATE TABLE "exchange_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_code" text NOT NULL,
	"box" text NOT NULL,
	"document_id" text NOT NULL,
	"header" jsonb NOT NULL,
	"bussiness" jsonb NOT NULL,
	"attachments" jsonb NOT NULL,
	"code_number" text NOT NULL,
	"code_notation" text NOT NULL,
	"subject" text NOT NULL,
	"sender_code" text NOT NULL,
	"sender_name" text NOT NULL,
	"register_year" integer NOT NULL,
	"register_number" integer NOT NULL,
	"state" text NOT NULL,
	"pending_change" jsonb,
	"department_code" text,
	"assignee_id" text,
	"assignee_name" text,
	"assignment_due" date,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exchange_documents_copy_key" UNIQUE("agency_code","box","document_id"),
	CONSTRAINT "exchange_documents_register_key" UNIQUE("agency_code","box","register_year","register_number"),
	CONSTRAINT "exchange_documents_box_known" CHECK ("exchange_documents"."box" IN ('in', 'out'))
);
--> statement-breakpoint
CREATE TABLE "exchange_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "exchange_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"from_agency" text NOT NULL,
	"to_agency" text NOT NULL,
	"copy_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"message" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"job_id" bigint,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "exchange_outbox_key" UNIQUE("from_agency","to_agency","key"),
	CONSTRAINT "exchange_outbox_state_known" CHECK ("exchange_outbox"."state" IN ('pending', 'delivered', 'undelivered')),
	CONSTRAINT "exchange_outbox_kind_known" CHECK ("exchange_outbox"."kind" IN ('document', 'status'))
);
--> statement-breakpoint
CREATE TABLE "exchange_peers" (
	"agency_code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"node_url" text NOT NULL,
	"certificate" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_registers" (
	"agency_code" text NOT NULL,
	"box" text NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "exchange_registers_agency_code_box_year_pk" PRIMARY KEY("agency_code","box","year")
);
--> statement-breakpoint
CREATE TABLE "exchange_statuses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "exchange_statuses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"copy_id" uuid NOT NULL,
	"party" text NOT NULL,
	"code" text NOT NULL,
	"description" text,
	"staff" text,
	"at" timestamp with time zone NOT NULL,
	"key" text NOT NULL,
	CONSTRAINT "exchange_statuses_key" UNIQUE("copy_id","key")
);
--> statement-breakpoint
ALTER TABLE "exchange_outbox" ADD CONSTRAINT "exchange_outbox_copy_id_exchange_documents_id_fk" FOREIGN KEY ("copy_id") REFERENCES "public"."exchange_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_statuses" ADD CONSTRAINT "exchange_statuses_copy_id_exchange_documents_id_fk" FOREIGN KEY ("copy_id") REFERENCES "public"."exchange_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exchange_documents_box_idx" ON "exchange_documents" USING btree ("agency_code","box","created_at");--> statement-breakpoint
CREATE INDEX "exchange_outbox_copy_idx" ON "exchange_outbox" USING btree ("copy_id");--> statement-breakpoint
CREATE INDEX "exchange_statuses_copy_idx" ON "exchange_statuses" USING btree ("copy_id","at");