// The monthly report (issue 17, item 5): leaders subscribe on their dashboard to the report of an agency's subtree;
// on the first of each month the job renders last month's dashboard as a PDF with its charts and mails it to each
// subscriber. Idempotent per month: the send is claimed (kpi_report_sends) in the transaction that queues the mail,
// so a crash and a rerun send each report once.
import type { Actor } from "../../platform/auth/actor.ts";
import { systemActor } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import type { Access } from "../../platform/http/access.ts";
import type { App } from "../../platform/http/types.ts";
import { defineJob } from "../../platform/jobs/index.ts";
import type { Logger } from "../../platform/log/index.ts";
import type { Mailer } from "../../platform/mail/index.ts";
import { Type } from "../../platform/typebox.ts";
import { FormText, pageSchema } from "../../web/forms.ts";
import { isoDate, localDay } from "../calendar/index.ts";
import { type DirectoryService, isAgencyCode } from "../directory/index.ts";
import type { IdentityService } from "../identity/index.ts";
import { dashboard, periodName } from "./dashboard.ts";
import { KpiForbidden } from "./errors.ts";
import { resolveScope } from "./policy.ts";
import { monthlyReportPdf } from "./report-pdf.ts";
import * as repo from "./repo.ts";
import type { KpiService } from "./service.ts";

export const REPORT_JOB = "kpi.monthly_report";

export interface Subscriptions {
  has(userId: string, agency: string): Promise<boolean>;
  /** Subscribes or unsubscribes the user to the agency's report. Throws KpiForbidden (not their subtree, no address). */
  set(actor: Actor, agency: string, on: boolean): Promise<void>;
  /** Queues last month's report (or `month`'s) to every subscriber not yet sent it; returns how many were queued. */
  sendMonth(month?: string): Promise<number>;
  routes(app: App, opts: { access: Access; back: string }): void;
}

export interface SubscriptionDeps {
  database: Database;
  clock: Clock;
  mail: Mailer;
  logger: Logger;
  kpi: KpiService;
  directory: DirectoryService;
  identity: Pick<IdentityService, "user" | "actorFor">;
}

/** The month before the one `now` falls in, `YYYY-MM`. */
export function previousMonth(now: Date): string {
  const today = isoDate(localDay(now.getTime()));
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

const Toggle = pageSchema({ body: Type.Object({ "co-quan": FormText(), nhan: FormText(), _csrf: FormText() }) });

export function makeSubscriptions(deps: SubscriptionDeps): Subscriptions {
  const { database, clock, mail, kpi, directory, identity, logger } = deps;

  /** Whether the subscriber may still see the agency's figures now: an active account whose grants still cover it. */
  async function mayStillSee(s: repo.ReportSubscription): Promise<boolean> {
    const user = await identity.user(s.userId);
    if (!user || user.status !== "active") return false;
    try {
      await resolveScope(identity.actorFor(user, { loa: 0 }), { agency: s.agencyCode }, directory);
      return true;
    } catch (err) {
      if (err instanceof KpiForbidden) return false;
      throw err;
    }
  }
  const self: Subscriptions = {
    has: (userId, agency) => repo.subscribed(database.db, userId, agency),

    async set(actor, agency, on) {
      if (actor.type !== "user" || !isAgencyCode(agency)) throw new KpiForbidden();
      // Unsubscribing needs no access: a leader who has left the agency can still stop its report.
      if (!on) return database.transaction((tx) => repo.unsubscribe(tx, actor.userId, agency));
      await resolveScope(actor, { agency }, directory);
      if (!actor.email) throw new KpiForbidden();
      const email = actor.email;
      await database.transaction((tx) => repo.subscribe(tx, { userId: actor.userId, agencyCode: agency, email, createdAt: clock.now() }));
    },

    async sendMonth(month = previousMonth(clock.now())) {
      let queued = 0;
      const reports = new Map<string, Buffer>();
      let dropped = 0;
      for (const s of await repo.subscriptions(database.db)) {
        // Access is checked at sending time: a leader who has since lost the agency (or whose account was
        // disabled) gets no report of it, and the subscription is dropped.
        if (!(await mayStillSee(s))) {
          await database.transaction((tx) => repo.unsubscribe(tx, s.userId, s.agencyCode));
          dropped++;
          continue;
        }
        let pdf = reports.get(s.agencyCode);
        const name = await directory.agency(s.agencyCode).then((a) => a.name, () => s.agencyCode);
        if (!pdf) {
          const d = await dashboard(kpi, directory, systemActor(REPORT_JOB), { period: month, agency: s.agencyCode });
          pdf = await monthlyReportPdf(d, name, clock.now());
          reports.set(s.agencyCode, pdf);
        }
        const body = pdf;
        const sent = await database.transaction(async (tx) => {
          if (!(await repo.claimSend(tx, { month, userId: s.userId, agencyCode: s.agencyCode, queuedAt: clock.now() }))) return false;
          await mail.send(tx, {
            to: s.email,
            subject: `Báo cáo chỉ số tháng ${periodName(month, "vi").slice(1)}: ${name}`,
            text: `Kính gửi lãnh đạo,\n\nĐính kèm là báo cáo chỉ số giải quyết thủ tục hành chính tháng ${periodName(month, "vi").slice(1)} của ${name} (tệp PDF, có biểu đồ và các bảng số liệu).\n\nĐể ngừng nhận, chọn "Ngừng nhận báo cáo tháng" trên bảng điều hành chỉ số.`,
            attachments: [{ filename: `bao-cao-chi-so-${month}.pdf`, contentType: "application/pdf", contentBase64: body.toString("base64") }],
          });
          return true;
        });
        if (sent) queued++;
      }
      logger.info({ month, queued, dropped }, "kpi monthly report queued");
      return queued;
    },

    routes(app, opts) {
      app.post("/office/chi-so/bao-cao-thang", { config: { access: opts.access }, ...Toggle }, async (request, reply) => {
        const body = request.body ?? {};
        await self.set(request.actor, body["co-quan"] ?? "", body.nhan === "1");
        return reply.redirect(opts.back, 303);
      });
    },
  };
  return self;
}

/** The monthly job: last month's report to every subscriber, once. */
export const reportJob = (subscriptions: Subscriptions) =>
  defineJob<Record<string, never>>({
    name: REPORT_JOB,
    maxAttempts: 3,
    handler: async () => {
      await subscriptions.sendMonth();
    },
  });
