// The pieces of a page form: a labelled input that says what is wrong with it, and the list of problems
// above the form (`role="alert"`, so a screen reader announces it after a refused post).
import type { FieldProblem } from "../platform/http/errors.ts";
import { tr } from "./i18n.ts";
import type { PageRequest } from "./render.ts";

/** The problems of a refused post above its form: the error's message, then each field's. */
export function Problems({ page, message, fields }: { page: PageRequest; message?: string | undefined; fields?: readonly FieldProblem[] | undefined }) {
  if (!message && !fields?.length) return null;
  return (
    <div class="error" role="alert" id="form-errors">
      {message ? <p>{message}</p> : null}
      {fields?.length ? (
        <ul>
          {fields.map((f) => (
            <li key={f.path}>{f.message}</li>
          ))}
        </ul>
      ) : null}
      {!message && !fields?.length ? <p>{tr(page, "Có lỗi.", "Something is wrong.")}</p> : null}
    </div>
  );
}

/** The problem of the field `name` (`/name`), if any. */
export function problemOf(problems: readonly FieldProblem[] | undefined, name: string): FieldProblem | undefined {
  return problems?.find((p) => p.path === `/${name}`);
}

/**
 * A labelled input. `invalid` marks it; `problem` marks it and says what is wrong next to it (tied to the
 * input by `aria-describedby`).
 */
export function Field(props: {
  id: string;
  label: string;
  type?: string;
  value?: string | undefined;
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  invalid?: boolean;
  problem?: string | undefined;
  inputmode?: "numeric" | "email" | "text";
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const problemId = props.problem ? `${props.id}-problem` : undefined;
  const describedBy = [hintId, problemId].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="sub" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.problem ? (
        <p class="field-problem" id={problemId}>
          {props.problem}
        </p>
      ) : null}
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        autocomplete={props.autocomplete}
        required={props.required ?? true}
        aria-describedby={describedBy}
        aria-invalid={props.invalid || props.problem ? "true" : undefined}
        inputMode={props.inputmode}
      />
    </div>
  );
}
