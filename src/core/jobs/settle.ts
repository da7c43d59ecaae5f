import type { Logger } from '../../logger.js';
import type { ClaimedJob } from './claim.js';
import type { JobDeps } from './executor.js';
import { JobCancelled, JobTimedOut, LeaseLost, TaskFailed, WorkerStopping } from './errors.js';
import { publishJobChanged, publishLogAppended } from './job-events.js';
import type { JobLogLevel } from './job-run.js';
import { scheduleRun } from './queue.js';

/** How a handler's run ended: what it threw, and why its signal was aborted (if it was). */
export interface RunEnd {
  failure: unknown;
  abortReason: unknown;
}

interface Outcome {
  status: 'OK' | 'ERROR' | 'CANCELLED';
  errorMessage: string | null;
  errorTask: string | null;
  level: JobLogLevel;
  message: string;
}

/**
 * Records how a claimed job ended, only while this worker still holds its lease: a lost lease
 * leaves the job to its new owner, a stopping worker puts it back in the queue without spending
 * an attempt, anything else finishes it OK, ERROR or CANCELLED.
 */
export async function settleJob(deps: JobDeps, job: ClaimedJob, end: RunEnd, log: Logger): Promise<void> {
  const { db, events } = deps;
  const owned = { id: job.id, leaseToken: job.leaseToken };
  const { failure, abortReason: reason } = end;
  if (reason instanceof LeaseLost || failure instanceof LeaseLost) {
    log.warn('job lease lost; leaving the job to its new owner');
    return;
  }
  if (reason instanceof WorkerStopping) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.job.updateMany({
        where: { ...owned, status: 'RUNNING' },
        data: { status: 'QUEUED', leaseToken: null, heartbeatAt: null, attempts: { decrement: 1 } },
      });
      if (count === 0) return;
      await tx.jobLog.create({ data: { jobId: job.id, level: 'WARN', message: 'Worker stopped; the job was put back in the queue' } });
      await scheduleRun(tx, job.id, null);
    });
    await publishJobChanged(events, job, log);
    await publishLogAppended(events, job.id, log);
    return;
  }
  const outcome = outcomeOf(end, log);
  const settled = await db.$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { ...owned, status: 'RUNNING' },
      data: {
        status: outcome.status,
        errorMessage: outcome.errorMessage,
        errorTask: outcome.errorTask,
        finishedAt: new Date(),
        leaseToken: null,
        heartbeatAt: null,
      },
    });
    if (count === 0) return false;
    await tx.jobLog.create({ data: { jobId: job.id, level: outcome.level, message: outcome.message } });
    return true;
  });
  if (!settled) return;
  log.info({ status: outcome.status }, 'job finished');
  await publishJobChanged(events, job, log);
  await publishLogAppended(events, job.id, log);
}

function outcomeOf({ failure, abortReason: reason }: RunEnd, log: Logger): Outcome {
  if (reason instanceof JobCancelled) {
    return { status: 'CANCELLED', errorMessage: null, errorTask: null, level: 'WARN', message: 'Cancelled' };
  }
  if (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    const task = failure instanceof TaskFailed ? failure.task : null;
    if (!(failure instanceof TaskFailed) && !(failure instanceof JobTimedOut)) log.warn({ err: failure }, 'job failed');
    return { status: 'ERROR', errorMessage: message, errorTask: task, level: 'ERROR', message: task ? `Failed in ${task}: ${message}` : `Failed: ${message}` };
  }
  if (reason instanceof JobTimedOut) {
    return { status: 'ERROR', errorMessage: reason.message, errorTask: null, level: 'ERROR', message: `Failed: ${reason.message}` };
  }
  return { status: 'OK', errorMessage: null, errorTask: null, level: 'INFO', message: 'Finished' };
}
