import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/prisma.js';
import { scheduleRun } from './queue.js';

export interface ClaimedJob {
  id: string;
  workspaceId: string;
  kind: string;
  payload: unknown;
  timeoutSeconds: number | null;
  attempts: number;
  maxAttempts: number;
  createdById: string | null;
  /** every write after the claim is conditioned on it (see lease.ts) */
  leaseToken: string;
}

/**
 * Claims the row QUEUED -> RUNNING with a fresh lease token, or answers null when the job is not
 * this worker's to run.
 */
export async function claimJob(db: Db, jobId: string): Promise<ClaimedJob | null> {
  const leaseToken = randomUUID();
  const rows = await db.$queryRaw<Omit<ClaimedJob, 'leaseToken'>[]>`
    UPDATE "Job" SET status = 'RUNNING', "startedAt" = coalesce("startedAt", now()), "heartbeatAt" = now(),
      "leaseToken" = ${leaseToken}::uuid, attempts = attempts + 1, "progressDone" = 0, "updatedAt" = now()
    WHERE id = ${jobId}::uuid AND status = 'QUEUED' AND "startAt" <= now()
    RETURNING id, "workspaceId", kind, payload, "timeoutSeconds", attempts, "maxAttempts", "createdById"`;
  const job = rows[0];
  if (!job) {
    // cancelled, finished, run elsewhere, or moved to a later start: only the last needs a new entry
    const row = await db.job.findUnique({ where: { id: jobId }, select: { status: true, startAt: true } });
    if (row?.status === 'QUEUED' && row.startAt > new Date()) await scheduleRun(db, jobId, row.startAt);
    return null;
  }
  return { ...job, leaseToken };
}
