// Framework overhead: GET /healthz on motcua (Fastify + a database round trip) against a bare
// node:http server answering the same body, in the same run.
import { measure, parseArgs, report, startServer } from "./lib/harness.ts";

export async function benchHealthz(argv: string[]): Promise<void> {
  const { dbs, duration, connections, pgUrl } = parseArgs(argv);
  const bare = await startServer("bare", "pglite", pgUrl);
  const base = await measure({ url: `${bare.url}/healthz`, connections, duration });
  await bare.stop();
  report("healthz: bare node:http (baseline)", base);
  for (const db of dbs) {
    const server = await startServer("motcua", db, pgUrl);
    const fig = await measure({ url: `${server.url}/healthz`, connections, duration });
    await server.stop();
    report(`healthz: motcua on ${db}`, fig, { name: "bare node:http", fig: base });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchHealthz(process.argv.slice(2));
