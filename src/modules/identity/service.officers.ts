// Officers and administrators, as the administrators of their agencies (or the operator) keep them: creation,
// roles, departments, disabling, the second factor's reset.
import { type Actor, actorRef, hasRole, OFFICER_ROLES, type Role, type RoleGrant, ROLES } from "../../platform/auth/actor.ts";
import { DomainError, type FieldProblem } from "../../platform/http/errors.ts";
import { subtreeSuffix } from "../directory/index.ts";
import { Forbidden, InvalidAccount, NotAnOfficer, OwnAccount } from "./errors.ts";
import { hashPassword } from "./passwords.ts";
import * as repo from "./repo.ts";
import type { AccountCore, IdentityDeps, RequestMeta, UserView } from "./service.support.ts";

/** The identity service's administration of officers. */
export interface Officers {
  /** An officer or administrator, created by an administrator of an agency above `agencyCode` (or the operator). */
  createOfficer(
    actor: Actor,
    input: {
      username: string;
      fullName: string;
      email?: string | null;
      agencyCode: string;
      departmentCode?: string | null;
      roles: Array<{ role: Role; agencyCode?: string }>;
      password: string;
      kind?: "officer" | "admin";
    },
    meta?: RequestMeta,
  ): Promise<UserView>;
  /** Replaces an officer's roles (within the administrator's subtree); audited. */
  setRoles(actor: Actor, userId: string, roles: Array<{ role: Role; agencyCode?: string }>, meta?: RequestMeta): Promise<UserView>;
  /**
   * Active officers whose home agency is `within` or under it and who hold one of `roles` granted at one of
   * `grantedAt`: for another module's choice of a colleague (the dossier's assignee), which checks itself who
   * may ask. At most 500, by name.
   */
  officersHolding(q: { within: string; roles: Role[]; grantedAt: string[] }): Promise<UserView[]>;
  /** Officers and administrators of `agencyCode`'s subtree the actor administers. */
  officers(actor: Actor, agencyCode: string): Promise<UserView[]>;
  /** Disables an account and ends its sessions (never the administrator's own). */
  disable(actor: Actor, userId: string, meta?: RequestMeta): Promise<void>;
  /** Re-enables a disabled account; audited. */
  enable(actor: Actor, userId: string, meta?: RequestMeta): Promise<void>;
  /** One officer or administrator account the actor administers (`NotAnOfficer` otherwise, or `Forbidden`). */
  officer(actor: Actor, userId: string): Promise<UserView & { secondFactor: boolean }>;
  /** Assigns an officer to one of their agency's departments, or to none; audited. */
  setDepartment(actor: Actor, userId: string, departmentCode: string | null, meta?: RequestMeta): Promise<UserView>;
  /**
   * Removes an officer's second factor (a lost phone): their sessions end and their next sign-in enrols
   * a new authenticator. Audited.
   */
  resetSecondFactor(actor: Actor, userId: string, meta?: RequestMeta): Promise<void>;
  /** The agencies whose subtrees the actor administers (for a system administrator: the top-level agencies). */
  administeredAgencies(actor: Actor): Promise<string[]>;
}

export function makeOfficers(deps: IdentityDeps, core: AccountCore): Officers {
  const { database, clock, audit, directory } = deps;
  const { view, viewOf, checkCommon, create, accountChanged } = core;

  return {
    async createOfficer(actor, input, meta = {}) {
      // Who may administer this agency at all is decided before anything about the input is said.
      if (!(await canAdminister(actor, input.agencyCode, []))) throw new Forbidden();
      const fields: FieldProblem[] = [];
      const username = input.username.trim().toLowerCase();
      if (!/^[a-z][a-z0-9._-]{2,63}$/.test(username)) {
        fields.push({ path: "/username", message: "Tên đăng nhập gồm 3–64 chữ thường không dấu, chữ số, dấu chấm, gạch." });
      }
      if (/^\d+$/.test(username)) fields.push({ path: "/username", message: "Tên đăng nhập của cán bộ không được chỉ gồm chữ số." });
      checkCommon(fields, input, username);
      const grants: RoleGrant[] = [];
      for (const [i, r] of input.roles.entries()) {
        const scope = r.agencyCode ?? input.agencyCode;
        if (!(ROLES as readonly string[]).includes(r.role) || (r.role !== "system_admin" && !OFFICER_ROLES.includes(r.role))) {
          fields.push({ path: `/roles/${i}/role`, message: "Vai trò không hợp lệ cho cán bộ." });
        } else if (!(directory.isWithin(scope, input.agencyCode)) && !(directory.isWithin(input.agencyCode, scope))) {
          fields.push({ path: `/roles/${i}/agencyCode`, message: "Phạm vi vai trò phải thuộc cơ quan của cán bộ." });
        } else {
          grants.push({ role: r.role, agencyCode: r.role === "system_admin" ? "" : scope });
        }
      }
      try {
        const agency = await directory.agency(input.agencyCode);
        if (input.departmentCode && !agency.departments.some((d) => d.code === input.departmentCode)) {
          fields.push({ path: "/departmentCode", message: "Cơ quan không có phòng ban này." });
        }
      } catch (err) {
        // Only an agency that is not there is the input's fault (a database that cannot serve is not).
        if (!(err instanceof DomainError && err.kind === "not_found")) throw err;
        fields.push({ path: "/agencyCode", message: "Không tìm thấy cơ quan." });
      }
      if (fields.length) throw new InvalidAccount(fields);
      if (!(await canAdminister(actor, input.agencyCode, grants))) throw new Forbidden();
      return create(
        actor,
        {
          kind: input.kind ?? (grants.some((g) => g.role === "system_admin") ? "admin" : "officer"),
          username,
          fullName: input.fullName.trim(),
          email: input.email?.trim() || null,
          agencyCode: input.agencyCode,
          departmentCode: input.departmentCode ?? null,
          passwordHash: await hashPassword(input.password),
        },
        grants,
        meta,
        "identity.officer_created",
      );
    },

    async setRoles(actor, userId, roles, meta = {}) {
      const row = await repo.findUser(database.db, userId);
      if (!row || (row.kind !== "officer" && row.kind !== "admin") || !row.agencyCode) {
        throw new InvalidAccount([{ path: "/userId", message: "Không tìm thấy tài khoản cán bộ." }]);
      }
      const agencyCode = row.agencyCode;
      const before = await view(database.db, row);
      if (!(await canAdminister(actor, agencyCode, before.roles))) throw new Forbidden();
      const fields: FieldProblem[] = [];
      const grants: RoleGrant[] = [];
      for (const [i, r] of roles.entries()) {
        const scope = r.agencyCode ?? agencyCode;
        if (!OFFICER_ROLES.includes(r.role) && r.role !== "system_admin") fields.push({ path: `/roles/${i}/role`, message: "Vai trò không hợp lệ cho cán bộ." });
        else if (!directory.isWithin(scope, agencyCode) && !directory.isWithin(agencyCode, scope)) {
          fields.push({ path: `/roles/${i}/agencyCode`, message: "Phạm vi vai trò phải thuộc cơ quan của cán bộ." });
        } else grants.push({ role: r.role, agencyCode: r.role === "system_admin" ? "" : scope });
      }
      if (fields.length) throw new InvalidAccount(fields);
      if (!(await canAdminister(actor, agencyCode, grants))) throw new Forbidden();
      return database.transaction(async (tx) => {
        await repo.replaceRoles(tx, userId, grants);
        await accountChanged(tx, userId);
        await audit.record(tx, {
          actor,
          action: "identity.roles_changed",
          subject: { type: "user", id: userId },
          requestId: meta.requestId ?? null,
          change: { before: before.roles, after: grants },
        });
        const updated = await repo.findUser(tx, userId);
        return view(tx, updated!);
      });
    },

    async officersHolding(q) {
      const rows = await repo.officersHolding(database.db, { suffix: subtreeSuffix(q.within), roles: q.roles, grantedAt: q.grantedAt, limit: 500 });
      return rows.map((r) => viewOf(r.user, r.roles as RoleGrant[]));
    },

    async officers(actor, agencyCode) {
      if (!(await canAdminister(actor, agencyCode, []))) throw new Forbidden();
      const codes = await directory.subtree(agencyCode);
      const rows = await repo.officersOf(database.db, codes, 500);
      return Promise.all(rows.map((r) => view(database.db, r)));
    },

    async disable(actor, userId, meta = {}) {
      const row = await repo.findUser(database.db, userId);
      if (!row) throw new InvalidAccount([{ path: "/userId", message: "Không tìm thấy tài khoản." }]);
      const target = await view(database.db, row);
      if (!(await canAdminister(actor, row.agencyCode, target.roles))) throw new Forbidden();
      // An administrator locking themselves out could leave an agency with no one to administer it.
      if (actor.type === "user" && actor.userId === userId) throw new OwnAccount();
      await database.transaction(async (tx) => {
        const now = clock.now();
        await repo.setUserStatus(tx, userId, "disabled", now);
        await accountChanged(tx, userId);
        const ended = await repo.revokeUserSessions(tx, userId, now);
        await audit.record(tx, {
          actor,
          action: "identity.account_disabled",
          subject: { type: "user", id: userId },
          requestId: meta.requestId ?? null,
          change: { by: actorRef(actor), sessionsEnded: ended },
        });
      });
    },

    async enable(actor, userId, meta = {}) {
      const row = await repo.findUser(database.db, userId);
      if (!row) throw new InvalidAccount([{ path: "/userId", message: "Không tìm thấy tài khoản." }]);
      const target = await view(database.db, row);
      if (!(await canAdminister(actor, row.agencyCode, target.roles))) throw new Forbidden();
      if (row.status === "active") return;
      await database.transaction(async (tx) => {
        await repo.setUserStatus(tx, userId, "active", clock.now());
        await accountChanged(tx, userId);
        await audit.record(tx, { actor, action: "identity.account_enabled", subject: { type: "user", id: userId }, requestId: meta.requestId ?? null });
      });
    },

    async officer(actor, userId) {
      const { user } = await administered(actor, userId);
      const totp = await repo.findTotp(database.db, userId);
      return { ...user, secondFactor: Boolean(totp?.enabledAt) };
    },

    async setDepartment(actor, userId, departmentCode, meta = {}) {
      const { row, user } = await administered(actor, userId);
      const code = departmentCode?.trim() || null;
      if (code) {
        const agency = row.agencyCode ? await directory.agency(row.agencyCode) : null;
        if (!agency?.departments.some((d) => d.code === code)) {
          throw new InvalidAccount([{ path: "/departmentCode", message: "Cơ quan của cán bộ không có phòng ban này." }]);
        }
      }
      if (code === row.departmentCode) return user;
      return database.transaction(async (tx) => {
        await repo.setDepartment(tx, userId, code, clock.now());
        await accountChanged(tx, userId);
        await audit.record(tx, {
          actor,
          action: "identity.department_changed",
          subject: { type: "user", id: userId },
          requestId: meta.requestId ?? null,
          change: { before: row.departmentCode, after: code },
        });
        return view(tx, (await repo.findUser(tx, userId))!);
      });
    },

    async resetSecondFactor(actor, userId, meta = {}) {
      await administered(actor, userId);
      if (actor.type === "user" && actor.userId === userId) throw new OwnAccount();
      await database.transaction(async (tx) => {
        const now = clock.now();
        const removed = await repo.deleteTotp(tx, userId);
        const ended = await repo.revokeUserSessions(tx, userId, now);
        await repo.clearFailures(tx, `totp:${userId}`);
        await audit.record(tx, {
          actor,
          action: "identity.second_factor_reset",
          subject: { type: "user", id: userId },
          requestId: meta.requestId ?? null,
          change: { hadSecondFactor: removed, sessionsEnded: ended },
        });
      });
    },

    async administeredAgencies(actor) {
      if (actor.type !== "user") return [];
      if (hasRole(actor, "system_admin")) {
        const top = await directory.searchAgencies({ pageSize: 100 });
        return top.items.filter((a) => a.parentCode === null).map((a) => a.code);
      }
      const codes = actor.roles.filter((g) => g.role === "agency_admin").map((g) => g.agencyCode);
      // A grant inside another grant adds nothing.
      return [...new Set(codes)].filter((c) => !codes.some((o) => o !== c && directory.isWithin(c, o)));
    },
  };

  /** An officer or administrator account the actor may administer, with its roles. */
  async function administered(actor: Actor, userId: string): Promise<{ row: repo.UserRow; user: UserView }> {
    const row = await repo.findUser(database.db, userId);
    if (!row || (row.kind !== "officer" && row.kind !== "admin")) throw new NotAnOfficer();
    const user = await view(database.db, row);
    if (!(await canAdminister(actor, row.agencyCode, user.roles))) throw new Forbidden();
    return { row, user };
  }

  /**
   * The operator (CLI, seeds) and system administrators administer every account; an agency
   * administrator administers officers of agencies within their subtree, granting roles only there.
   */
  async function canAdminister(actor: Actor, agencyCode: string | null, grants: RoleGrant[]): Promise<boolean> {
    if (actor.type === "cli" || actor.type === "system") return true;
    if (hasRole(actor, "system_admin")) return true;
    if (!agencyCode || grants.some((g) => g.role === "system_admin")) return false;
    if (actor.type !== "user") return false;
    for (const g of actor.roles) {
      if (g.role !== "agency_admin") continue;
      if (!(directory.isWithin(agencyCode, g.agencyCode))) continue;
      let allInside = true;
      for (const r of grants) if (!(directory.isWithin(r.agencyCode, g.agencyCode))) allInside = false;
      if (allInside) return true;
    }
    return false;
  }
}
