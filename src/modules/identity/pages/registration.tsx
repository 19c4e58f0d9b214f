// Registering an account on the portal: a citizen by CCCD, a business by its tax code; signed in at once.
import { Type } from "../../../platform/typebox.ts";
import { PUBLIC } from "../../../platform/http/access.ts";
import { DomainError, type FieldProblem } from "../../../platform/http/errors.ts";
import type { App } from "../../../platform/http/types.ts";
import { csrfToken } from "../../../web/cookies.ts";
import { Field, Problems } from "../../../web/fields.tsx";
import { FormText, pageSchema, postedForm } from "../../../web/forms.ts";
import { tr } from "../../../web/i18n.ts";
import { Layout } from "../../../web/layout.tsx";
import { answerFor } from "../../../web/page-errors.tsx";
import { type PageRequest, pageRequest, sendPage } from "../../../web/render.ts";
import { InvalidAccount } from "../errors.ts";
import { setSessionCookie } from "../web-session.ts";
import { ACCOUNT_PATH, REGISTER_BUSINESS_PATH, REGISTER_PATH } from "./paths.ts";
import { meta, type ProviderPageDeps } from "./support.ts";

export interface RegisterValues {
  cccd?: string;
  fullName?: string;
  birthDate?: string;
  sex?: string;
  email?: string;
}

export function RegisterPage(props: { page: PageRequest; csrf: string; values?: RegisterValues; fields?: FieldProblem[] | undefined; error?: string }) {
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

// What a browser sends; the identity service checks each value (and names what is wrong).
const CitizenForm = pageSchema({
  body: Type.Object({ cccd: FormText(), fullName: FormText(), birthDate: FormText(), sex: FormText(), email: FormText(), password: FormText() }),
});
const BusinessForm = pageSchema({ body: Type.Object({ taxCode: FormText(), name: FormText(), email: FormText(), password: FormText() }) });

/** Registration of citizens and businesses, who are signed in once registered. */
export function registrationRoutes(app: App, { identity }: ProviderPageDeps): void {
  app.get(REGISTER_PATH, { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) =>
    sendPage(reply, <RegisterPage page={pageRequest(request)} csrf={csrfToken(request, reply)} />),
  );

  app.post(REGISTER_PATH, { config: { access: PUBLIC }, ...CitizenForm }, async (request, reply) => {
    const form = postedForm(request);
    const { cccd = "", fullName = "", birthDate = "", sex = "", email = "", password = "" } = form.values;
    const values = { cccd, fullName, birthDate, sex, email };
    try {
      if (!form.ok) throw form.failure;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate) || Number.isNaN(Date.parse(birthDate))) {
        throw new InvalidAccount([{ path: "/birthDate", message: "Ngày sinh không hợp lệ." }]);
      }
      if (sex !== "male" && sex !== "female") throw new InvalidAccount([{ path: "/sex", message: "Vui lòng chọn giới tính." }]);
      await identity.registerCitizen({ ...values, sex, password }, meta(request));
      const { token } = await identity.signIn({ username: cccd, password }, meta(request));
      setSessionCookie(request, reply, token);
      return reply.redirect(ACCOUNT_PATH, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const page = pageRequest(request);
      const status = answerFor(reply, err);
      return sendPage(reply, <RegisterPage page={page} csrf={csrfToken(request, reply)} values={values} fields={err.fields} error={err.messages[page.lang]} />, status);
    }
  });

  app.get(REGISTER_BUSINESS_PATH, { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) =>
    sendPage(reply, <RegisterBusinessPage page={pageRequest(request)} csrf={csrfToken(request, reply)} />),
  );

  app.post(REGISTER_BUSINESS_PATH, { config: { access: PUBLIC }, ...BusinessForm }, async (request, reply) => {
    const form = postedForm(request);
    const { taxCode = "", name = "", email = "", password = "" } = form.values;
    const values = { taxCode, name, email };
    try {
      if (!form.ok) throw form.failure;
      const user = await identity.registerBusiness({ ...values, password }, meta(request));
      const { token } = await identity.signIn({ username: user.username, password }, meta(request));
      setSessionCookie(request, reply, token);
      return reply.redirect(ACCOUNT_PATH, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const page = pageRequest(request);
      const status = answerFor(reply, err);
      return sendPage(reply, <RegisterBusinessPage page={page} csrf={csrfToken(request, reply)} values={values} fields={err.fields} error={err.messages[page.lang]} />, status);
    }
  });
}
