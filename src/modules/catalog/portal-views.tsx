// The portal's catalogue search as views: the form with its filters and the results region. The routes
// (portal-pages.tsx) load the data; these only present it.
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import { AUDIENCES, ONLINE_LEVELS } from "./model.ts";
import type { ProcedureListItem, ProcedurePage } from "./schema.ts";
import { audienceName, channelName, isFree, moneyText, onlineLevelName, timeText } from "./words.ts";
import { tr } from "../../web/i18n.ts";
import { Pager } from "../../web/pager.tsx";

export const SEARCH_PATH = "/thu-tuc";
export const procedurePath = (code: string) => `${SEARCH_PATH}/${encodeURIComponent(code)}`;
/** Online filing (a later issue builds it). */
export const filePath = (code: string) => `/nop-ho-so/${encodeURIComponent(code)}`;
const RESULTS_ID = "ket-qua";

/** What the search form holds, as given (unknown values already dropped). */
export interface SearchValues {
  q: string;
  field: string;
  level: string;
  audience: string;
  agency: string;
  page: number;
}

export interface Choice {
  code: string;
  name: string;
}

/** The address of a search, without empty parameters (also the links of the pager). */
export function searchHref(v: SearchValues, page = v.page): string {
  const params = new URLSearchParams();
  for (const key of ["q", "field", "level", "audience", "agency"] as const) if (v[key]) params.set(key, v[key]);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `${SEARCH_PATH}?${query}` : SEARCH_PATH;
}

// Each control asks for the results region with the whole form (htmx); without JavaScript the form is
// a plain GET form.
const live = (trigger: string) => ({ "hx-get": SEARCH_PATH, "hx-trigger": trigger, "hx-include": "closest form", "hx-target": `#${RESULTS_ID}`, "hx-push-url": "true" });

function Select(props: { id: string; label: string; all: string; value: string; options: Choice[] }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id} {...live("change")}>
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o.code} value={o.code} selected={o.code === props.value}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function SearchForm({ page, values, fields, agencies }: { page: PageRequest; values: SearchValues; fields: Choice[]; agencies: Choice[] }) {
  return (
    <form method="get" action={SEARCH_PATH} role="search" class="search-form" hx-get={SEARCH_PATH} hx-target={`#${RESULTS_ID}`} hx-push-url="true">
      <div class="field search-form__q">
        <label for="q">{tr(page, "Tên thủ tục hoặc từ khóa", "Procedure name or keywords")}</label>
        <p class="sub" id="q-hint">
          {tr(page, "Gõ có dấu hoặc không dấu, ví dụ “dang ky khai sinh”.", "With or without Vietnamese diacritics, e.g. “dang ky khai sinh”.")}
        </p>
        <input type="search" id="q" name="q" value={values.q} maxLength={200} autocomplete="off" aria-describedby="q-hint" {...live("input changed delay:300ms, search")} />
      </div>
      <div class="filters">
        <Select id="field" label={tr(page, "Lĩnh vực", "Field")} all={tr(page, "Tất cả lĩnh vực", "All fields")} value={values.field} options={fields} />
        <Select
          id="level"
          label={tr(page, "Mức độ trực tuyến", "Online level")}
          all={tr(page, "Mọi mức độ", "Any level")}
          value={values.level}
          options={ONLINE_LEVELS.map((l) => ({ code: l, name: onlineLevelName(page, l) }))}
        />
        <Select
          id="audience"
          label={tr(page, "Đối tượng", "Who files")}
          all={tr(page, "Mọi đối tượng", "Anyone")}
          value={values.audience}
          options={AUDIENCES.map((a) => ({ code: a, name: audienceName(page, a) }))}
        />
        <Select id="agency" label={tr(page, "Cơ quan thực hiện", "Agency")} all={tr(page, "Mọi cơ quan", "Any agency")} value={values.agency} options={agencies} />
      </div>
      <button type="submit">{tr(page, "Tìm kiếm", "Search")}</button>
    </form>
  );
}

/** `Lệ phí: 10.000 đồng; Phí: 5.000 đồng (Trực tuyến)` or `Miễn phí`. */
export function feesLine(page: PageRequest, fees: ProcedureListItem["fees"]): string {
  if (isFree(fees)) return tr(page, "Miễn phí", "Free");
  return fees
    .map((f) => `${f.name}: ${moneyText(page, f.amount)}${f.channel ? ` (${channelName(page, f.channel)})` : ""}`)
    .join("; ");
}

function timesLine(page: PageRequest, times: ProcedureListItem["processingTime"]): string {
  const distinct = new Set(times.map((t) => timeText(page, t)));
  if (distinct.size === 1) return [...distinct][0]!;
  return times.map((t) => `${channelName(page, t.channel)}: ${timeText(page, t)}`).join("; ");
}

function Result({ page, item }: { page: PageRequest; item: ProcedureListItem }) {
  return (
    <li class="result">
      <h3 class="result__title">
        <a href={procedurePath(item.code)}>{item.name}</a>
      </h3>
      <p class="result__badges">
        <span class={`badge badge--${item.level}`}>
          {tr(page, "Trực tuyến", "Online")}: {onlineLevelName(page, item.level)}
        </span>
      </p>
      <dl class="facts">
        <dt>{tr(page, "Lĩnh vực", "Field")}</dt>
        <dd>{item.field.name}</dd>
        <dt>{tr(page, "Thời hạn giải quyết", "Processing time")}</dt>
        <dd>{timesLine(page, item.processingTime)}</dd>
        <dt>{tr(page, "Phí, lệ phí", "Fees")}</dt>
        <dd>{feesLine(page, item.fees)}</dd>
        <dt>{tr(page, "Mã thủ tục", "Code")}</dt>
        <dd>{item.code}</dd>
      </dl>
    </li>
  );
}

/** The results region: what htmx swaps in as the user types, and part of the whole page. */
export function SearchResults({ page, values, result }: { page: PageRequest; values: SearchValues; result: ProcedurePage }) {
  const pager = (target: number) => ({ href: searchHref(values, target), "hx-get": searchHref(values, target), "hx-target": `#${RESULTS_ID}`, "hx-push-url": "true" });
  return (
    <>
      <h2 id="results-heading">{tr(page, "Kết quả tìm kiếm", "Results")}</h2>
      {result.items.length === 0 ? (
        <div class="notice" role="status">
          <p>{tr(page, "Không tìm thấy thủ tục nào phù hợp.", "No procedure matches.")}</p>
          <p>
            {tr(
              page,
              "Hãy thử gõ không dấu (ví dụ “dang ky khai sinh”), dùng ít từ hơn, hoặc bỏ bớt bộ lọc.",
              "Try without diacritics (e.g. “dang ky khai sinh”), with fewer words, or with fewer filters.",
            )}
          </p>
        </div>
      ) : (
        <>
          <div role="status">
            {result.correctedQuery ? (
              <p class="notice">
                {tr(page, "Kết quả cho ", "Showing results for ")}
                <strong>“{result.correctedQuery}”</strong>
                {tr(page, ` — không có thủ tục nào khớp “${values.q}”.`, ` — no procedure matched “${values.q}”.`)}
              </p>
            ) : null}
            <p>{tr(page, `Trang ${result.page}: ${result.items.length} thủ tục`, `Page ${result.page}: ${result.items.length} procedure(s)`)}</p>
          </div>
          <ol class="results" aria-labelledby="results-heading" start={(result.page - 1) * result.pageSize + 1}>
            {result.items.map((item) => (
              <Result key={item.code} page={page} item={item} />
            ))}
          </ol>
        </>
      )}
      <Pager page={page} result={result} link={pager} label={{ vi: "Các trang kết quả", en: "Result pages" }} />
    </>
  );
}

export function SearchPage(props: { page: PageRequest; values: SearchValues; result: ProcedurePage; fields: Choice[]; agencies: Choice[] }) {
  const { page } = props;
  const title = tr(page, "Thủ tục hành chính", "Administrative procedures");
  return (
    <Layout page={page} variant="portal" title={props.values.q ? `${props.values.q} — ${title}` : title} current={SEARCH_PATH}>
      <h1>{title}</h1>
      <p class="lead">
        {tr(
          page,
          "Tìm thủ tục theo tên, lĩnh vực, cơ quan: giấy tờ cần nộp, thời hạn giải quyết, phí và lệ phí, cách nộp hồ sơ.",
          "Find a procedure by name, field or agency: the papers to bring, how long it takes, what it costs and how to file.",
        )}
      </p>
      <SearchForm page={page} values={props.values} fields={props.fields} agencies={props.agencies} />
      <section id={RESULTS_ID} aria-labelledby="results-heading">
        <SearchResults page={page} values={props.values} result={props.result} />
      </section>
    </Layout>
  );
}
