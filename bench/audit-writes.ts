// The cost of the audit log on writes: the same small transactional write with and without its
// audit entry, concurrently, on each database. Target: with audit ≥ 0.8 × without (issue 2, item 7).
import { measure, parseArgs, report, startServer } from "./lib/harness.ts";

export async function benchAuditWrites(argv: string[]): Promise<void> {
  const { dbs, duration, connections, pgUrl } = parseArgs(argv);
  const body = JSON.stringify({ agency: "000.00.01.H26", note: "benchmark write" });
  for (const db of dbs) {
    const server = await startServer("motcua", db, pgUrl);
    const request = { method: "POST" as const, headers: { "content-type": "application/json" }, body };
    const without = await measure({ url: `${server.url}/bench/write?audit=false`, connections, duration, ...request });
    const withAudit = await measure({ url: `${server.url}/bench/write?audit=true`, connections, duration, ...request });
    await server.stop();
    report(`writes on ${db}: without audit (baseline)`, without);
    report(`writes on ${db}: with audit entry`, withAudit, { name: "without audit", fig: without });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAuditWrites(process.argv.slice(2));
