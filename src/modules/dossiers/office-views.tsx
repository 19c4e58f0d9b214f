// The office's dossier pages as views: the work queues as tabs, a dossier with everything an officer
// needs to act on it, and counter intake (choose a procedure, enter the applicant and the form).
import { Fragment } from "preact";
import type { FieldProblem } from "../../platform/http/errors.ts";
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import type { FormDefinition, ProcedureContent, ProcedureListItem } from "../catalog/index.ts";
import { ActionForms, type AssigneeChoice } from "./action-forms.tsx";
import { RegistryVerify } from "./registry-consent.tsx";
import { controlSheetNumber, fieldNames, History, Notice, OfferedForms, Papers, Pauses, ProblemSummary, SchemaFields, Steps, when } from "./form-view.tsx";
import { type Queue, QUEUES } from "./model.ts";
import { Facts, Pager } from "./portal-views.tsx";
import type { DossierDto, DossierPage, DossierSummaryDto } from "./schema.ts";
import type { UnitNames } from "./service.forms.ts";
import type { StepPlan } from "../workflow/index.ts";
import { arrangeActions } from "./next-action.ts";
import { actionName, queueName, statusName } from "./words.ts";
import { formatDate } from "../../web/format.ts";
import { tr } from "../../web/i18n.ts";

export const QUEUE_PATH = "/office/ho-so";
export const INTAKE_PATH = "/office/tiep-nhan/moi";
export const officeDossierPath = (id: string) => `${QUEUE_PATH}/${id}`;
export const queueHref = (q: Queue, page = 1) => `${QUEUE_PATH}?hang-doi=${q}${page > 1 ? `&trang=${page}` : ""}`;

/**
 * Whether a dossier of a queue was received at another desk and handed over to the agency working on it (an
 * inter-agency hand-over, liên thông: DOMAIN.md §3): "Được chuyển đến từ {desk}".
 */
export const transferredHere = (d: Pick<DossierSummaryDto, "agencyCode" | "processingAgencyCode" | "status">) =>
  d.agencyCode !== d.processingAgencyCode && (d.status === "processing" || d.status === "supplementing");

/** The work queues; `origins` names the desks the dossiers handed over to this agency came from. */
export function QueuePage({ page, queue, result, origins }: { page: PageRequest; queue: Queue; result: DossierPage; origins?: Map<string, string> }) {
  const title = tr(page, "Hồ sơ cần xử lý", "Work queue");
  return (
    <Layout page={page} variant="office" title={`${title}: ${queueName(page, queue)}`} current={QUEUE_PATH}>
      <h1>{title}</h1>
      <nav aria-label={tr(page, "Hàng đợi hồ sơ", "Queues")}>
        <ul class="tabs">
          {QUEUES.map((q) => (
            <li key={q}>
              <a href={queueHref(q)} aria-current={q === queue ? "page" : undefined}>
                {queueName(page, q)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2 id="queue-heading">{queueName(page, queue)}</h2>
      {result.items.length === 0 ? (
        <p id="queue-empty">{tr(page, "Không có hồ sơ nào trong hàng đợi này.", "No dossier in this queue.")}</p>
      ) : (
        <table aria-labelledby="queue-heading">
          <thead>
            <tr>
              <th scope="col">{tr(page, "Mã hồ sơ", "Code")}</th>
              <th scope="col">{tr(page, "Thủ tục", "Procedure")}</th>
              <th scope="col">{tr(page, "Người nộp", "Applicant")}</th>
              <th scope="col">{tr(page, "Trạng thái", "Status")}</th>
              <th scope="col">{tr(page, "Hạn trả kết quả", "Due")}</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((d) => (
              <tr key={d.id}>
                <th scope="row" class="nowrap">
                  <a href={officeDossierPath(d.id)}>{d.code ?? tr(page, "Hồ sơ mới nộp", "Newly filed")}</a>
                </th>
                <td>
                  {d.procedureName}
                  {transferredHere(d) ? (
                    <>
                      <br />
                      <span class="badge badge--transferred">
                        {tr(page, "Được chuyển đến từ", "Transferred from")} {origins?.get(d.agencyCode) ?? d.agencyCode}
                      </span>
                    </>
                  ) : null}
                </td>
                <td>{d.applicantName}</td>
                <td>{statusName(page, d.status)}</td>
                <td>
                  {when(page, d.dueAt)}
                  {d.overdue ? <span class="badge badge--late"> {tr(page, "Quá hạn", "Overdue")}</span> : d.dueSoon ? <span class="badge badge--soon"> {tr(page, "Sắp đến hạn", "Due soon")}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={page} result={result} link={(n) => ({ href: queueHref(queue, n) })} />
    </Layout>
  );
}

export interface OfficerDossierProps {
  page: PageRequest;
  csrf: string;
  d: DossierDto;
  content: ProcedureContent;
  agencyName: string;
  /** The desk the result is handed over at (Nơi nhận kết quả). */
  returnName?: string | null | undefined;
  departments: Array<{ code: string; name: string }>;
  /** Whom the current step may be assigned to, and who is signed in (see ActionForms). */
  assignees: AssigneeChoice[];
  me: string | null;
  /** A counter draft's form as typed, and the problems of a refused post. */
  values: Record<string, string>;
  problems: FieldProblem[];
  failed?: { action: string; problems: FieldProblem[] } | undefined;
  error?: string | undefined;
  notice?: string | undefined;
  /** The dossier's plan, where its actions send it (ActionForms). */
  plan: StepPlan[];
  /** The names of the agencies and departments of its plan and its hand-overs. */
  units: UnitNames;
}

/** A value of the e-form as an officer reads it: a date as Vietnamese write it (20/11/2026), never ISO. */
function FormValue({ page, form, name, value }: { page: PageRequest; form: FormDefinition; name: string; value: unknown }) {
  if (value === undefined || value === null || value === "") return <>—</>;
  const property = (form.schema.properties as Record<string, { format?: unknown }> | undefined)?.[name];
  const isDate = property?.format === "date" || form.ui.fields[name]?.widget === "date";
  if (isDate && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return <time dateTime={value}>{formatDate(value, page.lang)}</time>;
  if (typeof value === "boolean") return <>{value ? tr(page, "Có", "Yes") : tr(page, "Không", "No")}</>;
  return <>{String(value)}</>;
}

function FormData({ page, form, data }: { page: PageRequest; form: FormDefinition; data: Record<string, unknown> }) {
  const names = fieldNames(form);
  return (
    <dl class="facts" id="form-data">
      {names.map((n) => (
        <Fragment key={n}>
          <dt>{form.ui.fields[n]?.label ?? n}</dt>
          <dd>
            <FormValue page={page} form={form} name={n} value={data[n]} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** Một cửa liên thông across nodes: the step is worked on another node, or this dossier came from one. */
function InterAgencyNotice({ page, d }: { page: PageRequest; d: DossierDto }) {
  const ia = d.interAgency;
  if (!ia) return null;
  if (ia.awayAgencyCode) {
    return (
      <p class="notice" id="inter-agency">
        {tr(page, `Bước này do cơ quan ${ia.awayAgencyCode} giải quyết trên hệ thống khác (liên thông); hồ sơ chờ kết quả gửi về.`, `This step is handled by agency ${ia.awayAgencyCode} on another node (inter-agency); the dossier waits for its result.`)}
      </p>
    );
  }
  if (!ia.from) return null;
  return (
    <p class="notice" id="inter-agency">
      {tr(page, `Hồ sơ liên thông ${ia.from.dossierCode} do ${ia.from.agencyName} chuyển đến: kết quả giải quyết được gửi về nơi chuyển.`, `Inter-agency dossier ${ia.from.dossierCode} sent by ${ia.from.agencyName}: the result goes back to it.`)}
    </p>
  );
}

export function OfficerDossierPage(props: OfficerDossierProps) {
  const { page, d, content } = props;
  const a = d.applicant;
  const base = officeDossierPath(d.id);
  const draft = d.status === "draft";
  // The step's own action, pointed to from the top of a long page (its form, below the papers, says where it goes).
  const next = arrangeActions(d.allowedActions).primary;
  return (
    <Layout page={page} variant="office" title={`${d.code ?? tr(page, "Hồ sơ", "Dossier")} — ${d.procedureName}`} current={QUEUE_PATH}>
      <p>
        <a href={QUEUE_PATH}>{tr(page, "← Hồ sơ cần xử lý", "← Work queue")}</a>
      </p>
      <h1>
        {d.procedureName}
        {d.code ? <span class="sub"> — {d.code}</span> : null}
      </h1>
      <Notice text={props.notice} />
      {props.error ? (
        <p class="error" role="alert" id="action-error">
          {props.error}
        </p>
      ) : null}
      <ProblemSummary page={page} problems={props.failed ? [] : props.problems} heading={props.failed || props.error || !props.problems.length ? undefined : tr(page, "Hồ sơ chưa tiếp nhận được: hãy sửa các mục sau.", "The dossier could not be received: correct the following.")} />
      <Facts page={page} d={d} agencyName={props.agencyName} returnName={props.returnName} />
      <InterAgencyNotice page={page} d={d} />
      {next && !draft ? (
        <p class="notice" id="next-step">
          {tr(page, "Việc cần làm ở bước này:", "What this step is for:")} <a href={`#act-${next}`}>{actionName(page, next)}</a>
        </p>
      ) : null}

      <h2 id="applicant">{tr(page, "Người nộp hồ sơ", "Applicant")}</h2>
      <dl class="facts">
        <dt>{a.type === "business" ? tr(page, "Tên tổ chức", "Organisation") : tr(page, "Họ và tên", "Name")}</dt>
        <dd id="applicant-name">{a.name}</dd>
        <dt>{a.type === "business" ? tr(page, "Mã số thuế", "Tax code") : tr(page, "Số định danh cá nhân", "Personal ID")}</dt>
        <dd>{a.idNumber}</dd>
        <dt>{tr(page, "Điện thoại", "Phone")}</dt>
        <dd>{a.phone ?? "—"}</dd>
        <dt>{tr(page, "Thư điện tử", "Email")}</dt>
        <dd>{a.email ?? "—"}</dd>
        <dt>{tr(page, "Địa chỉ", "Address")}</dt>
        <dd>{a.address ?? "—"}</dd>
      </dl>

      <h2 id="form-heading">{tr(page, "Tờ khai", "Form")}</h2>
      {draft ? (
        <form method="post" action={base} id="dossier-form" class="stack" aria-labelledby="form-heading">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <SchemaFields page={page} form={content.form} values={props.values} problems={props.problems} />
          <p>
            <button type="submit" name="intent" value="save" class="secondary">
              {tr(page, "Lưu bản nháp", "Save the draft")}
            </button>
          </p>
        </form>
      ) : (
        <FormData page={page} form={content.form} data={d.formData} />
      )}

      <RegistryVerify page={page} csrf={props.csrf} dossierId={d.id} content={content} used={d.registriesUsed} />

      <h2 id="papers">{tr(page, "Thành phần hồ sơ", "Papers")}</h2>
      <Papers page={page} dossierId={d.id} channel={d.channel} components={content.components} attachments={d.attachments} problems={props.problems} upload={draft ? { action: `${base}/tep`, csrf: props.csrf, digitise: true } : undefined} />
      {draft ? (
        <p>
          <button type="submit" form="dossier-form" name="intent" value="receive">
            {tr(page, "Nộp và tiếp nhận hồ sơ", "File and receive the dossier")}
          </button>
        </p>
      ) : null}

      {d.attachments.some((f) => f.kind === "result") ? (
        <>
          <h2 id="result">{tr(page, "Kết quả", "Result")}</h2>
          <ul>
            {d.attachments
              .filter((f) => f.kind === "result")
              .map((f) => (
                <li key={f.id}>
                  <a href={`/api/dossiers/${d.id}/attachments/${f.id}`}>{f.name}</a>
                </li>
              ))}
          </ul>
        </>
      ) : null}

      {d.pauses.length ? (
        <>
          <h2 id="pauses">{tr(page, "Yêu cầu bổ sung", "Supplement requests")}</h2>
          <Pauses page={page} d={d} components={content.components} />
        </>
      ) : null}

      {draft ? null : (
        <>
          <h2 id="actions">{tr(page, "Thao tác", "Actions")}</h2>
          <ActionForms
            page={page}
            csrf={props.csrf}
            d={d}
            components={content.components}
            departments={props.departments}
            assignees={props.assignees}
            me={props.me}
            failed={props.failed}
            plan={props.plan}
            units={props.units}
          />
        </>
      )}

      {d.receivedAt ? (
        <>
          <h2 id="forms">{tr(page, "Biểu mẫu", "Forms")}</h2>
          <OfferedForms page={page} d={d} officer />
        </>
      ) : null}

      <h2 id="steps">{tr(page, `Quá trình luân chuyển (Mẫu ${controlSheetNumber(d)})`, `Hand-overs (Form ${controlSheetNumber(d)})`)}</h2>
      <Steps page={page} d={d} units={props.units} />
      <h2 id="history">{tr(page, "Lịch sử hồ sơ", "History")}</h2>
      <History page={page} d={d} />
    </Layout>
  );
}

export interface IntakeValues {
  procedure: string;
  agency: string;
  requestId: string;
  applicant: { type: string; name: string; idNumber: string; phone: string; email: string; address: string };
  form: Record<string, string>;
}

const APPLICANT_FIELDS = [
  ["name", "Họ và tên (hoặc tên tổ chức)", "Name (or organisation)", "text", "name"],
  ["idNumber", "Số CCCD hoặc mã số thuế", "Personal ID or tax code", "text", "off"],
  ["phone", "Điện thoại", "Phone", "tel", "tel"],
  ["email", "Thư điện tử", "Email", "email", "email"],
  ["address", "Địa chỉ", "Address", "text", "street-address"],
] as const;

export function IntakePage(props: {
  page: PageRequest;
  csrf: string;
  q: string;
  results?: ProcedureListItem[] | undefined;
  procedure?: ProcedureContent | undefined;
  agencies: Array<{ code: string; name: string }>;
  values: IntakeValues;
  problems: FieldProblem[];
  error?: string | undefined;
}) {
  const { page, procedure: p, values: v } = props;
  const title = tr(page, "Tiếp nhận hồ sơ tại quầy", "Counter intake");
  const at = (name: string) => props.problems.filter((x) => x.path === `/applicant/${name}` || (name === "name" && x.path === "/applicant"));
  return (
    <Layout page={page} variant="office" title={title} current={INTAKE_PATH}>
      <h1>{title}</h1>
      <form method="get" action={INTAKE_PATH} class="inline-form" role="search">
        <div class="field">
          <label for="q">{tr(page, "Tìm thủ tục", "Find the procedure")}</label>
          <input id="q" name="q" type="search" value={props.q} maxLength={200} />
        </div>
        <button type="submit">{tr(page, "Tìm", "Find")}</button>
      </form>
      {props.results ? (
        props.results.length ? (
          <ul id="procedure-results">
            {props.results.map((r) => (
              <li key={r.code}>
                <a href={`${INTAKE_PATH}?thu-tuc=${encodeURIComponent(r.code)}`}>{r.name}</a> <span class="sub">({r.code})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{tr(page, "Không tìm thấy thủ tục phù hợp.", "No procedure matches.")}</p>
        )
      ) : null}
      {p ? (
        <>
          <h2 id="intake-heading">{p.name}</h2>
          <ProblemSummary page={page} problems={props.problems} heading={props.error ?? (props.problems.length ? tr(page, "Chưa tạo được hồ sơ: hãy sửa các mục sau.", "The dossier was not created: correct the following.") : undefined)} />
          <form method="post" action={INTAKE_PATH} class="stack" aria-labelledby="intake-heading">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <input type="hidden" name="thu-tuc" value={p.code} />
            <input type="hidden" name="requestId" value={v.requestId} />
            <div class="field">
              <label for="agency">{tr(page, "Cơ quan tiếp nhận", "Receiving agency")}</label>
              <select id="agency" name="agency">
                {props.agencies.map((a) => (
                  <option key={a.code} value={a.code} selected={a.code === v.agency}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
            <fieldset>
              <legend>{tr(page, "Người nộp hồ sơ", "Applicant")}</legend>
              <fieldset class="field">
                <legend>{tr(page, "Loại người nộp", "Kind of applicant")}</legend>
                <label class="choice">
                  <input type="radio" name="a.type" value="citizen" checked={v.applicant.type !== "business"} /> {tr(page, "Công dân", "Citizen")}
                </label>
                <label class="choice">
                  <input type="radio" name="a.type" value="business" checked={v.applicant.type === "business"} /> {tr(page, "Doanh nghiệp, tổ chức", "Business or organisation")}
                </label>
              </fieldset>
              {APPLICANT_FIELDS.map(([name, vi, en, type, auto]) => (
                <div class="field" key={name}>
                  <label for={`a-${name}`}>
                    {tr(page, vi, en)}
                    {name === "name" || name === "idNumber" ? <span class="required"> ({tr(page, "bắt buộc", "required")})</span> : null}
                  </label>
                  {at(name).length ? (
                    <p class="field-error" id={`a-${name}-error`}>
                      {at(name).map((x) => x.message).join(" ")}
                    </p>
                  ) : null}
                  <input
                    id={`a-${name}`}
                    name={`a.${name}`}
                    type={type}
                    value={v.applicant[name]}
                    autocomplete={auto}
                    aria-invalid={at(name).length ? "true" : undefined}
                    aria-describedby={at(name).length ? `a-${name}-error` : undefined}
                  />
                </div>
              ))}
            </fieldset>
            <fieldset>
              <legend>{tr(page, "Tờ khai", "Form")}</legend>
              <SchemaFields page={page} form={p.form} values={v.form} problems={props.problems} />
            </fieldset>
            <p class="sub">{tr(page, "Sau khi tạo hồ sơ, đính kèm bản quét giấy tờ rồi bấm “Nộp và tiếp nhận hồ sơ”.", "Once created, attach the scanned papers, then press “File and receive the dossier”.")}</p>
            <p>
              <button type="submit">{tr(page, "Tạo hồ sơ", "Create the dossier")}</button>
            </p>
          </form>
        </>
      ) : null}
    </Layout>
  );
}
