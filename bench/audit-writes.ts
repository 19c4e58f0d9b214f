// The cost of the audit log on writes: the same small transactional write with and without its
// audit entry, concurrently, on each database, for a one-INSERT write and for a typical three-statement
// state change (see lib/bench-routes.ts). Target: with audit ≥ 0.8 × without (issue 2, item 7).
// The two variants alternate over `--rounds` runs (3 by default) and the medians are compared, so a
// drift of the machine during the run does not favour either.
import { type Figure, measure, medianFigure, parseArgs, report, startServer } from "./lib/harness.ts";

export async function benchAuditWrites(argv: string[]): Promise<void> {
  const { dbs, duration, connections, pgUrl } = parseArgs(argv);
  const rounds = Number(argv.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 3);
  const body = JSON.stringify({ agency: "000.00.01.H26", note: "benchmark write" });
  for (const db of dbs) {
    const server = await startServer("motcua", db, pgUrl);
    const request = { method: "POST" as const, headers: { "content-type": "application/json" }, body };
    for (const shape of ["minimal", "typical"] as const) {
      const without: Figure[] = [];
      const withAudit: Figure[] = [];
      for (let i = 0; i < rounds; i++) {
        const url = `${server.url}/bench/write?shape=${shape}`;
        without.push(await measure({ url: `${url}&audit=false`, connections, duration, ...request }));
        withAudit.push(await measure({ url: `${url}&audit=true`, connections, duration, ...request }));
      }
      const base = medianFigure(without);
      report(`${shape} writes on ${db}: without audit (median of ${rounds})`, base);
      report(`${shape} writes on ${db}: with audit entry (median of ${rounds})`, medianFigure(withAudit), {
        name: "without audit",
        fig: base,
      });
    }
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAuditWrites(process.argv.slice(2));
