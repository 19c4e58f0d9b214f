// The office's catalogue pages as views: the administered procedures, a new procedure, a procedure's
// versions with its draft form, checks and publishing, and the difference between two versions.
import type { FieldProblem } from "../../platform/http/errors.ts";
import { formatDateTime, formatNumber } from "../../web/format.ts";
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import { DraftForm, ProblemList } from "./draft-form-view.tsx";
import type { DraftFormValues } from "./draft-form.ts";
import { procedurePath } from "./portal-views.tsx";
import type { Change, VersionDiff, VersionInfo } from "./schema.ts";
import type { AdminProcedureItem, AdminProcedurePage } from "./service.ts";
import { readablePath } from "./words.ts";
import { tr } from "../../web/i18n.ts";
import { Pager } from "../../web/pager.tsx";

export const ADMIN_CATALOG_PATH = "/quan-tri/thu-tuc";
export const NEW_PROCEDURE_PATH = `${ADMIN_CATALOG_PATH}/moi`;
export const adminProcedurePath = (code: string) => `${ADMIN_CATALOG_PATH}/${encodeURIComponent(code)}`;
export const diffPath = (code: string, from: number, to: number) => `${adminProcedurePath(code)}/so-sanh?from=${from}&to=${to}`;

function Notice({ text }: { text?: string | undefined }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}

function state(page: PageRequest, p: AdminProcedureItem): string {
  const parts: string[] = [];
  if (p.currentVersion) parts.push(tr(page, `Đang có hiệu lực: phiên bản ${p.currentVersion}`, `In force: version ${p.currentVersion}`));
  else parts.push(tr(page, "Chưa công bố", "Not published yet"));
  if (p.draftVersion) parts.push(tr(page, `dự thảo phiên bản ${p.draftVersion}`, `draft version ${p.draftVersion}`));
  return parts.join("; ");
}

export function CatalogListPage(props: { page: PageRequest; q: string; result: AdminProcedurePage; canCreate: boolean; notice?: string | undefined }) {
  const { page, result } = props;
  const title = tr(page, "Quản lý thủ tục hành chính", "Manage administrative procedures");
  const href = (n: number) => `${ADMIN_CATALOG_PATH}?${new URLSearchParams({ ...(props.q ? { q: props.q } : {}), page: String(n) }).toString()}`;
  return (
    <Layout page={page} variant="office" title={title} current={ADMIN_CATALOG_PATH}>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <form method="get" action={ADMIN_CATALOG_PATH} class="inline-form" role="search">
        <div class="field">
          <label for="q">{tr(page, "Tên hoặc mã thủ tục", "Name or code")}</label>
          <input id="q" name="q" type="search" value={props.q} maxLength={200} />
        </div>
        <button type="submit">{tr(page, "Tìm", "Find")}</button>
      </form>
      {props.canCreate ? (
        <p>
          <a class="button" href={NEW_PROCEDURE_PATH}>
            {tr(page, "Thêm thủ tục", "Add a procedure")}
          </a>
        </p>
      ) : null}
      {result.items.length === 0 ? (
        <p>{tr(page, "Không có thủ tục nào bạn quản lý phù hợp.", "No procedure you administer matches.")}</p>
      ) : (
        <table>
          <caption>{tr(page, "Thủ tục của các cơ quan bạn quản lý, đã công bố và đang soạn", "Procedures of the agencies you administer, published and drafts")}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(page, "Tên thủ tục", "Name")}</th>
              <th scope="col">{tr(page, "Mã", "Code")}</th>
              <th scope="col">{tr(page, "Lĩnh vực", "Field")}</th>
              <th scope="col">{tr(page, "Trạng thái", "Status")}</th>
              <th scope="col">{tr(page, "Quyền", "Rights")}</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((p) => (
              <tr key={p.code}>
                <th scope="row">
                  <a href={adminProcedurePath(p.code)}>{p.name}</a>
                </th>
                <td class="nowrap">{p.code}</td>
                <td>{p.fieldName}</td>
                <td>{state(page, p)}</td>
                <td>{p.editable ? tr(page, "Sửa, công bố", "Edit, publish") : tr(page, "Chỉ xem", "Read only")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={page} result={result} link={(n) => ({ href: href(n) })} />
    </Layout>
  );
}

export function NewProcedurePage(props: { page: PageRequest; csrf: string; values: DraftFormValues; problems?: FieldProblem[] | undefined; error?: string | undefined }) {
  const { page } = props;
  const title = tr(page, "Thêm thủ tục hành chính", "Add an administrative procedure");
  return (
    <Layout page={page} variant="office" title={title} current={ADMIN_CATALOG_PATH}>
      <h1>{title}</h1>
      <p>{tr(page, "Thủ tục được lưu thành bản dự thảo phiên bản 1; người dân chỉ thấy sau khi công bố.", "The procedure is saved as draft version 1; the public sees it only once published.")}</p>
      {props.problems?.length || props.error ? (
        <ProblemList page={page} problems={props.problems ?? []} heading={props.error ?? tr(page, "Chưa lưu được: hãy sửa các mục sau.", "Not saved: correct the following.")} />
      ) : null}
      <DraftForm page={page} csrf={props.csrf} action={ADMIN_CATALOG_PATH} values={props.values} problems={props.problems} isNew submit={tr(page, "Lưu bản dự thảo", "Save the draft")} />
      <p>
        <a href={ADMIN_CATALOG_PATH}>{tr(page, "Quay lại danh sách", "Back to the list")}</a>
      </p>
    </Layout>
  );
}

export interface ProcedureAdminProps {
  page: PageRequest;
  csrf: string;
  code: string;
  name: string;
  versions: VersionInfo[];
  /** The draft's number, or null when every version is published (saving starts the next one). */
  draftVersion: number | null;
  editable: boolean;
  /** The form: the draft, else the version in force to start the next one from. */
  values: DraftFormValues;
  notice?: string | undefined;
  /** Problems of the posted form (kept as typed in `values`). */
  problems?: FieldProblem[] | undefined;
  error?: string | undefined;
  /** The outcome of "Kiểm tra" or of a refused "Công bố". */
  check?: { valid: boolean; problems: FieldProblem[]; refused: boolean } | undefined;
}

export function ProcedureAdminPage(props: ProcedureAdminProps) {
  const { page, code, versions } = props;
  const base = adminProcedurePath(code);
  const published = versions.filter((v) => v.status === "published");
  const when = (iso: string | null) => (iso ? formatDateTime(new Date(iso), page.lang) : "—");
  return (
    <Layout page={page} variant="office" title={`${props.name} (${code})`} current={ADMIN_CATALOG_PATH}>
      <p>
        <a href={ADMIN_CATALOG_PATH}>{tr(page, "← Danh sách thủ tục", "← All procedures")}</a>
      </p>
      <h1>{props.name}</h1>
      <p>
        {tr(page, "Mã thủ tục", "Procedure code")}: <strong>{code}</strong>
        {published.length ? (
          <>
            {" "}
            — <a href={procedurePath(code)}>{tr(page, "Xem trên Cổng dịch vụ công", "View on the portal")}</a>
          </>
        ) : null}
      </p>
      <Notice text={props.notice} />

      <h2 id="versions">{tr(page, "Các phiên bản", "Versions")}</h2>
      <table>
        <caption>{tr(page, "Lịch sử phiên bản", "Version history")}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(page, "Phiên bản", "Version")}</th>
            <th scope="col">{tr(page, "Trạng thái", "Status")}</th>
            <th scope="col">{tr(page, "Tạo lúc", "Created")}</th>
            <th scope="col">{tr(page, "Sửa lần cuối", "Last changed")}</th>
            <th scope="col">{tr(page, "Công bố lúc", "Published")}</th>
            <th scope="col">{tr(page, "So sánh", "Compare")}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">{v.version}</th>
              <td>{v.status === "published" ? tr(page, "Đã công bố", "Published") : tr(page, "Dự thảo", "Draft")}</td>
              <td>{when(v.createdAt)}</td>
              <td>{when(v.updatedAt)}</td>
              <td>{when(v.publishedAt)}</td>
              <td>
                {v.version > 1 ? (
                  <a href={diffPath(code, v.version - 1, v.version)}>{tr(page, `Với phiên bản ${v.version - 1}`, `With version ${v.version - 1}`)}</a>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {props.draftVersion ? (
        <>
          <h2 id="check">{tr(page, `Kiểm tra và công bố bản dự thảo (phiên bản ${props.draftVersion})`, `Check and publish the draft (version ${props.draftVersion})`)}</h2>
          {props.check ? (
            props.check.valid ? (
              <p class="notice" role="status">
                {tr(page, "Bản dự thảo đủ điều kiện công bố.", "The draft can be published.")}
              </p>
            ) : (
              <ProblemList
                page={page}
                problems={props.check.problems}
                heading={
                  props.check.refused
                    ? tr(page, `Chưa công bố được: bản dự thảo còn ${props.check.problems.length} lỗi.`, `Not published: the draft has ${props.check.problems.length} problem(s).`)
                    : tr(page, `Bản dự thảo còn ${props.check.problems.length} lỗi cần sửa trước khi công bố.`, `The draft has ${props.check.problems.length} problem(s) to correct before publishing.`)
                }
              />
            )
          ) : null}
          <div class="actions">
            <form method="get" action={`${base}/kiem-tra`}>
              <button type="submit">{tr(page, "Kiểm tra", "Check")}</button>
            </form>
            {props.editable ? (
              <form method="post" action={`${base}/cong-bo`}>
                <input type="hidden" name="_csrf" value={props.csrf} />
                <button type="submit">{tr(page, "Công bố", "Publish")}</button>
              </form>
            ) : null}
          </div>
        </>
      ) : null}

      {props.editable ? (
        <>
          <h2 id="edit">
            {props.draftVersion
              ? tr(page, `Sửa bản dự thảo (phiên bản ${props.draftVersion})`, `Edit the draft (version ${props.draftVersion})`)
              : tr(page, "Soạn phiên bản mới", "Draft a new version")}
          </h2>
          {props.draftVersion ? null : (
            <p>{tr(page, "Mọi phiên bản đã công bố không thay đổi được; lưu biểu mẫu dưới đây tạo bản dự thảo phiên bản tiếp theo.", "Published versions never change; saving the form below starts the next version as a draft.")}</p>
          )}
          {props.problems?.length || props.error ? (
            <ProblemList page={page} problems={props.problems ?? []} heading={props.error ?? tr(page, "Chưa lưu được: hãy sửa các mục sau.", "Not saved: correct the following.")} />
          ) : null}
          <DraftForm page={page} csrf={props.csrf} action={base} values={props.values} problems={props.problems} isNew={false} submit={tr(page, "Lưu bản dự thảo", "Save the draft")} />
        </>
      ) : (
        <p>{tr(page, "Bạn chỉ xem được thủ tục này: quản trị viên của mọi cơ quan thực hiện mới sửa và công bố được.", "You may only read this procedure: administrators of every implementing agency edit and publish it.")}</p>
      )}
    </Layout>
  );
}

const KIND: Record<Change["kind"], [string, string]> = { added: ["Thêm mới", "Added"], removed: ["Bỏ", "Removed"], changed: ["Sửa đổi", "Changed"] };

/** A value of a change as short text; JSON only for nested values. */
function Shown({ page, value }: { page: PageRequest; value: unknown }) {
  if (value === null || value === undefined) return <>—</>;
  if (typeof value === "string") return <>{value}</>;
  if (typeof value === "number") return <>{formatNumber(value, page.lang)}</>;
  if (typeof value === "boolean") return <>{value ? tr(page, "Có", "Yes") : tr(page, "Không", "No")}</>;
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return <>{value.join(", ")}</>;
  return (
    <pre>
      <code>{JSON.stringify(value, null, 2)}</code>
    </pre>
  );
}

export function DiffPage(props: { page: PageRequest; code: string; name: string; versions: VersionInfo[]; diff: VersionDiff }) {
  const { page, diff, code } = props;
  const title = tr(page, `So sánh phiên bản ${diff.from} và ${diff.to}`, `Versions ${diff.from} and ${diff.to} compared`);
  const select = (id: "from" | "to", label: string, value: number) => (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={id}>
        {props.versions.map((v) => (
          <option key={v.version} value={String(v.version)} selected={v.version === value}>
            {v.version} ({v.status === "published" ? tr(page, "đã công bố", "published") : tr(page, "dự thảo", "draft")})
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Layout page={page} variant="office" title={`${title} — ${props.name}`} current={ADMIN_CATALOG_PATH}>
      <p>
        <a href={adminProcedurePath(code)}>
          ← {props.name} ({code})
        </a>
      </p>
      <h1>{title}</h1>
      <p>
        {props.name} ({code})
      </p>
      <form method="get" action={`${adminProcedurePath(code)}/so-sanh`} class="inline-form">
        {select("from", tr(page, "Từ phiên bản", "From version"), diff.from)}
        {select("to", tr(page, "Đến phiên bản", "To version"), diff.to)}
        <button type="submit">{tr(page, "So sánh", "Compare")}</button>
      </form>
      {diff.changes.length === 0 ? (
        <p class="notice" role="status">
          {tr(page, "Hai phiên bản giống nhau.", "The two versions are the same.")}
        </p>
      ) : (
        <table>
          <caption>{tr(page, `${diff.changes.length} thay đổi`, `${diff.changes.length} change(s)`)}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(page, "Mục", "Part")}</th>
              <th scope="col">{tr(page, "Thay đổi", "Change")}</th>
              <th scope="col">{tr(page, `Phiên bản ${diff.from}`, `Version ${diff.from}`)}</th>
              <th scope="col">{tr(page, `Phiên bản ${diff.to}`, `Version ${diff.to}`)}</th>
            </tr>
          </thead>
          <tbody>
            {diff.changes.map((c, i) => (
              <tr key={i}>
                <th scope="row">{page.lang === "en" ? readablePath(page, c.path) : c.section}</th>
                <td>{tr(page, KIND[c.kind][0], KIND[c.kind][1])}</td>
                <td>
                  <Shown page={page} value={c.before} />
                </td>
                <td>
                  <Shown page={page} value={c.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
