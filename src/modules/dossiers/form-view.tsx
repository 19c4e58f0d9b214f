// The dossier form (tờ khai) generated from the procedure version's JSON Schema: `ui.order`, labels,
// help and widgets, required fields marked, each problem next to its field and all of them above the
// form; and the blocks every dossier page shares (papers with their uploads, history, hand-overs).
import type { FieldProblem } from "../../platform/http/errors.ts";
import { formatDateTime } from "../../web/format.ts";
import type { PageRequest } from "../../web/render.ts";
import { ScrollTable } from "../../web/table.tsx";
import type { Component, FormDefinition } from "../catalog/index.ts";
import { editionOf, type FormEdition, type FormKind, formSetOf, formsOffered, IN_PROGRESS_WORDS, OUTCOME_WORDS, unitWords } from "./forms/index.ts";
import type { DossierChannel } from "./model.ts";
import type { AttachmentDto, DossierDto } from "./schema.ts";
import type { UnitNames } from "./service.forms.ts";
import { isUploaded } from "./papers.ts";
import { actionName, statusName, timelinessName } from "./words.ts";
import { tr } from "../../web/i18n.ts";

/** Form fields travel as `f.<property>`, apart from the page's own (`_csrf`, `intent`, …). */
export const FIELD_PREFIX = "f.";
/** A paper's file input inside the dossier's form: `tep.<component key>`. */
export const FILE_PREFIX = "tep.";
const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;

interface Property {
  type?: string;
  enum?: unknown[];
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}
type Widget = "text" | "textarea" | "date" | "select" | "radio" | "checkbox" | "number" | "email" | "tel";

/** The properties of a form in the order the procedure gives (`ui.order`), then any it left out. */
export function fieldNames(form: FormDefinition): string[] {
  const props = Object.keys((form.schema.properties ?? {}) as Record<string, unknown>);
  return [...form.ui.order.filter((n) => props.includes(n)), ...props.filter((n) => !form.ui.order.includes(n))];
}
const propertyOf = (form: FormDefinition, name: string) => ((form.schema.properties ?? {}) as Record<string, Property>)[name] ?? {};
const isRequired = (form: FormDefinition, name: string) => Array.isArray(form.schema.required) && (form.schema.required as unknown[]).includes(name);

function widgetOf(form: FormDefinition, name: string): Widget {
  const given = form.ui.fields[name]?.widget;
  if (given) return given;
  const p = propertyOf(form, name);
  if (Array.isArray(p.enum)) return p.enum.length <= 4 ? "radio" : "select";
  if (p.type === "boolean") return "checkbox";
  if (p.type === "number" || p.type === "integer") return "number";
  if (p.format === "date") return "date";
  if (p.format === "email") return "email";
  if ((p.maxLength ?? 0) > 200) return "textarea";
  return "text";
}

/**
 * The form data a browser posted: strings trimmed (an empty one is left out, so the schema says it is
 * missing), numbers read as numbers (what is not one stays text for the schema to refuse), a checkbox
 * true when ticked.
 */
export function postedFormData(form: FormDefinition, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of fieldNames(form)) {
    const raw = body[`${FIELD_PREFIX}${name}`];
    const text = (Array.isArray(raw) ? raw[0] : raw) as unknown;
    const p = propertyOf(form, name);
    if (p.type === "boolean") {
      if (text !== undefined) out[name] = true;
      continue;
    }
    if (typeof text !== "string") continue;
    const v = text.trim().normalize("NFC");
    if (!v) continue;
    if (p.type === "number" || p.type === "integer") {
      const n = Number(v.replace(",", "."));
      out[name] = Number.isFinite(n) ? n : v;
    } else out[name] = v;
  }
  return out;
}

/** Form data as the inputs show it. */
export function shownValues(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

/** The field (`/formData/<name>`) or paper (`/attachments/<key>`) a problem is about. */
export const problemField = (p: FieldProblem) => /^\/formData\/([^/]+)/.exec(p.path)?.[1] ?? null;
export const problemPaper = (p: FieldProblem) => /^\/attachments\/([^/]+)/.exec(p.path)?.[1] ?? null;

/** Every problem above the form, each a link to its field, announced as an alert. */
export function ProblemSummary({ page, problems, heading }: { page: PageRequest; problems: FieldProblem[]; heading?: string | undefined }) {
  if (!problems.length && !heading) return null;
  return (
    <div class="error" role="alert" id="form-errors" tabindex={-1}>
      <p>
        <strong>{heading ?? tr(page, "Hồ sơ chưa nộp được: hãy sửa các mục sau.", "The dossier could not be filed: correct the following.")}</strong>
      </p>
      {problems.length ? (
        <ul>
          {problems.map((p, i) => {
            const field = problemField(p);
            const paper = problemPaper(p);
            const href = field ? `#${idOf(field)}` : paper ? `#paper-${paper}` : undefined;
            return <li key={i}>{href ? <a href={href}>{p.message}</a> : p.message}</li>;
          })}
        </ul>
      ) : null}
    </div>
  );
}

/** The inputs of the form; `values` are what the applicant typed (kept on an error). */
/** The national registries' names, as a field filled from one says where it came from. */
const REGISTRY_LABELS: Record<string, [vi: string, en: string]> = {
  population: ["Cơ sở dữ liệu quốc gia về dân cư", "the national population database"],
  business: ["Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp", "the national business registration database"],
  civil_status: ["Cơ sở dữ liệu hộ tịch điện tử", "the electronic civil-status database"],
};

export function registryLabel(page: PageRequest, source: string): string {
  const names = REGISTRY_LABELS[source];
  return names ? tr(page, names[0], names[1]) : source;
}

/**
 * The inputs of the form; `values` are what the applicant typed (kept on an error). A field in `marks` was filled
 * from a national registry (issue 18): it says so, and one the registry is authoritative for cannot be edited.
 */
export function SchemaFields(props: {
  page: PageRequest;
  form: FormDefinition;
  values: Record<string, string>;
  problems: FieldProblem[];
  readOnly?: boolean;
  marks?: Record<string, { source: string; authoritative: boolean }>;
}) {
  const { page, form, values, problems } = props;
  return (
    <>
      {fieldNames(form).map((name) => {
        const id = idOf(name);
        const hint = form.ui.fields[name];
        const label = hint?.label ?? name;
        const mine = problems.filter((p) => problemField(p) === name);
        const widget = widgetOf(form, name);
        const required = isRequired(form, name);
        const p = propertyOf(form, name);
        const mark = props.marks && Object.hasOwn(props.marks, name) ? props.marks[name] : undefined;
        const locked = props.readOnly === true || mark?.authoritative === true;
        const described = [hint?.help ? `${id}-hint` : "", mark ? `${id}-registry` : "", mine.length ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
        const common = {
          id,
          name: `${FIELD_PREFIX}${name}`,
          "aria-invalid": mine.length ? ("true" as const) : undefined,
          "aria-describedby": described,
          "aria-required": required ? ("true" as const) : undefined,
          disabled: locked || undefined,
        };
        const value = values[name] ?? "";
        const marker = required ? <span class="required"> ({tr(page, "bắt buộc", "required")})</span> : null;
        const help = (
          <>
            {hint?.help ? (
              <p class="sub" id={`${id}-hint`}>
                {hint.help}
              </p>
            ) : null}
            {mark ? (
              <p class="sub registry-mark" id={`${id}-registry`}>
                {tr(page, "Lấy từ", "From")} {registryLabel(page, mark.source)}
                {mark.authoritative ? tr(page, " (thông tin chính thức, không sửa được)", " (authoritative, cannot be changed)") : ""}
              </p>
            ) : null}
          </>
        );
        const errors = mine.length ? (
          <p class="field-error" id={`${id}-error`}>
            {mine.map((m) => m.message).join(" ")}
          </p>
        ) : null;
        if (widget === "radio" && Array.isArray(p.enum)) {
          return (
            <fieldset class="field" key={name} id={id} aria-describedby={described}>
              <legend>
                {label}
                {marker}
              </legend>
              {help}
              {errors}
              {p.enum.map((o, i) => (
                <label key={String(o)} class="choice">
                  <input type="radio" id={`${id}-${i}`} name={common.name} value={String(o)} checked={value === String(o)} disabled={locked || undefined} /> {String(o)}
                </label>
              ))}
            </fieldset>
          );
        }
        let control;
        if (widget === "textarea") control = <textarea {...common} rows={4} maxLength={p.maxLength}>{value}</textarea>;
        else if (widget === "select" || (widget === "radio" && !Array.isArray(p.enum))) {
          control = (
            <select {...common}>
              <option value="">{tr(page, "— Chọn —", "— Choose —")}</option>
              {(p.enum ?? []).map((o) => (
                <option key={String(o)} value={String(o)} selected={value === String(o)}>
                  {String(o)}
                </option>
              ))}
            </select>
          );
        } else if (widget === "checkbox") control = <input {...common} type="checkbox" value="true" checked={value === "true"} />;
        else {
          const type = widget === "number" ? "number" : widget === "date" ? "date" : widget === "email" ? "email" : widget === "tel" ? "tel" : "text";
          control = (
            <input
              {...common}
              type={type}
              value={value}
              maxLength={p.maxLength}
              min={p.minimum}
              max={p.maximum}
              step={p.type === "number" ? "any" : undefined}
              placeholder={hint?.placeholder}
              autocomplete={widget === "email" ? "email" : widget === "tel" ? "tel" : undefined}
            />
          );
        }
        return (
          <div class="field" key={name}>
            <label for={id}>
              {label}
              {marker}
            </label>
            {help}
            {errors}
            {control}
          </div>
        );
      })}
    </>
  );
}

const TYPE_WORDS: Record<string, string> = { "application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG" };
export const typesText = (types: readonly string[]) => types.map((t) => TYPE_WORDS[t] ?? t).join(", ");
export const fileHref = (dossierId: string, f: AttachmentDto) => `/api/dossiers/${dossierId}/attachments/${f.id}`;
export const when = (page: PageRequest, iso: string | null) => (iso ? formatDateTime(new Date(iso), page.lang) : "—");

/**
 * The papers of the procedure with what is attached to each and, when `upload` is given, a form per
 * paper to attach a file (multipart: the CSRF token and the paper's key before the file).
 */
export function Papers(props: {
  page: PageRequest;
  dossierId: string;
  components: Component[];
  attachments: AttachmentDto[];
  problems: FieldProblem[];
  /** `digitise`: the counter's upload, with a box to mark the paper scanned from its original (số hóa). */
  upload?: { action: string; csrf: string; digitise?: boolean } | { inForm: true } | undefined;
  only?: readonly string[] | undefined;
  /** The dossier's channel: online, the declaration the e-form is needs no file (catalog `needsUpload`). */
  channel: DossierChannel;
  /** The national registries read for the dossier: online, a paper one of them stands for needs no file. */
  registriesUsed?: readonly string[];
}) {
  const { page, components } = props;
  const shown = props.only ? components.filter((c) => props.only!.includes(c.key)) : components;
  if (shown.length === 0) return <p>{tr(page, "Thủ tục không yêu cầu giấy tờ đính kèm.", "The procedure needs no papers.")}</p>;
  return (
    <ul class="papers">
      {shown.map((c) => {
        const files = props.attachments.filter((f) => f.kind === "component" && f.component === c.key);
        const mine = props.problems.filter((p) => problemPaper(p) === c.key);
        const id = `paper-${c.key}`;
        // A paper only shown in person, or online the declaration the e-form is: nothing to upload.
        if (!isUploaded(c, props.channel, props.registriesUsed)) {
          const fromRegistry = !c.shownOnly && c.replacedByRegistry && props.registriesUsed?.includes(c.replacedByRegistry);
          return (
            <li key={c.key} class="paper">
              <h3 id={`${id}-name`}>{c.name}</h3>
              <p class="sub" id={fromRegistry ? `${id}-registry` : c.shownOnly ? `${id}-shown` : `${id}-eform`}>
                {fromRegistry
                  ? `${tr(page, "Không phải nộp: thông tin đã lấy từ", "Not needed: the information was read from")} ${registryLabel(page, c.replacedByRegistry!)}.`
                  : c.shownOnly
                  ? tr(page, "Giấy tờ xuất trình: mang bản chính đến khi làm thủ tục, không tải lên.", "Shown in person: bring the original, nothing to upload.")
                  : tr(page, "Nộp trực tuyến: tờ khai điện tử đã điền thay cho giấy này, không phải tải lên.", "Filed online: the e-form filled in stands for this paper, nothing to upload.")}
              </p>
            </li>
          );
        }
        return (
          <li key={c.key} class="paper">
            <h3 id={`${id}-name`}>
              {c.name}
              {c.required ? <span class="required"> ({tr(page, "bắt buộc", "required")})</span> : null}
            </h3>
            <p class="sub" id={`${id}-types`}>
              {tr(page, "Loại tệp được chấp nhận", "Accepted file types")}: {typesText(c.fileTypes)}
              {c.template ? `. ${tr(page, "Mẫu", "Template")}: ${c.template}` : ""}
            </p>
            {files.length ? (
              <ul>
                {files.map((f) => (
                  <li key={f.id}>
                    <a href={fileHref(props.dossierId, f)}>{f.name}</a> ({Math.max(1, Math.round(f.size / 1024))} KB)
                  </li>
                ))}
              </ul>
            ) : (
              <p>{tr(page, "Chưa đính kèm.", "Nothing attached yet.")}</p>
            )}
            {mine.length ? (
              <p class="field-error" id={`${id}-error`}>
                {mine.map((m) => m.message).join(" ")}
              </p>
            ) : null}
            {props.upload && "inForm" in props.upload ? (
              // Inside the dossier's own form: the file travels with what was typed (issue 15, item 2).
              <div class="inline-form">
                <FileInput page={page} id={id} name={`${FILE_PREFIX}${c.key}`} paper={c} invalid={mine.length > 0} />
                <button type="submit" name="upload" value={c.key}>
                  {tr(page, "Tải lên", "Upload")}
                </button>
              </div>
            ) : props.upload ? (
              <form method="post" action={props.upload.action} enctype="multipart/form-data" class="inline-form">
                <input type="hidden" name="_csrf" value={props.upload.csrf} />
                <input type="hidden" name="component" value={c.key} />
                {props.upload.digitise ? (
                  <div class="field">
                    <input id={`${id}-digitised`} type="checkbox" name="digitised" value="true" checked />
                    <label for={`${id}-digitised`}>{tr(page, "Đã số hóa (quét từ bản giấy người nộp xuất trình)", "Digitised (scanned from the paper the applicant presented)")}</label>
                  </div>
                ) : null}
                <FileInput page={page} id={id} name="file" paper={c} invalid={mine.length > 0} />
                <button type="submit">{tr(page, "Tải lên", "Upload")}</button>
              </form>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** A paper's file input with its label; its accepted types (and its problem) describe it. */
function FileInput({ page, id, name, paper, invalid }: { page: PageRequest; id: string; name: string; paper: Component; invalid: boolean }) {
  return (
    <div class="field">
      <label for={id}>{tr(page, `Chọn tệp: ${paper.name}`, `Choose a file: ${paper.name}`)}</label>
      <input
        id={id}
        type="file"
        name={name}
        accept={paper.fileTypes.join(",")}
        aria-invalid={invalid ? "true" : undefined}
        aria-describedby={[`${id}-types`, invalid ? `${id}-error` : ""].filter(Boolean).join(" ")}
      />
    </div>
  );
}

/** The dossier's history: when, who, what, from which status to which. */
export function History({ page, d }: { page: PageRequest; d: Pick<DossierDto, "history"> }) {
  if (!d.history.length) return <p>{tr(page, "Chưa có thao tác nào.", "Nothing has happened yet.")}</p>;
  const caption = tr(page, "Quá trình xử lý hồ sơ", "The dossier's history");
  return (
    <ScrollTable label={caption}>
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{tr(page, "Thời điểm", "When")}</th>
          <th scope="col">{tr(page, "Người thực hiện", "By")}</th>
          <th scope="col">{tr(page, "Nội dung", "What")}</th>
          <th scope="col">{tr(page, "Trạng thái", "Status")}</th>
          <th scope="col">{tr(page, "Ghi chú", "Note")}</th>
        </tr>
      </thead>
      <tbody>
        {d.history.map((h, i) => (
          <tr key={i}>
            <th scope="row" class="nowrap">
              <time dateTime={h.at}>{when(page, h.at)}</time>
            </th>
            <td>{h.actor}</td>
            <td>{actionName(page, h.action)}</td>
            <td>{statusName(page, h.toStatus)}</td>
            <td>{h.note ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </ScrollTable>
  );
}

/** A dossier's dates that choose its form set (forms/sets.ts). */
type Dated = Pick<DossierDto, "receivedAt" | "submittedAt" | "createdAt">;

/** The control sheet's number in the dossier's form set: Mẫu 06 (Circular 03/2025) or 05 (Circular 01/2018). */
export const controlSheetNumber = (d: Dated): string => editionOf(formSetOf(d), "control")!.number;

/** The English names of the forms; the Vietnamese is the annex's title. */
const FORM_EN: Record<FormKind, string> = {
  receipt: "Receipt and return appointment",
  supplement: "Supplement request",
  refusal: "Refusal",
  apology: "Apology",
  stop: "Notice of stopping",
  control: "Processing control sheet",
  register: "Register line",
};
const formEn = (f: FormEdition) =>
  f.kind === "apology" ? (f.basis === "03/2025/TT-VPCP" ? "Apology and request for an extension" : "Apology and new return date") : FORM_EN[f.kind];

/**
 * The forms the dossier has now, each a link to its PDF: those of its form set whose event has happened (the same
 * rule the API applies, forms/sets.ts `applies`); the register line only to officers.
 */
export function OfferedForms({ page, d, officer }: { page: PageRequest; d: Dated & Pick<DossierDto, "id" | "history">; officer: boolean }) {
  const forms = formsOffered(d, new Set(d.history.map((h) => h.action)), { officer });
  if (!forms.length) return <p>{tr(page, "Hồ sơ chưa có biểu mẫu.", "The dossier has no forms yet.")}</p>;
  return (
    <ul>
      {forms.map((f) => (
        <li key={f.number}>
          <a href={`/api/dossiers/${d.id}/forms/${f.number}.pdf`}>{tr(page, `${f.title} (Mẫu ${f.number})`, `${formEn(f)} (Form ${f.number})`)}</a>
        </li>
      ))}
    </ul>
  );
}

/**
 * The control sheet: every hand-over with its due time and whether it was on time, in the words of its PDF
 * (forms/control-sheet.ts): each unit by its agency's and department's names, each outcome as the sheet's notes say it.
 */
export function Steps({ page, d, units }: { page: PageRequest; d: Pick<DossierDto, "steps"> & Dated; units: UnitNames }) {
  if (!d.steps.length) return <p>{tr(page, "Hồ sơ chưa được luân chuyển.", "The dossier has not been handed over yet.")}</p>;
  const n = controlSheetNumber(d);
  const caption = tr(page, `Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu ${n})`, `Processing control sheet (Form ${n})`);
  const words = (w: readonly [string, string]) => tr(page, w[0], w[1]);
  return (
    <ScrollTable label={caption}>
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{tr(page, "Bước", "Step")}</th>
          <th scope="col">{tr(page, "Cơ quan, bộ phận", "Agency, department")}</th>
          <th scope="col">{tr(page, "Bắt đầu", "Started")}</th>
          <th scope="col">{tr(page, "Hạn", "Due")}</th>
          <th scope="col">{tr(page, "Hoàn thành", "Done")}</th>
          <th scope="col">{tr(page, "Kết quả", "Outcome")}</th>
        </tr>
      </thead>
      <tbody>
        {d.steps.map((s, i) => {
          const outcome = s.outcome ? (OUTCOME_WORDS[s.outcome] ? words(OUTCOME_WORDS[s.outcome]!) : s.outcome) : s.doneAt ? "" : words(IN_PROGRESS_WORDS);
          return (
            <tr key={i}>
              <th scope="row">{s.stepName}</th>
              <td>{unitWords(s.department ? units.department(s.agencyCode, s.department) : null, units.agency(s.agencyCode))}</td>
              <td>{when(page, s.startedAt)}</td>
              <td>{when(page, s.dueAt)}</td>
              <td>{when(page, s.doneAt)}</td>
              <td>{[outcome, s.timeliness ? timelinessName(page, s.timeliness) : ""].filter(Boolean).join(", ")}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
    </ScrollTable>
  );
}

/** The supplement requests (Mẫu 02) with their items and when the clock stood still. */
export function Pauses({ page, d, components }: { page: PageRequest; d: Pick<DossierDto, "pauses">; components: Component[] }) {
  if (!d.pauses.length) return null;
  const paperName = (key?: string) => components.find((c) => c.key === key)?.name ?? key ?? "";
  return (
    <ul class="pauses">
      {d.pauses.map((p, i) => (
        <li key={i}>
          {tr(page, "Yêu cầu bổ sung lúc", "Requested at")} {when(page, p.from)}
          {p.to ? `; ${tr(page, "đã bổ sung lúc", "answered at")} ${when(page, p.to)}` : `; ${tr(page, "đang chờ bổ sung", "awaiting the answer")}`}
          <ul>
            {p.items.map((it, j) => (
              <li key={j}>
                {it.component ? <strong>{paperName(it.component)}: </strong> : null}
                {it.reason}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

/** A notice of what was just done (`?da=`), announced politely. */
export function Notice({ text }: { text?: string | undefined }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}
