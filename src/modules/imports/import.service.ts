/**
 * Imports: validate an uploaded CSV while it streams (staging valid rows), then hand the write
 * to an IMPORT job; update an import's metadata, tags and projects; delete it as a job.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import { assertNoIssues, badInput, conflict, notFound, type FieldIssue } from '../../errors.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { MetricType } from '../../generated/prisma/enums.js';
import { feedbackWorkspace } from '../feedback/onboarding.service.js';
import { blankToNull, metadataIssues, type ImportMetadata } from '../feedback/import-metadata.js';
import { enqueueJob } from '../../core/jobs/enqueue.js';
import { declareJobKind } from '../../core/jobs/registry.js';
import { validateCsv, type ImportIssue, type ValidationReport } from './csv/validate.js';
import { dropStaged, stageRows } from './staging.js';

export const IMPORT_JOB = declareJobKind<{ importId: string }>('IMPORT');
export const DELETE_IMPORT_JOB = declareJobKind<{ importId: string }>('DELETE_IMPORT');

export type ImportPolicy = 'ABORT' | 'SKIP_INVALID_ROWS';

/** Score ranges by metric type; OTHER takes any integer. */
export const SCORE_RANGES: Partial<Record<MetricType, { min: number; max: number }>> = {
  NPS: { min: 0, max: 10 },
  CSAT: { min: 1, max: 5 },
  CES: { min: 1, max: 7 },
};

export interface CreateImportInput extends ImportMetadata {
  file: File;
  policy?: ImportPolicy | null;
  dryRun?: boolean | null;
  idempotencyKey?: string | null;
}

/** Case-insensitive metric type ("nps" -> NPS); undefined when unknown. */
export function parseMetricType(text: string): MetricType | undefined {
  const upper = text.trim().toUpperCase();
  return (['NPS', 'CSAT', 'CES', 'OTHER'] as const).find((m) => m === upper);
}

/** Report issues as FieldIssues under `file`: ['file'] for the file, ['file', row, column] for a cell. */
export function reportIssues(issues: ImportIssue[]): FieldIssue[] {
  return issues.map((i) => ({
    path: ['file', ...(i.row !== null ? [String(i.row)] : []), ...(i.column !== null ? [i.column] : [])],
    code: i.code,
    message: i.row !== null ? `Row ${i.row}${i.column ? `, ${i.column}` : ''}: ${i.message}` : i.message,
  }));
}

export interface CreateImportResult {
  importId: string | null;
  jobId: string | null;
  validation: ValidationReport | null;
  /** true when an idempotency key returned an earlier import */
  replayed: boolean;
}

/**
 * Validation pass in the request: the upload streams through the CSV validator, valid rows go to
 * the staging table (unless this is a dry run, or the policy is ABORT and a row already failed).
 * A refused file, or any invalid row under ABORT, answers BAD_USER_INPUT with the report's
 * issues and leaves nothing behind. Otherwise one transaction creates the Import and its job.
 */
export async function createImport(ctx: ServiceContext, input: CreateImportInput): Promise<CreateImportResult> {
  const workspaceId = await feedbackWorkspace(ctx);
  const principal = requireWorkspace(ctx);
  const issues = metadataIssues(input);
  const key = input.idempotencyKey?.trim() || null;
  if (input.idempotencyKey !== undefined && input.idempotencyKey !== null && (!key || key.length > 255)) {
    issues.push({ path: ['idempotencyKey'], code: 'INVALID_VALUE', message: 'An idempotency key is 1-255 characters' });
  }
  assertNoIssues(issues);

  if (key) {
    const earlier = await ctx.db.import.findUnique({ where: { workspaceId_idempotencyKey: { workspaceId, idempotencyKey: key } } });
    if (earlier) return { importId: earlier.id, jobId: earlier.jobId, validation: null, replayed: true };
  }

  const max = ctx.config.limits.maxUploadBytes;
  if (input.file.size > max)
    throw badInput(`The file is larger than ${max} bytes`, [{ path: ['file'], code: 'TOO_LARGE', message: `The file is larger than ${max} bytes` }]);

  // defaults for the workspace's first import, as given during onboarding
  const firstImport = (await ctx.db.import.count({ where: { workspaceId } })) === 0 ? await ctx.db.importDefaults.findUnique({ where: { workspaceId } }) : null;
  const metricType: MetricType = input.metricType ?? (firstImport?.metricType as MetricType | undefined) ?? 'OTHER';
  const policy: ImportPolicy = input.policy ?? 'ABORT';
  const dryRun = input.dryRun ?? false;
  const uploadId = randomUUID();
  let staged = false;

  let report: ValidationReport;
  try {
    report = await validateCsv(input.file.stream(), {
      maxBytes: max,
      scoreRange: SCORE_RANGES[metricType],
      onRows: dryRun
        ? undefined
        : async (rows, soFar) => {
            if (policy === 'ABORT' && soFar.invalidRows > 0) return; // it will be refused: stop staging
            staged = true;
            await stageRows(ctx.db, uploadId, rows);
          },
    });
  } catch (error) {
    if (staged) await dropStaged(ctx.db, uploadId);
    throw error;
  }

  const refuse = (message: string) => badInput(message, reportIssues(report.issues));
  const invalid = report.invalidRows > 0 && policy === 'ABORT';
  if (report.refused || invalid || (report.validRows === 0 && !dryRun)) {
    if (staged) await dropStaged(ctx.db, uploadId);
    if (dryRun && !report.refused) return { importId: null, jobId: null, validation: report, replayed: false };
    if (report.refused) throw refuse(`The file was refused: ${report.issues[0]?.message ?? 'invalid file'}`);
    if (invalid)
      throw refuse(
        `${report.invalidRows} of ${report.totalRows} rows are invalid (${report.issueCount} problems); nothing was imported. Fix them, or import with policy SKIP_INVALID_ROWS`,
      );
    throw refuse(`None of the ${report.totalRows} rows is valid; nothing was imported`);
  }
  if (dryRun) return { importId: null, jobId: null, validation: report, replayed: false };

  const name = blankToNull(input.name) ?? firstImport?.name ?? (input.file.name || 'Import');
  try {
    const created = await ctx.db.$transaction(async (tx) => {
      const row = await tx.import.create({
        data: {
          workspaceId,
          name: name.slice(0, 200),
          source: blankToNull(input.source) ?? firstImport?.source ?? null,
          metricType,
          language: blankToNull(input.language) ?? firstImport?.language ?? null,
          secondaryProductCategoryId: input.secondaryProductCategoryId ?? null,
          policy,
          fileName: (input.file.name || 'upload.csv').slice(0, 255),
          byteSize: report.bytes,
          columns: report.columns as unknown as Prisma.InputJsonValue,
          totalRows: report.totalRows,
          validRows: report.validRows,
          invalidRows: report.invalidRows,
          idempotencyKey: key,
          uploadId,
          createdById: principal.userId,
        },
      });
      const job = await enqueueJob(ctx, { kind: IMPORT_JOB, params: { importId: row.id }, name: `Import ${row.name}` }, tx);
      await tx.import.update({ where: { id: row.id }, data: { jobId: job.id } });
      return { importId: row.id, jobId: job.id };
    });
    return { ...created, validation: report, replayed: false };
  } catch (error) {
    await dropStaged(ctx.db, uploadId);
    // the same key raced us: the other request's import is the answer
    if (key && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const earlier = await ctx.db.import.findUnique({ where: { workspaceId_idempotencyKey: { workspaceId, idempotencyKey: key } } });
      if (earlier) return { importId: earlier.id, jobId: earlier.jobId, validation: null, replayed: true };
    }
    throw error;
  }
}

export interface UpdateImportInput extends ImportMetadata {
  id: string;
  metricTypeText?: string | null;
  tagNames?: string[] | null;
  projectIds?: string[] | null;
}

type ImportRow = NonNullable<Awaited<ReturnType<ServiceContext['db']['import']['findFirst']>>>;

/**
 * What an import's status really is: one whose job ended without finishing it (cancelled while
 * queued, failed before the handler ran) is FAILED; one whose delete job ended without deleting
 * it is back to FAILED too, so it can be deleted again. Read-only.
 */
export async function effectiveStatus(ctx: ServiceContext, imp: Pick<ImportRow, 'status' | 'jobId' | 'deleteJobId'>): Promise<ImportRow['status']> {
  const watched = imp.status === 'QUEUED' || imp.status === 'RUNNING' ? imp.jobId : imp.status === 'DELETING' ? imp.deleteJobId : null;
  if (!watched) return imp.status;
  const job = await ctx.db.job.findUnique({ where: { id: watched }, select: { status: true } });
  return job && (job.status === 'ERROR' || job.status === 'CANCELLED') ? 'FAILED' : imp.status;
}

/** Settles an import whose job ended without it (see effectiveStatus) and drops its staged rows. */
async function settle(ctx: ServiceContext, imp: ImportRow): Promise<ImportRow> {
  const status = await effectiveStatus(ctx, imp);
  if (status === imp.status) return imp;
  const message =
    imp.status === 'DELETING' ? 'Its deletion stopped before the end; delete it again' : 'Its import job ended before writing it; nothing was written';
  await ctx.db.import.updateMany({ where: { id: imp.id, status: imp.status }, data: { status, errorMessage: message } });
  if (imp.status !== 'DELETING') await dropStaged(ctx.db, imp.uploadId);
  return { ...imp, status, errorMessage: message };
}

async function findImport(ctx: ServiceContext, workspaceId: string, id: string) {
  const row = await ctx.db.import.findFirst({ where: { id, workspaceId } });
  if (!row) throw notFound('Import');
  return settle(ctx, row);
}

/**
 * Changes an import's metadata and applies tags (by name, which must exist) and projects (which
 * must exist) to every one of its responses, in one transaction. A new metric type also becomes
 * the metric type of its responses.
 */
export async function updateImport(ctx: ServiceContext, input: UpdateImportInput) {
  const workspaceId = await feedbackWorkspace(ctx);
  const current = await findImport(ctx, workspaceId, input.id);
  const issues = metadataIssues(input, []);
  let metricType: MetricType | undefined;
  if (input.metricTypeText !== undefined && input.metricTypeText !== null) {
    metricType = parseMetricType(input.metricTypeText);
    if (!metricType)
      issues.push({ path: ['metricType'], code: 'INVALID_VALUE', message: `Unknown metric type ${input.metricTypeText}: use NPS, CSAT, CES or OTHER` });
  }
  const tagNames = [...new Set((input.tagNames ?? []).map((n) => n.trim().toUpperCase()))];
  const tags = tagNames.length ? await ctx.db.tag.findMany({ where: { workspaceId, name: { in: tagNames } }, select: { id: true, name: true } }) : [];
  (input.tagNames ?? []).forEach((n, i) => {
    if (!tags.some((t) => t.name === n.trim().toUpperCase())) issues.push({ path: ['tagNames', String(i)], code: 'NOT_FOUND', message: `No tag named ${n}` });
  });
  const projectIds = [...new Set(input.projectIds ?? [])];
  const projects = projectIds.length ? await ctx.db.project.findMany({ where: { workspaceId, id: { in: projectIds } }, select: { id: true } }) : [];
  (input.projectIds ?? []).forEach((id, i) => {
    if (!projects.some((p) => p.id === id)) issues.push({ path: ['projectIds', String(i)], code: 'NOT_FOUND', message: 'Project not found' });
  });
  assertNoIssues(issues);
  if (current.status === 'DELETING') throw conflict('The import is being deleted');
  if ((tags.length || projects.length || metricType) && (current.status === 'QUEUED' || current.status === 'RUNNING')) {
    throw conflict('The import is still being written; change its responses once its job has finished');
  }

  return ctx.db.$transaction(
    async (tx) => {
      const updated = await tx.import.update({
        where: { id: current.id },
        data: {
          name: input.name?.trim() || undefined,
          source: blankToNull(input.source),
          language: blankToNull(input.language),
          secondaryProductCategoryId: input.secondaryProductCategoryId === undefined ? undefined : input.secondaryProductCategoryId || null,
          metricType,
        },
      });
      if (metricType && metricType !== current.metricType) {
        await tx.$executeRaw`UPDATE "Response" SET "metricType" = CAST(${metricType} AS "MetricType"), "updatedAt" = now()
          WHERE "workspaceId" = CAST(${workspaceId} AS uuid) AND "importId" = CAST(${current.id} AS uuid)`;
      }
      if (tags.length) {
        await tx.$executeRaw`INSERT INTO "ResponseTag" ("responseId", "tagId", "feedbackDate")
          SELECT r.id, t.id, r."feedbackDate" FROM "Response" r CROSS JOIN unnest(CAST(${tags.map((t) => t.id)} AS uuid[])) AS t(id)
          WHERE r."workspaceId" = CAST(${workspaceId} AS uuid) AND r."importId" = CAST(${current.id} AS uuid)
          ON CONFLICT DO NOTHING`;
      }
      if (projects.length) {
        await tx.$executeRaw`INSERT INTO "ResponseProject" ("responseId", "projectId", "feedbackDate")
          SELECT r.id, p.id, r."feedbackDate" FROM "Response" r CROSS JOIN unnest(CAST(${projects.map((p) => p.id)} AS uuid[])) AS p(id)
          WHERE r."workspaceId" = CAST(${workspaceId} AS uuid) AND r."importId" = CAST(${current.id} AS uuid)
          ON CONFLICT DO NOTHING`;
      }
      return updated;
    },
    { timeout: 120_000 },
  );
}

/** Marks the import DELETING and starts a DELETE_IMPORT job, in one transaction. */
export async function deleteImport(ctx: ServiceContext, id: string) {
  const workspaceId = await feedbackWorkspace(ctx);
  const current = await findImport(ctx, workspaceId, id);
  if (current.status === 'DELETING') throw conflict('The import is already being deleted');
  if (current.status === 'QUEUED' || current.status === 'RUNNING') throw conflict('The import is still being written; cancel its job or wait for it to finish');
  return ctx.db.$transaction(async (tx) => {
    // the status check above is repeated atomically: only one delete job per import
    const marked = await tx.import.updateMany({
      where: { id, workspaceId, status: { in: ['COMPLETED', 'FAILED'] } },
      data: { status: 'DELETING', errorMessage: null },
    });
    if (marked.count === 0) throw conflict('The import is already being deleted');
    const job = await enqueueJob(ctx, { kind: DELETE_IMPORT_JOB, params: { importId: id }, name: `Delete import ${current.name}` }, tx);
    return tx.import.update({ where: { id }, data: { deleteJobId: job.id } });
  });
}
