// Reading dossiers: one dossier and its files, the applicant's own, an agency's work queues, the public
// lookup by code and key; and the applicant's rating of the returned result.
import type { Readable } from "node:stream";
import { timingSafeEqual } from "node:crypto";
import type DataLoader from "dataloader";
import type { LRUCache } from "lru-cache";
import { type Actor, OFFICER_ROLES } from "../../platform/auth/actor.ts";
import type { Db } from "../../platform/db/index.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import type { DossierRated } from "./events.ts";
import { AlreadyRated, DossierForbidden, DossierNotFound, InvalidTransition } from "./errors.ts";
import type { LookupThrottle } from "./lookup-throttle.ts";
import type { DossierRow } from "./hooks.ts";
import type { DossierStatus, Queue } from "./model.ts";
import { canSee, isOwner } from "./policy.ts";
import { presentFile, presentLookup, presentSummary, subjectOf } from "./present.ts";
import * as repo from "./repo.ts";
import { queue as queuePage, type QueueFilter } from "./repo.queues.ts";
import type { AttachmentDto, DossierDto, DossierPage, DossierSummaryDto, LookupDto, QueueQuery } from "./schema.ts";
import type { DossierCore, DossierDeps, Meta } from "./service.support.ts";
import { factsOf } from "./transitions.ts";

/** The dossier service's reading (and the applicant's rating). */
export interface DossierReading {
  /** A file of a dossier, for its applicant and its officers. Throws DossierNotFound. */
  file(actor: Actor, id: string, fileId: string): Promise<{ file: AttachmentDto; stream: Readable }>;
  /** The whole dossier, for its applicant and the officers of its agencies. Throws DossierNotFound. */
  get(actor: Actor, id: string): Promise<DossierDto>;
  /** Which of `ids` the actor may see (as `get` decides), in one query: for reports over many dossier references. */
  visibleIds(actor: Actor, ids: readonly string[]): Promise<Set<string>>;
  /** The applicant's own dossiers, newest first. */
  mine(actor: Actor, page: number, pageSize: number): Promise<DossierPage>;
  /** A work queue of the officer's agencies. */
  queue(actor: Actor, query: QueueQuery): Promise<DossierPage>;
  /** The public lookup by code and key; a wrong key is the same 404 as an unknown code. Throws LookupThrottled. */
  lookup(code: string, key: string, meta?: Meta): Promise<LookupDto>;
  /**
   * The lookup for its page, with the dossier's id: the page links its applicant to the dossier's own page to
   * download an electronic result after signing in (the id grants nothing without that sign-in). Throws as `lookup`.
   */
  lookupWithId(code: string, key: string, meta?: Meta): Promise<{ result: LookupDto; dossierId: string }>;
  /** The applicant's rating after the result was returned, once. */
  rate(actor: Actor, id: string, input: { level: string; comment?: string | undefined }, meta?: Meta): Promise<DossierDto>;
  /**
   * Whether a filed dossier's submitted papers include one digitised at the counter, and one reused from a data
   * store (the national portal's DuocSoHoa, DuocTaiSuDung), read in the caller's transaction: for the statistics.
   */
  componentFlags(db: Db, id: string): Promise<{ digitised: boolean; reused: boolean }>;
  /** The procedure version a dossier was filed under (cached: versions never change). */
  boundProcedure(d: Pick<DossierRow, "procedureCode" | "procedureVersion">): Promise<ProcedureContent>;
}

/** The public lookup's state, one per service: its throttle per address, its batches, the agencies' names. */
export interface LookupState {
  throttle: LookupThrottle;
  lookupLoader: DataLoader<string, repo.LookupResult | null>;
  agencyNames: LRUCache<string, string>;
}

/** What a dossier code can look like to the lookup: printable ASCII, at most 40 characters. */
const LOOKUP_CODE = /^[\x21-\x7E]{1,40}$/;

export function makeReading(deps: DossierDeps, core: DossierCore, lookup: LookupState): DossierReading {
  const { database, clock, audit, directory, files, events } = deps;
  const { boundProcedure, visible, dto } = core;
  const { throttle, lookupLoader, agencyNames } = lookup;

  /** The lookup and the dossier it found (see `lookupWithId`). */
  async function lookupWithId(code: string, key: string, meta: Meta = {}): Promise<{ result: LookupDto; dossierId: string }> {
    await throttle.take(meta.ip ?? "unknown");
    // Only a code that could exist goes to the database (a NUL byte there would fail the whole batch it joins).
    const found = LOOKUP_CODE.test(code) ? await lookupLoader.load(code) : null;
    const d = found?.dossier ?? null;
    const expected = Buffer.from(d?.lookupKey ?? "-".repeat(8));
    const given = Buffer.from(key.toUpperCase().padEnd(expected.length, "\0").slice(0, expected.length));
    // Compared in constant time; an unknown code and a wrong key are the same 404.
    if (!d || !d.lookupKey || !timingSafeEqual(expected, given) || key.length !== d.lookupKey.length) throw new DossierNotFound();
    const content = await boundProcedure(d);
    let agencyName = agencyNames.get(d.agencyCode);
    if (agencyName === undefined) {
      const agency = await directory.agency(d.agencyCode).catch(() => null);
      agencyName = agency?.name ?? d.agencyCode;
      if (agency) agencyNames.set(d.agencyCode, agencyName);
    }
    return { result: presentLookup(d, content.name, agencyName, found!.events), dossierId: d.id };
  }

  return {
    boundProcedure,

    async file(actor, id, fileId) {
      await visible(actor, id);
      const f = await repo.findFile(database.db, id, fileId);
      if (!f) throw new DossierNotFound();
      return { file: presentFile(f), stream: (await files.get(f.sha256)).stream };
    },

    async get(actor, id) {
      return dto(actor, await visible(actor, id));
    },

    async visibleIds(actor, ids) {
      // Only what could be a dossier's id goes to the database (as `get`: another reference names none).
      const candidates = [...new Set(ids)].filter((id) => /^[0-9a-f-]{36}$/.test(id));
      const rows = await repo.dossiersAccess(database.db, candidates);
      return new Set(rows.filter((d) => canSee(actor, d)).map((d) => d.id));
    },

    async mine(actor, page, pageSize) {
      if (actor.type !== "user") return { items: [], page, pageSize, hasMore: false, total: 0 };
      const rows = await repo.listOwned(database.db, actor.userId, pageSize + 1, (page - 1) * pageSize);
      // What each is about, from the fields its form names: two dossiers of one procedure differ.
      return pageOf(rows, page, pageSize, boundProcedure, (row, content) => ({ subject: subjectOf(content.form, row.formData) }));
    },

    async queue(actor, query) {
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 20;
      if (actor.type !== "user") return { items: [], page, pageSize, hasMore: false, total: 0 };
      const grants = actor.roles.filter((g) => OFFICER_ROLES.includes(g.role) && g.agencyCode);
      let agencies = [...new Set((await Promise.all(grants.map((g) => directory.subtree(g.agencyCode)))).flat())];
      if (query.agency) {
        if (!agencies.includes(query.agency)) throw new DossierForbidden("queue");
        agencies = await directory.subtree(query.agency);
      }
      const spec = QUEUE_SPECS[query.queue];
      const rows = await queuePage(database.db, { agencies, ...spec, limit: pageSize + 1, offset: (page - 1) * pageSize });
      return pageOf(rows, page, pageSize, boundProcedure);
    },

    async lookup(code, key, meta = {}) {
      return (await lookupWithId(code, key, meta)).result;
    },

    lookupWithId,

    componentFlags: (db, id) => repo.componentFlags(db, id),

    async rate(actor, id, input, meta = {}) {
      const d = await visible(actor, id);
      if (!isOwner(actor, d)) throw new DossierForbidden("rate");
      if (d.status !== "returned") throw new InvalidTransition("rate", d.status as DossierStatus);
      const now = clock.now();
      await database.transaction(async (tx) => {
        const ok = await repo.insertRating(tx, { dossierId: d.id, provinceCode: d.provinceCode, level: input.level, comment: input.comment?.trim() || null, at: now });
        if (!ok) throw new AlreadyRated();
        await audit.record(tx, { actor, action: "dossier.rated", subject: { type: "dossier", id: d.id }, requestId: meta.requestId ?? null, change: { level: input.level } });
        if (events.heard("dossiers.rated")) await events.publish(tx, "dossiers.rated", { dossier: factsOf(d), level: input.level as DossierRated["level"], at: now });
      });
      return dto(actor, d);
    },
  };
}

/** Which dossiers each queue holds (API.md `queue=`). */
const QUEUE_SPECS: Record<Queue, Omit<QueueFilter, "agencies" | "limit" | "offset">> = {
  new: { statuses: ["new"], byReceivingAgency: true },
  processing: { statuses: ["processing"], byReceivingAgency: false },
  supplement: { statuses: ["incomplete", "supplementing"], byReceivingAgency: false },
  due_soon: { statuses: ["processing"], byReceivingAgency: false, dueSoon: true },
  overdue: { statuses: ["processing", "supplementing"], byReceivingAgency: false, overdue: true },
  finished: { statuses: ["done"], byReceivingAgency: false },
  returned: { statuses: ["returned"], byReceivingAgency: false },
};

async function pageOf<Row extends repo.SummaryRow>(
  rows: Row[],
  page: number,
  pageSize: number,
  bound: (d: Pick<DossierRow, "procedureCode" | "procedureVersion">) => Promise<ProcedureContent>,
  more?: (row: Row, content: ProcedureContent) => Partial<DossierSummaryDto>,
): Promise<DossierPage> {
  const hasMore = rows.length > pageSize;
  const shown = rows.slice(0, pageSize);
  const items = await Promise.all(
    shown.map(async (r) => {
      const content = await bound(r);
      return { ...presentSummary(r, content.name), ...more?.(r, content) };
    }),
  );
  return { items, page, pageSize, hasMore, total: hasMore ? null : (page - 1) * pageSize + items.length };
}
