// Sync to the national portal (issue 5, item 9; issue 14, item 7): every change of a dossier's national status and
// every step started or ended becomes an outbox message, queued in the change's transaction and delivered by a
// job, in order per dossier.
//
// The wire follows the public integrations of the portal (docs/dvcqg/README.md; no official specification was
// found): the job signs in with the integration account (`{username, password}` → `{error_code: 0, session}`),
// then POSTs `{session, madonvi, service, isUpdating?, data: [ … ]}` to the integration endpoint, with the
// `dstcode` header when one is set. `error_code` 0, "0" or "00" is success; a DongBoHoSoMC the portal says
// already exists ("đã tồn tại") is sent again at once as an update (`isUpdating: "True"`).
//
// Delivery is at least once: a message whose response was lost is sent again with the same
// `Idempotency-Key`, so a receiver that keeps the keys it has accepted sees each message exactly once.
import { randomUUID } from "node:crypto";
import type { Config } from "../../platform/config/index.ts";
import { type Db, runQueuedNow } from "../../platform/db/index.ts";
import type { EventListener } from "../../platform/events.ts";
import { type Backoff, defineJob, exponentialBackoff, type JobDefinition, type JobQueue, PermanentJobError } from "../../platform/jobs/index.ts";
import type { DossierTransition } from "./events.ts";
import type { FileLinks } from "./file-links.ts";
import type { DossierRow } from "./hooks.ts";
import type { AgencyLookup, ProcedureFacts, ProcedureLookup } from "./lookups.ts";
import { NATIONAL_RECEIVED, NATIONAL_STATUS } from "./model.ts";
import { type CapNhatTienDoHoSoMC, type DongBoHoSoMC, toCapNhatTienDoHoSoMC, toDongBoHoSoMC } from "./national-format.ts";
import { findDossier } from "./repo.ts";
import { readSnapshot } from "./repo.sync.ts";

export { type AgencyLookup, catalogLookup, directoryLookup, type ProcedureFacts, type ProcedureLookup } from "./lookups.ts";
export { nationalTime, toCapNhatTienDoHoSoMC, toDongBoHoSoMC } from "./national-format.ts";

export const NATIONAL_SYNC_JOB = "dossiers.national_sync";

/** What the job delivers: one message of the outbox. The wire body is `envelope(message, session, madonvi)`. */
export type NationalMessage =
  | { service: "DongBoHoSoMC"; messageId: string; dossierId: string; isUpdating: "True" | "False"; data: DongBoHoSoMC }
  | { service: "CapNhatTienDoHoSoMC"; messageId: string; dossierId: string; data: CapNhatTienDoHoSoMC };

/** The body the portal reads: `data` is an array even for one dossier or one step (OpenCPS, the provincial DTO, Hà Giang's adapter). */
export function envelope(message: NationalMessage, session: string, madonvi: string): Record<string, unknown> {
  const base = { session, madonvi, service: message.service };
  return message.service === "DongBoHoSoMC" ? { ...base, isUpdating: message.isUpdating, data: [message.data] } : { ...base, data: [message.data] };
}

/** Success as the integrations read it: `error_code` 0 (a number in one OpenCPS version), "0" or "00". */
export function succeeded(answer: { error_code?: unknown }): boolean {
  return ["0", "00"].includes(String(answer.error_code));
}

/** The portal already has the dossier: the provincial integration resends the message as an update. */
function alreadyExists(answer: { message?: unknown }): boolean {
  return typeof answer.message === "string" && answer.message.normalize("NFC").toLowerCase().includes("đã tồn tại");
}

export interface NationalSyncDeps {
  jobs: JobQueue;
  /** `config.nationalSync`: null sends nothing and queues nothing. */
  endpoint: Config["nationalSync"];
  /** Signs the links to the dossier's files that the portal fetches. */
  links: FileLinks;
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

  /** POSTs JSON and reads a JSON answer; an HTTP failure throws, retryable or not as `retryable` says. */
  async function post(url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal, what: string): Promise<Record<string, unknown>> {
    const res = await fetch(url, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json; charset=utf-8", ...(endpoint!.dstcode ? { dstcode: endpoint!.dstcode } : {}), ...headers },
      body: JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.any([signal, AbortSignal.timeout(endpoint!.timeoutMs)]),
    });
    if (res.status < 200 || res.status >= 300) {
      // The body is not read into logs: a peer may echo the applicant's data back.
      await res.body?.cancel();
      const error = `national portal answered ${res.status} to ${what}`;
      if (retryable(res.status)) throw new Error(error);
      throw new PermanentJobError(error);
    }
    const text = await res.text();
    try {
      const answer = JSON.parse(text) as unknown;
      if (answer && typeof answer === "object" && !Array.isArray(answer)) return answer as Record<string, unknown>;
    } catch {
      // Not JSON: reported below.
    }
    throw new Error(`national portal answered ${what} with something other than a JSON object`);
  }

  // The session is kept for every later message (OpenCPS keeps its token until it is refused) and shared by
  // the jobs running at once; a refused message makes the next one sign in again.
  let session: Promise<string> | null = null;
  const signIn = (signal: AbortSignal) => {
    session ??= (async () => {
      const answer = await post(endpoint.authUrl, { username: endpoint.username, password: endpoint.password }, {}, signal, "the sign-in");
      if (!succeeded(answer) || typeof answer.session !== "string" || answer.session === "") {
        throw new Error(`national portal refused the sign-in (error_code ${JSON.stringify(answer.error_code ?? null)})`);
      }
      return answer.session;
    })();
    // A failed sign-in is not kept: the next attempt tries again.
    session.catch(() => (session = null));
    return session;
  };

  const send = async (message: NationalMessage, signal: AbortSignal) => {
    const token = await signIn(signal);
    const headers = { "idempotency-key": message.messageId, "x-message-type": message.service };
    let answer = await post(endpoint.url, envelope(message, token, endpoint.madonvi), headers, signal, message.service);
    if (!succeeded(answer) && message.service === "DongBoHoSoMC" && message.isUpdating === "False" && alreadyExists(answer)) {
      answer = await post(endpoint.url, envelope({ ...message, isUpdating: "True" }, token, endpoint.madonvi), headers, signal, message.service);
    }
    return { answer, token };
  };

  const job = defineJob<NationalMessage>({
    name: NATIONAL_SYNC_JOB,
    maxAttempts: deps.maxAttempts ?? 25,
    backoff: deps.backoff ?? exponentialBackoff({ baseMs: 10_000, maxMs: 3_600_000 }),
    // Up to two rounds of a sign-in and two posts, each call with its own timeout; this one only guards against a
    // handler that never settles.
    timeoutMs: 6 * endpoint.timeoutMs + 5_000,
    handler: async (message, ctx) => {
      const first = await send(message, ctx.signal);
      if (succeeded(first.answer)) return;
      // The portal does not say which refusals are of the session (an expired one): sign in again once.
      if (session && (await session.catch(() => null)) === first.token) session = null;
      const { answer } = await send(message, ctx.signal);
      if (succeeded(answer)) return;
      throw new PermanentJobError(`national portal refused ${message.service} (error_code ${JSON.stringify(answer.error_code ?? null)})`);
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
    const link = (fileId: string) => deps.links.url(fileId, event.at);
    return statuses.map((s) => toDongBoHoSoMC(d, procedure, s, { processingAgencyName: agency?.name ?? null, snapshot, link, databaseCodes: deps.endpoint?.databaseCodes }));
  }

  async function listener(tx: Db, event: DossierTransition) {
    // A dossier filed in one request is inserted with the COMMIT (runAtCommit): written now, so it can be read.
    await runQueuedNow(tx);
    const d = await findDossier(tx, event.dossier.id);
    if (!d) throw new Error(`national sync: dossier ${event.dossier.id} is not in this transaction`);
    const procedure = deps.catalog ? await deps.catalog(tx, event.dossier.procedure) : null;
    const out: NationalMessage[] = [];
    const base = { dossierId: d.id };
    const progress = (data: CapNhatTienDoHoSoMC) => out.push({ service: "CapNhatTienDoHoSoMC", messageId: randomUUID(), ...base, data });
    // CapNhatTienDoHoSoMC.TrangThai: the dossier's TrangThaiHoSo after the change (DOMAIN.md §3; OpenCPS sends the
    // same mapped status as in DongBoHoSoMC).
    const statusAfter = d.nationalStatus ?? NATIONAL_STATUS[event.toStatus] ?? event.fromNationalStatus ?? NATIONAL_RECEIVED;

    // Order: the step that ended, the status it led to, the step that started.
    const ended = event.endedStep;
    if (ended) {
      progress(
        toCapNhatTienDoHoSoMC({
          dossier: d,
          edge: "ended",
          status: statusAfter,
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
    // The first DongBoHoSoMC of a dossier (from a draft) creates it on the portal; every later one updates it.
    const creates = event.fromNationalStatus === null;
    (await statusMessages(tx, event, d, procedure)).forEach((data, i) => {
      out.push({ service: "DongBoHoSoMC", messageId: randomUUID(), ...base, isUpdating: creates && i === 0 ? "False" : "True", data });
    });
    // `step` is where the dossier is after any change while processing; only a hand-over, the
    // receipt or an assignment starts it.
    const step = event.step;
    if (step && (ended || event.action === "receive" || event.action === "assign")) {
      progress(
        toCapNhatTienDoHoSoMC({
          dossier: d,
          edge: "started",
          status: statusAfter,
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
