import { STANDARD_PAGE } from '../../core/paging/index.js';
import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace } from '../../context.js';
import { WorkflowType } from '../workflows/workflow.graphql.js';
import { createWorkflowJob } from '../workflows/workflow-runs.js';
import { cancelJob, updateJob } from './job.service.js';
import { updatedId } from '../../graphql/renamed-argument.js';
import type { JobStatus } from '../../generated/prisma/enums.js';

export const JobStatusEnum = builder.enumType('JobStatus', {
  values: {
    QUEUED: { description: 'waiting for its start time or a free worker' },
    RUNNING: { description: 'claimed by a worker (or an external runner)' },
    OK: { description: 'finished successfully' },
    ERROR: { description: 'failed; see `error`' },
    CANCELLED: { description: 'cancelled before or while running' },
  } as const,
});

export const JobLogLevelEnum = builder.enumType('JobLogLevel', { values: ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const });

const JobProgress = builder.simpleObject('JobProgress', {
  fields: (t) => ({
    done: t.int(),
    total: t.int({ description: '0 while unknown' }),
  }),
});

const JobError = builder.simpleObject('JobError', {
  fields: (t) => ({
    message: t.string(),
    task: t.string({ nullable: true, description: 'the workflow task that failed, e.g. "#2 wait"' }),
  }),
});

export const JobLogType = builder.prismaObject('JobLog', {
  description: 'One line of a job’s append-only log.',
  fields: (t) => ({
    sequence: t.string({ description: 'increases with every line of the job', resolve: (l) => String(l.id) }),
    time: t.expose('createdAt', { type: 'DateTime' }),
    level: t.field({ type: JobLogLevelEnum, resolve: (l) => l.level }),
    message: t.exposeString('message'),
    data: t.expose('data', { type: 'JSON', nullable: true }),
  }),
});

export const JobType = builder.prismaNode('Job', {
  id: { field: 'id' },
  description: 'Background work of any kind: workflow runs, imports, exports, re-tagging.',
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'WORKFLOW, IMPORT, EXPORT, RETAG, ...' }),
    name: t.exposeString('name', { nullable: true }),
    workflow: t.relation('workflow', { nullable: true }),
    status: t.field({ type: JobStatusEnum, resolve: (j) => j.status }),
    startAt: t.expose('startAt', { type: 'DateTime' }),
    parameters: t.expose('parameters', { type: 'JSON', description: 'string-to-string map' }),
    progress: t.field({ type: JobProgress, resolve: (j) => ({ done: j.progressDone, total: j.progressTotal }) }),
    attempts: t.exposeInt('attempts'),
    maxAttempts: t.exposeInt('maxAttempts', { description: 'runs after a lost worker before the job fails' }),
    timeoutSeconds: t.exposeInt('timeoutSeconds', { nullable: true }),
    error: t.field({ type: JobError, nullable: true, resolve: (j) => (j.errorMessage ? { message: j.errorMessage, task: j.errorTask } : null) }),
    cancelRequestedAt: t.expose('cancelRequestedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    logs: t.relatedConnection('logs', {
      cursor: 'id',
      ...pothosPaging(STANDARD_PAGE),
      totalCount: true,
      description: 'oldest first',
      query: { orderBy: { id: 'asc' } },
    }),
  }),
});

const JobLogInput = builder.inputType('JobLogInput', {
  fields: (t) => ({
    level: t.field({ type: JobLogLevelEnum, defaultValue: 'INFO', required: true }),
    message: t.string(),
    data: t.field({ type: 'JSON', required: false }),
  }),
});

const JobProgressInput = builder.inputType('JobProgressInput', {
  fields: (t) => ({ done: t.int(), total: t.int() }),
});

const CreateJobInput = builder.inputType('CreateJobInput', {
  fields: (t) => ({
    workflow: t.globalID({ for: WorkflowType }),
    startAt: t.field({ type: 'DateTime', required: false, description: 'a later start; default now' }),
    parameters: t.field({ type: 'JSON', required: false, description: 'string-to-string map, used as {{params.name}}' }),
  }),
});

const UpdateJobInput = builder.inputType('UpdateJobInput', {
  description: 'For external runners and tools. Only legal status changes; workflow, startAt and parameters only while QUEUED.',
  fields: (t) => ({
    id: t.globalID({ for: JobType, required: false, deprecationReason: 'Use id' }),
    status: t.field({ type: JobStatusEnum, required: false }),
    errorMessage: t.string({ required: false, description: 'with status ERROR' }),
    progress: t.field({ type: JobProgressInput, required: false }),
    log: t.field({ type: JobLogInput, required: false, description: 'a line to append' }),
    workflow: t.globalID({ for: WorkflowType, required: false }),
    startAt: t.field({ type: 'DateTime', required: false }),
    parameters: t.field({ type: 'JSON', required: false }),
  }),
});

builder.queryFields((t) => ({
  job: t.prismaField({
    description: 'A job by id; null when it does not exist in your workspace',
    type: 'Job',
    nullable: true,
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: JobType }) },
    resolve: (query, _root, { id }, ctx) => ctx.db.job.findFirst({ ...query, where: { id: id.id, workspaceId: requireWorkspace(ctx).workspaceId } }),
  }),
  jobs: t.prismaConnection({
    type: 'Job',
    cursor: 'id',
    ...pothosPaging(STANDARD_PAGE),
    description: 'Newest first.',
    authScopes: { scope: 'READ' },
    args: {
      ...offsetArg,
      status: t.arg({ type: [JobStatusEnum], required: false }),
      workflow: t.arg.globalID({ for: WorkflowType, required: false }),
      kind: t.arg.string({ required: false }),
    },
    totalCount: (_root, args, ctx) => ctx.db.job.count({ where: jobsWhere(requireWorkspace(ctx).workspaceId, args) }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.job.findMany({
        ...withOffset(query, args),
        where: jobsWhere(requireWorkspace(ctx).workspaceId, args),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

export function jobsWhere(workspaceId: string, args: { status?: readonly JobStatus[] | null; workflow?: { id: string } | null; kind?: string | null }) {
  return {
    workspaceId,
    ...(args.status?.length ? { status: { in: [...args.status] } } : {}),
    ...(args.workflow ? { workflowId: args.workflow.id } : {}),
    ...(args.kind ? { kind: args.kind } : {}),
  };
}

builder.mutationFields((t) => ({
  createJob: t.prismaField({
    type: 'Job',
    description: 'Starts a workflow now or at `startAt`.',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { input: t.arg({ type: CreateJobInput }) },
    resolve: async (query, _root, { input }, ctx) => {
      const job = await createWorkflowJob(ctx, { workflowId: input.workflow.id, startAt: input.startAt, parameters: input.parameters });
      return ctx.db.job.findUniqueOrThrow({ ...query, where: { id: job.id } });
    },
  }),
  cancelJob: t.prismaField({
    type: 'Job',
    description: 'A QUEUED job never starts; a RUNNING one stops at once during `wait`, else at the next task boundary.',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { id: t.arg.globalID({ for: JobType }) },
    resolve: async (query, _root, { id }, ctx) => {
      await cancelJob(ctx, id.id);
      return ctx.db.job.findUniqueOrThrow({ ...query, where: { id: id.id } });
    },
  }),
  updateJob: t.prismaField({
    description: 'Reports progress, logs or the end of a job run by an external runner',
    type: 'Job',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: {
      id: t.arg.globalID({ for: JobType, required: false, description: 'Required (optional only while the deprecated input.id is accepted)' }),
      input: t.arg({ type: UpdateJobInput }),
    },
    resolve: async (query, _root, args, ctx) => {
      const { input } = args;
      const id = updatedId(args.id, input);
      await updateJob(ctx, {
        id,
        status: input.status,
        errorMessage: input.errorMessage,
        progress: input.progress,
        log: input.log,
        workflowId: input.workflow?.id,
        startAt: input.startAt,
        parameters: input.parameters,
      });
      return ctx.db.job.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
