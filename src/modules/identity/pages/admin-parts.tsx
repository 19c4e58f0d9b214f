// What the administration pages of officer accounts share: the roles' names, the agencies an administrator
// may pick, the department and role fields, and the grants a form posts.
import type { FastifyRequest } from "fastify";
import { OFFICER_ROLES, type Role } from "../../../platform/auth/actor.ts";
import { tr } from "../../../web/i18n.ts";
import type { PageRequest } from "../../../web/render.ts";
import type { DirectoryService } from "../../directory/index.ts";
import type { IdentityService, UserView } from "../service.ts";

/** Every role's name on the pages; the roles an administrator grants are OFFICER_ROLES, in their order. */
const ROLE_NAMES: Readonly<Record<Role, readonly [string, string]>> = {
  receiver: ["Tiếp nhận hồ sơ", "Receiver"],
  specialist: ["Chuyên viên", "Specialist"],
  leader: ["Lãnh đạo", "Leader"],
  supervisor: ["Giám sát (chỉ xem)", "Supervisor (read-only)"],
  agency_admin: ["Quản trị cơ quan", "Agency administrator"],
  system_admin: ["Quản trị hệ thống", "System administrator"],
  citizen: ["Công dân", "Citizen"],
  business: ["Doanh nghiệp", "Business"],
};

export const roleName = (page: PageRequest, role: string) => {
  const names = (ROLE_NAMES as Readonly<Record<string, readonly [string, string]>>)[role];
  return names ? tr(page, names[0], names[1]) : role;
};

export interface AgencyChoice {
  code: string;
  name: string;
}

export interface AgencyView extends AgencyChoice {
  departments: Array<{ code: string; name: string; nameEn: string | null }>;
}

export const departmentName = (page: PageRequest, agency: AgencyView | null, code: string | null) => {
  if (!code) return "—";
  const d = agency?.departments.find((x) => x.code === code);
  return d ? (page.lang === "en" && d.nameEn ? d.nameEn : d.name) : code;
};

export function Notice({ text }: { text?: string | undefined }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}

export function StatusText({ page, user }: { page: PageRequest; user: UserView }) {
  return user.status === "active" ? <>{tr(page, "Đang hoạt động", "Active")}</> : <strong>{tr(page, "Đã khóa", "Disabled")}</strong>;
}

export function DepartmentSelect(props: { page: PageRequest; agency: AgencyView; value: string | null; invalid?: boolean }) {
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
export function RoleBoxes(props: { page: PageRequest; agencyCode: string; held: Array<{ role: string; agencyCode: string }>; agencyNames: Map<string, string> }) {
  const { page } = props;
  const boxes = OFFICER_ROLES.map((role) => ({ role: role as string, agencyCode: props.agencyCode }));
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

/** `role@agency` checkbox values as grants (the service checks roles and scopes). */
export function grantsOf(values: readonly string[] | undefined): Array<{ role: Role; agencyCode?: string }> {
  return (values ?? [])
    .slice(0, 20)
    .map((v) => {
      const at = v.indexOf("@");
      const role = (at < 0 ? v : v.slice(0, at)) as Role;
      const agencyCode = at < 0 ? "" : v.slice(at + 1);
      return agencyCode ? { role, agencyCode } : { role };
    });
}

/** The agencies of the directory as the administration pages show them. */
export function adminLookups(identity: IdentityService, directory: DirectoryService) {
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
  return { agencyView, choicesFor, names };
}

export type AdminLookups = ReturnType<typeof adminLookups>;
