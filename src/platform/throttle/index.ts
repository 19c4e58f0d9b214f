// Throttles shared by every node through the database (docs/ARCHITECTURE.md, "What is shared"): a key — a client
// address, a person — may be counted `limit` times in a window that runs for `windowMs` from its first count, on
// whichever node. The counts asked for in one turn of the event loop are added in one statement, and a key found
// over its limit is refused by the node that saw it until its window ends without asking the database again (the
// count only grows until then, on every node): a flood costs the database nothing.
import DataLoader from "dataloader";
import { LRUCache } from "lru-cache";
import type { Clock } from "../clock.ts";
import type { Database } from "../db/index.ts";
import { defineJob } from "../jobs/index.ts";
import { countInWindows, forgetEndedWindows } from "./repo.ts";

export interface SharedThrottle {
  /** Counts one for `key`: null when within the limit, else the seconds until its window ends (at least 1). */
  take(key: string): Promise<number | null>;
}

type Verdict = { allowed: true } | { allowed: false; resetAt: number };

export function makeSharedThrottle({ database, clock, limit, windowMs }: { database: Database; clock: Clock; limit: number; windowMs: number }): SharedThrottle {
  // Keys over their limit, until their window ends.
  const refused = new LRUCache<string, number>({ max: 100_000 });
  const loader = new DataLoader<string, Verdict>(
    async (keys) => {
      const counts = new Map<string, number>();
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
      const totals = await countInWindows(database.db, counts, clock.now(), windowMs);
      // The counts of one key in this batch take the places after those counted before them, in order.
      const seen = new Map<string, number>();
      return keys.map((k) => {
        const total = totals.get(k)!;
        const place = total.count - counts.get(k)! + (seen.get(k) ?? 0) + 1;
        seen.set(k, (seen.get(k) ?? 0) + 1);
        return place <= limit ? { allowed: true } : { allowed: false, resetAt: total.resetAt.getTime() };
      });
    },
    { cache: false, maxBatchSize: 500, batchScheduleFn: (run) => setImmediate(run) },
  );
  const wait = (resetAt: number) => Math.max(1, Math.ceil((resetAt - clock.now().getTime()) / 1000));

  return {
    async take(key) {
      const until = refused.get(key);
      if (until !== undefined) {
        if (until > clock.now().getTime()) return wait(until);
        refused.delete(key);
      }
      const verdict = await loader.load(key);
      if (verdict.allowed) return null;
      refused.set(key, verdict.resetAt);
      return wait(verdict.resetAt);
    },
  };
}

/** Hourly: removes the windows that have ended (a key's next count starts a new one anyway). */
export function forgetEndedWindowsJob({ database, clock }: { database: Database; clock: Clock }) {
  return defineJob<Record<string, never>>({
    name: "throttle.forget_ended",
    maxAttempts: 3,
    handler: async () => {
      await forgetEndedWindows(database.db, clock.now());
    },
  });
}
