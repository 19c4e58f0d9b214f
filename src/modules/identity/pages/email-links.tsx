// What the provider's mails link to: resetting a forgotten password, and verifying an email address.
import { Type } from "../../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { PUBLIC } from "../../../platform/http/access.ts";
import { DomainError, type FieldProblem } from "../../../platform/http/errors.ts";
import type { App } from "../../../platform/http/types.ts";
import { csrfToken } from "../../../web/cookies.ts";
import { Field, Problems } from "../../../web/fields.tsx";
import { FormText, pageQuery, pageSchema, postedForm } from "../../../web/forms.ts";
import { tr } from "../../../web/i18n.ts";
import { Layout } from "../../../web/layout.tsx";
import { answerFor, MessagePage } from "../../../web/page-errors.tsx";
import { type PageRequest, pageRequest, sendPage } from "../../../web/render.ts";
import { FORGOT_PATH, RESET_PATH, SIGN_IN_PATH, VERIFY_EMAIL_PATH } from "./paths.ts";
import { meta, type ProviderPageDeps } from "./support.ts";

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

const TokenQuery = pageSchema({ querystring: Type.Object({ token: FormText() }) });
const ForgotForm = pageSchema({ body: Type.Object({ username: FormText() }) });
const ResetForm = pageSchema({ body: Type.Object({ token: FormText(), password: FormText() }) });

/** The forgotten password (ask for a link, then set a new password by it) and the email verification link. */
export function emailLinkRoutes(app: App, { identity }: ProviderPageDeps): void {
  const linkInvalid = (request: FastifyRequest, reply: FastifyReply) => {
    const page = pageRequest(request);
    return sendPage(
      reply,
      <MessagePage
        page={page}
        title={tr(page, "Liên kết không dùng được", "The link cannot be used")}
        message={tr(page, "Liên kết không hợp lệ, đã hết hạn hoặc đã được sử dụng.", "The link is invalid, expired or already used.")}
        error
        link={{ href: FORGOT_PATH, label: tr(page, "Yêu cầu liên kết mới", "Ask for a new link") }}
      />,
      400,
    );
  };

  app.get(FORGOT_PATH, { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) =>
    sendPage(reply, <ForgotPage page={pageRequest(request)} csrf={csrfToken(request, reply)} />),
  );

  app.post(FORGOT_PATH, { config: { access: PUBLIC }, ...ForgotForm }, async (request, reply) => {
    const form = postedForm(request);
    // A form the browser could not have sent asks for nothing; the answer is the same either way.
    if (form.ok) await identity.requestPasswordReset(form.values.username ?? "", meta(request));
    const page = pageRequest(request);
    // The same answer whether or not the account exists: no one learns who has an account.
    return sendPage(
      reply,
      <MessagePage
        page={page}
        title={tr(page, "Quên mật khẩu", "Forgotten password")}
        message={tr(page, "Nếu tài khoản tồn tại và có địa chỉ thư điện tử, liên kết đặt lại mật khẩu đã được gửi (hiệu lực 1 giờ).", "If the account exists and has an email address, a reset link has been sent (valid for 1 hour).")}
      />,
    );
  });

  app.get(RESET_PATH, { config: { access: PUBLIC }, ...TokenQuery }, async (request, reply) => {
    const token = pageQuery(request).token ?? "";
    if (!(await identity.resetLinkUsable(token))) return linkInvalid(request, reply);
    return sendPage(reply, <ResetPage page={pageRequest(request)} csrf={csrfToken(request, reply)} token={token} />);
  });

  app.post(RESET_PATH, { config: { access: PUBLIC }, ...ResetForm }, async (request, reply) => {
    const form = postedForm(request);
    const token = form.values.token ?? "";
    try {
      if (!form.ok) throw form.failure;
      await identity.resetPassword(token, form.values.password ?? "", meta(request));
    } catch (err) {
      if (err instanceof DomainError && err.code === "identity.link_invalid") return linkInvalid(request, reply);
      if (!(err instanceof DomainError)) throw err;
      const page = pageRequest(request);
      const status = answerFor(reply, err);
      return sendPage(reply, <ResetPage page={page} csrf={csrfToken(request, reply)} token={token} fields={err.fields} error={err.messages[page.lang]} />, status);
    }
    const page = pageRequest(request);
    return sendPage(
      reply,
      <MessagePage
        page={page}
        title={tr(page, "Đã đặt lại mật khẩu", "Password reset")}
        message={tr(page, "Mật khẩu đã được đặt lại; mọi phiên đăng nhập cũ đã kết thúc.", "The password was reset; every earlier session has ended.")}
        link={{ href: SIGN_IN_PATH, label: tr(page, "Đăng nhập", "Sign in") }}
      />,
    );
  });

  app.get(VERIFY_EMAIL_PATH, { config: { access: PUBLIC }, ...TokenQuery }, async (request, reply) => {
    try {
      await identity.verifyEmail(pageQuery(request).token ?? "", meta(request));
    } catch (err) {
      if (err instanceof DomainError && err.code === "identity.link_invalid") return linkInvalid(request, reply);
      throw err;
    }
    const page = pageRequest(request);
    return sendPage(
      reply,
      <MessagePage page={page} title={tr(page, "Đã xác minh thư điện tử", "Email verified")} message={tr(page, "Địa chỉ thư điện tử của bạn đã được xác minh.", "Your email address is verified.")} />,
    );
  });
}
