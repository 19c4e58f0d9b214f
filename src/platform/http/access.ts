// Route-level access decisions: every route has one, or the application refuses to start.
import type { RouteOptions } from "fastify";
import { type Actor, hasRole, type Role } from "../auth/actor.ts";
import { defineError } from "./errors.ts";
import type { App } from "./types.ts";

/** Who may call a route at all; finer checks (agency subtree, ownership) are the modules' policies. */
export type Access = { kind: "public" } | { kind: "signed_in" } | { kind: "roles"; roles: readonly Role[] };

export const PUBLIC: Access = { kind: "public" };
export const SIGNED_IN: Access = { kind: "signed_in" };
export const rolesOnly = (...roles: Role[]): Access => ({ kind: "roles", roles });

/** Decisions by `METHOD /path` as registered (`*` for any method; a path ending in `*` covers its subtree). */
export type AccessTable = Readonly<Record<string, Access>>;

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

/** The decision for a route, or null when the table has none. */
export function decisionFor(table: AccessTable, method: string, url: string): Access | null {
  const exact = table[`${method} ${url}`] ?? table[`* ${url}`];
  if (exact) return exact;
  // HEAD is answered by the GET handler.
  if (method === "HEAD") {
    const get = table[`GET ${url}`];
    if (get) return get;
  }
  for (const [key, access] of Object.entries(table)) {
    const [m, pattern] = key.split(" ", 2) as [string, string];
    if (!pattern.endsWith("*")) continue;
    if ((m === method || m === "*" || (method === "HEAD" && m === "GET")) && url.startsWith(pattern.slice(0, -1))) return access;
  }
  return null;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: Access;
}

const registered = new WeakMap<object, RegisteredRoute[]>();

/** Every route of the app with its decision (for the authorization matrix test). */
export function registeredRoutes(app: App): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * Gives each route its decision from `table` as it is registered (a route with none stops the app
 * from building) and enforces it on every request, after the actor is known: 401 without identity,
 * 403 with the wrong one.
 */
export function registerAccessControl(app: App, table: AccessTable): void {
  const list: RegisteredRoute[] = [];
  registered.set(app, list);
  app.addHook("onRoute", (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const access = route.config?.access ?? decisionFor(table, method, route.url);
      if (!access) throw new Error(`route ${method} ${route.url} has no access decision (add it to src/access.ts)`);
      list.push({ method, url: route.url, access });
      route.config = { ...(route.config ?? {}), access };
    }
  });
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || allows(access, request.actor)) return;
    throw request.actor.type === "user" ? new AccessDenied() : new NotAuthenticated();
  });
}
