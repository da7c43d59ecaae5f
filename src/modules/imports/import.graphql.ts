import { offsetArg, pagedDescription, pagingArgs, pothosPaging, withOffset } from '../../graphql/paging.js';
import { nestedConnection } from '../../graphql/nested-connection.js';
import { Prisma } from '../../generated/prisma/client.js';
import { ResponseConnection, type ResponseConnectionExtras } from '../feedback/response.graphql.js';
import { importMetrics, type ResponseMetrics } from '../feedback/metrics.service.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { deletedObject, deleteResult } from '../../graphql/deleted.js';
import { FEEDBACK_PAGE } from '../../core/paging/index.js';
import { builder } from '../../graphql/builder.js';
import type { GraphQLContext } from '../../context.js';
import { loaderFor } from '../../loaders.js';
import { feedbackWorkspace } from '../feedback/onboarding.service.js';
import { MetricTypeEnum, PropertyDataTypeEnum } from '../feedback/feedback.enums.js';
import { ProjectType } from '../feedback/project.graphql.js';
import { JobStatusEnum, JobType } from '../jobs/job.graphql.js';
import { BYTE_SIZE_DESCRIPTION } from '../../graphql/byte-size.js';
import { IMPORT_ISSUE_CODES } from './csv/errors.js';
import type { ImportColumn, ImportIssue, ValidationReport } from './csv/validate.js';
import { createImport, deleteImport, effectiveStatus, updateImport } from './import.service.js';
import './import.job.js';

const ImportStatusEnum = builder.enumType('ImportStatus', {
  description: "An import's place in its life.",
  values: {
    QUEUED: { description: 'validated and staged; waiting for its IMPORT job' },
    RUNNING: { description: 'its IMPORT job is writing the responses' },
    COMPLETED: { description: 'responses written, sentiment and automatic tags applied' },
    FAILED: { description: 'its job failed or was cancelled; nothing was written' },
    DELETING: { description: 'a DELETE_IMPORT job is removing it and its responses' },
  },
});
const IMPORT_JOB_STATUS = { QUEUED: 'QUEUED', RUNNING: 'RUNNING', COMPLETED: 'OK', FAILED: 'ERROR', DELETING: 'RUNNING' } as const;

const ImportPolicyEnum = builder.enumType('ImportPolicy', {
  description: 'What an import does with invalid rows.',
  values: {
    ABORT: { description: 'any invalid row refuses the whole file; nothing is written (default)' },
    SKIP_INVALID_ROWS: { description: 'valid rows are imported; invalid rows are reported and skipped' },
  },
});
const ImportIssueCodeEnum = builder.enumType('ImportIssueCode', {
  description:
    'Why a file or row was refused. File-level (the whole file is refused whatever the policy): TOO_LARGE, NOT_UTF8, EMPTY_FILE, NO_ROWS, MALFORMED_CSV, MISSING_COLUMN, RESERVED_COLUMN, DUPLICATE_COLUMN, EMPTY_COLUMN_NAME, TOO_MANY_COLUMNS. Row-level: FIELD_COUNT, REQUIRED, INVALID_DATE, INVALID_SCORE, TOO_LONG.',
  values: IMPORT_ISSUE_CODES,
});
const ImportColumnRoleEnum = builder.enumType('ImportColumnRole', {
  description: 'What a CSV column of an import holds.',
  values: {
    FEEDBACK: { description: 'the `feedback` column (optional; a blank cell imports the row with its score and no sentiment)' },
    FEEDBACK_DATE: {
      description: 'the `feedback_date` column, the only required one: yyyy-mm-dd hh:mm:ss, yyyy-mm-dd hh:mm, yyyy-mm-dd (UTC) or a Unix timestamp in seconds',
    },
    USER_ID: { description: 'the `user_id` column (optional)' },
    SCORE: { description: 'the `score` column: an integer or blank (NPS 0..10, CSAT 1..5, CES 1..7)' },
    PROPERTY: { description: 'any other column: a custom property of the inferred data type' },
  },
});

const ImportColumnRef = builder.objectRef<ImportColumn>('ImportColumn').implement({
  description: 'A column of an imported CSV file and what it holds.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The column’s header' }),
    role: t.field({ description: 'What the column holds', type: ImportColumnRoleEnum, resolve: (c) => c.role }),
    dataType: t.field({
      type: PropertyDataTypeEnum,
      nullable: true,
      description:
        'PROPERTY columns: NUMBER when every non-empty value is a number (no leading zeros), else BOOLEAN when all are true/false, else DATE when all are dates, else STRING',
      resolve: (c) => c.dataType,
    }),
  }),
});

const ImportIssueRef = builder.objectRef<ImportIssue>('ImportIssue').implement({
  description: 'A problem found in an import file: where and why.',
  fields: (t) => ({
    row: t.int({
      nullable: true,
      description: 'Row number counting the header as row 1 (as a spreadsheet shows it); null for the whole file',
      resolve: (i) => i.row,
    }),
    column: t.string({ description: 'The column’s header; null for the whole row or file', nullable: true, resolve: (i) => i.column }),
    code: t.field({ description: 'Why', type: ImportIssueCodeEnum, resolve: (i) => i.code }),
    message: t.exposeString('message', { description: 'What is wrong, for people' }),
  }),
});

const ImportValidationRef = builder.objectRef<ValidationReport>('ImportValidation').implement({
  description: 'The validation report of an uploaded file',
  fields: (t) => ({
    totalRows: t.exposeInt('totalRows', { description: 'Data rows, the header excluded' }),
    validRows: t.exposeInt('validRows', { description: 'Data rows that can be imported' }),
    invalidRows: t.exposeInt('invalidRows', { description: 'Data rows with at least one issue' }),
    issueCount: t.exposeInt('issueCount', { description: 'All problems found; `issues` lists the first 100' }),
    issues: t.field({ description: 'The first 100 issues, in file order', type: [ImportIssueRef], resolve: (r) => r.issues }),
    columns: t.field({ description: 'The file’s columns and what each holds', type: [ImportColumnRef], resolve: (r) => r.columns }),
    bytes: t.exposeInt('bytes', { description: 'Size of the file', deprecationReason: 'Use byteSize' }),
    byteSize: t.float({ description: `Size of the file. ${BYTE_SIZE_DESCRIPTION}`, resolve: (v) => v.bytes }),
  }),
});

const responseCounts = (ctx: GraphQLContext) =>
  loaderFor(ctx, 'imports:responseCount', async (ids, workspaceId) => {
    const rows = await ctx.db.response.groupBy({ by: ['importId'], where: { workspaceId, importId: { in: [...ids] } }, _count: { _all: true } });
    const counts = new Map(rows.map((r) => [r.importId, r._count._all]));
    return ids.map((id) => counts.get(id) ?? 0);
  });

/** The metrics of `Import.responses`, for every import of the request in one statement. */
const metricsLoader = (ctx: GraphQLContext) =>
  loaderFor(ctx, 'imports:responseMetrics', (ids, workspaceId): Promise<ResponseMetrics[]> => importMetrics(ctx.db, workspaceId, ids));

const importResponses = nestedConnection({
  name: 'Import.responses',
  rules: FEEDBACK_PAGE,
  typeName: 'Response',
  table: Prisma.sql`"Response" t`,
  parent: Prisma.sql`t."importId"`,
  keys: [{ sql: Prisma.sql`t.id`, dir: 'ASC', type: 'uuid' }],
  id: Prisma.sql`t.id`,
  find: (ctx, query, ids) => ctx.db.response.findMany({ ...query, where: { id: { in: ids } } }),
  idOf: (response) => response.id,
});

export const ImportType = builder.prismaNode('Import', {
  description: 'A CSV file of feedback and the responses it wrote.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  // another workspace's id: `node` answers null, as for one that does not exist
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name', { description: 'A label; the file name unless given' }),
    source: t.exposeString('source', { description: 'Where the file comes from, e.g. "Zendesk"', nullable: true }),
    metricType: t.field({ description: 'The metric of the score column, given to every response', type: MetricTypeEnum, resolve: (i) => i.metricType }),
    language: t.exposeString('language', { description: 'Language of the feedback, e.g. "en"', nullable: true }),
    secondaryProductCategoryId: t.exposeString('secondaryProductCategoryId', {
      nullable: true,
      description: 'A product category key (see `onboarding.categories`)',
    }),
    policy: t.field({ description: 'What it did with invalid rows', type: ImportPolicyEnum, resolve: (i) => i.policy }),
    status: t.field({
      description: 'Where it is in its life',
      type: ImportStatusEnum,
      deprecationReason: 'Use jobStatus',
      resolve: (i, _args, ctx) => effectiveStatus(ctx, i),
    }),
    jobStatus: t.field({
      type: JobStatusEnum,
      description:
        'In the Job status vocabulary: QUEUED, RUNNING, OK (responses written) or ERROR (nothing written); RUNNING with `deleting` while a DELETE_IMPORT job removes it',
      resolve: async (i, _args, ctx) => IMPORT_JOB_STATUS[await effectiveStatus(ctx, i)],
    }),
    deleting: t.boolean({
      description: 'A DELETE_IMPORT job is removing it and its responses',
      resolve: async (i, _args, ctx) => (await effectiveStatus(ctx, i)) === 'DELETING',
    }),
    fileName: t.exposeString('fileName', { description: 'The uploaded file’s name' }),
    byteSize: t.float({ description: `Size of the uploaded file. ${BYTE_SIZE_DESCRIPTION}`, resolve: (i) => i.byteSize }),
    columns: t.field({
      description: 'The file’s columns and what each holds',
      type: [ImportColumnRef],
      resolve: (i) => i.columns as unknown as ImportColumn[],
    }),
    totalRows: t.exposeInt('totalRows', { description: 'Data rows of the file, the header excluded' }),
    validRows: t.exposeInt('validRows', { description: 'Rows that passed validation' }),
    invalidRows: t.exposeInt('invalidRows', { description: 'Rows skipped under SKIP_INVALID_ROWS' }),
    responseCount: t.int({ description: 'Responses of this import now', resolve: (i, _args, ctx) => responseCounts(ctx).load(i.id) }),
    sampleAnalyzed: t.exposeBoolean('sampleAnalyzed', { description: 'Sentiment and automatic tags have been applied to its responses' }),
    errorMessage: t.exposeString('errorMessage', { description: 'Why it FAILED; null otherwise', nullable: true }),
    job: t.prismaField({
      type: JobType,
      nullable: true,
      description: 'The IMPORT job that writes its responses',
      resolve: (query, i, _args, ctx) => (i.jobId ? ctx.db.job.findFirst({ ...query, where: { id: i.jobId, workspaceId: i.workspaceId } }) : null),
    }),
    deleteJob: t.prismaField({
      type: JobType,
      nullable: true,
      description: 'The DELETE_IMPORT job, once deletion was asked for',
      resolve: (query, i, _args, ctx) => (i.deleteJobId ? ctx.db.job.findFirst({ ...query, where: { id: i.deleteJobId, workspaceId: i.workspaceId } }) : null),
    }),
    responses: t.field({
      type: ResponseConnection,
      description: pagedDescription('Its responses, in id order.', FEEDBACK_PAGE),
      args: pagingArgs,
      resolve: async (i, args, ctx, info) => {
        const page = await importResponses(i.id, args, ctx, info);
        const extras: ResponseConnectionExtras = {
          totalCount: page.totalCount,
          metrics: () => metricsLoader(ctx).load(i.id),
        };
        return Object.assign(page, extras);
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const CreateImportResult = builder.simpleObject('CreateImportResult', {
  description:
    'A dry run has `validation` only; an import has the `import` and its `job`. A replayed idempotency key returns the first import, without `validation`.',
  fields: (t) => ({
    import: t.field({ description: 'The import; null for a dry run', type: ImportType, nullable: true }),
    job: t.field({ description: 'The IMPORT job writing its responses; null for a dry run', type: JobType, nullable: true }),
    validation: t.field({
      description: 'The validation report; null when a replayed key returned an earlier import',
      type: ImportValidationRef,
      nullable: true,
    }),
    replayed: t.boolean({ description: 'The idempotency key matched an earlier upload, whose import this is' }),
  }),
});

const UpdateImportInput = builder.inputType('UpdateImportInput', {
  description: "Changes to an import's metadata; fields left out keep their value.",
  fields: (t) => ({
    name: t.string({ description: 'A new label', required: false }),
    source: t.string({ description: 'Where the file comes from', required: false }),
    metricType: t.string({ required: false, description: 'NPS, CSAT, CES or OTHER, any case; also changes the metric type of its responses' }),
    language: t.string({ description: 'Language of the feedback', required: false }),
    secondaryProductCategoryId: t.string({ description: 'A product category key (see `onboarding.categories`)', required: false }),
    tagNames: t.stringList({ required: false, description: 'Existing tags (by name, any case) added to every response of the import' }),
    projectIds: t.globalIDList({ required: false, for: ProjectType, description: 'Existing projects every response of the import joins' }),
  }),
});

builder.queryFields((t) => ({
  imports: t.prismaConnection({
    type: 'Import',
    cursor: 'id',
    ...pothosPaging(FEEDBACK_PAGE),
    args: offsetArg,
    authScopes: { scope: 'READ' },
    description: 'Imports of the workspace, newest first. Fails FAILED_DEPENDENCY before feedback onboarding.',
    totalCount: async (_root, _args, ctx) => ctx.db.import.count({ where: { workspaceId: await feedbackWorkspace(ctx) } }),
    resolve: async (query, _root, args, ctx) =>
      ctx.db.import.findMany({
        ...withOffset(query, args),
        where: { workspaceId: await feedbackWorkspace(ctx) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

builder.mutationFields((t) => ({
  createImport: t.field({
    type: CreateImportResult,
    authScopes: { scope: 'WRITE' },
    description:
      'Uploads a CSV file of feedback (GraphQL multipart request; at most MAX_UPLOAD_BYTES, 10 MB by default; UTF-8 with or without BOM). The file is validated while it streams; a refused file answers BAD_USER_INPUT with one issue per problem (path ["file", row, column], first 100) and writes nothing. Otherwise an IMPORT job writes the responses, then applies sentiment and automatic tags.',
    errors: {},
    args: {
      file: t.arg({ type: 'Upload' }),
      name: t.arg.string({ required: false, description: 'Defaults to the file name' }),
      source: t.arg.string({ required: false, description: 'Where the file comes from, e.g. "Zendesk"' }),
      metricType: t.arg({ type: MetricTypeEnum, required: false, description: 'Metric of the score column (default OTHER); sets the allowed score range' }),
      language: t.arg.string({ required: false }),
      secondaryProductCategoryId: t.arg.string({ required: false }),
      policy: t.arg({ type: ImportPolicyEnum, required: false }),
      dryRun: t.arg.boolean({ required: false, description: 'Validate and report; write nothing' }),
      idempotencyKey: t.arg.string({ required: false, description: 'A retried upload with the same key returns the first import' }),
    },
    resolve: async (_root, args, ctx) => {
      const result = await createImport(ctx, args);
      const [imp, job] = await Promise.all([
        result.importId ? ctx.db.import.findUniqueOrThrow({ where: { id: result.importId } }) : null,
        result.jobId ? ctx.db.job.findUnique({ where: { id: result.jobId } }) : null,
      ]);
      return { import: imp, job, validation: result.validation, replayed: result.replayed };
    },
  }),
  updateImport: t.field({
    type: ImportType,
    authScopes: { scope: 'WRITE' },
    description: 'Changes metadata; adds tags and projects to every response of the import (one transaction)',
    errors: {},
    args: { id: t.arg.globalID({ for: ImportType }), input: t.arg({ type: UpdateImportInput }) },
    resolve: (_root, { id, input }, ctx) =>
      updateImport(ctx, {
        id: id.id,
        name: input.name,
        source: input.source,
        language: input.language,
        secondaryProductCategoryId: input.secondaryProductCategoryId,
        metricTypeText: input.metricType,
        tagNames: input.tagNames,
        projectIds: input.projectIds?.map((p) => p.id),
      }),
  }),
  deleteImport: t.field({
    type: ImportType,
    authScopes: { scope: 'WRITE' },
    description: 'Starts a DELETE_IMPORT job that removes the import and exactly its responses; the import shows DELETING until then',
    errors: deleteResult((imp: { id: string }) => deletedObject(encodeGlobalID('Import', imp.id))),
    args: { id: t.arg.globalID({ for: ImportType }) },
    resolve: (_root, { id }, ctx) => deleteImport(ctx, id.id),
  }),
}));
