// The once-only consent on a draft (issue 18, item 3): what will be read from which national registry and why,
// and a button to agree. The registries module answers the POST (it reads the registry, then fills the draft).
import type { PageRequest } from "../../web/render.ts";
import { tr } from "../../web/i18n.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { fieldNames, registryLabel } from "./form-view.tsx";

/** Where the consent is posted: the registries module's page route. */
export const registryConsentPath = (id: string) => `/ho-so-cua-toi/${id}/lay-tu-csdl`;

/** The registries a procedure's form or papers can be read from, each with the labels of the fields it fills. */
export function registryReads(content: ProcedureContent): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  for (const name of fieldNames(content.form)) {
    const hint = content.form.ui.fields[name];
    if (hint?.registry) reads.set(hint.registry.source, [...(reads.get(hint.registry.source) ?? []), hint.label]);
  }
  for (const c of content.components) if (c.replacedByRegistry && !reads.has(c.replacedByRegistry)) reads.set(c.replacedByRegistry, []);
  return reads;
}

export function RegistryConsent(props: { page: PageRequest; csrf: string; dossierId: string; content: ProcedureContent; used: readonly string[] }) {
  const { page } = props;
  const reads = [...registryReads(props.content)].filter(([source]) => !props.used.includes(source));
  if (reads.length === 0) return null;
  return (
    <section aria-labelledby="registry-consent-heading" class="registry-consent">
      {reads.map(([source, labels]) => (
        <form key={source} method="post" action={registryConsentPath(props.dossierId)} class="stack">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="registry" value={source} />
          <h2 id="registry-consent-heading">
            {tr(page, "Lấy thông tin từ", "Fill in from")} {registryLabel(page, source)}
          </h2>
          <p>
            {tr(
              page,
              "Để bạn không phải khai lại thông tin Nhà nước đã có, hệ thống có thể đọc thông tin của bạn từ cơ sở dữ liệu này cho riêng hồ sơ này. Việc đọc được ghi lại và bạn xem được tại trang “Ai đã xem dữ liệu của tôi”.",
              "So that you need not give again what the State already holds, the system can read your information from this database for this dossier only. The look-up is recorded and shown on “Who has seen my data”.",
            )}
          </p>
          {labels.length ? (
            <>
              <p>{tr(page, "Thông tin sẽ được đọc và điền vào tờ khai:", "What will be read and filled in:")}</p>
              <ul>
                {labels.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </>
          ) : null}
          <p>
            <button type="submit">{tr(page, "Tôi đồng ý, lấy thông tin", "I agree, fill it in")}</button>
          </p>
        </form>
      ))}
    </section>
  );
}

/** Where an officer's verification is posted: the registries module's page route. */
export const registryVerifyPath = (id: string) => `/office/ho-so/${id}/doi-chieu-csdl`;

/**
 * The office's verification of a dossier's applicant against a national registry (issue 18, item 3): the
 * registries the procedure reads, and the purpose the officer must state (recorded with the look-up).
 */
export function RegistryVerify(props: { page: PageRequest; csrf: string; dossierId: string; content: ProcedureContent; used: readonly string[] }) {
  const { page } = props;
  const sources = [...registryReads(props.content).keys()];
  if (sources.length === 0) return null;
  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading">{tr(page, "Đối chiếu với cơ sở dữ liệu quốc gia", "Verify against a national database")}</h2>
      {props.used.length ? (
        <p class="sub" id="registries-used">
          {tr(page, "Đã sử dụng cho hồ sơ:", "Used for the dossier:")} {props.used.map((s) => registryLabel(page, s)).join("; ")}
        </p>
      ) : null}
      <form method="post" action={registryVerifyPath(props.dossierId)} class="stack">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <p class="field">
          <label for="verify-registry">{tr(page, "Cơ sở dữ liệu", "Database")}</label>
          <select id="verify-registry" name="registry">
            {sources.map((s) => (
              <option key={s} value={s}>
                {registryLabel(page, s)}
              </option>
            ))}
          </select>
        </p>
        <p class="field">
          <label for="verify-purpose">
            {tr(page, "Mục đích tra cứu", "Purpose of the look-up")} <span class="required">({tr(page, "bắt buộc", "required")})</span>
          </label>
          <input id="verify-purpose" name="purpose" required minLength={3} maxLength={500} aria-required="true" />
        </p>
        <p>
          <button type="submit" class="secondary">{tr(page, "Tra cứu và đối chiếu", "Look up and compare")}</button>
        </p>
      </form>
    </section>
  );
}
