// Administration of officer accounts by agency administrators (within their subtree) and system administrators.
import { Type } from "../../platform/typebox.ts";
import { ROLES } from "../../platform/auth/actor.ts";
import { ADMINS, BUSINESSES } from "../../platform/http/access.ts";
import { Literals, Nullable } from "../../platform/http/schema.ts";
import type { App } from "../../platform/http/types.ts";
import type { IdentityService, UserView } from "./service.ts";

const Role = Literals(ROLES);
const Grant = Type.Object({ role: Role, agencyCode: Type.Optional(Type.String({ maxLength: 13 })) });
const UserDto = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  username: Type.String(),
  fullName: Type.String(),
  status: Type.String(),
  agencyCode: Nullable(Type.String()),
  departmentCode: Nullable(Type.String()),
  roles: Type.Array(Type.Object({ role: Type.String(), agencyCode: Type.String() })),
});

const present = (u: UserView) => ({
  id: u.id,
  kind: u.kind,
  username: u.username,
  fullName: u.fullName,
  status: u.status,
  agencyCode: u.agencyCode,
  departmentCode: u.departmentCode,
  roles: u.roles,
});

export function adminRoutes(identity: IdentityService) {
  return async (app: App) => {
    const meta = (request: { ip: string; id: string; headers: Record<string, unknown> }) => ({
      ip: request.ip,
      requestId: request.id,
      userAgent: typeof request.headers["user-agent"] === "string" ? request.headers["user-agent"] : null,
    });

    const Representatives = Type.Object({ items: Type.Array(Type.Object({ username: Type.String(), fullName: Type.String() })) });

    app.get(
      "/api/me/representatives",
      { config: { access: BUSINESSES }, schema: { tags: ["identity"], summary: "The citizens who represent the signed-in business", response: { 200: Representatives } } },
      async (request) => ({ items: await identity.representatives(request.actor) }),
    );

    app.post(
      "/api/me/representatives",
      {
        config: { access: BUSINESSES },
        schema: {
          tags: ["identity"],
          summary: "Link a citizen (by CCCD) as a representative of the signed-in business",
          body: Type.Object({ cccd: Type.String({ maxLength: 12 }) }),
          response: { 200: Representatives },
        },
      },
      async (request) => ({ items: await identity.addRepresentative(request.actor, request.body.cccd, meta(request)) }),
    );

    app.get(
      "/api/admin/officers",
      {
        config: { access: ADMINS },
        schema: {
          tags: ["administration"],
          summary: "Officers of an agency's subtree",
          querystring: Type.Object({ agency: Type.String({ pattern: "^[0-9A-Z.]{13}$" }) }),
          response: { 200: Type.Object({ items: Type.Array(UserDto) }) },
        },
      },
      async (request) => ({ items: (await identity.officers(request.actor, request.query.agency)).map(present) }),
    );

    app.post(
      "/api/admin/officers",
      {
        config: { access: ADMINS },
        schema: {
          tags: ["administration"],
          summary: "Create an officer with roles within the administrator's subtree",
          body: Type.Object({
            username: Type.String({ minLength: 3, maxLength: 64 }),
            fullName: Type.String({ minLength: 1, maxLength: 200 }),
            email: Type.Optional(Type.String({ maxLength: 200 })),
            agencyCode: Type.String({ pattern: "^[0-9A-Z.]{13}$" }),
            departmentCode: Type.Optional(Type.String({ maxLength: 64 })),
            roles: Type.Array(Grant, { minItems: 1, maxItems: 10 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          }),
          response: { 201: UserDto },
        },
      },
      async (request, reply) => {
        const user = await identity.createOfficer(request.actor, request.body, meta(request));
        return reply.status(201).send(present(user));
      },
    );

    app.put(
      "/api/admin/users/:id/roles",
      {
        config: { access: ADMINS },
        schema: {
          tags: ["administration"],
          summary: "Replace an officer's roles",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: Type.Object({ roles: Type.Array(Grant, { maxItems: 10 }) }),
          response: { 200: UserDto },
        },
      },
      async (request) => present(await identity.setRoles(request.actor, request.params.id, request.body.roles, meta(request))),
    );

    const UserId = Type.Object({ id: Type.String({ maxLength: 64 }) });

    app.get(
      "/api/admin/users/:id",
      {
        config: { access: ADMINS },
        schema: {
          tags: ["administration"],
          summary: "An officer account the caller administers",
          params: UserId,
          response: { 200: Type.Composite([UserDto, Type.Object({ secondFactor: Type.Boolean() })]) },
        },
      },
      async (request) => {
        const user = await identity.officer(request.actor, request.params.id);
        return { ...present(user), secondFactor: user.secondFactor };
      },
    );

    app.put(
      "/api/admin/users/:id/department",
      {
        config: { access: ADMINS },
        schema: {
          tags: ["administration"],
          summary: "Assign an officer to a department of their agency (null: none)",
          params: UserId,
          body: Type.Object({ departmentCode: Nullable(Type.String({ maxLength: 64 })) }),
          response: { 200: UserDto },
        },
      },
      async (request) => present(await identity.setDepartment(request.actor, request.params.id, request.body.departmentCode, meta(request))),
    );

    app.post(
      "/api/admin/users/:id/enable",
      { config: { access: ADMINS }, schema: { tags: ["administration"], summary: "Enable a disabled account", params: UserId } },
      async (request, reply) => {
        await identity.enable(request.actor, request.params.id, meta(request));
        return reply.status(204).send();
      },
    );

    app.post(
      "/api/admin/users/:id/second-factor/reset",
      {
        config: { access: ADMINS },
        schema: {
          tags: ["administration"],
          summary: "Remove an officer's second factor (lost device); their sessions end and they enrol again at sign-in",
          params: UserId,
        },
      },
      async (request, reply) => {
        await identity.resetSecondFactor(request.actor, request.params.id, meta(request));
        return reply.status(204).send();
      },
    );

    app.post(
      "/api/admin/users/:id/disable",
      {
        config: { access: ADMINS },
        schema: {
          tags: ["administration"],
          summary: "Disable an account; its sessions end",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        },
      },
      async (request, reply) => {
        await identity.disable(request.actor, request.params.id, meta(request));
        return reply.status(204).send();
      },
    );
  };
}
