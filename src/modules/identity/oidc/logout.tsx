// RP-initiated logout: the provider's sign-out pages in motcua's own layout, and signing the browser out of
// motcua (its own session and the relying parties') when the person confirms.
import type { IncomingMessage } from "node:http";
import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import { renderToString } from "preact-render-to-string";
import { languageOfHeaders } from "../../../platform/http/language.ts";
import { assetUrl } from "../../../web/assets.ts";
import { translator } from "../../../web/i18n.ts";
import { Layout } from "../../../web/layout.tsx";
import { PAGE_SECURITY_HEADERS, type PageRequest } from "../../../web/render.ts";

function pageOf(ctx: KoaContextWithOIDC): PageRequest {
  const lang = languageOfHeaders(ctx.req.headers);
  return { lang, t: translator(lang), here: "/" };
}

function send(ctx: KoaContextWithOIDC, html: string) {
  ctx.set(PAGE_SECURITY_HEADERS);
  ctx.type = "text/html; charset=utf-8";
  ctx.body = `<!doctype html>${html}`;
}

/**
 * Asks to confirm signing out of motcua (the provider's session and, with it, the browser's sessions of the
 * portal and the office). The form is sent at once, without asking, when the request comes from one of
 * motcua's own parties with an ID token of the person signed in here (`autoSubmit`): a sign-out they asked
 * for there with a CSRF-checked form. Anyone else's link only shows the question.
 */
export function logoutPage(ctx: KoaContextWithOIDC, providerForm: string, autoSubmit: boolean): void {
  const action = /action="([^"]+)"/.exec(providerForm)?.[1] ?? "";
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(providerForm)?.[1] ?? "";
  const page = pageOf(ctx);
  const en = page.lang === "en";
  send(
    ctx,
    renderToString(
      <Layout page={page} variant="portal" title={en ? "Sign out" : "Đăng xuất"}>
        <h1>{en ? "Sign out of motcua" : "Đăng xuất khỏi motcua"}</h1>
        <p>
          {en
            ? "You will be signed out of your account, the public-service portal and the one-stop office on this browser."
            : "Bạn sẽ được đăng xuất khỏi tài khoản, cổng dịch vụ công và hệ thống một cửa trên trình duyệt này."}
        </p>
        <form method="post" action={action} data-auto-submit={autoSubmit ? "" : undefined}>
          <input type="hidden" name="xsrf" value={xsrf} />
          <input type="hidden" name="logout" value="yes" />
          <button type="submit">{en ? "Sign out" : "Đăng xuất"}</button>
        </form>
        <p>
          <a href="/">{en ? "Stay signed in and go back" : "Vẫn đăng nhập và quay lại"}</a>
        </p>
        {autoSubmit ? <script src={assetUrl("auto-submit.js")} defer /> : null}
      </Layout>,
    ),
  );
}

/** After signing out, when no relying party asked to be returned to. */
export function loggedOutPage(ctx: KoaContextWithOIDC): void {
  const page = pageOf(ctx);
  const en = page.lang === "en";
  send(
    ctx,
    renderToString(
      <Layout page={page} variant="portal" title={en ? "Signed out" : "Đã đăng xuất"}>
        <h1>{en ? "You are signed out" : "Bạn đã đăng xuất"}</h1>
        <p>
          <a href="/">{en ? "Go to the portal" : "Về cổng dịch vụ công"}</a>
        </p>
      </Layout>,
    ),
  );
}

type LogoutFeature = NonNullable<NonNullable<Configuration["features"]>["rpInitiatedLogout"]>;

/** The rpInitiatedLogout feature: its form goes by itself for an ID token of `ownClients` naming the person signed in. */
export function rpInitiatedLogout(ownClients: readonly string[]): LogoutFeature {
  return {
    enabled: true,
    logoutSource: async (ctx, form) => {
      const hint = ctx.oidc.entities.IdTokenHint as { payload?: { sub?: unknown; aud?: unknown } } | undefined;
      const own = typeof hint?.payload?.aud === "string" && ownClients.includes(hint.payload.aud);
      logoutPage(ctx, form, own && hint?.payload?.sub === ctx.oidc.session?.accountId);
    },
    postLogoutSuccessSource: async (ctx) => loggedOutPage(ctx),
  };
}

const SIGN_OUT = Symbol("motcua.signOut");

/**
 * Ends the browser's motcua sessions (the provider's and the relying parties'), returning the Set-Cookie
 * lines that clear their cookies; run when the person confirms signing out at the end-session endpoint.
 */
export type BrowserSignOut = () => Promise<string[]>;

/** Hands the request's sign-out to the provider (routes.ts), which runs it once the person confirmed. */
export function attachSignOut(raw: IncomingMessage, signOut: BrowserSignOut): void {
  (raw as IncomingMessage & { [SIGN_OUT]?: BrowserSignOut })[SIGN_OUT] = signOut;
}

/** Provider middleware: a confirmed sign-out ends oidc-provider's session and motcua's sessions of the browser. */
export function signOutOnConfirm(issuer: string) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const { oidc } = ctx as Partial<KoaContextWithOIDC>;
    if (oidc?.route !== "end_session_confirm" || ctx.status !== 303 || !oidc.params?.logout) return;
    // When another person signs in on the browser, the provider ends the previous one's session on its own
    // way back to the authorization (resume): that must not sign the new person out of motcua.
    if (ctx.response.get("Location").startsWith(`${issuer}/auth/`)) return;
    const signOut = (ctx.req as IncomingMessage & { [SIGN_OUT]?: BrowserSignOut })[SIGN_OUT];
    for (const line of signOut ? await signOut() : []) ctx.append("Set-Cookie", line);
  };
}
