import type { EventBus } from '../../events/bus.js';
import { topics } from '../../events/topics.js';
import type { Logger } from '../../logger.js';

/**
 * Called after the change committed. A failed publish never fails the change itself: the row is
 * the truth, and subscribers re-read it on their next event (or after a transport resync).
 */
export async function publishJobChanged(events: EventBus, job: { id: string; workspaceId: string }, log: Logger, extra: Record<string, unknown> = {}) {
  try {
    await Promise.all([events.publish(topics.job(job.id), { id: job.id, ...extra }), events.publish(topics.workspaceJobs(job.workspaceId), { id: job.id })]);
  } catch (err) {
    log.warn({ err, jobId: job.id }, 'could not publish job change');
  }
}

export async function publishLogAppended(events: EventBus, jobId: string, log: Logger) {
  try {
    await events.publish(topics.jobLogs(jobId), { jobId });
  } catch (err) {
    log.warn({ err, jobId }, 'could not publish job log');
  }
}
