// A dossier's states and the transitions between them (DOMAIN.md §3, Circular 01/2018, Decree 118/2025).
// The internal states are finer than the national portal's codes 1–10; each maps to exactly one code.

export const STATUSES = [
  "draft", // being written by the applicant, not filed
  "new", // filed, waiting for the receiving desk (Mới đăng ký)
  "incomplete", // the desk asked the applicant to complete it before receipt
  "refused_receipt", // not received, with a reason (Mẫu 03)
  "processing", // received and moving through the procedure's steps
  "supplementing", // after receipt, waiting for the applicant's supplement; the clock is paused (Mẫu 02)
  "withdrawn", // the applicant withdrew it
  "stopped", // processing stopped by the agency, with a reason
  "refused", // refused after receipt, with a reason (Mẫu 03)
  "done", // the result is issued (Đã xử lý xong)
  "returned", // the result was handed to the applicant (Đã trả kết quả)
] as const;
export type DossierStatus = (typeof STATUSES)[number];
/**
 * The statuses only a filed dossier has: those the agencies' lists (queues, register) may hold. A draft is
 * the applicant's until filed, and a withdrawn dossier may be a draft that never was (policy.ts `isOpenToStaff`).
 */
export type FiledStatus = Exclude<DossierStatus, "draft" | "withdrawn">;

/**
 * The national portal's TrangThaiHoSo for each internal state (DOMAIN.md §3). `received` (2) is not a
 * state of its own: receipt records a 2 and moves on to 4 in the same transaction, and both are synced.
 * A refusal after receipt ends processing without a result: 8, like a stop (cfg).
 */
export const NATIONAL_STATUS: Record<DossierStatus, number | null> = {
  draft: null,
  new: 1,
  incomplete: 5,
  refused_receipt: 3,
  processing: 4,
  supplementing: 5,
  withdrawn: 7,
  stopped: 8,
  refused: 8,
  done: 9,
  returned: 10,
};
export const NATIONAL_RECEIVED = 2;

export const CHANNELS = ["online", "counter", "post"] as const;
export type DossierChannel = (typeof CHANNELS)[number];

/** National channel codes (DOMAIN.md §3): 1 in person, 2 online, 3 public postal service. */
export const NATIONAL_CHANNEL: Record<DossierChannel, number> = { counter: 1, online: 2, post: 3 };

export const ACTIONS = [
  "submit",
  "receive",
  "refuse_receipt",
  "assign",
  "forward",
  "send_back",
  "request_supplement",
  "supplement",
  "approve",
  "refuse",
  "apologize",
  "stop",
  "finish",
  "return",
  "withdraw",
] as const;
export type DossierAction = (typeof ACTIONS)[number];

/** The states each action may start from; the service decides the state it ends in. */
export const FROM: Record<DossierAction, readonly DossierStatus[]> = {
  submit: ["draft"],
  receive: ["new"],
  refuse_receipt: ["new", "incomplete"],
  assign: ["processing"],
  forward: ["processing"],
  send_back: ["processing"],
  request_supplement: ["new", "processing"],
  supplement: ["incomplete", "supplementing"],
  approve: ["processing"],
  refuse: ["processing", "supplementing"],
  apologize: ["processing", "supplementing"],
  stop: ["processing", "supplementing"],
  finish: ["processing"],
  return: ["done"],
  withdraw: ["draft", "new", "incomplete", "processing", "supplementing"],
};

/** States a dossier never leaves. */
export const FINAL: readonly DossierStatus[] = ["refused_receipt", "withdrawn", "stopped", "refused", "returned"];

export type Timeliness = "early" | "on_time" | "late";

/** Officer work queues (API.md `GET /api/office/dossiers?queue=`). */
export const QUEUES = ["new", "processing", "supplement", "due_soon", "overdue", "finished", "returned"] as const;
export type Queue = (typeof QUEUES)[number];

/** Settings of the one-stop rules (DOMAIN.md §3, cfg). */
export interface DossierRules {
  /** Supplements that may be requested after receipt (default 1). */
  supplementsAfterReceipt: number;
  /** Working days between an apology and the due date it moves, at least (default 1). */
  apologyLeadWorkingDays: number;
  /** Working hours before the due time from which a dossier is "due soon" (default 8). */
  dueSoonWorkingHours: number;
}

export const DEFAULT_RULES: DossierRules = { supplementsAfterReceipt: 1, apologyLeadWorkingDays: 1, dueSoonWorkingHours: 8 };
