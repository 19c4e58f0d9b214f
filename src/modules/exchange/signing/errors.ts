import { defineError, type FieldProblem } from "../../../platform/http/errors.ts";

/** A key, a certificate or an agency code given to the keys service that is not right; `fields` names it. */
export const InvalidKeyInput = defineError<[FieldProblem[]]>(
  "exchange.invalid_key_input",
  "invalid",
  () => ({ vi: "Khóa hoặc chứng thư số không hợp lệ.", en: "The key or certificate is not valid." }),
  (fields) => ({ fields }),
);

export const SigningKeyExists = defineError<[string]>("exchange.signing_key_exists", "conflict", (code) => ({
  vi: `Cơ quan ${code} đã có khóa ký đang dùng; hãy dùng lệnh thay khóa (rotate).`,
  en: `Agency ${code} already has an active signing key; rotate it instead.`,
}));

export const NoSigningKey = defineError<[string]>("exchange.no_signing_key", "not_found", (code) => ({
  vi: `Cơ quan ${code} chưa có khóa ký đang dùng.`,
  en: `Agency ${code} has no active signing key.`,
}));

export const TrustedCertificateNotFound = defineError<[number]>("exchange.certificate_not_found", "not_found", (id) => ({
  vi: `Không có chứng thư số đã đăng ký số ${id} (hoặc đã bị thu hồi).`,
  en: `No registered certificate ${id} (or it was revoked already).`,
}));

export const KeysForbidden = defineError("exchange.keys_forbidden", "forbidden", () => ({
  vi: "Bạn không có quyền quản lý khóa và chứng thư số của trục liên thông.",
  en: "You are not allowed to manage the exchange's keys and certificates.",
}));
