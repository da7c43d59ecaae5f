import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import type { Tx } from '../../db/prisma.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import { scheduleRun } from './queue.js';
import { publishJobChanged } from './job-events.js';
import { isRegistered, type JobKind } from './registry.js';

export interface EnqueueJobInput<P> {
  kind: JobKind<P>;
  params: P;
  name?: string;
  startAt?: Date | null;
  /** ends the job ERROR when exceeded (its signal aborts first) */
  timeoutSeconds?: number | null;
  /** runs after lost workers before the job fails; default 3 */
  maxAttempts?: number;
  /** the job's string-to-string map, shown to clients (`Job.parameters`) */
  parameters?: Record<string, string>;
  /** known number of steps, shown as progress 0 of N while queued */
  progressTotal?: number;
  workflowId?: string;
}

/**
 * The one way to create a job: a QUEUED Job row of this kind in the caller's workspace, and its
 * queue entry. With `tx` both are created inside the caller's transaction, so it runs only if that
 * transaction commits, and the caller publishes after its commit (`publishJobChanged`).
 */
export async function enqueueJob<P>(ctx: ServiceContext, input: EnqueueJobInput<P>, tx?: Tx): Promise<{ id: string; workspaceId: string }> {
  const { workspaceId, userId } = requireWorkspace(ctx);
  if (!isRegistered(input.kind)) throw new Error(`job kind ${input.kind.name} has no handler: register it at start-up (src/job-kinds.ts)`);
  const create = async (t: Tx) => {
    const job = await t.job.create({
      data: {
        workspaceId,
        kind: input.kind.name,
        name: input.name ?? null,
        payload: input.params === undefined ? undefined : (input.params as InputJsonValue),
        parameters: input.parameters,
        progressTotal: input.progressTotal,
        workflowId: input.workflowId,
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
  if (tx) return create(tx);
  const job = await ctx.db.$transaction(create);
  await publishJobChanged(ctx.events, job, ctx.log);
  return job;
}
