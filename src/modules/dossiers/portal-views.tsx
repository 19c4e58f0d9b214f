// The portal's dossier pages as views: starting to file, the applicant's dossiers, one dossier (its
// draft form, a supplement's answer, the result, withdrawal, rating) and the public lookup by code.
import type { FieldProblem } from "../../platform/http/errors.ts";
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { formatDate } from "../../web/format.ts";
import { fieldNames, fileHref, History, Notice, OfferedForms, Papers, Pauses, ProblemSummary, SchemaFields, when } from "./form-view.tsx";
import { uploadedPapers } from "./papers.ts";
import { RegistryConsent } from "./registry-consent.tsx";
import type { DossierDto, DossierPage } from "./schema.ts";
import { actionName, dossierTimelinessName, RATING_LEVELS, ratingName, statusName } from "./words.ts";
import { tr } from "../../web/i18n.ts";
import { Pager } from "../../web/pager.tsx";

export const MY_DOSSIERS_PATH = "/ho-so-cua-toi";
export const LOOKUP_PATH = "/tra-cuu";
export const filePath = (code: string) => `/nop-ho-so/${encodeURIComponent(code)}`;
export const myDossierPath = (id: string) => `${MY_DOSSIERS_PATH}/${id}`;
export const lookupHref = (code: string, key: string) => `${LOOKUP_PATH}?ma=${encodeURIComponent(code)}&khoa=${encodeURIComponent(key)}`;

export function FilingStartPage(props: {
  page: PageRequest;
  csrf: string;
  procedure: Pick<ProcedureContent, "code" | "name" | "assuranceLevel">;
  agencies: Array<{ code: string; name: string }>;
  /**
   * Where else the result may be collected (Decree 118/2025, DOMAIN.md §3): the one-stop desks of the procedure's
   * province. The default, the procedure's own desk, comes first. Empty: it has no return at a desk.
   */
  returnDesks: Array<{ code: string; name: string }>;
  requestId: string;
  /** The account's assurance level is below the procedure's: why it cannot file. */
  refusal?: string | undefined;
  error?: string | undefined;
}) {
  const { page, procedure: p } = props;
  const title = tr(page, `Nộp hồ sơ trực tuyến: ${p.name}`, `File online: ${p.name}`);
  return (
    <Layout page={page} variant="portal" title={title}>
      <p>
        <a href={`/thu-tuc/${encodeURIComponent(p.code)}`}>{tr(page, "← Thông tin thủ tục", "← About the procedure")}</a>
      </p>
      <h1>{title}</h1>
      <ol class="steps-list">
        <li aria-current="step">{tr(page, "Chọn cơ quan tiếp nhận", "Choose the receiving agency")}</li>
        <li>{tr(page, "Điền tờ khai và đính kèm giấy tờ", "Fill in the form and attach the papers")}</li>
        <li>{tr(page, "Nộp hồ sơ", "File")}</li>
      </ol>
      {props.refusal ? (
        <p class="error" role="alert" id="assurance-refusal">
          {props.refusal}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.refusal ? null : (
        <form method="post" action={filePath(p.code)} class="stack">
          <input type="hidden" name="_csrf" value={props.csrf} />
          {/* One id per form shown: a double click or a resend makes one dossier. */}
          <input type="hidden" name="requestId" value={props.requestId} />
          <fieldset class="field">
            <legend>{tr(page, "Cơ quan tiếp nhận hồ sơ", "Receiving agency")}</legend>
            {props.agencies.map((a, i) => (
              <label key={a.code} class="choice">
                <input type="radio" name="agency" value={a.code} checked={i === 0} /> {a.name}
              </label>
            ))}
          </fieldset>
          {props.returnDesks.length > 0 ? (
            <div class="field">
              <label for="return-desk">{tr(page, "Nơi nhận kết quả", "Collect the result at")}</label>
              <p class="sub" id="return-desk-hint">
                {tr(page, "Có thể nhận kết quả tại bất kỳ Trung tâm Phục vụ hành chính công nào trong tỉnh.", "The result can be collected at any Public Administration Service Centre of the province.")}
              </p>
              <select id="return-desk" name="returnAgency" aria-describedby="return-desk-hint">
                <option value="" selected>
                  {tr(page, "Tại bộ phận một cửa tiếp nhận hồ sơ (mặc định)", "At the desk that receives the dossier (default)")}
                </option>
                {props.returnDesks.map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <p>
            <button type="submit">{tr(page, "Bắt đầu khai hồ sơ", "Start the dossier")}</button>
          </p>
        </form>
      )}
    </Layout>
  );
}

export { Pager };

export function MyDossiersPage({ page, result, notice }: { page: PageRequest; result: DossierPage; notice?: string | undefined }) {
  const title = tr(page, "Hồ sơ của tôi", "My dossiers");
  return (
    <Layout page={page} variant="portal" title={title} current={MY_DOSSIERS_PATH}>
      <h1>{title}</h1>
      <Notice text={notice} />
      {result.items.length === 0 ? (
        <p>
          {tr(page, "Bạn chưa có hồ sơ nào. ", "You have no dossier yet. ")}
          <a href="/thu-tuc">{tr(page, "Tìm thủ tục để nộp hồ sơ", "Find a procedure to file")}</a>
        </p>
      ) : (
        <table>
          <caption>{tr(page, "Hồ sơ bạn đã khai và đã nộp, mới nhất trước", "Dossiers you drafted and filed, newest first")}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(page, "Thủ tục", "Procedure")}</th>
              <th scope="col">{tr(page, "Mã hồ sơ", "Code")}</th>
              <th scope="col">{tr(page, "Ngày tạo", "Created")}</th>
              <th scope="col">{tr(page, "Trạng thái", "Status")}</th>
              <th scope="col">{tr(page, "Ngày tiếp nhận", "Received")}</th>
              <th scope="col">{tr(page, "Hạn trả kết quả", "Due")}</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  <a href={myDossierPath(d.id)}>{d.procedureName}</a>
                  {/* What it is about (the child, the spouses, the address): two dossiers of one procedure differ. */}
                  {d.subject ? <span class="sub subject">{d.subject}</span> : null}
                </th>
                {/* A draft has no code yet: when it was begun tells two drafts of one procedure apart. */}
                <td class="nowrap">{d.code ?? tr(page, "Chưa có (bản nháp)", "None yet (draft)")}</td>
                <td>{when(page, d.createdAt)}</td>
                <td>{statusName(page, d.status)}</td>
                <td>{when(page, d.receivedAt)}</td>
                <td>{when(page, d.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={page} result={result} link={(n) => ({ href: `${MY_DOSSIERS_PATH}?trang=${n}` })} />
    </Layout>
  );
}

export interface ApplicantDossierProps {
  page: PageRequest;
  csrf: string;
  d: DossierDto;
  content: ProcedureContent;
  agencyName: string;
  /** The desk the result is handed over at (Nơi nhận kết quả). */
  returnName?: string | null | undefined;
  values: Record<string, string>;
  problems: FieldProblem[];
  error?: string | undefined;
  notice?: string | undefined;
}

/** Code, key, status and dates, as on the receipt (Mẫu 01). */
export function Facts({ page, d, agencyName, returnName }: { page: PageRequest; d: DossierDto; agencyName: string; returnName?: string | null | undefined }) {
  return (
    <dl class="facts">
      <dt>{tr(page, "Trạng thái", "Status")}</dt>
      <dd id="status">
        <strong>{statusName(page, d.status)}</strong>
        {d.step && d.status === "processing" ? ` — ${d.step.name}` : ""}
      </dd>
      <dt>{tr(page, "Mã hồ sơ", "Dossier code")}</dt>
      <dd id="code">{d.code ?? tr(page, "Được cấp khi nộp hồ sơ", "Given when the dossier is filed")}</dd>
      {d.lookupKey ? (
        <>
          <dt>{tr(page, "Mã tra cứu", "Lookup key")}</dt>
          <dd id="lookup-key">
            <code>{d.lookupKey}</code>
          </dd>
        </>
      ) : null}
      <dt>{tr(page, "Cơ quan tiếp nhận", "Receiving agency")}</dt>
      <dd id="receiving-agency">{agencyName}</dd>
      {returnName ? (
        <>
          <dt>{tr(page, "Nơi nhận kết quả", "Result collected at")}</dt>
          <dd id="return-desk">{returnName}</dd>
        </>
      ) : null}
      <dt>{tr(page, "Ngày nộp", "Filed")}</dt>
      <dd>{when(page, d.submittedAt)}</dd>
      <dt>{tr(page, "Ngày tiếp nhận", "Received")}</dt>
      <dd>{when(page, d.receivedAt)}</dd>
      <dt>{tr(page, "Hạn trả kết quả", "Due")}</dt>
      <dd id="due">{when(page, d.dueAt)}</dd>
      {d.promisedAt ? (
        <>
          <dt>{tr(page, "Ngày hẹn trả mới", "New return date")}</dt>
          <dd id="promised">{when(page, d.promisedAt)}</dd>
        </>
      ) : null}
      {d.finishedAt ? (
        <>
          <dt>{tr(page, "Ngày có kết quả", "Result issued")}</dt>
          <dd>{when(page, d.finishedAt)}</dd>
        </>
      ) : null}
      {d.timeliness ? (
        <>
          <dt>{tr(page, "So với hạn", "Against the due date")}</dt>
          <dd id="timeliness">{dossierTimelinessName(page, d.timeliness, d.apologies > 0)}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function ApplicantDossierPage(props: ApplicantDossierProps) {
  const { page, d, content } = props;
  const base = myDossierPath(d.id);
  const results = d.attachments.filter((f) => f.kind === "result");
  const answering = d.status === "incomplete" || d.status === "supplementing";
  const openPause = d.pauses.find((p) => !p.to);
  const asked = openPause?.items.flatMap((i) => (i.component ? [i.component] : [])) ?? [];
  return (
    <Layout page={page} variant="portal" title={d.procedureName} current={MY_DOSSIERS_PATH}>
      <p>
        <a href={MY_DOSSIERS_PATH}>{tr(page, "← Hồ sơ của tôi", "← My dossiers")}</a>
      </p>
      <h1>{d.procedureName}</h1>
      <Notice text={props.notice} />
      <ProblemSummary page={page} problems={props.problems} heading={props.error} />
      <Facts page={page} d={d} agencyName={props.agencyName} returnName={props.returnName} />

      {d.status === "draft" ? <RegistryConsent page={page} csrf={props.csrf} dossierId={d.id} content={content} used={d.registriesUsed} /> : null}
      {d.status === "draft" ? (
        // One form for the e-form and the papers (multipart): an upload saves what was typed with the draft, and
        // every step saves the draft, so nothing typed is lost (issue 15, item 2).
        <form method="post" action={`${base}/tep`} enctype="multipart/form-data" id="dossier-form" class="stack">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="form" value="1" />
          <h2 id="form-heading">{tr(page, "Tờ khai", "Form")}</h2>
          <SchemaFields page={page} form={content.form} values={props.values} problems={props.problems} marks={d.registryFields} />
          <p>
            {/* First in the form: the button Enter presses. */}
            <button type="submit" name="intent" value="save" class="secondary">
              {tr(page, "Lưu bản nháp", "Save the draft")}
            </button>
          </p>
          <h2 id="papers">{tr(page, "Giấy tờ đính kèm", "Papers")}</h2>
          <p class="sub">{tr(page, "Tệp được tải lên cùng với tờ khai: những gì bạn đã nhập được lưu vào bản nháp.", "Files are uploaded with the form: what you typed is saved in the draft.")}</p>
          <Papers page={page} dossierId={d.id} channel={d.channel} registriesUsed={d.registriesUsed} components={content.components} attachments={d.attachments} problems={props.problems} upload={{ inForm: true }} />
          <p>
            {/* A button, not a link: what was typed is saved before leaving for the data store. */}
            <button type="submit" name="intent" value="store" class="secondary">
              {tr(page, "Dùng giấy tờ đã có trong Kho dữ liệu của tôi", "Use a document from my data store")}
            </button>
          </p>
          <h2 id="file-it">{tr(page, "Nộp hồ sơ", "File the dossier")}</h2>
          <p>{tr(page, "Bạn sẽ xem lại toàn bộ thông tin trước khi nộp.", "You check everything before filing.")}</p>
          <p>
            <button type="submit" name="intent" value="check">
              {tr(page, "Tiếp tục", "Continue")}
            </button>
          </p>
        </form>
      ) : null}

      {answering ? (
        <section aria-labelledby="supplement-heading">
          <h2 id="supplement-heading">{tr(page, "Cơ quan yêu cầu bổ sung hồ sơ", "The agency asks for a supplement")}</h2>
          <Pauses page={page} d={{ pauses: openPause ? [openPause] : [] }} components={content.components} />
          {!openPause ? <p>{d.history.at(-1)?.note ?? ""}</p> : null}
          {/* One form for the papers asked for and the e-form: a file travels with what was typed (issue 15, item 2). */}
          <form method="post" action={`${base}/bo-sung`} enctype="multipart/form-data" class="stack">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <input type="hidden" name="form" value="1" />
            <fieldset>
              <legend>{tr(page, "Tờ khai (sửa nếu được yêu cầu)", "Form (correct it if asked)")}</legend>
              <SchemaFields page={page} form={content.form} values={props.values} problems={props.problems} />
            </fieldset>
            <p>
              {/* First in the form: the button Enter presses. */}
              <button type="submit" name="intent" value="send">
                {tr(page, "Gửi bổ sung", "Send the supplement")}
              </button>
            </p>
            <h3>{tr(page, "Giấy tờ bổ sung", "Papers to add")}</h3>
            <p class="sub">{tr(page, "Tệp chọn ở đây được gửi cùng với tờ khai khi bấm “Gửi bổ sung”, hoặc tải lên trước bằng nút “Tải lên”.", "Files chosen here are sent with the form when you press “Send the supplement”, or uploaded first with “Upload”.")}</p>
            <Papers page={page} dossierId={d.id} channel={d.channel} components={content.components} attachments={d.attachments} problems={props.problems} upload={{ inForm: true }} only={asked.length ? asked : undefined} />
          </form>
        </section>
      ) : null}

      {results.length ? (
        <section aria-labelledby="result-heading">
          <h2 id="result-heading">{tr(page, "Kết quả giải quyết", "Result")}</h2>
          <ul>
            {results.map((f) => (
              <li key={f.id}>
                <a href={fileHref(d.id, f)} download>
                  {tr(page, "Tải kết quả", "Download the result")}: {f.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {d.status !== "draft" && !answering ? (
        <>
          <h2 id="papers">{tr(page, "Giấy tờ đã nộp", "Papers filed")}</h2>
          <Papers page={page} dossierId={d.id} channel={d.channel} components={content.components} attachments={d.attachments} problems={[]} />
        </>
      ) : null}

      {d.code ? (
        <section aria-labelledby="forms-heading">
          <h2 id="forms-heading">{tr(page, "Biểu mẫu", "Forms")}</h2>
          <OfferedForms page={page} d={d} officer={false} />
        </section>
      ) : null}

      {d.status === "returned" ? <Rating page={page} d={d} csrf={props.csrf} problems={props.problems} /> : null}

      <h2 id="history">{tr(page, "Quá trình xử lý", "History")}</h2>
      <History page={page} d={d} />

      {d.allowedActions.includes("withdraw") ? (
        <section aria-labelledby="withdraw-heading">
          <h2 id="withdraw-heading">{actionName(page, "withdraw")}</h2>
          <form method="post" action={`${base}/rut`} class="stack">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <div class="field">
              <label class="choice">
                <input type="checkbox" name="xac-nhan" value="1" id="withdraw-confirm" />{" "}
                {tr(page, "Tôi xác nhận rút hồ sơ này; hồ sơ đã rút không xử lý tiếp được.", "I confirm withdrawing this dossier; a withdrawn dossier cannot be processed further.")}
              </label>
            </div>
            <p>
              <button type="submit" class="danger">
                {actionName(page, "withdraw")}
              </button>
            </p>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

function Rating({ page, d, csrf, problems }: { page: PageRequest; d: DossierDto; csrf: string; problems: FieldProblem[] }) {
  if (d.rating) {
    return (
      <section aria-labelledby="rating-heading">
        <h2 id="rating-heading">{tr(page, "Đánh giá của bạn", "Your rating")}</h2>
        <p id="rating">
          {ratingName(page, d.rating.level)}
          {d.rating.comment ? `: ${d.rating.comment}` : ""}
        </p>
      </section>
    );
  }
  const invalid = problems.some((p) => p.path === "/level");
  return (
    <section aria-labelledby="rating-heading">
      <h2 id="rating-heading">{tr(page, "Đánh giá mức độ hài lòng", "Rate the service")}</h2>
      <form method="post" action={`${myDossierPath(d.id)}/danh-gia`} class="stack">
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset class="field" aria-describedby={invalid ? "level-error" : undefined}>
          <legend>{tr(page, "Bạn có hài lòng với việc giải quyết hồ sơ?", "Are you satisfied with how the dossier was handled?")}</legend>
          {invalid ? (
            <p class="field-error" id="level-error">
              {tr(page, "Hãy chọn một mức đánh giá.", "Choose a level.")}
            </p>
          ) : null}
          {RATING_LEVELS.map((l) => (
            <label key={l} class="choice">
              <input type="radio" name="level" value={l} /> {ratingName(page, l)}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="rating-comment">{tr(page, "Ý kiến (không bắt buộc)", "Comment (optional)")}</label>
          <textarea id="rating-comment" name="comment" rows={3} maxLength={2000} />
        </div>
        <p>
          <button type="submit">{tr(page, "Gửi đánh giá", "Send the rating")}</button>
        </p>
      </form>
    </section>
  );
}

export const checkAnswersPath = (id: string) => `${myDossierPath(id)}/kiem-tra`;

/** A form value as the summary shows it: a date as a date, a ticked box as yes. */
function answerText(page: PageRequest, value: unknown): string {
  if (value === true) return tr(page, "Có", "Yes");
  if (value === false) return tr(page, "Không", "No");
  const text = String(value);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? formatDate(text, page.lang) : text;
}

/**
 * Kiểm tra lại thông tin: every field and paper of the draft as it will be filed, each with a "Sửa" link back to
 * it, and the one button that files it (GOV.UK's "check your answers" pattern; issue 15, item 2).
 */
export function CheckAnswersPage(props: { page: PageRequest; csrf: string; d: DossierDto; content: ProcedureContent; agencyName: string; returnName?: string | null | undefined }) {
  const { page, d, content } = props;
  const base = myDossierPath(d.id);
  const title = tr(page, "Kiểm tra lại thông tin trước khi nộp", "Check your answers before filing");
  const change = (anchor: string, what: string) => (
    <a href={`${base}#${anchor}`}>
      {tr(page, "Sửa", "Change")}
      <span class="visually-hidden"> {what}</span>
    </a>
  );
  const papers = uploadedPapers(content, d.channel, d.registriesUsed);
  return (
    <Layout page={page} variant="portal" title={title} current={MY_DOSSIERS_PATH}>
      <p>
        <a href={base}>{tr(page, "← Quay lại tờ khai", "← Back to the form")}</a>
      </p>
      <h1>{title}</h1>
      <p>{d.procedureName}</p>
      <h2 id="where-heading">{tr(page, "Nơi nộp", "Where it is filed")}</h2>
      <dl class="facts" aria-labelledby="where-heading">
        <dt>{tr(page, "Cơ quan tiếp nhận", "Receiving agency")}</dt>
        <dd id="receiving-agency">{props.agencyName}</dd>
        {props.returnName ? (
          <>
            <dt>{tr(page, "Nơi nhận kết quả", "Result collected at")}</dt>
            <dd id="return-desk">{props.returnName}</dd>
          </>
        ) : null}
      </dl>
      <h2 id="answers-heading">{tr(page, "Tờ khai", "Form")}</h2>
      <dl class="summary" id="answers">
        {fieldNames(content.form).map((name) => {
          const label = content.form.ui.fields[name]?.label ?? name;
          const value = d.formData[name];
          return (
            <div class="summary-row" key={name}>
              <dt>{label}</dt>
              <dd id={`answer-${name}`}>{value === undefined || value === null || value === "" ? tr(page, "Chưa nhập", "Not given") : answerText(page, value)}</dd>
              <dd>{change(`f-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`, label)}</dd>
            </div>
          );
        })}
      </dl>
      <h2 id="papers-heading">{tr(page, "Giấy tờ đính kèm", "Papers")}</h2>
      <dl class="summary" id="papers-summary">
        {papers.map((c) => {
          const files = d.attachments.filter((f) => f.kind === "component" && f.component === c.key);
          return (
            <div class="summary-row" key={c.key}>
              <dt>{c.name}</dt>
              <dd id={`answer-paper-${c.key}`}>{files.length ? files.map((f) => f.name).join(", ") : tr(page, "Chưa đính kèm", "Nothing attached")}</dd>
              <dd>{change(`paper-${c.key}`, c.name)}</dd>
            </div>
          );
        })}
      </dl>
      <h2 id="file-heading">{tr(page, "Nộp hồ sơ", "File the dossier")}</h2>
      <p>{tr(page, "Khi nộp, bạn xác nhận các thông tin trên là đúng sự thật.", "By filing you confirm the information above is true.")}</p>
      <form method="post" action={base} class="stack">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <p>
          <button type="submit" name="intent" value="submit">
            {tr(page, "Nộp hồ sơ", "File the dossier")}
          </button>
        </p>
      </form>
    </Layout>
  );
}
