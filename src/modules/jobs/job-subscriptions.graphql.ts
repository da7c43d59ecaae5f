import { builder } from '../../graphql/builder.js';
import { requireWorkspace, type GraphQLContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { topics } from '../../events/topics.js';
import { RESYNC, type EventPayload } from '../../events/bus.js';
import type { Job, JobLog } from '../../generated/prisma/client.js';
import { WorkflowType } from '../workflows/workflow.graphql.js';
import { JobLogType, JobStatusEnum, JobType } from './job.graphql.js';
import { TERMINAL } from './job.service.js';

/**
 * Subscriptions re-read rows through Prisma in the subscriber's workspace: an event only says
 * "job X changed". One event reaches every local subscriber as the same payload object, so the
 * re-read is shared per event (WeakMap) instead of one query per subscriber. Each subscriber's
 * queue is bounded and coalesces by job id (src/events/subscription.ts): a slow client gets the
 * latest state, never an ever-growing backlog.
 */
const reads = new WeakMap<EventPayload, Map<string, Promise<unknown>>>();

function sharedRead<T>(event: EventPayload, key: string, read: () => Promise<T>): Promise<T> {
  if (event === RESYNC) return read();
  let perEvent = reads.get(event);
  if (!perEvent) reads.set(event, (perEvent = new Map()));
  let p = perEvent.get(key) as Promise<T> | undefined;
  if (!p) perEvent.set(key, (p = read()));
  return p;
}

/**
 * An async generator blocked in `for await` cannot be returned until its next event arrives; a
 * client that unsubscribes must free its queue at once. Closing the event stream first ends the
 * loop, then the generator finishes normally.
 */
function closable<T>(events: AsyncIterator<unknown>, gen: AsyncGenerator<T>): AsyncIterableIterator<T> {
  return {
    next: () => gen.next(),
    async return() {
      await events.return?.();
      return gen.return(undefined);
    },
    async throw(error?: unknown) {
      await events.return?.();
      return gen.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Checked before the stream starts, so a foreign or unknown job fails like a query does. */
async function assertJobVisible(ctx: GraphQLContext, id: string) {
  const found = await ctx.db.job.count({ where: { id, workspaceId: requireWorkspace(ctx).workspaceId } });
  if (found === 0) throw notFound('Job');
}

/** What a client can see of a job; heartbeats alone are not a change. */
const fingerprint = ({ heartbeatAt: _h, leaseToken: _l, ...visible }: Job) => JSON.stringify(visible);

const readJob = (ctx: GraphQLContext, id: string) => ctx.db.job.findUnique({ where: { id } });

function jobUpdates(ctx: GraphQLContext, id: string) {
  // subscribe before the first read: a change in between is not missed
  const events = ctx.events.subscribe(topics.job(id), { coalesceKey: () => id, maxPending: 1 });
  return closable(events, jobUpdatesFrom(ctx, id, events));
}

async function* jobUpdatesFrom(ctx: GraphQLContext, id: string, events: AsyncIterableIterator<EventPayload>): AsyncGenerator<Job> {
  const { workspaceId } = requireWorkspace(ctx);
  try {
    const first = await readJob(ctx, id);
    if (!first || first.workspaceId !== workspaceId) throw notFound('Job');
    yield first;
    // the whole row, not updatedAt alone: two changes can share a millisecond
    let last = fingerprint(first);
    if (TERMINAL.includes(first.status)) return;
    for await (const event of events) {
      const job = await sharedRead(event, `job:${id}`, () => readJob(ctx, id));
      if (!job || job.workspaceId !== workspaceId) return;
      const seen = fingerprint(job);
      if (seen === last) continue;
      last = seen;
      yield job;
      if (TERMINAL.includes(job.status)) return;
    }
  } finally {
    await events.return?.();
  }
}

function logLines(ctx: GraphQLContext, jobId: string) {
  const events = ctx.events.subscribe(topics.jobLogs(jobId), { coalesceKey: () => jobId, maxPending: 1 });
  return closable(events, logLinesFrom(ctx, jobId, events));
}

async function* logLinesFrom(ctx: GraphQLContext, jobId: string, events: AsyncIterableIterator<EventPayload>): AsyncGenerator<JobLog> {
  const { workspaceId } = requireWorkspace(ctx);
  try {
    const job = await ctx.db.job.findFirst({ where: { id: jobId, workspaceId }, select: { id: true } });
    if (!job) throw notFound('Job');
    const newest = await ctx.db.jobLog.findFirst({ where: { jobId }, orderBy: { id: 'desc' }, select: { id: true } });
    let after = newest?.id ?? 0n;
    for await (const event of events) {
      // every line after the last one sent, in order, however many events were coalesced
      for (;;) {
        const from = after;
        const lines = await sharedRead(event, `logs:${jobId}:${from}`, () =>
          ctx.db.jobLog.findMany({ where: { jobId, id: { gt: from } }, orderBy: { id: 'asc' }, take: 200 }),
        );
        for (const line of lines) yield line;
        if (lines.length === 0) break;
        after = lines[lines.length - 1]!.id;
        if (lines.length < 200) break;
      }
    }
  } finally {
    await events.return?.();
  }
}

type ListFilter = { workflowId?: string; status?: readonly string[] | null };

function listUpdates(ctx: GraphQLContext, filter: ListFilter) {
  const { workspaceId } = requireWorkspace(ctx);
  const events = ctx.events.subscribe(topics.workspaceJobs(workspaceId), { coalesceKey: (e) => String(e.id), maxPending: 1000 });
  return closable(events, listUpdatesFrom(ctx, workspaceId, filter, events));
}

async function* listUpdatesFrom(
  ctx: GraphQLContext,
  workspaceId: string,
  filter: ListFilter,
  events: AsyncIterableIterator<EventPayload>,
): AsyncGenerator<Job> {
  try {
    for await (const event of events) {
      if (typeof event.id !== 'string') continue;
      const id = event.id;
      const job = await sharedRead(event, `job:${id}`, () => readJob(ctx, id));
      if (!job || job.workspaceId !== workspaceId) continue;
      if (filter.workflowId && job.workflowId !== filter.workflowId) continue;
      if (filter.status?.length && !filter.status.includes(job.status)) continue;
      yield job;
    }
  } finally {
    await events.return?.();
  }
}

builder.subscriptionFields((t) => ({
  jobUpdated: t.field({
    type: JobType,
    description:
      'The job now, then again after every change; completes once it is OK, ERROR or CANCELLED. Under load, intermediate states may be skipped: each message is the latest state.',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: JobType }) },
    subscribe: async (_root, { id }, ctx) => {
      await assertJobVisible(ctx, id.id);
      return jobUpdates(ctx, id.id);
    },
    resolve: (job: Job) => job,
  }),
  jobLogAppended: t.field({
    type: JobLogType,
    description: 'Every log line appended to the job from now on, in order.',
    authScopes: { scope: 'READ' },
    args: { jobId: t.arg.globalID({ for: JobType }) },
    subscribe: async (_root, { jobId }, ctx) => {
      await assertJobVisible(ctx, jobId.id);
      return logLines(ctx, jobId.id);
    },
    resolve: (line: JobLog) => line,
  }),
  jobsUpdated: t.field({
    type: JobType,
    description: 'Jobs of the workspace as they are created and change, for list views.',
    authScopes: { scope: 'READ' },
    args: {
      workflow: t.arg.globalID({ for: WorkflowType, required: false }),
      status: t.arg({ type: [JobStatusEnum], required: false }),
    },
    subscribe: async (_root, args, ctx) => {
      if (args.workflow) {
        const found = await ctx.db.workflow.count({ where: { id: args.workflow.id, workspaceId: requireWorkspace(ctx).workspaceId } });
        if (found === 0) throw notFound('Workflow');
      }
      return listUpdates(ctx, { workflowId: args.workflow?.id, status: args.status });
    },
    resolve: (job: Job) => job,
  }),
}));
