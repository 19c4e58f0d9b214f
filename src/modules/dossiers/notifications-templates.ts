// The dossier notifications' texts, in Vietnamese (STYLE.md: text shown to people is Vietnamese).
// Each is a small pure function of what the message says, so a test reads what a person receives.
import { formatLocal } from "../calendar/index.ts";

export interface MailContent {
  subject: string;
  text: string;
}

/** `dd/MM/yyyy HH:mm` in Vietnam's time; "chưa xác định" (not fixed yet) for no date. */
export function vnDateTime(at: Date | null): string {
  if (!at) return "chưa xác định";
  const s = formatLocal(at.getTime());
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)} ${s.slice(11, 16)}`;
}

const FOOTER = "\n\nĐây là thư tự động của hệ thống một cửa điện tử, xin ông/bà không trả lời thư này.";

/** How the applicant reads the dossier: the lookup link once received, else the portal. */
export interface ApplicantFacts {
  applicantName: string;
  /** Mã hồ sơ; null before receipt. */
  code: string | null;
  procedureName: string;
  /** The lookup link (code + lookup key), or the portal's address before receipt. */
  link: string;
  /**
   * The dossier's own page on the portal (sign in, then download), for a dossier filed from an account; null for
   * one taken at the counter for an applicant without one.
   */
  dossierLink?: string | null;
}

const named = (f: ApplicantFacts) => f.code ?? `«${f.procedureName}»`;
const which = (f: ApplicantFacts) => `Hồ sơ ${named(f)}`;

/** The lookup link (status only), or the portal before receipt. */
const followLookup = (f: ApplicantFacts) =>
  f.code
    ? ["", `Tra cứu tình trạng hồ sơ: ${f.link}`, "Đường dẫn này có khóa tra cứu riêng của hồ sơ, xin ông/bà không chia sẻ cho người khác."]
    : ["", `Xem và cập nhật hồ sơ trên Cổng dịch vụ công: ${f.link}`];

function body(f: ApplicantFacts, lines: string[], follow: string[] = followLookup(f)): string {
  const head = [`Kính gửi ông/bà ${f.applicantName},`, ""];
  const dossier = [...(f.code ? [`Mã hồ sơ: ${f.code}`] : []), `Thủ tục: ${f.procedureName}`];
  return [...head, ...lines, "", ...dossier, ...follow].join("\n") + FOOTER;
}

/** Mẫu 01 in short: the dossier was received, with its appointment. */
export function receiptMail(f: ApplicantFacts & { dueAt: Date | null }): MailContent {
  return {
    subject: `${which(f)} đã được tiếp nhận`,
    text: body(f, ["Hồ sơ của ông/bà đã được tiếp nhận.", `Ngày hẹn trả kết quả: ${vnDateTime(f.dueAt)}`]),
  };
}

/** One line of Mẫu 02, with the names the procedure gives the component and the field. */
export interface SupplementLine {
  what: string | null;
  reason: string;
}

/** Mẫu 02 in short: the itemised list of what is missing and why. */
export function supplementMail(f: ApplicantFacts & { items: SupplementLine[]; paused: boolean }): MailContent {
  const lines = [
    "Cơ quan giải quyết đề nghị ông/bà bổ sung, hoàn thiện hồ sơ với các nội dung sau:",
    ...f.items.map((i, n) => `${n + 1}. ${i.what ? `${i.what}: ` : ""}${i.reason}`),
    ...(f.paused ? ["", "Thời gian giải quyết hồ sơ tạm dừng cho đến khi ông/bà nộp bổ sung."] : []),
  ];
  return { subject: `${which(f)} cần bổ sung, hoàn thiện`, text: body(f, lines) };
}

/** Mẫu 04 in short: an apology, its reason, the new appointment. */
export function apologyMail(f: ApplicantFacts & { reason: string | null; newDueAt: Date | null }): MailContent {
  const lines = [
    "Cơ quan giải quyết chân thành xin lỗi ông/bà vì hồ sơ chưa được giải quyết đúng thời hạn đã hẹn.",
    ...(f.reason ? [`Lý do: ${f.reason}`] : []),
    `Ngày hẹn trả kết quả mới: ${vnDateTime(f.newDueAt)}`,
  ];
  return { subject: `Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${named(f)}`, text: body(f, lines) };
}

export type ReturnMethod = "counter" | "post" | "online";

const RETURN_TEXT: Record<ReturnMethod, string> = {
  counter: "Ông/bà nhận kết quả trực tiếp tại Bộ phận Một cửa; xin mang theo giấy tiếp nhận hồ sơ và hẹn trả kết quả cùng giấy tờ tùy thân.",
  post: "Kết quả sẽ được gửi đến ông/bà qua dịch vụ bưu chính công ích, theo địa chỉ đã đăng ký.",
  online: "Ông/bà nhận bản điện tử của kết quả trên Cổng dịch vụ công.",
};

/**
 * The result is issued: how it will be returned, and where to download it — the dossier's own page (sign in,
 * then download; issue 15, item 4), not the public lookup, which shows the status only. A dossier without an
 * account behind it keeps the lookup link.
 */
export function resultReadyMail(f: ApplicantFacts & { method: ReturnMethod }): MailContent {
  const follow = f.dossierLink
    ? ["", `Xem hồ sơ và tải kết quả (đăng nhập Cổng dịch vụ công bằng tài khoản đã nộp hồ sơ): ${f.dossierLink}`]
    : undefined;
  return {
    subject: `${which(f)} đã có kết quả`,
    text: body(f, ["Hồ sơ của ông/bà đã được giải quyết xong, kết quả đã sẵn sàng.", RETURN_TEXT[f.method]], follow),
  };
}

/** To an officer: a dossier was given to them. */
export function assignmentMail(f: { officerName: string; code: string | null; procedureName: string; stepName: string; dueAt: Date | null; link: string }): MailContent {
  const code = f.code ?? "(chưa có mã)";
  return {
    subject: `Ông/bà được giao xử lý hồ sơ ${code}`,
    text:
      [
        `Kính gửi ông/bà ${f.officerName},`,
        "",
        "Ông/bà được giao xử lý hồ sơ sau:",
        `Mã hồ sơ: ${code}`,
        `Thủ tục: ${f.procedureName}`,
        `Bước xử lý: ${f.stepName}`,
        `Hạn xử lý bước: ${vnDateTime(f.dueAt)}`,
        "",
        `Mở hồ sơ: ${f.link}`,
      ].join("\n") + FOOTER,
  };
}
