// The job queue and outbox: define jobs, enqueue them in the caller's transaction, run them in workers.
export {
  type Backoff,
  createJobQueue,
  DEFAULT_TIMEZONE,
  defineJob,
  type EnqueueOptions,
  exponentialBackoff,
  type JobContext,
  type JobDefinition,
  type JobOptions,
  type JobQueue,
  nextSlot,
  PermanentJobError,
  type ScheduleSpec,
} from "./define.ts";
export { failQueuedJob, type JobStatus, queueJobsDone } from "./repo.ts";
export { DONE_RETENTION_DAYS, pruneJobsJob } from "./housekeeping.ts";
export { createWorker, type Worker, type WorkerOptions } from "./worker.ts";
