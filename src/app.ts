import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { lazyCompilers } from "./platform/http/compilers.ts";
import Fastify, { type FastifyBaseLogger } from "fastify";
import type { Context } from "./context.ts";
import { Unavailable } from "./platform/http/errors.ts";
import { registerErrorHandling, sendDomainError } from "./platform/http/error-handler.ts";
import { registerInputCheck } from "./platform/http/input.ts";
import { createMetricsRegistry, registerMetrics } from "./platform/http/metrics.ts";
import type { App } from "./platform/http/types.ts";
import { PUBLIC, registerAccessControl, registerWithAccess } from "./platform/http/access.ts";
import { messagesOf, navOf } from "./platform/compose.ts";
import { sendRefusalPage } from "./web/page-errors.tsx";
import { registerPublicHostRedirect, registerSiteOrigin } from "./web/redirects.ts";
import { registerMessages, registerNavigation, registerWebRoutes, sendNotFoundPage, wantsPage } from "./web/routes.tsx";

export type { App };

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the HTTP application on a context. Never listens: `main.ts` does, tests use `inject()`. */
export async function buildApp(ctx: Context): Promise<App> {
  const app: App = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // A caller's X-Request-Id is kept when it is well-formed, so a request can be followed across nodes.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // request.ip is the client's only behind the proxies the operator names (MOTCUA_TRUSTED_PROXIES).
    trustProxy: ctx.config.trustedProxies.length ? ctx.config.trustedProxies : false,
    ajv: { customOptions: { allErrors: true, coerceTypes: "array", removeAdditional: false } },
    ...(ctx.config.lazySchemas ? { schemaController: { compilersFactory: lazyCompilers() } } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook("onRequest", async (request, reply) => {
    void reply.header("x-request-id", request.id);
  });
  // Before any other hook reads the request: its headers at once, the rest once routed and parsed.
  registerInputCheck(app);
  // The origin a visitor's `next` must stay on: the configured one, never the request's Host.
  registerSiteOrigin(app, ctx.config.publicUrl);
  // A page opened on another name of this node moves to the public URL before sign-in can start there.
  if (ctx.config.redirectToPublicUrl) registerPublicHostRedirect(app, ctx.config.publicUrl, { trustedProxies: ctx.config.trustedProxies.length > 0 });

  // Hooks on every request (who the actor is) come before any route.
  for (const m of ctx.modules) m.definition.spec.http?.(app, m.deps as never);
  registerAccessControl(app);
  registerErrorHandling(app, {
    notFoundPage: { wants: wantsPage, send: sendNotFoundPage },
    errorPage: { wants: wantsPage, send: (request, reply, err) => sendRefusalPage(request, reply, err, { href: "/", vi: "Về trang chủ", en: "Back to the home page" }) },
  });
  registerMetrics(app, createMetricsRegistry());

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "motcua API",
        description: "Nền tảng Chính phủ điện tử — the public HTTP API of a motcua node.",
        version: "0.1.0",
      },
      servers: [{ url: ctx.config.publicUrl }],
    },
  });
  await registerWithAccess(app, PUBLIC, swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { config: { access: PUBLIC }, schema: { hide: true } }, async () => app.swagger());

  // Each module's API routes, then its pages (built with the web kit), in the modules' order.
  for (const m of ctx.modules) for (const plugin of m.definition.spec.routes?.(m.deps as never) ?? []) await app.register(plugin);
  registerNavigation(app, navOf(ctx.modules.map((m) => m.definition)));
  registerMessages(app, messagesOf(ctx.modules.map((m) => m.definition)));
  await registerWebRoutes(
    app,
    ctx.modules.flatMap((m) => m.definition.spec.pages?.(m.deps as never) ?? []),
  );

  app.get(
    "/healthz",
    {
      config: { access: PUBLIC },
      schema: {
        tags: ["service"],
        summary: "Liveness and database check",
        response: { 200: { type: "object", properties: { status: { type: "string" } }, required: ["status"] } },
      },
    },
    async (request, reply) => {
      // What the database layer last found (a restart, a network that stopped answering, a full disk), or a
      // statement through the pool when it found nothing wrong.
      const problem = await ctx.database.health.check();
      if (problem) return sendDomainError(request, reply, new Unavailable(problem.reason));
      return { status: "ok" };
    },
  );

  return app;
}
