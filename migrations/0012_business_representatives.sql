CREATE TABLE "business_representatives" (
	"business_id" text NOT NULL,
	"citizen_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_representatives_business_id_citizen_id_pk" PRIMARY KEY("business_id","citizen_id")
);
--> statement-breakpoint
ALTER TABLE "business_representatives" ADD CONSTRAINT "business_representatives_business_id_users_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business_representatives" ADD CONSTRAINT "business_representatives_citizen_id_users_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "business_representatives_citizen_idx" ON "business_representatives" USING btree ("citizen_id");