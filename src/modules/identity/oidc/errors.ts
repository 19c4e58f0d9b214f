import { defineError } from "../../../platform/http/errors.ts";

/** A bearer token that is unknown, expired, revoked, tampered with or from another issuer. */
export const InvalidToken = defineError("oidc.invalid_token", "unauthenticated", () => ({
  vi: "Mã truy cập không hợp lệ hoặc đã hết hạn.",
  en: "The access token is invalid or expired.",
}));
