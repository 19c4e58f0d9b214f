// Signing in and the sessions it opens: the password (throttled), the federated sign-in, the relying parties'
// sessions, a person's own sessions and their password change.
import { randomBytes } from "node:crypto";
import type { Actor } from "../../platform/auth/actor.ts";
import { waitOn } from "../../platform/clock.ts";
import type { Db } from "../../platform/db/index.ts";
import { AccountDisabled, Forbidden, InvalidAccount, InvalidCredentials, SignInThrottled, UsernameTaken } from "./errors.ts";
import { checkCccd } from "./ids.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import * as repo from "./repo.ts";
import { type AccountCore, type IdentityDeps, type RequestMeta, sha256, type UserView } from "./service.support.ts";

/** Session lifetime: 8 hours from the last request, at most 12 hours from sign-in. */
export const SESSION_IDLE_SECONDS = 8 * 3600;
export const SESSION_MAX_SECONDS = 12 * 3600;

/**
 * Sign-in throttling, counted in the database (`sign_in_throttle`), so every web node on one PostgreSQL shares it.
 * A lock refuses one address, never an account: as the best-known identity providers do (Auth0's brute-force
 * protection per account and address, Entra's smart lockout), someone guessing a password from elsewhere cannot
 * keep its owner out.
 * - `pair`: one address against one account: refused (429, Retry-After) after 5 failures in 15 minutes, for 15
 *   minutes, the right password included.
 * - `address`: one address against any accounts (a password spray): refused after 30 failures in 15 minutes.
 * - `account`: one account from every address: never refused; from its 10th failure in 15 minutes every attempt on
 *   it waits before its password is checked, 1 s doubling with each further failure up to 8 s, so a guesser with
 *   many addresses is slowed while the owner, from an address that has not failed, still signs in.
 * - `code`: second-factor codes of one account (the password was right): refused after 5 failures, for 15 minutes.
 */
export const THROTTLE = {
  pair: { windowSeconds: 15 * 60, limit: 5, lockSeconds: 15 * 60 },
  address: { windowSeconds: 15 * 60, limit: 30, lockSeconds: 15 * 60 },
  account: { windowSeconds: 15 * 60, freeFailures: 10, firstDelayMs: 1000, maxDelayMs: 8000 },
  code: { windowSeconds: 15 * 60, limit: 5, lockSeconds: 15 * 60 },
} as const;

/** How long an attempt on an account waits, by the account's failures in its window (none: 0). */
export function accountDelayMs(state: { failures: number; windowStart: Date } | null | undefined, now: Date): number {
  const { windowSeconds, freeFailures, firstDelayMs, maxDelayMs } = THROTTLE.account;
  if (!state || state.windowStart.getTime() <= now.getTime() - windowSeconds * 1000) return 0;
  if (state.failures < freeFailures) return 0;
  return Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(state.failures - freeFailures, 30));
}

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

/** The identity service's sign-in and sessions. */
export interface SignIn {
  /**
   * Checks the password (throttled, audited) and opens a session; returns its cookie token. Throws
   * SignInThrottled when this address is locked out (of this account, or of all), InvalidCredentials,
   * AccountDisabled. An account under attack from many addresses is slowed (`THROTTLE.account`), never refused.
   */
  signIn(input: { username: string; password: string }, meta?: RequestMeta): Promise<{ user: UserView; token: string }>;
  /**
   * Signs in a person an external provider vouched for: the account linked to (issuer, subject), else the
   * citizen account of that CCCD (then linked), else a new citizen account without a password. Audited.
   */
  signInFederated(
    input: {
      issuer: string;
      subject: string;
      cccd: string;
      loa: number;
      fullName?: string | null;
      /** What the provider says of the person (OIDC `birthdate`, `address.formatted`): kept on the account. */
      birthDate?: string | null;
      address?: string | null;
    },
    meta?: RequestMeta,
  ): Promise<{ user: UserView; token: string }>;
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
  /** The user's live sessions, most recently used first. */
  sessionsOf(userId: string): Promise<Array<{ id: string; createdAt: Date; lastSeenAt: Date; userAgent: string | null; loa: number }>>;
  /** Ends one of the user's own sessions (audited); false when it is not theirs or already ended. */
  revokeOwnSession(user: UserView, sessionId: string, meta?: RequestMeta): Promise<boolean>;
  /** Changes the password after checking the current one; every other session ends. Audited. */
  changePassword(user: UserView, currentSessionId: string, current: string, next: string, meta?: RequestMeta): Promise<void>;
}

export function makeSignIn(deps: IdentityDeps, core: AccountCore): SignIn {
  const { database, clock, audit } = deps;
  const { view, create, actorFor, accountChanged } = core;

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

  return {
    async signIn(input, meta = {}) {
      const username = input.username.trim().toLowerCase();
      const row = await repo.findUserByUsername(database.db, username);
      const account = row?.id ?? sha256(username);
      // Without an address (a call from within the program), the attempts share one.
      const keys = { account: `user:${account}`, pair: `pair:${account}:${meta.ip ?? "-"}`, address: meta.ip ? `ip:${meta.ip}` : null };
      const states = await repo.throttleStates(database.db, [keys.account, keys.pair, ...(keys.address ? [keys.address] : [])]);
      const started = clock.now();
      for (const key of [keys.pair, keys.address]) {
        const lockedUntil = key ? states.get(key)?.lockedUntil : null;
        if (lockedUntil && lockedUntil > started) throw new SignInThrottled(Math.ceil((lockedUntil.getTime() - started.getTime()) / 1000));
      }
      // Slowed, never refused: an account failing from many addresses makes every attempt on it wait.
      await waitOn(clock, accountDelayMs(states.get(keys.account), started));
      const ok = await verifyPassword(row?.passwordHash ?? null, input.password);
      if (!ok || !row) {
        const now = clock.now();
        const locked = await database.transaction(async (tx) => {
          await repo.recordFailure(tx, keys.account, now, THROTTLE.account);
          const pair = await repo.recordFailure(tx, keys.pair, now, THROTTLE.pair);
          const address = keys.address ? await repo.recordFailure(tx, keys.address, now, THROTTLE.address) : null;
          if (pair.lockedUntil && pair.lockedUntil > now) return { scope: "account_address", until: pair.lockedUntil };
          if (address?.lockedUntil && address.lockedUntil > now) return { scope: "address", until: address.lockedUntil };
          return null;
        });
        const subject = row?.id ?? `unknown:${sha256(username).slice(0, 16)}`;
        await auditSeparately({ type: "anonymous" }, "identity.sign_in_failed", subject, meta);
        if (locked) {
          await auditSeparately({ type: "anonymous" }, "identity.locked_out", subject, meta, { scope: locked.scope });
          throw new SignInThrottled(Math.ceil((locked.until.getTime() - now.getTime()) / 1000));
        }
        throw new InvalidCredentials();
      }
      if (row.status !== "active") {
        await auditSeparately({ type: "anonymous" }, "identity.sign_in_refused_disabled", row.id, meta);
        throw new AccountDisabled();
      }
      const user = await view(database.db, row);
      // The address's failures against the account are forgiven; the account's own count runs out with its window,
      // so a guesser elsewhere stays slowed.
      const token = await openSession(user, { loa: 0, method: "password" }, meta, (tx) => repo.clearFailures(tx, keys.pair));
      return { user, token };
    },

    async signInFederated(input, meta = {}) {
      const cccd = input.cccd.trim();
      const checked = checkCccd(cccd, { now: clock.now() });
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
      // The provider is the authority on the person it vouches for: its date of birth and address replace the account's.
      const provided = {
        ...(input.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(input.birthDate) && input.birthDate !== row.birthDate ? { birthDate: input.birthDate } : {}),
        ...(input.address?.trim() && input.address.trim().slice(0, 300) !== row.address ? { address: input.address.trim().slice(0, 300) } : {}),
      };
      if (Object.keys(provided).length) {
        const userId = row.id;
        await database.transaction(async (tx) => {
          await repo.setProvidedFacts(tx, userId, provided, clock.now());
          await accountChanged(tx, userId);
        });
        row = (await repo.findUser(database.db, userId)) ?? row;
      }
      const account = row;
      const user = await view(database.db, account);
      const token = await openSession(user, { loa, method: "federation" }, meta, (tx) =>
        repo.linkFederated(tx, input.issuer, input.subject, account.id),
      );
      return { user, token };
    },

    session: (token) => liveSession(token, null),
    signOut: (token, meta = {}) => endSession(token, null, meta),

    async openRelyingPartySession(rp, user, opts, meta = {}) {
      if (user.status !== "active") throw new AccountDisabled();
      return openSession(user, { loa: opts.loa, mfa: opts.mfa, method: "oidc", rp }, meta);
    },
    relyingPartySession: (rp, token) => liveSession(token, rp),
    endRelyingPartySession: (rp, token, meta = {}) => endSession(token, rp, meta),

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
        await accountChanged(tx, user.id);
        await audit.record(tx, {
          actor: actorFor(user, { loa: 0 }),
          action: "identity.password_changed",
          subject: { type: "user", id: user.id },
          requestId: meta.requestId ?? null,
          change: { otherSessionsEnded: ended },
        });
      });
    },
  };
}
