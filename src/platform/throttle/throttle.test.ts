// The shared throttle (platform/throttle) on a real database: a key's counts are one count for every node, the
// counts of one turn of the event loop take their places in order in one statement, a key over its limit waits out
// its window without asking the database again, and the hourly job forgets the windows that have ended.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testDatabase, watchStatements } from "../../../test/helpers/db.ts";
import { fixedClock } from "../clock.ts";
import { sql } from "../db/drizzle.ts";
import type { Database } from "../db/index.ts";
import { testLogger } from "../log/testing.ts";
import { forgetEndedWindowsJob, makeSharedThrottle } from "./index.ts";

const clock = fixedClock("2026-12-01T03:00:00Z");

describe("shared throttle", () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database?.close());

  it("counts a key once for every node, and tells the seconds until its window ends", async () => {
    const node = () => makeSharedThrottle({ database, clock, limit: 3, windowMs: 60_000 });
    const [a, b] = [node(), node()];
    assert.equal(await a.take("k1"), null);
    clock.advance(10_000);
    assert.equal(await b.take("k1"), null);
    assert.equal(await a.take("k1"), null);
    assert.equal(await b.take("k1"), 50, "the fourth, on the other node: 50 s left of the minute from the first");
    assert.equal(await a.take("k2"), null, "another key, its own count");
    clock.advance(50_000);
    assert.equal(await b.take("k1"), null, "a new window");
  });

  it("takes the counts of one turn in one statement, in order, and refuses a key over its limit without asking again", async () => {
    const throttle = makeSharedThrottle({ database, clock, limit: 2, windowMs: 60_000 });
    const watch = watchStatements(database);
    try {
      const verdicts = await Promise.all(["k3", "k3", "k4", "k3"].map((k) => throttle.take(k)));
      assert.deepEqual(verdicts, [null, null, null, 60], "the third of k3 is over");
      const writes = () => watch.texts.filter((t) => /lookup_throttle/.test(t)).length;
      assert.equal(writes(), 1, "one statement for the turn");
      assert.equal(await throttle.take("k3"), 60);
      assert.equal(writes(), 1, "a refused key is not counted again until its window ends");
    } finally {
      watch.stop();
    }
  });

  it("forgets the windows that have ended, hourly", async () => {
    const throttle = makeSharedThrottle({ database, clock, limit: 5, windowMs: 60_000 });
    await throttle.take("old");
    clock.advance(61_000);
    await throttle.take("live");
    const job = forgetEndedWindowsJob({ database, clock });
    await job.handler({}, { id: 1, name: job.name, attempt: 1, maxAttempts: 3, signal: new AbortController().signal, logger: testLogger(), database });
    const keys = await database.rows<{ key: string }>(sql`SELECT key FROM lookup_throttle WHERE key IN ('old', 'live') ORDER BY key`);
    assert.deepEqual(keys.map((k) => k.key), ["live"]);
  });
});
