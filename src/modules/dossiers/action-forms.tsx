// One form per action the officer may take now (the dossier's `allowedActions`), each with the fields
// its action reads (API.md `POST /api/dossiers/{id}/actions/{action}`); a refused one shows its problems.
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { PageRequest } from "../../web/render.ts";
import type { Component } from "../catalog/index.ts";
import type { DossierAction } from "./model.ts";
import type { DossierDto } from "./schema.ts";
import { actionName, RETURN_METHODS, returnName } from "./words.ts";
import { tr } from "../../web/i18n.ts";

export const SUPPLEMENT_ROWS = 3;
/** Actions taken on the officer's page; the applicant's own (submit, withdraw) are not offered here. */
const OFFICE_ACTIONS: readonly DossierAction[] = ["receive", "refuse_receipt", "request_supplement", "supplement", "assign", "forward", "send_back", "approve", "refuse", "apologize", "stop", "finish", "return"];

export const actionPath = (id: string, a: DossierAction) => `/office/ho-so/${id}/thao-tac/${a}`;
export const resultPath = (id: string) => `/office/ho-so/${id}/ket-qua`;

/** An officer the step may be assigned to, as the form names them. */
export interface AssigneeChoice {
  id: string;
  fullName: string;
  /** Their department, or their unit under the processing agency. */
  unit: string | null;
}

export interface ActionFormsProps {
  page: PageRequest;
  csrf: string;
  d: DossierDto;
  components: Component[];
  departments: Array<{ code: string; name: string }>;
  /** The officers the current step may be assigned to (the assignment's choice), with where they work. */
  assignees: AssigneeChoice[];
  /** The signed-in officer's account id, marked in that choice. */
  me: string | null;
  /** The action just refused and why, to show inside its form. */
  failed?: { action: string; problems: FieldProblem[] } | undefined;
}

export function ActionForms(props: ActionFormsProps) {
  const { page, d } = props;
  const actions = OFFICE_ACTIONS.filter((a) => d.allowedActions.includes(a));
  if (actions.length === 0) return <p id="no-actions">{tr(page, "Bạn không có thao tác nào với hồ sơ ở bước này.", "You have no action on the dossier at this step.")}</p>;
  return (
    <div class="actions stack">
      {actions.map((a) => (
        <ActionForm key={a} {...props} action={a} />
      ))}
    </div>
  );
}

function ActionForm(props: ActionFormsProps & { action: DossierAction }) {
  const { page, d, action: a, csrf } = props;
  const id = `act-${a}`;
  const problems = props.failed?.action === a ? props.failed.problems : [];
  const at = (path: string) => problems.filter((p) => p.path === path || p.path.startsWith(`${path}/`));
  const err = (name: string, path: string) =>
    at(path).length ? (
      <p class="field-error" id={`${id}-${name}-error`}>
        {at(path)
          .map((p) => p.message)
          .join(" ")}
      </p>
    ) : null;
  const aria = (name: string, path: string) => (at(path).length ? { "aria-invalid": "true" as const, "aria-describedby": `${id}-${name}-error` } : {});
  const area = (name: "reason" | "note", label: string, required: boolean) => (
    <div class="field">
      <label for={`${id}-${name}`}>
        {label}
        {required ? <span class="required"> ({tr(page, "bắt buộc", "required")})</span> : null}
      </label>
      {err(name, `/${name}`)}
      <textarea id={`${id}-${name}`} name={name} rows={2} maxLength={2000} aria-required={required ? "true" : undefined} {...aria(name, `/${name}`)} />
    </div>
  );
  const multipartForm = a === "finish";
  const others = problems.filter((p) => !["/reason", "/note", "/newDueAt", "/items", "/assigneeUserId", "/resultFileId"].some((k) => p.path === k || p.path.startsWith(`${k}/`)));
  return (
    <section class="action" aria-labelledby={id}>
      <h3 id={id}>{actionName(page, a)}</h3>
      <form method="post" action={multipartForm ? resultPath(d.id) : actionPath(d.id, a)} enctype={multipartForm ? "multipart/form-data" : undefined} class="stack">
        <input type="hidden" name="_csrf" value={csrf} />
        {others.length ? <p class="field-error">{others.map((p) => p.message).join(" ")}</p> : null}
        {a === "refuse_receipt" || a === "refuse" || a === "stop" ? area("reason", tr(page, "Lý do", "Reason"), true) : null}
        {a === "forward" || a === "approve" || a === "supplement" ? area("note", tr(page, "Ý kiến, ghi chú", "Note"), false) : null}
        {a === "send_back" ? area("note", tr(page, "Lý do chuyển trả", "Why it goes back"), true) : null}
        {a === "request_supplement" ? (
          <>
            <p class="sub">{tr(page, "Liệt kê từng giấy tờ hoặc thông tin cần bổ sung và lý do (Mẫu 02); dòng để trống bị bỏ qua.", "List each paper or item to add and why (Form 02); empty rows are ignored.")}</p>
            {err("items", "/items")}
            {Array.from({ length: SUPPLEMENT_ROWS }, (_, i) => (
              <fieldset key={i} class="field">
                <legend>{tr(page, `Mục ${i + 1}`, `Item ${i + 1}`)}</legend>
                <label for={`${id}-c${i}`}>{tr(page, "Giấy tờ", "Paper")}</label>
                <select id={`${id}-c${i}`} name={`items.${i}.component`}>
                  <option value="">{tr(page, "— Thông tin khác —", "— Other information —")}</option>
                  {props.components.map((c) => (
                    <option key={c.key} value={c.key}>
                      {c.name}
                    </option>
                  ))}
                </select>
                <label for={`${id}-r${i}`}>{tr(page, "Lý do, nội dung cần bổ sung", "What is missing and why")}</label>
                <input id={`${id}-r${i}`} name={`items.${i}.reason`} type="text" maxLength={1000} {...aria(`r${i}`, `/items/${i}`)} />
              </fieldset>
            ))}
          </>
        ) : null}
        {a === "assign" ? (
          <>
            {err("assignee", "/assigneeUserId")}
            <div class="field">
              <label for={`${id}-department`}>{tr(page, "Phòng ban xử lý", "Department")}</label>
              <select id={`${id}-department`} name="department">
                <option value="">{tr(page, "— Giữ nguyên —", "— Unchanged —")}</option>
                {props.departments.map((dep) => (
                  <option key={dep.code} value={dep.code} selected={d.step?.department === dep.code}>
                    {dep.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`${id}-assignee`}>{tr(page, "Cán bộ xử lý", "Officer")}</label>
              <select id={`${id}-assignee`} name="assigneeUserId" {...aria("assignee", "/assigneeUserId")}>
                <option value="">{tr(page, "— Không giao cho cán bộ cụ thể —", "— No particular officer —")}</option>
                {props.assignees.map((o) => (
                  <option key={o.id} value={o.id} selected={d.step?.assigneeUserId === o.id}>
                    {o.fullName}
                    {o.id === props.me ? tr(page, " (tôi)", " (me)") : ""}
                    {o.unit ? ` — ${o.unit}` : ""}
                  </option>
                ))}
              </select>
            </div>
          </>
        ) : null}
        {a === "apologize" ? (
          <>
            {area("reason", tr(page, "Lý do chậm trả kết quả", "Why the result is late"), true)}
            <div class="field">
              <label for={`${id}-newDueAt`}>{tr(page, "Ngày, giờ hẹn trả mới", "New return date and time")}</label>
              {err("newDueAt", "/newDueAt")}
              <input id={`${id}-newDueAt`} name="newDueAt" type="datetime-local" aria-required="true" {...aria("newDueAt", "/newDueAt")} />
            </div>
          </>
        ) : null}
        {a === "finish" ? (
          <>
            {err("result", "/resultFileId")}
            <div class="field">
              <label for={`${id}-file`}>{tr(page, "Văn bản kết quả (PDF)", "Result document (PDF)")}</label>
              <input id={`${id}-file`} type="file" name="file" accept="application/pdf" {...aria("result", "/resultFileId")} />
            </div>
          </>
        ) : null}
        {a === "return" ? (
          <div class="field">
            <label for={`${id}-method`}>{tr(page, "Hình thức trả kết quả", "How the result is handed over")}</label>
            <select id={`${id}-method`} name="method">
              {RETURN_METHODS.map((m) => (
                <option key={m} value={m} selected={m === (d.channel === "online" ? "online" : "counter")}>
                  {returnName(page, m)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <p>
          <button type="submit" class={a === "refuse" || a === "refuse_receipt" || a === "stop" ? "danger" : undefined}>
            {a === "finish" ? tr(page, "Tải lên kết quả và kết thúc xử lý", "Upload the result and finish") : actionName(page, a)}
          </button>
        </p>
      </form>
    </section>
  );
}
