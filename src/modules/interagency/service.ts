// Một cửa liên thông across nodes (docs/ARCHITECTURE.md, "Inter-agency dossiers across nodes"). The origin: a
// dossier handed to a step whose agency is on another node sends the step as an edXML document (package.ts) in the
// hand-over's own transaction, and waits. The other node: the received package becomes a dossier of that agency's
// queue (job `interagency.take_in`); when its officers finish or refuse it, the result goes back as a document
// answering the first; the origin (job `interagency.take_result`) closes the step with their times and goes on, or
// back a step when refused. Every hop is a row written in the transaction of the change that caused it (the
// exchange's outbox, the job queue, `interagency_transfers`), so a restart between any two loses and doubles nothing.
import type { Readable } from "node:stream";
import { systemActor } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Db } from "../../platform/db/index.ts";
import type { JobQueue } from "../../platform/jobs/index.ts";
import type { CatalogService } from "../catalog/index.ts";
import type { DirectoryService } from "../directory/index.ts";
import type { DossierService, DossierTransition } from "../dossiers/index.ts";
import type { ExchangeService, ReceivedDocument, ReceivedStatus, StoredAttachment } from "../exchange/index.ts";
import { PACKAGE_ID, PACKAGE_NAME, FORMAT, packageBytes, readRequest, readResult, REQUEST_TYPE, type RequestPackage, RESULT_TYPE, type ResultPackage, UnreadablePackage } from "./package.ts";
import * as repo from "./repo.ts";

export const TAKE_IN_JOB = "interagency.take_in";
export const TAKE_RESULT_JOB = "interagency.take_result";
export const REPORT_JOB = "interagency.report";
export const REFUSED_JOB = "interagency.request_refused";

/**
 * Whether an agency's steps are performed on another node; by default, when the exchange delivers to it remotely: a
 * peer covers it, or this node has a hub and the agency signs elsewhere (support.ts `routeOf`).
 */
export type Elsewhere = (agencyCode: string, db: Db) => Promise<boolean>;

export interface InterAgencyDeps {
  database: Database;
  clock: Clock;
  jobs: JobQueue;
  catalog: CatalogService;
  directory: DirectoryService;
  dossiers: DossierService;
  exchange: ExchangeService;
  elsewhere?: Elsewhere;
}

const SYSTEM = systemActor("interagency");
/** The states of a received request still to be taken in (or taken in already, found by its passage). */
const OPEN_REQUEST: readonly string[] = ["received", "accepted", "assigned", "processing"];
const ENDING: ReadonlyArray<DossierTransition["action"]> = ["finish", "refuse", "stop"];

async function bytesOf(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** An answer the document's state may already have had (a job run again): a conflict is nothing to retry. */
async function answerOnce(exchange: ExchangeService, copyId: string, code: "02" | "03" | "06", description?: string): Promise<void> {
  try {
    await exchange.answer(SYSTEM, copyId, { code, ...(description ? { description } : {}) });
  } catch (err) {
    if ((err as { code?: string }).code !== "exchange.state_conflict") throw err;
  }
}

export function makeInterAgency(deps: InterAgencyDeps) {
  const { database, clock, jobs, catalog, directory, dossiers, exchange } = deps;
  const elsewhere: Elsewhere = deps.elsewhere ?? (async (code, db) => (await exchange.route(code, undefined, db)).kind === "remote");

  /** The package of a received document, read and checked. */
  async function packageOf(copyId: string): Promise<{ doc: Awaited<ReturnType<ExchangeService["get"]>>; bytes: Uint8Array }> {
    const doc = await exchange.get(SYSTEM, copyId);
    const file = doc.files.find((f) => f.contentId === PACKAGE_ID);
    if (!file) throw new UnreadablePackage("the document carries no package");
    return { doc, bytes: await bytesOf((await exchange.file(SYSTEM, copyId, file.sha256)).stream) };
  }

  /** The origin: the step goes to the other node, in the hand-over's transaction; the dossier waits with `holder`. */
  async function sendStep(tx: Db, event: DossierTransition, step: NonNullable<DossierTransition["step"]>): Promise<void> {
    const read = await dossiers.interAgency.forPackage(tx, event.dossier.id);
    if (!read?.dossier.code) return;
    const { dossier: d, files, plan, procedureName } = read;
    const planned = plan[step.index];
    if (!planned) return;
    // The agency that handed it over keeps it, unless that step was itself elsewhere: then the receiving desk does.
    const ended = event.endedStep?.agencyCode;
    const holder = ended && !(await elsewhere(ended, tx)) ? ended : d.agencyCode;
    const holderName = (await directory.agency(holder, tx)).name;
    const round = (await repo.roundsSent(tx, d.code!, step.index)) + 1;
    const components = files.filter((f) => f.kind === "component");
    const pkg: RequestPackage = {
      format: FORMAT,
      kind: "request",
      origin: { dossierCode: d.code!, agencyCode: holder, agencyName: holderName, stepIndex: step.index, round },
      procedure: { code: d.procedureCode, version: d.procedureVersion, name: procedureName },
      channel: d.channel as RequestPackage["channel"],
      step: { key: planned.key, name: planned.name, role: planned.role, department: planned.department, hours: planned.hours, leaderSigns: planned.leaderSigns, agencyCode: step.agencyCode, dueAt: step.dueAt.toISOString() },
      applicant: d.applicant,
      formData: d.formData,
      dossierDueAt: d.dueAt?.toISOString() ?? null,
      components: components.map((f, i) => ({ contentId: `component-${i + 1}`, name: f.name, contentType: f.contentType, component: f.component })),
    };
    const attachments: StoredAttachment[] = [
      { ...(await exchange.storeFile(packageBytes(pkg), PACKAGE_NAME)), contentId: PACKAGE_ID, contentType: "application/json" },
      ...components.map((f, i) => ({ contentId: `component-${i + 1}`, contentType: f.contentType, attachmentName: f.name, sha256: f.sha256, size: f.size })),
    ];
    const copyId = await exchange.send(
      SYSTEM,
      {
        from: holder,
        to: [step.agencyCode],
        subject: `Hồ sơ liên thông ${d.code}: ${planned.name}`,
        notation: "HSLT",
        documentType: { ...REQUEST_TYPE },
        content: `${procedureName} — ${d.applicant.name}`,
        signer: { fullName: holderName },
        dueDate: step.dueAt.toISOString().slice(0, 10),
        files: attachments,
      },
      {},
      tx,
    );
    await repo.insertTransfer(tx, { side: "out", originCode: d.code!, stepIndex: step.index, round, dossierId: d.id, agencyCode: holder, partnerCode: step.agencyCode, requestCopyId: copyId, state: "sent" });
    await dossiers.interAgency.sendAway(tx, d.id, { agency: step.agencyCode, holder });
  }

  /** The other node: the dossier taken in was finished or refused; its result goes back to the origin. */
  async function answerOrigin(tx: Db, event: DossierTransition): Promise<void> {
    const passage = await repo.takenInBy(tx, event.dossier.id);
    if (!passage || passage.state !== "taken_in" || !passage.responseFor) return;
    const read = await dossiers.interAgency.forPackage(tx, event.dossier.id);
    if (!read) return;
    const { dossier: d, files } = read;
    const approved = event.action === "finish";
    const resultFile = approved ? files.find((f) => f.kind === "result" && f.sha256 === d.resultFileSha256) : undefined;
    const agency = await directory.agency(passage.agencyCode, tx);
    const pkg: ResultPackage = {
      format: FORMAT,
      kind: "result",
      origin: { dossierCode: passage.originCode, agencyCode: passage.partnerCode, agencyName: d.takenInStep?.originAgencyName ?? passage.partnerCode, stepIndex: passage.stepIndex, round: passage.round },
      agency: { code: agency.code, name: agency.name },
      decision: approved ? "approved" : "refused",
      reason: approved ? null : event.note,
      officer: event.actor.type === "user" ? event.actorName : null,
      receivedAt: (d.receivedAt ?? event.at).toISOString(),
      finishedAt: event.at.toISOString(),
      result: resultFile ? { contentId: "result", name: resultFile.name, contentType: resultFile.contentType, component: null } : null,
    };
    const attachments: StoredAttachment[] = [
      { ...(await exchange.storeFile(packageBytes(pkg), PACKAGE_NAME)), contentId: PACKAGE_ID, contentType: "application/json" },
      ...(resultFile ? [{ contentId: "result", contentType: resultFile.contentType, attachmentName: resultFile.name, sha256: resultFile.sha256, size: resultFile.size }] : []),
    ];
    await exchange.send(
      SYSTEM,
      {
        from: passage.agencyCode,
        to: [passage.partnerCode],
        subject: `Kết quả giải quyết hồ sơ liên thông ${passage.originCode}: ${approved ? "đã giải quyết" : "từ chối"}`,
        notation: "KQLT",
        documentType: { ...RESULT_TYPE },
        signer: { fullName: event.actorName },
        responseFor: [passage.responseFor],
        files: attachments,
      },
      {},
      tx,
    );
    await repo.settleTransfer(tx, passage.id, "taken_in", "answered", event.at);
    await jobs.enqueue(tx, REPORT_JOB, { copyId: passage.requestCopyId }, { key: `interagency:report:${passage.requestCopyId}` });
  }

  return {
    /** On every dossier change, in its transaction. */
    async onTransition(tx: Db, event: DossierTransition): Promise<void> {
      if (event.dossier.takenIn) {
        if (ENDING.includes(event.action)) await answerOrigin(tx, event);
        return;
      }
      const step = event.step;
      if (!step || event.action === "assign" || event.toStatus !== "processing") return;
      if (await elsewhere(step.agencyCode, tx)) await sendStep(tx, event, step);
    },

    /** On every document received, in its transaction: a package or a result is taken up by a job. */
    async onReceived(tx: Db, doc: ReceivedDocument): Promise<void> {
      if (doc.bussinessDocType !== 0) return;
      if (doc.documentType.type === REQUEST_TYPE.type) await jobs.enqueue(tx, TAKE_IN_JOB, { copyId: doc.copyId }, { key: `interagency:in:${doc.copyId}` });
      if (doc.documentType.type === RESULT_TYPE.type) {
        await jobs.enqueue(tx, TAKE_RESULT_JOB, { copyId: doc.copyId, answers: doc.responseFor.map((r) => r.documentId) }, { key: `interagency:result:${doc.copyId}` });
      }
    },

    /** On every status received about a document sent from here, in its transaction: a refused package (02) is taken up by a job. */
    async onStatus(tx: Db, status: ReceivedStatus): Promise<void> {
      if (status.code !== "02") return;
      const passage = await repo.sentAs(tx, status.copyId);
      if (!passage || passage.state !== "sent" || passage.partnerCode !== status.party) return;
      await jobs.enqueue(tx, REFUSED_JOB, { copyId: status.copyId, reason: status.description, at: status.at.toISOString() }, { key: `interagency:refused:${status.copyId}` });
    },

    /** The origin: the other node refused the package itself (02, e.g. it could not read it): the dossier goes back a step. */
    async requestRefused(copyId: string, reason: string | null, at: Date): Promise<void> {
      const passage = await repo.sentAs(database.db, copyId);
      if (!passage || passage.state !== "sent") return;
      const agencyName = await directory.agency(passage.partnerCode).then((a) => a.name, () => passage.partnerCode);
      await dossiers.interAgency.settleAway(
        { dossierId: passage.dossierId, stepIndex: passage.stepIndex, decision: "refused", reason: `không nhận hồ sơ liên thông: ${reason ?? ""}`.trim(), agencyName, officerName: null, receivedAt: at, finishedAt: at, result: null },
        (tx) => repo.settleTransfer(tx, passage.id, "sent", "refused", clock.now()),
      );
    },

    /** The other node: a received package becomes a dossier of the agency's queue, once. */
    async takeIn(copyId: string): Promise<void> {
      let pkg: RequestPackage;
      let doc: Awaited<ReturnType<ExchangeService["get"]>>;
      try {
        const got = await packageOf(copyId);
        doc = got.doc;
        // Refused (02) by the agency's clerk, or recalled, before the job came to it: nothing to take in.
        if (!OPEN_REQUEST.includes(doc.state)) return;
        pkg = readRequest(got.bytes);
        if (pkg.step.agencyCode !== doc.agencyCode) throw new UnreadablePackage(`the step is ${pkg.step.agencyCode}'s, not ${doc.agencyCode}'s`);
        // The origin is the document's signed sender: a package does not speak for another agency.
        if (pkg.origin.agencyCode !== doc.sender.code) throw new UnreadablePackage(`the package is ${pkg.origin.agencyCode}'s, sent by ${doc.sender.code}`);
        await catalog.bound(pkg.procedure.code, pkg.procedure.version).catch(() => {
          throw new UnreadablePackage(`thủ tục ${pkg.procedure.code} phiên bản ${pkg.procedure.version} không có trong danh mục của nút này`);
        });
      } catch (err) {
        if (!(err instanceof UnreadablePackage)) throw err;
        await answerOnce(exchange, copyId, "02", `Không đọc được hồ sơ liên thông: ${err.message}`);
        return;
      }
      const o = pkg.origin;
      const files = pkg.components.flatMap((c) => {
        const f = doc.files.find((x) => x.contentId === c.contentId);
        return f ? [{ component: c.component, name: c.name, contentType: f.contentType, size: f.size, sha256: f.sha256 }] : [];
      });
      const responseFor = { organId: doc.sender.code, code: `${doc.codeNumber}/${doc.codeNotation}`, promulgationDate: doc.promulgationDate, documentId: doc.documentId };
      await database.transaction(async (tx) => {
        if (await repo.findPassage(tx, "in", o.dossierCode, o.stepIndex, o.round)) return;
        const { step } = pkg;
        const dossierId = await dossiers.interAgency.takeIn(tx, {
          agencyCode: doc.agencyCode,
          procedure: { code: pkg.procedure.code, version: pkg.procedure.version },
          channel: pkg.channel,
          applicant: pkg.applicant,
          formData: pkg.formData,
          step: { key: step.key, name: step.name, role: step.role, department: step.department, hours: step.hours, leaderSigns: step.leaderSigns, originCode: o.dossierCode, originAgencyCode: o.agencyCode, originAgencyName: o.agencyName },
          dueAt: new Date(step.dueAt),
          files,
        });
        const row = await repo.insertTransfer(tx, { side: "in", originCode: o.dossierCode, stepIndex: o.stepIndex, round: o.round, dossierId, agencyCode: doc.agencyCode, partnerCode: doc.sender.code, requestCopyId: copyId, responseFor, state: "taken_in" });
        // Taken in by another run meanwhile: this one's dossier goes with its rollback.
        if (!row) throw new Error(`interagency: ${o.dossierCode} step ${o.stepIndex} round ${o.round} was taken in meanwhile`);
      });
      if (doc.state === "received") await answerOnce(exchange, copyId, "03");
    },

    /**
     * The origin: the other agency's result closes the step, once. Only the agency the request was sent to may
     * answer it, in its own name, to the agency that sent it, answering that request (`answers`: the DocumentIds of
     * the result's ResponseFor; absent from a job queued before it was recorded).
     */
    async takeResult(copyId: string, answers?: readonly string[]): Promise<void> {
      let pkg: ResultPackage;
      let doc: Awaited<ReturnType<ExchangeService["get"]>>;
      try {
        const got = await packageOf(copyId);
        doc = got.doc;
        pkg = readResult(got.bytes);
      } catch (err) {
        if (!(err instanceof UnreadablePackage)) throw err;
        await answerOnce(exchange, copyId, "02", `Không đọc được kết quả liên thông: ${err.message}`);
        return;
      }
      const o = pkg.origin;
      const passage = await repo.findPassage(database.db, "out", o.dossierCode, o.stepIndex, o.round);
      const refusal = await (async () => {
        if (!passage) return `Không có hồ sơ ${o.dossierCode} chờ kết quả bước ${o.stepIndex + 1} (lần ${o.round})`;
        if (passage.partnerCode !== doc.sender.code) return `Bước ${o.stepIndex + 1} của hồ sơ ${o.dossierCode} được gửi tới ${passage.partnerCode}, không phải ${doc.sender.code}`;
        if (pkg.agency.code !== doc.sender.code) return `Kết quả nhân danh ${pkg.agency.code} nhưng do ${doc.sender.code} gửi`;
        if (doc.agencyCode !== passage.agencyCode) return `Hồ sơ ${o.dossierCode} do ${passage.agencyCode} gửi, không phải ${doc.agencyCode}`;
        if (answers) {
          const request = await exchange.get(SYSTEM, passage.requestCopyId);
          if (!answers.includes(request.documentId)) return `Kết quả không trả lời văn bản ${request.documentId} đã gửi`;
        }
        return null;
      })();
      if (!passage || refusal) {
        await answerOnce(exchange, copyId, "02", refusal ?? "");
        return;
      }
      const file = pkg.result ? doc.files.find((f) => f.contentId === pkg.result!.contentId) : undefined;
      await dossiers.interAgency.settleAway(
        {
          dossierId: passage.dossierId,
          stepIndex: o.stepIndex,
          decision: pkg.decision,
          reason: pkg.reason,
          agencyName: pkg.agency.name,
          officerName: pkg.officer,
          receivedAt: new Date(pkg.receivedAt),
          finishedAt: new Date(pkg.finishedAt),
          result: file && pkg.result ? { name: pkg.result.name, contentType: file.contentType, size: file.size, sha256: file.sha256 } : null,
        },
        (tx) => repo.settleTransfer(tx, passage.id, "sent", pkg.decision, clock.now()),
      );
      if (doc.state === "received") await answerOnce(exchange, copyId, "03");
      await answerOnce(exchange, copyId, "06");
    },

    /** The other node: the request is done (06) once its result has left. */
    async report(copyId: string): Promise<void> {
      await answerOnce(exchange, copyId, "06");
    },
  };
}

export type InterAgency = ReturnType<typeof makeInterAgency>;
