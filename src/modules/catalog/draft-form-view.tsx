// The draft's editing form: inputs for the simple fields, a labelled JSON textarea for each structured
// list, each problem next to the control it is about (and all of them above the form).
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { PageRequest } from "../../web/render.ts";
import { controlOf, type DraftFormValues, JSON_FIELDS, type JsonField } from "./draft-form.ts";
import { AUDIENCES, LEVELS, ONLINE_LEVELS } from "./model.ts";
import { ASSURANCE_WORDS, audienceName, levelName, onlineLevelName, readablePath, sectionName } from "./words.ts";
import { tr } from "../../web/i18n.ts";

/** One item of each list, as a reminder of its shape (the API reference has the whole schema). */
const EXAMPLES: Record<JsonField, string> = {
  components: `[{ "key": "to-khai", "name": "Tờ khai theo mẫu", "required": true, "counts": { "original": 1, "certifiedCopy": 0, "copy": 0 }, "fileTypes": ["application/pdf"], "template": "Mẫu số 01" }]`,
  form: `{ "schema": { "type": "object", "properties": { "hoTen": { "type": "string" } }, "required": ["hoTen"] }, "ui": { "order": ["hoTen"], "fields": { "hoTen": { "label": "Họ và tên" } } } }`,
  fees: `[{ "key": "le-phi", "name": "Lệ phí", "kind": "fee", "amount": 10000, "channel": null, "exemptions": [] }]`,
  processingTimes: `[{ "channel": "counter", "amount": 3, "unit": "working_days" }, { "channel": "online", "amount": 3, "unit": "working_days" }]`,
  results: `[{ "name": "Giấy khai sinh", "electronic": true }]`,
  conditions: `["Người yêu cầu từ đủ 18 tuổi"]`,
  legalBasis: `[{ "number": "60/2014/QH13", "title": "Luật Hộ tịch", "issuedOn": "2014-11-20", "effectiveFrom": "2016-01-01" }]`,
  steps: `[{ "key": "tiep-nhan", "name": "Tiếp nhận hồ sơ", "role": "receiver", "department": null, "agency": null, "hours": 4, "leaderSigns": false }]`,
};

/** Every problem in a list above the form, each said in words before its message. */
export function ProblemList({ page, problems, heading }: { page: PageRequest; problems: FieldProblem[]; heading: string }) {
  return (
    <div class="error" role="alert" id="form-errors">
      <p>{heading}</p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <strong>{readablePath(page, p.path)}</strong>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Errors({ id, page, problems }: { id: string; page: PageRequest; problems: FieldProblem[] }) {
  if (!problems.length) return null;
  return (
    <ul class="field-error" id={`${id}-error`}>
      {problems.map((p, i) => (
        <li key={i}>
          {readablePath(page, p.path)}: {p.message}
        </li>
      ))}
    </ul>
  );
}

export function DraftForm(props: {
  page: PageRequest;
  csrf: string;
  action: string;
  values: DraftFormValues;
  problems?: FieldProblem[] | undefined;
  /** A new procedure: its code is typed; otherwise the code is the procedure's and fixed. */
  isNew: boolean;
  submit: string;
}) {
  const { page, values: v } = props;
  const problems = props.problems ?? [];
  const at = (id: string) => problems.filter((p) => controlOf(p.path) === id);
  const described = (id: string, hint?: boolean) =>
    [hint ? `${id}-hint` : "", at(id).length ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const input = (id: keyof DraftFormValues, label: string, hint?: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <p class="sub" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input id={id} name={id} type="text" value={String(v[id])} aria-invalid={at(id).length ? "true" : undefined} aria-describedby={described(id, !!hint)} />
      <Errors id={id} page={page} problems={at(id)} />
    </div>
  );
  const boxes = (id: "levels" | "audience", legend: string, options: readonly string[], name: (o: string) => string) => (
    <fieldset class="field" aria-describedby={described(id)}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <div key={o}>
          <input type="checkbox" id={`${id}-${o}`} name={id} value={o} checked={v[id].includes(o)} /> <label for={`${id}-${o}`}>{name(o)}</label>
        </div>
      ))}
      <Errors id={id} page={page} problems={at(id)} />
    </fieldset>
  );
  return (
    <form method="post" action={props.action} class="stack" novalidate>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.isNew ? (
        input("code", tr(page, "Mã thủ tục", "Procedure code"), tr(page, "Ví dụ 1.001193 hoặc 1.011442.000.00.00.H38.", "E.g. 1.001193 or 1.011442.000.00.00.H38."))
      ) : (
        <input type="hidden" name="code" value={v.code} />
      )}
      {input("name", tr(page, "Tên thủ tục", "Name"))}
      <div class="field">
        <label for="description">{tr(page, "Mô tả ngắn", "Short description")}</label>
        <textarea id="description" name="description" rows={3} aria-invalid={at("description").length ? "true" : undefined} aria-describedby={described("description")}>
          {v.description}
        </textarea>
        <Errors id="description" page={page} problems={at("description")} />
      </div>
      {input("fieldCode", tr(page, "Mã lĩnh vực", "Field code"), tr(page, "Ví dụ HT (Hộ tịch).", "E.g. HT (civil status)."))}
      {input("fieldName", tr(page, "Tên lĩnh vực", "Field name"))}
      {boxes("levels", tr(page, "Cấp thực hiện", "Levels"), LEVELS, (o) => levelName(page, o))}
      {boxes("audience", tr(page, "Đối tượng thực hiện", "Who may file"), AUDIENCES, (o) => audienceName(page, o))}
      <fieldset class="field" aria-describedby={described("onlineLevel")}>
        <legend>{tr(page, "Mức độ dịch vụ công trực tuyến", "Online service level")}</legend>
        {ONLINE_LEVELS.map((o) => (
          <div key={o}>
            <input type="radio" id={`onlineLevel-${o}`} name="onlineLevel" value={o} checked={v.onlineLevel === o} />{" "}
            <label for={`onlineLevel-${o}`}>{onlineLevelName(page, o)}</label>
          </div>
        ))}
        <Errors id="onlineLevel" page={page} problems={at("onlineLevel")} />
      </fieldset>
      <div class="field">
        <label for="assuranceLevel">{tr(page, "Mức định danh điện tử yêu cầu", "Electronic identification required")}</label>
        <select id="assuranceLevel" name="assuranceLevel" aria-invalid={at("assuranceLevel").length ? "true" : undefined} aria-describedby={described("assuranceLevel")}>
          {Object.entries(ASSURANCE_WORDS).map(([n, w]) => (
            <option key={n} value={n} selected={v.assuranceLevel === n}>
              {tr(page, w[0], w[1])}
            </option>
          ))}
        </select>
        <Errors id="assuranceLevel" page={page} problems={at("assuranceLevel")} />
      </div>
      <div class="field">
        <label for="agencies">{tr(page, "Cơ quan thực hiện (mã định danh, mỗi dòng một mã)", "Implementing agencies (codes, one a line)")}</label>
        <textarea id="agencies" name="agencies" rows={3} aria-invalid={at("agencies").length ? "true" : undefined} aria-describedby={described("agencies")}>
          {v.agencies}
        </textarea>
        <Errors id="agencies" page={page} problems={at("agencies")} />
      </div>
      {JSON_FIELDS.map((key) => (
        <div class="field" key={key}>
          <label for={key}>
            {sectionName(page, key)} (JSON)
          </label>
          <p class="sub" id={`${key}-hint`}>
            {tr(page, "Ví dụ:", "Example:")} <code>{EXAMPLES[key]}</code>
          </p>
          <textarea
            id={key}
            name={key}
            rows={key === "form" || key === "steps" || key === "components" ? 14 : 7}
            spellcheck={false}
            aria-invalid={at(key).length ? "true" : undefined}
            aria-describedby={described(key, true)}
          >
            {v.json[key]}
          </textarea>
          <Errors id={key} page={page} problems={at(key)} />
        </div>
      ))}
      <p>
        <button type="submit">{props.submit}</button>
      </p>
    </form>
  );
}
