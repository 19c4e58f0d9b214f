// One form per action the officer may take now (the dossier's `allowedActions`), each with the fields
// its action reads (API.md `POST /api/dossiers/{id}/actions/{action}`); a refused one shows its problems.
// The step's own action leads, saying where it sends the dossier; the rare ones wait behind a disclosure
// (next-action.ts), which opens without JavaScript.
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { PageRequest } from "../../web/render.ts";
import { type Component, roleName } from "../catalog/index.ts";
import type { StepPlan } from "../workflow/index.ts";
import { unitWords } from "./forms/index.ts";
import type { DossierAction } from "./model.ts";
import { arrangeActions, type Destination, destinationOf } from "./next-action.ts";
import type { DossierDto } from "./schema.ts";
import type { UnitNames } from "./service.forms.ts";
import { actionName, RETURN_METHODS, returnName } from "./words.ts";
import { tr } from "../../web/i18n.ts";

export const SUPPLEMENT_ROWS = 3;

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
  /** The dossier's plan (service.support.ts `dossierPlan`): where each action sends it. */
  plan: StepPlan[];
  /** The names of the plan's agencies and departments. */
  units: UnitNames;
}

export function ActionForms(props: ActionFormsProps) {
  const { page, d } = props;
  const { primary, usual, rare } = arrangeActions(d.allowedActions);
  if (!primary && usual.length === 0 && rare.length === 0) return <p id="no-actions">{tr(page, "Bạn không có thao tác nào với hồ sơ ở bước này.", "You have no action on the dossier at this step.")}</p>;
  return (
    <div class="stack">
      {primary ? <ActionForm {...props} action={primary} kind="primary" /> : null}
      {usual.map((a) => (
        <ActionForm key={a} {...props} action={a} kind="usual" />
      ))}
      {rare.length ? (
        <details class="more-actions" id="more-actions" open={rare.includes(props.failed?.action as DossierAction) || undefined}>
          <summary>
            {tr(page, "Thao tác khác", "Other actions")}: {rare.map((a) => actionName(page, a).toLowerCase()).join(", ")}
          </summary>
          <div class="stack">
            {rare.map((a) => (
              <ActionForm key={a} {...props} action={a} kind="rare" />
            ))}
          </div>
        </details>
      ) : null}
    </div>
  );
}

/** Where the action sends the dossier, in words: the step's name, who does it and where. */
function DestinationLine(props: { page: PageRequest; id: string; action: DossierAction; to: Destination; applicant: string; units: UnitNames }) {
  const { page, to, action: a } = props;
  if (to.kind === "applicant") {
    return (
      <p class="destination" id={props.id}>
        {tr(page, "Kết quả trả cho người nộp hồ sơ:", "The result goes to the applicant:")} <strong>{props.applicant}</strong>
      </p>
    );
  }
  const s = to.step;
  const role = roleName(page, s.role);
  const unit = unitWords(s.department ? props.units.department(s.agencyCode, s.department) : null, props.units.agency(s.agencyCode));
  const lead =
    a === "receive"
      ? tr(page, "Sau khi tiếp nhận, hồ sơ chuyển đến:", "Once received, the dossier goes to:")
      : a === "send_back"
        ? tr(page, "Hồ sơ trả lại bước trước:", "The dossier goes back to:")
        : a === "finish"
          ? tr(page, "Kết quả chuyển đến:", "The result goes to:")
          : tr(page, "Hồ sơ chuyển đến bước tiếp theo:", "The dossier goes on to:");
  return (
    <p class="destination" id={props.id}>
      {lead} <strong>{s.name}</strong> — {unit.startsWith(role) ? unit : `${role}, ${unit}`}
    </p>
  );
}

function ActionForm(props: ActionFormsProps & { action: DossierAction; kind: "primary" | "usual" | "rare" }) {
  const { page, d, action: a, csrf, kind } = props;
  const id = `act-${a}`;
  const to = destinationOf(a, props.plan, { stepIndex: d.step?.index ?? null, receiving: d.agencyCode });
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
  const danger = a === "refuse" || a === "refuse_receipt" || a === "stop";
  return (
    <section class={kind === "primary" ? "action next-action" : "action"} aria-labelledby={id}>
      {kind === "primary" ? <p class="next-action__label">{tr(page, "Việc cần làm ở bước này", "What this step is for")}</p> : null}
      <h3 id={id}>{actionName(page, a)}</h3>
      {to ? <DestinationLine page={page} id={`${id}-to`} action={a} to={to} applicant={d.applicant.name} units={props.units} /> : null}
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
          <button type="submit" class={danger ? "danger" : kind === "primary" ? "primary" : "secondary"} aria-describedby={to ? `${id}-to` : undefined}>
            {a === "finish" ? tr(page, "Tải lên kết quả và kết thúc xử lý", "Upload the result and finish") : actionName(page, a)}
          </button>
        </p>
      </form>
    </section>
  );
}
