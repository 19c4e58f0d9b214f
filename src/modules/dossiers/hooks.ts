// What happens beside a dossier's change, in its transaction: notifications and the national portal's
// sync are queued here (the outbox), so they exist exactly when the change commits.
import type { Actor } from "../../platform/auth/actor.ts";
import type { Db } from "../../platform/db/index.ts";
import type { DossierAction, DossierStatus } from "./model.ts";
import type { dossiers } from "./tables.ts";

export type DossierRow = typeof dossiers.$inferSelect;

/** One change of a dossier, as its listeners see it. */
export interface TransitionEvent {
  /** The dossier after the change. */
  dossier: DossierRow;
  /** The action; `received` is the receipt's first half (national status 2) before `processing`. */
  action: DossierAction | "create" | "received";
  fromStatus: DossierStatus | null;
  toStatus: DossierStatus;
  /** The national status before the change (null for a draft). */
  fromNationalStatus: number | null;
  /** The national status this change reports: 2 for the receipt's first half, else the new state's. */
  nationalStatus: number | null;
  at: Date;
  actor: Actor;
  /** A display name of who acted, for messages. */
  actorName: string;
  /** The step the dossier is at after the change, when processing. */
  step: { index: number; key: string; name: string; agencyCode: string; department: string | null; assigneeUserId: string | null; dueAt: Date } | null;
  /** The step that ended with this change (a hand-over), when one did. */
  endedStep: { index: number; key: string; name: string; agencyCode: string; department: string | null; startedAt: Date; dueAt: Date } | null;
  note: string | null;
  details: Record<string, unknown> | null;
}

export interface DossierHooks {
  /** Runs in the transaction of the change; a throw rolls the change back. */
  afterTransition(tx: Db, event: TransitionEvent): Promise<void>;
}
