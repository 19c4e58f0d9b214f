// The administration of officer accounts, its list and its form: an agency administrator lists the
// officers of their subtree, agency by agency, and creates officers with a department and roles. The rules
// are the identity service's; these pages only present them.
import { Type } from "../../../platform/typebox.ts";
import { ADMINS } from "../../../platform/http/access.ts";
import { DomainError, type FieldProblem, NotFound } from "../../../platform/http/errors.ts";
import type { App } from "../../../platform/http/types.ts";
import { csrfToken } from "../../../web/cookies.ts";
import { Field, Problems } from "../../../web/fields.tsx";
import { FormList, FormText, pageQuery, pageSchema, postedForm } from "../../../web/forms.ts";
import { tr } from "../../../web/i18n.ts";
import { Layout } from "../../../web/layout.tsx";
import { answerFor } from "../../../web/page-errors.tsx";
import { type PageRequest, pageRequest, sendPage } from "../../../web/render.ts";
import { InvalidAccount } from "../errors.ts";
import type { IdentityService, UserView } from "../service.ts";
import { type AdminLookups, type AgencyChoice, type AgencyView, DepartmentSelect, grantsOf, RoleBoxes, roleName, StatusText } from "./admin-parts.tsx";
import { ADMIN_ACCOUNTS_PATH, NEW_OFFICER_PATH, officerPath } from "./paths.ts";
import { meta } from "./support.ts";

export function OfficersPage(props: {
  page: PageRequest;
  choices: AgencyChoice[];
  agency: AgencyChoice | null;
  officers: UserView[];
  agencyNames: Map<string, string>;
}) {
  const { page } = props;
  const title = tr(page, "Quản trị tài khoản cán bộ", "Officer accounts");
  return (
    <Layout page={page} variant="office" title={title}>
      <h1>{title}</h1>
      <form method="get" action={ADMIN_ACCOUNTS_PATH} class="inline-form">
        <div class="field">
          <label for="agency">{tr(page, "Cơ quan", "Agency")}</label>
          <select id="agency" name="agency">
            {props.choices.map((c) => (
              <option key={c.code} value={c.code} selected={c.code === props.agency?.code}>
                {c.name} ({c.code})
              </option>
            ))}
          </select>
        </div>
        <button class="button" type="submit">
          {tr(page, "Xem", "Show")}
        </button>
      </form>
      {props.agency ? (
        <>
          <p>
            <a class="button" href={`${NEW_OFFICER_PATH}?agency=${encodeURIComponent(props.agency.code)}`}>
              {tr(page, "Tạo tài khoản cán bộ", "Create an officer account")}
            </a>
          </p>
          <table>
            <caption>
              {tr(page, "Cán bộ của", "Officers of")} {props.agency.name} {tr(page, "và các đơn vị trực thuộc", "and the units under it")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{tr(page, "Tên đăng nhập", "Username")}</th>
                <th scope="col">{tr(page, "Họ và tên", "Name")}</th>
                <th scope="col">{tr(page, "Cơ quan", "Agency")}</th>
                <th scope="col">{tr(page, "Vai trò", "Roles")}</th>
                <th scope="col">{tr(page, "Trạng thái", "Status")}</th>
              </tr>
            </thead>
            <tbody>
              {props.officers.map((u) => (
                <tr key={u.id}>
                  <td>
                    <a href={officerPath(u.id)}>{u.username}</a>
                  </td>
                  <td>{u.fullName}</td>
                  <td>{u.agencyCode ? (props.agencyNames.get(u.agencyCode) ?? u.agencyCode) : "—"}</td>
                  <td>{u.roles.map((r) => roleName(page, r.role)).join(", ") || "—"}</td>
                  <td>
                    <StatusText page={page} user={u} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {props.officers.length === 0 ? <p>{tr(page, "Chưa có tài khoản cán bộ.", "No officer accounts yet.")}</p> : null}
        </>
      ) : (
        <p>{tr(page, "Bạn không quản trị cơ quan nào.", "You administer no agency.")}</p>
      )}
    </Layout>
  );
}

export interface NewOfficerValues {
  username?: string;
  fullName?: string;
  email?: string;
  departmentCode?: string;
  roles?: Array<{ role: string; agencyCode: string }>;
}

export function NewOfficerPage(props: {
  page: PageRequest;
  csrf: string;
  agency: AgencyView;
  agencyNames: Map<string, string>;
  values?: NewOfficerValues;
  fields?: FieldProblem[] | undefined;
  error?: string | undefined;
}) {
  const { page, agency } = props;
  const v = props.values ?? {};
  const bad = (path: string) => props.fields?.some((f) => f.path === path || f.path.startsWith(`${path}/`)) ?? false;
  const title = tr(page, "Tạo tài khoản cán bộ", "Create an officer account");
  return (
    <Layout page={page} variant="office" title={title}>
      <h1>{title}</h1>
      <p>
        {tr(page, "Cơ quan:", "Agency:")} <strong>{agency.name}</strong> ({agency.code})
      </p>
      <Problems page={page} message={props.error} fields={props.fields} />
      <form method="post" action={ADMIN_ACCOUNTS_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="agencyCode" value={agency.code} />
        <Field
          id="username"
          label={tr(page, "Tên đăng nhập", "Username")}
          value={v.username}
          autocomplete="off"
          invalid={bad("/username")}
          hint={tr(page, "3–64 chữ thường không dấu, chữ số, dấu chấm hoặc gạch, ví dụ chuyenvien.tuphap.", "3–64 lower-case letters without diacritics, digits, dots or dashes, e.g. chuyenvien.tuphap.")}
        />
        <Field id="fullName" label={tr(page, "Họ và tên", "Full name")} value={v.fullName} autocomplete="off" invalid={bad("/fullName")} />
        <Field id="email" label={tr(page, "Thư điện tử", "Email")} type="email" value={v.email} autocomplete="off" required={false} invalid={bad("/email")} />
        <DepartmentSelect page={page} agency={agency} value={v.departmentCode ?? null} invalid={bad("/departmentCode")} />
        <RoleBoxes page={page} agencyCode={agency.code} held={v.roles ?? []} agencyNames={props.agencyNames} />
        <Field
          id="password"
          label={tr(page, "Mật khẩu ban đầu", "Initial password")}
          type="password"
          autocomplete="new-password"
          invalid={bad("/password")}
          hint={tr(page, "Ít nhất 10 ký tự, có cả chữ và số. Cán bộ đăng ký xác thực hai bước ở lần đăng nhập đầu và nên đổi mật khẩu.", "At least 10 characters, with letters and digits. The officer sets up two-step verification at the first sign-in and should change the password.")}
        />
        <button class="button" type="submit">
          {tr(page, "Tạo tài khoản", "Create the account")}
        </button>
      </form>
      <p>
        <a href={`${ADMIN_ACCOUNTS_PATH}?agency=${encodeURIComponent(agency.code)}`}>{tr(page, "Quay lại danh sách", "Back to the list")}</a>
      </p>
    </Layout>
  );
}

const AgencyQuery = pageSchema({ querystring: Type.Object({ agency: FormText() }) });
const NewOfficerForm = pageSchema({
  body: Type.Object({
    agencyCode: FormText(),
    username: FormText(),
    fullName: FormText(),
    email: FormText(),
    departmentCode: FormText(),
    role: FormList(),
    password: FormText(),
  }),
});

/** The list of officers, and the creation of one. */
export function officerListRoutes(app: App, identity: IdentityService, { agencyView, choicesFor, names }: AdminLookups): void {
  app.get(ADMIN_ACCOUNTS_PATH, { config: { access: ADMINS }, ...AgencyQuery }, async (request, reply) => {
    const choices = await choicesFor(request);
    const asked = pageQuery(request).agency ?? "";
    const agency = await agencyView(asked || choices[0]?.code || null);
    if (asked && !agency) throw new NotFound();
    // `officers` checks that the actor administers the agency (403 otherwise).
    const officers = agency ? await identity.officers(request.actor, agency.code) : [];
    const page = pageRequest(request);
    return sendPage(
      reply,
      <OfficersPage page={page} choices={choices} agency={agency ? { code: agency.code, name: agency.name } : null} officers={officers} agencyNames={names(choices)} />,
    );
  });

  app.get(NEW_OFFICER_PATH, { config: { access: ADMINS }, ...AgencyQuery }, async (request, reply) => {
    const choices = await choicesFor(request);
    const agency = await agencyView(pageQuery(request).agency || choices[0]?.code || null);
    if (!agency) throw new NotFound();
    // Only an agency the actor administers (the service refuses the others: 403).
    await identity.officers(request.actor, agency.code);
    return sendPage(reply, <NewOfficerPage page={pageRequest(request)} csrf={csrfToken(request, reply)} agency={agency} agencyNames={names(choices)} />);
  });

  app.post(ADMIN_ACCOUNTS_PATH, { config: { access: ADMINS }, ...NewOfficerForm }, async (request, reply) => {
    const form = postedForm(request);
    const v = form.values;
    const agency = await agencyView(v.agencyCode ?? "");
    if (!agency) throw new NotFound();
    const roles = grantsOf(v.role);
    const values: NewOfficerValues = {
      username: v.username ?? "",
      fullName: v.fullName ?? "",
      email: v.email ?? "",
      departmentCode: v.departmentCode ?? "",
      roles: roles.map((g) => ({ role: g.role, agencyCode: g.agencyCode ?? agency.code })),
    };
    const page = pageRequest(request);
    try {
      if (!form.ok) throw form.failure;
      if (roles.length === 0) throw new InvalidAccount([{ path: "/roles", message: tr(page, "Chọn ít nhất một vai trò.", "Choose at least one role.") }]);
      const user = await identity.createOfficer(
        request.actor,
        {
          username: values.username ?? "",
          fullName: values.fullName ?? "",
          email: values.email || null,
          agencyCode: agency.code,
          departmentCode: values.departmentCode || null,
          roles,
          password: v.password ?? "",
        },
        meta(request),
      );
      return reply.redirect(`${officerPath(user.id)}?da=tao-moi`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === "forbidden") throw err;
      const choices = await choicesFor(request);
      const status = answerFor(reply, err);
      return sendPage(
        reply,
        <NewOfficerPage page={page} csrf={csrfToken(request, reply)} agency={agency} agencyNames={names(choices)} values={values} fields={err.fields} error={err.messages[page.lang]} />,
        status,
      );
    }
  });
}
