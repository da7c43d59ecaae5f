import { expect } from 'vitest';
import type { TestServer } from './server.js';
import { runJobsOnce } from '../../src/modules/jobs/worker.js';
import type { JobStatus } from '../../src/generated/prisma/enums.js';

/**
 * Runs every job that is due now in this test process (the server's own workers are off by
 * default in tests: WORKER_CONCURRENCY=0), until none is left. Jobs with a later startAt stay
 * QUEUED. Handlers run with the server's db, events and config, so progress, logs and
 * subscriptions behave as in production.
 */
export async function runJobsUntilIdle(t: TestServer): Promise<void> {
  const { db, events, log, config } = t.server;
  await runJobsOnce({ db, events, log, config, databaseUrl: t.databaseUrl });
}

const TERMINAL: JobStatus[] = ['OK', 'ERROR', 'CANCELLED'];

/** Polls the job row (by database id) until its status is one of `statuses` (default: finished). */
export async function waitForJob(t: TestServer, jobId: string, statuses: JobStatus[] = TERMINAL, timeoutMs = 20_000) {
  const started = Date.now();
  for (;;) {
    const job = await t.server.db.job.findUnique({ where: { id: jobId } });
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() - started > timeoutMs) expect.fail(`job ${jobId} is ${job?.status ?? 'missing'}, expected one of ${statuses.join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The log messages of a job, oldest first. */
export async function jobLogMessages(t: TestServer, jobId: string): Promise<string[]> {
  const lines = await t.server.db.jobLog.findMany({ where: { jobId }, orderBy: { id: 'asc' } });
  return lines.map((l) => l.message);
}

/** Database id of a Relay global id. */
export const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');
