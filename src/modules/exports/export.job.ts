/**
 * The EXPORT job: streams a workspace's responses (or per-user aggregates) from a PostgreSQL
 * cursor, FETCH by FETCH, through csv-stringify into <dataDir>/exports/<id>.csv. Memory holds one
 * fetch of rows whatever the size of the workspace.
 *
 * RESPONSES columns are the import columns (feedback, feedback_date, user_id, score, then every
 * custom property key of the workspace in name order) followed by tags and sentiment; dropping
 * those last two gives a file createImport accepts and that re-imports to the same responses.
 * USERS has one row per user_id: responses, average score (2 decimals, blank when no score) and
 * the last feedback date.
 */
import type { Db, Tx } from '../../db/prisma.js';
import type { Config } from '../../config.js';
import type { JobRun } from '../../core/jobs/job-run.js';
import { handleJobKind } from '../../core/jobs/registry.js';
import { formatFeedbackDate } from '../imports/csv/values.js';
import { writeCsvFile, type Cell } from './csv-writer.js';
import { EXPORT_JOB, exportFile } from './export.service.js';

export const FETCH_SIZE = 2000;

export type ExportRun = Pick<JobRun, 'log' | 'progress' | 'throwIfCancelled'> & { signal?: AbortSignal };

/** FETCHes a declared cursor until it is exhausted. */
async function* cursorPages<T>(tx: Tx, cursor: string): AsyncGenerator<T[]> {
  for (;;) {
    const rows = await tx.$queryRawUnsafe<T[]>(`FETCH ${FETCH_SIZE} FROM ${cursor}`);
    if (rows.length === 0) return;
    yield rows;
  }
}

async function* mapPages<T>(pages: AsyncIterable<T[]>, f: (row: T) => Cell[]): AsyncGenerator<Cell[][]> {
  for await (const page of pages) yield page.map(f);
}

const scoreText = (score: number | null) => (score === null ? '' : String(score));

export async function runExport(db: Db, config: Pick<Config, 'dataDir'>, params: { exportId: string }, run: ExportRun): Promise<void> {
  const exp = await db.export.findUnique({ where: { id: params.exportId } });
  if (!exp) return;
  if (exp.status === 'COMPLETED') return;
  const { workspaceId } = exp;
  await db.export.update({ where: { id: exp.id }, data: { status: 'RUNNING' } });
  const file = exportFile(config, exp.id);
  try {
    const result = await db.$transaction(
      async (tx) => {
        if (exp.type === 'RESPONSES') {
          const total = await tx.response.count({ where: { workspaceId } });
          const keys = (
            await tx.$queryRaw<{ key: string }[]>`
              SELECT DISTINCT p.key FROM "ResponseProperty" p JOIN "Response" r ON r.id = p."responseId"
              WHERE r."workspaceId" = CAST(${workspaceId} AS uuid) ORDER BY p.key`
          ).map((k) => k.key);
          // a property named like a fixed column would be ambiguous: prefix it
          const fixed = new Set(['feedback', 'feedback_date', 'user_id', 'score', 'tags', 'sentiment']);
          const header = [
            'feedback',
            'feedback_date',
            'user_id',
            'score',
            ...keys.map((k) => (fixed.has(k.toLowerCase()) ? `property_${k}` : k)),
            'tags',
            'sentiment',
          ];
          await run.log('INFO', `Exporting ${total} responses with ${keys.length} property column(s)`);
          await run.progress(0, total);
          await tx.$executeRaw`
            DECLARE export_cursor NO SCROLL CURSOR FOR
            SELECT r.feedback, r."feedbackDate", r."userId", r.score, r.sentiment,
              (SELECT jsonb_object_agg(p.key, p.value) FROM "ResponseProperty" p WHERE p."responseId" = r.id) AS properties,
              (SELECT string_agg(t.name, ',' ORDER BY t.name) FROM "ResponseTag" rt JOIN "Tag" t ON t.id = rt."tagId" WHERE rt."responseId" = r.id) AS tags
            FROM "Response" r
            WHERE r."workspaceId" = CAST(${workspaceId} AS uuid)
            ORDER BY r."feedbackDate" DESC, r.id DESC`;
          type Row = {
            feedback: string | null;
            feedbackDate: Date;
            userId: string | null;
            score: number | null;
            sentiment: string | null;
            properties: Record<string, string> | null;
            tags: string | null;
          };
          return writeCsvFile(
            file,
            header,
            mapPages(cursorPages<Row>(tx, 'export_cursor'), (r) => [
              r.feedback ?? '',
              formatFeedbackDate(r.feedbackDate),
              r.userId ?? '',
              scoreText(r.score),
              ...keys.map((k) => r.properties?.[k] ?? ''),
              r.tags ?? '',
              r.sentiment ?? '',
            ]),
            { signal: run.signal, onPage: (n) => (run.throwIfCancelled(), run.progress(n, Math.max(total, n))) },
          );
        }
        const total = Number(
          (
            await tx.$queryRaw<
              { n: number }[]
            >`SELECT CAST(count(DISTINCT "userId") AS int) AS n FROM "Response" WHERE "workspaceId" = CAST(${workspaceId} AS uuid) AND "userId" IS NOT NULL`
          )[0]!.n,
        );
        await run.log('INFO', `Exporting ${total} users`);
        await run.progress(0, total);
        await tx.$executeRaw`
          DECLARE export_cursor NO SCROLL CURSOR FOR
          SELECT "userId", CAST(count(*) AS int) AS responses, CAST(round(CAST(avg(score) AS numeric), 2) AS float8) AS average_score, max("feedbackDate") AS last_date
          FROM "Response" WHERE "workspaceId" = CAST(${workspaceId} AS uuid) AND "userId" IS NOT NULL
          GROUP BY "userId" ORDER BY "userId"`;
        type Row = { userId: string; responses: number; average_score: number | null; last_date: Date };
        return writeCsvFile(
          file,
          ['user_id', 'response_count', 'average_score', 'last_feedback_date'],
          mapPages(cursorPages<Row>(tx, 'export_cursor'), (r) => [
            r.userId,
            r.responses,
            r.average_score === null ? '' : r.average_score,
            formatFeedbackDate(r.last_date),
          ]),
          { signal: run.signal, onPage: (n) => (run.throwIfCancelled(), run.progress(n, Math.max(total, n))) },
        );
      },
      { timeout: 60 * 60_000, maxWait: 30_000 },
    );
    await db.export.update({ where: { id: exp.id }, data: { status: 'COMPLETED', rowCount: result.rows, byteSize: result.bytes, finishedAt: new Date() } });
    await run.log('INFO', `Wrote ${result.rows} rows (${result.bytes} bytes)`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.export.update({ where: { id: exp.id }, data: { status: 'FAILED', errorMessage: message.slice(0, 1000), finishedAt: new Date() } });
    throw error;
  }
}

export const exportJobKinds = [handleJobKind(EXPORT_JOB, (params, job) => runExport(job.db, job.ctx.config, params, job))];
