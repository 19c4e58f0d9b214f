// Filing a dossier: created online or at the counter (a draft, or filed at once), its draft saved, filed, its
// papers and its result attached.
import type { Readable } from "node:stream";
import type { LRUCache } from "lru-cache";
import { type Actor, actorRef, hasRole } from "../../platform/auth/actor.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import { formDataProblems, needsUpload, type ProcedureContent } from "../catalog/index.ts";
import { checkCccd, checkTaxCode } from "../identity/index.ts";
import { receivingAgencies } from "../workflow/index.ts";
import {
  AssuranceRequired,
  AudienceNotServed,
  ChannelNotOffered,
  DossierForbidden,
  InvalidDossier,
  ProcedureNotOffered,
} from "./errors.ts";
import type { DossierRow } from "./hooks.ts";
import { type DossierChannel, type DossierStatus, NATIONAL_STATUS } from "./model.ts";
import { paperToFile } from "./papers.ts";
import { holds } from "./policy.ts";
import { presentFile } from "./present.ts";
import * as repo from "./repo.ts";
import type { AttachmentDto, CreateDossierInput, DossierDto } from "./schema.ts";
import { mayReceiveAt, mayReturnAt } from "./desks.ts";
import { digitisedMark } from "./service.documents.ts";
import { type DossierCore, type DossierDeps, dossierPlan, type Meta } from "./service.support.ts";
import type { Applicant } from "./tables.ts";
import { applyChange, filedColumns, recordFiling, takeDossierCode } from "./transitions.ts";
import { type AccountFacts, prefilledFormData } from "./prefill.ts";
import { authoritativeProblems } from "./service.registry.ts";

/** The dossier service's filing. */
export interface DossierFiling {
  /** Creates a dossier (a draft, or filed at once with `submit`); a retried `requestId` returns the first (`created: false`). */
  create(actor: Actor, input: CreateDossierInput, meta?: Meta): Promise<{ dossier: DossierDto; created: boolean }>;
  /** Saves a draft's form data (not checked until it is filed). Throws DossierNotFound, DossierForbidden, InvalidTransition. */
  saveDraft(actor: Actor, id: string, formData: Record<string, unknown>, meta?: Meta): Promise<DossierDto>;
  /**
   * What stops a draft from being filed now (its form, its required papers), every problem named; empty when it
   * can be filed: the check-your-answers page. Throws DossierNotFound, DossierForbidden.
   */
  filingProblems(actor: Actor, id: string): Promise<FieldProblem[]>;
  /** Files a draft: the form and the required components are checked, every problem named. Idempotent. Throws as `act`. */
  submit(actor: Actor, id: string, meta?: Meta): Promise<DossierDto>;
  /**
   * Stores an uploaded component (or the result, `component = "result"`), checked by its bytes; `digitised` when
   * the receiver scanned the paper at the counter (issue 14, item 8).
   */
  attach(
    actor: Actor,
    id: string,
    upload: { component: string; source: Readable; declaredName: string; digitised?: boolean },
    meta?: Meta,
  ): Promise<AttachmentDto>;
}

export function makeFiling(deps: DossierDeps, core: DossierCore, cache: { agencyProvinces: LRUCache<string, string> }): DossierFiling {
  const { database, clock, audit, catalog, directory, identity, files, events } = deps;

  /** What an applicant's account says of them, for a new draft's first values (its registered birth date, sex). */
  const accountFacts = async (userId: string, kind: AccountFacts["kind"], actor: { fullName: string; username: string; email: string | null }): Promise<AccountFacts> => {
    const user = await identity.user(userId);
    return { kind, fullName: actor.fullName, idNumber: actor.username, email: actor.email, birthDate: user?.birthDate ?? null, sex: user?.sex ?? null, address: user?.address ?? null };
  };
  const { boundProcedure, planOf, whoIs, visible, guard, dto, transact } = core;
  const { agencyProvinces } = cache;

  /**
   * Every problem that stops a dossier from being filed: its form (and the registry's authoritative values in it
   * unchanged), and the files of its required components (not of one only shown in person, nor online of the
   * declaration its e-form is or of a paper a registry read for it stands for: catalog `needsUpload`).
   */
  function filingProblems(
    content: ProcedureContent,
    channel: DossierChannel,
    formData: Record<string, unknown>,
    fileRows: repo.FileRow[],
    d: Pick<DossierRow, "registryFields" | "registriesUsed"> = { registryFields: {}, registriesUsed: [] },
  ): FieldProblem[] {
    const problems = [...formDataProblems(content.form, formData, "/formData"), ...authoritativeProblems(d, formData)];
    const have = new Set(fileRows.filter((f) => f.kind === "component").map((f) => f.component));
    for (const c of content.components) {
      if (needsUpload(c, channel, d.registriesUsed) && !have.has(c.key)) problems.push({ path: `/attachments/${c.key}`, message: `Cần đính kèm: ${c.name}.` });
    }
    return problems;
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
    const idOk = a.type === "citizen" ? checkCccd(a.idNumber, { now: clock.now() }).ok : checkTaxCode(a.idNumber).ok;
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

  /**
   * Where the result will be handed over (DOMAIN.md §3, filing anywhere in the province): the desk the applicant
   * chose, else the desk that received it at its counter when that is not the procedure's own, else null (the
   * procedure's own return step). Throws InvalidDossier for a desk that may not hand it over.
   */
  async function returnDeskOf(content: ProcedureContent, input: CreateDossierInput, channel: DossierChannel): Promise<string | null> {
    const ownDesk = receivingAgencies(content).includes(input.agencyCode);
    if (!input.returnAgencyCode) return ownDesk ? null : input.agencyCode;
    const plan = dossierPlan(content, { channel, agencyCode: input.agencyCode, returnAgencyCode: null });
    if (!(await mayReturnAt(directory, content, plan, input.returnAgencyCode))) {
      throw new InvalidDossier([{ path: "/returnAgencyCode", message: "Nơi nhận kết quả phải là một Trung tâm Phục vụ hành chính công (bộ phận một cửa) của tỉnh." }]);
    }
    return input.returnAgencyCode;
  }

  async function submitIn(actor: Actor, d: DossierRow, meta: Meta): Promise<DossierRow> {
    if (d.status !== "draft") return d;
    const content = await boundProcedure(d);
    const problems = filingProblems(content, d.channel as DossierChannel, d.formData, await repo.listFiles(database.db, d.id), d);
    if (problems.length) throw new InvalidDossier(problems);
    const now = clock.now();
    const who = whoIs(actor, d, meta);
    return transact(d, "submit", (tx, locked) =>
      applyChange(tx, { audit, events }, locked, { action: "submit", toStatus: "new", set: { submittedAt: now }, note: null, details: null, code: true }, who, now).then(
        (a) => a.dossier,
      ),
    );
  }

  /** A new dossier (a draft, or filed), or null when the request id was used before. */
  async function createNew(actor: Actor, input: CreateDossierInput, meta: Meta, by: string): Promise<{ dossier: DossierRow; events: repo.NewEvent[] } | null> {
    const bound = await catalog.inForce(input.procedureCode);
    const content = bound.content;
    const applicantSide = actor.type === "user" && (hasRole(actor, "citizen") || hasRole(actor, "business"));
    if (!(await mayReceiveAt(directory, content, input.agencyCode, applicantSide))) throw new ProcedureNotOffered(input.procedureCode, input.agencyCode);
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
    const returnAgencyCode = await returnDeskOf(content, input, channel);
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
      const problems = filingProblems(await boundProcedure({ procedureCode: bound.code, procedureVersion: bound.version }), channel, input.formData, []);
      if (problems.length) throw new InvalidDossier(problems);
    }
    const fileNow = input.submit === true;
    const who = fileNow ? whoIs(actor, { ownerUserId: owner }, meta) : null;
    const columns: repo.NewDossier = {
      procedureCode: bound.code,
      procedureVersion: bound.version,
      agencyCode: input.agencyCode,
      provinceCode,
      processingAgencyCode: input.agencyCode,
      returnAgencyCode,
      channel,
      status: "draft",
      nationalStatus: NATIONAL_STATUS.draft,
      applicant,
      ownerUserId: owner,
      // The sign-in's assurance level (VNeID's levels): the national portal's TaiKhoanDuocXacThucVoiVNeID.
      filedLoa: applicantSide && actor.type === "user" ? actor.loa : 0,
      // A draft begun online with an empty form starts from the account's facts and the form's defaults.
      formData:
        applicantSide && actor.type === "user" && !fileNow && Object.keys(input.formData).length === 0
          ? prefilledFormData(content.form, await accountFacts(actor.userId, applicant.type === "business" ? "business" : "citizen", actor))
          : input.formData,
      createdBy: by,
      requestId: input.requestId,
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
    };
    try {
      // The row, its history and audit entries are queued for the commit; a dossier filed at once first takes
      // its code (the day's counter, row-locked until the commit): two round trips, a draft's one.
      return await database.transaction(async (tx) => {
        // Filed at once: written in its filed state with its code (one write of the row, not a draft and then its update).
        const row = repo.newDossierRow(who ? { ...columns, ...filedColumns(now, await takeDossierCode(tx, input.agencyCode, now)) } : columns);
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
      // A value the registry is authoritative for stays as it gave it (issue 18): a changed one is refused, one
      // left out (the page's read-only field posts nothing) keeps the registry's.
      for (const [key, mark] of Object.entries(d.registryFields)) if (mark.authoritative && formData[key] === undefined) formData = { ...formData, [key]: mark.value };
      const changed = authoritativeProblems(d, formData);
      if (changed.length) throw new InvalidDossier(changed);
      const now = clock.now();
      const saved = await transact(d, "save", async (tx) => {
        const after = await repo.updateDossier(tx, d.id, { formData, updatedAt: now });
        await audit.record(tx, { actor, action: "dossier.draft_saved", subject: { type: "dossier", id: d.id }, requestId: meta.requestId ?? null, change: { formData } });
        return after;
      });
      return dto(actor, saved);
    },

    async filingProblems(actor, id) {
      const d = await visible(actor, id);
      return filingProblems(await boundProcedure(d), d.channel as DossierChannel, d.formData, await repo.listFiles(database.db, d.id), d);
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
      const component = isResult ? null : paperToFile(content, upload.component);
      // As every change: 403 to one who may never attach here, 409 when the dossier's state does not allow it now.
      guard(isResult ? "attach_result" : "attach", d, planOf(content, d), actor);
      const digitised = digitisedMark(actor, d, isResult, upload.digitised === true);
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
          digitised,
        });
        await audit.record(tx, { actor, action: "dossier.file_attached", subject: { type: "dossier", id: d.id }, requestId: meta.requestId ?? null, change: { sha256: stored.sha256, component: upload.component, digitised } });
        return f;
      });
      return presentFile(row);
    },
  };
}
