import { defineError } from "../../../platform/http/errors.ts";

/** A callback without its flow (missing, altered or expired cookie, another state), or one the provider refused. */
export const SignInIncomplete = defineError("rp.sign_in_incomplete", "invalid", () => ({
  vi: "Không hoàn tất được đăng nhập: yêu cầu không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.",
  en: "The sign-in could not be completed: the request is invalid or has expired. Please sign in again.",
}));

/** The office takes officers and administrators only after the second factor (the ID token's `amr`). */
export const SecondFactorRequired = defineError("rp.second_factor_required", "forbidden", () => ({
  vi: "Hệ thống một cửa yêu cầu cán bộ đăng nhập bằng mật khẩu và mã xác thực hai bước.",
  en: "The one-stop office requires officers to sign in with a password and a two-step verification code.",
}));

export const AccountUnusable = defineError("rp.account_unusable", "forbidden", () => ({
  vi: "Tài khoản này không sử dụng được.",
  en: "This account cannot be used.",
}));
