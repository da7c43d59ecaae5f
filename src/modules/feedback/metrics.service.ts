import type { Db } from '../../db/prisma.js';
import { Prisma } from '../../generated/prisma/client.js';
import { roundTo } from '../../core/rounding.js';
import { responseSourceSql, type ResponseFilter } from './response.filter.js';

/**
 * Score metrics of a filtered set, in one SQL aggregate:
 * - NPS over responses with metricType NPS and a score: % promoters (9-10) - % detractors (0-6),
 *   -100..100; null when there are none.
 * - CSAT over CSAT responses (1..5): % of scores >= 4 ("satisfied" or better); null when none.
 * - CES over CES responses (1..7): the average score; null when none.
 * - responseCount: every response in the set, whatever its metric.
 * Scores are rounded to two decimals: people read them, and 16.666666666666664 says no more.
 */
export interface ResponseMetrics {
  responseCount: number;
  npsResponseCount: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
  csatResponseCount: number;
  csat: number | null;
  cesResponseCount: number;
  ces: number | null;
}

/** The aggregates behind ResponseMetrics, over responses `r`. */
const METRICS_COLUMNS = Prisma.sql`CAST(count(*) AS int) AS n,
      CAST(count(*) FILTER (WHERE r."metricType" = 'NPS' AND r.score IS NOT NULL) AS int) AS nps_n,
      CAST(count(*) FILTER (WHERE r."metricType" = 'NPS' AND r.score >= 9) AS int) AS pro,
      CAST(count(*) FILTER (WHERE r."metricType" = 'NPS' AND r.score <= 6) AS int) AS det,
      CAST(count(*) FILTER (WHERE r."metricType" = 'CSAT' AND r.score IS NOT NULL) AS int) AS csat_n,
      CAST(count(*) FILTER (WHERE r."metricType" = 'CSAT' AND r.score >= 4) AS int) AS csat_ok,
      CAST(count(*) FILTER (WHERE r."metricType" = 'CES' AND r.score IS NOT NULL) AS int) AS ces_n,
      avg(r.score) FILTER (WHERE r."metricType" = 'CES') AS ces_avg`;

interface MetricsRow {
  n: number;
  nps_n: number;
  pro: number;
  det: number;
  csat_n: number;
  csat_ok: number;
  ces_n: number;
  ces_avg: number | null;
}

/** The one aggregate statement behind ResponseMetrics. */
export const responseMetricsSql = (workspaceId: string, filter: ResponseFilter) => Prisma.sql`
    SELECT ${METRICS_COLUMNS}
    FROM ${responseSourceSql(workspaceId, filter).from} WHERE ${responseSourceSql(workspaceId, filter).where}`;

export async function responseMetrics(db: Db, workspaceId: string, filter: ResponseFilter): Promise<ResponseMetrics> {
  const rows: MetricsRow[] = await db.$queryRaw(responseMetricsSql(workspaceId, filter));
  return toMetrics(rows[0]!);
}

const NO_RESPONSES: MetricsRow = { n: 0, nps_n: 0, pro: 0, det: 0, csat_n: 0, csat_ok: 0, ces_n: 0, ces_avg: null };

/** The metrics of each import's responses, in one statement for all of them. */
export async function importMetrics(db: Db, workspaceId: string, importIds: readonly string[]): Promise<ResponseMetrics[]> {
  const rows: (MetricsRow & { importId: string })[] = await db.$queryRaw`
    SELECT CAST(r."importId" AS text) AS "importId", ${METRICS_COLUMNS}
    FROM "Response" r WHERE r."workspaceId" = CAST(${workspaceId} AS uuid) AND r."importId" = ANY(CAST(${[...importIds]} AS uuid[]))
    GROUP BY r."importId"`;
  const byImport = new Map(rows.map((row) => [row.importId, row]));
  return importIds.map((id) => toMetrics(byImport.get(id) ?? NO_RESPONSES));
}

function toMetrics(m: MetricsRow): ResponseMetrics {
  return {
    responseCount: m.n,
    npsResponseCount: m.nps_n,
    promoters: m.pro,
    passives: m.nps_n - m.pro - m.det,
    detractors: m.det,
    nps: m.nps_n ? twoDecimals(((m.pro - m.det) / m.nps_n) * 100) : null,
    csatResponseCount: m.csat_n,
    csat: m.csat_n ? twoDecimals((m.csat_ok / m.csat_n) * 100) : null,
    cesResponseCount: m.ces_n,
    ces: m.ces_avg === null ? null : twoDecimals(Number(m.ces_avg)),
  };
}

const twoDecimals = (n: number) => roundTo(n, 2);
