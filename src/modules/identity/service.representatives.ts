// The citizens who represent a business (its director, its staff), named by the business.
import { type Actor, hasRole } from "../../platform/auth/actor.ts";
import { Forbidden, InvalidAccount } from "./errors.ts";
import { checkCccd } from "./ids.ts";
import * as repo from "./repo.ts";
import type { IdentityDeps, RequestMeta } from "./service.support.ts";

/** The identity service's representatives of a business. */
export interface Representatives {
  /**
   * Links a citizen (by CCCD, with an account) as a representative of the business `actor` is signed in
   * as; audited. Returns the business's representatives.
   */
  addRepresentative(actor: Actor, cccd: string, meta?: RequestMeta): Promise<Array<{ username: string; fullName: string }>>;
  representatives(actor: Actor): Promise<Array<{ username: string; fullName: string }>>;
}

export function makeRepresentatives(deps: IdentityDeps): Representatives {
  const { database, audit, clock } = deps;

  return {
    async addRepresentative(actor, cccd, meta = {}) {
      if (actor.type !== "user" || !hasRole(actor, "business")) throw new Forbidden();
      const checked = checkCccd(cccd.trim(), { now: clock.now() });
      if (!checked.ok) throw new InvalidAccount([{ path: "/cccd", message: "Số định danh cá nhân (CCCD) không hợp lệ." }]);
      const citizen = await repo.findUserByUsername(database.db, cccd.trim());
      if (!citizen || citizen.kind !== "citizen") {
        throw new InvalidAccount([{ path: "/cccd", message: "Chưa có tài khoản công dân với số CCCD này." }]);
      }
      await database.transaction(async (tx) => {
        if (await repo.addRepresentative(tx, actor.userId, citizen.id)) {
          await audit.record(tx, {
            actor,
            action: "identity.representative_added",
            subject: { type: "user", id: actor.userId },
            requestId: meta.requestId ?? null,
            change: { citizenId: citizen.id },
          });
        }
      });
      return (await repo.representativesOf(database.db, actor.userId)).map((u) => ({ username: u.username, fullName: u.fullName }));
    },

    async representatives(actor) {
      if (actor.type !== "user" || !hasRole(actor, "business")) throw new Forbidden();
      return (await repo.representativesOf(database.db, actor.userId)).map((u) => ({ username: u.username, fullName: u.fullName }));
    },
  };
}
