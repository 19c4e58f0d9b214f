// What the dossiers module tells the others: one event per change of a dossier, published in the change's
// transaction ("dossiers.transition"). Listeners bind to this type, never to the dossiers' table, and it
// carries no personal data (the applicant is not in it): a listener that must write to the applicant reads
// the dossier through this module.
import type { Actor } from "../../platform/auth/actor.ts";
import type { DossierAction, DossierChannel, DossierStatus, Timeliness } from "./model.ts";

/** A dossier as its listeners know it: ids, codes, where it is, its times. */
export interface DossierFacts {
  id: string;
  /** Mã hồ sơ, once received. */
  code: string | null;
  procedure: { code: string; version: number };
  channel: DossierChannel;
  /** The agency that received it (QCVN 102 code) and its province. */
  receivingAgencyCode: string;
  provinceCode: string;
  /** The agency working on it now. */
  processingAgencyCode: string;
  status: DossierStatus;
  /** The national portal's TrangThaiHoSo (null for a draft). */
  nationalStatus: number | null;
  submittedAt: Date | null;
  receivedAt: Date | null;
  /** The legal due time, fixed at receipt and moved only by supplement pauses (never by an apology). */
  dueAt: Date | null;
  /** The due time fixed at receipt, moved only by supplement pauses: the same as `dueAt`. */
  originalDueAt: Date | null;
  /** The new date the latest apology (Mẫu 04) promised the applicant; null without one. */
  promisedAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  /** Early, on time or late, once finished. */
  timeliness: Timeliness | null;
  /** How many apologies (Mẫu 04) promised a new date. */
  apologies: number;
  /** How the result was handed over, once returned. */
  returnMethod: string | null;
  /** When the clock was paused for a supplement, while it is. */
  pausedAt: Date | null;
  /** Supplements requested after receipt (Mẫu 02), so far. */
  supplements: number;
  /** A result document was issued as a file (an electronic result). */
  electronicResult: boolean;
  /** The assurance level of the sign-in that filed it online (0 at the counter; 2: VNeID level 2). */
  filedLoa: number;
  /** Taken in from another node for one step (một cửa liên thông): its applicant hears from the origin, not from here. */
  takenIn?: boolean;
  /**
   * On the events of a receipt: its papers as received (one digitised at the counter, one reused from a data store),
   * read with the receipt's own UPDATE, so a listener needs no query for them (`componentFlags` otherwise).
   */
  papers?: { digitised: boolean; reused: boolean };
}

/** A step of the procedure as the event reports it. */
export interface StepFacts {
  index: number;
  key: string;
  name: string;
  agencyCode: string;
  department: string | null;
}

/** One change of a dossier ("dossiers.transition"). */
export interface DossierTransition {
  /** The dossier after the change. */
  dossier: DossierFacts;
  /** The action; `received` is the receipt's first half (national status 2) before `processing`. */
  action: DossierAction | "received";
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
  /** The step the dossier is at after the change, when a hand-over, the receipt or an assignment started it. */
  step: (StepFacts & { assigneeUserId: string | null; dueAt: Date }) | null;
  /** The step that ended with this change (a hand-over), when one did. */
  endedStep: (StepFacts & { startedAt: Date; dueAt: Date }) | null;
  note: string | null;
  details: Record<string, unknown> | null;
}

/** The applicant rated the returned result ("dossiers.rated"), once per dossier; the comment is not in it. */
export interface DossierRated {
  dossier: DossierFacts;
  level: "very_satisfied" | "satisfied" | "unsatisfied";
  at: Date;
}

declare module "../../platform/events.ts" {
  interface EventMap {
    "dossiers.transition": DossierTransition;
    "dossiers.rated": DossierRated;
  }
}
