// The portal and the office as relying parties of motcua's own OpenID provider: sign-in by the code flow
// with PKCE, state and nonce (openid-client), the callback that opens the party's own session from the
// ID token, and sign-out that ends it and then the provider's session (RP-initiated logout).
import type { FastifyReply, FastifyRequest } from "fastify";
import type * as OpenId from "openid-client";
import type { Clock } from "../../../platform/clock.ts";
import { DomainError } from "../../../platform/http/errors.ts";
import type { App } from "../../../platform/http/types.ts";
import { requiresSecondFactor } from "../second-factor.ts";
import type { IdentityService, RelyingParty } from "../service.ts";
import { cookie, readCookie } from "../../../web/cookies.ts";
import { pageQuery, pageSchema } from "../../../web/forms.ts";
import { tr } from "../../../web/i18n.ts";
import { answerFor } from "../../../web/page-errors.tsx";
import { endRpSession, setRpSessionCookie } from "../web-session.ts";
import { loaOf } from "../oidc/provider.ts";
import { NextQuery } from "../pages/sign-in.tsx";
import { Layout } from "../../../web/layout.tsx";
import { pageRequest, sendPage } from "../../../web/render.ts";
import { safeNext } from "../../../web/redirects.ts";
import { PUBLIC } from "../../../platform/http/access.ts";
import { AccountUnusable, SecondFactorRequired, SignInIncomplete } from "./errors.ts";
import { openidClient } from "../openid-client.ts";
import { FLOW_SECONDS, flowSealer } from "./flow.ts";
import { inProcessFetch } from "./in-process-fetch.ts";
import { PARTIES } from "./paths.ts";

const FLOW_COOKIE: Record<RelyingParty, string> = { portal: "motcua_portal_flow", office: "motcua_office_flow" };
/** The party's ID token, sent only to its sign-out (as `id_token_hint`). */
const HINT_COOKIE: Record<RelyingParty, string> = { portal: "motcua_portal_hint", office: "motcua_office_hint" };
const HINT_SECONDS = 12 * 3600;

export interface RelyingPartyDeps {
  identity: IdentityService;
  clock: Clock;
  publicUrl: string;
  /** The provider's issuer (`${publicUrl}/oidc`). */
  issuer: string;
  /** Seals the sign-in flow cookie (nodeSecret "rp-flow"). */
  secret: string;
}

/** A path of this site to come back to after the party's sign-in; anything else (or the site's root) is the party's home. */
function nextOf(request: FastifyRequest, rp: RelyingParty, given: unknown): string {
  const next = safeNext(request, given);
  return next === "/" ? PARTIES[rp].home : next;
}

export function relyingPartyRoutes(deps: RelyingPartyDeps) {
  const { identity, clock } = deps;
  const sealer = flowSealer(deps.secret);
  // openid-client's requests to the provider are answered by this application in process (set when registered).
  let customFetch: ReturnType<typeof inProcessFetch> | null = null;
  const insecure = deps.publicUrl.startsWith("http:");
  const configs = new Map<RelyingParty, Promise<OpenId.Configuration>>();

  /** The provider's metadata for the party, discovered once (in process), again after a failure. */
  const configOf = (rp: RelyingParty): Promise<OpenId.Configuration> => {
    let found = configs.get(rp);
    if (!found) {
      found = openidClient().then((client) =>
        client.discovery(new URL(deps.issuer), PARTIES[rp].clientId, undefined, client.None(), {
          [client.customFetch]: customFetch!,
          ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
        }),
      );
      found.catch(() => configs.delete(rp));
      configs.set(rp, found);
    }
    return found;
  };

  /** The party's refusal page, with the error's status and headers. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, rp: RelyingParty, err: DomainError) => {
    const page = pageRequest(request);
    const title = tr(page, "Không đăng nhập được", "Sign-in refused");
    const status = answerFor(reply, err);
    return sendPage(
      reply,
      <Layout page={page} variant={rp} title={title}>
        <h1>{title}</h1>
        <p class="error" role="alert" data-code={err.code}>
          {err.messages[page.lang]}
        </p>
        <p>
          <a href={PARTIES[rp].home}>{tr(page, "Quay lại", "Back")}</a>
        </p>
      </Layout>,
      status,
    );
  };

  return async (root: App) => {
    customFetch = inProcessFetch(root, new URL(deps.publicUrl).origin);

    // Signing in and out is for everyone; each party in a scope whose refusals (a forged sign-out) are its page.
    for (const rp of ["portal", "office"] as const) await root.register(async (app: App) => {
      app.setErrorHandler((err, request, reply) => {
        if (err instanceof DomainError) return refuse(request, reply, rp, err);
        throw err;
      });
      const paths = PARTIES[rp];
      const redirectUri = `${deps.publicUrl}${paths.callback}`;

      app.get(paths.signIn, { config: { access: PUBLIC }, ...NextQuery }, async (request, reply) => {
        const next = nextOf(request, rp, pageQuery(request).next);
        if (request.user) return reply.redirect(next, 303);
        const config = await configOf(rp);
        const client = await openidClient();
        const flow = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next };
        const url = client.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: "openid",
          code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
          code_challenge_method: "S256",
          state: flow.state,
          nonce: flow.nonce,
        });
        void reply.header("set-cookie", cookie(request, FLOW_COOKIE[rp], await sealer.seal(rp, flow, clock.now()), FLOW_SECONDS, paths.callback));
        return reply.header("cache-control", "no-store").redirect(url.href, 303);
      });

      // The provider's answer (code, state, or error) is read from the whole address by openid-client.
      app.get(paths.callback, { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) => {
        // The flow is used once, whatever happens next.
        void reply.header("set-cookie", cookie(request, FLOW_COOKIE[rp], "", 0, paths.callback));
        void reply.header("cache-control", "no-store");
        const sealed = readCookie(request, FLOW_COOKIE[rp]);
        const flow = sealed ? await sealer.open(rp, sealed, clock.now()) : null;
        if (!flow) return refuse(request, reply, rp, new SignInIncomplete());
        let tokens: Awaited<ReturnType<typeof OpenId.authorizationCodeGrant>>;
        const client = await openidClient();
        try {
          // Checks the state, exchanges the code with the verifier, verifies the ID token (signature, iss,
          // aud, exp, nonce).
          tokens = await client.authorizationCodeGrant(await configOf(rp), new URL(`${deps.publicUrl}${request.url}`), {
            pkceCodeVerifier: flow.verifier,
            expectedState: flow.state,
            expectedNonce: flow.nonce,
            idTokenExpected: true,
          });
        } catch (err) {
          const e = err as { name?: string; code?: string; error?: string };
          request.log.info({ rp, error: e.error ?? e.code ?? e.name }, "relying party: sign-in not completed");
          return refuse(request, reply, rp, new SignInIncomplete());
        }
        const claims = tokens.claims()!;
        const user = await identity.user(claims.sub);
        if (!user || user.status !== "active") return refuse(request, reply, rp, new AccountUnusable());
        const mfa = Array.isArray(claims.amr) && claims.amr.includes("mfa");
        if (rp === "office" && requiresSecondFactor(user) && !mfa) return refuse(request, reply, rp, new SecondFactorRequired());
        // Always a new session (a cookie planted before is never carried over); an earlier one of the browser ends.
        await endRpSession(identity, request, reply, rp);
        const token = await identity.openRelyingPartySession(rp, user, { loa: loaOf(typeof claims.acr === "string" ? claims.acr : undefined), mfa }, {
          requestId: request.id,
          ip: request.ip,
          userAgent: request.headers["user-agent"] ?? null,
        });
        setRpSessionCookie(request, reply, rp, token);
        void reply.header("set-cookie", cookie(request, HINT_COOKIE[rp], tokens.id_token!, HINT_SECONDS, paths.signOut));
        // Checked when the flow began; again here, as every redirect to a visitor's value is.
        return reply.redirect(nextOf(request, rp, flow.next), 303);
      });

      // The kit checks the CSRF token (a forged form ends nothing: the refusal page, 403).
      app.post(paths.signOut, { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) => {
        const hint = readCookie(request, HINT_COOKIE[rp]);
        await endRpSession(identity, request, reply, rp);
        void reply.header("set-cookie", cookie(request, HINT_COOKIE[rp], "", 0, paths.signOut));
        const client = await openidClient();
        const url = client.buildEndSessionUrl(await configOf(rp), {
          post_logout_redirect_uri: `${deps.publicUrl}${paths.home}`,
          ...(hint ? { id_token_hint: hint } : { client_id: paths.clientId }),
        });
        return reply.header("cache-control", "no-store").redirect(url.href, 303);
      });
    });
  };
}
