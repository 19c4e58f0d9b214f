import { createHash, randomBytes } from "node:crypto";
import type { Audit } from "../../platform/audit/index.ts";
import { type Actor, actorRef, hasRole, type Role, type RoleGrant, ROLES, systemActor } from "../../platform/auth/actor.ts";
import type { Mailer } from "../../platform/mail/index.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Db } from "../../platform/db/index.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import { subtreeSuffix } from "../directory/codes.ts";
import type { DirectoryService } from "../directory/service.ts";
import {
  AccountDisabled,
  Forbidden,
  InvalidAccount,
  InvalidCredentials,
  LinkInvalid,
  NotAnOfficer,
  OwnAccount,
  SignInThrottled,
  TooManyMails,
  UsernameTaken,
} from "./errors.ts";
import { checkCccd, checkTaxCode } from "./ids.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
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

/** Session lifetime: 8 hours from the last request, at most 12 hours from sign-in. */
export const SESSION_IDLE_SECONDS = 8 * 3600;
export const SESSION_MAX_SECONDS = 12 * 3600;

/** Throttling (cfg): failures per window before a lock, per account and per address. */
export const THROTTLE = {
  account: { windowSeconds: 15 * 60, limit: 5, lockSeconds: 15 * 60 },
  ip: { windowSeconds: 15 * 60, limit: 30, lockSeconds: 15 * 60 },
} as const;

const OFFICER_ROLES: readonly Role[] = ["receiver", "specialist", "leader", "agency_admin", "supervisor"];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * motcua's own relying parties of its OpenID provider, each with its own browser session. Their sessions
 * sit beside the provider's in `sessions` (so disabling an account, a password reset or a revocation on the
 * account page ends them too), under a digest salted with the party's name: a token is good for the one
 * cookie it was issued for, never for the provider's session or the other party's.
 */
export type RelyingParty = "portal" | "office";
const sessionKey = (token: string, rp: RelyingParty | null) => sha256(rp ? `${rp}:${token}` : token);
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface LiveSession {
  sessionId: string;
  user: UserView;
  actor: Actor;
  mfa: boolean;
}

export interface IdentityService {
  registerCitizen(
    input: { cccd: string; fullName: string; birthDate: string; sex: "male" | "female"; email?: string | null; password: string },
    meta?: RequestMeta,
  ): Promise<UserView>;
  registerBusiness(
    input: { taxCode: string; name: string; email?: string | null; password: string },
    meta?: RequestMeta,
  ): Promise<UserView>;
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
  /** Checks the password (throttled, audited) and opens a session; returns its cookie token. */
  signIn(input: { username: string; password: string }, meta?: RequestMeta): Promise<{ user: UserView; token: string }>;
  /**
   * Signs in a person an external provider vouched for: the account linked to (issuer, subject), else the
   * citizen account of that CCCD (then linked), else a new citizen account without a password. Audited.
   */
  signInFederated(
    input: { issuer: string; subject: string; cccd: string; loa: number; fullName?: string | null },
    meta?: RequestMeta,
  ): Promise<{ user: UserView; token: string }>;
  /** Marks the address verified with the emailed link; `LinkInvalid` for a used, expired or unknown link. */
  verifyEmail(token: string, meta?: RequestMeta): Promise<void>;
  /** Mails a reset link when the account exists and has an address; says nothing either way. */
  requestPasswordReset(username: string, meta?: RequestMeta): Promise<void>;
  /** Whether a reset link can still be used. */
  resetLinkUsable(token: string): Promise<boolean>;
  /** Sets a new password with the emailed link (once); every session of the account ends. */
  resetPassword(token: string, password: string, meta?: RequestMeta): Promise<void>;
  /** The session behind a cookie token, sliding its expiry; null when unknown, expired, revoked or disabled. */
  session(token: string): Promise<LiveSession | null>;
  signOut(token: string, meta?: RequestMeta): Promise<void>;
  /**
   * Opens the session of a relying party (portal, office) for a person the OpenID provider vouched for, at
   * the level and with the second factor its ID token says; returns the cookie token (always new). Audited.
   */
  openRelyingPartySession(rp: RelyingParty, user: UserView, opts: { loa: number; mfa: boolean }, meta?: RequestMeta): Promise<string>;
  /** A relying party's session behind its cookie token (as `session`). */
  relyingPartySession(rp: RelyingParty, token: string): Promise<LiveSession | null>;
  /** Ends a relying party's session (audited); nothing when it has ended already. */
  endRelyingPartySession(rp: RelyingParty, token: string, meta?: RequestMeta): Promise<void>;
  user(id: string): Promise<UserView | null>;
  findByUsername(username: string): Promise<UserView | null>;
  actorFor(user: UserView, opts: { loa: number }): Actor;
  /** The user's live sessions, most recently used first. */
  sessionsOf(userId: string): Promise<Array<{ id: string; createdAt: Date; lastSeenAt: Date; userAgent: string | null; loa: number }>>;
  /** Ends one of the user's own sessions (audited); false when it is not theirs or already ended. */
  revokeOwnSession(user: UserView, sessionId: string, meta?: RequestMeta): Promise<boolean>;
  /** Changes the password after checking the current one; every other session ends. Audited. */
  changePassword(user: UserView, currentSessionId: string, current: string, next: string, meta?: RequestMeta): Promise<void>;
  /**
   * Links a citizen (by CCCD, with an account) as a representative of the business `actor` is signed in
   * as; audited. Returns the business's representatives.
   */
  addRepresentative(actor: Actor, cccd: string, meta?: RequestMeta): Promise<Array<{ username: string; fullName: string }>>;
  representatives(actor: Actor): Promise<Array<{ username: string; fullName: string }>>;
  /**
   * Loads an account as the operator inside a seed's transaction (demo accounts); audited. With `passwordHash`
   * (argon2id, from `hashPassword`) instead of `password`: accounts that share a password share one hash made
   * once, not one each (the demo accounts, test accounts).
   */
  seedAccount(
    tx: Db,
    input: Omit<repo.NewUser, "passwordHash" | "id"> & ({ password: string } | { passwordHash: string }) & { roles: RoleGrant[] },
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
  /**
   * Replaces the account's email address (or removes it) after checking the password; a new address
   * is unverified until its emailed link is opened. Earlier links end. Audited.
   */
  changeEmail(user: UserView, password: string, email: string | null, meta?: RequestMeta): Promise<UserView>;
  /** Mails a new verification link to the account's unverified address (at most MAILS_PER_HOUR an hour). */
  resendVerification(user: UserView, meta?: RequestMeta): Promise<void>;
}

/** Links of one kind mailed to one account per hour, at most (no one can flood a mailbox through motcua). */
export const MAILS_PER_HOUR = 3;

/** How long an emailed link works. */
export const VERIFY_LINK_SECONDS = 48 * 3600;
export const RESET_LINK_SECONDS = 3600;

const linkSeconds = (purpose: "verify_email" | "reset_password") => (purpose === "verify_email" ? VERIFY_LINK_SECONDS : RESET_LINK_SECONDS);

export function makeIdentityService(deps: {
  database: Database;
  clock: Clock;
  audit: Audit;
  directory: DirectoryService;
  mail: Mailer;
  publicUrl: string;
}): IdentityService {
  const { database, clock, audit, directory, mail } = deps;

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

  /** Seconds until another link of `purpose` may be mailed to the user; 0 when one may be now. */
  async function mailWait(userId: string, purpose: "verify_email" | "reset_password"): Promise<number> {
    const now = clock.now().getTime();
    // A link's expiry is its sending time plus its lifetime: links expiring after this were sent in the last hour.
    const after = new Date(now + (linkSeconds(purpose) - 3600) * 1000);
    const recent = await repo.countEmailTokensExpiringAfter(database.db, userId, purpose, after);
    return recent >= MAILS_PER_HOUR ? 3600 : 0;
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

  async function auditSeparately(actor: Actor, action: string, subjectId: string, meta: RequestMeta, change?: unknown) {
    // Failures are recorded in their own transaction: the sign-in itself changes nothing.
    await database.transaction((tx) =>
      audit.record(tx, { actor, action, subject: { type: "user", id: subjectId }, requestId: meta.requestId ?? null, change }),
    );
  }

  /** A new browser session (a fresh random token: never one the browser brought), audited as a sign-in. */
  async function openSession(
    user: UserView,
    opts: { loa: number; method: string; rp?: RelyingParty; mfa?: boolean },
    meta: RequestMeta,
    alsoInTx?: (tx: Db) => Promise<void>,
  ): Promise<string> {
    const now = clock.now();
    const token = randomBytes(32).toString("base64url");
    await database.transaction(async (tx) => {
      await alsoInTx?.(tx);
      await repo.insertSession(tx, {
        id: sessionKey(token, opts.rp ?? null),
        userId: user.id,
        loa: opts.loa,
        mfa: opts.mfa ?? false,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + SESSION_IDLE_SECONDS * 1000),
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
      });
      await audit.record(tx, {
        actor: actorFor(user, { loa: opts.loa }),
        action: opts.rp ? "identity.rp_signed_in" : "identity.signed_in",
        subject: { type: "user", id: user.id },
        requestId: meta.requestId ?? null,
        change: { method: opts.method, loa: opts.loa, ...(opts.rp ? { rp: opts.rp, mfa: opts.mfa ?? false } : {}) },
      });
    });
    return token;
  }

  async function liveSession(token: string, rp: RelyingParty | null): Promise<LiveSession | null> {
    if (!TOKEN.test(token)) return null;
    const now = clock.now();
    const found = await repo.liveSession(database.db, sessionKey(token, rp), now);
    if (!found || found.user.status !== "active") return null;
    const { session } = found;
    const hardEnd = session.createdAt.getTime() + SESSION_MAX_SECONDS * 1000;
    if (now.getTime() >= hardEnd) return null;
    // Slide the idle expiry at most once a minute, never past the absolute end.
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
      const expires = Math.min(now.getTime() + SESSION_IDLE_SECONDS * 1000, hardEnd);
      await repo.touchSession(database.db, session.id, now, new Date(expires));
    }
    const user = await view(database.db, found.user);
    return { sessionId: session.id, user, actor: actorFor(user, { loa: session.loa }), mfa: session.mfa };
  }

  async function endSession(token: string, rp: RelyingParty | null, meta: RequestMeta): Promise<void> {
    if (!TOKEN.test(token)) return;
    const id = sessionKey(token, rp);
    const found = await repo.liveSession(database.db, id, clock.now());
    if (!found) return;
    await database.transaction(async (tx) => {
      await repo.revokeSession(tx, id, clock.now());
      await audit.record(tx, {
        actor: { type: "user", userId: found.user.id, username: found.user.username, fullName: found.user.fullName, email: found.user.email, roles: [], agencyCode: found.user.agencyCode, loa: found.session.loa },
        action: rp ? "identity.rp_signed_out" : "identity.signed_out",
        subject: { type: "user", id: found.user.id },
        requestId: meta.requestId ?? null,
        ...(rp ? { change: { rp } } : {}),
      });
    });
  }

  function actorFor(user: UserView, opts: { loa: number }): Actor {
    return { type: "user", userId: user.id, username: user.username, fullName: user.fullName, email: user.email, roles: user.roles, agencyCode: user.agencyCode, loa: opts.loa };
  }

  return {
    async registerCitizen(input, meta = {}) {
      const fields: FieldProblem[] = [];
      const cccd = input.cccd.trim();
      const checked = checkCccd(cccd, { birthDate: input.birthDate, sex: input.sex });
      if (!checked.ok) {
        const why = {
          format: "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số.",
          province: "Ba chữ số đầu của số CCCD không phải mã tỉnh hợp lệ.",
          birth_year: "Số CCCD không khớp với năm sinh.",
          sex: "Số CCCD không khớp với giới tính.",
        }[checked.problem];
        fields.push({ path: checked.problem === "birth_year" ? "/birthDate" : checked.problem === "sex" ? "/sex" : "/cccd", message: why });
      }
      checkCommon(fields, input, cccd);
      if (fields.length) throw new InvalidAccount(fields);
      return create(
        { type: "anonymous" },
        {
          kind: "citizen",
          username: cccd,
          fullName: input.fullName.trim(),
          email: input.email?.trim() || null,
          birthDate: input.birthDate,
          sex: input.sex,
          passwordHash: await hashPassword(input.password),
        },
        [{ role: "citizen", agencyCode: "" }],
        meta,
        "identity.citizen_registered",
      );
    },

    async registerBusiness(input, meta = {}) {
      const fields: FieldProblem[] = [];
      const checked = checkTaxCode(input.taxCode.trim());
      if (!checked.ok) fields.push({ path: "/taxCode", message: "Mã số thuế không hợp lệ (10 chữ số với chữ số kiểm tra đúng, hoặc 13 chữ số)." });
      const username = checked.ok ? checked.compact : input.taxCode.trim();
      checkCommon(fields, { fullName: input.name, email: input.email ?? null, password: input.password }, username);
      if (fields.length) throw new InvalidAccount(fields.map((f) => (f.path === "/fullName" ? { ...f, path: "/name" } : f)));
      return create(
        { type: "anonymous" },
        {
          kind: "business",
          username,
          fullName: input.name.trim(),
          email: input.email?.trim() || null,
          passwordHash: await hashPassword(input.password),
        },
        [{ role: "business", agencyCode: "" }],
        meta,
        "identity.business_registered",
      );
    },

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
      } catch {
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

    async signIn(input, meta = {}) {
      const now = clock.now();
      const username = input.username.trim().toLowerCase();
      const ipKey = meta.ip ? `ip:${meta.ip}` : null;
      const row = await repo.findUserByUsername(database.db, username);
      const accountKey = `user:${row?.id ?? sha256(username)}`;
      for (const key of [accountKey, ipKey]) {
        if (!key) continue;
        const state = await repo.throttleState(database.db, key);
        if (state?.lockedUntil && state.lockedUntil > now) {
          throw new SignInThrottled(Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
        }
      }
      const ok = await verifyPassword(row?.passwordHash ?? null, input.password);
      if (!ok || !row) {
        const locked = await database.transaction(async (tx) => {
          const account = await repo.recordFailure(tx, accountKey, now, THROTTLE.account);
          const ip = ipKey ? await repo.recordFailure(tx, ipKey, now, THROTTLE.ip) : null;
          return [account, ip].find((s) => s?.lockedUntil && s.lockedUntil > now) ?? null;
        });
        const subject = row?.id ?? `unknown:${sha256(username).slice(0, 16)}`;
        await auditSeparately({ type: "anonymous" }, "identity.sign_in_failed", subject, meta);
        if (locked?.lockedUntil) {
          await auditSeparately({ type: "anonymous" }, "identity.locked_out", subject, meta);
          throw new SignInThrottled(Math.ceil((locked.lockedUntil.getTime() - now.getTime()) / 1000));
        }
        throw new InvalidCredentials();
      }
      if (row.status !== "active") {
        await auditSeparately({ type: "anonymous" }, "identity.sign_in_refused_disabled", row.id, meta);
        throw new AccountDisabled();
      }
      const user = await view(database.db, row);
      const token = await openSession(user, { loa: 0, method: "password" }, meta, (tx) => repo.clearFailures(tx, accountKey));
      return { user, token };
    },

    async signInFederated(input, meta = {}) {
      const cccd = input.cccd.trim();
      const checked = checkCccd(cccd);
      if (!checked.ok) {
        throw new InvalidAccount([{ path: "/cccd", message: "Nhà cung cấp định danh trả về số CCCD không hợp lệ." }]);
      }
      const loa = input.loa === 2 ? 2 : 1;
      const linkedId = await repo.findFederated(database.db, input.issuer, input.subject);
      let row = linkedId ? await repo.findUser(database.db, linkedId) : await repo.findUserByUsername(database.db, cccd);
      if (row && row.kind !== "citizen") throw new Forbidden();
      if (!row) {
        await create(
          { type: "system", name: "federation" },
          { kind: "citizen", username: cccd, fullName: input.fullName?.trim() || cccd, sex: checked.facts.sex, passwordHash: null },
          [{ role: "citizen", agencyCode: "" }],
          meta,
          "identity.citizen_registered_federated",
        ).catch(async (err) => {
          // Created at the same moment by another sign-in of the same person: use that account.
          if (!(err instanceof UsernameTaken)) throw err;
        });
        row = await repo.findUserByUsername(database.db, cccd);
      }
      if (!row) throw new InvalidAccount([{ path: "/cccd", message: "Không tạo được tài khoản." }]);
      if (row.status !== "active") throw new AccountDisabled();
      const account = row;
      const user = await view(database.db, account);
      const token = await openSession(user, { loa, method: "federation" }, meta, (tx) =>
        repo.linkFederated(tx, input.issuer, input.subject, account.id),
      );
      return { user, token };
    },

    async verifyEmail(token, meta = {}) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new LinkInvalid();
      await database.transaction(async (tx) => {
        const userId = await repo.useEmailToken(tx, sha256(token), "verify_email", clock.now());
        if (!userId) throw new LinkInvalid();
        await repo.markEmailVerified(tx, userId, clock.now());
        await audit.record(tx, { actor: systemActor("email-link"), action: "identity.email_verified", subject: { type: "user", id: userId }, requestId: meta.requestId ?? null });
      });
    },

    async requestPasswordReset(username, meta = {}) {
      const row = await repo.findUserByUsername(database.db, username.trim().toLowerCase());
      if (!row || row.status !== "active" || !row.email) return;
      // The page answers the same either way; beyond the hourly allowance nothing more is mailed.
      if (await mailWait(row.id, "reset_password")) return;
      await database.transaction(async (tx) => {
        await mailLink(tx, row, "reset_password");
        await audit.record(tx, { actor: { type: "anonymous" }, action: "identity.password_reset_requested", subject: { type: "user", id: row.id }, requestId: meta.requestId ?? null });
      });
    },

    async resetLinkUsable(token) {
      return /^[A-Za-z0-9_-]{43}$/.test(token) && repo.emailTokenUsable(database.db, sha256(token), "reset_password", clock.now());
    },

    async resetPassword(token, password, meta = {}) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new LinkInvalid();
      const id = sha256(token);
      const now = clock.now();
      if (!(await repo.emailTokenUsable(database.db, id, "reset_password", now))) throw new LinkInvalid();
      const hashed = await hashPassword(password);
      await database.transaction(async (tx) => {
        const userId = await repo.useEmailToken(tx, id, "reset_password", now);
        if (!userId) throw new LinkInvalid();
        const row = await repo.findUser(tx, userId);
        const problem = passwordProblem(password, row?.username ?? "");
        if (problem) throw new InvalidAccount([{ path: "/password", message: problem.vi }]);
        await repo.setPasswordHash(tx, userId, hashed, now);
        const ended = await repo.revokeUserSessions(tx, userId, now);
        await audit.record(tx, {
          actor: systemActor("email-link"),
          action: "identity.password_reset",
          subject: { type: "user", id: userId },
          requestId: meta.requestId ?? null,
          change: { sessionsEnded: ended },
        });
      });
    },

    session: (token) => liveSession(token, null),
    signOut: (token, meta = {}) => endSession(token, null, meta),

    async openRelyingPartySession(rp, user, opts, meta = {}) {
      if (user.status !== "active") throw new AccountDisabled();
      return openSession(user, { loa: opts.loa, mfa: opts.mfa, method: "oidc", rp }, meta);
    },
    relyingPartySession: (rp, token) => liveSession(token, rp),
    endRelyingPartySession: (rp, token, meta = {}) => endSession(token, rp, meta),

    async user(id) {
      const found = await repo.findUserWithRoles(database.db, id);
      return found ? viewOf(found.user, found.roles as RoleGrant[]) : null;
    },

    async sessionsOf(userId) {
      const rows = await repo.liveSessionsOf(database.db, userId, clock.now());
      return rows.map((r) => ({ id: r.id, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, userAgent: r.userAgent, loa: r.loa }));
    },

    async revokeOwnSession(user, sessionId, meta = {}) {
      return database.transaction(async (tx) => {
        const done = await repo.revokeOwnSession(tx, user.id, sessionId, clock.now());
        if (done) {
          await audit.record(tx, {
            actor: actorFor(user, { loa: 0 }),
            action: "identity.session_revoked",
            subject: { type: "user", id: user.id },
            requestId: meta.requestId ?? null,
          });
        }
        return done;
      });
    },

    async changePassword(user, currentSessionId, current, next, meta = {}) {
      const row = await repo.findUser(database.db, user.id);
      if (!row || !(await verifyPassword(row.passwordHash, current))) {
        throw new InvalidAccount([{ path: "/currentPassword", message: "Mật khẩu hiện tại không đúng." }]);
      }
      const problem = passwordProblem(next, row.username);
      if (problem) throw new InvalidAccount([{ path: "/newPassword", message: problem.vi }]);
      const hashed = await hashPassword(next);
      await database.transaction(async (tx) => {
        const now = clock.now();
        await repo.setPasswordHash(tx, user.id, hashed, now);
        const ended = await repo.revokeOtherSessions(tx, user.id, currentSessionId, now);
        await audit.record(tx, {
          actor: actorFor(user, { loa: 0 }),
          action: "identity.password_changed",
          subject: { type: "user", id: user.id },
          requestId: meta.requestId ?? null,
          change: { otherSessionsEnded: ended },
        });
      });
    },

    async addRepresentative(actor, cccd, meta = {}) {
      if (actor.type !== "user" || !hasRole(actor, "business")) throw new Forbidden();
      const checked = checkCccd(cccd.trim());
      if (!checked.ok) throw new InvalidAccount([{ path: "/cccd", message: "Số định danh cá nhân (CCCD) không hợp lệ." }]);
      const citizen = await repo.findUserByUsername(database.db, cccd.trim());
      if (!citizen || citizen.kind !== "citizen") {
        throw new InvalidAccount([{ path: "/cccd", message: "Chưa có tài khoản công dân với số CCCD này." }]);
      }
      await database.transaction(async (tx) => {
        if (await repo.addRepresentative(tx, actor.userId, citizen.id)) {
          await audit.record(tx, {
            actor,
            action: "identity.representative_added",
            subject: { type: "user", id: actor.userId },
            requestId: meta.requestId ?? null,
            change: { citizenId: citizen.id },
          });
        }
      });
      return (await repo.representativesOf(database.db, actor.userId)).map((u) => ({ username: u.username, fullName: u.fullName }));
    },

    async representatives(actor) {
      if (actor.type !== "user" || !hasRole(actor, "business")) throw new Forbidden();
      return (await repo.representativesOf(database.db, actor.userId)).map((u) => ({ username: u.username, fullName: u.fullName }));
    },

    async findByUsername(username) {
      const row = await repo.findUserByUsername(database.db, username.trim().toLowerCase());
      return row ? view(database.db, row) : null;
    },

    actorFor,

    async seedAccount(tx, input) {
      const { password, passwordHash, roles, ...row } = input as typeof input & { password?: string; passwordHash?: string };
      // A hash is stored as given: never a password by mistake.
      if (passwordHash !== undefined && !passwordHash.startsWith("$argon2id$")) throw new Error("seedAccount: passwordHash is not an argon2id hash");
      const hashed = passwordHash ?? (await hashPassword(password!));
      return create({ type: "system", name: "seed" }, { ...row, passwordHash: hashed }, roles, {}, "identity.account_seeded", tx);
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

    async changeEmail(user, password, email, meta = {}) {
      const row = await repo.findUser(database.db, user.id);
      if (!row || !(await verifyPassword(row.passwordHash, password))) {
        throw new InvalidAccount([{ path: "/password", message: "Mật khẩu không đúng." }]);
      }
      const address = email?.trim() || null;
      if (address && (!EMAIL.test(address) || address.length > 200)) {
        throw new InvalidAccount([{ path: "/email", message: "Địa chỉ thư điện tử không hợp lệ." }]);
      }
      if (address === row.email) return view(database.db, row);
      return database.transaction(async (tx) => {
        const now = clock.now();
        await repo.setEmail(tx, user.id, address, now);
        await repo.expireEmailTokens(tx, user.id, "verify_email", now);
        if (address) await mailLink(tx, { id: user.id, email: address }, "verify_email");
        await audit.record(tx, {
          actor: actorFor(user, { loa: 0 }),
          action: "identity.email_changed",
          subject: { type: "user", id: user.id },
          requestId: meta.requestId ?? null,
          change: { hadAddress: row.email !== null, hasAddress: address !== null },
        });
        return view(tx, (await repo.findUser(tx, user.id))!);
      });
    },

    async resendVerification(user, meta = {}) {
      const row = await repo.findUser(database.db, user.id);
      if (!row?.email || row.emailVerifiedAt) return;
      const wait = await mailWait(user.id, "verify_email");
      if (wait) throw new TooManyMails(wait);
      await database.transaction(async (tx) => {
        await mailLink(tx, row, "verify_email");
        await audit.record(tx, {
          actor: actorFor(user, { loa: 0 }),
          action: "identity.verification_resent",
          subject: { type: "user", id: user.id },
          requestId: meta.requestId ?? null,
        });
      });
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
