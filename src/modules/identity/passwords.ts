// Password hashing (argon2id) and policy.
import { hash, verify } from "@node-rs/argon2";

/** argon2id with the OWASP 2023 minimum (19 MiB, 2 passes, 1 lane). `2` is Algorithm.Argon2id (a const enum). */
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash to verify against when the account does not exist, so both cases take the same time. */
let decoy: Promise<string> | null = null;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= hashPassword("motcua-decoy-password");
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

export const MIN_PASSWORD_LENGTH = 10;

/** What is wrong with a new password, in Vietnamese and English; null when it is acceptable. */
export function passwordProblem(password: string, username: string): { vi: string; en: string } | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return { vi: `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`, en: `A password needs at least ${MIN_PASSWORD_LENGTH} characters.` };
  }
  if ([...password].length > 256) return { vi: "Mật khẩu quá dài.", en: "The password is too long." };
  if (password.toLowerCase().includes(username.toLowerCase())) {
    return { vi: "Mật khẩu không được chứa tên đăng nhập.", en: "The password must not contain the username." };
  }
  if (!/\p{L}/u.test(password) || !/\p{N}/u.test(password)) {
    return { vi: "Mật khẩu cần có cả chữ và số.", en: "A password needs both letters and digits." };
  }
  return null;
}
