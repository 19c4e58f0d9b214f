// The one-stop core (issue 5): a dossier from online filing or the counter to the returned result.
import type { Readable } from "node:stream";
import { timingSafeEqual } from "node:crypto";
import DataLoader from "dataloader";
import { LRUCache } from "lru-cache";
import { type Actor, actorRef, hasRole, OFFICER_ROLES } from "../../platform/auth/actor.ts";
import type { Audit } from "../../platform/audit/index.ts";
import type { CalendarService } from "../calendar/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import type { EventBus } from "../../platform/events.ts";
import type { FileStore } from "../../platform/files/index.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { CatalogService } from "../catalog/index.ts";
import { formDataProblems } from "../catalog/form-schema.ts";
import type { ProcedureContent } from "../catalog/model.ts";
import { ancestorAgencyCodes } from "../directory/codes.ts";
import type { DirectoryService } from "../directory/service.ts";
import { checkCccd, checkTaxCode, type IdentityService } from "../identity/index.ts";
import { implementingAgency, planSteps, receivingAgencies, type StepPlan } from "../workflow/engine.ts";
import { DEFAULT_RULES, type DossierRules, planAction } from "./actions.ts";
import {
  AlreadyRated,
  AssuranceRequired,
  AudienceNotServed,
  ChannelNotOffered,
  DossierForbidden,
  DossierNotFound,
  InvalidDossier,
  InvalidTransition,
  LookupThrottled,
  ProcedureNotOffered,
  SupplementLimit,
} from "./errors.ts";
import type { DossierRow } from "./hooks.ts";
import { type DossierAction, type DossierChannel, type DossierStatus, NATIONAL_STATUS, type Queue } from "./model.ts";
import { allowedActions, canSee, decide, type GuardedAction, holds, isOwner, stepRoles } from "./policy.ts";
import { presentDossier, presentFile, presentLookup, presentSummary } from "./present.ts";
import * as repo from "./repo.ts";
import type { ActionInput, AttachmentDto, CreateDossierInput, DossierDto, DossierPage, LookupDto, QueueQuery } from "./schema.ts";
import type { Applicant } from "./tables.ts";
import { applyChange, filedColumns, recordFiling, type Who } from "./transitions.ts";

export interface Meta {
  requestId?: string | null;
  ip?: string | null;
}

/** An officer a dossier's step may be assigned to, as the assignment form lists them. */
export interface Assignee {
  id: string;
  fullName: string;
  /** The officer's own agency: the processing agency or a unit under it. */
  agencyCode: string;
  departmentCode: string | null;
}

export interface DossierService {
  /** Creates a dossier (a draft, or filed at once with `submit`); a retried `requestId` returns the first (`created: false`). */
  create(actor: Actor, input: CreateDossierInput, meta?: Meta): Promise<{ dossier: DossierDto; created: boolean }>;
  /** Saves a draft's form data (not checked until it is filed). Throws DossierNotFound, DossierForbidden, InvalidTransition. */
  saveDraft(actor: Actor, id: string, formData: Record<string, unknown>, meta?: Meta): Promise<DossierDto>;
  /** Files a draft: the form and the required components are checked, every problem named. Idempotent. Throws as `act`. */
  submit(actor: Actor, id: string, meta?: Meta): Promise<DossierDto>;
  /** Stores an uploaded component (or the result, `component = "result"`), checked by its bytes. */
  attach(actor: Actor, id: string, upload: { component: string; source: Readable; declaredName: string }, meta?: Meta): Promise<AttachmentDto>;
  /** A file of a dossier, for its applicant and its officers. Throws DossierNotFound. */
  file(actor: Actor, id: string, fileId: string): Promise<{ file: AttachmentDto; stream: Readable }>;
  /** The whole dossier, for its applicant and the officers of its agencies. Throws DossierNotFound. */
  get(actor: Actor, id: string): Promise<DossierDto>;
  /**
   * Whom the dossier's current step may be assigned to: active officers of the processing agency's subtree who
   * could take the step (its role there, or a leader). Empty for an actor who may not assign it now.
   */
  assignees(actor: Actor, id: string): Promise<Assignee[]>;
  /**
   * Takes an action (receive, forward, …) the guard (policy.ts `decide`) allows. Throws DossierNotFound,
   * DossierForbidden (403), InvalidTransition or SupplementLimit (409), InvalidDossier (400, the input).
   */
  act(actor: Actor, id: string, action: DossierAction, input: ActionInput, meta?: Meta): Promise<DossierDto>;
  /** The applicant's own dossiers, newest first. */
  mine(actor: Actor, page: number, pageSize: number): Promise<DossierPage>;
  /** A work queue of the officer's agencies. */
  queue(actor: Actor, query: QueueQuery): Promise<DossierPage>;
  /** The public lookup by code and key; a wrong key is the same 404 as an unknown code. Throws LookupThrottled. */
  lookup(code: string, key: string, meta?: Meta): Promise<LookupDto>;
  /** The applicant's rating after the result was returned, once. */
  rate(actor: Actor, id: string, input: { level: string; comment?: string | undefined }, meta?: Meta): Promise<DossierDto>;
  /** Flags dossiers due within the warning window and those past due (the lateness job). */
  flagLateness(): Promise<{ dueSoon: number; overdue: number }>;
  /** The procedure version a dossier was filed under (cached: versions never change). */
  boundProcedure(d: Pick<DossierRow, "procedureCode" | "procedureVersion">): Promise<ProcedureContent>;
}

export interface DossierDeps {
  database: Database;
  clock: Clock;
  audit: Audit;
  calendar: CalendarService;
  catalog: CatalogService;
  directory: DirectoryService;
  identity: IdentityService;
  files: FileStore;
  /** "dossiers.transition" is published on it in each change's transaction. */
  events: EventBus;
  rules?: Partial<DossierRules>;
  /** Public lookups one address may make per minute (default 30). */
  lookupsPerMinute?: number;
}

/** People by name as a Vietnamese reader orders them (the same on either database). */
const BY_NAME = new Intl.Collator("vi");

/** What a dossier code can look like to the lookup: printable ASCII, at most 40 characters. */
const LOOKUP_CODE = /^[\x21-\x7E]{1,40}$/;

export function makeDossierService(deps: DossierDeps): DossierService {
  const { database, clock, audit, calendar, catalog, directory, identity, files } = deps;
  const { events } = deps;
  const rules: DossierRules = { ...DEFAULT_RULES, ...deps.rules };
  const lookups = new LRUCache<string, { count: number; resetAt: number }>({ max: 100_000, ttl: 60_000 });
  const lookupLimit = deps.lookupsPerMinute ?? 30;
  // Lookups asked for in the same turn of the event loop go to the database as one statement: under a portal's
  // load (many at once) that is one round trip instead of many, and alone a lookup waits for nothing.
  const findLookups = repo.prepareLookup(database.db);
  const lookupLoader = new DataLoader<string, repo.LookupResult | null>(
    async (codes) => {
      const found = await findLookups(codes);
      return codes.map((c) => found.get(c) ?? null);
    },
    { cache: false, maxBatchSize: 200, batchScheduleFn: (run) => setImmediate(run) },
  );
  // The lookup names the receiving agency. Names change seldom; the public page may show a renamed
  // agency's old name for a minute rather than read the directory on every lookup.
  const agencyNames = new LRUCache<string, string>({ max: 10_000, ttl: 60_000 });
  // The receiving agency's province, stamped on each new dossier. It changes only when the directory is
  // corrected; a minute's delay then costs less than two directory queries on every filing.
  const agencyProvinces = new LRUCache<string, string>({ max: 10_000, ttl: 60_000 });

  async function boundProcedure(d: Pick<DossierRow, "procedureCode" | "procedureVersion">): Promise<ProcedureContent> {
    return (await catalog.bound(d.procedureCode, d.procedureVersion)).content;
  }

  const planOf = (content: ProcedureContent, d: DossierRow): StepPlan[] =>
    planSteps(content, d.channel as DossierChannel, implementingAgency(content, d.agencyCode));

  function whoIs(actor: Actor, d: Pick<DossierRow, "ownerUserId"> | null, meta: Meta): Who {
    let name = "Hệ thống";
    if (actor.type === "user") name = d && isOwner(actor, d) ? "Người nộp hồ sơ" : actor.fullName;
    else if (actor.type === "cli") name = "Quản trị (dòng lệnh)";
    return { actor, name, requestId: meta.requestId ?? null };
  }

  /** The dossier if the actor may see it; a dossier one may not see is not found. */
  async function visible(actor: Actor, id: string): Promise<DossierRow> {
    const d = /^[0-9a-f-]{36}$/.test(id) ? await repo.findDossier(database.db, id) : null;
    if (!d || !canSee(actor, d)) throw new DossierNotFound();
    return d;
  }

  /**
   * Throws the guard's refusal (policy.ts `decide`): DossierForbidden (403) when the actor may not take the
   * action on this dossier, InvalidTransition (409, with `status`) when its state does not allow it now.
   */
  function guard(action: GuardedAction, d: DossierRow, plan: StepPlan[], actor: Actor, status = d.status as DossierStatus): void {
    const decision = decide(action, d, plan, actor, rules);
    if (decision.allowed) return;
    if (decision.reason === "forbidden") throw new DossierForbidden(action);
    // The one supplement after receipt (DOMAIN.md §3) is refused with its own code.
    if (decision.rule === "supplement_limit") throw new SupplementLimit();
    throw new InvalidTransition(action, status);
  }

  /**
   * The dossier as its reader sees it. `created`: this request created it, and these are all its history
   * events (it has no files, hand-overs, pauses or rating yet: five reads fewer on the busiest write of the
   * portal, bench/dossiers.ts).
   */
  async function dto(actor: Actor, d: DossierRow, created?: { events: repo.NewEvent[] }): Promise<DossierDto> {
    const content = await boundProcedure(d);
    const plan = planOf(content, d);
    const [fileRows, events, steps, pauses, rating] = created
      ? [[], created.events, [], [], null]
      : await Promise.all([
          repo.listFiles(database.db, d.id),
          repo.listEvents(database.db, d.id),
          repo.listSteps(database.db, d.id),
          repo.listPauses(database.db, d.id),
          repo.findRating(database.db, d.id),
        ]);
    const current = d.stepIndex === null ? null : plan[d.stepIndex];
    return presentDossier({
      row: d,
      procedureName: content.name,
      step: current ? { index: current.index, key: current.key, name: current.name, role: current.role } : null,
      files: fileRows,
      events,
      steps,
      pauses,
      rating,
      allowedActions: allowedActions(actor, d, plan, rules),
    });
  }

  /** Every problem that stops a dossier from being filed: its form, and its required components. */
  function filingProblems(content: ProcedureContent, formData: Record<string, unknown>, fileRows: repo.FileRow[]): FieldProblem[] {
    const problems = formDataProblems(content.form, formData, "/formData");
    const have = new Set(fileRows.filter((f) => f.kind === "component").map((f) => f.component));
    for (const c of content.components) {
      if (c.required && !have.has(c.key)) problems.push({ path: `/attachments/${c.key}`, message: `Cần đính kèm: ${c.name}.` });
    }
    return problems;
  }

  /**
   * Runs `work` under the dossier's row lock, provided nobody changed the dossier since it was read: the
   * change was worked out from that reading (its step, its due times), so two officers acting at once
   * cannot both succeed — the second is told the state the first left.
   */
  async function transact(
    d: DossierRow,
    action: string,
    work: (tx: Parameters<Parameters<Database["transaction"]>[0]>[0], locked: DossierRow) => Promise<DossierRow>,
  ) {
    return database.transaction(async (tx) => {
      const locked = await repo.lockDossier(tx, d.id);
      if (!locked || fingerprint(locked) !== fingerprint(d)) throw new InvalidTransition(action, (locked?.status ?? d.status) as DossierStatus);
      return work(tx, locked);
    });
  }

  async function applicantOf(actor: Actor, input: CreateDossierInput): Promise<{ applicant: Applicant; owner: string | null }> {
    // The account was read with the request's credentials: a citizen or business files as itself.
    if (actor.type === "user" && (hasRole(actor, "citizen") || hasRole(actor, "business"))) {
      return {
        applicant: {
          type: hasRole(actor, "business") ? "business" : "citizen",
          name: actor.fullName,
          idNumber: actor.username,
          phone: input.applicant?.phone ?? null,
          email: input.applicant?.email ?? actor.email,
          address: input.applicant?.address ?? null,
        },
        owner: actor.userId,
      };
    }
    const a = input.applicant;
    if (!a) throw new InvalidDossier([{ path: "/applicant", message: "Hồ sơ nộp tại quầy cần thông tin người nộp." }]);
    const idOk = a.type === "citizen" ? checkCccd(a.idNumber).ok : checkTaxCode(a.idNumber).ok;
    if (!idOk) {
      throw new InvalidDossier([{ path: "/applicant/idNumber", message: a.type === "citizen" ? "Số định danh cá nhân (CCCD) không hợp lệ." : "Mã số thuế không hợp lệ." }]);
    }
    // A walk-in who has an account sees the dossier online too.
    const account = await identity.findByUsername(a.idNumber);
    return {
      applicant: { type: a.type, name: a.name.trim().normalize("NFC"), idNumber: a.idNumber, phone: a.phone ?? null, email: a.email ?? null, address: a.address?.trim() ?? null },
      owner: account && (account.kind === "citizen" || account.kind === "business") ? account.id : null,
    };
  }

  async function submitIn(actor: Actor, d: DossierRow, meta: Meta): Promise<DossierRow> {
    if (d.status !== "draft") return d;
    const content = await boundProcedure(d);
    const problems = filingProblems(content, d.formData, await repo.listFiles(database.db, d.id));
    if (problems.length) throw new InvalidDossier(problems);
    const now = clock.now();
    const who = whoIs(actor, d, meta);
    return transact(d, "submit", (tx, locked) =>
      applyChange(tx, { audit, events }, locked, { action: "submit", toStatus: "new", set: { submittedAt: now }, note: null, details: null }, who, now).then((a) => a.dossier),
    );
  }

  /** A new dossier (a draft, or filed), or null when the request id was used before. */
  async function createNew(actor: Actor, input: CreateDossierInput, meta: Meta, by: string): Promise<{ dossier: DossierRow; events: repo.NewEvent[] } | null> {
    const bound = await catalog.inForce(input.procedureCode);
    const content = bound.content;
    if (!receivingAgencies(content).includes(input.agencyCode)) throw new ProcedureNotOffered(input.procedureCode, input.agencyCode);
    const applicantSide = actor.type === "user" && (hasRole(actor, "citizen") || hasRole(actor, "business"));
    let channel: DossierChannel;
    if (applicantSide) {
      channel = "online";
      if (!content.processingTimes.some((t) => t.channel === "online")) throw new ChannelNotOffered("online");
      if (actor.type === "user" && content.assuranceLevel > actor.loa) throw new AssuranceRequired(content.assuranceLevel);
      // A procedure is for citizens, businesses or both (its audience): a citizen does not file a business's.
      const kind = hasRole(actor, "business") ? "business" : "citizen";
      if (!content.audience.includes(kind)) throw new AudienceNotServed(kind);
    } else {
      if (!holds(actor, "receiver", input.agencyCode)) throw new DossierForbidden("create");
      channel = input.channel && input.channel !== "online" ? input.channel : "counter";
    }
    const { applicant, owner } = await applicantOf(actor, input);
    let provinceCode = agencyProvinces.get(input.agencyCode);
    if (provinceCode === undefined) {
      provinceCode = (await directory.agency(input.agencyCode)).provinceCode ?? "00";
      agencyProvinces.set(input.agencyCode, provinceCode);
    }
    const now = clock.now();
    // `submit: true` files at once or not at all: with a problem nothing is created (a 400 that left a draft
    // behind would give the caller no id to continue with). A new dossier has no files yet, so a procedure
    // with required papers is created as a draft, its papers uploaded, then submitted.
    // Checked against the bound version's cached content: its compiled form validator is reused.
    if (input.submit === true) {
      const problems = filingProblems(await boundProcedure({ procedureCode: bound.code, procedureVersion: bound.version }), input.formData, []);
      if (problems.length) throw new InvalidDossier(problems);
    }
    const fileNow = input.submit === true;
    const who = fileNow ? whoIs(actor, { ownerUserId: owner }, meta) : null;
    const row = repo.newDossierRow({
      procedureCode: bound.code,
      procedureVersion: bound.version,
      agencyCode: input.agencyCode,
      provinceCode,
      processingAgencyCode: input.agencyCode,
      channel,
      status: "draft",
      nationalStatus: NATIONAL_STATUS.draft,
      applicant,
      ownerUserId: owner,
      formData: input.formData,
      createdBy: by,
      requestId: input.requestId,
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
      // Filed at once: written in its filed state (one write of the row, not a draft and then its update).
      ...(who ? filedColumns(now) : {}),
    });
    try {
      // Everything here is queued for the commit: the row, its history and audit entries go in one round trip.
      return await database.transaction(async (tx) => {
        await repo.insertDossier(tx, row);
        await audit.record(tx, { actor, action: "dossier.create", subject: { type: "dossier", id: row.id }, requestId: meta.requestId ?? null, change: { procedure: bound.code, version: bound.version, channel } });
        if (!who) return { dossier: row, events: [] };
        return recordFiling(tx, { audit, events }, row, who, now);
      });
    } catch (err) {
      // The request id was used before (a retry, or both at once): nothing was created.
      if (repo.isRequestTaken(err)) return null;
      throw err;
    }
  }

  return {
    boundProcedure,

    async create(actor, input, meta = {}) {
      const by = actorRef(actor);
      // A retried request id is answered with the dossier it created. It is looked for only when this
      // request creates nothing: when the insert finds the id taken, or when the filing is refused (a retry
      // is still answered after the procedure was withdrawn, say).
      const earlier = async () => {
        const first = await repo.findByRequest(database.db, by, input.requestId);
        return first ? { dossier: await dto(actor, first), created: false } : null;
      };
      let made: Awaited<ReturnType<typeof createNew>>;
      try {
        made = await createNew(actor, input, meta, by);
      } catch (err) {
        const first = await earlier();
        if (first) return first;
        throw err;
      }
      // Lost to an earlier request with the same id (a retry, or both at once): the first one's result.
      if (!made) return (await earlier())!;
      return { dossier: await dto(actor, made.dossier, made), created: true };
    },

    async saveDraft(actor, id, formData, meta = {}) {
      const d = await visible(actor, id);
      guard("save", d, planOf(await boundProcedure(d), d), actor);
      const now = clock.now();
      const saved = await transact(d, "save", async (tx) => {
        const after = await repo.updateDossier(tx, d.id, { formData, updatedAt: now });
        await audit.record(tx, { actor, action: "dossier.draft_saved", subject: { type: "dossier", id: d.id }, requestId: meta.requestId ?? null, change: { formData } });
        return after;
      });
      return dto(actor, saved);
    },

    async submit(actor, id, meta = {}) {
      const d = await visible(actor, id);
      // Filing twice returns the filed dossier (API.md): the retry is judged as the filing it repeats.
      guard("submit", d.status === "new" ? { ...d, status: "draft" } : d, planOf(await boundProcedure(d), d), actor, d.status as DossierStatus);
      return dto(actor, await submitIn(actor, d, meta));
    },

    async attach(actor, id, upload, meta = {}) {
      const d = await visible(actor, id);
      const content = await boundProcedure(d);
      const isResult = upload.component === "result";
      const component = content.components.find((c) => c.key === upload.component);
      if (!isResult && !component) throw new InvalidDossier([{ path: "/component", message: `Thủ tục không có thành phần hồ sơ ${upload.component}.` }]);
      // An upload the dossier's state does not allow is refused as forbidden (403), as it always was: the guard's
      // "state" is not told apart here (issue 12 changes no answer but the two disagreements it settles).
      if (!decide(isResult ? "attach_result" : "attach", d, planOf(content, d), actor, rules).allowed) throw new DossierForbidden("attach");
      const stored = await files.put(upload.source, {
        allowedTypes: isResult ? ["application/pdf"] : component!.fileTypes,
        declaredName: upload.declaredName,
      });
      const now = clock.now();
      const row = await database.transaction(async (tx) => {
        const f = await repo.insertFile(tx, {
          dossierId: d.id,
          provinceCode: d.provinceCode,
          kind: isResult ? "result" : "component",
          component: isResult ? null : upload.component,
          name: upload.declaredName.normalize("NFC").slice(0, 255) || "tep-dinh-kem",
          contentType: stored.contentType,
          size: stored.size,
          sha256: stored.sha256,
          uploadedBy: actorRef(actor),
          uploadedAt: now,
        });
        await audit.record(tx, { actor, action: "dossier.file_attached", subject: { type: "dossier", id: d.id }, requestId: meta.requestId ?? null, change: { sha256: stored.sha256, component: upload.component } });
        return f;
      });
      return presentFile(row);
    },

    async file(actor, id, fileId) {
      await visible(actor, id);
      const f = await repo.findFile(database.db, id, fileId);
      if (!f) throw new DossierNotFound();
      return { file: presentFile(f), stream: (await files.get(f.sha256)).stream };
    },

    async get(actor, id) {
      return dto(actor, await visible(actor, id));
    },

    async assignees(actor, id) {
      const d = await visible(actor, id);
      const plan = planOf(await boundProcedure(d), d);
      if (!decide("assign", d, plan, actor, rules).allowed) return [];
      const role = d.stepIndex === null ? null : (plan[d.stepIndex]?.role ?? null);
      const at = d.processingAgencyCode;
      // The officers the assign action accepts (canTakeStep): their grant is at the agency or above it.
      const officers = await identity.officersHolding({ within: at, roles: stepRoles(role), grantedAt: [at, ...ancestorAgencyCodes(at)] });
      return officers
        .map((o) => ({ id: o.id, fullName: o.fullName, agencyCode: o.agencyCode ?? at, departmentCode: o.departmentCode }))
        .sort((a, b) => BY_NAME.compare(a.fullName, b.fullName) || (a.id < b.id ? -1 : 1));
    },

    async act(actor, id, action, input, meta = {}) {
      if (action === "submit") return this.submit(actor, id, meta);
      const d = await visible(actor, id);
      const content = await boundProcedure(d);
      const plan = planOf(content, d);
      guard(action, d, plan, actor);
      const now = clock.now();
      const fileRows = action === "finish" ? await repo.listFiles(database.db, d.id) : [];
      const change = await planAction(action, { d, content, plan, input, now, files: fileRows, calendar, identity, rules });
      const who = whoIs(actor, d, meta);
      const after = await transact(d, action, (tx, locked) => applyChange(tx, { audit, events }, locked, change, who, now).then((a) => a.dossier));
      return dto(actor, after);
    },

    async mine(actor, page, pageSize) {
      if (actor.type !== "user") return { items: [], page, pageSize, hasMore: false, total: 0 };
      const rows = await repo.listOwned(database.db, actor.userId, pageSize + 1, (page - 1) * pageSize);
      return pageOf(rows, page, pageSize, boundProcedure);
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
      const rows = await repo.queue(database.db, { agencies, ...spec, limit: pageSize + 1, offset: (page - 1) * pageSize });
      return pageOf(rows, page, pageSize, boundProcedure);
    },

    async lookup(code, key, meta = {}) {
      const ip = meta.ip ?? "unknown";
      const now = clock.now().getTime();
      const bucket = lookups.get(ip);
      if (bucket && bucket.resetAt > now && bucket.count >= lookupLimit) throw new LookupThrottled(Math.ceil((bucket.resetAt - now) / 1000));
      if (!bucket || bucket.resetAt <= now) lookups.set(ip, { count: 1, resetAt: now + 60_000 });
      else bucket.count += 1;
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
      return presentLookup(d, content.name, agencyName, found!.events);
    },

    async rate(actor, id, input, meta = {}) {
      const d = await visible(actor, id);
      if (!isOwner(actor, d)) throw new DossierForbidden("rate");
      if (d.status !== "returned") throw new InvalidTransition("rate", d.status as DossierStatus);
      const now = clock.now();
      await database.transaction(async (tx) => {
        const ok = await repo.insertRating(tx, { dossierId: d.id, provinceCode: d.provinceCode, level: input.level, comment: input.comment?.trim() || null, at: now });
        if (!ok) throw new AlreadyRated();
        await audit.record(tx, { actor, action: "dossier.rated", subject: { type: "dossier", id: d.id }, requestId: meta.requestId ?? null, change: { level: input.level } });
      });
      return dto(actor, d);
    },

    async flagLateness() {
      const now = clock.now();
      const soon = await calendar.due({ from: now, amount: rules.dueSoonWorkingHours, unit: "hours" });
      let dueSoon = 0;
      let overdue = 0;
      for (;;) {
        const batch = await repo.dueBefore(database.db, now, "overdueAt", 500);
        if (batch.length === 0) break;
        await database.transaction(async (tx) => {
          for (const { id } of batch) await repo.updateDossier(tx, id, { overdueAt: now, dueSoonAt: now });
        });
        overdue += batch.length;
      }
      for (;;) {
        const batch = await repo.dueBefore(database.db, soon, "dueSoonAt", 500);
        if (batch.length === 0) break;
        await database.transaction(async (tx) => {
          for (const { id } of batch) await repo.updateDossier(tx, id, { dueSoonAt: now });
        });
        dueSoon += batch.length;
      }
      return { dueSoon, overdue };
    },
  };
}

/** What every change alters at least one of: a dossier read before its lock is still the same one. */
function fingerprint(d: DossierRow): string {
  return JSON.stringify([
    d.status,
    d.stepIndex,
    d.assigneeUserId,
    d.assigneeDepartment,
    d.dueAt?.getTime() ?? null,
    d.pausedAt?.getTime() ?? null,
    d.apologized,
    d.supplementsAfterReceipt,
    d.updatedAt.getTime(),
    d.formData,
  ]);
}

/** Which dossiers each queue holds (API.md `queue=`). */
const QUEUE_SPECS: Record<Queue, Omit<repo.QueueFilter, "agencies" | "limit" | "offset">> = {
  new: { statuses: ["new"], byReceivingAgency: true },
  processing: { statuses: ["processing"], byReceivingAgency: false },
  supplement: { statuses: ["incomplete", "supplementing"], byReceivingAgency: false },
  due_soon: { statuses: ["processing"], byReceivingAgency: false, dueSoon: true },
  overdue: { statuses: ["processing", "supplementing"], byReceivingAgency: false, overdue: true },
  finished: { statuses: ["done"], byReceivingAgency: false },
  returned: { statuses: ["returned"], byReceivingAgency: false },
};

async function pageOf(
  rows: repo.SummaryRow[],
  page: number,
  pageSize: number,
  bound: (d: Pick<DossierRow, "procedureCode" | "procedureVersion">) => Promise<ProcedureContent>,
): Promise<DossierPage> {
  const hasMore = rows.length > pageSize;
  const shown = rows.slice(0, pageSize);
  const items = await Promise.all(shown.map(async (r) => presentSummary(r, (await bound(r)).name)));
  return { items, page, pageSize, hasMore, total: hasMore ? null : (page - 1) * pageSize + items.length };
}
