/**
 * The write pass of an import (job kind IMPORT) and the deletion of one (DELETE_IMPORT).
 *
 * IMPORT reads the staged rows a page at a time and, in ONE transaction, inserts the responses
 * (with sentiment computed as they are written), their custom properties, and applies the
 * workspace's automatic tags to them; then marks the import COMPLETED and `sampleAnalyzed`. A
 * failure or a cancellation rolls everything back: an import is written entirely or not at all.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/prisma.js';
import type { JobRun } from '../../core/jobs/job-run.js';
import { handleJobKind } from '../../core/jobs/registry.js';
import { analyzeSentiment } from '../feedback/sentiment.js';
import { applyAutoTags } from '../feedback/autotag.js';
import { canonicalProperty } from './csv/values.js';
import type { ImportColumn } from './csv/validate.js';
import { dropStaged, stagedPage, sweepStaged } from './staging.js';
import { DELETE_IMPORT_JOB, IMPORT_JOB } from './import.service.js';

export const WRITE_PAGE = 2000;
export const DELETE_CHUNK = 5000;

export type ImportRun = Pick<JobRun, 'log' | 'progress' | 'throwIfCancelled'>;

export async function writeImport(db: Db, params: { importId: string }, run: ImportRun): Promise<void> {
  const imp = await db.import.findUnique({ where: { id: params.importId } });
  if (!imp) {
    await run.log('WARN', 'The import no longer exists; nothing to do');
    return;
  }
  if (imp.status !== 'QUEUED' && imp.status !== 'RUNNING') {
    await run.log('INFO', `The import is ${imp.status}; nothing to do`);
    return;
  }
  // staged rows of uploads abandoned mid-validation (a crashed request) go now and then
  await sweepStaged(db);
  const { workspaceId, uploadId, metricType } = imp;
  const columns = (imp.columns as unknown as ImportColumn[]).filter((c) => c.role === 'PROPERTY');
  const total = imp.validRows;
  await db.import.update({ where: { id: imp.id }, data: { status: 'RUNNING' } });
  await run.log('INFO', `Writing ${total} responses from ${imp.fileName}`, { importId: imp.id, columns: columns.map((c) => `${c.name}:${c.dataType}`) });
  await run.progress(0, total);

  try {
    const written = await db.$transaction(
      async (tx) => {
        // The rows this transaction inserts are invisible to the planner's statistics: a large
        // import into a young table would otherwise have every page's tagging statement scan
        // all the responses written so far (quadratic). Every statement here has an index path.
        await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
        let after = 0;
        let done = 0;
        let tagged = 0;
        for (;;) {
          run.throwIfCancelled();
          const page = await stagedPage(tx, uploadId, after, WRITE_PAGE);
          if (page.length === 0) break;
          const ids = page.map(() => randomUUID());
          const sentiments = page.map((r) => analyzeSentiment(r.feedback));
          await tx.$executeRaw`
            INSERT INTO "Response" ("id", "workspaceId", "importId", "feedback", "feedbackDate", "userId", "score", "metricType", "sentiment", "sentimentScore")
            SELECT s.id, CAST(${workspaceId} AS uuid), CAST(${imp.id} AS uuid), s.feedback, s.date, s.user_id, s.score,
                   CAST(${metricType} AS "MetricType"), CAST(s.sentiment AS "Sentiment"), s.sentiment_score
            FROM unnest(
              CAST(${ids} AS uuid[]),
              CAST(${page.map((r) => r.feedback)} AS text[]),
              CAST(${page.map((r) => r.feedbackDate.toISOString())} AS timestamp(3)[]),
              CAST(${page.map((r) => r.userId)} AS text[]),
              CAST(${page.map((r) => r.score)} AS float8[]),
              CAST(${sentiments.map((s) => s.sentiment)} AS text[]),
              CAST(${sentiments.map((s) => s.sentimentScore)} AS float8[])
            ) AS s(id, feedback, date, user_id, score, sentiment, sentiment_score)`;
          const propResponse: string[] = [];
          const propKey: string[] = [];
          const propType: string[] = [];
          const propValue: string[] = [];
          page.forEach((r, i) => {
            for (const c of columns) {
              const text = r.properties[c.name];
              if (text === undefined) continue;
              propResponse.push(ids[i]!);
              propKey.push(c.name);
              propType.push(c.dataType!);
              propValue.push(canonicalProperty(text, c.dataType!));
            }
          });
          if (propResponse.length) {
            await tx.$executeRaw`
              INSERT INTO "ResponseProperty" ("id", "responseId", "key", "dataType", "value")
              SELECT gen_random_uuid(), s.response_id, s.key, CAST(s.data_type AS "PropertyDataType"), s.value
              FROM unnest(CAST(${propResponse} AS uuid[]), CAST(${propKey} AS text[]), CAST(${propType} AS text[]), CAST(${propValue} AS text[]))
                AS s(response_id, key, data_type, value)`;
          }
          tagged += await applyAutoTags(tx, workspaceId, { responseIds: ids });
          done += page.length;
          after = page[page.length - 1]!.row;
          await run.progress(done, total);
        }
        await tx.import.update({ where: { id: imp.id }, data: { status: 'COMPLETED', writtenRows: done, sampleAnalyzed: true, errorMessage: null } });
        await dropStaged(tx, uploadId);
        return { done, tagged };
      },
      { timeout: 30 * 60_000, maxWait: 30_000 },
    );
    await run.log('INFO', `Wrote ${written.done} responses; sentiment analysed; ${written.tagged} automatic tag assignment(s)`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.import.update({ where: { id: imp.id }, data: { status: 'FAILED', errorMessage: message.slice(0, 1000) } });
    await dropStaged(db, uploadId);
    await run.log('ERROR', `Nothing was written: ${message}`);
    throw error;
  }
}

/** Deletes the import's responses in chunks (their tags, projects and properties cascade), then the import. */
export async function deleteImportResponses(db: Db, params: { importId: string }, run: ImportRun): Promise<void> {
  const imp = await db.import.findUnique({ where: { id: params.importId } });
  if (!imp) return;
  const total = await db.response.count({ where: { workspaceId: imp.workspaceId, importId: imp.id } });
  await run.log('INFO', `Deleting ${total} responses of import ${imp.name}`);
  await run.progress(0, total);
  let done = 0;
  for (;;) {
    run.throwIfCancelled();
    const n = await db.$executeRaw`
      DELETE FROM "Response" WHERE id IN (
        SELECT id FROM "Response" WHERE "workspaceId" = CAST(${imp.workspaceId} AS uuid) AND "importId" = CAST(${imp.id} AS uuid) LIMIT ${DELETE_CHUNK})`;
    if (n === 0) break;
    done += n;
    await run.progress(done, Math.max(total, done));
  }
  await db.$transaction([db.importStagingRow.deleteMany({ where: { uploadId: imp.uploadId } }), db.import.delete({ where: { id: imp.id } })]);
  await run.log('INFO', `Deleted the import and ${done} responses`);
}

export const importJobKinds = [
  handleJobKind(IMPORT_JOB, (params, job) => writeImport(job.db, params, job)),
  handleJobKind(DELETE_IMPORT_JOB, (params, job) => deleteImportResponses(job.db, params, job)),
];
