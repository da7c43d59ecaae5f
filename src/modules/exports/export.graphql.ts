import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { FEEDBACK_PAGE } from '../../core/paging/index.js';
import { builder } from '../../graphql/builder.js';
import { feedbackWorkspace } from '../feedback/onboarding.service.js';
import { JobStatusEnum, JobType } from '../jobs/job.graphql.js';
import { BYTE_SIZE_DESCRIPTION } from '../../graphql/byte-size.js';
import { createExport, downloadPath } from './export.service.js';
import './export.job.js';

const ExportTypeEnum = builder.enumType('ExportType', {
  description: 'What an export file lists.',
  values: {
    RESPONSES: {
      description:
        'One row per response: feedback, feedback_date, user_id, score, one column per custom property key, tags, sentiment. Without the tags and sentiment columns the file re-imports with createImport.',
    },
    USERS: { description: 'One row per user_id: user_id, response_count, average_score, last_feedback_date' },
  },
});
const ExportStatusEnum = builder.enumType('ExportStatus', {
  description: "An export's place in its life: QUEUED -> RUNNING -> COMPLETED or FAILED.",
  values: ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'] as const,
});
const EXPORT_JOB_STATUS = { QUEUED: 'QUEUED', RUNNING: 'RUNNING', COMPLETED: 'OK', FAILED: 'ERROR' } as const;

export const ExportObject = builder.prismaNode('Export', {
  description: 'A CSV file of responses or users, written by an EXPORT job.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  // another workspace's id: `node` answers null, as for one that does not exist
  nullable: true,
  fields: (t) => ({
    type: t.field({ description: 'What the file lists', type: ExportTypeEnum, resolve: (e) => e.type }),
    status: t.field({ description: 'Where it is in its life', type: ExportStatusEnum, deprecationReason: 'Use jobStatus', resolve: (e) => e.status }),
    jobStatus: t.field({
      type: JobStatusEnum,
      description: 'In the Job status vocabulary: QUEUED, RUNNING, OK (file written) or ERROR',
      resolve: (e) => EXPORT_JOB_STATUS[e.status],
    }),
    rowCount: t.exposeInt('rowCount', { description: 'Data rows written; null until COMPLETED', nullable: true }),
    byteSize: t.float({
      description: `Size of the file; null until COMPLETED. ${BYTE_SIZE_DESCRIPTION}`,
      nullable: true,
      resolve: (e) => (e.byteSize === null ? null : Number(e.byteSize)),
    }),
    errorMessage: t.exposeString('errorMessage', { description: 'Why it FAILED; null otherwise', nullable: true }),
    downloadUrl: t.string({
      nullable: true,
      description: 'Once COMPLETED: where to GET the CSV with the same credential (absolute when PUBLIC_URL is set, else a path on this server)',
      resolve: (e, _args, ctx) => (e.status === 'COMPLETED' ? `${ctx.config.publicUrl?.replace(/\/$/, '') ?? ''}${downloadPath(e.id)}` : null),
    }),
    job: t.prismaField({
      description: 'The EXPORT job writing the file',
      type: JobType,
      nullable: true,
      resolve: (query, e, _args, ctx) => (e.jobId ? ctx.db.job.findFirst({ ...query, where: { id: e.jobId, workspaceId: e.workspaceId } }) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { description: 'When it ended COMPLETED or FAILED', type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  exports: t.prismaConnection({
    type: 'Export',
    cursor: 'id',
    ...pothosPaging(FEEDBACK_PAGE),
    args: offsetArg,
    authScopes: { scope: 'READ' },
    description: 'Exports of the workspace, newest first. Fails FAILED_DEPENDENCY before feedback onboarding.',
    totalCount: async (_root, _args, ctx) => ctx.db.export.count({ where: { workspaceId: await feedbackWorkspace(ctx) } }),
    resolve: async (query, _root, args, ctx) =>
      ctx.db.export.findMany({
        ...withOffset(query, args),
        where: { workspaceId: await feedbackWorkspace(ctx) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

builder.mutationFields((t) => ({
  createExport: t.prismaField({
    type: 'Export',
    authScopes: { scope: 'WRITE' },
    description:
      'Starts an EXPORT job writing a CSV file. One export per workspace at a time: while one is QUEUED or RUNNING, another answers CONFLICT naming it.',
    errors: {},
    args: { type: t.arg({ type: ExportTypeEnum }) },
    resolve: async (query, _root, { type }, ctx) => {
      const created = await createExport(ctx, type);
      return ctx.db.export.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),
}));
