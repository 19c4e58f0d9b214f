// The portal's page of one's rights over one's personal data (`/quyen-du-lieu`, issue 18 item 5): consent to
// optional uses given and withdrawn, requests to see, correct or delete filed and followed to their deadline, and
// the export of what motcua holds. Forms work without JavaScript (CSRF token, Post/Redirect/Get with a notice).
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "../../../platform/typebox.ts";
import { APPLICANTS } from "../../../platform/http/access.ts";
import type { App } from "../../../platform/http/types.ts";
import { csrfToken } from "../../../web/cookies.ts";
import { doneNotice, FormText, pageQuery, pageSchema, postedForm } from "../../../web/forms.ts";
import { formatDateTime } from "../../../web/format.ts";
import { tr } from "../../../web/i18n.ts";
import { Layout } from "../../../web/layout.tsx";
import { registerPageErrors, shownError } from "../../../web/page-errors.tsx";
import { type PageRequest, sendPage } from "../../../web/render.ts";
import { partyPage } from "../../../web/routes.tsx";
import { ScrollTable } from "../../../web/table.tsx";
import type * as repo from "./repo.ts";
import { CONSENT_PURPOSES, type DataRightsService, isLate, isReplyLate, REQUEST_KINDS } from "./service.ts";

export const RIGHTS_PATH = "/quyen-du-lieu";

export const PURPOSE_LABEL: Record<string, readonly [string, string]> = {
  notify_sms: ["Nhận thông báo về hồ sơ qua tin nhắn SMS", "Dossier notices by SMS"],
  notify_email: ["Nhận thông báo về hồ sơ qua thư điện tử", "Dossier notices by e-mail"],
  statistics: ["Dùng dữ liệu của tôi cho thống kê", "Use my data for statistics"],
};
export const KIND_LABEL: Record<string, readonly [string, string]> = {
  see: ["Xem dữ liệu của tôi", "See my data"],
  correct: ["Chỉnh sửa dữ liệu", "Correct my data"],
  delete: ["Xóa dữ liệu", "Delete my data"],
};
export const STATUS_LABEL: Record<string, readonly [string, string]> = {
  received: ["Đã tiếp nhận", "Received"],
  in_progress: ["Đang xử lý", "In progress"],
  done: ["Đã trả lời", "Answered"],
  refused: ["Từ chối", "Refused"],
};
export const label = (page: PageRequest, table: Record<string, readonly [string, string]>, key: string) => {
  const l = table[key];
  return l ? tr(page, l[0], l[1]) : key;
};

const DONE: Readonly<Record<string, readonly [string, string]>> = {
  "dong-y": ["Đã ghi nhận sự đồng ý của bạn.", "Your consent was recorded."],
  "rut-lai": ["Đã rút lại sự đồng ý: việc sử dụng dữ liệu cho mục đích này dừng từ bây giờ.", "Consent withdrawn: this use stops from now."],
  "yeu-cau": ["Đã gửi yêu cầu. Bạn theo dõi trạng thái ngay trên trang này.", "Your request was sent. Follow its status on this page."],
};

const Query = pageSchema({ querystring: Type.Object({ da: FormText() }) });
const ConsentForm = pageSchema({ body: Type.Object({ purpose: Type.String({ maxLength: 40 }), action: Type.String({ maxLength: 10 }) }) });
const RequestForm = pageSchema({ body: Type.Object({ kind: Type.String({ maxLength: 10 }), detail: FormText({ maxLength: 2000 }), agencyCode: FormText({ maxLength: 40 }) }) });

interface Props {
  page: PageRequest;
  csrf: string;
  now: Date;
  consents: repo.ConsentRow[];
  requests: repo.RequestRow[];
  /** The agencies that hold the person's data (their dossiers' and look-ups'): whom a request may be addressed to. */
  holders: string[];
  notice?: string | undefined;
  error?: string | undefined;
}

function RightsPage({ page, csrf, now, consents, requests, holders, notice, error }: Props) {
  const inForce = new Set(consents.filter((c) => c.withdrawnAt === null).map((c) => c.purpose));
  const when = (d: Date | null) => (d ? formatDateTime(d, page.lang) : "—");
  return (
    <Layout page={page} variant="portal" title={tr(page, "Quyền đối với dữ liệu cá nhân", "Your personal data rights")} current={RIGHTS_PATH}>
      <h1>{tr(page, "Quyền đối với dữ liệu cá nhân", "Your personal data rights")}</h1>
      <p class="lead">
        {tr(
          page,
          "Theo Luật Bảo vệ dữ liệu cá nhân, bạn đồng ý hoặc rút lại sự đồng ý cho các mục đích không bắt buộc, và yêu cầu xem, chỉnh sửa hoặc xóa dữ liệu của mình.",
          "Under the Law on Personal Data Protection you give or withdraw consent to optional uses, and ask to see, correct or delete your data.",
        )}
      </p>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="error" role="alert">{error}</p> : null}

      <h2>{tr(page, "Sự đồng ý cho các mục đích tùy chọn", "Consent to optional uses")}</h2>
      <ul class="stack">
        {CONSENT_PURPOSES.map((p) => (
          <li>
            <form class="inline-form" method="post" action={`${RIGHTS_PATH}/dong-y`}>
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="purpose" value={p} />
              <input type="hidden" name="action" value={inForce.has(p) ? "withdraw" : "grant"} />
              <span>
                {label(page, PURPOSE_LABEL, p)}: <strong>{inForce.has(p) ? tr(page, "đã đồng ý", "consented") : tr(page, "chưa đồng ý", "not consented")}</strong>
              </span>
              <button type="submit" class={inForce.has(p) ? "secondary" : undefined}>
                {inForce.has(p) ? tr(page, "Rút lại", "Withdraw") : tr(page, "Đồng ý", "Consent")}
              </button>
            </form>
          </li>
        ))}
      </ul>

      <h2>{tr(page, "Yêu cầu về dữ liệu của tôi", "Requests about my data")}</h2>
      <form class="stack" method="post" action={`${RIGHTS_PATH}/yeu-cau`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="field">
          <label for="kind">{tr(page, "Loại yêu cầu", "Kind of request")}</label>
          <select id="kind" name="kind">
            {REQUEST_KINDS.map((k) => (
              <option value={k}>{label(page, KIND_LABEL, k)}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="agencyCode">{tr(page, "Gửi đến", "Addressed to")}</label>
          <select id="agencyCode" name="agencyCode">
            <option value="">{tr(page, "Đơn vị vận hành hệ thống (toàn bộ dữ liệu)", "The system's operator (all the data)")}</option>
            {holders.map((code) => (
              <option value={code}>{tr(page, `Cơ quan ${code}`, `Agency ${code}`)}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="detail">{tr(page, "Nội dung (dữ liệu nào cần chỉnh sửa hoặc xóa)", "Details (which data to correct or delete)")}</label>
          <textarea id="detail" name="detail" rows={3} maxlength={2000} />
        </div>
        <button type="submit">{tr(page, "Gửi yêu cầu", "Send the request")}</button>
      </form>
      {requests.length === 0 ? (
        <p>{tr(page, "Bạn chưa gửi yêu cầu nào.", "You have sent no request.")}</p>
      ) : (
        <ScrollTable labelledBy="requests-caption">
          <table>
            <caption id="requests-caption">{tr(page, "Yêu cầu đã gửi", "Requests sent")}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(page, "Yêu cầu", "Request")}</th>
                <th scope="col">{tr(page, "Gửi lúc", "Sent")}</th>
                <th scope="col">{tr(page, "Hạn phản hồi", "Reply by")}</th>
                <th scope="col">{tr(page, "Hạn thực hiện", "Carried out by")}</th>
                <th scope="col">{tr(page, "Trạng thái", "Status")}</th>
                <th scope="col">{tr(page, "Trả lời", "Answer")}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr>
                  <td>{label(page, KIND_LABEL, r.kind)}</td>
                  <td class="nowrap">{when(r.filedAt)}</td>
                  <td class="nowrap">
                    {when(r.replyDueAt)}
                    {isReplyLate(r, now) ? <strong> {tr(page, "(quá hạn)", "(late)")}</strong> : null}
                  </td>
                  <td class="nowrap">
                    {when(r.dueAt)}
                    {isLate(r, now) ? <strong> {tr(page, "(quá hạn)", "(late)")}</strong> : null}
                  </td>
                  <td>{label(page, STATUS_LABEL, r.status)}</td>
                  <td>
                    {r.answer ?? ""}
                    {r.export !== null ? (
                      <>
                        {" "}
                        <a href={`/api/data-requests/${r.id}/export`}>{tr(page, "Tải dữ liệu (JSON)", "Download the data (JSON)")}</a>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <p>
        <a href="/api/me/personal-data">{tr(page, "Tải ngay dữ liệu motcua đang lưu về tôi (JSON)", "Download now what motcua holds about me (JSON)")}</a>
      </p>
    </Layout>
  );
}

export function rightsPortalPages(deps: { rights: DataRightsService; now: () => Date }) {
  const { rights, now } = deps;
  return async (app: App) => {
    registerPageErrors(app, { signInReturn: RIGHTS_PATH, signIn: "portal", back: { href: RIGHTS_PATH, vi: "Quyền đối với dữ liệu", en: "Data rights" } });
    app.addHook("onSend", async (_request, reply, payload) => {
      if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) void reply.header("cache-control", "private, no-store");
      return payload;
    });

    const show = async (request: FastifyRequest, reply: FastifyReply, extra: { notice?: string | undefined; error?: string | undefined } = {}, status = 200) => {
      const page = partyPage(request, reply, "portal");
      const [consents, requests, mine] = await Promise.all([rights.consents(request.actor), rights.myRequests(request.actor), rights.exportMine(request.actor)]);
      const holders = [...new Set([...mine.dossiers.map((d) => d.agencyCode), ...mine.lookups.flatMap((l) => (l.agencyCode ? [l.agencyCode] : []))])].sort();
      return sendPage(reply, <RightsPage page={page} csrf={csrfToken(request, reply)} now={now()} consents={consents} requests={requests} holders={holders} {...extra} />, status);
    };

    app.get(RIGHTS_PATH, { config: { access: APPLICANTS }, ...Query }, async (request, reply) =>
      show(request, reply, { notice: doneNotice(partyPage(request, reply, "portal"), pageQuery(request).da, DONE) }),
    );

    app.post(`${RIGHTS_PATH}/dong-y`, { config: { access: APPLICANTS }, ...ConsentForm }, async (request, reply) => {
      const form = postedForm(request);
      if (!form.ok) return show(request, reply, { error: tr(partyPage(request, reply, "portal"), "Thông tin không hợp lệ.", "The input is not valid.") }, 400);
      const withdraw = form.values.action === "withdraw";
      try {
        if (withdraw) await rights.withdraw(request.actor, form.values.purpose);
        else await rights.grant(request.actor, form.values.purpose);
      } catch (err) {
        const shown = shownError(reply, partyPage(request, reply, "portal"), err);
        if (!shown) throw err;
        return show(request, reply, { error: shown.message }, shown.status);
      }
      return reply.redirect(`${RIGHTS_PATH}?da=${withdraw ? "rut-lai" : "dong-y"}`, 303);
    });

    app.post(`${RIGHTS_PATH}/yeu-cau`, { config: { access: APPLICANTS }, ...RequestForm }, async (request, reply) => {
      const form = postedForm(request);
      if (!form.ok) return show(request, reply, { error: tr(partyPage(request, reply, "portal"), "Thông tin không hợp lệ.", "The input is not valid.") }, 400);
      try {
        await rights.fileRequest(request.actor, { kind: form.values.kind, detail: form.values.detail ?? "", agencyCode: form.values.agencyCode || null });
      } catch (err) {
        const shown = shownError(reply, partyPage(request, reply, "portal"), err);
        if (!shown) throw err;
        const detail = shown.problems.map((p) => p.message).join(" ");
        return show(request, reply, { error: detail || shown.message }, shown.status);
      }
      return reply.redirect(`${RIGHTS_PATH}?da=yeu-cau`, 303);
    });
  };
}
