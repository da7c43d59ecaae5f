import { Prisma } from '../../generated/prisma/client.js';
import type { FieldIssue } from '../../errors.js';
import { assertNoIssues } from '../../errors.js';
import type { MetricType } from './tag.rules.js';

export type SentimentFilter = 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'NONE';

/** Filters of the responses list and metrics. Lists are any-of; different filters all apply. */
export interface ResponseFilter {
  surveyIds?: string[] | null;
  projectIds?: string[] | null;
  tagIds?: string[] | null;
  sentimentIn?: SentimentFilter[] | null;
  metricTypeIn?: MetricType[] | null;
  scoreMin?: number | null;
  scoreMax?: number | null;
  /** inclusive */
  feedbackDateFrom?: Date | null;
  /** exclusive */
  feedbackDateTo?: Date | null;
  /** case-insensitive substring of the feedback text */
  text?: string | null;
  importIds?: string[] | null;
}

export const MAX_FILTER_TEXT = 512;
export const MAX_FILTER_IDS = 100;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const uuids = (ids: string[]) => Prisma.sql`CAST(${ids} AS uuid[])`;

export function filterIssues(f: ResponseFilter, path: string[] = ['filter']): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const k of ['surveyIds', 'projectIds', 'tagIds', 'importIds'] as const) {
    if ((f[k]?.length ?? 0) > MAX_FILTER_IDS) issues.push({ path: [...path, k], code: 'TOO_MANY', message: `At most ${MAX_FILTER_IDS} ids` });
  }
  if (f.text && f.text.length > MAX_FILTER_TEXT) issues.push({ path: [...path, 'text'], code: 'TOO_LONG', message: `text is at most ${MAX_FILTER_TEXT} characters` });
  if (f.scoreMin != null && f.scoreMax != null && f.scoreMin > f.scoreMax) issues.push({ path: [...path, 'scoreMax'], code: 'OUT_OF_RANGE', message: 'scoreMax must not be below scoreMin' });
  if (f.feedbackDateFrom && f.feedbackDateTo && f.feedbackDateFrom > f.feedbackDateTo)
    issues.push({ path: [...path, 'feedbackDateTo'], code: 'OUT_OF_RANGE', message: 'feedbackDateTo must not be before feedbackDateFrom' });
  return issues;
}

/**
 * The WHERE clause over `"Response" r` for a workspace and a filter. Tag and project filters
 * repeat the date range on the join table (which copies feedbackDate), so PostgreSQL can start
 * from the (tagId, feedbackDate) index when the tag is the selective part.
 */
export function responseWhereSql(workspaceId: string, f: ResponseFilter = {}): Prisma.Sql {
  assertNoIssues(filterIssues(f), 'Invalid filter');
  const parts: Prisma.Sql[] = [Prisma.sql`r."workspaceId" = CAST(${workspaceId} AS uuid)`];
  const dateOn = (col: Prisma.Sql) => {
    const c: Prisma.Sql[] = [];
    if (f.feedbackDateFrom) c.push(Prisma.sql`${col} >= ${f.feedbackDateFrom}`);
    if (f.feedbackDateTo) c.push(Prisma.sql`${col} < ${f.feedbackDateTo}`);
    return c;
  };
  parts.push(...dateOn(Prisma.sql`r."feedbackDate"`));
  if (f.surveyIds) parts.push(Prisma.sql`r."surveyId" = ANY(${uuids(f.surveyIds)})`);
  if (f.importIds) parts.push(Prisma.sql`r."importId" = ANY(${uuids(f.importIds)})`);
  if (f.metricTypeIn) parts.push(Prisma.sql`CAST(r."metricType" AS text) = ANY(CAST(${f.metricTypeIn} AS text[]))`);
  if (f.sentimentIn) {
    const labels = f.sentimentIn.filter((s) => s !== 'NONE');
    const or: Prisma.Sql[] = [];
    if (labels.length) or.push(Prisma.sql`CAST(r.sentiment AS text) = ANY(CAST(${labels} AS text[]))`);
    if (f.sentimentIn.includes('NONE')) or.push(Prisma.sql`r.sentiment IS NULL`);
    parts.push(or.length ? Prisma.sql`(${Prisma.join(or, ' OR ')})` : Prisma.sql`false`);
  }
  if (f.scoreMin != null) parts.push(Prisma.sql`r.score >= ${f.scoreMin}`);
  if (f.scoreMax != null) parts.push(Prisma.sql`r.score <= ${f.scoreMax}`);
  if (f.text) parts.push(Prisma.sql`r.feedback ILIKE ${`%${likeEscape(f.text)}%`}`);
  if (f.tagIds) {
    const c = [Prisma.sql`rt."responseId" = r.id`, Prisma.sql`rt."tagId" = ANY(${uuids(f.tagIds)})`, ...dateOn(Prisma.sql`rt."feedbackDate"`)];
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "ResponseTag" rt WHERE ${Prisma.join(c, ' AND ')})`);
  }
  if (f.projectIds) {
    const c = [Prisma.sql`rp."responseId" = r.id`, Prisma.sql`rp."projectId" = ANY(${uuids(f.projectIds)})`, ...dateOn(Prisma.sql`rp."feedbackDate"`)];
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "ResponseProject" rp WHERE ${Prisma.join(c, ' AND ')})`);
  }
  return Prisma.join(parts, ' AND ');
}

/**
 * `FROM ... WHERE ...` over the responses of a filter, as `r`. With exactly one tag it starts
 * from that tag's rows in ResponseTag (`rt`, a range of its (tagId, feedbackDate) index) and
 * joins each to its response, which beats an EXISTS probe whenever the tag is a small part of
 * the date range; otherwise it reads Response with the filter as an EXISTS.
 */
export function responseSourceSql(workspaceId: string, f: ResponseFilter = {}): { from: Prisma.Sql; where: Prisma.Sql; singleTag: boolean } {
  if (f.tagIds?.length !== 1) return { from: Prisma.sql`"Response" r`, where: responseWhereSql(workspaceId, f), singleTag: false };
  const parts = [Prisma.sql`rt."tagId" = CAST(${f.tagIds[0]!} AS uuid)`];
  if (f.feedbackDateFrom) parts.push(Prisma.sql`rt."feedbackDate" >= ${f.feedbackDateFrom}`);
  if (f.feedbackDateTo) parts.push(Prisma.sql`rt."feedbackDate" < ${f.feedbackDateTo}`);
  parts.push(responseWhereSql(workspaceId, { ...f, tagIds: null }));
  return { from: Prisma.sql`"ResponseTag" rt JOIN "Response" r ON r.id = rt."responseId"`, where: Prisma.join(parts, ' AND '), singleTag: true };
}
