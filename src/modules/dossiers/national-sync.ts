// Sync to the national portal (issue 5, item 9): every change of a dossier's national status and every
// step started or ended becomes an outbox message, queued in the change's transaction and delivered by
// a job, in order per dossier.
//
// Delivery is at least once: a message whose response was lost is sent again with the same
// `Idempotency-Key`, so a receiver that keeps the keys it has accepted sees each message exactly once.
import { randomUUID } from "node:crypto";
import type { Config } from "../../platform/config/index.ts";
import type { Db } from "../../platform/db/index.ts";
import type { EventListener } from "../../platform/events.ts";
import { type Backoff, defineJob, exponentialBackoff, type JobDefinition, type JobQueue, PermanentJobError } from "../../platform/jobs/index.ts";
import type { DossierTransition } from "./events.ts";
import type { DossierRow } from "./hooks.ts";
import type { AgencyLookup, ProcedureFacts, ProcedureLookup } from "./lookups.ts";
import { NATIONAL_RECEIVED, NATIONAL_STATUS } from "./model.ts";
import {
  type CapNhatTienDoHoSoMC,
  type DongBoHoSoMC,
  STEP_ENDED,
  STEP_STARTED,
  toCapNhatTienDoHoSoMC,
  toDongBoHoSoMC,
} from "./national-format.ts";
import { findDossier } from "./repo.ts";
import { readSnapshot } from "./repo.sync.ts";

export { type AgencyLookup, catalogLookup, directoryLookup, type ProcedureFacts, type ProcedureLookup } from "./lookups.ts";
export { nationalTime, toCapNhatTienDoHoSoMC, toDongBoHoSoMC } from "./national-format.ts";

export const NATIONAL_SYNC_JOB = "dossiers.national_sync";

/** What is POSTed to the endpoint, as JSON. */
export type NationalMessage =
  | { service: "DongBoHoSoMC"; messageId: string; dossierId: string; data: DongBoHoSoMC }
  | { service: "CapNhatTienDoHoSoMC"; messageId: string; dossierId: string; data: CapNhatTienDoHoSoMC };

export interface NationalSyncDeps {
  jobs: JobQueue;
  /** `config.nationalSync`: null sends nothing and queues nothing. */
  endpoint: Config["nationalSync"];
  /** Names of the procedure and its field, fees, components; without it those fields are empty. */
  catalog?: ProcedureLookup;
  /** Names of agencies and departments; without it their codes are sent. */
  directory?: AgencyLookup;
  /** Delay between attempts; 10 s doubling up to 1 h by default. */
  backoff?: Backoff;
  /** Attempts before a message is dead-lettered; 25 by default (about a day of the portal being down). */
  maxAttempts?: number;
}

/** A delivery answer worth trying again: the peer's own trouble, not the message's. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500 || status < 400;
}

export interface NationalSync {
  /** Listens to "dossiers.transition", in the change's transaction; none without an endpoint. */
  listener: EventListener<"dossiers.transition"> | null;
  /** `dossiers.national_sync`, which delivers what the listener queues; none without an endpoint. */
  job: JobDefinition<NationalMessage> | null;
}

/**
 * The listener of each dossier change, and the job that delivers what it queues. Every message of a
 * dossier shares the order key `national:<dossierId>`, so they leave one at a time in the order they were
 * queued; a dead one holds the later ones back until retried. The portal's messages name the applicant:
 * the listener reads the dossier in the change's transaction (it is locked by the change).
 */
export function makeNationalSync(deps: NationalSyncDeps): NationalSync {
  const { endpoint } = deps;
  if (!endpoint) return { listener: null, job: null };

  const job = defineJob<NationalMessage>({
    name: NATIONAL_SYNC_JOB,
    maxAttempts: deps.maxAttempts ?? 25,
    backoff: deps.backoff ?? exponentialBackoff({ baseMs: 10_000, maxMs: 3_600_000 }),
    // The fetch has its own timeout; this one only guards against a handler that never settles.
    timeoutMs: endpoint.timeoutMs + 5_000,
    handler: async (message, ctx) => {
      const headers: Record<string, string> = {
        "content-type": "application/json; charset=utf-8",
        "idempotency-key": message.messageId,
        "x-message-type": message.service,
      };
      if (endpoint.token) headers.authorization = `Bearer ${endpoint.token}`;
      const res = await fetch(endpoint.url, {
        method: "POST",
        headers,
        body: JSON.stringify(message),
        redirect: "manual",
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(endpoint.timeoutMs)]),
      });
      // The body is not read into logs: a peer may echo the applicant's data back.
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) return;
      const error = `national portal answered ${res.status} to ${message.service}`;
      if (retryable(res.status)) throw new Error(error);
      throw new PermanentJobError(error);
    },
  });

  async function departmentName(tx: Db, agencyCode: string, department: string | null): Promise<string | null> {
    if (!department) return null;
    const agency = deps.directory ? await deps.directory(tx, agencyCode) : null;
    return agency?.departments.find((d) => d.code === department)?.name ?? department;
  }

  async function statusMessages(tx: Db, event: DossierTransition, d: DossierRow, procedure: ProcedureFacts | null): Promise<DongBoHoSoMC[]> {
    const to = event.action === "received" ? NATIONAL_RECEIVED : (d.nationalStatus ?? NATIONAL_STATUS[event.toStatus]);
    if (to === null || to === event.fromNationalStatus) return [];
    // The portal expects 2 (Được tiếp nhận) before 4: when the service reports the receipt as one change
    // rather than `received` then `receive`, the 2 is sent here.
    const statuses = event.action === "receive" && event.fromNationalStatus !== NATIONAL_RECEIVED && to !== NATIONAL_RECEIVED ? [NATIONAL_RECEIVED, to] : [to];
    const agency = deps.directory ? await deps.directory(tx, d.processingAgencyCode) : null;
    const snapshot = await readSnapshot(tx, d.id);
    return statuses.map((s) => toDongBoHoSoMC(d, procedure, s, { processingAgencyName: agency?.name ?? null, snapshot }));
  }

  async function listener(tx: Db, event: DossierTransition) {
    const d = await findDossier(tx, event.dossier.id);
    if (!d) throw new Error(`national sync: dossier ${event.dossier.id} is not in this transaction`);
    const procedure = deps.catalog ? await deps.catalog(tx, event.dossier.procedure) : null;
    const out: NationalMessage[] = [];
    const base = { dossierId: d.id };
    const progress = (data: CapNhatTienDoHoSoMC) => out.push({ service: "CapNhatTienDoHoSoMC", messageId: randomUUID(), ...base, data });

    // Order: the step that ended, the status it led to, the step that started.
    const ended = event.endedStep;
    if (ended) {
      progress(
        toCapNhatTienDoHoSoMC({
          dossier: d,
          state: STEP_ENDED,
          stepName: ended.name,
          departmentName: await departmentName(tx, ended.agencyCode, ended.department),
          startedAt: ended.startedAt,
          dueAt: ended.dueAt,
          at: event.at,
          actor: event.actor,
          actorName: event.actorName,
          note: event.note,
        }),
      );
    }
    for (const data of await statusMessages(tx, event, d, procedure)) {
      out.push({ service: "DongBoHoSoMC", messageId: randomUUID(), ...base, data });
    }
    // `step` is where the dossier is after any change while processing; only a hand-over, the
    // receipt or an assignment starts it.
    const step = event.step;
    if (step && (ended || event.action === "receive" || event.action === "assign")) {
      progress(
        toCapNhatTienDoHoSoMC({
          dossier: d,
          state: STEP_STARTED,
          stepName: step.name,
          departmentName: await departmentName(tx, step.agencyCode, step.department),
          startedAt: event.at,
          dueAt: step.dueAt,
          at: event.at,
          actor: event.actor,
          actorName: event.actorName,
          note: null,
        }),
      );
    }
    // Job ids follow the order of the dossier's changes because the dossier service holds the
    // dossier's row lock for each change: the next one queues only after this one commits.
    for (const message of out) await deps.jobs.enqueue(tx, job, message, { orderKey: `national:${d.id}` });
  }

  return { listener, job };
}
