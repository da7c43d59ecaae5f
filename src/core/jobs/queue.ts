import { Logger as GraphileLogger, runMigrations } from 'graphile-worker';
import type { Tx } from '../../db/prisma.js';

/**
 * The durable queue is graphile-worker, in its own schema `graphile_worker` of our database. It
 * carries only `{ jobId }`; our `Job` table holds status, progress and logs. graphile-worker
 * manages that schema itself: `migrateQueue` is idempotent (one query when up to date) and runs at
 * every server and worker start, and in the test template database.
 */
export const QUEUE_TASK = 'formgraph_job';

export async function migrateQueue(databaseUrl: string): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, logger: quietLogger });
}

/**
 * Schedules a run of the job in the caller's transaction: it becomes visible to workers when the
 * transaction commits, so a job row is never without its queue entry (nor the other way round).
 * `job_key` = our id: scheduling again moves the pending run (e.g. a new startAt) instead of
 * adding a second; a run already locked by a (possibly dead) worker gets a fresh entry.
 */
export async function scheduleRun(tx: Pick<Tx, '$executeRaw'>, jobId: string, runAt: Date | null): Promise<void> {
  await tx.$executeRaw`select graphile_worker.add_job(${QUEUE_TASK}, json_build_object('jobId', ${jobId}::text), run_at := coalesce(${runAt}::timestamptz, now()), max_attempts := 25, job_key := ${jobId}::text)`;
}

const quietLogger = new GraphileLogger(() => () => {});
