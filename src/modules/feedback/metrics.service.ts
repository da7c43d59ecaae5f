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

/** The one aggregate statement behind ResponseMetrics. */
export const responseMetricsSql = (workspaceId: string, filter: ResponseFilter) => Prisma.sql`
    SELECT CAST(count(*) AS int) AS n,
      CAST(count(*) FILTER (WHERE r."metricType" = 'NPS' AND r.score IS NOT NULL) AS int) AS nps_n,
      CAST(count(*) FILTER (WHERE r."metricType" = 'NPS' AND r.score >= 9) AS int) AS pro,
      CAST(count(*) FILTER (WHERE r."metricType" = 'NPS' AND r.score <= 6) AS int) AS det,
      CAST(count(*) FILTER (WHERE r."metricType" = 'CSAT' AND r.score IS NOT NULL) AS int) AS csat_n,
      CAST(count(*) FILTER (WHERE r."metricType" = 'CSAT' AND r.score >= 4) AS int) AS csat_ok,
      CAST(count(*) FILTER (WHERE r."metricType" = 'CES' AND r.score IS NOT NULL) AS int) AS ces_n,
      avg(r.score) FILTER (WHERE r."metricType" = 'CES') AS ces_avg
    FROM ${responseSourceSql(workspaceId, filter).from} WHERE ${responseSourceSql(workspaceId, filter).where}`;

export async function responseMetrics(db: Db, workspaceId: string, filter: ResponseFilter): Promise<ResponseMetrics> {
  const rows: Array<{ n: number; nps_n: number; pro: number; det: number; csat_n: number; csat_ok: number; ces_n: number; ces_avg: number | null }> =
    await db.$queryRaw(responseMetricsSql(workspaceId, filter));
  const m = rows[0]!;
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
