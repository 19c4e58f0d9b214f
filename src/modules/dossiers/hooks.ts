import type { dossiers } from "./tables.ts";

/** A row of the dossiers' table: this module's own; other modules see `DossierFacts` (events.ts) and DTOs. */
export type DossierRow = typeof dossiers.$inferSelect;
