// A server process for benchmarks, started by the harness (bench/lib/harness.ts) as a child so the
// load generator and the server do not share an event loop. It reports its port over IPC.
//   mode "motcua": the real app (PGlite in a temporary directory, or DATABASE_URL), plus bench routes
//   mode "bare":   a bare node:http server answering like /healthz (the framework-overhead baseline)
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { buildApp } from "../../src/app.ts";
import { PUBLIC } from "../../src/platform/http/access.ts";
import { openContext } from "../../src/boot.ts";
import { loadConfig } from "../../src/platform/config/index.ts";
import { registerBenchRoutes } from "./bench-routes.ts";

const mode = process.argv[2] ?? "motcua";

function ready(port: number): void {
  process.send?.({ port });
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
  const config = { ...loadConfig(), dataDir, logLevel: "warn" as const, demo: false };
  const { ctx, close } = await openContext(config);
  const app = await buildApp(ctx, { "POST /bench/write": PUBLIC });
  // Request logs would measure pino, not the server; keep warnings and errors only.
  await registerBenchRoutes(app, ctx);
  await app.listen({ port: 0, host: "127.0.0.1" });
  ready((app.server.address() as { port: number }).port);
  const stop = async () => {
    await app.close();
    await close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("disconnect", () => void stop());
}
