import querystring from "node:querystring";
import { Type } from "../../../platform/typebox.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import { PUBLIC } from "../../../platform/http/access.ts";
import type { App } from "../../../platform/http/types.ts";
import { FormText, pageQuery, pageSchema } from "../../../web/forms.ts";
import { SIGN_IN_PATH } from "../pages/paths.ts";
import { attachSignOut, type BrowserSignOut } from "./logout.tsx";
import { acrOf, attachBrowserSession, type BrowserSession, OIDC_PATH, type Oidc, requiredLoa } from "./provider.ts";

const HIDDEN = { schema: { hide: true } } as const;
/** oidc-provider's own limit on a body it reads (lib/shared/selective_body.js). */
const PROVIDER_BODY_LIMIT = 56 * 1024;
/** `?buoc=ngoai`: the browser comes back from the external provider's step up. */
const Interaction = pageSchema({ params: Type.Object({ uid: Type.String() }), querystring: Type.Object({ buoc: FormText() }) });

/**
 * The motcua session of a browser request, if signed in (officers and administrators only once past the
 * second factor: the actor hook leaves them anonymous before). Password sign-ins say `pwd` (and `otp`,
 * `mfa` with the second factor); a session an external provider vouched for (loa 1 or 2) carries no
 * `amr` of ours: its `acr` tells the level.
 */
function browserSession(request: FastifyRequest): BrowserSession | null {
  if (!request.user || request.actor.type !== "user") return null;
  const loa = request.actor.loa;
  const officer = request.user.kind === "officer" || request.user.kind === "admin";
  const amr = loa > 0 ? undefined : officer ? ["pwd", "otp", "mfa"] : ["pwd"];
  return { userId: request.user.id, loa, amr };
}

/**
 * Mounts the provider at /oidc (raw Node request and response: oidc-provider is a Koa application that
 * reads its own bodies), the discovery document at the root too, and the interaction endpoint that
 * hands a signed-in browser session to the provider.
 */
export function oidcRoutes(oidc: Oidc, opts: { signOut?: (request: FastifyRequest) => Promise<string[]> } = {}) {
  const issuer = new URL(oidc.issuer);
  return async (app: App) => {
    // A form (token, revocation, introspection, sign-out) is read here, so the platform's input check sees it
    // (a NUL in a refresh token would otherwise reach the provider's database look-up): parsed as the provider
    // parses it, within its limit, and handed to it as `req.body` — which it reads instead of the stream (and
    // says so once, with a warning). Other bodies are left unread for the provider.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: PROVIDER_BODY_LIMIT }, (request, body, done) => {
      (request.raw as typeof request.raw & { body?: string }).body = body as string;
      done(null, querystring.parse(body as string));
    });
    app.addContentTypeParser("*", (_request, _payload, done) => done(null));

    // The provider trusts these headers (provider.proxy) and nothing else tells it its address: they are
    // always ours, never the client's.
    const atOwnAddress = (raw: FastifyRequest["raw"]) => {
      raw.headers["x-forwarded-proto"] = issuer.protocol.slice(0, -1);
      raw.headers["x-forwarded-host"] = issuer.host;
      delete raw.headers["x-forwarded-for"];
    };

    const handOver = async (request: FastifyRequest, reply: FastifyReply, innerUrl: string) => {
      const provider = await oidc.provider();
      reply.hijack();
      const raw = request.raw as typeof request.raw & { originalUrl?: string };
      raw.originalUrl = `${OIDC_PATH}${innerUrl}`;
      raw.url = innerUrl;
      atOwnAddress(raw);
      const signOut = opts.signOut;
      if (signOut) attachSignOut(raw, (() => signOut(request)) satisfies BrowserSignOut);
      // Bearer-token requests (the token endpoint, userinfo) have no browser session to compare.
      attachBrowserSession(raw, request.sessionId ? browserSession(request) : null);
      await provider.callback()(raw, reply.raw);
    };

    const inner = (request: FastifyRequest) => request.url.slice(OIDC_PATH.length) || "/";
    // Open to all: the provider authenticates its own endpoints (clients, tokens, the browser's session).
    app.all(OIDC_PATH, { config: { access: PUBLIC }, ...HIDDEN }, (request, reply) => handOver(request, reply, inner(request)));
    app.all(`${OIDC_PATH}/*`, { config: { access: PUBLIC }, ...HIDDEN }, (request, reply) => handOver(request, reply, inner(request)));
    app.get("/.well-known/openid-configuration", { config: { access: PUBLIC }, ...HIDDEN }, (request, reply) =>
      handOver(request, reply, "/.well-known/openid-configuration"),
    );

    // The provider sends the browser here to sign in: with a motcua session the login is finished at
    // once (the session's assurance level becomes the `acr`), otherwise the sign-in page comes first.
    app.get(`${OIDC_PATH}/interaction/:uid`, { config: { access: PUBLIC }, ...Interaction }, async (request, reply) => {
      const provider = await oidc.provider();
      atOwnAddress(request.raw);
      const details = await provider.interactionDetails(request.raw, reply.raw);
      if (details.prompt.name !== "login" && details.prompt.name !== "consent") {
        return reply.code(400).type("text/plain; charset=utf-8").send("Unsupported interaction\n");
      }
      const session = browserSession(request);
      if (!session) {
        return reply.redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(`${OIDC_PATH}/interaction/${details.uid}`)}`, 303);
      }
      let result: Parameters<typeof provider.interactionFinished>[2];
      const required = details.prompt.name === "login" ? requiredLoa(details.params.claims) : null;
      if (required !== null && session.loa < required) {
        // The relying party requires a higher assurance level: once through the external provider
        // (VNeID) when there is one, and if that does not reach it either, an error for the client.
        const stepped = pageQuery(request).buoc === "ngoai";
        if (oidc.stepUpPath && !stepped && required <= 2) {
          const back = `${OIDC_PATH}/interaction/${details.uid}?buoc=ngoai`;
          return reply.redirect(`${oidc.stepUpPath}?next=${encodeURIComponent(back)}`, 303);
        }
        result = {
          error: "unmet_authentication_requirements",
          error_description: `assurance level ${required} is required; the sign-in has level ${session.loa}`,
        };
      } else if (details.prompt.name === "login") {
        result = { login: { accountId: session.userId, acr: acrOf(session.loa), ...(session.amr ? { amr: session.amr } : {}) } };
      } else {
        // Asked to confirm (prompt=consent): motcua's clients are registered by administrators, so the
        // grant covers what the client asked for.
        const accountId = details.session?.accountId;
        if (accountId !== session.userId) {
          return reply.redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(`${OIDC_PATH}/interaction/${details.uid}`)}`, 303);
        }
        const grant = details.grantId
          ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId: String(details.params.client_id) }))
          : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        result = { consent: { grantId: await grant.save() } };
      }
      reply.hijack();
      await provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: !("error" in result) });
    });
  };
}
