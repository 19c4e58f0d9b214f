// oidc-provider's storage adapter on motcua's database.
import type { Adapter, AdapterPayload, errors as ProviderErrors } from "oidc-provider";
import type { Clock } from "../../../platform/clock.ts";
import type { Database } from "../../../platform/db/index.ts";
import * as repo from "./repo.ts";

/**
 * The adapter class for a provider. `errors` is oidc-provider's own (from the library the provider was built with):
 * importing it here would load oidc-provider, koa and their routers with every process that merely mints tokens.
 */
export function adapterFactory(database: Database, clock: Clock, errors: typeof ProviderErrors) {
  return class DbAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      await repo.upsertPayload(database.db, {
        model: this.model,
        id,
        payload,
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expiresAt: expiresIn ? new Date(clock.now().getTime() + expiresIn * 1000) : null,
      });
    }

    private async load(by: { id: string } | { uid: string } | { userCode: string }): Promise<AdapterPayload | undefined> {
      const found = await repo.findPayload(database.db, this.model, by, clock.now());
      if (!found) return undefined;
      return { ...found.payload, ...(found.consumedAt ? { consumed: Math.floor(found.consumedAt.getTime() / 1000) } : {}) } as AdapterPayload;
    }

    find(id: string) {
      return this.load({ id });
    }

    findByUid(uid: string) {
      return this.load({ uid });
    }

    findByUserCode(userCode: string) {
      return this.load({ userCode });
    }

    async consume(id: string): Promise<void> {
      // The provider reads a code or refresh token, then marks it used: two requests presenting it at once (on one
      // node or two) both read it unused, and only the one whose mark lands is answered; the other is refused.
      if (!(await repo.consumePayload(database.db, this.model, id, clock.now()))) throw new errors.InvalidGrant("already used");
    }

    async destroy(id: string): Promise<void> {
      await repo.destroyPayload(database.db, this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await repo.revokeGrant(database.db, this.model, grantId);
    }
  };
}
