// The account page of the identity provider: profile, representatives of a business, email, second factor,
// sessions, password.
import type { FieldProblem } from "../../../platform/http/errors.ts";
import { Field, Problems } from "../../../web/fields.tsx";
import { tr } from "../../../web/i18n.ts";
import { Layout } from "../../../web/layout.tsx";
import type { PageRequest } from "../../../web/render.ts";
import type { UserView } from "../service.ts";
import {
  ADD_REPRESENTATIVE_PATH,
  ADMIN_ACCOUNTS_PATH,
  CHANGE_ADDRESS_PATH,
  CHANGE_EMAIL_PATH,
  CHANGE_PASSWORD_PATH,
  NEW_RECOVERY_CODES_PATH,
  RESEND_VERIFICATION_PATH,
  REVOKE_SESSION_PATH,
  SIGN_OUT_PATH,
} from "./paths.ts";

export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  current: boolean;
}


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

      {user.kind === "citizen" || user.kind === "business" ? (
        <>
          <h2>{tr(page, "Nơi cư trú", "Address")}</h2>
          <form method="post" action={CHANGE_ADDRESS_PATH} class="stack" novalidate>
            <input type="hidden" name="_csrf" value={props.csrf} />
            <Field
              id="address"
              label={user.kind === "business" ? tr(page, "Địa chỉ trụ sở", "Registered office") : tr(page, "Địa chỉ nơi cư trú", "Where you live")}
              value={user.address ?? ""}
              autocomplete="street-address"
              required={false}
              invalid={bad("/address")}
              hint={tr(page, "Tờ khai của hồ sơ mới được điền sẵn địa chỉ này; để trống để xóa.", "The form of a new dossier starts with this address; leave it empty to remove it.")}
            />
            <button class="button" type="submit">
              {tr(page, "Lưu địa chỉ", "Save the address")}
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
