-- The catalogue's search is answered from each node's memory (src/modules/catalog/search-index.ts): the indexes
-- its SQL read are no longer read; the word columns stay, the index is built from them.
DROP INDEX "procedures_search_vector_idx";--> statement-breakpoint
DROP INDEX "procedures_name_vector_idx";--> statement-breakpoint
DROP INDEX "procedures_listed_order_idx";