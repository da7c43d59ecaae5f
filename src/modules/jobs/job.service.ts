import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import { assertNoIssues, conflict, notFound, type FieldIssue } from '../../errors.js';
import type { Tx } from '../../db/prisma.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import type { JobStatus } from '../../generated/prisma/enums.js';
import { lockWorkflow, referencedParameters } from '../workflows/workflow.service.js';
import { publishJobChanged, publishLogAppended } from '../../core/jobs/job-events.js';
import { parameterIssues } from '../../core/jobs/parameters.js';
import { scheduleRun } from '../../core/jobs/queue.js';
import type { JobLogLevel } from '../../core/jobs/job-run.js';

export const TERMINAL: readonly JobStatus[] = ['OK', 'ERROR', 'CANCELLED'];

/** Legal status changes for updateJob: nothing leaves OK, ERROR or CANCELLED. */
const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  QUEUED: ['RUNNING', 'CANCELLED'],
  RUNNING: ['OK', 'ERROR', 'CANCELLED'],
  OK: [],
  ERROR: [],
  CANCELLED: [],
};

export const isLegalTransition = (from: JobStatus, to: JobStatus) => (from === to ? !TERMINAL.includes(from) : TRANSITIONS[from].includes(to));

async function lockJob(tx: Tx, id: string, workspaceId: string) {
  const rows = await tx.$queryRaw<{ id: string; status: JobStatus; leaseToken: string | null; workflowId: string | null; parameters: unknown }[]>`
    SELECT id, status, "leaseToken", "workflowId", parameters FROM "Job" WHERE id = ${id}::uuid AND "workspaceId" = ${workspaceId}::uuid FOR UPDATE`;
  if (!rows[0]) throw notFound('Job');
  return rows[0];
}

/**
 * QUEUED: CANCELLED at once, it never starts. RUNNING on one of our workers: the request is
 * recorded and published; the worker stops at once in `wait`, otherwise at the next task
 * boundary, and ends the job CANCELLED. RUNNING on an external runner: CANCELLED at once.
 */
export async function cancelJob(ctx: ServiceContext, id: string) {
  const { workspaceId } = requireWorkspace(ctx);
  const job = await ctx.db.$transaction(async (tx) => {
    const row = await lockJob(tx, id, workspaceId);
    if (row.status === 'CANCELLED') return tx.job.findUniqueOrThrow({ where: { id } });
    if (row.status === 'OK' || row.status === 'ERROR') throw conflict(`The job already finished with status ${row.status}`);
    if (row.status === 'RUNNING' && row.leaseToken) {
      await tx.jobLog.create({ data: { jobId: id, level: 'INFO', message: 'Cancel requested' } });
      return tx.job.update({ where: { id }, data: { cancelRequestedAt: new Date() } });
    }
    await tx.jobLog.create({ data: { jobId: id, level: 'WARN', message: row.status === 'QUEUED' ? 'Cancelled before it started' : 'Cancelled' } });
    if (row.status === 'QUEUED') await tx.$executeRaw`select graphile_worker.remove_job(${id}::text)`;
    return tx.job.update({ where: { id }, data: { status: 'CANCELLED', cancelRequestedAt: new Date(), finishedAt: new Date() } });
  });
  await publishJobChanged(ctx.events, job, ctx.log, { stop: true });
  await publishLogAppended(ctx.events, id, ctx.log);
  return job;
}

export interface UpdateJobInput {
  id: string;
  status?: JobStatus | null;
  errorMessage?: string | null;
  progress?: { done: number; total: number } | null;
  log?: { level: JobLogLevel; message: string; data?: unknown } | null;
  workflowId?: string | null;
  startAt?: Date | null;
  parameters?: unknown;
}

/**
 * For external runners and tools. Status changes follow TRANSITIONS; workflow, startAt and
 * parameters change only while QUEUED; a log line can be appended at any time. Every problem is
 * reported at once and nothing is written unless all is valid.
 */
export async function updateJob(ctx: ServiceContext, input: UpdateJobInput) {
  const { workspaceId } = requireWorkspace(ctx);
  const result = await ctx.db.$transaction(async (tx) => {
    const row = await lockJob(tx, input.id, workspaceId);
    const issues: FieldIssue[] = [];
    const to = input.status ?? null;
    if (to && !isLegalTransition(row.status, to))
      issues.push({ path: ['status'], code: 'ILLEGAL_TRANSITION', message: `A ${row.status} job cannot become ${to}` });
    const effective = to ?? row.status;
    if (input.errorMessage != null && effective !== 'ERROR')
      issues.push({ path: ['errorMessage'], code: 'NOT_ALLOWED', message: 'Only an ERROR job has an error message' });
    if (input.progress) {
      const { done, total } = input.progress;
      if (effective !== 'RUNNING') issues.push({ path: ['progress'], code: 'NOT_RUNNING', message: 'Progress changes only while RUNNING' });
      if (!Number.isInteger(done) || !Number.isInteger(total) || done < 0 || total < 0 || done > total)
        issues.push({ path: ['progress'], code: 'INVALID_VALUE', message: '0 <= done <= total' });
    }
    const queuedOnly = [
      ['workflow', input.workflowId],
      ['startAt', input.startAt],
      ['parameters', input.parameters],
    ] as const;
    for (const [field, value] of queuedOnly) {
      if (value != null && row.status !== 'QUEUED')
        issues.push({ path: [field], code: 'NOT_QUEUED', message: `The ${field} of a ${row.status} job cannot change` });
    }
    if (input.log && !input.log.message.trim()) issues.push({ path: ['log', 'message'], code: 'REQUIRED', message: 'A log line needs a message' });
    let workflow: Awaited<ReturnType<typeof lockWorkflow>> = null;
    if (row.status === 'QUEUED' && (input.workflowId || input.parameters != null)) {
      workflow = await lockWorkflow(tx, input.workflowId ?? row.workflowId ?? '00000000-0000-0000-0000-000000000000', workspaceId);
      if (input.workflowId && !workflow) issues.push({ path: ['workflow'], code: 'NOT_FOUND', message: 'Workflow not found' });
      if (workflow) issues.push(...parameterIssues(input.parameters ?? row.parameters, referencedParameters(workflow)));
      else if (input.parameters != null) issues.push(...parameterIssues(input.parameters, []));
    }
    assertNoIssues(issues);

    const now = new Date();
    // steps finished by an earlier attempt were tasks of the old workflow
    const changedWorkflow =
      input.workflowId && workflow
        ? {
            workflowId: workflow.id,
            name: workflow.name,
            timeoutSeconds: workflow.timeoutSeconds,
            progressTotal: (workflow.tasks as unknown[]).length,
            finishedSteps: [],
          }
        : {};
    const statusChange =
      to && to !== row.status
        ? to === 'RUNNING'
          ? { status: to, startedAt: now, attempts: { increment: 1 } }
          : { status: to, finishedAt: now, leaseToken: null, heartbeatAt: null, ...(to === 'CANCELLED' ? { cancelRequestedAt: now } : {}) }
        : {};
    const job = await tx.job.update({
      where: { id: row.id },
      data: {
        ...statusChange,
        ...changedWorkflow,
        ...(input.errorMessage != null ? { errorMessage: input.errorMessage } : {}),
        ...(input.progress ? { progressDone: input.progress.done, progressTotal: input.progress.total } : {}),
        ...(input.startAt ? { startAt: input.startAt } : {}),
        ...(input.parameters != null ? { parameters: input.parameters as InputJsonValue } : {}),
      },
    });
    // an external runner took it: our workers must not start it too
    if (to === 'RUNNING' && row.status === 'QUEUED') await tx.$executeRaw`select graphile_worker.remove_job(${row.id}::text)`;
    if (to === 'CANCELLED' && row.status === 'QUEUED') await tx.$executeRaw`select graphile_worker.remove_job(${row.id}::text)`;
    if (input.startAt && row.status === 'QUEUED' && !to) await scheduleRun(tx, row.id, input.startAt);
    if (to && to !== row.status)
      await tx.jobLog.create({
        data: { jobId: row.id, level: to === 'ERROR' ? 'ERROR' : 'INFO', message: `Status set to ${to}${input.errorMessage ? `: ${input.errorMessage}` : ''}` },
      });
    if (input.log) {
      await tx.jobLog.create({
        data: {
          jobId: row.id,
          level: input.log.level,
          message: input.log.message,
          data: input.log.data === undefined || input.log.data === null ? undefined : (input.log.data as InputJsonValue),
        },
      });
    }
    return { job, logged: Boolean(input.log || (to && to !== row.status)) };
  });
  // a worker holding the lease learns at once that it lost the job
  await publishJobChanged(ctx.events, result.job, ctx.log, input.status && TERMINAL.includes(input.status) ? { stop: true } : {});
  if (result.logged) await publishLogAppended(ctx.events, result.job.id, ctx.log);
  return result.job;
}
