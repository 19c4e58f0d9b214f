// The office's pages of personal-data protection (issue 18, items 5 and 6), for supervisors and administrators:
// data subjects' requests to their deadline (`/office/bao-ve-du-lieu`), the breach register with the deadline to
// notify the authority, and the report of unusual look-ups (`/office/tra-cuu-bat-thuong`).
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "../../../platform/typebox.ts";
import { REVIEWERS } from "../../../platform/http/access.ts";
import type { App } from "../../../platform/http/types.ts";
import { csrfToken } from "../../../web/cookies.ts";
import { doneNotice, FormText, pageQuery, pageSchema, postedForm, vietnamTime } from "../../../web/forms.ts";
import { formatDateTime } from "../../../web/format.ts";
import { tr } from "../../../web/i18n.ts";
import { Layout } from "../../../web/layout.tsx";
import { registerPageErrors, shownError } from "../../../web/page-errors.tsx";
import { type PageRequest, pageRequest, sendPage } from "../../../web/render.ts";
import { ScrollTable } from "../../../web/table.tsx";
import type { AnomalyReport, AnomalyService } from "../anomalies.ts";
import { KIND_LABEL, label, STATUS_LABEL } from "./portal-page.tsx";
import type * as repo from "./repo.ts";
import { type DataRightsService, isLate, isOverdue, isReplyLate } from "./service.ts";
import { dayStart, parseIsoDate } from "../../calendar/index.ts";

export const PROTECTION_PATH = "/office/bao-ve-du-lieu";
export const ANOMALIES_PATH = "/office/tra-cuu-bat-thuong";
const DAY_MS = 86_400_000;

const DONE: Readonly<Record<string, readonly [string, string]>> = {
  "xu-ly": ["Đã cập nhật yêu cầu.", "The request was updated."],
  "su-co": ["Đã ghi sự cố vào sổ.", "The breach was recorded."],
  "thong-bao": ["Đã ghi nhận việc thông báo sự cố.", "The notification was recorded."],
};

const Query = pageSchema({ querystring: Type.Object({ da: FormText() }) });
const HandleForm = pageSchema({ params: Type.Object({ id: Type.String({ maxLength: 64 }) }), body: Type.Object({ status: Type.String({ maxLength: 20 }), answer: FormText({ maxLength: 4000 }) }) });
const BreachForm = pageSchema({ body: Type.Object({ discoveredAt: Type.String({ maxLength: 20 }), occurredAt: FormText({ maxLength: 20 }), description: Type.String({ maxLength: 4000 }), subjects: Type.String({ maxLength: 2000 }) }) });
const NotifiedForm = pageSchema({ params: Type.Object({ id: Type.String({ maxLength: 64 }) }) });
const ReportQuery = pageSchema({ querystring: Type.Object({ tu: FormText({ maxLength: 10 }), den: FormText({ maxLength: 10 }) }) });

function ProtectionPage(props: { page: PageRequest; csrf: string; now: Date; requests: repo.RequestRow[]; breaches: repo.BreachRow[]; notice?: string | undefined; error?: string | undefined }) {
  const { page, csrf, now } = props;
  const when = (d: Date | null) => (d ? formatDateTime(d, page.lang) : "—");
  return (
    <Layout page={page} variant="office" title={tr(page, "Bảo vệ dữ liệu cá nhân", "Personal data protection")} current={PROTECTION_PATH}>
      <h1>{tr(page, "Bảo vệ dữ liệu cá nhân", "Personal data protection")}</h1>
      {props.notice ? <p class="notice" role="status">{props.notice}</p> : null}
      {props.error ? <p class="error" role="alert">{props.error}</p> : null}
      <h2>{tr(page, "Yêu cầu của chủ thể dữ liệu", "Data subjects' requests")}</h2>
      {props.requests.length === 0 ? <p>{tr(page, "Chưa có yêu cầu.", "No requests.")}</p> : (
        <ul class="stack">
          {props.requests.map((r) => (
            <li>
              <p>
                <strong>{label(page, KIND_LABEL, r.kind)}</strong> — {r.fullName} — {label(page, STATUS_LABEL, r.status)} — {r.agencyCode ?? tr(page, "gửi đơn vị vận hành hệ thống", "to the system's operator")}
                <br />
                {tr(page, "Gửi", "Sent")} {when(r.filedAt)}
                {r.replyDueAt ? (
                  <>
                    ; {tr(page, "phản hồi trước", "reply by")} {when(r.replyDueAt)}
                    {r.repliedAt ? <> ({tr(page, "đã phản hồi", "replied")} {when(r.repliedAt)})</> : null}
                    {isReplyLate(r, now) ? <strong> {tr(page, "(phản hồi quá hạn)", "(reply late)")}</strong> : null}
                  </>
                ) : null}
                ; {tr(page, "hạn thực hiện", "carry out by")} {when(r.dueAt)}
                {isLate(r, now) ? <strong> {tr(page, "(quá hạn)", "(late)")}</strong> : null}
              </p>
              {r.detail ? <p>{r.detail}</p> : null}
              {r.status === "done" || r.status === "refused" ? <p>{r.answer}</p> : (
                <form class="stack" method="post" action={`${PROTECTION_PATH}/yeu-cau/${r.id}`}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <div class="field">
                    <label for={`answer-${r.id}`}>{tr(page, "Trả lời", "Answer")}</label>
                    <textarea id={`answer-${r.id}`} name="answer" rows={2} maxlength={4000} />
                  </div>
                  <div class="actions">
                    {r.status === "received" ? <button type="submit" name="status" value="in_progress" class="secondary">{tr(page, "Nhận xử lý", "Take up")}</button> : null}
                    <button type="submit" name="status" value="done">{tr(page, "Đã thực hiện", "Done")}</button>
                    <button type="submit" name="status" value="refused" class="secondary">{tr(page, "Từ chối", "Refuse")}</button>
                  </div>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>{tr(page, "Sổ theo dõi sự cố", "Breach register")}</h2>
      {props.breaches.length === 0 ? <p>{tr(page, "Chưa có sự cố.", "No breaches.")}</p> : (
        <ScrollTable labelledBy="breaches-caption">
          <table>
            <caption id="breaches-caption">{tr(page, "Sự cố dữ liệu cá nhân", "Personal data breaches")}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(page, "Phát hiện", "Discovered")}</th>
                <th scope="col">{tr(page, "Sự cố", "What")}</th>
                <th scope="col">{tr(page, "Dữ liệu của ai", "Whose data")}</th>
                <th scope="col">{tr(page, "Hạn thông báo", "Notify by")}</th>
                <th scope="col">{tr(page, "Đã thông báo", "Notified")}</th>
              </tr>
            </thead>
            <tbody>
              {props.breaches.map((b) => (
                <tr>
                  <td class="nowrap">{when(b.discoveredAt)}</td>
                  <td>{b.description}</td>
                  <td>{b.subjects}</td>
                  <td class="nowrap">
                    {when(b.notifyDueAt)}
                    {isOverdue(b, now) ? <strong> {tr(page, "(quá hạn)", "(overdue)")}</strong> : null}
                  </td>
                  <td class="nowrap">
                    {b.notifiedAt ? when(b.notifiedAt) : (
                      <form method="post" action={`${PROTECTION_PATH}/su-co/${b.id}/da-thong-bao`}>
                        <input type="hidden" name="_csrf" value={csrf} />
                        <button type="submit" class="secondary">{tr(page, "Đã thông báo", "Notified")}</button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <h3>{tr(page, "Ghi sự cố mới", "Record a breach")}</h3>
      <form class="stack" method="post" action={`${PROTECTION_PATH}/su-co`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="field">
          <label for="discoveredAt">{tr(page, "Phát hiện lúc", "Discovered at")}</label>
          <input id="discoveredAt" name="discoveredAt" type="datetime-local" required />
        </div>
        <div class="field">
          <label for="occurredAt">{tr(page, "Xảy ra lúc (nếu biết)", "Occurred at (if known)")}</label>
          <input id="occurredAt" name="occurredAt" type="datetime-local" />
        </div>
        <div class="field">
          <label for="description">{tr(page, "Mô tả sự cố", "What happened")}</label>
          <textarea id="description" name="description" rows={3} required maxlength={4000} />
        </div>
        <div class="field">
          <label for="subjects">{tr(page, "Dữ liệu của ai bị ảnh hưởng", "Whose data is affected")}</label>
          <input id="subjects" name="subjects" required maxlength={2000} />
        </div>
        <button type="submit">{tr(page, "Ghi vào sổ", "Record")}</button>
      </form>
    </Layout>
  );
}

function AnomaliesPage({ page, report, from, to }: { page: PageRequest; report: AnomalyReport; from: string; to: string }) {
  const when = (iso: string) => formatDateTime(new Date(iso), page.lang);
  return (
    <Layout page={page} variant="office" title={tr(page, "Tra cứu bất thường", "Unusual look-ups")} current={ANOMALIES_PATH}>
      <h1>{tr(page, "Tra cứu bất thường", "Unusual look-ups")}</h1>
      <form class="inline-form" method="get" action={ANOMALIES_PATH}>
        <div class="field">
          <label for="tu">{tr(page, "Từ ngày", "From")}</label>
          <input id="tu" name="tu" type="date" value={from} />
        </div>
        <div class="field">
          <label for="den">{tr(page, "Đến ngày", "To")}</label>
          <input id="den" name="den" type="date" value={to} />
        </div>
        <button type="submit">{tr(page, "Xem", "Show")}</button>
      </form>
      <p>{tr(page, `${report.lookups} lượt tra cứu của cơ quan ${report.agencyCode} trong khoảng này.`, `${report.lookups} look-ups by agency ${report.agencyCode} in this period.`)}</p>
      <h2>{tr(page, `Cán bộ tra cứu từ ${report.threshold} người trở lên không gắn hồ sơ của cơ quan`, `Officers who looked up ${report.threshold} or more people for no dossier of the agency`)}</h2>
      {report.unlinked.length === 0 ? <p>{tr(page, "Không có.", "None.")}</p> : (
        <ul>
          {report.unlinked.map((o) => (
            <li>
              <strong>{o.actorName}</strong>: {tr(page, `${o.distinctUnlinked} người, ${o.lookups} lượt`, `${o.distinctUnlinked} people, ${o.lookups} look-ups`)}
            </li>
          ))}
        </ul>
      )}
      <h2>{tr(page, "Tra cứu ngoài giờ làm việc", "Look-ups outside office hours")}</h2>
      {report.offHours.length === 0 ? <p>{tr(page, "Không có.", "None.")}</p> : (
        <ScrollTable labelledBy="offhours-caption">
          <table>
            <caption id="offhours-caption">{tr(page, "Ngoài giờ làm việc", "Outside office hours")}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(page, "Lúc", "At")}</th>
                <th scope="col">{tr(page, "Cán bộ", "Officer")}</th>
                <th scope="col">{tr(page, "Đối tượng", "Subject")}</th>
                <th scope="col">{tr(page, "Hồ sơ", "Dossier")}</th>
              </tr>
            </thead>
            <tbody>
              {report.offHours.map((l) => (
                <tr>
                  <td class="nowrap">{when(l.at)}</td>
                  <td>{l.actorName}</td>
                  <td class="nowrap">{l.subjectId}</td>
                  <td>{l.dossierId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </Layout>
  );
}

/** `YYYY-MM-DD` as the start of that day in Vietnam (UTC+7, no daylight saving). */
/** The start of a Vietnamese day, or null for no date or one that does not exist. */
const dayInVietnam = (s: string | undefined): Date | null => {
  const day = s ? parseIsoDate(s) : null;
  return day === null ? null : new Date(dayStart(day));
};
const isoDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

export function rightsOfficePages(deps: { rights: DataRightsService; anomalies: AnomalyService; now: () => Date }) {
  const { rights, anomalies, now } = deps;
  return async (app: App) => {
    registerPageErrors(app, { signInReturn: PROTECTION_PATH, signIn: "office", back: { href: "/office", vi: "Bàn làm việc", en: "Workspace" } });

    const show = async (request: FastifyRequest, reply: FastifyReply, extra: { notice?: string | undefined; error?: string | undefined } = {}, status = 200) => {
      const [requests, breaches] = await Promise.all([rights.requests(request.actor), rights.breaches(request.actor)]);
      return sendPage(reply, <ProtectionPage page={pageRequest(request)} csrf={csrfToken(request, reply)} now={now()} requests={requests} breaches={breaches} {...extra} />, status);
    };
    const again = async (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
      const shown = shownError(reply, pageRequest(request), err);
      if (!shown) throw err;
      return show(request, reply, { error: [shown.message, ...shown.problems.map((p) => p.message)].join(" ") }, shown.status);
    };

    app.get(PROTECTION_PATH, { config: { access: REVIEWERS }, ...Query }, async (request, reply) => show(request, reply, { notice: doneNotice(pageRequest(request), pageQuery(request).da, DONE) }));

    app.post(`${PROTECTION_PATH}/yeu-cau/:id`, { config: { access: REVIEWERS }, ...HandleForm }, async (request, reply) => {
      const form = postedForm(request);
      const status = form.ok ? form.values.status : "";
      if (!form.ok || (status !== "in_progress" && status !== "done" && status !== "refused")) return show(request, reply, { error: tr(pageRequest(request), "Thông tin không hợp lệ.", "The input is not valid.") }, 400);
      try {
        await rights.handleRequest(request.actor, request.params.id, { status, answer: form.values.answer });
      } catch (err) {
        return again(request, reply, err);
      }
      return reply.redirect(`${PROTECTION_PATH}?da=xu-ly`, 303);
    });

    app.post(`${PROTECTION_PATH}/su-co`, { config: { access: REVIEWERS }, ...BreachForm }, async (request, reply) => {
      const form = postedForm(request);
      const discovered = form.ok ? vietnamTime(form.values.discoveredAt) : null;
      const occurred = form.ok && form.values.occurredAt ? vietnamTime(form.values.occurredAt) : null;
      if (!form.ok || !discovered) return show(request, reply, { error: tr(pageRequest(request), "Hãy nhập thời điểm phát hiện.", "Enter when it was discovered.") }, 400);
      try {
        await rights.recordBreach(request.actor, { discoveredAt: new Date(discovered), occurredAt: occurred ? new Date(occurred) : null, description: form.values.description, subjects: form.values.subjects });
      } catch (err) {
        return again(request, reply, err);
      }
      return reply.redirect(`${PROTECTION_PATH}?da=su-co`, 303);
    });

    app.post(`${PROTECTION_PATH}/su-co/:id/da-thong-bao`, { config: { access: REVIEWERS }, ...NotifiedForm }, async (request, reply) => {
      try {
        await rights.markNotified(request.actor, request.params.id);
      } catch (err) {
        return again(request, reply, err);
      }
      return reply.redirect(`${PROTECTION_PATH}?da=thong-bao`, 303);
    });

    app.get(ANOMALIES_PATH, { config: { access: REVIEWERS }, ...ReportQuery }, async (request, reply) => {
      const q = pageQuery(request);
      const today = dayInVietnam(isoDay(now()))!;
      const to = dayInVietnam(q.den) ?? today;
      const from = dayInVietnam(q.tu) ?? new Date(to.getTime() - 6 * DAY_MS);
      const report = await anomalies.report(request.actor, { from, to: new Date(to.getTime() + DAY_MS) });
      return sendPage(reply, <AnomaliesPage page={pageRequest(request)} report={report} from={isoDay(from)} to={isoDay(to)} />);
    });
  };
}
