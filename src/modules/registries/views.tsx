// The registries' pages as views: the data tracker ("Ai đã xem dữ liệu của tôi") and the office's comparison of a
// dossier with a registry's answer.
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import { tr } from "../../web/i18n.ts";
import { REGISTRY_NAMES } from "./errors.ts";
import type { RegistryName } from "./gateway/mapping.ts";
import type { Comparison } from "./once-only.ts";
import type { LookupRow } from "./repo.ts";
import { OUTCOMES, vnTime } from "./tracker-export.ts";

export const TRACKER_PATH = "/ai-da-xem-du-lieu-cua-toi";
const STORE_PATH = "/kho-du-lieu";

const name = (page: PageRequest, r: string) => (Object.hasOwn(REGISTRY_NAMES, r) ? tr(page, REGISTRY_NAMES[r as RegistryName].vi, REGISTRY_NAMES[r as RegistryName].en) : r);

type Query = Partial<Record<"tu" | "den" | "co-quan" | "csdl" | "muc-dich" | "dinh-dang", string>>;

function exportHref(query: Query, format: "csv" | "pdf"): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v && k !== "dinh-dang") params.set(k, v);
  params.set("dinh-dang", format);
  return `${TRACKER_PATH}?${params.toString()}`;
}

export function TrackerPage(props: { page: PageRequest; rows: LookupRow[]; query: Query; business: boolean }) {
  const { page, rows, query } = props;
  const title = tr(page, "Ai đã xem dữ liệu của tôi", "Who has seen my data");
  const agencies = [...new Set(rows.flatMap((r) => (r.agencyCode ? [r.agencyCode] : [])))].sort();
  return (
    <Layout page={page} variant="portal" title={title} current={TRACKER_PATH}>
      <h1>{title}</h1>
      <p>
        {tr(
          page,
          "Mỗi lần cơ quan nhà nước hoặc chính bạn tra cứu thông tin của bạn trong cơ sở dữ liệu quốc gia đều được ghi lại: ai tra cứu, cơ quan nào, khi nào, thông tin gì, để làm gì, căn cứ pháp lý và hồ sơ liên quan. Lượt tra cứu theo mục đích không công khai được pháp luật cho phép chỉ hiện sau thời hạn quy định.",
          "Every look-up of your information in a national database, by an agency or by you, is recorded: who, which agency, when, which information, why, on what legal basis and for which dossier. A look-up for a lawful covert purpose is shown once its delay has passed.",
        )}
      </p>
      <p>
        <a href={STORE_PATH}>{tr(page, "Kho dữ liệu của tôi", "My data store")}</a>
      </p>
      <form method="get" action={TRACKER_PATH} class="stack" aria-labelledby="filter-heading">
        <h2 id="filter-heading">{tr(page, "Lọc", "Filter")}</h2>
        <p class="field">
          <label for="tu">{tr(page, "Từ ngày", "From")}</label>
          <input type="date" id="tu" name="tu" value={query.tu ?? ""} />
        </p>
        <p class="field">
          <label for="den">{tr(page, "Đến ngày", "To")}</label>
          <input type="date" id="den" name="den" value={query.den ?? ""} />
        </p>
        <p class="field">
          <label for="co-quan">{tr(page, "Cơ quan (mã)", "Agency (code)")}</label>
          <input id="co-quan" name="co-quan" value={query["co-quan"] ?? ""} list="co-quan-list" maxLength={40} />
          <datalist id="co-quan-list">
            {agencies.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </p>
        <p class="field">
          <label for="csdl">{tr(page, "Cơ sở dữ liệu", "Database")}</label>
          <select id="csdl" name="csdl">
            <option value="">{tr(page, "— Tất cả —", "— All —")}</option>
            {(Object.keys(REGISTRY_NAMES) as RegistryName[])
              .filter((r) => (props.business ? r === "business" : r !== "business"))
              .map((r) => (
                <option key={r} value={r} selected={query.csdl === r}>
                  {name(page, r)}
                </option>
              ))}
          </select>
        </p>
        <p class="field">
          <label for="muc-dich">{tr(page, "Mục đích có chứa", "Purpose contains")}</label>
          <input id="muc-dich" name="muc-dich" value={query["muc-dich"] ?? ""} maxLength={200} />
        </p>
        <p>
          <button type="submit" class="secondary">{tr(page, "Lọc", "Filter")}</button>
        </p>
      </form>
      <p id="exports">
        {tr(page, "Tải về:", "Download:")} <a href={exportHref(query, "csv")}>CSV</a> · <a href={exportHref(query, "pdf")}>PDF</a>
      </p>
      {rows.length === 0 ? (
        <p id="no-lookups">{tr(page, "Không có lượt tra cứu nào.", "No look-up.")}</p>
      ) : (
        <ul class="lookups" id="lookups">
          {rows.map((r) => (
            <li key={r.id} class="lookup">
              <h3>
                {vnTime(r.at)} — {r.actorName}
                {r.agencyCode ? ` (${r.agencyCode})` : tr(page, " (chính bạn)", " (yourself)")}
              </h3>
              <dl class="facts">
                <dt>{tr(page, "Cơ sở dữ liệu", "Database")}</dt>
                <dd>{name(page, r.registry)}</dd>
                <dt>{tr(page, "Thông tin", "Information")}</dt>
                <dd>{r.fields.join(", ") || "—"}</dd>
                <dt>{tr(page, "Mục đích", "Purpose")}</dt>
                <dd class="purpose">{r.purpose}</dd>
                <dt>{tr(page, "Căn cứ pháp lý", "Legal basis")}</dt>
                <dd>{r.legalBasis}</dd>
                <dt>{tr(page, "Hồ sơ", "Dossier")}</dt>
                <dd>{r.dossierId}</dd>
                <dt>{tr(page, "Kết quả", "Outcome")}</dt>
                <dd>{OUTCOMES[r.outcome] ?? tr(page, "Không cung cấp được", "Not provided")}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function VerifyPage(props: {
  page: PageRequest;
  dossierId: string;
  csrf: string;
  registry: string;
  purpose: string;
  comparisons: Comparison[] | null;
  notFound?: boolean;
  error?: string | undefined;
}) {
  const { page, comparisons } = props;
  const title = tr(page, "Đối chiếu với cơ sở dữ liệu quốc gia", "Verification against a national database");
  const back = `/office/ho-so/${props.dossierId}`;
  return (
    <Layout page={page} variant="office" title={title} current="/office/ho-so">
      <p>
        <a href={back}>{tr(page, "← Quay lại hồ sơ", "← Back to the dossier")}</a>
      </p>
      <h1>{title}</h1>
      {props.error ? (
        <p class="error" role="alert" id="verify-error">
          {props.error}
        </p>
      ) : null}
      {props.registry && !props.error ? (
        <p>
          {name(page, props.registry)} — {tr(page, "mục đích", "purpose")}: {props.purpose}
        </p>
      ) : null}
      {props.notFound ? <p id="verify-not-found">{tr(page, "Cơ sở dữ liệu không có thông tin của người nộp.", "The database holds nothing about the applicant.")}</p> : null}
      {comparisons ? (
        <table id="comparison">
          <caption>{tr(page, "Thông tin trên hồ sơ và trong cơ sở dữ liệu", "The dossier's values and the database's")}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(page, "Trường", "Field")}</th>
              <th scope="col">{tr(page, "Trên hồ sơ", "In the dossier")}</th>
              <th scope="col">{tr(page, "Trong cơ sở dữ liệu", "In the database")}</th>
            </tr>
          </thead>
          <tbody>
            {comparisons.map((c) => (
              <tr key={c.field} class={c.differs ? "differs" : undefined}>
                <th scope="row">{c.label}</th>
                <td>{c.dossierValue || "—"}</td>
                <td>
                  {c.registryValue ?? "—"}
                  {c.differs ? <strong class="difference"> ({tr(page, "khác", "differs")})</strong> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Layout>
  );
}
