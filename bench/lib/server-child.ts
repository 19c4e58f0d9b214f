// A server process for benchmarks, started by the harness (bench/lib/harness.ts) as a child so the
// load generator and the server do not share an event loop. It reports its port over IPC.
//   mode "motcua": the real app (PGlite in a temporary directory, or DATABASE_URL), plus bench routes
//   mode "bare":   a bare node:http server answering like /healthz (the framework-overhead baseline)
// MOTCUA_BENCH_WORKER=1 runs a job worker in the same process too (as `motcua start` does), and
// MOTCUA_BENCH_EXCHANGE_UNSIGNED=1 swaps the exchange's wire for the same one with no signing (bench/exchange.ts).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { buildApp } from "../../src/app.ts";
import { openContext } from "../../src/boot.ts";
import { MODULES } from "../../src/modules.ts";
import { loadConfig } from "../../src/platform/config/index.ts";
import { freePort } from "../../test/helpers/net.ts";
import { startWorker } from "../../src/worker.ts";
import { PUBLIC } from "../../src/platform/http/access.ts";
import { registerBenchRoutes } from "./bench-routes.ts";
import { registerExchangeBenchRoutes, unsignedExchange } from "./exchange-setup.ts";

const mode = process.argv[2] ?? "motcua";

// BENCH_SQL_COUNT=1: every message sent to PostgreSQL through node-postgres (a round trip, unless pipelined) is
// counted by its statement's first words; `GET /bench/sql-count` reads the counts and resets them.
export const sqlCounts = new Map<string, number>();
if (process.env.BENCH_SQL_COUNT === "1") {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; name?: string };
    const text = typeof first === "string" ? first : (first?.text ?? first?.name ?? "?");
    const key = text.replace(/\s+/g, " ").trim().slice(0, 90);
    sqlCounts.set(key, (sqlCounts.get(key) ?? 0) + 1);
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

function ready(port: number, extra: Record<string, unknown> = {}): void {
  process.send?.({ port, ...extra });
}

if (mode === "bare") {
  const body = JSON.stringify({ status: "ok" });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, "127.0.0.1", () => ready((server.address() as { port: number }).port));
} else {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-bench-"));
  // MOTCUA_BENCH_IDENTITY=1: demo accounts, and a relying party whose callback is this server.
  const identity = process.env.MOTCUA_BENCH_IDENTITY === "1";
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const config = { ...loadConfig(), dataDir, logLevel: "warn" as const, demo: identity, publicUrl };
  // BENCH_WITHOUT_MODULES=kpi: the app composed without those modules (a module no other one needs may be left out
  // of the list, docs/ARCHITECTURE.md "Adding a module"): the kpi benchmark's filings without the rollups' upkeep.
  const without = (process.env.BENCH_WITHOUT_MODULES ?? "").split(",").filter(Boolean);
  const modules = MODULES.filter((m) => !without.includes(m.name));
  const { ctx, close } = await openContext(config, {
    modules,
    options: {
      oidcClients: [
        {
          client_id: "bench-rp",
          token_endpoint_auth_method: "none",
          redirect_uris: [`${publicUrl}/bench/callback`],
          grant_types: ["authorization_code"],
          response_types: ["code"],
        },
      ],
      ...(process.env.MOTCUA_BENCH_EXCHANGE_UNSIGNED === "1" ? { exchange: unsignedExchange(config) } : {}),
    },
  });
  const app = await buildApp(ctx);
  // Request logs would measure pino, not the server; keep warnings and errors only.
  await registerBenchRoutes(app, ctx);
  // The worker, held (stopped) and released (started anew) by the exchange benchmark's routes.
  let stopWorker: (() => Promise<void>) | null = null;
  const worker =
    process.env.MOTCUA_BENCH_WORKER === "1"
      ? {
          async hold() {
            await stopWorker?.();
            stopWorker = null;
          },
          async release() {
            stopWorker ??= await startWorker(ctx);
          },
        }
      : null;
  registerExchangeBenchRoutes(app, ctx, worker);
  app.get("/bench/sql-count", { config: { access: PUBLIC }, schema: { hide: true } }, async () => {
    const counts = Object.fromEntries([...sqlCounts].sort((x, y) => y[1] - x[1]));
    sqlCounts.clear();
    return counts;
  });
  await app.listen({ port, host: "127.0.0.1" });
  await worker?.release();
  const token = identity ? await ctx.oidc.mintToken({ type: "cli", name: "bench" }, "001199000001", 3600) : undefined;
  ready(port, token ? { token } : {});
  const stop = async () => {
    await stopWorker?.();
    await app.close();
    await close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("disconnect", () => void stop());
}
