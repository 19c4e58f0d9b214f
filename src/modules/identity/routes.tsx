import formbody from "@fastify/formbody";
import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { JSX } from "preact";
import { BUSINESSES, PUBLIC, SIGNED_IN } from "../../platform/http/access.ts";
import { DomainError, type FieldProblem } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { pageRequest, sendPage } from "../../web/render.ts";
import { safeNext } from "../../web/routes.tsx";
import { tr } from "../../web/i18n.ts";
import { CsrfRejected, InvalidAccount, NotSignedIn } from "./errors.ts";
import {
  AccountPage,
  ACCOUNT_PATH,
  CHANGE_PASSWORD_PATH,
  CHANGE_EMAIL_PATH,
  ADD_REPRESENTATIVE_PATH,
  REGISTER_BUSINESS_PATH,
  RegisterBusinessPage,
  NEW_RECOVERY_CODES_PATH,
  RESEND_VERIFICATION_PATH,
  REVOKE_SESSION_PATH,
  ENROL_PATH,
  EnrolPage,
  FORGOT_PATH,
  ForgotPage,
  MessagePage,
  RESET_PATH,
  ResetPage,
  VERIFY_EMAIL_PATH,
  RecoveryCodesPage,
  REGISTER_PATH,
  RegisterPage,
  SECOND_FACTOR_PATH,
  SecondFactorPage,
  SIGN_IN_PATH,
  SIGN_OUT_PATH,
  SignInPage,
} from "./pages.tsx";
import { registerPageErrors } from "./page-errors.tsx";
import { requiresSecondFactor, type SecondFactor } from "./second-factor.ts";
import type { IdentityService } from "./service.ts";
import { csrfToken, csrfValid } from "../../web/cookies.ts";
import { setSessionCookie, signOutBrowser } from "./web-session.ts";

const HIDDEN = { schema: { hide: true } } as const;
type Form = Record<string, string | undefined>;

function meta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers["user-agent"] ?? null, requestId: request.id };
}

function message(request: FastifyRequest, err: DomainError): string {
  return pageRequest(request).lang === "en" ? err.messages.en : err.messages.vi;
}

const STATUS: Record<string, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, conflict: 409, rate_limited: 429 };

/** Pages and API routes of accounts and sessions. */
export function identityRoutes(identity: IdentityService, secondFactor: SecondFactor, federation: string | null = null) {
  return async (app: App) => {
    await app.register(formbody);
    registerPageErrors(app, { signInReturn: ACCOUNT_PATH, back: { href: ACCOUNT_PATH, vi: "Quay lại", en: "Back" } });

    const refuseBadCsrf = (request: FastifyRequest, form: Form) => {
      if (!csrfValid(request, form._csrf)) throw new CsrfRejected();
    };

    app.get(SIGN_IN_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const next = safeNext((request.query as { next?: unknown }).next);
      if (request.user) return reply.redirect(next, 303);
      if (request.pendingSecondFactor) return reply.redirect(`${SECOND_FACTOR_PATH}?next=${encodeURIComponent(next)}`, 303);
      return sendPage(reply, <SignInPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} federation={federation} />);
    });

    app.post(SIGN_IN_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      const next = safeNext(form.next);
      try {
        const { token, user } = await identity.signIn({ username: form.username ?? "", password: form.password ?? "" }, meta(request));
        // A new session id at every sign-in: a cookie planted before cannot be carried over (fixation).
        setSessionCookie(request, reply, token);
        if (requiresSecondFactor(user)) return reply.redirect(`${SECOND_FACTOR_PATH}?next=${encodeURIComponent(next)}`, 303);
        return reply.redirect(next, 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const retryAfter = err.details?.retryAfterSeconds;
        if (typeof retryAfter === "number") void reply.header("retry-after", String(retryAfter));
        return sendPage(
          reply,
          <SignInPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} username={form.username ?? ""} error={message(request, err)} federation={federation} />,
          STATUS[err.kind] ?? 400,
        );
      }
    });

    const pendingOrSignIn = (request: FastifyRequest, reply: FastifyReply) =>
      reply.redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(safeNext((request.query as { next?: unknown }).next))}`, 303);

    const renderFailure = (request: FastifyRequest, reply: FastifyReply, err: unknown, page: (error: string) => JSX.Element) => {
      if (!(err instanceof DomainError)) throw err;
      const retryAfter = err.details?.retryAfterSeconds;
      if (typeof retryAfter === "number") void reply.header("retry-after", String(retryAfter));
      return sendPage(reply, page(message(request, err)), STATUS[err.kind] ?? 400);
    };

    // Second factor: a pending password sign-in enrols (first time) or enters its code.
    app.get(SECOND_FACTOR_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const pending = request.pendingSecondFactor;
      const next = safeNext((request.query as { next?: unknown }).next);
      if (!pending) return request.user ? reply.redirect(next, 303) : pendingOrSignIn(request, reply);
      if (!(await secondFactor.enrolled(pending.user.id))) {
        const { qr, secret } = await secondFactor.begin(pending.user);
        return sendPage(reply, <EnrolPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} qr={qr} secret={secret} />);
      }
      return sendPage(reply, <SecondFactorPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} />);
    });

    app.post(SECOND_FACTOR_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      const pending = request.pendingSecondFactor;
      const next = safeNext(form.next);
      if (!pending) return pendingOrSignIn(request, reply);
      try {
        await secondFactor.verify(pending.user, form.code ?? "", pending.sessionId, meta(request));
        return reply.redirect(next, 303);
      } catch (err) {
        return renderFailure(request, reply, err, (error) => (
          <SecondFactorPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} error={error} />
        ));
      }
    });

    app.post(ENROL_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      const pending = request.pendingSecondFactor;
      const next = safeNext(form.next);
      if (!pending) return pendingOrSignIn(request, reply);
      try {
        const codes = await secondFactor.confirm(pending.user, form.code ?? "", pending.sessionId);
        return sendPage(reply, <RecoveryCodesPage page={pageRequest(request)} codes={codes} next={next} />);
      } catch (err) {
        // A wrong first code: show a fresh secret to scan again.
        const { qr, secret } = await secondFactor.begin(pending.user).catch(() => ({ qr: "", secret: "" }));
        return renderFailure(request, reply, err, (error) => (
          <EnrolPage page={pageRequest(request)} csrf={csrfToken(request, reply)} next={next} qr={qr} secret={secret} error={error} />
        ));
      }
    });

    app.post(SIGN_OUT_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      refuseBadCsrf(request, (request.body ?? {}) as Form);
      // The portal's and the office's sessions of this browser end too: signing out means out of motcua.
      for (const line of await signOutBrowser(identity, request)) void reply.header("set-cookie", line);
      return reply.redirect("/", 303);
    });

    app.get(REGISTER_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) =>
      sendPage(reply, <RegisterPage page={pageRequest(request)} csrf={csrfToken(request, reply)} />),
    );

    app.post(REGISTER_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      const values = { cccd: form.cccd ?? "", fullName: form.fullName ?? "", birthDate: form.birthDate ?? "", sex: form.sex ?? "", email: form.email ?? "" };
      try {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(values.birthDate) || Number.isNaN(Date.parse(values.birthDate))) {
          throw new InvalidAccount([{ path: "/birthDate", message: "Ngày sinh không hợp lệ." }]);
        }
        if (values.sex !== "male" && values.sex !== "female") {
          throw new InvalidAccount([{ path: "/sex", message: "Vui lòng chọn giới tính." }]);
        }
        await identity.registerCitizen({ ...values, sex: values.sex, password: form.password ?? "" }, meta(request));
        const { token } = await identity.signIn({ username: values.cccd, password: form.password ?? "" }, meta(request));
        setSessionCookie(request, reply, token);
        return reply.redirect(ACCOUNT_PATH, 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return sendPage(
          reply,
          <RegisterPage page={pageRequest(request)} csrf={csrfToken(request, reply)} values={values} fields={err.fields} error={message(request, err)} />,
          STATUS[err.kind] ?? 400,
        );
      }
    });

    app.get(REGISTER_BUSINESS_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) =>
      sendPage(reply, <RegisterBusinessPage page={pageRequest(request)} csrf={csrfToken(request, reply)} />),
    );

    app.post(REGISTER_BUSINESS_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      const values = { taxCode: form.taxCode ?? "", name: form.name ?? "", email: form.email ?? "" };
      try {
        const user = await identity.registerBusiness({ ...values, password: form.password ?? "" }, meta(request));
        const { token } = await identity.signIn({ username: user.username, password: form.password ?? "" }, meta(request));
        setSessionCookie(request, reply, token);
        return reply.redirect(ACCOUNT_PATH, 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return sendPage(
          reply,
          <RegisterBusinessPage page={pageRequest(request)} csrf={csrfToken(request, reply)} values={values} fields={err.fields} error={message(request, err)} />,
          STATUS[err.kind] ?? 400,
        );
      }
    });

    const accountPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      extra: { notice?: string; error?: string; fields?: FieldProblem[] } = {},
      status = 200,
    ) => {
      const user = request.user!;
      const sessions = (await identity.sessionsOf(user.id)).map((s) => ({ ...s, current: s.id === request.sessionId }));
      const factor = requiresSecondFactor(user) ? await secondFactor.status(user.id) : null;
      const administers = (await identity.administeredAgencies(request.actor)).length > 0;
      const representatives = user.kind === "business" ? await identity.representatives(request.actor) : null;
      return sendPage(
        reply,
        <AccountPage page={pageRequest(request)} csrf={csrfToken(request, reply)} user={user} sessions={sessions} secondFactor={factor} administers={administers} representatives={representatives} {...extra} />,
        status,
      );
    };

    /** Runs an account change; its domain error is shown on the account page with the right status. */
    const onAccount = async (request: FastifyRequest, reply: FastifyReply, change: () => Promise<string>) => {
      try {
        const notice = await change();
        return accountPage(request, reply, { notice });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const retryAfter = err.details?.retryAfterSeconds;
        if (typeof retryAfter === "number") void reply.header("retry-after", String(retryAfter));
        return accountPage(request, reply, { error: message(request, err), ...(err.fields ? { fields: err.fields } : {}) }, STATUS[err.kind] ?? 400);
      }
    };

    // Open to all: a visitor is sent to sign in and back here, rather than refused.
    app.get(ACCOUNT_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      if (!request.user) return reply.redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(ACCOUNT_PATH)}`, 303);
      return accountPage(request, reply);
    });

    app.post(REVOKE_SESSION_PATH, { config: { access: SIGNED_IN }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      if (!request.user) throw new NotSignedIn();
      const done = /^[0-9a-f]{64}$/.test(form.session ?? "") && (await identity.revokeOwnSession(request.user, form.session ?? "", meta(request)));
      const lang = pageRequest(request).lang;
      return accountPage(request, reply, done ? { notice: lang === "en" ? "The session was ended." : "Đã thu hồi phiên đăng nhập." } : { error: lang === "en" ? "No such session." : "Không tìm thấy phiên đăng nhập." }, done ? 200 : 404);
    });

    app.post(CHANGE_PASSWORD_PATH, { config: { access: SIGNED_IN }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      if (!request.user || !request.sessionId) throw new NotSignedIn();
      try {
        await identity.changePassword(request.user, request.sessionId, form.currentPassword ?? "", form.newPassword ?? "", meta(request));
        return accountPage(request, reply, { notice: pageRequest(request).lang === "en" ? "The password was changed." : "Đã đổi mật khẩu." });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return accountPage(request, reply, { error: message(request, err), ...(err.fields ? { fields: err.fields } : {}) }, STATUS[err.kind] ?? 400);
      }
    });

    app.post(CHANGE_EMAIL_PATH, { config: { access: SIGNED_IN }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      const user = request.user;
      if (!user) throw new NotSignedIn();
      return onAccount(request, reply, async () => {
        const updated = await identity.changeEmail(user, form.emailPassword ?? "", form.email ?? "", meta(request));
        request.user = updated;
        return updated.email
          ? tr(pageRequest(request), "Đã đổi địa chỉ; hãy mở liên kết xác minh vừa gửi tới địa chỉ mới.", "The address was changed; open the verification link just sent to it.")
          : tr(pageRequest(request), "Đã xóa địa chỉ thư điện tử.", "The email address was removed.");
      });
    });

    app.post(ADD_REPRESENTATIVE_PATH, { config: { access: BUSINESSES }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      if (!request.user) throw new NotSignedIn();
      return onAccount(request, reply, async () => {
        await identity.addRepresentative(request.actor, form.cccd ?? "", meta(request));
        return tr(pageRequest(request), "Đã thêm người đại diện.", "The representative was added.");
      });
    });

    app.post(RESEND_VERIFICATION_PATH, { config: { access: SIGNED_IN }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      const user = request.user;
      if (!user) throw new NotSignedIn();
      return onAccount(request, reply, async () => {
        await identity.resendVerification(user, meta(request));
        return tr(pageRequest(request), "Đã gửi lại liên kết xác minh.", "The verification link was sent again.");
      });
    });

    app.post(NEW_RECOVERY_CODES_PATH, { config: { access: SIGNED_IN }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      const user = request.user;
      if (!user) throw new NotSignedIn();
      let codes: string[] = [];
      try {
        codes = await secondFactor.regenerateRecoveryCodes(user, form.code ?? "", meta(request));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return onAccount(request, reply, () => Promise.reject(err));
      }
      return sendPage(reply, <RecoveryCodesPage page={pageRequest(request)} codes={codes} next={ACCOUNT_PATH} />);
    });

    app.get(FORGOT_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => sendPage(reply, <ForgotPage page={pageRequest(request)} csrf={csrfToken(request, reply)} />));

    app.post(FORGOT_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      await identity.requestPasswordReset(form.username ?? "", meta(request));
      // The same answer whether or not the account exists: no one learns who has an account.
      return sendPage(
        reply,
        <MessagePage
          page={pageRequest(request)}
          title={tr(pageRequest(request), "Quên mật khẩu", "Forgotten password")}
          message={tr(pageRequest(request), "Nếu tài khoản tồn tại và có địa chỉ thư điện tử, liên kết đặt lại mật khẩu đã được gửi (hiệu lực 1 giờ).", "If the account exists and has an email address, a reset link has been sent (valid for 1 hour).")}
        />,
      );
    });

    const linkInvalid = (request: FastifyRequest, reply: FastifyReply) =>
      sendPage(
        reply,
        <MessagePage
          page={pageRequest(request)}
          title={tr(pageRequest(request), "Liên kết không dùng được", "The link cannot be used")}
          message={tr(pageRequest(request), "Liên kết không hợp lệ, đã hết hạn hoặc đã được sử dụng.", "The link is invalid, expired or already used.")}
          error
          link={{ href: FORGOT_PATH, label: tr(pageRequest(request), "Yêu cầu liên kết mới", "Ask for a new link") }}
        />,
        400,
      );

    app.get(RESET_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const token = String((request.query as { token?: unknown }).token ?? "");
      if (!(await identity.resetLinkUsable(token))) return linkInvalid(request, reply);
      return sendPage(reply, <ResetPage page={pageRequest(request)} csrf={csrfToken(request, reply)} token={token} />);
    });

    app.post(RESET_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      refuseBadCsrf(request, form);
      const token = form.token ?? "";
      try {
        await identity.resetPassword(token, form.password ?? "", meta(request));
      } catch (err) {
        if (err instanceof DomainError && err.code === "identity.link_invalid") return linkInvalid(request, reply);
        if (!(err instanceof DomainError)) throw err;
        return sendPage(reply, <ResetPage page={pageRequest(request)} csrf={csrfToken(request, reply)} token={token} fields={err.fields} error={message(request, err)} />, 400);
      }
      return sendPage(
        reply,
        <MessagePage
          page={pageRequest(request)}
          title={tr(pageRequest(request), "Đã đặt lại mật khẩu", "Password reset")}
          message={tr(pageRequest(request), "Mật khẩu đã được đặt lại; mọi phiên đăng nhập cũ đã kết thúc.", "The password was reset; every earlier session has ended.")}
          link={{ href: SIGN_IN_PATH, label: tr(pageRequest(request), "Đăng nhập", "Sign in") }}
        />,
      );
    });

    app.get(VERIFY_EMAIL_PATH, { config: { access: PUBLIC }, ...HIDDEN }, async (request, reply) => {
      try {
        await identity.verifyEmail(String((request.query as { token?: unknown }).token ?? ""), meta(request));
      } catch (err) {
        if (err instanceof DomainError && err.code === "identity.link_invalid") return linkInvalid(request, reply);
        throw err;
      }
      return sendPage(
        reply,
        <MessagePage page={pageRequest(request)} title={tr(pageRequest(request), "Đã xác minh thư điện tử", "Email verified")} message={tr(pageRequest(request), "Địa chỉ thư điện tử của bạn đã được xác minh.", "Your email address is verified.")} />,
      );
    });

    app.get(
      "/api/me",
      {
        config: { access: SIGNED_IN },
        schema: {
          tags: ["identity"],
          summary: "The signed-in account",
          response: {
            200: Type.Object({
              id: Type.String(),
              kind: Type.String(),
              username: Type.String(),
              fullName: Type.String(),
              agencyCode: Type.Union([Type.String(), Type.Null()]),
              roles: Type.Array(Type.Object({ role: Type.String(), agencyCode: Type.String() })),
              loa: Type.Integer(),
            }),
          },
        },
      },
      async (request: FastifyRequest, _reply: FastifyReply) => {
        const user = request.user;
        if (!user || request.actor.type !== "user") throw new NotSignedIn();
        return { id: user.id, kind: user.kind, username: user.username, fullName: user.fullName, agencyCode: user.agencyCode, roles: user.roles, loa: request.actor.loa };
      },
    );
  };
}
