-- Vietnamese search: diacritic-insensitive full text (unaccent) and typo tolerance (trigrams).
-- Both extensions ship with PostgreSQL's contrib and with PGlite.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- unaccent() is STABLE (it reads a dictionary); this wrapper names the dictionary explicitly so it can be
-- IMMUTABLE and used in index expressions.
CREATE OR REPLACE FUNCTION vn_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(unaccent('unaccent'::regdictionary, $1)) $$;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION vietnamese (COPY = simple);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION vietnamese
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
  WITH unaccent, simple;
