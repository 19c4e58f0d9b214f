// The one-stop forms of a dossier and the register of a period: the data gathered from the dossier's rows,
// rendered by ./forms. Forms are a versioned rule set (forms/sets.ts; DOMAIN.md §2–3): a dossier keeps the set in
// force when it was received — Circular 03/2025/TT-VPCP's Mẫu 01–07 from 15 September 2025, Circular
// 01/2018/TT-VPCP's Mẫu 01–06 before — and a register the set in force over its period. A form exists once its
// event has happened (forms/sets.ts `applies`); asked for before, or not in the dossier's set, it is
// FormNotApplicable, which is not "no such dossier".
import { type Actor, hasRole, OFFICER_ROLES } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import type { CalendarService } from "../calendar/index.ts";
import type { CatalogService, ProcedureContent } from "../catalog/index.ts";
import { type DirectoryService, isWithinAgency } from "../directory/index.ts";
import { processingTimeFor } from "../workflow/index.ts";
import { DossierForbidden, DossierNotFound, FormNotApplicable, InvalidDossier } from "./errors.ts";
import {
  apologyPdf,
  applies,
  controlSheetPdf,
  editionOf,
  type FormAgency,
  formSetAt,
  formSetOf,
  lookupUrl,
  OUTCOME_WORDS,
  receiptPdf,
  refusalPdf,
  registerCsv,
  registerPdf,
  type RegisterRow,
  stopNoticePdf,
  type SubmittedPaper,
  supplementRequestPdf,
} from "./forms/index.ts";
import type { DossierRow } from "./hooks.ts";
import type { DossierChannel } from "./model.ts";
import { canSee } from "./policy.ts";
import * as repo from "./repo.ts";

export { FORM_NUMBERS } from "./forms/index.ts";

export interface FormsService {
  /**
   * Form `number` (`01`…`07`) of a dossier as PDF, for its applicant and officers (the register line: officers
   * only). Throws DossierNotFound (no such dossier, or not the caller's to see), FormNotApplicable (the form's
   * event has not happened, or the dossier's set has no such number).
   */
  form(actor: Actor, id: string, number: string): Promise<Buffer>;
  /** The register (Mẫu 07; Mẫu 06 for a period before 15/09/2025) of an agency's receipts over Vietnamese days `from`–`to`. Throws DossierForbidden. */
  register(actor: Actor, query: { agency: string; from: string; to: string; format: "pdf" | "csv" }): Promise<Buffer>;
}

export interface FormsDeps {
  database: Database;
  clock: Clock;
  calendar: CalendarService;
  catalog: CatalogService;
  directory: DirectoryService;
  publicUrl: string;
}

/** The names of the agencies and departments a dossier's hand-overs name: the control sheet's words, on its PDF and its page. */
export interface UnitNames {
  /** The agency's name; an agency the directory does not know keeps its code. */
  agency(code: string): string;
  /** The department's name within its agency; one the directory does not know keeps its code. */
  department(agency: string, code: string): string;
}

/** Reads the names of `agencies` and their departments from the directory, once each. */
export async function unitNames(directory: DirectoryService, agencies: readonly string[]): Promise<UnitNames> {
  const names = new Map<string, string>();
  const departments = new Map<string, string>();
  for (const code of new Set(agencies)) {
    const a = await directory.agency(code).catch(() => null);
    names.set(code, a?.name ?? code);
    for (const dep of a?.departments ?? []) departments.set(`${code}/${dep.code}`, dep.name);
  }
  return { agency: (code) => names.get(code) ?? code, department: (agency, code) => departments.get(`${agency}/${code}`) ?? code };
}

const UNIT_WORDS = { working_days: "ngày làm việc", days: "ngày", hours: "giờ làm việc", same_day: "trong ngày" } as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const two = (n: number) => String(n).padStart(2, "0");
/** A working day is 8 working hours (DOMAIN.md §4). */
const DAY_MINUTES = 480;

/** `03 ngày làm việc`, `04 giờ làm việc`, `01 ngày 04 giờ làm việc`: the extension an apology asks for. */
export function extensionWords(minutes: number): string {
  const days = Math.floor(minutes / DAY_MINUTES);
  const hours = Math.round((minutes % DAY_MINUTES) / 60);
  if (hours === 0) return `${two(days)} ngày làm việc`;
  return days === 0 ? `${two(hours)} giờ làm việc` : `${two(days)} ngày ${two(hours)} giờ làm việc`;
}

/**
 * The papers the applicant actually handed in, in the procedure's order: each component with at least one file
 * filed for it by the time it was received (online, or scanned at the desk), with the number of files. A
 * component the procedure names but the applicant did not file is not on the receipt; supplements answered after
 * receipt are not either (they are the supplement's).
 */
export function submittedPapers(content: ProcedureContent, files: repo.FileRow[], receivedAt: Date): SubmittedPaper[] {
  return content.components.flatMap((c) => {
    const filed = files.filter((f) => f.kind === "component" && f.component === c.key && f.uploadedAt.getTime() <= receivedAt.getTime()).length;
    return filed > 0 ? [{ name: c.name, original: 0, certifiedCopy: 0, copy: 0, electronic: filed }] : [];
  });
}

export function makeFormsService({ database, clock, calendar, catalog, directory, publicUrl }: FormsDeps): FormsService {
  async function agencyOf(code: string): Promise<FormAgency> {
    const a = await directory.agency(code);
    const desk = a.departments.find((d) => d.code === "tiep-nhan")?.name ?? "Bộ phận tiếp nhận và trả kết quả";
    const parent = a.parentCode ? await directory.agency(a.parentCode).catch(() => null) : null;
    return { name: a.name, code: a.code, parentName: parent?.name ?? null, deskName: desk, place: null };
  }

  async function returnPlaceOf(d: DossierRow, receiving: FormAgency): Promise<string> {
    const at = d.returnAgencyCode && d.returnAgencyCode !== d.agencyCode ? await agencyOf(d.returnAgencyCode) : null;
    const desk = at ?? receiving;
    return desk === receiving ? (desk.deskName ?? desk.name) : `${desk.deskName ?? "Bộ phận tiếp nhận và trả kết quả"} - ${desk.name}`;
  }

  const isOfficer = (actor: Actor, agency: string) => OFFICER_ROLES.some((role) => hasRole(actor, role, (scope) => isWithinAgency(agency, scope)));

  async function common(d: DossierRow) {
    const content = (await catalog.bound(d.procedureCode, d.procedureVersion)).content;
    return {
      content,
      base: {
        agency: await agencyOf(d.agencyCode),
        lookupUrl: lookupUrl(publicUrl, d.code ?? "", d.lookupKey ?? ""),
        generatedAt: clock.now(),
        dossierCode: d.code ?? "",
        applicant: d.applicant,
        procedure: { code: d.procedureCode, name: content.name },
      },
    };
  }

  /** A line of the register; `transferredAt` is when the dossier first left for its next step. */
  function registerRow(d: DossierRow, procedureName: string, transferredAt: Date | null): RegisterRow {
    return {
      dossierCode: d.code ?? "",
      procedureName,
      applicantName: d.applicant.name,
      address: d.applicant.address,
      phone: d.applicant.phone,
      receivedAt: d.receivedAt!,
      dueAt: d.dueAt,
      transferredAt,
      resultAt: d.finishedAt,
      returnedAt: d.returnedAt,
      note: d.status === "refused" || d.status === "stopped" || d.status === "withdrawn" ? d.status : null,
    };
  }

  return {
    async form(actor, id, number) {
      const d = /^[0-9a-f-]{36}$/.test(id) ? await repo.findDossier(database.db, id) : null;
      // A filed dossier has its code (given at filing); which forms it has is `applies` below.
      if (!d || !canSee(actor, d) || !d.code) throw new DossierNotFound();
      const set = formSetOf(d);
      const edition = set.forms.find((f) => f.number === number);
      if (!edition) throw new FormNotApplicable(number, null, set.basis);
      // The register is the desk's book: to an applicant, the line is not there at all.
      if (edition.kind === "register" && !isOfficer(actor, d.agencyCode)) throw new DossierNotFound();
      const events = await repo.listEvents(database.db, d.id);
      if (!applies(edition.kind, new Set(events.map((e) => e.action)))) throw new FormNotApplicable(number, edition.title, set.basis);
      const { content, base: shared } = await common(d);
      const base = { ...shared, edition };
      const last = (action: string) => [...events].reverse().find((e) => e.action === action);
      switch (edition.kind) {
        case "receipt": {
          const time = processingTimeFor(content, d.channel as DossierChannel);
          const received = last("receive")!;
          return receiptPdf({
            ...base,
            papers: submittedPapers(content, await repo.listFiles(database.db, d.id), d.receivedAt!),
            processingTime: time.unit === "same_day" ? "Trong ngày" : `${String(time.amount).padStart(2, "0")} ${UNIT_WORDS[time.unit]}`,
            receivedAt: d.receivedAt!,
            dueAt: d.originalDueAt ?? d.dueAt!,
            // Where the applicant collects the result: the desk of the dossier's return step when another desk's
            // (filing anywhere in the province, DOMAIN.md §3), else the receiving desk.
            returnPlace: await returnPlaceOf(d, base.agency),
            // The register is kept a book a year; a dossier's line is its number of the day.
            register: { book: `20${d.code.split("-")[1]!.slice(0, 2)}`, number: Number(d.code.split("-")[2]) },
            officerName: received.actorName,
          });
        }
        case "supplement": {
          const asked = last("request_supplement")!;
          const labels: Record<string, string> = Object.fromEntries([
            ...content.components.map((c) => [c.key, c.name] as const),
            ...Object.entries(content.form.ui.fields).map(([k, f]) => [k, f.label] as const),
          ]);
          return supplementRequestPdf({ ...base, items: (asked.details?.items as never) ?? [], labels, officerName: asked.actorName });
        }
        case "refusal": {
          const refused = (last("refuse_receipt") ?? last("refuse"))!;
          return refusalPdf({ ...base, stage: refused.action === "refuse" ? "processing" : "receipt", reason: refused.note ?? "", officerName: refused.actorName });
        }
        case "apology": {
          const apology = last("apologize")!;
          const details = apology.details as { previousDueAt: string; newDueAt: string; reason: string };
          const [dueAt, newDueAt] = [new Date(details.previousDueAt), new Date(details.newDueAt)];
          const minutes = await calendar.workingMinutes({ from: dueAt, to: newDueAt, agency: d.processingAgencyCode });
          return apologyPdf({
            ...base,
            receivedAt: d.receivedAt!,
            dueAt,
            newDueAt,
            extension: extensionWords(minutes),
            reason: details.reason,
            signerName: apology.actorName,
          });
        }
        case "stop": {
          const stopped = last("stop")!;
          const reason = ((stopped.details as { reason?: string } | null)?.reason ?? stopped.note ?? "").trim();
          return stopNoticePdf({ ...base, receivedAt: d.receivedAt!, reason, signerName: stopped.actorName });
        }
        case "control": {
          const steps = await repo.listSteps(database.db, d.id);
          const units = await unitNames(directory, steps.map((s) => s.agencyCode));
          const agencies = [...new Set(steps.map((s) => s.agencyCode))];
          const lead = steps.find((s) => s.agencyCode !== d.agencyCode)?.agencyCode ?? d.agencyCode;
          return controlSheetPdf({
            ...base,
            receivedAt: d.receivedAt!,
            dueAt: d.dueAt ?? d.originalDueAt!,
            leadAgency: units.agency(lead),
            partnerAgencies: agencies.filter((code) => code !== lead).map(units.agency),
            steps: steps.map((s) => ({
              stepName: s.stepName,
              agencyName: units.agency(s.agencyCode),
              department: s.department ? units.department(s.agencyCode, s.department) : null,
              startedAt: s.startedAt,
              dueAt: s.dueAt,
              doneAt: s.doneAt,
              timeliness: s.timeliness as "early" | "on_time" | "late" | null,
              note: s.outcome ? (OUTCOME_WORDS[s.outcome]?.[0] ?? s.outcome) : null,
            })),
          });
        }
        case "register": {
          return registerPdf({ ...base, book: String(d.receivedAt!.getUTCFullYear()), from: d.receivedAt!, to: d.receivedAt!, rows: [registerRow(d, content.name, events.find((e) => e.action === "forward")?.at ?? null)] });
        }
      }
    },

    async register(actor, query) {
      if (!isOfficer(actor, query.agency)) throw new DossierForbidden("register");
      if (!DAY.test(query.from) || !DAY.test(query.to) || query.from > query.to) {
        throw new InvalidDossier([{ path: "/query/to", message: "Kỳ báo cáo: ngày cuối không được trước ngày đầu." }]);
      }
      // A register is kept by the year (a book a year): a longer period is several registers.
      if (Date.parse(query.to) - Date.parse(query.from) > 366 * 86_400_000) {
        throw new InvalidDossier([{ path: "/query/to", message: "Kỳ báo cáo dài nhất một năm." }]);
      }
      // Vietnamese days: 00:00 of `from` to 24:00 of `to`, at UTC+7.
      const from = new Date(`${query.from}T00:00:00+07:00`);
      const to = new Date(new Date(`${query.to}T00:00:00+07:00`).getTime() + 86_400_000);
      // A register is kept under one circular: Mẫu 06 of Circular 01/2018 up to 14/09/2025, Mẫu 07 of Circular
      // 03/2025 from 15/09/2025. A period across the change is two registers.
      const set = formSetAt(from);
      if (set !== formSetAt(new Date(to.getTime() - 1))) {
        throw new InvalidDossier([{ path: "/query/to", message: "Kỳ báo cáo không được vắt qua ngày 15/09/2025 (Thông tư 03/2025/TT-VPCP có hiệu lực): lập hai sổ, trước và từ ngày đó." }]);
      }
      const rows = await repo.receivedBetween(database.db, query.agency, from, to, 20_000);
      // One read of the hand-overs for the whole period, not one per line.
      const forwarded = await repo.firstActionAt(database.db, rows.map((d) => d.id), "forward");
      const out: RegisterRow[] = [];
      for (const d of rows) {
        const name = (await catalog.bound(d.procedureCode, d.procedureVersion)).content.name;
        out.push(registerRow(d, name, forwarded.get(d.id) ?? null));
      }
      if (query.format === "csv") return registerCsv(out);
      return registerPdf({
        edition: editionOf(set, "register")!,
        agency: await agencyOf(query.agency),
        lookupUrl: `${publicUrl}/tra-cuu`,
        generatedAt: clock.now(),
        book: query.from.slice(0, 4),
        from,
        to: new Date(to.getTime() - 1),
        rows: out,
      });
    },
  };
}
