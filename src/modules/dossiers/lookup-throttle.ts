// The public lookup's throttle (MOTCUA_LOOKUP_PER_MINUTE per client address), shared by every node through the
// database: an address spreading its lookups over the nodes behind a balancer meets the limit at the same count
// as on one. The lookups of one turn of the event loop add their counts in one statement (a portal's lookups
// come many at once, as their reads do), and an address found over its limit is refused here until its window
// ends without asking the database again: a flood costs the database nothing.
import DataLoader from "dataloader";
import { LRUCache } from "lru-cache";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import { LookupThrottled } from "./errors.ts";
import { countLookups } from "./repo.throttle.ts";

/** The length of a throttle window, from an address's first lookup in it. */
export const LOOKUP_WINDOW_MS = 60_000;

export interface LookupThrottle {
  /** Counts one lookup from `address`. Throws LookupThrottled (with the seconds to wait) past the limit. */
  take(address: string): Promise<void>;
}

type Verdict = { allowed: true } | { allowed: false; resetAt: number };

export function makeLookupThrottle({ database, clock, limit }: { database: Database; clock: Clock; limit: number }): LookupThrottle {
  // Addresses over their limit, until their window ends (the count only grows until then, on every node).
  const refused = new LRUCache<string, number>({ max: 100_000 });
  const loader = new DataLoader<string, Verdict>(
    async (addresses) => {
      const now = clock.now();
      const counts = new Map<string, number>();
      for (const a of addresses) counts.set(a, (counts.get(a) ?? 0) + 1);
      const totals = await countLookups(database.db, counts, now, LOOKUP_WINDOW_MS);
      // The lookups of one address in this batch take the places after those counted before them, in order.
      const seen = new Map<string, number>();
      return addresses.map((a) => {
        const total = totals.get(a)!;
        const place = total.count - counts.get(a)! + (seen.get(a) ?? 0) + 1;
        seen.set(a, (seen.get(a) ?? 0) + 1);
        return place <= limit ? { allowed: true } : { allowed: false, resetAt: total.resetAt.getTime() };
      });
    },
    { cache: false, maxBatchSize: 500, batchScheduleFn: (run) => setImmediate(run) },
  );
  const wait = (resetAt: number, now: number) => new LookupThrottled(Math.max(1, Math.ceil((resetAt - now) / 1000)));

  return {
    async take(address) {
      const until = refused.get(address);
      if (until !== undefined) {
        const now = clock.now().getTime();
        if (until > now) throw wait(until, now);
        refused.delete(address);
      }
      const verdict = await loader.load(address);
      if (!verdict.allowed) {
        refused.set(address, verdict.resetAt);
        throw wait(verdict.resetAt, clock.now().getTime());
      }
    },
  };
}
