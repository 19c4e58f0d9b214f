// Sign-in, registration and account pages (Vietnamese first, English by the language switch).
import type { FieldProblem } from "../../platform/http/errors.ts";
import { tr } from "../../web/i18n.ts";
import { Layout } from "../../web/layout.tsx";
import type { PageRequest } from "../../web/render.ts";
import type { UserView } from "./service.ts";

export const SIGN_IN_PATH = "/dang-nhap";
export const SIGN_OUT_PATH = "/dang-xuat";
export const REGISTER_PATH = "/dang-ky";
export const ACCOUNT_PATH = "/tai-khoan";


export function Problems({ page, message, fields }: { page: PageRequest; message?: string | undefined; fields?: FieldProblem[] | undefined }) {
  if (!message && !fields?.length) return null;
  return (
    <div class="error" role="alert" id="form-errors">
      {message ? <p>{message}</p> : null}
      {fields?.length ? (
        <ul>
          {fields.map((f) => (
            <li key={f.path}>{f.message}</li>
          ))}
        </ul>
      ) : null}
      {!message && !fields?.length ? <p>{tr(page, "Có lỗi.", "Something is wrong.")}</p> : null}
    </div>
  );
}

export function Field(props: {
  id: string;
  label: string;
  type?: string;
  value?: string | undefined;
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  invalid?: boolean;
  inputmode?: "numeric" | "email" | "text";
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="sub" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        autocomplete={props.autocomplete}
        required={props.required ?? true}
        aria-describedby={hintId}
        aria-invalid={props.invalid ? "true" : undefined}
        inputMode={props.inputmode}
      />
    </div>
  );
}

export function SignInPage(props: {
  page: PageRequest;
  csrf: string;
  next: string;
  username?: string;
  error?: string | undefined;
  /** The external provider's name (VNeID…), when federation is configured. */
  federation?: string | null | undefined;
}) {
  const { page } = props;
  const title = tr(page, "Đăng nhập", "Sign in");
  return (
    <Layout page={page} variant="portal" title={title}>
      <h1>{title}</h1>
      <Problems page={page} message={props.error} />
      <form method="post" action={SIGN_IN_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <Field
          id="username"
          label={tr(page, "Tên đăng nhập", "Username")}
          hint={tr(page, "Công dân: số CCCD 12 chữ số; doanh nghiệp: mã số thuế; cán bộ: tên tài khoản.", "Citizens: the 12-digit CCCD; businesses: the tax code; officers: the account name.")}
          value={props.username}
          autocomplete="username"
        />
        <Field id="password" label={tr(page, "Mật khẩu", "Password")} type="password" autocomplete="current-password" />
        <button class="button" type="submit">
          {title}
        </button>
      </form>
      {props.federation ? (
        <p>
          <a class="button" href={`/dang-nhap/ngoai?next=${encodeURIComponent(props.next)}`}>
            {tr(page, `Đăng nhập bằng ${props.federation}`, `Sign in with ${props.federation}`)}
          </a>
        </p>
      ) : null}
      <p>
        {tr(page, "Chưa có tài khoản?", "No account yet?")} <a href={REGISTER_PATH}>{tr(page, "Đăng ký", "Register")}</a> ·{" "}
        <a href="/quen-mat-khau">{tr(page, "Quên mật khẩu?", "Forgot the password?")}</a>
      </p>
    </Layout>
  );
}

export interface RegisterValues {
  cccd?: string;
  fullName?: string;
  birthDate?: string;
  sex?: string;
  email?: string;
}

export function RegisterPage(props: { page: PageRequest; csrf: string; values?: RegisterValues; fields?: FieldProblem[]; error?: string }) {
  const { page } = props;
  const v = props.values ?? {};
  const bad = (path: string) => props.fields?.some((f) => f.path === path) ?? false;
  const title = tr(page, "Đăng ký tài khoản công dân", "Register as a citizen");
  return (
    <Layout page={page} variant="portal" title={title}>
      <h1>{title}</h1>
      <Problems page={page} message={props.error} fields={props.fields} />
      <form method="post" action={REGISTER_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <Field id="cccd" label={tr(page, "Số định danh cá nhân (CCCD)", "Personal identification number (CCCD)")} value={v.cccd} inputmode="numeric" invalid={bad("/cccd")} hint={tr(page, "12 chữ số", "12 digits")} />
        <Field id="fullName" label={tr(page, "Họ và tên", "Full name")} value={v.fullName} autocomplete="name" invalid={bad("/fullName")} />
        <Field id="birthDate" label={tr(page, "Ngày sinh", "Date of birth")} type="date" value={v.birthDate} autocomplete="bday" invalid={bad("/birthDate")} />
        <fieldset class="field">
          <legend>{tr(page, "Giới tính", "Sex")}</legend>
          <label>
            <input type="radio" name="sex" value="male" checked={v.sex === "male"} /> {tr(page, "Nam", "Male")}
          </label>{" "}
          <label>
            <input type="radio" name="sex" value="female" checked={v.sex === "female"} /> {tr(page, "Nữ", "Female")}
          </label>
        </fieldset>
        <Field id="email" label={tr(page, "Thư điện tử", "Email")} type="email" value={v.email} autocomplete="email" required={false} invalid={bad("/email")} />
        <Field id="password" label={tr(page, "Mật khẩu", "Password")} type="password" autocomplete="new-password" invalid={bad("/password")} hint={tr(page, "Ít nhất 10 ký tự, có cả chữ và số.", "At least 10 characters, with letters and digits.")} />
        <button class="button" type="submit">
          {tr(page, "Đăng ký", "Register")}
        </button>
      </form>
      <p>
        {tr(page, "Đăng ký cho doanh nghiệp?", "Registering a business?")}{" "}
        <a href={REGISTER_BUSINESS_PATH}>{tr(page, "Đăng ký bằng mã số thuế", "Register with the tax code")}</a>
      </p>
    </Layout>
  );
}

export const REGISTER_BUSINESS_PATH = "/dang-ky/doanh-nghiep";

export interface BusinessValues {
  taxCode?: string;
  name?: string;
  email?: string;
}

export function RegisterBusinessPage(props: { page: PageRequest; csrf: string; values?: BusinessValues; fields?: FieldProblem[] | undefined; error?: string | undefined }) {
  const { page } = props;
  const v = props.values ?? {};
  const bad = (path: string) => props.fields?.some((f) => f.path === path) ?? false;
  const title = tr(page, "Đăng ký tài khoản doanh nghiệp", "Register a business");
  return (
    <Layout page={page} variant="portal" title={title}>
      <h1>{title}</h1>
      <p>
        {tr(
          page,
          "Tên đăng nhập của doanh nghiệp là mã số thuế. Sau khi đăng ký, hãy thêm người đại diện (công dân có tài khoản) ở trang tài khoản.",
          "A business signs in with its tax code. After registering, add its representatives (citizens with an account) on the account page.",
        )}
      </p>
      <Problems page={page} message={props.error} fields={props.fields} />
      <form method="post" action={REGISTER_BUSINESS_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <Field
          id="taxCode"
          label={tr(page, "Mã số thuế", "Tax code")}
          value={v.taxCode}
          inputmode="numeric"
          invalid={bad("/taxCode")}
          hint={tr(page, "10 chữ số, hoặc 13 chữ số cho đơn vị phụ thuộc (dạng 0100233488-001).", "10 digits, or 13 for a branch (as 0100233488-001).")}
        />
        <Field id="name" label={tr(page, "Tên doanh nghiệp", "Business name")} value={v.name} autocomplete="organization" invalid={bad("/name")} />
        <Field id="email" label={tr(page, "Thư điện tử", "Email")} type="email" value={v.email} autocomplete="email" required={false} invalid={bad("/email")} />
        <Field id="password" label={tr(page, "Mật khẩu", "Password")} type="password" autocomplete="new-password" invalid={bad("/password")} hint={tr(page, "Ít nhất 10 ký tự, có cả chữ và số.", "At least 10 characters, with letters and digits.")} />
        <button class="button" type="submit">
          {tr(page, "Đăng ký", "Register")}
        </button>
      </form>
    </Layout>
  );
}

export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  current: boolean;
}

export const REVOKE_SESSION_PATH = "/tai-khoan/phien/thu-hoi";
export const CHANGE_PASSWORD_PATH = "/tai-khoan/mat-khau";
export const CHANGE_EMAIL_PATH = "/tai-khoan/thu-dien-tu";
export const RESEND_VERIFICATION_PATH = "/tai-khoan/thu-dien-tu/gui-lai";
export const NEW_RECOVERY_CODES_PATH = "/tai-khoan/xac-thuc/ma-khoi-phuc";
export const ADD_REPRESENTATIVE_PATH = "/tai-khoan/nguoi-dai-dien";
/** The administration of officer accounts (admin-pages.tsx). */
export const ADMIN_ACCOUNTS_PATH = "/quan-tri/tai-khoan";

export interface SecondFactorStatus {
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

export function when(page: PageRequest, d: Date): string {
  return d.toLocaleString(page.lang === "en" ? "en-GB" : "vi-VN", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" });
}

export function AccountPage(props: {
  page: PageRequest;
  csrf: string;
  user: UserView;
  sessions: SessionView[];
  notice?: string | undefined;
  error?: string | undefined;
  fields?: FieldProblem[] | undefined;
  /** Officers and administrators: their second factor. */
  secondFactor?: SecondFactorStatus | null | undefined;
  /** Whether the user administers accounts (a link to the administration pages). */
  administers?: boolean | undefined;
  /** A business: the citizens who represent it. */
  representatives?: Array<{ username: string; fullName: string }> | null | undefined;
}) {
  const { page, user } = props;
  const title = tr(page, "Tài khoản của tôi", "My account");
  const bad = (path: string) => props.fields?.some((f) => f.path === path) ?? false;
  const kinds = { citizen: ["Công dân", "Citizen"], business: ["Doanh nghiệp", "Business"], officer: ["Cán bộ", "Officer"], admin: ["Quản trị", "Administrator"] } as const;
  return (
    <Layout page={page} variant={user.kind === "citizen" || user.kind === "business" ? "portal" : "office"} title={title}>
      <h1>{title}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <Problems page={page} message={props.error} fields={props.fields} />
      <h2>{tr(page, "Thông tin", "Profile")}</h2>
      <dl>
        <dt>{tr(page, "Họ và tên", "Name")}</dt>
        <dd>{user.fullName}</dd>
        <dt>{tr(page, "Tên đăng nhập", "Username")}</dt>
        <dd>{user.username}</dd>
        <dt>{tr(page, "Loại tài khoản", "Account type")}</dt>
        <dd>{tr(page, kinds[user.kind][0], kinds[user.kind][1])}</dd>
        {user.agencyCode ? (
          <>
            <dt>{tr(page, "Cơ quan", "Agency")}</dt>
            <dd>{user.agencyCode}</dd>
          </>
        ) : null}
        <dt>{tr(page, "Vai trò", "Roles")}</dt>
        <dd>{user.roles.map((r) => (r.agencyCode ? `${r.role} (${r.agencyCode})` : r.role)).join(", ")}</dd>
      </dl>
      {props.administers ? (
        <p>
          <a class="button" href={ADMIN_ACCOUNTS_PATH}>
            {tr(page, "Quản trị tài khoản cán bộ", "Administer officer accounts")}
          </a>
        </p>
      ) : null}

      {props.representatives ? (
        <>
          <h2>{tr(page, "Người đại diện", "Representatives")}</h2>
          {props.representatives.length ? (
            <ul id="representatives">
              {props.representatives.map((r) => (
                <li key={r.username}>
                  {r.fullName} ({r.username})
                </li>
              ))}
            </ul>
          ) : (
            <p id="representatives">{tr(page, "Chưa có người đại diện.", "No representatives yet.")}</p>
          )}
          <form method="post" action={ADD_REPRESENTATIVE_PATH} class="inline-form" novalidate>
            <input type="hidden" name="_csrf" value={props.csrf} />
            <Field
              id="cccd"
              label={tr(page, "Số CCCD của người đại diện", "CCCD of the representative")}
              inputmode="numeric"
              invalid={bad("/cccd")}
              hint={tr(page, "Người đại diện cần có tài khoản công dân.", "The representative needs a citizen account.")}
            />
            <button class="button" type="submit">
              {tr(page, "Thêm người đại diện", "Add a representative")}
            </button>
          </form>
        </>
      ) : null}

      <h2>{tr(page, "Thư điện tử", "Email")}</h2>
      <p id="email-status">
        {user.email ? (
          <>
            <span>{user.email}</span> —{" "}
            {user.emailVerified ? (
              <strong>{tr(page, "đã xác minh", "verified")}</strong>
            ) : (
              <strong>{tr(page, "chưa xác minh", "not verified")}</strong>
            )}
          </>
        ) : (
          tr(page, "Chưa có địa chỉ thư điện tử. Không có địa chỉ thì không thể tự đặt lại mật khẩu.", "No email address yet. Without one, you cannot reset a forgotten password yourself.")
        )}
      </p>
      {user.email && !user.emailVerified ? (
        <form method="post" action={RESEND_VERIFICATION_PATH}>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <button class="button" type="submit">
            {tr(page, "Gửi lại liên kết xác minh", "Send the verification link again")}
          </button>
        </form>
      ) : null}
      <form method="post" action={CHANGE_EMAIL_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <Field
          id="email"
          label={tr(page, "Địa chỉ mới", "New address")}
          type="email"
          autocomplete="email"
          required={false}
          invalid={bad("/email")}
          hint={tr(page, "Để trống để xóa địa chỉ. Một liên kết xác minh sẽ được gửi tới địa chỉ mới.", "Leave empty to remove the address. A verification link is sent to a new address.")}
        />
        <Field id="emailPassword" label={tr(page, "Mật khẩu hiện tại", "Current password")} type="password" autocomplete="current-password" invalid={bad("/password")} />
        <button class="button" type="submit">
          {tr(page, "Đổi thư điện tử", "Change the email")}
        </button>
      </form>

      {props.secondFactor ? (
        <>
          <h2>{tr(page, "Xác thực hai bước", "Two-step verification")}</h2>
          {props.secondFactor.enabledAt ? (
            <>
              <p id="second-factor-status">
                {tr(page, "Đang dùng ứng dụng xác thực từ", "Authenticator app in use since")} {when(page, props.secondFactor.enabledAt)}.{" "}
                {tr(page, `Còn ${props.secondFactor.recoveryCodesLeft} mã khôi phục.`, `${props.secondFactor.recoveryCodesLeft} recovery codes left.`)}
              </p>
              <p>
                {tr(
                  page,
                  "Mất điện thoại? Hãy dùng một mã khôi phục để đăng nhập, hoặc nhờ quản trị viên cơ quan đặt lại xác thực hai bước.",
                  "Lost your phone? Sign in with a recovery code, or ask your agency's administrator to reset the second factor.",
                )}
              </p>
              <form method="post" action={NEW_RECOVERY_CODES_PATH} class="stack" novalidate>
                <input type="hidden" name="_csrf" value={props.csrf} />
                <Field
                  id="code"
                  label={tr(page, "Mã trên ứng dụng xác thực", "Code from the authenticator app")}
                  autocomplete="one-time-code"
                  inputmode="numeric"
                  invalid={bad("/code")}
                  hint={tr(page, "Các mã khôi phục cũ sẽ không dùng được nữa.", "The old recovery codes stop working.")}
                />
                <button class="button" type="submit">
                  {tr(page, "Tạo mã khôi phục mới", "Make new recovery codes")}
                </button>
              </form>
            </>
          ) : (
            <p id="second-factor-status">{tr(page, "Chưa đăng ký; lần đăng nhập tới sẽ yêu cầu đăng ký.", "Not set up; the next sign-in asks for it.")}</p>
          )}
        </>
      ) : null}

      <h2>{tr(page, "Phiên đăng nhập", "Active sessions")}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{tr(page, "Thiết bị", "Device")}</th>
            <th scope="col">{tr(page, "Đăng nhập lúc", "Signed in")}</th>
            <th scope="col">{tr(page, "Hoạt động gần nhất", "Last active")}</th>
            <th scope="col">
              <span class="visually-hidden">{tr(page, "Thao tác", "Action")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((s) => (
            <tr key={s.id}>
              <td>{(s.userAgent ?? tr(page, "Không rõ", "Unknown")).slice(0, 80)}</td>
              <td>{when(page, s.createdAt)}</td>
              <td>{when(page, s.lastSeenAt)}</td>
              <td>
                {s.current ? (
                  tr(page, "Phiên này", "This session")
                ) : (
                  <form method="post" action={REVOKE_SESSION_PATH}>
                    <input type="hidden" name="_csrf" value={props.csrf} />
                    <input type="hidden" name="session" value={s.id} />
                    <button class="button" type="submit">
                      {tr(page, "Thu hồi", "Revoke")}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{tr(page, "Đổi mật khẩu", "Change password")}</h2>
      <form method="post" action={CHANGE_PASSWORD_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <Field id="currentPassword" label={tr(page, "Mật khẩu hiện tại", "Current password")} type="password" autocomplete="current-password" invalid={bad("/currentPassword")} />
        <Field
          id="newPassword"
          label={tr(page, "Mật khẩu mới", "New password")}
          type="password"
          autocomplete="new-password"
          invalid={bad("/newPassword")}
          hint={tr(page, "Ít nhất 10 ký tự, có cả chữ và số. Các phiên khác sẽ bị đăng xuất.", "At least 10 characters, with letters and digits. Other sessions will be signed out.")}
        />
        <button class="button" type="submit">
          {tr(page, "Đổi mật khẩu", "Change password")}
        </button>
      </form>

      <form method="post" action={SIGN_OUT_PATH}>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button class="button" type="submit">
          {tr(page, "Đăng xuất", "Sign out")}
        </button>
      </form>
    </Layout>
  );
}

export const SECOND_FACTOR_PATH = "/dang-nhap/xac-thuc";
export const ENROL_PATH = "/dang-nhap/xac-thuc/dang-ky";

export function SecondFactorPage(props: { page: PageRequest; csrf: string; next: string; error?: string | undefined }) {
  const { page } = props;
  const title = tr(page, "Xác thực hai bước", "Two-step verification");
  return (
    <Layout page={page} variant="office" title={title}>
      <h1>{title}</h1>
      <p>{tr(page, "Nhập mã 6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục.", "Enter the 6-digit code from your authenticator app, or a recovery code.")}</p>
      <Problems page={page} message={props.error} />
      <form method="post" action={SECOND_FACTOR_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <Field id="code" label={tr(page, "Mã xác thực", "Verification code")} autocomplete="one-time-code" inputmode="numeric" invalid={Boolean(props.error)} />
        <button class="button" type="submit">
          {tr(page, "Xác nhận", "Confirm")}
        </button>
      </form>
    </Layout>
  );
}

export function EnrolPage(props: { page: PageRequest; csrf: string; next: string; qr: string; secret: string; error?: string | undefined }) {
  const { page } = props;
  const title = tr(page, "Đăng ký xác thực hai bước", "Set up two-step verification");
  return (
    <Layout page={page} variant="office" title={title}>
      <h1>{title}</h1>
      <p>
        {tr(
          page,
          "Tài khoản cán bộ phải dùng xác thực hai bước. Quét mã QR bằng ứng dụng xác thực (TOTP), rồi nhập mã 6 chữ số để xác nhận.",
          "Officer accounts must use two-step verification. Scan the QR code with an authenticator (TOTP) app, then enter the 6-digit code to confirm.",
        )}
      </p>
      <img src={props.qr} alt={tr(page, "Mã QR để thêm tài khoản vào ứng dụng xác thực", "QR code to add the account to an authenticator app")} width={200} height={200} />
      <p>
        {tr(page, "Hoặc nhập khóa:", "Or enter the key:")} <code>{props.secret}</code>
      </p>
      <Problems page={page} message={props.error} />
      <form method="post" action={ENROL_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <Field id="code" label={tr(page, "Mã xác thực", "Verification code")} autocomplete="one-time-code" inputmode="numeric" invalid={Boolean(props.error)} />
        <button class="button" type="submit">
          {tr(page, "Xác nhận", "Confirm")}
        </button>
      </form>
    </Layout>
  );
}

export function RecoveryCodesPage(props: { page: PageRequest; codes: string[]; next: string }) {
  const { page } = props;
  const title = tr(page, "Mã khôi phục", "Recovery codes");
  return (
    <Layout page={page} variant="office" title={title}>
      <h1>{title}</h1>
      <p>
        {tr(
          page,
          "Lưu các mã này ở nơi an toàn. Mỗi mã dùng được một lần khi không có ứng dụng xác thực. Các mã chỉ hiển thị lần này.",
          "Keep these codes somewhere safe. Each works once when you do not have your authenticator. They are shown only this once.",
        )}
      </p>
      <ul class="recovery-codes">
        {props.codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href={props.next}>
          {tr(page, "Tiếp tục", "Continue")}
        </a>
      </p>
    </Layout>
  );
}

export const FORGOT_PATH = "/quen-mat-khau";
export const RESET_PATH = "/dat-lai-mat-khau";
export const VERIFY_EMAIL_PATH = "/xac-minh-email";

export function MessagePage(props: { page: PageRequest; title: string; message: string; error?: boolean; link?: { href: string; label: string } }) {
  return (
    <Layout page={props.page} variant="portal" title={props.title}>
      <h1>{props.title}</h1>
      {props.error ? (
        <div class="error" role="alert">
          <p>{props.message}</p>
        </div>
      ) : (
        <p role="status">{props.message}</p>
      )}
      {props.link ? (
        <p>
          <a href={props.link.href}>{props.link.label}</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function ForgotPage(props: { page: PageRequest; csrf: string }) {
  const { page } = props;
  const title = tr(page, "Quên mật khẩu", "Forgotten password");
  return (
    <Layout page={page} variant="portal" title={title}>
      <h1>{title}</h1>
      <p>{tr(page, "Nhập tên đăng nhập; nếu tài khoản có địa chỉ thư điện tử, chúng tôi sẽ gửi liên kết đặt lại mật khẩu.", "Enter your username; if the account has an email address, we will send a link to reset the password.")}</p>
      <form method="post" action={FORGOT_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <Field id="username" label={tr(page, "Tên đăng nhập", "Username")} autocomplete="username" />
        <button class="button" type="submit">
          {tr(page, "Gửi liên kết", "Send the link")}
        </button>
      </form>
    </Layout>
  );
}

export function ResetPage(props: { page: PageRequest; csrf: string; token: string; fields?: FieldProblem[] | undefined; error?: string | undefined }) {
  const { page } = props;
  const title = tr(page, "Đặt lại mật khẩu", "Reset the password");
  return (
    <Layout page={page} variant="portal" title={title}>
      <h1>{title}</h1>
      <Problems page={page} message={props.error} fields={props.fields} />
      <form method="post" action={RESET_PATH} class="stack" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="token" value={props.token} />
        <Field id="password" label={tr(page, "Mật khẩu mới", "New password")} type="password" autocomplete="new-password" hint={tr(page, "Ít nhất 10 ký tự, có cả chữ và số.", "At least 10 characters, with letters and digits.")} />
        <button class="button" type="submit">
          {tr(page, "Đặt lại mật khẩu", "Reset the password")}
        </button>
      </form>
    </Layout>
  );
}
