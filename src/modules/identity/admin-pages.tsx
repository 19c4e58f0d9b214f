// Administration pages of officer accounts (office): an agency administrator lists the officers of
// their subtree, creates officers, assigns departments and roles, disables and re-enables accounts and
// resets a lost second factor. The rules are the identity service's; these pages only present them.
import formbody from "@fastify/formbody";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Role } from "../../platform/auth/actor.ts";
import { ADMINS } from "../../platform/http/access.ts";
import { DomainError, type FieldProblem, NotFound } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { tr } from "../../web/i18n.ts";
import { Layout } from "../../web/layout.tsx";
import { type PageRequest, pageRequest, sendPage } from "../../web/render.ts";
import type { DirectoryService } from "../directory/service.ts";
import { CsrfRejected, InvalidAccount } from "./errors.ts";
import { registerPageErrors } from "./page-errors.tsx";
import { PARTIES } from "./relying-party/paths.ts";

const OFFICE_SIGN_IN_PATH = PARTIES.office.signIn;
import { ACCOUNT_PATH, ADMIN_ACCOUNTS_PATH, Field, Problems } from "./pages.tsx";
import type { IdentityService, UserView } from "./service.ts";
import { csrfToken, csrfValid } from "../../web/cookies.ts";

const HIDDEN = { schema: { hide: true } } as const;
type Form = Record<string, string | string[] | undefined>;

export const NEW_OFFICER_PATH = `${ADMIN_ACCOUNTS_PATH}/moi`;
const officerPath = (id: string) => `${ADMIN_ACCOUNTS_PATH}/${encodeURIComponent(id)}`;

/** The roles an administrator grants to officers, with their names. */
const OFFICER_ROLES: ReadonlyArray<{ role: Role; vi: string; en: string }> = [
  { role: "receiver", vi: "Tiếp nhận hồ sơ", en: "Receiver" },
  { role: "specialist", vi: "Chuyên viên", en: "Specialist" },
  { role: "leader", vi: "Lãnh đạo", en: "Leader" },
  { role: "supervisor", vi: "Giám sát (chỉ xem)", en: "Supervisor (read-only)" },
  { role: "agency_admin", vi: "Quản trị cơ quan", en: "Agency administrator" },
];
const ROLE_NAMES: Record<string, [string, string]> = {
  ...Object.fromEntries(OFFICER_ROLES.map((r) => [r.role, [r.vi, r.en] as [string, string]])),
  system_admin: ["Quản trị hệ thống", "System administrator"],
  citizen: ["Công dân", "Citizen"],
  business: ["Doanh nghiệp", "Business"],
};
const roleName = (page: PageRequest, role: string) => {
  const names = ROLE_NAMES[role];
  return names ? tr(page, names[0], names[1]) : role;
};

interface AgencyChoice {
  code: string;
  name: string;
}

interface AgencyView extends AgencyChoice {
  departments: Array<{ code: string; name: string; nameEn: string | null }>;
}

const departmentName = (page: PageRequest, agency: AgencyView | null, code: string | null) => {
  if (!code) return "—";
  const d = agency?.departments.find((x) => x.code === code);
  return d ? (page.lang === "en" && d.nameEn ? d.nameEn : d.name) : code;
};

function Notice({ text }: { text?: string | undefined }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}

function StatusText({ page, user }: { page: PageRequest; user: UserView }) {
  return user.status === "active" ? <>{tr(page, "Đang hoạt động", "Active")}</> : <strong>{tr(page, "Đã khóa", "Disabled")}</strong>;
}

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

function DepartmentSelect(props: { page: PageRequest; agency: AgencyView; value: string | null; invalid?: boolean }) {
  const { page } = props;
  return (
    <div class="field">
      <label for="departmentCode">{tr(page, "Phòng ban", "Department")}</label>
      <select id="departmentCode" name="departmentCode" aria-invalid={props.invalid ? "true" : undefined}>
        <option value="">{tr(page, "— Không thuộc phòng ban nào —", "— No department —")}</option>
        {props.agency.departments.map((d) => (
          <option key={d.code} value={d.code} selected={d.code === props.value}>
            {page.lang === "en" && d.nameEn ? d.nameEn : d.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Checkboxes `role=<role>@<agency>` for the officer roles at `agencyCode`, plus any other grant held. */
function RoleBoxes(props: { page: PageRequest; agencyCode: string; held: Array<{ role: string; agencyCode: string }>; agencyNames: Map<string, string> }) {
  const { page } = props;
  const boxes = OFFICER_ROLES.map((r) => ({ role: r.role as string, agencyCode: props.agencyCode }));
  for (const g of props.held) if (!boxes.some((b) => b.role === g.role && b.agencyCode === g.agencyCode)) boxes.push(g);
  return (
    <fieldset class="field">
      <legend>{tr(page, "Vai trò", "Roles")}</legend>
      {boxes.map((b, i) => {
        const id = `role-${i}`;
        const scope = b.agencyCode ? (props.agencyNames.get(b.agencyCode) ?? b.agencyCode) : tr(page, "toàn hệ thống", "everywhere");
        return (
          <div key={id}>
            <input
              type="checkbox"
              id={id}
              name="role"
              value={`${b.role}@${b.agencyCode}`}
              checked={props.held.some((g) => g.role === b.role && g.agencyCode === b.agencyCode)}
            />{" "}
            <label for={id}>
              {roleName(page, b.role)} — {scope}
            </label>
          </div>
        );
      })}
    </fieldset>
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
const DONE: Record<string, [string, string]> = {
  "tao-moi": ["Đã tạo tài khoản cán bộ.", "The officer account was created."],
  "phong-ban": ["Đã lưu phòng ban.", "The department was saved."],
  "vai-tro": ["Đã lưu vai trò.", "The roles were saved."],
  khoa: ["Đã khóa tài khoản; các phiên đăng nhập đã kết thúc.", "The account was disabled; its sessions ended."],
  "mo-khoa": ["Đã mở khóa tài khoản.", "The account was enabled."],
  "dat-lai-xac-thuc": ["Đã đặt lại xác thực hai bước; cán bộ sẽ đăng ký lại ở lần đăng nhập tới.", "The second factor was reset; the officer sets it up again at the next sign-in."],
};

const STATUS: Record<string, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429 };

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** `role@agency` checkbox values as grants (the service checks roles and scopes). */
function grantsOf(form: Form): Array<{ role: Role; agencyCode?: string }> {
  return list(form.role)
    .slice(0, 20)
    .map((v) => {
      const at = v.indexOf("@");
      const role = (at < 0 ? v : v.slice(0, at)) as Role;
      const agencyCode = at < 0 ? "" : v.slice(at + 1);
      return agencyCode ? { role, agencyCode } : { role };
    });
}

const text = (value: string | string[] | undefined) => (typeof value === "string" ? value : "");

export function adminPages(identity: IdentityService, directory: DirectoryService) {
  return async (app: App) => {
    await app.register(formbody);
    registerPageErrors(app, {
      signInReturn: ADMIN_ACCOUNTS_PATH,
      // Office pages: the office signs people in as a relying party (web/relying-party).
      signInPath: OFFICE_SIGN_IN_PATH,
      back: { href: ACCOUNT_PATH, vi: "Tài khoản của tôi", en: "My account" },
    });

    const meta = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers["user-agent"] ?? null, requestId: request.id });
    const formOf = (request: FastifyRequest): Form => {
      const form = (request.body ?? {}) as Form;
      if (!csrfValid(request, form._csrf)) throw new CsrfRejected();
      return form;
    };

    const agencyView = async (code: string | null): Promise<AgencyView | null> => {
      if (!code) return null;
      try {
        const a = await directory.agency(code);
        return { code: a.code, name: a.name, departments: a.departments };
      } catch {
        return null;
      }
    };

    /** The agencies the actor may pick: each administered subtree, by name (at most 300). */
    const choicesFor = async (request: FastifyRequest): Promise<AgencyChoice[]> => {
      const out: AgencyChoice[] = [];
      for (const root of await identity.administeredAgencies(request.actor)) {
        for (const code of await directory.subtree(root)) {
          if (out.length >= 300 || out.some((c) => c.code === code)) continue;
          const a = await agencyView(code);
          if (a) out.push({ code: a.code, name: a.name });
        }
      }
      return out;
    };

    const names = (choices: AgencyChoice[]) => new Map(choices.map((c) => [c.code, c.name]));

    app.get(ADMIN_ACCOUNTS_PATH, { config: { access: ADMINS }, ...HIDDEN }, async (request, reply) => {
      const choices = await choicesFor(request);
      const asked = text((request.query as Form).agency);
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

    app.get(NEW_OFFICER_PATH, { config: { access: ADMINS }, ...HIDDEN }, async (request, reply) => {
      const choices = await choicesFor(request);
      const agency = await agencyView(text((request.query as Form).agency) || choices[0]?.code || null);
      if (!agency) throw new NotFound();
      // Only an agency the actor administers (the service refuses the others: 403).
      await identity.officers(request.actor, agency.code);
      return sendPage(reply, <NewOfficerPage page={pageRequest(request)} csrf={csrfToken(request, reply)} agency={agency} agencyNames={names(choices)} />);
    });

    app.post(ADMIN_ACCOUNTS_PATH, { config: { access: ADMINS }, ...HIDDEN }, async (request, reply) => {
      const form = formOf(request);
      const agency = await agencyView(text(form.agencyCode));
      if (!agency) throw new NotFound();
      const values: NewOfficerValues = {
        username: text(form.username),
        fullName: text(form.fullName),
        email: text(form.email),
        departmentCode: text(form.departmentCode),
        roles: grantsOf(form).map((g) => ({ role: g.role, agencyCode: g.agencyCode ?? agency.code })),
      };
      try {
        const roles = grantsOf(form);
        if (roles.length === 0) {
          const page = pageRequest(request);
          throw new InvalidAccount([{ path: "/roles", message: tr(page, "Chọn ít nhất một vai trò.", "Choose at least one role.") }]);
        }
        const user = await identity.createOfficer(
          request.actor,
          {
            username: values.username ?? "",
            fullName: values.fullName ?? "",
            email: values.email || null,
            agencyCode: agency.code,
            departmentCode: values.departmentCode || null,
            roles,
            password: text(form.password),
          },
          meta(request),
        );
        return reply.redirect(`${officerPath(user.id)}?da=tao-moi`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind === "forbidden") throw err;
        const choices = await choicesFor(request);
        return sendPage(
          reply,
          <NewOfficerPage
            page={pageRequest(request)}
            csrf={csrfToken(request, reply)}
            agency={agency}
            agencyNames={names(choices)}
            values={values}
            fields={err.fields}
            error={err.messages[pageRequest(request).lang]}
          />,
          STATUS[err.kind] ?? 400,
        );
      }
    });

    const showOfficer = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      extra: { notice?: string; error?: string; fields?: FieldProblem[] } = {},
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

    app.get(`${ADMIN_ACCOUNTS_PATH}/:id`, { config: { access: ADMINS }, ...HIDDEN }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const done = DONE[text((request.query as Form).da)];
      const page = pageRequest(request);
      return showOfficer(request, reply, id, done ? { notice: tr(page, done[0], done[1]) } : {});
    });

    /** A change to one officer: done, then back to their page (Post/Redirect/Get); refused, shown there. */
    const change = (path: string, key: string, run: (request: FastifyRequest, id: string, form: Form) => Promise<unknown>) =>
      app.post(`${ADMIN_ACCOUNTS_PATH}/:id/${path}`, { config: { access: ADMINS }, ...HIDDEN }, async (request, reply) => {
        const form = formOf(request);
        const { id } = request.params as { id: string };
        try {
          await run(request, id, form);
        } catch (err) {
          if (!(err instanceof DomainError) || err.kind === "forbidden" || err.kind === "not_found") throw err;
          return showOfficer(request, reply, id, { error: err.messages[pageRequest(request).lang], ...(err.fields ? { fields: err.fields } : {}) }, STATUS[err.kind] ?? 400);
        }
        return reply.redirect(`${officerPath(id)}?da=${key}`, 303);
      });

    change("phong-ban", "phong-ban", (request, id, form) => identity.setDepartment(request.actor, id, text(form.departmentCode) || null, meta(request)));
    change("vai-tro", "vai-tro", (request, id, form) => identity.setRoles(request.actor, id, grantsOf(form), meta(request)));
    change("khoa", "khoa", (request, id) => identity.disable(request.actor, id, meta(request)));
    change("mo-khoa", "mo-khoa", (request, id) => identity.enable(request.actor, id, meta(request)));
    change("dat-lai-xac-thuc", "dat-lai-xac-thuc", (request, id) => identity.resetSecondFactor(request.actor, id, meta(request)));
  };
}
