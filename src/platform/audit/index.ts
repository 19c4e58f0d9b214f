// The audit log: every change recorded in its transaction, sealed into a hash chain (types.ts is its contract).
export type { Audit, AuditEntryInput } from "./types.ts";
export { type AuditLog, auditKey, createAuditLog, type VerifyReport } from "./service.ts";
export { auditSealJob } from "./jobs.ts";
