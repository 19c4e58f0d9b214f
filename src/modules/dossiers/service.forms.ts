// The Circular 01/2018 forms of a dossier (Mẫu 01–05) and the register of a period (Mẫu 06): the data
// gathered from the dossier's rows, rendered by ./forms. A form exists once its event has happened: the
// receipt after receipt, the supplement request after one was made, and so on.
import { type Actor, hasRole, OFFICER_ROLES } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import type { CatalogService } from "../catalog/index.ts";
import { type DirectoryService, isWithinAgency } from "../directory/index.ts";
import { processingTimeFor } from "../workflow/index.ts";
import { DossierForbidden, DossierNotFound, InvalidDossier } from "./errors.ts";
import {
  apology04Pdf,
  controlSheet05Pdf,
  type FormAgency,
  lookupUrl,
  receipt01Pdf,
  refusal03Pdf,
  register06Csv,
  register06Pdf,
  type RegisterRow,
  supplementRequest02Pdf,
} from "./forms/index.ts";
import type { DossierRow } from "./hooks.ts";
import type { DossierChannel } from "./model.ts";
import { canSee } from "./policy.ts";
import * as repo from "./repo.ts";

export const FORMS = ["01", "02", "03", "04", "05", "06"] as const;
export type FormNumber = (typeof FORMS)[number];

export interface FormsService {
  /** A form of a dossier as PDF, for its applicant and officers (Mẫu 06: officers only). Throws DossierNotFound (also when the form does not exist yet). */
  form(actor: Actor, id: string, form: FormNumber): Promise<Buffer>;
  /** The register (Mẫu 06) of an agency's receipts over Vietnamese days `from`–`to`. Throws DossierForbidden. */
  register(actor: Actor, query: { agency: string; from: string; to: string; format: "pdf" | "csv" }): Promise<Buffer>;
}

export interface FormsDeps {
  database: Database;
  clock: Clock;
  catalog: CatalogService;
  directory: DirectoryService;
  publicUrl: string;
}

/** How a hand-over ended, in the words of the control sheet's notes. */
const OUTCOME_WORDS: Record<string, string> = {
  received: "Đã tiếp nhận",
  forwarded: "Chuyển bước tiếp theo",
  sent_back: "Trả lại bước trước",
  approved: "Đã ký duyệt",
  finished: "Đã có kết quả",
  returned: "Đã trả kết quả",
  refused: "Từ chối giải quyết",
  stopped: "Dừng xử lý",
  withdrawn: "Công dân rút hồ sơ",
};

const UNIT_WORDS = { working_days: "ngày làm việc", days: "ngày", hours: "giờ làm việc", same_day: "trong ngày" } as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function makeFormsService({ database, clock, catalog, directory, publicUrl }: FormsDeps): FormsService {
  async function agencyOf(code: string): Promise<FormAgency> {
    const a = await directory.agency(code);
    const desk = a.departments.find((d) => d.code === "tiep-nhan")?.name ?? "Bộ phận tiếp nhận và trả kết quả";
    const parent = a.parentCode ? await directory.agency(a.parentCode).catch(() => null) : null;
    return { name: a.name, code: a.code, parentName: parent?.name ?? null, deskName: desk, place: null };
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
    async form(actor, id, form) {
      const d = /^[0-9a-f-]{36}$/.test(id) ? await repo.findDossier(database.db, id) : null;
      // A filed dossier has its code; the forms are the receipt's and after (a dossier received has a code too).
      if (!d || !canSee(actor, d) || !d.code || !d.receivedAt) throw new DossierNotFound();
      const { content, base } = await common(d);
      const events = await repo.listEvents(database.db, d.id);
      const last = (action: string) => [...events].reverse().find((e) => e.action === action);
      switch (form) {
        case "01": {
          const time = processingTimeFor(content, d.channel as DossierChannel);
          const received = last("receive")!;
          return receipt01Pdf({
            ...base,
            papers: content.components.map((c) => ({ name: c.name, original: c.counts.original, certifiedCopy: c.counts.certifiedCopy, copy: c.counts.copy })),
            processingTime: time.unit === "same_day" ? "Trong ngày" : `${String(time.amount).padStart(2, "0")} ${UNIT_WORDS[time.unit]}`,
            receivedAt: d.receivedAt!,
            dueAt: d.originalDueAt ?? d.dueAt!,
            returnPlace: base.agency.deskName ?? base.agency.name,
            // The register is kept a book a year; a dossier's line is its number of the day.
            register: { book: `20${d.code.split("-")[1]!.slice(0, 2)}`, number: Number(d.code.split("-")[2]) },
            officerName: received.actorName,
          });
        }
        case "02": {
          const asked = last("request_supplement");
          if (!asked) throw new DossierNotFound();
          const labels: Record<string, string> = Object.fromEntries([
            ...content.components.map((c) => [c.key, c.name] as const),
            ...Object.entries(content.form.ui.fields).map(([k, f]) => [k, f.label] as const),
          ]);
          return supplementRequest02Pdf({ ...base, items: (asked.details?.items as never) ?? [], labels, officerName: asked.actorName });
        }
        case "03": {
          const refused = last("refuse_receipt") ?? last("refuse");
          if (!refused) throw new DossierNotFound();
          return refusal03Pdf({ ...base, stage: refused.action === "refuse" ? "processing" : "receipt", reason: refused.note ?? "", officerName: refused.actorName });
        }
        case "04": {
          const apology = last("apologize");
          if (!apology) throw new DossierNotFound();
          const details = apology.details as { previousDueAt: string; newDueAt: string; reason: string };
          return apology04Pdf({
            ...base,
            receivedAt: d.receivedAt!,
            dueAt: new Date(details.previousDueAt),
            newDueAt: new Date(details.newDueAt),
            reason: details.reason,
            signerName: apology.actorName,
          });
        }
        case "05": {
          const steps = await repo.listSteps(database.db, d.id);
          const names = new Map<string, string>();
          const departments = new Map<string, string>();
          for (const s of steps) {
            if (names.has(s.agencyCode)) continue;
            const a = await directory.agency(s.agencyCode).catch(() => null);
            names.set(s.agencyCode, a?.name ?? s.agencyCode);
            for (const dep of a?.departments ?? []) departments.set(`${s.agencyCode}/${dep.code}`, dep.name);
          }
          const lead = steps.find((s) => s.agencyCode !== d.agencyCode)?.agencyCode ?? d.agencyCode;
          return controlSheet05Pdf({
            ...base,
            receivedAt: d.receivedAt!,
            dueAt: d.dueAt ?? d.originalDueAt!,
            leadAgency: names.get(lead) ?? lead,
            partnerAgencies: [...names.entries()].filter(([code]) => code !== lead).map(([, name]) => name),
            steps: steps.map((s) => ({
              stepName: s.stepName,
              agencyName: names.get(s.agencyCode) ?? s.agencyCode,
              department: s.department ? (departments.get(`${s.agencyCode}/${s.department}`) ?? s.department) : null,
              startedAt: s.startedAt,
              dueAt: s.dueAt,
              doneAt: s.doneAt,
              timeliness: s.timeliness as "early" | "on_time" | "late" | null,
              note: s.outcome ? (OUTCOME_WORDS[s.outcome] ?? s.outcome) : null,
            })),
          });
        }
        case "06": {
          if (!isOfficer(actor, d.agencyCode)) throw new DossierNotFound();
          return register06Pdf({ ...base, book: String(d.receivedAt!.getUTCFullYear()), from: d.receivedAt!, to: d.receivedAt!, rows: [registerRow(d, content.name, events.find((e) => e.action === "forward")?.at ?? null)] });
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
      const rows = await repo.receivedBetween(database.db, query.agency, from, to, 20_000);
      // One read of the hand-overs for the whole period, not one per line.
      const forwarded = await repo.firstActionAt(database.db, rows.map((d) => d.id), "forward");
      const out: RegisterRow[] = [];
      for (const d of rows) {
        const name = (await catalog.bound(d.procedureCode, d.procedureVersion)).content.name;
        out.push(registerRow(d, name, forwarded.get(d.id) ?? null));
      }
      if (query.format === "csv") return register06Csv(out);
      return register06Pdf({
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
