// The account page's changes: sessions, password, email, a business's representatives, recovery codes. Each
// is done and shown on the account page with a notice, or refused there with the error's status.
import { Type } from "../../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { APPLICANTS, BUSINESSES, PUBLIC, SIGNED_IN } from "../../../platform/http/access.ts";
import { DomainError, type FieldProblem } from "../../../platform/http/errors.ts";
import type { App } from "../../../platform/http/types.ts";
import { csrfToken } from "../../../web/cookies.ts";
import { FormText, pageSchema, type Posted, postedForm } from "../../../web/forms.ts";
import { tr } from "../../../web/i18n.ts";
import { answerFor } from "../../../web/page-errors.tsx";
import { pageRequest, sendPage } from "../../../web/render.ts";
import { NotSignedIn } from "../errors.ts";
import { requiresSecondFactor } from "../second-factor.ts";
import { AccountPage } from "./account-view.tsx";
import {
  ACCOUNT_PATH,
  ADD_REPRESENTATIVE_PATH,
  CHANGE_ADDRESS_PATH,
  CHANGE_EMAIL_PATH,
  CHANGE_PASSWORD_PATH,
  NEW_RECOVERY_CODES_PATH,
  RESEND_VERIFICATION_PATH,
  REVOKE_SESSION_PATH,
  SIGN_IN_PATH,
} from "./paths.ts";
import { RecoveryCodesPage } from "./second-factor.tsx";
import { meta, type ProviderPageDeps } from "./support.ts";

const SessionForm = pageSchema({ body: Type.Object({ session: FormText() }) });
const PasswordForm = pageSchema({ body: Type.Object({ currentPassword: FormText(), newPassword: FormText() }) });
const EmailForm = pageSchema({ body: Type.Object({ email: FormText(), emailPassword: FormText() }) });
const AddressForm = pageSchema({ body: Type.Object({ address: FormText() }) });
const RepresentativeForm = pageSchema({ body: Type.Object({ cccd: FormText() }) });
const CodeForm = pageSchema({ body: Type.Object({ code: FormText() }) });

/** The account page and its changes. */
export function accountRoutes(app: App, { identity, secondFactor }: ProviderPageDeps): void {
  const accountPage = async (request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string; fields?: FieldProblem[] } = {}, status = 200) => {
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

  /** The account page with a refusal: its message and fields, its status and headers (Retry-After). */
  const refused = (request: FastifyRequest, reply: FastifyReply, err: DomainError) => {
    const status = answerFor(reply, err);
    return accountPage(request, reply, { error: err.messages[pageRequest(request).lang], ...(err.fields ? { fields: err.fields } : {}) }, status);
  };

  /** Runs an account change with the posted form's values; done, the notice it returns; refused, the error. */
  const onAccount = async <T,>(request: FastifyRequest, reply: FastifyReply, form: Posted<T>, change: (values: T) => Promise<string>) => {
    if (!form.ok) return refused(request, reply, form.failure);
    try {
      return await accountPage(request, reply, { notice: await change(form.values) });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return refused(request, reply, err);
    }
  };

  // Open to all: a visitor is sent to sign in and back here, rather than refused.
  app.get(ACCOUNT_PATH, { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) => {
    if (!request.user) return reply.redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(ACCOUNT_PATH)}`, 303);
    return accountPage(request, reply);
  });

  app.post(REVOKE_SESSION_PATH, { config: { access: SIGNED_IN }, ...SessionForm }, async (request, reply) => {
    const form = postedForm(request);
    const user = request.user;
    if (!user) throw new NotSignedIn();
    const session = form.values.session ?? "";
    const done = /^[0-9a-f]{64}$/.test(session) && (await identity.revokeOwnSession(user, session, meta(request)));
    const page = pageRequest(request);
    return accountPage(
      request,
      reply,
      done ? { notice: tr(page, "Đã thu hồi phiên đăng nhập.", "The session was ended.") } : { error: tr(page, "Không tìm thấy phiên đăng nhập.", "No such session.") },
      done ? 200 : 404,
    );
  });

  app.post(CHANGE_PASSWORD_PATH, { config: { access: SIGNED_IN }, ...PasswordForm }, async (request, reply) => {
    const user = request.user;
    const sessionId = request.sessionId;
    if (!user || !sessionId) throw new NotSignedIn();
    return onAccount(request, reply, postedForm(request), async ({ currentPassword = "", newPassword = "" }) => {
      await identity.changePassword(user, sessionId, currentPassword, newPassword, meta(request));
      return tr(pageRequest(request), "Đã đổi mật khẩu.", "The password was changed.");
    });
  });

  app.post(CHANGE_EMAIL_PATH, { config: { access: SIGNED_IN }, ...EmailForm }, async (request, reply) => {
    const user = request.user;
    if (!user) throw new NotSignedIn();
    return onAccount(request, reply, postedForm(request), async ({ email = "", emailPassword = "" }) => {
      const updated = await identity.changeEmail(user, emailPassword, email, meta(request));
      request.user = updated;
      const page = pageRequest(request);
      return updated.email
        ? tr(page, "Đã đổi địa chỉ; hãy mở liên kết xác minh vừa gửi tới địa chỉ mới.", "The address was changed; open the verification link just sent to it.")
        : tr(page, "Đã xóa địa chỉ thư điện tử.", "The email address was removed.");
    });
  });

  app.post(CHANGE_ADDRESS_PATH, { config: { access: APPLICANTS }, ...AddressForm }, async (request, reply) => {
    const user = request.user;
    if (!user) throw new NotSignedIn();
    return onAccount(request, reply, postedForm(request), async ({ address = "" }) => {
      const updated = await identity.changeAddress(user, address, meta(request));
      request.user = updated;
      const page = pageRequest(request);
      return updated.address ? tr(page, "Đã lưu địa chỉ.", "The address was saved.") : tr(page, "Đã xóa địa chỉ.", "The address was removed.");
    });
  });

  app.post(ADD_REPRESENTATIVE_PATH, { config: { access: BUSINESSES }, ...RepresentativeForm }, async (request, reply) => {
    if (!request.user) throw new NotSignedIn();
    return onAccount(request, reply, postedForm(request), async ({ cccd = "" }) => {
      await identity.addRepresentative(request.actor, cccd, meta(request));
      return tr(pageRequest(request), "Đã thêm người đại diện.", "The representative was added.");
    });
  });

  app.post(RESEND_VERIFICATION_PATH, { config: { access: SIGNED_IN }, ...pageSchema({}) }, async (request, reply) => {
    const user = request.user;
    if (!user) throw new NotSignedIn();
    return onAccount(request, reply, { ok: true, values: {} }, async () => {
      await identity.resendVerification(user, meta(request));
      return tr(pageRequest(request), "Đã gửi lại liên kết xác minh.", "The verification link was sent again.");
    });
  });

  app.post(NEW_RECOVERY_CODES_PATH, { config: { access: SIGNED_IN }, ...CodeForm }, async (request, reply) => {
    const user = request.user;
    if (!user) throw new NotSignedIn();
    const form = postedForm(request);
    if (!form.ok) return refused(request, reply, form.failure);
    let codes: string[];
    try {
      codes = await secondFactor.regenerateRecoveryCodes(user, form.values.code ?? "", meta(request));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return refused(request, reply, err);
    }
    return sendPage(reply, <RecoveryCodesPage page={pageRequest(request)} codes={codes} next={ACCOUNT_PATH} />);
  });
}
