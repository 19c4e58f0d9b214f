import type { Actor } from "../auth/actor.ts";
import type { Db } from "../db/index.ts";

/**
 * The audit log's contract (implemented in this folder). Every state change of a dossier, document,
 * account or setting records an entry inside the transaction that makes the change.
 */
export interface AuditEntryInput {
  actor: Actor;
  /** `module.verb`, e.g. `calendar.day_off_added`. */
  action: string;
  /** What was acted on: `{ type: "agency", id: "000.00.00.H29" }`. */
  subject: { type: string; id: string };
  /** The request that caused it, when there was one. */
  requestId?: string | null;
  /**
   * The change itself (before/after, the input…). Only its SHA-256 digest is stored: the log proves
   * what happened without holding personal data.
   */
  change?: unknown;
}

export interface Audit {
  /** Appends an entry in the caller's transaction; rolled back with it. */
  record(tx: Db, entry: AuditEntryInput): Promise<void>;
}
