// The second factor of a password sign-in (officers and administrators): the first enrolment (a TOTP secret
// by QR code, then its recovery codes) or a code from the authenticator app or a recovery code.
import { Type } from "../../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { JSX } from "preact";
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
import { ENROL_PATH, SECOND_FACTOR_PATH, SIGN_IN_PATH } from "./paths.ts";
import { NextQuery } from "./sign-in.tsx";
import { meta, type ProviderPageDeps } from "./support.ts";

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

// A post without a pending sign-in goes to sign in, coming back to the `?next=` of its own address.
const CodeForm = pageSchema({ body: Type.Object({ code: FormText(), next: FormText() }), querystring: Type.Object({ next: FormText() }) });

/** The second factor's pages: a pending password sign-in enrols (first time) or enters its code. */
export function secondFactorRoutes(app: App, { secondFactor }: ProviderPageDeps): void {
  const toSignIn = (reply: FastifyReply, next: string) => reply.redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`, 303);

  /** A refused code: the same page again, with the error's status and headers (Retry-After when throttled). */
  const again = (reply: FastifyReply, err: unknown, page: (error: string) => JSX.Element, request: FastifyRequest) => {
    if (!(err instanceof DomainError)) throw err;
    const status = answerFor(reply, err);
    return sendPage(reply, page(err.messages[pageRequest(request).lang]), status);
  };

  app.get(SECOND_FACTOR_PATH, { config: { access: PUBLIC }, ...NextQuery }, async (request, reply) => {
    const pending = request.pendingSecondFactor;
    const next = safeNext(request, pageQuery(request).next);
    if (!pending) return request.user ? reply.redirect(next, 303) : toSignIn(reply, next);
    if (!(await secondFactor.enrolled(pending.user.id))) {
      const { qr, secret } = await secondFactor.begin(pending.user);
      return sendPage(reply, <EnrolPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} qr={qr} secret={secret} />);
    }
    return sendPage(reply, <SecondFactorPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} />);
  });

  app.post(SECOND_FACTOR_PATH, { config: { access: PUBLIC }, ...CodeForm }, async (request, reply) => {
    const form = postedForm(request);
    const pending = request.pendingSecondFactor;
    const next = safeNext(request, form.values.next);
    if (!pending) return toSignIn(reply, safeNext(request, pageQuery(request).next));
    try {
      if (!form.ok) throw form.failure;
      await secondFactor.verify(pending.user, form.values.code ?? "", pending.sessionId, meta(request));
      return reply.redirect(next, 303);
    } catch (err) {
      return again(reply, err, (error) => <SecondFactorPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} error={error} />, request);
    }
  });

  app.post(ENROL_PATH, { config: { access: PUBLIC }, ...CodeForm }, async (request, reply) => {
    const form = postedForm(request);
    const pending = request.pendingSecondFactor;
    const next = safeNext(request, form.values.next);
    if (!pending) return toSignIn(reply, safeNext(request, pageQuery(request).next));
    try {
      if (!form.ok) throw form.failure;
      const codes = await secondFactor.confirm(pending.user, form.values.code ?? "", pending.sessionId);
      return sendPage(reply, <RecoveryCodesPage page={pageRequest(request)} codes={codes} next={next} />);
    } catch (err) {
      // A wrong first code: show a fresh secret to scan again.
      const { qr, secret } = await secondFactor.begin(pending.user).catch(() => ({ qr: "", secret: "" }));
      return again(reply, err, (error) => <EnrolPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} qr={qr} secret={secret} error={error} />, request);
    }
  });
}
