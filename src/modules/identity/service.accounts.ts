// Accounts of citizens and businesses: registration, the email address and its verification, the password
// reset by an emailed link; an account as others read it; the seeds' accounts.
import { type Actor, type RoleGrant, systemActor } from "../../platform/auth/actor.ts";
import type { Db } from "../../platform/db/index.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import { InvalidAccount, LinkInvalid, TooManyMails } from "./errors.ts";
import { checkCccd, checkTaxCode } from "./ids.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import * as repo from "./repo.ts";
import { type AccountCore, EMAIL, type IdentityDeps, linkSeconds, type RequestMeta, sha256, type UserView } from "./service.support.ts";

/** Links of one kind mailed to one account per hour, at most (no one can flood a mailbox through motcua). */
export const MAILS_PER_HOUR = 3;

/** The identity service's accounts of citizens and businesses, and an account as others read it. */
export interface Accounts {
  registerCitizen(
    input: { cccd: string; fullName: string; birthDate: string; sex: "male" | "female"; email?: string | null; password: string },
    meta?: RequestMeta,
  ): Promise<UserView>;
  registerBusiness(
    input: { taxCode: string; name: string; email?: string | null; password: string },
    meta?: RequestMeta,
  ): Promise<UserView>;
  /** Marks the address verified with the emailed link; `LinkInvalid` for a used, expired or unknown link. */
  verifyEmail(token: string, meta?: RequestMeta): Promise<void>;
  /** Mails a reset link when the account exists and has an address; says nothing either way. */
  requestPasswordReset(username: string, meta?: RequestMeta): Promise<void>;
  /** Whether a reset link can still be used. */
  resetLinkUsable(token: string): Promise<boolean>;
  /** Sets a new password with the emailed link (once); every session of the account ends. */
  resetPassword(token: string, password: string, meta?: RequestMeta): Promise<void>;
  user(id: string): Promise<UserView | null>;
  findByUsername(username: string): Promise<UserView | null>;
  actorFor(user: UserView, opts: { loa: number }): Actor;
  /**
   * Loads an account as the operator inside a seed's transaction (demo accounts); audited. With `passwordHash`
   * (argon2id, from `hashPassword`) instead of `password`: accounts that share a password share one hash made
   * once, not one each (the demo accounts, test accounts).
   */
  seedAccount(
    tx: Db,
    input: Omit<repo.NewUser, "passwordHash" | "id"> & ({ password: string } | { passwordHash: string }) & { roles: RoleGrant[] },
  ): Promise<UserView>;
  /**
   * Replaces the account's email address (or removes it) after checking the password; a new address
   * is unverified until its emailed link is opened. Earlier links end. Audited.
   */
  changeEmail(user: UserView, password: string, email: string | null, meta?: RequestMeta): Promise<UserView>;
  /** Sets (or, empty, removes) where the account's person lives, as they give it; a new dossier's form starts with it. */
  changeAddress(user: UserView, address: string, meta?: RequestMeta): Promise<UserView>;
  /** Mails a new verification link to the account's unverified address (at most MAILS_PER_HOUR an hour). */
  resendVerification(user: UserView, meta?: RequestMeta): Promise<void>;
}

export function makeAccounts(deps: IdentityDeps, core: AccountCore): Accounts {
  const { database, clock, audit } = deps;
  const { mailLink, view, checkCommon, create, actorFor, cachedUser, accountChanged } = core;

  /** Seconds until another link of `purpose` may be mailed to the user; 0 when one may be now. */
  async function mailWait(userId: string, purpose: "verify_email" | "reset_password"): Promise<number> {
    const now = clock.now().getTime();
    // A link's expiry is its sending time plus its lifetime: links expiring after this were sent in the last hour.
    const after = new Date(now + (linkSeconds(purpose) - 3600) * 1000);
    const recent = await repo.countEmailTokensExpiringAfter(database.db, userId, purpose, after);
    return recent >= MAILS_PER_HOUR ? 3600 : 0;
  }

  return {
    async registerCitizen(input, meta = {}) {
      const fields: FieldProblem[] = [];
      const cccd = input.cccd.trim();
      const checked = checkCccd(cccd, { now: clock.now(), birthDate: input.birthDate, sex: input.sex });
      if (!checked.ok) {
        const why = {
          format: "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số.",
          province: "Ba chữ số đầu của số CCCD không phải mã tỉnh hợp lệ.",
          birth_year: "Số CCCD không khớp với năm sinh.",
          future_birth_year: "Số CCCD ghi năm sinh chưa đến: hãy kiểm tra lại số CCCD.",
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

    async verifyEmail(token, meta = {}) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new LinkInvalid();
      await database.transaction(async (tx) => {
        const userId = await repo.useEmailToken(tx, sha256(token), "verify_email", clock.now());
        if (!userId) throw new LinkInvalid();
        await repo.markEmailVerified(tx, userId, clock.now());
        await accountChanged(tx, userId);
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
        await accountChanged(tx, userId);
        await audit.record(tx, {
          actor: systemActor("email-link"),
          action: "identity.password_reset",
          subject: { type: "user", id: userId },
          requestId: meta.requestId ?? null,
          change: { sessionsEnded: ended },
        });
      });
    },

    user: cachedUser,

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
        await accountChanged(tx, user.id);
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

    async changeAddress(user, address, meta = {}) {
      const value = address.trim().replace(/\s+/g, " ").normalize("NFC") || null;
      if (value && value.length > 300) throw new InvalidAccount([{ path: "/address", message: "Địa chỉ dài quá 300 ký tự." }]);
      if (user.kind !== "citizen" && user.kind !== "business") throw new InvalidAccount([{ path: "/address", message: "Tài khoản cán bộ không có địa chỉ cư trú." }]);
      return database.transaction(async (tx) => {
        await repo.setAddress(tx, user.id, value, clock.now());
        await accountChanged(tx, user.id);
        await audit.record(tx, {
          actor: actorFor(user, { loa: 0 }),
          action: "identity.address_changed",
          subject: { type: "user", id: user.id },
          requestId: meta.requestId ?? null,
          change: { hasAddress: value !== null },
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
}
