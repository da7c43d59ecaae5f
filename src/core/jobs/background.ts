import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import type { Db, Tx } from '../../db/prisma.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import { scheduleRun } from './queue.js';
import { publishJobChanged } from './job-events.js';

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

export type JobHandler<P = unknown> = (params: P, job: JobRun) => Promise<void>;

const kinds = new Map<string, JobHandler<any>>();

/** Registers the handler for a job kind (call at module load; kinds.ts imports every kind). */
export function defineJobKind<P>(kind: string, run: (params: P, job: JobRun) => Promise<void>): void {
  if (!/^[A-Z][A-Z0-9_]*$/.test(kind)) throw new Error(`job kind "${kind}" must be UPPER_SNAKE_CASE`);
  const existing = kinds.get(kind);
  if (existing && existing !== run) throw new Error(`job kind ${kind} is defined twice`);
  kinds.set(kind, run);
}

export function jobHandler(kind: string): JobHandler | undefined {
  return kinds.get(kind);
}

export const jobKinds = () => [...kinds.keys()].sort();

/**
 * Creates a QUEUED Job row of this kind in the caller's workspace and schedules it. With `tx` it
 * is created inside the caller's transaction and its queue entry with it, so it runs only if
 * that transaction commits; subscribers then first hear of it when a worker starts it.
 */
export async function enqueueJob(
  ctx: ServiceContext,
  input: {
    kind: string;
    params: unknown;
    name?: string;
    startAt?: Date;
    /** ends the job ERROR when exceeded (its signal aborts first) */
    timeoutSeconds?: number;
    /** runs after lost workers before the job fails; default 3 */
    maxAttempts?: number;
  },
  tx?: Tx,
): Promise<{ id: string }> {
  const { workspaceId, userId } = requireWorkspace(ctx);
  if (!kinds.has(input.kind)) throw new Error(`unknown job kind ${input.kind}: define it and import it in src/modules/jobs/kinds.ts`);
  const create = async (t: Tx) => {
    const job = await t.job.create({
      data: {
        workspaceId,
        kind: input.kind,
        name: input.name ?? null,
        payload: input.params === undefined ? undefined : (input.params as InputJsonValue),
        startAt: input.startAt ?? undefined,
        timeoutSeconds: input.timeoutSeconds ?? null,
        maxAttempts: input.maxAttempts ?? undefined,
        createdById: userId,
      },
      select: { id: true, workspaceId: true },
    });
    await scheduleRun(t, job.id, input.startAt ?? null);
    return job;
  };
  if (tx) return { id: (await create(tx)).id };
  const job = await ctx.db.$transaction(create);
  await publishJobChanged(ctx.events, job, ctx.log);
  return { id: job.id };
}
