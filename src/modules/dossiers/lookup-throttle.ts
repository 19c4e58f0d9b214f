// The public lookup's throttle (MOTCUA_LOOKUP_PER_MINUTE per client address), shared by every node through the
// database (platform/throttle): an address spreading its lookups over the nodes behind a balancer meets the limit at
// the same count as on one, and a portal's lookups, which come many at once, add their counts in one statement.
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import { makeSharedThrottle } from "../../platform/throttle/index.ts";
import { LookupThrottled } from "./errors.ts";

/** The length of a throttle window, from an address's first lookup in it. */
export const LOOKUP_WINDOW_MS = 60_000;

export interface LookupThrottle {
  /** Counts one lookup from `address`. Throws LookupThrottled (with the seconds to wait) past the limit. */
  take(address: string): Promise<void>;
}

export function makeLookupThrottle({ database, clock, limit }: { database: Database; clock: Clock; limit: number }): LookupThrottle {
  const shared = makeSharedThrottle({ database, clock, limit, windowMs: LOOKUP_WINDOW_MS });
  return {
    async take(address) {
      const wait = await shared.take(address);
      if (wait !== null) throw new LookupThrottled(wait);
    },
  };
}
