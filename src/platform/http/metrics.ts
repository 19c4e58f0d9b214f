import { collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { PUBLIC } from "./access.ts";
import type { App } from "./types.ts";

/**
 * Prometheus metrics at `GET /metrics`: process metrics and a request duration histogram labelled by
 * route pattern (never the raw URL, which would explode cardinality and could carry personal data).
 */
export function registerMetrics(app: App, registry: Registry): void {
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration in seconds, by method, route pattern and status code",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    if (route === "/metrics") return;
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get("/metrics", { config: { access: PUBLIC }, schema: { hide: true } }, async (_request, reply) => {
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
}

/** A registry for one app instance, with Node's process metrics. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
