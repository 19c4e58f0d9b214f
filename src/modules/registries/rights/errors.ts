import { defineError, type FieldProblem } from "../../../platform/http/errors.ts";

/** Too many look-ups by one person or from one client address this minute (abuse control, issue 18 item 6). */
export const LookupThrottled = defineError<[scope: "officer" | "client", retryAfterSeconds: number]>(
  "registries.throttled",
  "rate_limited",
  (scope) =>
    scope === "officer"
      ? { vi: "Bạn đã tra cứu quá số lần cho phép trong một phút. Vui lòng thử lại sau.", en: "You have made too many look-ups this minute. Please try again shortly." }
      : { vi: "Có quá nhiều yêu cầu tra cứu từ địa chỉ này trong một phút. Vui lòng thử lại sau.", en: "Too many look-ups from this address this minute. Please try again shortly." },
  (scope, retryAfterSeconds) => ({ details: { scope, retryAfterSeconds } }),
);

/** Only the person themselves (consents, requests) or the agency's supervisors and administrators (reports, breaches). */
export const RightsForbidden = defineError("registries.rights_forbidden", "forbidden", () => ({
  vi: "Bạn không có quyền thực hiện thao tác này.",
  en: "You are not allowed to do this.",
}));

export const RightsNotFound = defineError<[what: "request" | "breach" | "consent"]>(
  "registries.rights_not_found",
  "not_found",
  (what) =>
    what === "request"
      ? { vi: "Không tìm thấy yêu cầu.", en: "No such request." }
      : what === "breach"
        ? { vi: "Không tìm thấy sự cố.", en: "No such breach." }
        : { vi: "Không có sự đồng ý nào đang hiệu lực cho mục đích này.", en: "No consent in force for this purpose." },
  (what) => ({ details: { what } }),
);

/** A request already answered, a breach already notified: the step cannot be taken again. */
export const RightsConflict = defineError<[status: string]>(
  "registries.rights_conflict",
  "conflict",
  () => ({ vi: "Thao tác không còn thực hiện được ở trạng thái hiện tại.", en: "This cannot be done in the current state." }),
  (status) => ({ details: { status } }),
);

export const InvalidRightsInput = defineError<[FieldProblem[]]>(
  "registries.invalid_rights_input",
  "invalid",
  () => ({ vi: "Thông tin không hợp lệ.", en: "The input is not valid." }),
  (fields) => ({ fields }),
);
