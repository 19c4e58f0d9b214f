import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger } from "fastify";
import type { Context } from "./context.ts";
import { sql } from "./platform/db/index.ts";
import { DatabaseUnavailable } from "./platform/http/errors.ts";
import { registerErrorHandling, sendDomainError } from "./platform/http/error-handler.ts";
import { createMetricsRegistry, registerMetrics } from "./platform/http/metrics.ts";
import type { App } from "./platform/http/types.ts";
import { PUBLIC, registerAccessControl, registerWithAccess } from "./platform/http/access.ts";
import { calendarRoutes } from "./platform/calendar/index.ts";
import { directoryRoutes } from "./modules/directory/routes.ts";
import { identityRoutes, registerActorHook, signOutBrowser } from "./modules/identity/index.ts";
import { oidcRoutes } from "./modules/oidc/index.ts";
import { federationRoutes } from "./modules/identity/federation.tsx";
import { adminRoutes } from "./modules/identity/admin-routes.ts";
import { adminPages } from "./modules/identity/admin-pages.tsx";
import { nodeSecret } from "./platform/secrets.ts";
import { catalogRoutes } from "./modules/catalog/index.ts";
import { dossierRoutes } from "./modules/dossiers/index.ts";
import { catalogPortalPages } from "./modules/catalog/portal-pages.tsx";
import { catalogOfficePages } from "./modules/catalog/office-pages.tsx";
import { dossierPortalPages } from "./modules/dossiers/portal-pages.tsx";
import { dossierOfficePages } from "./modules/dossiers/office-pages.tsx";
import { registerWebRoutes, sendNotFoundPage, wantsPage } from "./web/routes.tsx";
import { relyingPartyRoutes } from "./web/relying-party/routes.tsx";

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
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook("onRequest", async (request, reply) => {
    void reply.header("x-request-id", request.id);
  });

  registerActorHook(app, ctx.identity, ctx.config.publicUrl, (token) => ctx.oidc.verifyAccessToken(token));
  registerAccessControl(app);
  registerErrorHandling(app, { notFoundPage: { wants: wantsPage, send: sendNotFoundPage } });
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

  await app.register(calendarRoutes(ctx.calendar, ctx.clock));
  await app.register(directoryRoutes(ctx.directory));
  await app.register(identityRoutes(ctx.identity, ctx.secondFactor, ctx.config.federation?.name ?? null));
  await app.register(oidcRoutes(ctx.oidc, { signOut: (request) => signOutBrowser(ctx.identity, request) }));
  await app.register(adminRoutes(ctx.identity));
  await app.register(adminPages(ctx.identity, ctx.directory));
  await app.register(catalogRoutes(ctx.catalog));
  await app.register(dossierRoutes(ctx.dossiers, ctx.dossierForms, { maxUploadBytes: ctx.config.maxUploadBytes }));
  await app.register(catalogPortalPages({ catalog: ctx.catalog, directory: ctx.directory }));
  await app.register(catalogOfficePages(ctx.catalog));
  const dossierPages = { dossiers: ctx.dossiers, catalog: ctx.catalog, directory: ctx.directory, maxUploadBytes: ctx.config.maxUploadBytes };
  await app.register(dossierPortalPages(dossierPages));
  await app.register(dossierOfficePages(dossierPages));
  if (ctx.config.federation) {
    await app.register(
      federationRoutes({
        identity: ctx.identity,
        federation: ctx.config.federation,
        publicUrl: ctx.config.publicUrl,
        secret: nodeSecret(ctx.config, "federation"),
      }),
    );
  }
  await app.register(
    relyingPartyRoutes({
      app,
      identity: ctx.identity,
      clock: ctx.clock,
      publicUrl: ctx.config.publicUrl,
      issuer: ctx.oidc.issuer,
      secret: nodeSecret(ctx.config, "rp-flow"),
    }),
  );
  await registerWebRoutes(app, { clock: ctx.clock, holidays: (year) => ctx.calendar.holidays(year) });

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
      try {
        await ctx.database.db.execute(sql`SELECT 1`);
      } catch (err) {
        request.log.error({ err }, "health check: database did not answer");
        return sendDomainError(request, reply, new DatabaseUnavailable());
      }
      return { status: "ok" };
    },
  );

  return app;
}
