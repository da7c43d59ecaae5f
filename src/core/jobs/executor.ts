import type { Config } from '../../config.js';
import type { ServiceContext } from '../../context.js';
import type { Db } from '../../db/prisma.js';
import type { EventBus } from '../../events/bus.js';
import { topics } from '../../events/topics.js';
import type { Logger } from '../../logger.js';
import { SCOPES } from '../../auth/principal.js';
import { claimJob, type ClaimedJob } from './claim.js';
import { JobCancelled, JobTimedOut, LeaseLost } from './errors.js';
import { publishJobChanged, publishLogAppended } from './job-events.js';
import type { JobLogLevel, JobRun } from './job-run.js';
import { jobHandler } from './registry.js';
import { settleJob, type RunEnd } from './settle.js';

export interface JobDeps {
  db: Db;
  events: EventBus;
  log: Logger;
  config: Config;
}

/** How long a handler that ignores its aborted signal is awaited before the job is settled anyway. */
const ABORT_GRACE_MS = 30_000;
/** progress() writes (and publishes) at most this often, except the final done === total */
const PROGRESS_INTERVAL_MS = 250;

/**
 * Runs one job (the queue's task): claim (claim.ts), run the kind's handler under a lease kept
 * alive by heartbeats, settle (settle.ts). Every write after the claim is conditioned on the lease
 * token, so a worker that lost its lease (see lease.ts) can never overwrite what the new owner
 * does. `active` lets the worker abort running jobs when it stops.
 */
export async function executeJob(deps: JobDeps, jobId: string, active?: Map<string, AbortController>): Promise<void> {
  const job = await claimJob(deps.db, jobId);
  if (!job) return;
  const log = deps.log.child({ jobId, kind: job.kind, attempt: job.attempts });
  const controller = new AbortController();
  active?.set(jobId, controller);
  try {
    const end = await runClaimed(deps, job, controller, log);
    await settleJob(deps, job, end, log);
  } finally {
    active?.delete(jobId);
  }
}

async function runClaimed(deps: JobDeps, job: ClaimedJob, controller: AbortController, log: Logger): Promise<RunEnd> {
  const { db, events, config } = deps;
  const { id: jobId, leaseToken } = job;
  const { signal } = controller;
  const abort = (reason: Error) => {
    if (!signal.aborted) controller.abort(reason);
  };
  const owned = { id: jobId, leaseToken };

  const appendLog = async (level: JobLogLevel, message: string, data?: unknown) => {
    // one statement: appends only while this worker still holds the lease
    const inserted = await db.$executeRaw`
      INSERT INTO "JobLog" ("jobId", level, message, data)
      SELECT ${jobId}::uuid, ${level}::"JobLogLevel", ${message}, ${data === undefined ? null : JSON.stringify(data)}::jsonb
      WHERE EXISTS (SELECT 1 FROM "Job" WHERE id = ${jobId}::uuid AND "leaseToken" = ${leaseToken}::uuid)`;
    if (inserted === 0) throw new LeaseLost();
    await publishLogAppended(events, jobId, log);
  };

  let progressWrittenAt = 0;
  const pending: { progress: [number, number] | null } = { progress: null };
  const writeProgress = async (done: number, total: number) => {
    const { count } = await db.job.updateMany({ where: { ...owned, status: 'RUNNING' }, data: { progressDone: done, progressTotal: total } });
    if (count === 0) throw new LeaseLost();
    await publishJobChanged(events, job, log);
  };

  const principal = {
    kind: 'API_KEY' as const,
    workspaceId: job.workspaceId,
    userId: job.createdById,
    apiKeyId: null,
    oauthClientId: null,
    role: null,
    scopes: [...SCOPES],
  };
  const ctx: ServiceContext = { db, config, events, log, principal };
  const run: JobRun = {
    jobId,
    workspaceId: job.workspaceId,
    db,
    ctx,
    signal,
    log: appendLog,
    async progress(done, total) {
      // at most one write per PROGRESS_INTERVAL_MS; the last value is kept and written before the job ends
      const now = Date.now();
      if (done < total && now - progressWrittenAt < PROGRESS_INTERVAL_MS) {
        pending.progress = [done, total];
        return;
      }
      pending.progress = null;
      progressWrittenAt = now;
      await writeProgress(done, total);
    },
    throwIfCancelled() {
      if (signal.aborted) throw signal.reason;
    },
    finishedSteps: new Set(job.finishedSteps),
    finishStep: (index, work) =>
      db.$transaction(async (tx) => {
        // also locks the job row until commit, so the lease cannot expire between this check and the commit
        const marked = await tx.$executeRaw`
          UPDATE "Job" SET "finishedSteps" = array_append("finishedSteps", ${index}::int)
          WHERE id = ${jobId}::uuid AND "leaseToken" = ${leaseToken}::uuid AND status = 'RUNNING'`;
        if (marked === 0) throw new LeaseLost();
        // databaseUrl null: the records engine's raw SQL then runs in this transaction too (db/sql-runner.ts)
        return work?.({ ...ctx, db: tx as unknown as Db, config: { ...config, databaseUrl: null } });
      }),
  };

  // heartbeat: proves the lease is alive and notices cancel requests and lost leases
  const heartbeat = setInterval(
    async () => {
      try {
        const beat = await db.$queryRaw<{ cancelRequestedAt: Date | null }[]>`
        UPDATE "Job" SET "heartbeatAt" = now() WHERE id = ${jobId}::uuid AND "leaseToken" = ${leaseToken}::uuid AND status = 'RUNNING'
        RETURNING "cancelRequestedAt"`;
        if (beat.length === 0) abort(new LeaseLost());
        else if (beat[0]!.cancelRequestedAt) abort(new JobCancelled());
      } catch (err) {
        log.warn({ err }, 'job heartbeat failed');
      }
    },
    Math.max(100, Math.floor(config.workers.leaseMs / 3)),
  );
  // cancel requests and status changes by others arrive as `stop` events at once (the heartbeat is the fallback)
  const cancelEvents = events.subscribe(topics.job(jobId), { coalesceKey: () => 'cancel', maxPending: 1 });
  void (async () => {
    for await (const event of cancelEvents) {
      if (!event.stop && !event.resync) continue;
      const row = await db.job.findUnique({ where: { id: jobId }, select: { cancelRequestedAt: true, leaseToken: true } }).catch(() => null);
      if (row && row.leaseToken !== leaseToken) abort(new LeaseLost());
      else if (row?.cancelRequestedAt) abort(new JobCancelled());
    }
  })();
  const timeout = job.timeoutSeconds ? setTimeout(() => abort(new JobTimedOut(job.timeoutSeconds!)), job.timeoutSeconds * 1000) : null;

  await publishJobChanged(events, job, log);
  let failure: unknown = null;
  try {
    const handler = jobHandler(job.kind);
    if (!handler) throw new Error(`No handler for job kind ${job.kind} in this worker`);
    await appendLog('INFO', job.attempts > 1 ? `Started (attempt ${job.attempts} of ${job.maxAttempts})` : 'Started');
    let graceTimer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => {
        graceTimer = setTimeout(() => reject(signal.reason), ABORT_GRACE_MS);
      }),
    );
    try {
      await Promise.race([handler(job.payload, run), gaveUp]);
    } finally {
      clearTimeout(graceTimer);
    }
  } catch (error) {
    failure = error;
  } finally {
    const last = pending.progress;
    if (last && !(failure instanceof LeaseLost)) await writeProgress(last[0], last[1]).catch(() => {});
    clearInterval(heartbeat);
    if (timeout) clearTimeout(timeout);
    void cancelEvents.return?.();
  }
  return { failure, abortReason: signal.aborted ? signal.reason : null };
}
