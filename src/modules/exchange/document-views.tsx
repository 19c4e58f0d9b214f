// A document of the agency's box: its metadata and files (with their SHA-256), its status timeline — a sent one
// per recipient, with its delivery — and the forms its officers may use now: accept, refuse with a reason,
// assign (department, officer, deadline), report processing and done, answer a recall or update; recall a sent one.
import type { FieldProblem } from "../../platform/http/errors.ts";
import { Problems } from "../../web/fields.tsx";
import { formatDateTime } from "../../web/format.ts";
import { tr } from "../../web/i18n.ts";
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import { ScrollTable } from "../../web/table.tsx";
import { COMPOSE_PATH, INBOX_PATH, OUTBOX_PATH } from "./box-views.tsx";
import type { DocumentDto, StatusDto } from "./schema.ts";
import { changeName, deliveryName, stateName, statusName } from "./words.ts";

export interface DocumentProps {
  page: PageRequest;
  csrf: string;
  d: DocumentDto;
  /** What the officer may do now (the policy's answer): officer codes, and `recall` for a sent document. */
  allowed: string[];
  departments: Array<{ code: string; name: string }>;
  assignees: Array<{ id: string; fullName: string }>;
  notice?: string | undefined;
  error?: string | undefined;
  problems?: FieldProblem[];
}

function Timeline({ page, statuses, id }: { page: PageRequest; statuses: StatusDto[]; id: string }) {
  if (!statuses.length) return <p>{tr(page, "Chưa có trạng thái nào.", "No status yet.")}</p>;
  return (
    <ol class="timeline" id={id}>
      {statuses.map((s, i) => (
        <li key={i}>
          <strong>{statusName(page, s.code)}</strong> — {formatDateTime(new Date(s.at), page.lang)}
          {s.staff ? ` · ${s.staff}` : ""}
          {s.description ? <p class="sub">{s.description}</p> : null}
        </li>
      ))}
    </ol>
  );
}

function Hidden({ csrf, code }: { csrf: string; code?: string }) {
  return (
    <>
      <input type="hidden" name="_csrf" value={csrf} />
      {code ? <input type="hidden" name="code" value={code} /> : null}
    </>
  );
}

function AnswerForms({ page, csrf, d, allowed, departments, assignees }: DocumentProps) {
  const action = `/office/van-ban/${d.id}/trang-thai`;
  const one = (code: string, vi: string, en: string) =>
    allowed.includes(code) ? (
      <form method="post" action={action} class="inline-form">
        <Hidden csrf={csrf} code={code} />
        <button type="submit">{tr(page, vi, en)}</button>
      </form>
    ) : null;
  return (
    <section aria-labelledby="actions-heading">
      <h2 id="actions-heading">{tr(page, "Xử lý văn bản", "Act on the document")}</h2>
      {one("03", "Tiếp nhận", "Accept")}
      {one("05", "Báo đang xử lý", "Report processing")}
      {allowed.includes("02") ? (
        <form method="post" action={action}>
          <Hidden csrf={csrf} code="02" />
          <div class="field">
            <label for="refuse-reason">{tr(page, "Lý do từ chối", "Reason for refusing")}</label>
            <textarea id="refuse-reason" name="description" required rows={2} />
          </div>
          <button type="submit">{tr(page, "Từ chối tiếp nhận", "Refuse")}</button>
        </form>
      ) : null}
      {allowed.includes("04") ? (
        <form method="post" action={action}>
          <Hidden csrf={csrf} code="04" />
          <fieldset>
            <legend>{tr(page, "Phân công xử lý", "Assign")}</legend>
            <div class="field">
              <label for="department">{tr(page, "Phòng ban", "Department")}</label>
              <select id="department" name="department" required>
                {departments.map((x) => (
                  <option key={x.code} value={x.code} selected={d.assignment?.department === x.code}>
                    {x.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="assigneeId">{tr(page, "Cán bộ xử lý", "Officer")}</label>
              <select id="assigneeId" name="assigneeId">
                <option value="">{tr(page, "(chưa giao cho cán bộ)", "(no officer yet)")}</option>
                {assignees.map((o) => (
                  <option key={o.id} value={o.id} selected={d.assignment?.assigneeId === o.id}>
                    {o.fullName}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="due">{tr(page, "Hạn xử lý", "Deadline")}</label>
              <input id="due" name="due" type="date" value={d.assignment?.due ?? ""} />
            </div>
            <button type="submit">{tr(page, "Phân công", "Assign")}</button>
          </fieldset>
        </form>
      ) : null}
      {allowed.includes("06") ? (
        <form method="post" action={action}>
          <Hidden csrf={csrf} code="06" />
          <div class="field">
            <label for="done-note">{tr(page, "Kết quả xử lý (không bắt buộc)", "Outcome (optional)")}</label>
            <textarea id="done-note" name="description" rows={2} />
          </div>
          <button type="submit">{tr(page, "Báo hoàn thành", "Report done")}</button>
        </form>
      ) : null}
      {d.change && allowed.includes("15") ? (
        <form method="post" action={action}>
          <Hidden csrf={csrf} />
          <p>
            <strong>{changeName(page, d.change.type)}</strong>
            {d.change.reason ? `: ${d.change.reason}` : ""}
          </p>
          <div class="field">
            <label for="change-note">{tr(page, "Ghi chú (không bắt buộc)", "Note (optional)")}</label>
            <textarea id="change-note" name="description" rows={2} />
          </div>
          <button type="submit" name="code" value="15">
            {tr(page, "Đồng ý (15)", "Agree (15)")}
          </button>{" "}
          <button type="submit" name="code" value="16">
            {tr(page, "Từ chối (16)", "Refuse (16)")}
          </button>
        </form>
      ) : null}
    </section>
  );
}

export function DocumentPage(props: DocumentProps) {
  const { page, csrf, d, allowed, notice, error, problems } = props;
  const back = d.box === "in" ? INBOX_PATH : OUTBOX_PATH;
  const title = `${d.codeNumber}/${d.codeNotation}`;
  const row = (label: string, value: string | null | undefined) =>
    value ? (
      <>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </>
    ) : null;
  return (
    <Layout page={page} variant="office" title={`${title} — ${d.subject}`} current={back}>
      <p>
        <a href={back}>{d.box === "in" ? tr(page, "← Sổ văn bản đến", "← Incoming documents") : tr(page, "← Sổ văn bản đi", "← Outgoing documents")}</a>
      </p>
      <h1>
        {d.documentType.typeName} {title}
      </h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <Problems page={page} message={error} fields={problems} />
      <dl class="facts">
        {row(tr(page, "Trích yếu", "Subject"), d.subject)}
        {row(tr(page, "Cơ quan gửi", "Sender"), d.sender.name)}
        {row(tr(page, "Nơi nhận", "Recipients"), d.recipients.map((r) => r.name).join("; "))}
        {row(tr(page, "Ngày ban hành", "Promulgated"), d.promulgationDate)}
        {row(tr(page, "Người ký", "Signed by"), d.signer)}
        {row(tr(page, "Hạn xử lý", "Due"), d.dueDate)}
        {row(d.box === "in" ? tr(page, "Số đến", "Incoming no.") : tr(page, "Số đi", "Outgoing no."), `${d.registerNumber}/${d.registerYear}`)}
        {row(tr(page, "Trạng thái", "State"), stateName(page, d.state))}
        {row(tr(page, "Mã văn bản (DocumentId)", "DocumentId"), d.documentId)}
        {row(tr(page, "Văn bản liên quan", "Refers to"), d.refersTo)}
        {d.assignment
          ? row(
              tr(page, "Phân công", "Assigned to"),
              [d.assignment.department, d.assignment.assigneeName, d.assignment.due ? tr(page, `hạn ${d.assignment.due}`, `due ${d.assignment.due}`) : null].filter(Boolean).join(" · "),
            )
          : null}
      </dl>
      {d.content ? <p>{d.content}</p> : null}
      <h2 id="files-heading">{tr(page, "Tệp đính kèm", "Files")}</h2>
      <ScrollTable labelledBy="files-heading">
        <table aria-labelledby="files-heading">
          <thead>
            <tr>
              <th scope="col">{tr(page, "Tệp", "File")}</th>
              <th scope="col">{tr(page, "Mã băm SHA-256", "SHA-256")}</th>
            </tr>
          </thead>
          <tbody>
            {d.files.map((f) => (
              <tr key={f.sha256}>
                <th scope="row">
                  <a href={`/office/van-ban/${d.id}/tep/${f.sha256}`}>{f.name}</a>
                </th>
                <td>
                  <code class="hash">{f.sha256}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      {d.signedEdxml ? (
        <p>
          <a href={`/office/van-ban/${d.id}/tep/${d.signedEdxml}`}>
            {tr(page, "Bản edXML đã ký số (bằng chứng văn bản đã gửi)", "The signed edXML (evidence of what was sent)")}
          </a>{" "}
          <code class="hash">{d.signedEdxml}</code>
        </p>
      ) : null}
      {d.box === "in" ? (
        <>
          <h2>{tr(page, "Dòng trạng thái", "Status timeline")}</h2>
          <Timeline page={page} statuses={d.statuses} id="timeline" />
          <AnswerForms {...props} />
        </>
      ) : (
        <>
          <h2>{tr(page, "Trạng thái theo nơi nhận", "Status per recipient")}</h2>
          {d.timelines.map((t) => (
            <section key={t.code} aria-labelledby={`r-${t.code}`}>
              <h3 id={`r-${t.code}`}>
                {t.name} <span class="sub">({t.code})</span>
              </h3>
              <p>
                <span class={t.delivery === "undelivered" ? "badge badge--late" : "badge"}>{deliveryName(page, t.delivery)}</span>
                {t.delivery !== "delivered" && t.attempts ? ` ${tr(page, `${t.attempts} lần thử`, `${t.attempts} attempts`)}` : ""}
              </p>
              <Timeline page={page} statuses={t.statuses} id={`timeline-${t.code}`} />
            </section>
          ))}
          {allowed.includes("recall") ? (
            <form method="post" action={`/office/van-ban/${d.id}/cap-nhat`}>
              <Hidden csrf={csrf} />
              <fieldset>
                <legend>{tr(page, "Cập nhật văn bản", "Update the document")}</legend>
                <div class="field">
                  <label for="update-subject">{tr(page, "Trích yếu", "Subject")}</label>
                  <textarea id="update-subject" name="subject" required rows={2}>
                    {d.subject}
                  </textarea>
                </div>
                <div class="field">
                  <label for="update-reason">{tr(page, "Lý do cập nhật", "Reason")}</label>
                  <textarea id="update-reason" name="reason" required rows={2} />
                </div>
                <button type="submit">{tr(page, "Gửi bản cập nhật", "Send the update")}</button>
              </fieldset>
            </form>
          ) : null}
          {allowed.includes("recall") ? (
            <p>
              <a class="button" href={`${COMPOSE_PATH}?thay-the=${d.id}`}>
                {tr(page, "Thay thế bằng văn bản mới", "Replace by a new document")}
              </a>
            </p>
          ) : null}
          {allowed.includes("recall") ? (
            <form method="post" action={`/office/van-ban/${d.id}/thu-hoi`}>
              <Hidden csrf={csrf} />
              <fieldset>
                <legend>{tr(page, "Thu hồi văn bản", "Recall the document")}</legend>
                <div class="field">
                  <label for="reason">{tr(page, "Lý do thu hồi", "Reason")}</label>
                  <textarea id="reason" name="reason" required rows={2} />
                </div>
                <button type="submit">{tr(page, "Thu hồi", "Recall")}</button>
              </fieldset>
            </form>
          ) : null}
        </>
      )}
    </Layout>
  );
}
