CREATE TABLE "motcua_seeds" (
	"name" text NOT NULL,
	"version" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "motcua_seeds_name_version_pk" PRIMARY KEY("name","version")
);
