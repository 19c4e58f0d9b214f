// Where the identity provider's pages and the administration of officer accounts are served.
export const SIGN_IN_PATH = "/dang-nhap";
export const SIGN_OUT_PATH = "/dang-xuat";
export const SECOND_FACTOR_PATH = "/dang-nhap/xac-thuc";
export const ENROL_PATH = "/dang-nhap/xac-thuc/dang-ky";
export const REGISTER_PATH = "/dang-ky";
export const REGISTER_BUSINESS_PATH = "/dang-ky/doanh-nghiep";
export const ACCOUNT_PATH = "/tai-khoan";
export const REVOKE_SESSION_PATH = "/tai-khoan/phien/thu-hoi";
export const CHANGE_PASSWORD_PATH = "/tai-khoan/mat-khau";
export const CHANGE_EMAIL_PATH = "/tai-khoan/thu-dien-tu";
export const CHANGE_ADDRESS_PATH = "/tai-khoan/dia-chi";
export const RESEND_VERIFICATION_PATH = "/tai-khoan/thu-dien-tu/gui-lai";
export const NEW_RECOVERY_CODES_PATH = "/tai-khoan/xac-thuc/ma-khoi-phuc";
export const ADD_REPRESENTATIVE_PATH = "/tai-khoan/nguoi-dai-dien";
export const FORGOT_PATH = "/quen-mat-khau";
export const RESET_PATH = "/dat-lai-mat-khau";
export const VERIFY_EMAIL_PATH = "/xac-minh-email";
/** The administration of officer accounts (an office page). */
export const ADMIN_ACCOUNTS_PATH = "/quan-tri/tai-khoan";
export const NEW_OFFICER_PATH = `${ADMIN_ACCOUNTS_PATH}/moi`;
export const officerPath = (id: string) => `${ADMIN_ACCOUNTS_PATH}/${encodeURIComponent(id)}`;
