import { defineError, type FieldProblem } from "../../platform/http/errors.ts";
import type { DossierStatus } from "./model.ts";
import { ACTION_WORDS, STATUS_WORDS } from "./words.ts";

/** The words of the changes that are not actions (policy.ts `GuardedAction`). */
const CHANGE_WORDS: Record<string, readonly [string, string]> = {
  save: ["Lưu bản nháp", "Save the draft"],
  attach: ["Đính kèm giấy tờ", "Attach a paper"],
  attach_result: ["Đính kèm kết quả", "Attach the result"],
};

/** An action's words, the action itself for one without. */
const actionWords = (action: string): readonly [string, string] =>
  CHANGE_WORDS[action] ?? ACTION_WORDS[action as keyof typeof ACTION_WORDS] ?? [action, action];

/** Missing, or not visible to the caller: the two are not told apart. */
export const DossierNotFound = defineError("dossier.not_found", "not_found", () => ({
  vi: "Không tìm thấy hồ sơ.",
  en: "No such dossier.",
}));

/**
 * The dossier is there, but the form asked for does not apply to it: the event it records never happened (no
 * supplement asked, not refused, not stopped, no apology), or its form set has no such number (Circular 01/2018
 * has no Mẫu 07). Not the "no such dossier" of DossierNotFound, which the caller could not tell apart.
 */
export const FormNotApplicable = defineError<[number: string, title: string | null, basis: string]>(
  "dossier.form_not_applicable",
  "not_found",
  (number, title, basis) =>
    title
      ? {
          vi: `Mẫu ${number} (${title}) không áp dụng cho hồ sơ này: hồ sơ chưa có sự việc mà biểu mẫu ghi nhận.`,
          en: `Form ${number} (${title}) does not apply to this dossier: what it records has not happened.`,
        }
      : {
          vi: `Hồ sơ này áp dụng các biểu mẫu của Thông tư ${basis}, không có Mẫu ${number}.`,
          en: `This dossier keeps the forms of Circular ${basis}, which has no form ${number}.`,
        },
  (number, _title, basis) => ({ details: { form: number, basis } }),
);

export const InvalidTransition = defineError<[string, DossierStatus]>(
  "dossier.invalid_transition",
  "conflict",
  // In words, not codes: the screens show it as it is; API callers read `details.status` and the code.
  (action, status) => ({
    vi: `Không thể «${actionWords(action)[0]}» khi hồ sơ ở trạng thái «${STATUS_WORDS[status][0]}».`,
    en: `"${actionWords(action)[1]}" is not possible while the dossier is "${STATUS_WORDS[status][1]}".`,
  }),
  (_action, status) => ({ details: { status } }),
);

export const DossierForbidden = defineError<[string]>("dossier.forbidden", "forbidden", (action) => ({
  vi: `Bạn không có quyền thực hiện "${action}" với hồ sơ này.`,
  en: `You may not "${action}" this dossier.`,
}));

export const InvalidDossier = defineError<[FieldProblem[]]>(
  "dossier.invalid",
  "invalid",
  (problems) => ({ vi: `Hồ sơ chưa hợp lệ (${problems.length} lỗi).`, en: `The dossier is not valid (${problems.length} problem(s)).` }),
  (fields) => ({ fields }),
);

export const AssuranceRequired = defineError<[number]>("dossier.assurance_required", "forbidden", (level) => ({
  vi: `Thủ tục này cần tài khoản định danh điện tử mức ${level} để nộp trực tuyến.`,
  en: `Filing this procedure online needs electronic identification level ${level}.`,
}));

export const ProcedureNotOffered = defineError<[string, string]>("dossier.procedure_not_offered", "invalid", (procedure, agency) => ({
  vi: `Cơ quan ${agency} không thực hiện thủ tục ${procedure}.`,
  en: `Agency ${agency} does not carry out procedure ${procedure}.`,
}), () => ({ fields: [{ path: "/agencyCode", message: "Cơ quan không thực hiện thủ tục này." }] }));

export const AudienceNotServed = defineError<["citizen" | "business"]>("dossier.audience_not_served", "forbidden", (kind) => ({
  vi: kind === "business" ? "Thủ tục này dành cho công dân, không dành cho doanh nghiệp." : "Thủ tục này dành cho doanh nghiệp, tổ chức.",
  en: kind === "business" ? "This procedure is for citizens, not businesses." : "This procedure is for businesses and organisations.",
}));

export const ChannelNotOffered = defineError<[string]>("dossier.channel_not_offered", "invalid", (channel) => ({
  vi: `Thủ tục không nhận hồ sơ qua kênh ${channel}.`,
  en: `The procedure is not offered through channel ${channel}.`,
}));

export const SupplementLimit = defineError("dossier.supplement_limit", "conflict", () => ({
  vi: "Hồ sơ đã được yêu cầu bổ sung một lần; không được yêu cầu thêm.",
  en: "A supplement was already requested once for this dossier.",
}));

export const ApologyTooLate = defineError<[string]>("dossier.apology_too_late", "conflict", (deadline) => ({
  vi: `Phiếu xin lỗi phải được phát hành chậm nhất ${deadline} (trước hạn trả ít nhất một ngày làm việc).`,
  en: `The apology had to be issued by ${deadline}, at least one working day before the due date.`,
}));

/**
 * The receiving agency has given every number of the day's sequence (0001–9999): a fifth digit would make a code
 * the format `{agency}-{YYMMDD}-{NNNN}` does not allow, so the filing is refused rather than coded wrongly.
 */
export const CodeSequenceExhausted = defineError<[string, string]>(
  "dossier.code_sequence_exhausted",
  "conflict",
  (agency, day) => ({
    vi: `Cơ quan ${agency} đã cấp hết 9.999 mã hồ sơ của ngày ${day.split("-").reverse().join("/")}; hồ sơ chưa được nộp. Vui lòng nộp lại vào ngày làm việc tiếp theo hoặc liên hệ cơ quan.`,
    en: `Agency ${agency} has given all 9,999 dossier codes of ${day}; the dossier was not filed. Please file it on the next working day or contact the agency.`,
  }),
  (agency, day) => ({ details: { agencyCode: agency, day } }),
);

export const AlreadyRated = defineError("dossier.already_rated", "conflict", () => ({
  vi: "Hồ sơ này đã được đánh giá.",
  en: "This dossier has been rated already.",
}));

export const LookupThrottled = defineError<[number]>(
  "dossier.lookup_throttled",
  "rate_limited",
  () => ({ vi: "Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau.", en: "Too many lookups. Please try again later." }),
  (retryAfterSeconds) => ({ details: { retryAfterSeconds } }),
);

/** A document of the data store (kho dữ liệu) that is missing or not the caller's: the two are not told apart. */
export const StoredDocumentNotFound = defineError("dossier.document_not_found", "not_found", () => ({
  vi: "Không tìm thấy giấy tờ trong kho dữ liệu của bạn.",
  en: "No such document in your data store.",
}));

/** A signed link to a dossier's file that is malformed, altered or past its expiry. */
export const FileLinkInvalid = defineError("dossier.file_link_invalid", "not_found", () => ({
  vi: "Liên kết tải tệp không hợp lệ hoặc đã hết hạn.",
  en: "The file link is invalid or has expired.",
}));
