// Signing in to the identity provider with a password (the second factor follows for officers), and out.
import { Type } from "../../../platform/typebox.ts";
import { PUBLIC } from "../../../platform/http/access.ts";
import { DomainError } from "../../../platform/http/errors.ts";
import type { App } from "../../../platform/http/types.ts";
import { csrfToken } from "../../../web/cookies.ts";
import { Field, Problems } from "../../../web/fields.tsx";
import { FormText, pageQuery, pageSchema, postedForm } from "../../../web/forms.ts";
import { tr } from "../../../web/i18n.ts";
import { Layout } from "../../../web/layout.tsx";
import { answerFor } from "../../../web/page-errors.tsx";
import { type PageRequest, pageRequest, sendPage } from "../../../web/render.ts";
import { safeNext } from "../../../web/redirects.ts";
import { requiresSecondFactor } from "../second-factor.ts";
import { setSessionCookie, signOutBrowser } from "../web-session.ts";
import { REGISTER_PATH, SECOND_FACTOR_PATH, SIGN_IN_PATH, SIGN_OUT_PATH } from "./paths.ts";
import { meta, type ProviderPageDeps } from "./support.ts";

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

/** `?next=`: where to come back to after signing in (a local path). */
export const NextQuery = pageSchema({ querystring: Type.Object({ next: FormText() }) });
const SignInForm = pageSchema({ body: Type.Object({ username: FormText(), password: FormText(), next: FormText() }) });

/** The password sign-in and the sign-out of the provider. */
export function signInRoutes(app: App, { identity, federation }: ProviderPageDeps): void {
  app.get(SIGN_IN_PATH, { config: { access: PUBLIC }, ...NextQuery }, async (request, reply) => {
    const next = safeNext(request, pageQuery(request).next);
    if (request.user) return reply.redirect(next, 303);
    if (request.pendingSecondFactor) return reply.redirect(`${SECOND_FACTOR_PATH}?next=${encodeURIComponent(next)}`, 303);
    return sendPage(reply, <SignInPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} federation={federation} />);
  });

  app.post(SIGN_IN_PATH, { config: { access: PUBLIC }, ...SignInForm }, async (request, reply) => {
    const form = postedForm(request);
    const { username = "", password = "" } = form.values;
    const next = safeNext(request, form.values.next);
    try {
      if (!form.ok) throw form.failure;
      const { token, user } = await identity.signIn({ username, password }, meta(request));
      // A new session id at every sign-in: a cookie planted before cannot be carried over (fixation).
      setSessionCookie(request, reply, token);
      if (requiresSecondFactor(user)) return reply.redirect(`${SECOND_FACTOR_PATH}?next=${encodeURIComponent(next)}`, 303);
      return reply.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const page = pageRequest(request);
      // A throttled sign-in says when to come back (Retry-After), as the API does.
      const status = answerFor(reply, err);
      return sendPage(
        reply,
        <SignInPage page={page} csrf={csrfToken(request, reply)} next={next} username={username} error={err.messages[page.lang]} federation={federation} />,
        status,
      );
    }
  });

  // The CSRF token is the kit's check, as for every post: another site cannot sign the browser out.
  app.post(SIGN_OUT_PATH, { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) => {
    // The portal's and the office's sessions of this browser end too: signing out means out of motcua.
    for (const line of await signOutBrowser(identity, request)) void reply.header("set-cookie", line);
    return reply.redirect("/", 303);
  });
}
