// Catalogue search (issue 4, item 8; issue 13, item 11): 10,000 generated procedures searched at 50 connections;
// searches/s, p50 and p99, with the ratio to /healthz on the same server in the same run. Two loads:
// - `distinct`: every search different from every other (100,000 of them, none sent twice), so the node's cache
//   of repeated searches answers none: the figure of the search itself. Target on the 2-core machine
//   (PostgreSQL): ≥ 2,000 searches/s with p99 ≤ 25 ms.
// - `mix`: a fixed mix of 5,000 searches repeated (35 % with diacritics, 30 % without, 15 % with a typo, 20 % with
//   a filter), as a portal whose users repeat the common searches: mostly answered from the cache.
// `--load=distinct|mix` measures one of them (both by default). Driven by wrk (`apt-get install -y wrk`), a load
// generator that costs the 2-core machine far less than the server it measures.
import { generateDistinctQueries, generateQueries } from "./lib/catalog-dataset.ts";
import { type Figure, measureWrk, parseArgs, report, startServer } from "./lib/harness.ts";

const PROCEDURES = 10_000;
const DISTINCT = 100_000;
const MIX = 5_000;

export async function benchCatalogSearch(argv: string[]): Promise<void> {
  const { dbs, duration, connections, pgUrl } = parseArgs(argv);
  const loadArg = argv.find((a) => a.startsWith("--load="))?.split("=")[1] ?? "both";
  const loads = loadArg === "both" ? (["distinct", "mix"] as const) : ([loadArg] as Array<"distinct" | "mix">);
  // The warm-up's searches are not among the measured ones: each distinct search is sent once in the whole run.
  const distinct = generateDistinctQueries(DISTINCT * 1.1);
  const warmQueries = distinct.slice(DISTINCT);
  const measured = distinct.slice(0, DISTINCT);
  const mix = generateQueries(MIX);
  for (const db of dbs) {
    const server = await startServer("motcua", db, pgUrl);
    try {
      const load = await fetch(`${server.url}/bench/catalog/load?n=${PROCEDURES}`, { method: "POST" });
      if (!load.ok) throw new Error(`loading the catalogue: ${load.status} ${await load.text()}`);
      const { ms } = (await load.json()) as { ms: number };
      console.log(`catalog-search on ${db}: ${PROCEDURES} procedures loaded in ${(ms / 1000).toFixed(1)} s`);
      const healthz = await measureWrk({ url: `${server.url}/healthz`, connections, duration });
      report(`healthz on ${db} (baseline)`, healthz);
      for (const kind of loads) {
        let fig: Figure & { sent: number };
        if (kind === "distinct") {
          await measureWrk({ url: server.url, connections, duration: 2, warmup: 0, paths: warmQueries });
          fig = await measureWrk({ url: server.url, connections, duration, warmup: 0, paths: measured });
          if (fig.sent > measured.length) console.log(`  (${fig.sent} searches sent: more than the ${measured.length} distinct ones, some were repeated)`);
        } else {
          // One pass through the whole mix first: the figure is the steady state of a portal whose users repeat
          // these searches, not its first minute.
          fig = await measureWrk({ url: server.url, connections, duration, warmup: 2, paths: mix });
        }
        report(`catalog search on ${db}, ${kind === "distinct" ? "every search distinct" : "repeated mix"}`, fig, { name: "/healthz", fig: healthz });
        if (db === "postgres" && kind === "distinct") {
          const ok = fig.p99 <= 25 && fig.rps >= 2000;
          console.log(`  target (PostgreSQL, 2 cores, distinct searches): p99 ≤ 25 ms and ≥ 2,000 searches/s — ${ok ? "met" : "NOT met"}`);
        }
      }
    } finally {
      await server.stop();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCatalogSearch(process.argv.slice(2));
