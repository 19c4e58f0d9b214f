// One officer account in the administration: its department and roles, disabling and enabling it, and
// resetting a lost second factor. Each change redirects back to the officer's page (Post/Redirect/Get), or
// is refused there.
import { Type } from "../../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ADMINS } from "../../../platform/http/access.ts";
import { DomainError, type FieldProblem } from "../../../platform/http/errors.ts";
import type { App } from "../../../platform/http/types.ts";
import { csrfToken } from "../../../web/cookies.ts";
import { Problems } from "../../../web/fields.tsx";
import { doneNotice, FormList, FormText, pageQuery, pageSchema, postedForm } from "../../../web/forms.ts";
import { tr } from "../../../web/i18n.ts";
import { Layout } from "../../../web/layout.tsx";
import { answerFor } from "../../../web/page-errors.tsx";
import { type PageRequest, pageRequest, sendPage } from "../../../web/render.ts";
import type { IdentityService, UserView } from "../service.ts";
import { type AdminLookups, type AgencyView, DepartmentSelect, departmentName, grantsOf, Notice, RoleBoxes, StatusText } from "./admin-parts.tsx";
import { ADMIN_ACCOUNTS_PATH, officerPath } from "./paths.ts";
import { meta } from "./support.ts";

export function OfficerPage(props: {
  page: PageRequest;
  csrf: string;
  officer: UserView & { secondFactor: boolean };
  agency: AgencyView | null;
  agencyNames: Map<string, string>;
  self: boolean;
  notice?: string | undefined;
  error?: string | undefined;
  fields?: FieldProblem[] | undefined;
}) {
  const { page, officer, agency } = props;
  const base = officerPath(officer.id);
  const title = `${officer.fullName} (${officer.username})`;
  return (
    <Layout page={page} variant="office" title={title}>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <Problems page={page} message={props.error} fields={props.fields} />
      <dl>
        <dt>{tr(page, "Cơ quan", "Agency")}</dt>
        <dd>{agency ? `${agency.name} (${agency.code})` : (officer.agencyCode ?? "—")}</dd>
        <dt>{tr(page, "Phòng ban", "Department")}</dt>
        <dd>{departmentName(page, agency, officer.departmentCode)}</dd>
        <dt>{tr(page, "Thư điện tử", "Email")}</dt>
        <dd>{officer.email ?? "—"}</dd>
        <dt>{tr(page, "Trạng thái", "Status")}</dt>
        <dd id="status">
          <StatusText page={page} user={officer} />
        </dd>
        <dt>{tr(page, "Xác thực hai bước", "Two-step verification")}</dt>
        <dd id="second-factor">{officer.secondFactor ? tr(page, "Đã đăng ký", "Set up") : tr(page, "Chưa đăng ký", "Not set up")}</dd>
      </dl>

      {agency ? (
        <>
          <h2>{tr(page, "Phòng ban", "Department")}</h2>
          <form method="post" action={`${base}/phong-ban`} class="inline-form">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <DepartmentSelect page={page} agency={agency} value={officer.departmentCode} />
            <button class="button" type="submit">
              {tr(page, "Lưu phòng ban", "Save the department")}
            </button>
          </form>

          <h2>{tr(page, "Vai trò", "Roles")}</h2>
          <form method="post" action={`${base}/vai-tro`} class="stack">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <RoleBoxes page={page} agencyCode={agency.code} held={officer.roles} agencyNames={props.agencyNames} />
            <button class="button" type="submit">
              {tr(page, "Lưu vai trò", "Save the roles")}
            </button>
          </form>
        </>
      ) : null}

      {props.self ? (
        <p>{tr(page, "Đây là tài khoản của bạn: không thể tự khóa hay tự đặt lại xác thực hai bước.", "This is your own account: you cannot disable it or reset its second factor.")}</p>
      ) : (
        <>
          <h2>{tr(page, "Tài khoản", "Account")}</h2>
          {officer.secondFactor ? (
            <form method="post" action={`${base}/dat-lai-xac-thuc`}>
              <input type="hidden" name="_csrf" value={props.csrf} />
              <p>
                {tr(
                  page,
                  "Khi cán bộ mất thiết bị xác thực: xóa xác thực hai bước; mọi phiên đăng nhập của cán bộ kết thúc và lần đăng nhập tới sẽ đăng ký lại.",
                  "When the officer has lost the authenticator: remove the second factor; every session of theirs ends and the next sign-in sets it up again.",
                )}
              </p>
              <button class="button" type="submit">
                {tr(page, "Đặt lại xác thực hai bước", "Reset two-step verification")}
              </button>
            </form>
          ) : null}
          {officer.status === "active" ? (
            <form method="post" action={`${base}/khoa`}>
              <input type="hidden" name="_csrf" value={props.csrf} />
              <p>{tr(page, "Khóa tài khoản: cán bộ không đăng nhập được nữa, các phiên đang mở kết thúc ngay.", "Disable the account: the officer can no longer sign in and open sessions end at once.")}</p>
              <button class="button" type="submit">
                {tr(page, "Khóa tài khoản", "Disable the account")}
              </button>
            </form>
          ) : (
            <form method="post" action={`${base}/mo-khoa`}>
              <input type="hidden" name="_csrf" value={props.csrf} />
              <button class="button" type="submit">
                {tr(page, "Mở khóa tài khoản", "Enable the account")}
              </button>
            </form>
          )}
        </>
      )}
      <p>
        <a href={`${ADMIN_ACCOUNTS_PATH}${officer.agencyCode ? `?agency=${encodeURIComponent(officer.agencyCode)}` : ""}`}>
          {tr(page, "Quay lại danh sách", "Back to the list")}
        </a>
      </p>
    </Layout>
  );
}

/** What was done, by the `?da=` key of the address a change redirects to. */
const DONE: Readonly<Record<string, readonly [string, string]>> = {
  "tao-moi": ["Đã tạo tài khoản cán bộ.", "The officer account was created."],
  "phong-ban": ["Đã lưu phòng ban.", "The department was saved."],
  "vai-tro": ["Đã lưu vai trò.", "The roles were saved."],
  khoa: ["Đã khóa tài khoản; các phiên đăng nhập đã kết thúc.", "The account was disabled; its sessions ended."],
  "mo-khoa": ["Đã mở khóa tài khoản.", "The account was enabled."],
  "dat-lai-xac-thuc": ["Đã đặt lại xác thực hai bước; cán bộ sẽ đăng ký lại ở lần đăng nhập tới.", "The second factor was reset; the officer sets it up again at the next sign-in."],
};

const Officer = Type.Object({ id: Type.String() });
const OfficerQuery = pageSchema({ params: Officer, querystring: Type.Object({ da: FormText() }) });
const ChangeForm = pageSchema({ params: Officer, body: Type.Object({ departmentCode: FormText(), role: FormList() }) });

/** One officer's page and its changes. */
export function officerRoutes(app: App, identity: IdentityService, { agencyView, choicesFor, names }: AdminLookups): void {
  const showOfficer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { notice?: string | undefined; error?: string; fields?: FieldProblem[] } = {},
    status = 200,
  ) => {
    const officer = await identity.officer(request.actor, id);
    const agency = await agencyView(officer.agencyCode);
    const choices = await choicesFor(request);
    const self = request.actor.type === "user" && request.actor.userId === officer.id;
    return sendPage(
      reply,
      <OfficerPage page={pageRequest(request)} csrf={csrfToken(request, reply)} officer={officer} agency={agency} agencyNames={names(choices)} self={self} {...extra} />,
      status,
    );
  };

  app.get(`${ADMIN_ACCOUNTS_PATH}/:id`, { config: { access: ADMINS }, ...OfficerQuery }, async (request, reply) => {
    const notice = doneNotice(pageRequest(request), pageQuery(request).da, DONE);
    return showOfficer(request, reply, request.params.id, notice ? { notice } : {});
  });

  /** A change to one officer: done, then back to their page (Post/Redirect/Get); refused, shown there. */
  const change = (path: string, run: (request: FastifyRequest, id: string, form: { departmentCode?: string; role?: string[] }) => Promise<unknown>) =>
    app.post(`${ADMIN_ACCOUNTS_PATH}/:id/${path}`, { config: { access: ADMINS }, ...ChangeForm }, async (request, reply) => {
      const form = postedForm(request);
      const { id } = request.params;
      try {
        if (!form.ok) throw form.failure;
        await run(request, id, form.values);
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind === "forbidden" || err.kind === "not_found") throw err;
        const status = answerFor(reply, err);
        return showOfficer(request, reply, id, { error: err.messages[pageRequest(request).lang], ...(err.fields ? { fields: err.fields } : {}) }, status);
      }
      return reply.redirect(`${officerPath(id)}?da=${path}`, 303);
    });

  change("phong-ban", (request, id, form) => identity.setDepartment(request.actor, id, form.departmentCode || null, meta(request)));
  change("vai-tro", (request, id, form) => identity.setRoles(request.actor, id, grantsOf(form.role), meta(request)));
  change("khoa", (request, id) => identity.disable(request.actor, id, meta(request)));
  change("mo-khoa", (request, id) => identity.enable(request.actor, id, meta(request)));
  change("dat-lai-xac-thuc", (request, id) => identity.resetSecondFactor(request.actor, id, meta(request)));
}
