// What the exchange services share: their dependencies, the wire's dates, DocumentIds, the agencies as edXML
// names them, where a recipient is served (here or by a peer), and queuing a message for delivery.
import { createHash, randomUUID } from "node:crypto";
import type { AuditLog } from "../../platform/audit/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Db } from "../../platform/db/index.ts";
import type { EventBus } from "../../platform/events.ts";
import type { FileStore } from "../../platform/files/index.ts";
import { domainErrorOf } from "../../platform/http/errors.ts";
import type { JobQueue } from "../../platform/jobs/index.ts";
import type { Signals } from "../../platform/signals.ts";
import { type DirectoryService, isWithinAgency, agencyLevel } from "../directory/index.ts";
import type { IdentityService } from "../identity/index.ts";
import { formatDocumentId } from "./edxml/document-id.ts";
import type { EdxmlDate, EdxmlTimestamp, Organization } from "./edxml/model.ts";
import type { Peer, StoredMessage } from "./model.ts";
import { insertEvidence, insertOutbox, listPeers, type PeerRow, setOutboxJob } from "./repo.ts";
import { signsElsewhere } from "./signing/repo.ts";

export const DELIVER_JOB = "exchange.deliver";

export interface ExchangeDeps {
  database: Database;
  clock: Clock;
  audit: AuditLog;
  files: FileStore;
  jobs: JobQueue;
  directory: DirectoryService;
  identity: IdentityService;
  /** The hub this node hands what no peer covers to (MOTCUA_EXCHANGE_HUB_URL), as a peer of every agency. */
  hub?: Peer | null;
  /** "exchange.received" is published on it in each receipt's transaction (events.ts); none in some tests. */
  events?: EventBus;
  /** The peers as this node keeps them in memory (`peerCache`); read from the database when absent. */
  peerList?: () => Promise<readonly Peer[]>;
}

/**
 * The peers kept in memory: read once, forgotten when a change of them commits on any node (the signal
 * "exchange.peers_changed", or `null` when signals may have been missed). A read that a change overtook is not kept.
 */
export function peerCache(database: Database, signals: Signals): () => Promise<readonly Peer[]> {
  let cached: Promise<readonly Peer[]> | null = null;
  let epoch = 0;
  signals.on("exchange.peers_changed", () => {
    epoch += 1;
    cached = null;
  });
  return () => {
    if (cached) return cached;
    const at = epoch;
    const read = listPeers(database.db).then((rows) => rows.map(peerOf));
    cached = read;
    const forget = () => {
      if (cached === read) cached = null;
    };
    read.then(() => epoch !== at && forget(), forget);
    return read;
  };
}

/** A peer as the services give it, from its row. */
export const peerOf = (p: PeerRow): Peer => Object.freeze({ agencyCode: p.agencyCode, name: p.name, nodeUrl: p.nodeUrl, certificate: p.certificate });

const VN_OFFSET_MS = 7 * 3600_000;
const vn = (at: Date) => new Date(at.getTime() + VN_OFFSET_MS).toISOString();

/** `yyyy/MM/dd` in Vietnam. */
export const edxmlDate = (at: Date): EdxmlDate => vn(at).slice(0, 10).replaceAll("-", "/");
/** `yyyy/MM/dd HH:mm:ss` in Vietnam. */
export const edxmlTimestamp = (at: Date): EdxmlTimestamp => `${edxmlDate(at)} ${vn(at).slice(11, 19)}`;
/** The instant of a wire timestamp (Vietnam time); null when malformed. */
export function parseEdxmlTimestamp(s: string): Date | null {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(s.trim());
  if (!m) return null;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) - VN_OFFSET_MS;
  return Number.isNaN(t) ? null : new Date(t);
}
/** The year in Vietnam: the register's year. */
export const vnYear = (at: Date) => Number(vn(at).slice(0, 4));

/** `{OrganId},{yyyy/MM/dd},{CodeNumber}/{CodeNotation}` (DOMAIN.md §7), by the codec (EdxmlError when a part is not valid). */
export const documentIdOf = (organId: string, date: EdxmlDate, codeNumber: string, codeNotation: string) =>
  formatDocumentId({ organId, promulgationDate: date, codeNumber, codeNotation });

/**
 * The agencies of the directory as From/To name them, by code, per directory service (a context). An agency is
 * never renamed nor removed (the directory only adds agencies and departments), so one found is kept; one not
 * found is asked again (it may be added on any node).
 */
const organizations = new WeakMap<DirectoryService, Map<string, Organization>>();

/** The directory's agency as From/To name it, or null when the directory has none of that code. */
async function listedOrganization(directory: DirectoryService, code: string, db?: Db): Promise<Organization | null> {
  let known = organizations.get(directory);
  if (!known) organizations.set(directory, (known = new Map()));
  const kept = known.get(code);
  if (kept) return kept;
  let a;
  try {
    a = await directory.agency(code, db);
  } catch {
    return null;
  }
  const org: Organization = {
    organId: a.code,
    organName: a.name,
    ...(a.address ? { organAdd: a.address } : {}),
    ...(a.email ? { email: a.email } : {}),
    ...(a.phone ? { telephone: a.phone } : {}),
  };
  // Read in a transaction, it may yet roll back: kept only once read outside one.
  if (!db) known.set(code, org);
  return org;
}

/** An agency as From/To name it: from the directory, else the peer's name for its subtree, else its code. */
export async function organizationOf(directory: DirectoryService, code: string, peers: readonly Peer[] = [], db?: Db): Promise<Organization> {
  const listed = await listedOrganization(directory, code, db);
  if (listed) return listed;
  const peer = peerFor(peers, code);
  return { organId: code, organName: peer ? `${peer.name} (${code})` : code };
}

/** The peer serving `code`: the one whose agency is the nearest above it (or it). */
export function peerFor(peers: readonly Peer[], code: string): Peer | null {
  let best: Peer | null = null;
  for (const p of peers) {
    if (isWithinAgency(code, p.agencyCode) && (!best || agencyLevel(p.agencyCode) > agencyLevel(best.agencyCode))) best = p;
  }
  return best;
}

export type Route = { kind: "local" } | { kind: "remote"; peer: Peer } | { kind: "unknown" };

/**
 * Where `code` is served: by a peer that covers it, else here when the directory has it, else by the hub when this
 * node has one, else nowhere known. With a hub, an agency the directory lists (the national list of codes, e.g. a
 * ministry a procedure's step names) that signs on another node — a certificate is registered for it and this node
 * holds no active key of its own for it — is served by the hub too: no peer entry is needed for it.
 */
export async function routeOf(deps: Pick<ExchangeDeps, "directory" | "database" | "hub" | "peerList">, code: string, peers?: readonly Peer[], db?: Db): Promise<Route> {
  const known = peers ?? (!db && deps.peerList ? await deps.peerList() : (await listPeers(db ?? deps.database.db)).map(peerOf));
  const peer = peerFor(known, code);
  if (peer) return { kind: "remote", peer };
  if (!(await listedOrganization(deps.directory, code, db))) return deps.hub ? { kind: "remote", peer: deps.hub } : { kind: "unknown" };
  if (deps.hub && (await signsElsewhere(db ?? deps.database.db, code))) return { kind: "remote", peer: deps.hub };
  return { kind: "local" };
}

/** The largest signed edXML kept as a row, in bytes; a larger one (attachments) goes to the file store. */
export const EVIDENCE_ROW_BYTES = 64 * 1024;

/**
 * Keeps a signed edXML (the evidence of what was sent, with the sender's copy and the recipient's) and gives its
 * SHA-256: a small one as a row (`exchange_evidence`: a file written and fsynced cost this machine ~1 ms of CPU, a
 * row a fraction of it), a larger one in the file store; null when it is larger than the store takes
 * (MOTCUA_MAX_UPLOAD_BYTES: the base64 of the attachments makes it a third larger than them) — the document is then
 * kept without it.
 */
export async function keepSigned(deps: Pick<ExchangeDeps, "files" | "database">, xml: string): Promise<string | null> {
  const bytes = Buffer.from(xml, "utf8");
  if (bytes.length <= EVIDENCE_ROW_BYTES) {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await insertEvidence(deps.database.db, sha256, xml);
    return sha256;
  }
  try {
    return (await deps.files.put(bytes, { declaredName: "edxml.xml" })).sha256;
  } catch (err) {
    if (domainErrorOf(err)?.code === "files.too_large") return null;
    throw err;
  }
}

/**
 * Queues `message` from one agency to another, in the caller's transaction, in order for the pair. `delivered`: it
 * reaches its recipient another way (a status in the answer to the delivery it is about): kept on the outbox as
 * delivered, with no job.
 */
export async function queueMessage(
  deps: Pick<ExchangeDeps, "jobs">,
  tx: Db,
  m: { from: string; to: string; copyId: string; message: StoredMessage; key?: string; delivered?: boolean },
): Promise<void> {
  const key = m.key ?? randomUUID();
  const id = await insertOutbox(tx, { fromAgency: m.from, toAgency: m.to, copyId: m.copyId, kind: m.message.kind, key, message: m.message, ...(m.delivered ? { state: "delivered", deliveredAt: new Date() } : {}) });
  if (id === null || m.delivered) return;
  const job = await deps.jobs.enqueue(tx, DELIVER_JOB, { outboxId: id }, { orderKey: `exchange:${m.from}>${m.to}`, key: `exchange:${id}` });
  await setOutboxJob(tx, id, job.id);
}
