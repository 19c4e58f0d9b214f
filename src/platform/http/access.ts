// Route-level access decisions. Each route declares its own in its options (`config: { access }`); the
// routes of a plugin that cannot declare one (a third party's) take the default of the scope they are
// registered in (`registerWithAccess`). A route with neither stops the application from building.
// Finer rules (an agency's subtree, a dossier's owner) live in each module's policy.
import type { FastifyInstance, FastifyPluginAsync, FastifyPluginCallback, FastifyPluginOptions, RouteOptions } from "fastify";
import { type Actor, hasRole, OFFICER_ROLES, type Role } from "../auth/actor.ts";
import { defineError } from "./errors.ts";
import type { App } from "./types.ts";

/** Who may call a route at all; finer checks (agency subtree, ownership) are the modules' policies. */
export type Access = { kind: "public" } | { kind: "signed_in" } | { kind: "roles"; roles: readonly Role[] };

export const PUBLIC: Access = { kind: "public" };
export const SIGNED_IN: Access = { kind: "signed_in" };
export const rolesOnly = (...roles: Role[]): Access => ({ kind: "roles", roles });

/** Administrators of agencies and of the system: accounts and the catalogue's changes. */
export const ADMINS = rolesOnly("agency_admin", "system_admin");
/** Administrators and supervisors: they read what administrators change (drafts, versions). */
export const REVIEWER_ROLES: readonly Role[] = ["agency_admin", "system_admin", "supervisor"];
export const REVIEWERS = rolesOnly(...REVIEWER_ROLES);
/** An agency's staff: the office's queue and dossiers. */
export const OFFICERS = rolesOnly(...OFFICER_ROLES);
/** Citizens and businesses, who file and follow their own dossiers. */
export const APPLICANTS = rolesOnly("citizen", "business");
/** Businesses, who name their representatives. */
export const BUSINESSES = rolesOnly("business");
/** The one-stop desk: counter intake and a received dossier's form and files. */
export const RECEIVERS = rolesOnly("receiver");

export const NotAuthenticated = defineError("access.unauthenticated", "unauthenticated", () => ({
  vi: "Bạn cần đăng nhập để thực hiện thao tác này.",
  en: "You need to sign in to do this.",
}));

export const AccessDenied = defineError("access.denied", "forbidden", () => ({
  vi: "Bạn không có quyền thực hiện thao tác này.",
  en: "You are not allowed to do this.",
}));

export function allows(access: Access, actor: Actor): boolean {
  switch (access.kind) {
    case "public":
      return true;
    case "signed_in":
      return actor.type === "user";
    case "roles":
      return access.roles.some((r) => hasRole(actor, r));
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: Access;
}

const registered = new WeakMap<object, RegisteredRoute[]>();

/**
 * Every route of the app with its decision, as Fastify announces them (for the authorization matrix
 * test). A prefixed plugin's root (`/docs`) is also served with a trailing slash by a twin Fastify does
 * not announce; the twin shares the root's options, and so its decision.
 */
export function registeredRoutes(app: App): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
}

// The decoration holding a scope's default; decorations are encapsulated, so it reaches only the routes
// registered in that scope and the scopes below it.
const SCOPE_ACCESS = Symbol("motcua.scopeAccess");

function scopeAccess(instance: FastifyInstance): Access | undefined {
  return instance.hasDecorator(SCOPE_ACCESS) ? instance.getDecorator<Access>(SCOPE_ACCESS) : undefined;
}

/**
 * Registers `plugin` in a scope of its own whose routes take `access` unless they declare theirs: for
 * plugins whose routes we cannot annotate (the API explorer's pages).
 */
export async function registerWithAccess<Options extends FastifyPluginOptions>(
  app: App,
  access: Access,
  plugin: FastifyPluginCallback<Options> | FastifyPluginAsync<Options>,
  opts: Options,
): Promise<void> {
  await app.register(async (scope) => {
    scope.decorate<Access>(SCOPE_ACCESS, access);
    await scope.register(plugin, opts);
  });
}

/**
 * Gives each route its decision as it is registered (a route with none stops the app from building)
 * and enforces it on every request, after the actor is known: 401 without identity, 403 with the
 * wrong one.
 */
export function registerAccessControl(app: App): void {
  const list: RegisteredRoute[] = [];
  registered.set(app, list);
  // `this` is the instance the route is registered on, so a scope's default is seen.
  app.addHook("onRoute", function (this: FastifyInstance, route: RouteOptions) {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = route.config?.access ?? scopeAccess(this);
    if (!access) throw new Error(`route ${methods.join(",")} ${route.url} has no access decision (declare config.access on the route)`);
    route.config = { ...route.config, access };
    for (const method of methods) list.push({ method, url: route.url, access });
  });
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || allows(access, request.actor)) return;
    throw request.actor.type === "user" ? new AccessDenied() : new NotAuthenticated();
  });
}
