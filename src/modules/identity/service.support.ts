// What the identity service's use cases share: the account as the rest of motcua sees it, its creation
// (with the link that verifies its address) and the actor it signs in as.
import { createHash, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Audit } from "../../platform/audit/index.ts";
import type { Actor, RoleGrant } from "../../platform/auth/actor.ts";
import type { Mailer } from "../../platform/mail/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Db } from "../../platform/db/index.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { Signals } from "../../platform/signals.ts";
import type { DirectoryService } from "../directory/index.ts";
import { UsernameTaken } from "./errors.ts";
import { passwordProblem } from "./passwords.ts";
import * as repo from "./repo.ts";

export type AccountKind = "citizen" | "business" | "officer" | "admin";

/** An account as the rest of motcua sees it (no password hash). */
export interface UserView {
  id: string;
  kind: AccountKind;
  username: string;
  fullName: string;
  email: string | null;
  emailVerified: boolean;
  /** A citizen's date of birth (yyyy-MM-dd) and sex, as registered: what a form may be pre-filled with. */
  birthDate: string | null;
  sex: "male" | "female" | null;
  /** Where they live (nơi cư trú), as given on the account page or by their identity provider. */
  address: string | null;
  status: "active" | "disabled";
  agencyCode: string | null;
  departmentCode: string | null;
  roles: RoleGrant[];
}

export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

/** What the identity service is built on. */
export interface IdentityDeps {
  database: Database;
  clock: Clock;
  audit: Audit;
  directory: DirectoryService;
  mail: Mailer;
  /** A change to an account (its status, roles, name, address, password) makes every node forget it. */
  signals: Signals;
  publicUrl: string;
}

/**
 * How long a node keeps an account and its roles for the actor of a request. A change to the account clears it on
 * every node at once (the signal `identity.account_changed`); the time is a safety net only.
 */
export const ACCOUNT_CACHE_SECONDS = 60;

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** How long an emailed link works. */
export const VERIFY_LINK_SECONDS = 48 * 3600;
export const RESET_LINK_SECONDS = 3600;

export const linkSeconds = (purpose: "verify_email" | "reset_password") => (purpose === "verify_email" ? VERIFY_LINK_SECONDS : RESET_LINK_SECONDS);

/** The helpers every use case of the identity service may call, made once per service. */
export type AccountCore = ReturnType<typeof makeAccountCore>;

export function makeAccountCore(deps: IdentityDeps) {
  const { database, clock, audit, mail, signals } = deps;

  // The accounts behind bearer tokens, by id: an API client sends its token with every call, and reading the
  // account and its roles each time was most of a call's cost. `epoch` moves on with every change heard, so a
  // read that started before a change does not put what it read back into the cache after the change cleared it.
  const accounts = new LRUCache<string, UserView>({ max: 50_000, ttl: ACCOUNT_CACHE_SECONDS * 1000 });
  let epoch = 0;
  signals.on("identity.account_changed", (userId) => {
    epoch += 1;
    if (userId === null) accounts.clear();
    else accounts.delete(userId);
  });

  /** The account with its roles, from this node's memory when it has it. */
  async function cachedUser(id: string): Promise<UserView | null> {
    const hit = accounts.get(id);
    if (hit) return hit;
    const seen = epoch;
    const found = await repo.findUserWithRoles(database.db, id);
    if (!found) return null;
    const user = viewOf(found.user, found.roles as RoleGrant[]);
    if (seen === epoch) accounts.set(id, user);
    return user;
  }

  /** Tells every node, once `tx` commits, that the account changed: its status, roles, name, address or password. */
  async function accountChanged(tx: Db, userId: string): Promise<void> {
    accounts.delete(userId);
    await signals.send(tx, "identity.account_changed", userId);
  }

  /** A single-use link mailed to the account's address (the token itself is never stored). */
  async function mailLink(tx: Db, user: { id: string; email: string | null }, purpose: "verify_email" | "reset_password") {
    if (!user.email) return;
    const token = randomBytes(32).toString("base64url");
    const seconds = linkSeconds(purpose);
    await repo.insertEmailToken(tx, { id: sha256(token), userId: user.id, purpose, expiresAt: new Date(clock.now().getTime() + seconds * 1000) });
    const link = `${deps.publicUrl}${purpose === "verify_email" ? "/xac-minh-email" : "/dat-lai-mat-khau"}?token=${token}`;
    await mail.send(tx, {
      to: user.email,
      subject: purpose === "verify_email" ? "Xác minh địa chỉ thư điện tử — Verify your email" : "Đặt lại mật khẩu — Reset your password",
      text:
        purpose === "verify_email"
          ? `Xin chào,\n\nĐể xác minh địa chỉ thư điện tử của tài khoản, vui lòng mở liên kết sau (hiệu lực 48 giờ):\n${link}\n\nTo verify your email address, open the link above (valid for 48 hours).\n`
          : `Xin chào,\n\nĐể đặt lại mật khẩu, vui lòng mở liên kết sau (hiệu lực 1 giờ, dùng một lần):\n${link}\n\nNếu bạn không yêu cầu, hãy bỏ qua thư này.\n\nTo reset your password, open the link above (valid for 1 hour, once). If you did not ask for it, ignore this message.\n`,
    });
  }

  async function view(db: Db, row: repo.UserRow): Promise<UserView> {
    return viewOf(row, (await repo.rolesOf(db, row.id)) as RoleGrant[]);
  }

  function viewOf(row: repo.UserRow, roles: RoleGrant[]): UserView {
    return {
      id: row.id,
      kind: row.kind as AccountKind,
      username: row.username,
      fullName: row.fullName,
      email: row.email,
      emailVerified: row.emailVerifiedAt !== null,
      birthDate: row.birthDate ?? null,
      sex: (row.sex as UserView["sex"]) ?? null,
      address: row.address ?? null,
      status: row.status as UserView["status"],
      agencyCode: row.agencyCode,
      departmentCode: row.departmentCode,
      roles,
    };
  }

  function checkCommon(fields: FieldProblem[], input: { fullName: string; email?: string | null; password: string }, username: string) {
    if (!input.fullName.trim() || input.fullName.length > 200) {
      fields.push({ path: "/fullName", message: "Họ tên không được để trống (tối đa 200 ký tự)." });
    }
    if (input.email && !EMAIL.test(input.email)) fields.push({ path: "/email", message: "Địa chỉ thư điện tử không hợp lệ." });
    const pw = passwordProblem(input.password, username);
    if (pw) fields.push({ path: "/password", message: pw.vi });
  }

  async function create(
    actor: Actor,
    row: repo.NewUser,
    roles: RoleGrant[],
    meta: RequestMeta,
    action: string,
    inTx?: Db,
  ): Promise<UserView> {
    const run = <T>(fn: (tx: Db) => Promise<T>) => (inTx ? fn(inTx) : database.transaction(fn));
    return run(async (tx) => {
      const inserted = await repo.insertUser(tx, row);
      if (!inserted) throw new UsernameTaken(row.username);
      if (inserted.email && !inserted.emailVerifiedAt) await mailLink(tx, inserted, "verify_email");
      for (const g of roles) await repo.addRole(tx, inserted.id, g.role, g.agencyCode);
      await audit.record(tx, {
        actor,
        action,
        subject: { type: "user", id: inserted.id },
        requestId: meta.requestId ?? null,
        change: { kind: row.kind, username: row.username, roles },
      });
      return view(tx, inserted);
    });
  }

  function actorFor(user: UserView, opts: { loa: number }): Actor {
    return { type: "user", userId: user.id, username: user.username, fullName: user.fullName, email: user.email, roles: user.roles, agencyCode: user.agencyCode, loa: opts.loa };
  }

  return { mailLink, view, viewOf, checkCommon, create, actorFor, cachedUser, accountChanged };
}
