// Abuse controls on look-ups (issue 18, item 6): at most so many look-ups a minute per signed-in person (an
// officer, or a citizen about themselves) and per client address, on top of each connector's own quota to its
// registry. A refusal is 429 `registries.throttled` with Retry-After; nothing is asked of the registry and nothing
// is recorded, as the registry was not reached. The counts are shared by every node (platform/throttle: a person or an
// address spreading look-ups over the nodes meets the limit at the same count as on one); a person's window runs for
// a minute from their first look-up in it, an address's likewise. A look-up refused for its person is not counted
// against its address.
import { type Actor, actorRef } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import { makeSharedThrottle } from "../../platform/throttle/index.ts";
import { LookupThrottled } from "./rights/errors.ts";
import type { LookupMeta, RegistriesService } from "./service.ts";

const WINDOW_MS = 60_000;

export interface LookupLimits {
  officerPerMinute: number;
  clientPerMinute: number;
}

/**
 * The registries service with each look-up counted against its person and its client, shared by every node. Throws
 * LookupThrottled.
 */
export function withLookupLimits(inner: RegistriesService, limits: LookupLimits, deps: { database: Database; clock: Clock }): RegistriesService {
  // Keys of their own in the shared table (the public dossier lookup counts bare addresses there).
  const byPerson = makeSharedThrottle({ ...deps, limit: limits.officerPerMinute, windowMs: WINDOW_MS });
  const byClient = makeSharedThrottle({ ...deps, limit: limits.clientPerMinute, windowMs: WINDOW_MS });
  const check = async (actor: Actor, meta: LookupMeta | undefined) => {
    if (actor.type === "user") {
      const wait = await byPerson.take(`registries.person:${actorRef(actor)}`);
      if (wait !== null) throw new LookupThrottled("officer", wait);
    }
    if (meta?.client) {
      const wait = await byClient.take(`registries.client:${meta.client}`);
      if (wait !== null) throw new LookupThrottled("client", wait);
    }
  };
  return {
    ...inner,
    async lookupCitizen(actor, cccd, purpose, meta) {
      await check(actor, meta);
      return inner.lookupCitizen(actor, cccd, purpose, meta);
    },
    async lookupBusiness(actor, taxCode, purpose, meta) {
      await check(actor, meta);
      return inner.lookupBusiness(actor, taxCode, purpose, meta);
    },
    async civilEvents(actor, cccd, purpose, meta) {
      await check(actor, meta);
      return inner.civilEvents(actor, cccd, purpose, meta);
    },
  };
}
