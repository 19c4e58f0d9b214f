-- The look-up throttles' hourly clean-up moved from the dossiers module (`dossiers.forget_lookup_counts`) to the
-- platform (`throttle.forget_ended`): the old schedule and any run of it still queued, which no worker would claim.
DELETE FROM "job_schedules" WHERE "name" = 'dossiers.forget_lookup_counts';--> statement-breakpoint
DELETE FROM "jobs" WHERE "name" = 'dossiers.forget_lookup_counts' AND "status" = 'queued';
