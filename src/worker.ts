import type { Context } from "./context.ts";
import { createWorker } from "./platform/jobs/index.ts";

/**
 * Starts a job worker on the context; returns its stop, which lets running jobs finish (or
 * releases them when the shutdown timeout passes).
 */
export async function startWorker(ctx: Context): Promise<() => Promise<void>> {
  const { config } = ctx;
  const worker = createWorker({
    database: ctx.database,
    queue: ctx.jobs,
    logger: ctx.logger,
    concurrency: config.workerConcurrency,
    leaseSeconds: config.jobLeaseSeconds,
    pollMs: config.workerPollMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  await worker.start();
  return () => worker.stop();
}
