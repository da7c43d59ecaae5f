/**
 * The staging table between the two passes of an import: the validation pass (in the upload
 * request) appends valid rows in batches; the write pass (the IMPORT job, in any worker process)
 * reads them back in row order, a page at a time. Multi-row statements over arrays (`unnest`)
 * keep it to one round trip per 1,000 rows.
 */
import type { Db, Tx } from '../../db/prisma.js';
import type { ValidRow } from './csv/validate.js';

export async function stageRows(db: Db | Tx, uploadId: string, rows: ValidRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$executeRaw`
    INSERT INTO "ImportStagingRow" ("uploadId", "row", "feedback", "feedbackDate", "userId", "score", "properties")
    SELECT CAST(${uploadId} AS uuid), s.row, s.feedback, s.date, s.user_id, s.score, CAST(s.properties AS jsonb)
    FROM unnest(
      CAST(${rows.map((r) => r.row)} AS int[]),
      CAST(${rows.map((r) => r.feedback)} AS text[]),
      CAST(${rows.map((r) => r.feedbackDate.toISOString())} AS timestamp(3)[]),
      CAST(${rows.map((r) => r.userId)} AS text[]),
      CAST(${rows.map((r) => r.score)} AS int[]),
      CAST(${rows.map((r) => JSON.stringify(r.properties))} AS text[])
    ) AS s(row, feedback, date, user_id, score, properties)`;
}

/** A staged row reads back exactly as it was validated. */
export type StagedRow = ValidRow;

/** Staged rows after `afterRow`, in row order. */
export async function stagedPage(db: Db | Tx, uploadId: string, afterRow: number, limit: number): Promise<StagedRow[]> {
  return db.$queryRaw<StagedRow[]>`
    SELECT "row", "feedback", "feedbackDate", "userId", "score", "properties"
    FROM "ImportStagingRow"
    WHERE "uploadId" = CAST(${uploadId} AS uuid) AND "row" > ${afterRow}
    ORDER BY "row" LIMIT ${limit}`;
}

export async function dropStaged(db: Db | Tx, uploadId: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "ImportStagingRow" WHERE "uploadId" = CAST(${uploadId} AS uuid)`;
}

/** Rows of uploads abandoned mid-validation (a crashed request) older than `hours`. */
export async function sweepStaged(db: Db, hours = 24): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "ImportStagingRow" s
    WHERE s."createdAt" < now() - make_interval(hours => ${hours})
      AND NOT EXISTS (SELECT 1 FROM "Import" i WHERE i."uploadId" = s."uploadId" AND i.status IN ('QUEUED', 'RUNNING'))`;
}
