import { STANDARD_PAGE } from '../../core/paging/index.js';
import { offsetArg, pagedDescription, pagingArgs, pothosPaging, withOffset } from '../../graphql/paging.js';
import { nestedConnection } from '../../graphql/nested-connection.js';
import { Prisma } from '../../generated/prisma/client.js';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace } from '../../context.js';
import { WorkflowType } from '../workflows/workflow.graphql.js';
import { createWorkflowJob } from '../workflows/workflow-runs.js';
import { cancelJob, updateJob } from './job.service.js';
import { updatedId } from '../../graphql/renamed-argument.js';
import type { JobStatus } from '../../generated/prisma/enums.js';

export const JobStatusEnum = builder.enumType('JobStatus', {
  description: "A job's place in its life: QUEUED -> RUNNING -> OK, ERROR or CANCELLED.",
  values: {
    QUEUED: { description: 'waiting for its start time or a free worker' },
    RUNNING: { description: 'claimed by a worker (or an external runner)' },
    OK: { description: 'finished successfully' },
    ERROR: { description: 'failed; see `error`' },
    CANCELLED: { description: 'cancelled before or while running' },
  } as const,
});

export const JobLogLevelEnum = builder.enumType('JobLogLevel', {
  description: 'How important a log line is.',
  values: ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const,
});

const JobProgress = builder.simpleObject('JobProgress', {
  description: 'How far a job has come.',
  fields: (t) => ({
    done: t.int({ description: 'Units finished' }),
    total: t.int({ description: '0 while unknown' }),
  }),
});

const JobError = builder.simpleObject('JobError', {
  description: 'Why a job failed.',
  fields: (t) => ({
    message: t.string({ description: 'What went wrong' }),
    task: t.string({ nullable: true, description: 'the workflow task that failed, e.g. "#2 wait"' }),
  }),
});

export const JobLogType = builder.prismaObject('JobLog', {
  description: 'One line of a job’s append-only log.',
  fields: (t) => ({
    sequence: t.string({ description: 'increases with every line of the job', resolve: (l) => String(l.id) }),
    time: t.expose('createdAt', { description: 'When the line was written', type: 'DateTime' }),
    level: t.field({ description: 'How important the line is', type: JobLogLevelEnum, resolve: (l) => l.level }),
    message: t.exposeString('message', { description: 'The line' }),
    data: t.expose('data', { description: 'Structured details, when the writer gave any', type: 'JSON', nullable: true }),
  }),
});

export const JobLogConnection = builder.connectionObject(
  {
    type: JobLogType,
    name: 'JobLogConnection',
    fields: (t) => ({ totalCount: t.int({ description: 'All lines of the job', resolve: (c) => (c as unknown as Counted).totalCount() }) }),
  },
  { name: 'JobLogEdge' },
);

/** A connection whose resolver hands its count over lazily (Pothos's prismaConnection and the nested lists do). */
interface Counted {
  totalCount: () => Promise<number>;
}

const jobLogs = nestedConnection({
  name: 'Job.logs',
  rules: STANDARD_PAGE,
  typeName: 'JobLog',
  table: Prisma.sql`"JobLog" t`,
  parent: Prisma.sql`t."jobId"`,
  keys: [{ sql: Prisma.sql`t.id`, dir: 'ASC', type: 'bigint' }],
  id: Prisma.sql`t.id`,
  find: (ctx, query, ids) => ctx.db.jobLog.findMany({ ...query, where: { id: { in: ids.map(BigInt) } } }),
  idOf: (log) => String(log.id),
});

export const JobType = builder.prismaNode('Job', {
  id: { field: 'id' },
  description: 'Background work of any kind: workflow runs, imports, exports, re-tagging.',
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'WORKFLOW, IMPORT, EXPORT, RETAG, ...' }),
    name: t.exposeString('name', { description: 'A label, e.g. the workflow’s name or the file imported', nullable: true }),
    workflow: t.relation('workflow', { description: 'The workflow it runs; null for other kinds, or once the workflow was deleted', nullable: true }),
    status: t.field({ description: 'Where it is in its life', type: JobStatusEnum, resolve: (j) => j.status }),
    startAt: t.expose('startAt', { description: 'When it may start', type: 'DateTime' }),
    parameters: t.expose('parameters', { type: 'JSON', description: 'string-to-string map' }),
    progress: t.field({ description: 'How far it has come', type: JobProgress, resolve: (j) => ({ done: j.progressDone, total: j.progressTotal }) }),
    attempts: t.exposeInt('attempts', { description: 'Runs started so far (a lost worker makes another)' }),
    maxAttempts: t.exposeInt('maxAttempts', { description: 'runs after a lost worker before the job fails' }),
    timeoutSeconds: t.exposeInt('timeoutSeconds', { description: 'A run longer than this ends ERROR; null: no limit', nullable: true }),
    error: t.field({
      description: 'Why it failed; null unless ERROR',
      type: JobError,
      nullable: true,
      resolve: (j) => (j.errorMessage ? { message: j.errorMessage, task: j.errorTask } : null),
    }),
    cancelRequestedAt: t.expose('cancelRequestedAt', { description: 'When cancelJob was called; null if never', type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { description: 'When its first run started', type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { description: 'When it ended OK, ERROR or CANCELLED', type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    logs: t.field({
      type: JobLogConnection,
      description: pagedDescription('Its log, oldest line first.', STANDARD_PAGE),
      args: pagingArgs,
      resolve: (job, args, ctx, info) => jobLogs(job.id, args, ctx, info),
    }),
  }),
});

export const JobConnection = builder.connectionObject(
  {
    type: JobType,
    name: 'JobConnection',
    fields: (t) => ({ totalCount: t.int({ description: 'All jobs of the list', resolve: (c) => (c as unknown as Counted).totalCount() }) }),
  },
  { name: 'JobEdge' },
);

const workflowJobs = nestedConnection({
  name: 'Workflow.jobs',
  rules: STANDARD_PAGE,
  typeName: 'Job',
  table: Prisma.sql`"Job" t`,
  parent: Prisma.sql`t."workflowId"`,
  keys: [
    { sql: Prisma.sql`t."createdAt"`, dir: 'DESC', type: 'timestamp' },
    { sql: Prisma.sql`t.id`, dir: 'DESC', type: 'uuid' },
  ],
  id: Prisma.sql`t.id`,
  find: (ctx, query, ids) => ctx.db.job.findMany({ ...query, where: { id: { in: ids } } }),
  idOf: (job) => job.id,
});

builder.prismaObjectFields(WorkflowType, (t) => ({
  jobs: t.field({
    type: JobConnection,
    description: pagedDescription('Its jobs, newest first.', STANDARD_PAGE),
    args: pagingArgs,
    resolve: (workflow, args, ctx, info) => workflowJobs(workflow.id, args, ctx, info),
  }),
}));

const JobLogInput = builder.inputType('JobLogInput', {
  description: 'A line to append to a job’s log.',
  fields: (t) => ({
    level: t.field({ description: 'How important the line is; default INFO', type: JobLogLevelEnum, defaultValue: 'INFO', required: true }),
    message: t.string({ description: 'The line' }),
    data: t.field({ description: 'Structured details', type: 'JSON', required: false }),
  }),
});

const JobProgressInput = builder.inputType('JobProgressInput', {
  description: 'How far a job has come: `done` of `total` units.',
  fields: (t) => ({
    done: t.int({ description: 'Units finished' }),
    total: t.int({ description: 'Units in all; 0 while unknown' }),
  }),
});

const CreateJobInput = builder.inputType('CreateJobInput', {
  description: 'A run of a workflow, now or later, with its parameters.',
  fields: (t) => ({
    workflow: t.globalID({ description: 'The workflow to run (enabled)', for: WorkflowType }),
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
  jobs: t.prismaConnection(
    {
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
    },
    JobConnection,
  ),
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
