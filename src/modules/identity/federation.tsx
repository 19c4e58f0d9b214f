// Sign-in through an external OpenID provider (VNeID by agreement, a provincial Keycloak…): the
// authorization code flow with PKCE, state and nonce; the person is found or created by CCCD.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type * as OpenId from "openid-client";
import type { Config } from "../../platform/config/index.ts";
import { PUBLIC } from "../../platform/http/access.ts";
import { DomainError } from "../../platform/http/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { pageRequest, sendPage } from "../../web/render.ts";
import { safeNext } from "../../web/redirects.ts";
import { NextQuery, SignInPage } from "./pages/sign-in.tsx";
import { openidClient } from "./openid-client.ts";
import type { IdentityService } from "./service.ts";
import { csrfToken } from "../../web/cookies.ts";
import { pageQuery, pageSchema } from "../../web/forms.ts";
import { tr } from "../../web/i18n.ts";
import { answerFor } from "../../web/page-errors.tsx";
import { setSessionCookie } from "./web-session.ts";

export const FEDERATION_PATH = "/dang-nhap/ngoai";
export const FEDERATION_CALLBACK_PATH = "/dang-nhap/ngoai/callback";
const STATE_COOKIE = "motcua_fed";
/** How long the external provider's discovery and token calls may take. */
const PROVIDER_TIMEOUT_SECONDS = 10;
/** When to try again after the provider could not be reached. */
const UNREACHABLE_RETRY_SECONDS = 30;

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  exp: number;
}

export function federationRoutes(deps: {
  identity: IdentityService;
  federation: NonNullable<Config["federation"]>;
  publicUrl: string;
  secret: string;
}) {
  const { identity, federation, publicUrl } = deps;
  const redirectUri = `${publicUrl}${FEDERATION_CALLBACK_PATH}`;
  let discovered: Promise<OpenId.Configuration> | null = null;
  const configuration = () => {
    discovered ??= openidClient()
      .then((client) =>
        client.discovery(
          new URL(federation.issuer),
          federation.clientId,
          federation.clientSecret ?? undefined,
          federation.clientSecret ? client.ClientSecretPost(federation.clientSecret) : client.None(),
          {
            // A provider that does not answer costs a person waiting at the sign-in page these seconds, not 30.
            timeout: PROVIDER_TIMEOUT_SECONDS,
            // Plain http is for a provider on the same machine (tests, development) only.
            ...(federation.issuer.startsWith("http:") ? { execute: [client.allowInsecureRequests] } : {}),
          },
        ),
      )
      .catch((err: unknown) => {
        discovered = null;
        throw err;
      });
    return discovered;
  };

  const sign = (body: string) => createHmac("sha256", deps.secret).update(body).digest("base64url");
  const seal = (p: Pending) => {
    const body = Buffer.from(JSON.stringify(p)).toString("base64url");
    return `${body}.${sign(body)}`;
  };
  const unseal = (value: string | null): Pending | null => {
    if (!value) return null;
    const [body, mac] = value.split(".");
    if (!body || !mac) return null;
    const expected = Buffer.from(sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const p = JSON.parse(Buffer.from(body, "base64url").toString()) as Pending;
    return p.exp > Date.now() ? p : null;
  };

  const fail = (request: FastifyRequest, reply: FastifyReply, status: number, vi: string, en: string) => {
    const page = pageRequest(request);
    return sendPage(reply, <SignInPage page={page} csrf={csrfToken(request, reply)} next="/" error={tr(page, vi, en)} />, status);
  };

  return async (app: App) => {
    app.get(FEDERATION_PATH, { config: { access: PUBLIC }, ...NextQuery }, async (request, reply) => {
      const client = await openidClient();
      let config: OpenId.Configuration;
      try {
        config = await configuration();
      } catch (err) {
        // The provider is down or unreachable: the person is told so on the sign-in page, which still offers a
        // password; it is not our fault (no 500) and it may pass (Retry-After).
        request.log.warn({ err }, "external identity provider unreachable");
        void reply.header("retry-after", String(UNREACHABLE_RETRY_SECONDS));
        return fail(
          request,
          reply,
          503,
          `Hiện không kết nối được với ${federation.name}. Vui lòng thử lại sau ít phút hoặc đăng nhập bằng mật khẩu.`,
          `${federation.name} cannot be reached right now. Please try again in a few minutes, or sign in with a password.`,
        );
      }
      const pending: Pending = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
        next: safeNext(request, pageQuery(request).next),
        exp: Date.now() + 10 * 60 * 1000,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: "openid profile",
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: "S256",
      });
      const secure = publicUrl.startsWith("https:") ? "; Secure" : "";
      void reply.header("set-cookie", `${STATE_COOKIE}=${seal(pending)}; Path=${FEDERATION_PATH}; Max-Age=600; HttpOnly; SameSite=Lax${secure}`);
      return reply.redirect(url.href, 303);
    });

    // The provider's answer (code, state, or error) is read from the whole address by openid-client.
    app.get(FEDERATION_CALLBACK_PATH, { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) => {
      const cookie = /(?:^|;\s*)motcua_fed=([^;]+)/.exec(request.headers.cookie ?? "")?.[1] ?? null;
      const pending = unseal(cookie);
      void reply.header("set-cookie", `${STATE_COOKIE}=; Path=${FEDERATION_PATH}; Max-Age=0; HttpOnly; SameSite=Lax`);
      if (!pending) return fail(request, reply, 400, "Phiên đăng nhập đã hết hạn. Vui lòng thử lại.", "The sign-in has expired. Please try again.");
      let claims: Record<string, unknown>;
      let subject: string;
      try {
        const config = await configuration();
        const client = await openidClient();
        const tokens = await client.authorizationCodeGrant(config, new URL(request.url, publicUrl), {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new Error("no ID token");
        subject = idClaims.sub;
        claims = { ...idClaims };
        // The UserInfo endpoint holds what the ID token may leave out (the CCCD, the date of birth, the address).
        if (tokens.access_token) claims = { ...claims, ...(await client.fetchUserInfo(config, tokens.access_token, subject)) };
      } catch (err) {
        request.log.warn({ err }, "federated sign-in refused");
        return fail(request, reply, 400, `Đăng nhập qua ${federation.name} không thành công.`, `Signing in with ${federation.name} failed.`);
      }
      const cccd = claims[federation.cccdClaim];
      const loa = Number(claims[federation.loaClaim]);
      try {
        const { token } = await identity.signInFederated(
          {
            issuer: federation.issuer,
            subject,
            cccd: typeof cccd === "string" ? cccd : "",
            loa: Number.isFinite(loa) ? loa : 1,
            fullName: typeof claims.name === "string" ? claims.name : null,
            // OIDC standard claims, where the provider gives them.
            birthDate: typeof claims.birthdate === "string" ? claims.birthdate : null,
            address: typeof (claims.address as { formatted?: unknown } | undefined)?.formatted === "string" ? (claims.address as { formatted: string }).formatted : null,
          },
          { ip: request.ip, userAgent: request.headers["user-agent"] ?? null, requestId: request.id },
        );
        setSessionCookie(request, reply, token);
        return reply.redirect(safeNext(request, pending.next), 303);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const detail = err.fields?.[0]?.message;
        return fail(request, reply, answerFor(reply, err), detail ?? err.messages.vi, err.messages.en);
      }
    });
  };
}
