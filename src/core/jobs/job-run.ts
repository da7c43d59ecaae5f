import type { ServiceContext } from '../../context.js';
import type { Db } from '../../db/prisma.js';

export type JobLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** What a job kind's handler gets besides its params. */
export interface JobRun {
  jobId: string;
  workspaceId: string;
  db: Db;
  /** a service context in the job's workspace (principal: the job's creator with every scope) */
  ctx: ServiceContext;
  /** append a log line (append-only JobLog); published to jobLogAppended subscribers */
  log(level: JobLogLevel, message: string, data?: unknown): Promise<void>;
  /** set progress; published to jobUpdated / jobsUpdated subscribers */
  progress(done: number, total: number): Promise<void>;
  /** aborted when the job is cancelled, times out, loses its lease or the worker stops */
  signal: AbortSignal;
  /** throws the abort reason when the signal is aborted; call it between chunks of work */
  throwIfCancelled(): void;
}
