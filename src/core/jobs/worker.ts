import { Logger as GraphileLogger, run, runOnce, type Runner, type TaskList } from 'graphile-worker';
import type { Logger } from '../../logger.js';
import { executeJob, type JobDeps } from './executor.js';
import { startLeaseSweeper } from './lease.js';
import { QUEUE_TASK } from './queue.js';
import { WorkerStopping } from './errors.js';

export interface JobWorker {
  /** aborts running jobs (they go back to the queue) and waits for them to settle */
  stop(): Promise<void>;
}

function graphileLogger(log: Logger) {
  return new GraphileLogger(() => (level, message, meta) => {
    const fn = level === 'error' ? log.error : level === 'warning' ? log.warn : log.debug;
    fn.call(log, { graphile: meta }, message);
  });
}

function taskList(deps: JobDeps, active?: Map<string, AbortController>): TaskList {
  return {
    [QUEUE_TASK]: async (payload) => {
      const { jobId } = payload as { jobId: string };
      await executeJob(deps, jobId, active);
    },
  };
}

/**
 * graphile-worker's runner executing our jobs, plus the lease sweeper (lease.ts). Runs inside
 * the server (WORKER_CONCURRENCY > 0) and in `npm run worker` processes; any number of them can
 * share one database.
 */
export async function startJobWorker(deps: JobDeps & { databaseUrl: string; concurrency: number }): Promise<JobWorker> {
  const log = deps.log.child({ component: 'worker' });
  const active = new Map<string, AbortController>();
  const runner: Runner = await run({
    connectionString: deps.databaseUrl,
    concurrency: deps.concurrency,
    maxPoolSize: deps.concurrency + 2,
    pollInterval: deps.config.workers.pollIntervalMs,
    noHandleSignals: true,
    logger: graphileLogger(log),
    taskList: taskList({ ...deps, log }, active),
  });
  const sweeper = startLeaseSweeper({ ...deps, log });
  log.info({ concurrency: deps.concurrency, leaseMs: deps.config.workers.leaseMs }, 'job worker started');
  return {
    async stop() {
      await sweeper.stop();
      for (const controller of active.values()) controller.abort(new WorkerStopping());
      await runner.stop();
    },
  };
}

/** Runs every job that is due now, until the queue has none left (tests, one-off tools). */
export async function runJobsOnce(deps: JobDeps & { databaseUrl: string }): Promise<void> {
  await runOnce({ connectionString: deps.databaseUrl, concurrency: 4, logger: graphileLogger(deps.log), taskList: taskList(deps) });
}
