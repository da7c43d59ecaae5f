import { Prisma } from '../../generated/prisma/client.js';
import type { FieldIssue } from '../../errors.js';
import { assertNoIssues } from '../../errors.js';
import type { MetricType } from './tag.rules.js';
import { dateComparison, type DateBound, type DateRelation } from '../../core/date-bounds.js';
import { escapeLike } from '../../db/like.js';

export type SentimentFilter = 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'NONE';

/** Filters of the responses list and metrics. Lists are any-of; different filters all apply. */
export interface ResponseFilter {
  surveyIds?: string[] | null;
  projectIds?: string[] | null;
  tagIds?: string[] | null;
  /** responses with a tag (of tagIds, else any) whose own sentiment is one of these */
  tagSentimentIn?: SentimentFilter[] | null;
  sentimentIn?: SentimentFilter[] | null;
  metricTypeIn?: MetricType[] | null;
  scoreMin?: number | null;
  scoreMax?: number | null;
  /** inclusive; a day from its start */
  feedbackDateFrom?: DateBound | null;
  /** inclusive; a day to its end */
  feedbackDateTo?: DateBound | null;
  /** case-insensitive substring of the feedback text */
  text?: string | null;
  importIds?: string[] | null;
}

export const MAX_FILTER_TEXT = 512;
export const MAX_FILTER_IDS = 100;

const uuids = (ids: string[]) => Prisma.sql`CAST(${ids} AS uuid[])`;

export function filterIssues(f: ResponseFilter, path: string[] = ['filter']): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const k of ['surveyIds', 'projectIds', 'tagIds', 'importIds'] as const) {
    if ((f[k]?.length ?? 0) > MAX_FILTER_IDS) issues.push({ path: [...path, k], code: 'TOO_MANY', message: `At most ${MAX_FILTER_IDS} ids` });
  }
  if (f.text && f.text.length > MAX_FILTER_TEXT)
    issues.push({ path: [...path, 'text'], code: 'TOO_LONG', message: `text is at most ${MAX_FILTER_TEXT} characters` });
  if (f.scoreMin != null && f.scoreMax != null && f.scoreMin > f.scoreMax)
    issues.push({ path: [...path, 'scoreMax'], code: 'OUT_OF_RANGE', message: 'scoreMax must not be below scoreMin' });
  if (f.feedbackDateFrom && f.feedbackDateTo && f.feedbackDateFrom.start > f.feedbackDateTo.end)
    issues.push({ path: [...path, 'feedbackDateTo'], code: 'OUT_OF_RANGE', message: 'feedbackDateTo must not be before feedbackDateFrom' });
  return issues;
}

/** A sentiment column is one of the labels (NONE: no sentiment). */
function sentimentSql(col: Prisma.Sql, list: SentimentFilter[]): Prisma.Sql {
  const labels = list.filter((s) => s !== 'NONE');
  const or: Prisma.Sql[] = [];
  if (labels.length) or.push(Prisma.sql`CAST(${col} AS text) = ANY(CAST(${labels} AS text[]))`);
  if (list.includes('NONE')) or.push(Prisma.sql`${col} IS NULL`);
  return or.length ? Prisma.sql`(${Prisma.join(or, ' OR ')})` : Prisma.sql`false`;
}

/** The date range on a feedbackDate column (core/date-bounds.ts: a day is the whole day). */
function feedbackDateSql(col: Prisma.Sql, f: ResponseFilter): Prisma.Sql[] {
  const on = (relation: DateRelation, bound: DateBound) => {
    const c = dateComparison(relation, bound);
    return Prisma.sql`${col} ${Prisma.raw(c.op)} ${c.at}`;
  };
  return [...(f.feedbackDateFrom ? [on('ON_OR_AFTER', f.feedbackDateFrom)] : []), ...(f.feedbackDateTo ? [on('ON_OR_BEFORE', f.feedbackDateTo)] : [])];
}

/**
 * The WHERE clause over `"Response" r` for a workspace and a filter. Tag and project filters
 * repeat the date range on the join table (which copies feedbackDate), so PostgreSQL can start
 * from the (tagId, feedbackDate) index when the tag is the selective part.
 */
export function responseWhereSql(workspaceId: string, f: ResponseFilter = {}): Prisma.Sql {
  assertNoIssues(filterIssues(f), 'Invalid filter');
  const parts: Prisma.Sql[] = [Prisma.sql`r."workspaceId" = CAST(${workspaceId} AS uuid)`];
  const dateOn = (col: Prisma.Sql) => feedbackDateSql(col, f);
  parts.push(...dateOn(Prisma.sql`r."feedbackDate"`));
  if (f.surveyIds) parts.push(Prisma.sql`r."surveyId" = ANY(${uuids(f.surveyIds)})`);
  if (f.importIds) parts.push(Prisma.sql`r."importId" = ANY(${uuids(f.importIds)})`);
  if (f.metricTypeIn) parts.push(Prisma.sql`CAST(r."metricType" AS text) = ANY(CAST(${f.metricTypeIn} AS text[]))`);
  if (f.sentimentIn) parts.push(sentimentSql(Prisma.sql`r.sentiment`, f.sentimentIn));
  if (f.scoreMin != null) parts.push(Prisma.sql`r.score >= ${f.scoreMin}`);
  if (f.scoreMax != null) parts.push(Prisma.sql`r.score <= ${f.scoreMax}`);
  if (f.text) parts.push(Prisma.sql`r.feedback ILIKE ${`%${escapeLike(f.text)}%`}`);
  if (f.tagIds || f.tagSentimentIn) {
    const c = [
      Prisma.sql`rt."responseId" = r.id`,
      ...(f.tagIds ? [Prisma.sql`rt."tagId" = ANY(${uuids(f.tagIds)})`] : []),
      ...dateOn(Prisma.sql`rt."feedbackDate"`),
    ];
    if (f.tagSentimentIn) c.push(sentimentSql(Prisma.sql`rt.sentiment`, f.tagSentimentIn));
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
  const parts = [Prisma.sql`rt."tagId" = CAST(${f.tagIds[0]!} AS uuid)`, ...feedbackDateSql(Prisma.sql`rt."feedbackDate"`, f)];
  if (f.tagSentimentIn) parts.push(sentimentSql(Prisma.sql`rt.sentiment`, f.tagSentimentIn));
  parts.push(responseWhereSql(workspaceId, { ...f, tagIds: null, tagSentimentIn: null }));
  return { from: Prisma.sql`"ResponseTag" rt JOIN "Response" r ON r.id = rt."responseId"`, where: Prisma.join(parts, ' AND '), singleTag: true };
}
