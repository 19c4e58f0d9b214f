// The identity API of the signed-in account (its pages are under `pages/`).
import { Type } from "../../platform/typebox.ts";
import { SIGNED_IN } from "../../platform/http/access.ts";
import { Nullable } from "../../platform/http/schema.ts";
import type { App } from "../../platform/http/types.ts";
import { NotSignedIn } from "./errors.ts";

/** `GET /api/me`: who the caller is. */
export function identityRoutes() {
  return async (app: App) => {
    app.get(
      "/api/me",
      {
        config: { access: SIGNED_IN },
        schema: {
          tags: ["identity"],
          summary: "The signed-in account",
          response: {
            200: Type.Object({
              id: Type.String(),
              kind: Type.String(),
              username: Type.String(),
              fullName: Type.String(),
              agencyCode: Nullable(Type.String()),
              roles: Type.Array(Type.Object({ role: Type.String(), agencyCode: Type.String() })),
              loa: Type.Integer(),
            }),
          },
        },
      },
      async (request) => {
        const user = request.user;
        if (!user || request.actor.type !== "user") throw new NotSignedIn();
        return { id: user.id, kind: user.kind, username: user.username, fullName: user.fullName, agencyCode: user.agencyCode, roles: user.roles, loa: request.actor.loa };
      },
    );
  };
}
