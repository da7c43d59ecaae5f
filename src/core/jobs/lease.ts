import type { JobDeps } from './executor.js';
import { publishJobChanged, publishLogAppended } from './job-events.js';
import { scheduleRun } from './queue.js';

/**
 * Crash recovery with leases.
 *
 * graphile-worker unlocks a job whose worker died only after 4 hours, far too late for us. So a
 * job claimed by one of our workers carries a lease: a random `leaseToken` and a `heartbeatAt`
 * the worker refreshes every leaseMs/3 (JOB_LEASE_MS). Every running worker also sweeps, every
 * leaseMs/2, for RUNNING jobs with a lease whose heartbeat is older than leaseMs: the worker
 * holding it is dead (SIGKILL, lost machine) or hopelessly stuck. Such a job is
 *   - CANCELLED when a cancel had been requested,
 *   - QUEUED again with a fresh queue entry while attempts < maxAttempts (at-least-once: the
 *     handler runs again from the start),
 *   - ERROR otherwise,
 * and a WARN or ERROR log line says which and why. Rows are taken FOR UPDATE SKIP LOCKED, so
 * concurrent sweepers never handle a job twice. A worker that was only stalled notices at its
 * next heartbeat that its token is gone and stops without writing anything (executor.ts).
 * Jobs set RUNNING by external runners through updateJob have no lease and are never swept.
 */
export async function sweepExpiredLeases(deps: JobDeps): Promise<number> {
  const { db, config } = deps;
  const leaseMs = config.workers.leaseMs;
  const handled = await db.$transaction(async (tx) => {
    const expired = await tx.$queryRaw<
      { id: string; workspaceId: string; attempts: number; maxAttempts: number; cancelRequestedAt: Date | null; heartbeatAt: Date }[]
    >`
      SELECT id, "workspaceId", attempts, "maxAttempts", "cancelRequestedAt", "heartbeatAt" FROM "Job"
      WHERE status = 'RUNNING' AND "leaseToken" IS NOT NULL AND "heartbeatAt" < now() - make_interval(secs => ${leaseMs / 1000})
      ORDER BY "heartbeatAt" LIMIT 100 FOR UPDATE SKIP LOCKED`;
    for (const job of expired) {
      const silent = `no heartbeat since ${job.heartbeatAt.toISOString()} (lease ${leaseMs} ms)`;
      if (job.cancelRequestedAt) {
        await tx.job.update({ where: { id: job.id }, data: { status: 'CANCELLED', finishedAt: new Date(), leaseToken: null, heartbeatAt: null } });
        await tx.jobLog.create({
          data: {
            jobId: job.id,
            level: 'WARN',
            message: `Lease expired: the worker running attempt ${job.attempts} stopped responding (${silent}); the job was cancelled as requested`,
          },
        });
      } else if (job.attempts < job.maxAttempts) {
        await tx.job.update({ where: { id: job.id }, data: { status: 'QUEUED', leaseToken: null, heartbeatAt: null } });
        await tx.jobLog.create({
          data: {
            jobId: job.id,
            level: 'WARN',
            message: `Lease expired: the worker running attempt ${job.attempts} stopped responding (${silent}); retrying (attempt ${job.attempts + 1} of ${job.maxAttempts})`,
          },
        });
        await scheduleRun(tx, job.id, null);
      } else {
        const message = `Worker lost: attempt ${job.attempts} of ${job.maxAttempts} stopped responding (${silent})`;
        await tx.job.update({
          where: { id: job.id },
          data: { status: 'ERROR', errorMessage: message, finishedAt: new Date(), leaseToken: null, heartbeatAt: null },
        });
        await tx.jobLog.create({ data: { jobId: job.id, level: 'ERROR', message: `Lease expired: ${message}; giving up` } });
      }
    }
    return expired;
  });
  for (const job of handled) {
    deps.log.warn({ jobId: job.id, attempts: job.attempts }, 'recovered a job whose lease expired');
    await publishJobChanged(deps.events, job, deps.log);
    await publishLogAppended(deps.events, job.id, deps.log);
  }
  return handled.length;
}

/** Sweeps every leaseMs/2 until stopped. */
export function startLeaseSweeper(deps: JobDeps): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      running = sweepExpiredLeases(deps).catch((err) => deps.log.warn({ err }, 'lease sweep failed'));
    },
    Math.max(100, Math.floor(deps.config.workers.leaseMs / 2)),
  );
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
