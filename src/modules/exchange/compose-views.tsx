// Composing an official document: its metadata, its files, and its recipients chosen from the agency directory
// (the province's agencies as boxes to tick, any other agency or a peer's by its code).
import type { FieldProblem } from "../../platform/http/errors.ts";
import { Problems, problemOf } from "../../web/fields.tsx";
import { tr } from "../../web/i18n.ts";
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import { COMPOSE_PATH, OUTBOX_PATH } from "./box-views.tsx";

export const DOCUMENT_TYPES: ReadonlyArray<readonly [number, string, string]> = [
  [5, "Công văn", "Official letter"],
  [2, "Quyết định", "Decision"],
  [6, "Thông báo", "Notice"],
  [8, "Kế hoạch", "Plan"],
  [9, "Báo cáo", "Report"],
  [11, "Tờ trình", "Submission"],
  [1, "Nghị quyết", "Resolution"],
];

export interface ComposeProps {
  page: PageRequest;
  csrf: string;
  agencies: Array<{ code: string; name: string }>;
  values: Record<string, string>;
  /** The sent document the new one replaces (BussinessDocType 3). */
  replaces?: { id: string; title: string } | undefined;
  error?: string | undefined;
  problems?: FieldProblem[];
}

export function ComposePage({ page, csrf, agencies, values, replaces, error, problems }: ComposeProps) {
  const title = replaces ? tr(page, `Thay thế văn bản ${replaces.title}`, `Replace document ${replaces.title}`) : tr(page, "Soạn văn bản đi", "Compose an outgoing document");
  const v = (k: string) => values[k] ?? "";
  const field = (id: string, label: string, opts: { required?: boolean; hint?: string; type?: string } = {}) => {
    const problem = problemOf(problems, id)?.message;
    return (
      <div class="field">
        <label for={id}>{label}</label>
        {opts.hint ? (
          <p class="sub" id={`${id}-hint`}>
            {opts.hint}
          </p>
        ) : null}
        {problem ? (
          <p class="field-problem" id={`${id}-problem`}>
            {problem}
          </p>
        ) : null}
        <input id={id} name={id} type={opts.type ?? "text"} value={v(id)} required={opts.required ?? false} aria-invalid={problem ? "true" : undefined} aria-describedby={opts.hint ? `${id}-hint` : undefined} />
      </div>
    );
  };
  return (
    <Layout page={page} variant="office" title={title} current={OUTBOX_PATH}>
      <p>
        <a href={OUTBOX_PATH}>{tr(page, "← Sổ văn bản đi", "← Outgoing documents")}</a>
      </p>
      <h1>{title}</h1>
      <Problems page={page} message={error} fields={problems} />
      <form method="post" action={COMPOSE_PATH} enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={csrf} />
        {replaces ? (
          <>
            <input type="hidden" name="replaces" value={replaces.id} />
            <div class="field">
              <label for="reason">{tr(page, "Lý do thay thế", "Reason for the replacement")}</label>
              <textarea id="reason" name="reason" required rows={2}>
                {v("reason")}
              </textarea>
            </div>
          </>
        ) : null}
        <fieldset>
          <legend>{tr(page, "Nơi nhận", "Recipients")}</legend>
          {problemOf(problems, "to") ? <p class="field-problem">{problemOf(problems, "to")!.message}</p> : null}
          <ul class="choices">
            {agencies.map((a) => (
              <li key={a.code}>
                <label>
                  <input type="checkbox" name={`to.${a.code}`} value="on" checked={v(`to.${a.code}`) === "on"} /> {a.name} <span class="sub">({a.code})</span>
                </label>
              </li>
            ))}
          </ul>
          {field("khac", tr(page, "Cơ quan khác (mã định danh, cách nhau bởi dấu phẩy)", "Other agencies (codes, separated by commas)"), { hint: "000.00.12.H99" })}
        </fieldset>
        <div class="field">
          <label for="loai">{tr(page, "Loại văn bản", "Type")}</label>
          <select id="loai" name="loai">
            {DOCUMENT_TYPES.map(([n, vi, en]) => (
              <option key={n} value={String(n)} selected={v("loai") === String(n)}>
                {tr(page, vi, en)}
              </option>
            ))}
          </select>
        </div>
        {field("notation", tr(page, "Ký hiệu (số do sổ văn bản đi cấp)", "Notation (the number comes from the register)"), { required: true, hint: "UBND-VP" })}
        <div class="field">
          <label for="subject">{tr(page, "Trích yếu", "Subject")}</label>
          {problemOf(problems, "subject") ? <p class="field-problem">{problemOf(problems, "subject")!.message}</p> : null}
          <textarea id="subject" name="subject" required rows={2}>
            {v("subject")}
          </textarea>
        </div>
        <div class="field">
          <label for="content">{tr(page, "Nội dung tóm tắt (không bắt buộc)", "Summary (optional)")}</label>
          <textarea id="content" name="content" rows={3}>
            {v("content")}
          </textarea>
        </div>
        {field("signer", tr(page, "Người ký", "Signed by"), { required: true })}
        {field("position", tr(page, "Chức vụ người ký", "Signer's position"))}
        {field("dueDate", tr(page, "Hạn xử lý (không bắt buộc)", "Due (optional)"), { type: "date" })}
        <div class="field">
          <label for="files">{tr(page, "Tệp văn bản (PDF) và phụ lục", "The document's files (PDF) and appendices")}</label>
          {problemOf(problems, "files") ? <p class="field-problem">{problemOf(problems, "files")!.message}</p> : null}
          <input id="files" name="files" type="file" multiple required accept=".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.zip" />
        </div>
        <button type="submit">{tr(page, "Gửi văn bản", "Send")}</button>
      </form>
    </Layout>
  );
}
