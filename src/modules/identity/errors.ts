import { defineError, type FieldProblem } from "../../platform/http/errors.ts";

export const InvalidAccount = defineError<[FieldProblem[]]>(
  "identity.invalid_account",
  "invalid",
  () => ({ vi: "Thông tin tài khoản không hợp lệ.", en: "The account details are not valid." }),
  (fields) => ({ fields }),
);

export const UsernameTaken = defineError<[string]>("identity.username_taken", "conflict", () => ({
  vi: "Đã có tài khoản với số định danh này.",
  en: "An account with this identifier already exists.",
}));

/** Wrong username or password: the message never says which. */
export const InvalidCredentials = defineError("identity.invalid_credentials", "unauthenticated", () => ({
  vi: "Tên đăng nhập hoặc mật khẩu không đúng.",
  en: "Wrong username or password.",
}));

export const SignInThrottled = defineError<[number]>(
  "identity.sign_in_throttled",
  "rate_limited",
  (seconds) => ({
    vi: `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(seconds / 60)} phút.`,
    en: `Too many failed sign-ins. Try again in ${Math.ceil(seconds / 60)} minutes.`,
  }),
  (seconds) => ({ details: { retryAfterSeconds: seconds } }),
);

export const AccountDisabled = defineError("identity.account_disabled", "forbidden", () => ({
  vi: "Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên.",
  en: "The account is disabled. Contact an administrator.",
}));

export const NotSignedIn = defineError("identity.not_signed_in", "unauthenticated", () => ({
  vi: "Bạn cần đăng nhập.",
  en: "You need to sign in.",
}));

export const Forbidden = defineError("identity.forbidden", "forbidden", () => ({
  vi: "Bạn không có quyền thực hiện thao tác này.",
  en: "You are not allowed to do this.",
}));

export const LinkInvalid = defineError("identity.link_invalid", "invalid", () => ({
  vi: "Liên kết không hợp lệ, đã hết hạn hoặc đã được sử dụng.",
  en: "The link is invalid, expired or already used.",
}));

export const TooManyMails = defineError<[number]>(
  "identity.too_many_mails",
  "rate_limited",
  (seconds) => ({
    vi: `Đã gửi nhiều thư trong thời gian ngắn. Vui lòng thử lại sau ${Math.ceil(seconds / 60)} phút.`,
    en: `Several messages were sent recently. Try again in ${Math.ceil(seconds / 60)} minutes.`,
  }),
  (seconds) => ({ details: { retryAfterSeconds: seconds } }),
);

export const OwnAccount = defineError("identity.own_account", "conflict", () => ({
  vi: "Không thể tự khóa hoặc tự đặt lại xác thực hai bước cho tài khoản của chính mình.",
  en: "You cannot disable your own account or reset your own second factor.",
}));

export const NotAnOfficer = defineError("identity.not_an_officer", "not_found", () => ({
  vi: "Không tìm thấy tài khoản cán bộ.",
  en: "No such officer account.",
}));
