// Second factor: TOTP (RFC 6238) with recovery codes, required for officers and administrators.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { Audit } from "../../platform/audit/index.ts";
import { systemActor } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import { defineError } from "../../platform/http/errors.ts";
import { lazy } from "../../platform/lazy.ts";
import { SignInThrottled } from "./errors.ts";
import * as repo from "./repo.ts";
import { THROTTLE, type UserView } from "./service.ts";

export const WrongCode = defineError("identity.wrong_code", "unauthenticated", () => ({
  vi: "Mã xác thực không đúng hoặc đã được dùng.",
  en: "The verification code is wrong or was used already.",
}));

export const NotEnrolled = defineError("identity.second_factor_not_enrolled", "conflict", () => ({
  vi: "Tài khoản chưa đăng ký xác thực hai bước.",
  en: "The account has no second factor yet.",
}));

const PERIOD = 30;

/** otplib (with its hashing and base32 plugins, ~15 ES modules), loaded with the first code made or checked. */
export const otplib = lazy(() => import("otplib"));
const RECOVERY_CODES = 10;

/** Officers and administrators must use a second factor on every sign-in. */
export function requiresSecondFactor(user: Pick<UserView, "kind">): boolean {
  return user.kind === "officer" || user.kind === "admin";
}

const digest = (code: string) => createHash("sha256").update(code.replace(/[\s-]/g, "").toLowerCase()).digest("hex");

export interface SecondFactor {
  enrolled(userId: string): Promise<boolean>;
  /** A new secret for the user, with its otpauth URI and a QR code (data URL) for the authenticator app. */
  begin(user: UserView): Promise<{ secret: string; uri: string; qr: string }>;
  /** Confirms enrolment with a first code; returns the recovery codes, shown once. Marks the session. */
  confirm(user: UserView, code: string, sessionId: string): Promise<string[]>;
  /** Checks a code (or a recovery code) at sign-in and marks the session as having passed the second factor. */
  verify(user: UserView, code: string, sessionId: string, meta?: { requestId?: string | null }): Promise<void>;
  /** When the second factor was enrolled (null: not yet) and how many recovery codes are left. */
  status(userId: string): Promise<{ enabledAt: Date | null; recoveryCodesLeft: number }>;
  /**
   * New recovery codes (the old ones stop working), after a current code from the authenticator;
   * returned once, audited. Throttled like sign-in codes.
   */
  regenerateRecoveryCodes(user: UserView, code: string, meta?: { requestId?: string | null }): Promise<string[]>;
}

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODES }, () => {
    const raw = randomBytes(5).toString("hex");
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

export function makeSecondFactor(deps: { database: Database; clock: Clock; audit: Audit; key: string }): SecondFactor {
  const { database, clock, audit } = deps;
  const aesKey = createHash("sha256").update(`motcua-totp:${deps.key}`).digest();

  const seal = (secret: string) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", aesKey, iv);
    const enc = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return `${iv.toString("base64url")}.${enc.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
  };
  const open = (sealed: string) => {
    const [iv, enc, tag] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
    const decipher = createDecipheriv("aes-256-gcm", aesKey, iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(enc!), decipher.final()]).toString("utf8");
  };

  /** The time step of a valid code for `secret` now (±1 step of clock drift), or null. */
  async function stepOf(secret: string, code: string): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    const epoch = Math.floor(clock.now().getTime() / 1000);
    const { verify } = await otplib();
    const result = await verify({ secret, token: code, epoch, epochTolerance: PERIOD });
    if (!result.valid) return null;
    const delta = "delta" in result && typeof result.delta === "number" ? result.delta : 0;
    return Math.floor(epoch / PERIOD) + delta;
  }

  async function throttled(userId: string): Promise<void> {
    const state = await repo.throttleState(database.db, `totp:${userId}`);
    const now = clock.now();
    if (state?.lockedUntil && state.lockedUntil > now) {
      throw new SignInThrottled(Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
    }
  }

  async function failed(user: UserView, meta: { requestId?: string | null }): Promise<never> {
    const now = clock.now();
    const state = await database.transaction(async (tx) => {
      const s = await repo.recordFailure(tx, `totp:${user.id}`, now, THROTTLE.code);
      await audit.record(tx, { actor: systemActor("sign-in"), action: "identity.second_factor_failed", subject: { type: "user", id: user.id }, requestId: meta.requestId ?? null });
      return s;
    });
    if (state.lockedUntil && state.lockedUntil > now) throw new SignInThrottled(Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
    throw new WrongCode();
  }

  return {
    async enrolled(userId) {
      return Boolean((await repo.findTotp(database.db, userId))?.enabledAt);
    },

    async begin(user) {
      const existing = await repo.findTotp(database.db, user.id);
      if (existing?.enabledAt) throw new NotEnrolled();
      const { generateSecret, generateURI } = await otplib();
      const secret = generateSecret();
      await repo.putPendingTotp(database.db, user.id, seal(secret));
      const uri = generateURI({ issuer: "motcua", label: user.username, secret, period: PERIOD });
      // qrcode is loaded with the first enrolment: most processes enrol no one.
      const { default: QRCode } = await import("qrcode");
      return { secret, uri, qr: await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 2 }) };
    },

    async confirm(user, code, sessionId) {
      await throttled(user.id);
      const row = await repo.findTotp(database.db, user.id);
      if (!row || row.enabledAt) throw new NotEnrolled();
      const step = await stepOf(open(row.secretEnc), code.trim());
      if (step === null) return failed(user, {});
      const codes = newRecoveryCodes();
      await database.transaction(async (tx) => {
        if (!(await repo.enableTotp(tx, user.id, clock.now(), step, codes.map(digest)))) throw new NotEnrolled();
        await repo.setSessionMfa(tx, sessionId);
        await audit.record(tx, { actor: systemActor("sign-in"), action: "identity.second_factor_enrolled", subject: { type: "user", id: user.id } });
      });
      return codes;
    },

    async verify(user, code, sessionId, meta = {}) {
      await throttled(user.id);
      const row = await repo.findTotp(database.db, user.id);
      if (!row?.enabledAt) throw new NotEnrolled();
      const given = code.trim();
      const ok = await database.transaction(async (tx) => {
        const step = await stepOf(open(row.secretEnc), given);
        const accepted =
          step !== null ? await repo.useTotpStep(tx, user.id, step) : /^[0-9a-f]{5}-?[0-9a-f]{5}$/i.test(given) && (await repo.useRecoveryCode(tx, user.id, digest(given)));
        if (!accepted) return false;
        await repo.setSessionMfa(tx, sessionId);
        await audit.record(tx, {
          actor: systemActor("sign-in"),
          action: step !== null ? "identity.second_factor_passed" : "identity.recovery_code_used",
          subject: { type: "user", id: user.id },
          requestId: meta.requestId ?? null,
        });
        return true;
      });
      if (!ok) await failed(user, meta);
    },

    async status(userId) {
      const row = await repo.findTotp(database.db, userId);
      return { enabledAt: row?.enabledAt ?? null, recoveryCodesLeft: row?.enabledAt ? row.recoveryCodes.length : 0 };
    },

    async regenerateRecoveryCodes(user, code, meta = {}) {
      await throttled(user.id);
      const row = await repo.findTotp(database.db, user.id);
      if (!row?.enabledAt) throw new NotEnrolled();
      const codes = newRecoveryCodes();
      const ok = await database.transaction(async (tx) => {
        // Only the authenticator proves it here: a recovery code cannot mint new recovery codes.
        const step = await stepOf(open(row.secretEnc), code.trim());
        if (step === null || !(await repo.useTotpStep(tx, user.id, step))) return false;
        await repo.replaceRecoveryCodes(tx, user.id, codes.map(digest));
        await audit.record(tx, {
          actor: { type: "user", userId: user.id, username: user.username, fullName: user.fullName, email: user.email, roles: user.roles, agencyCode: user.agencyCode, loa: 0 },
          action: "identity.recovery_codes_regenerated",
          subject: { type: "user", id: user.id },
          requestId: meta.requestId ?? null,
        });
        return true;
      });
      if (!ok) return failed(user, meta);
      return codes;
    },
  };
}
