import { defineError, type FieldProblem } from "../../platform/http/errors.ts";
import type { RegistryName } from "./gateway/mapping.ts";

/** Why a registry could not be asked or did not answer usefully. */
export type UnavailableReason = "not_configured" | "timeout" | "down" | "error" | "invalid_answer" | "refused" | "circuit_open";

export const REGISTRY_NAMES: Record<RegistryName, { vi: string; en: string }> = {
  population: { vi: "Cơ sở dữ liệu quốc gia về dân cư", en: "the national population database" },
  business: { vi: "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp", en: "the national business registration database" },
  civil_status: { vi: "Cơ sở dữ liệu hộ tịch điện tử", en: "the electronic civil-status database" },
};

/**
 * A registry could not give its data now (down, too slow, answering garbage, its breaker open, not configured).
 * Filing goes on without prefill: the message says so.
 */
export const RegistryUnavailable = defineError<[registry: RegistryName, reason: UnavailableReason, retryAfterSeconds?: number]>(
  "registries.unavailable",
  "unavailable",
  (registry) => ({
    vi: `Tạm thời không lấy được thông tin từ ${REGISTRY_NAMES[registry].vi}. Bạn vẫn có thể tiếp tục nộp hồ sơ và tự điền thông tin.`,
    en: `Information from ${REGISTRY_NAMES[registry].en} cannot be had right now. You can still file and fill in the form yourself.`,
  }),
  (registry, reason, retryAfterSeconds) => ({ details: { registry, reason, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) } }),
);

export const RegistryRateLimited = defineError<[registry: RegistryName, retryAfterSeconds: number]>(
  "registries.rate_limited",
  "rate_limited",
  (registry) => ({
    vi: `Đã vượt số lần tra cứu ${REGISTRY_NAMES[registry].vi} cho phép trong một phút. Vui lòng thử lại sau.`,
    en: `Too many look-ups in ${REGISTRY_NAMES[registry].en} this minute. Please try again shortly.`,
  }),
  (registry, retryAfterSeconds) => ({ details: { registry, retryAfterSeconds } }),
);

export const RegistryRecordNotFound = defineError<[registry: RegistryName]>("registries.not_found", "not_found", (registry) => ({
  vi: `Không tìm thấy thông tin trong ${REGISTRY_NAMES[registry].vi}.`,
  en: `Nothing was found in ${REGISTRY_NAMES[registry].en}.`,
}));

/** Only an agency's officers, or the person (the business) themselves for their own data, may look up. */
export const RegistryLookupForbidden = defineError("registries.forbidden", "forbidden", () => ({
  vi: "Bạn không có quyền tra cứu thông tin này.",
  en: "You are not allowed to look this up.",
}));

/** A CCCD or tax code that is not well-formed, or a purpose, legal basis or dossier missing; `fields` names it. */
export const InvalidLookup = defineError<[FieldProblem[]]>(
  "registries.invalid_lookup",
  "invalid",
  () => ({ vi: "Yêu cầu tra cứu không hợp lệ.", en: "The look-up is not valid." }),
  (fields) => ({ fields }),
);
