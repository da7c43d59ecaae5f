import { Prisma } from '../../generated/prisma/client.js';
import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import type { Tx } from '../../db/prisma.js';
import { assertNoIssues, conflict, notFound, type FieldIssue } from '../../errors.js';
import { feedbackWorkspace, gateBeforeRefusal, onboardedColumn, passOnboardingGate } from './onboarding.service.js';
import { conflictOnDuplicate } from './unique.js';
import { analyzeSentiment } from './sentiment.js';
import { applyAutoTags } from './autotag.js';
import { propertyIssues, type PropertyInput } from './response.properties.js';
import { validateAnswers, type AnswerInput, type Question } from './survey.questions.js';
import { responseSourceSql, type ResponseFilter } from './response.filter.js';
import { keysetPage, pageWithFacts, selectKeysSql, type KeyRow, type SortKey } from './paging.js';
import type { PageArgs } from '../../core/paging/index.js';
import { rulesHoldSql, type MetricType } from './tag.rules.js';

export const MAX_FEEDBACK = 10_000;
/** Valid scores per metric type; OTHER takes any finite number. */
export const SCORE_RANGES: Record<Exclude<MetricType, 'OTHER'>, [number, number]> = { NPS: [0, 10], CSAT: [1, 5], CES: [1, 7] };

export interface ResponseCommon {
  feedbackDate?: Date | null;
  userId?: string | null;
  projectIds?: string[] | null;
  properties?: PropertyInput[] | null;
}

export interface CreateResponseInput extends ResponseCommon {
  feedback?: string | null;
  score?: number | null;
  metricType?: MetricType | null;
  /** MANUAL tags to put on it */
  tagIds?: string[] | null;
}

export interface SubmitResponseInput extends ResponseCommon {
  surveyId: string;
  answers: AnswerInput[];
  singleUseId?: string | null;
}

function commonIssues(input: ResponseCommon, issues: FieldIssue[]) {
  if (input.userId != null && (input.userId.length === 0 || input.userId.length > 200))
    issues.push({ path: ['input', 'userId'], code: 'INVALID_VALUE', message: 'userId is 1-200 characters' });
  if ((input.projectIds?.length ?? 0) > 50) issues.push({ path: ['input', 'projectIds'], code: 'TOO_MANY', message: 'At most 50 projects' });
  const { properties, issues: p } = propertyIssues(input.properties ?? [], ['input', 'properties']);
  issues.push(...p);
  return properties;
}

export function scoreIssues(score: number | null | undefined, metricType: MetricType, path: string[]): FieldIssue[] {
  if (score === null || score === undefined) return [];
  if (!Number.isFinite(score)) return [{ path, code: 'INVALID_VALUE', message: 'score must be a finite number' }];
  if (metricType === 'OTHER') return [];
  const [min, max] = SCORE_RANGES[metricType];
  if (score < min || score > max || (metricType === 'NPS' && !Number.isInteger(score)))
    return [{ path, code: 'OUT_OF_RANGE', message: `A ${metricType} score is ${metricType === 'NPS' ? 'an integer ' : ''}${min}..${max}` }];
  return [];
}

/**
 * Projects and MANUAL tags must exist in the workspace; unknown ids are reported as issues under
 * `base` (the argument holding projectIds/tagIds: `input`, or none when they are arguments themselves).
 */
async function checkRefs(tx: Tx, workspaceId: string, projectIds: string[], tagIds: string[], issues: FieldIssue[], base: string[] = ['input']) {
  if (projectIds.length) {
    const found = new Set((await tx.project.findMany({ where: { workspaceId, id: { in: projectIds } }, select: { id: true } })).map((p) => p.id));
    projectIds.forEach((id, i) => found.has(id) || issues.push({ path: [...base, 'projectIds', String(i)], code: 'NOT_FOUND', message: 'Project not found' }));
  }
  if (tagIds.length) {
    const tags = await tx.tag.findMany({ where: { workspaceId, id: { in: tagIds } }, select: { id: true, mode: true } });
    const byId = new Map(tags.map((t) => [t.id, t]));
    tagIds.forEach((id, i) => {
      const t = byId.get(id);
      if (!t) issues.push({ path: [...base, 'tagIds', String(i)], code: 'NOT_FOUND', message: 'Tag not found' });
      else if (t.mode !== 'MANUAL')
        issues.push({
          path: [...base, 'tagIds', String(i)],
          code: 'NOT_MANUAL',
          message: 'Only MANUAL tags are added by hand; automatic tags follow their terms and rules',
        });
    });
  }
}

interface NewResponse {
  workspaceId: string;
  surveyId: string | null;
  feedback: string | null;
  feedbackDate: Date;
  userId: string | null;
  score: number | null;
  metricType: MetricType;
  answers: unknown;
  singleUseId: string | null;
  projectIds: string[];
  properties: PropertyInput[];
  manualTagIds: string[];
}

/** Writes one response with sentiment, projects, properties, manual tags and automatic tags. */
async function insertResponse(tx: Tx, r: NewResponse) {
  const { sentiment, sentimentScore } = analyzeSentiment(r.feedback);
  const created = await tx.response.create({
    data: {
      workspaceId: r.workspaceId,
      surveyId: r.surveyId,
      feedback: r.feedback,
      feedbackDate: r.feedbackDate,
      userId: r.userId,
      score: r.score,
      metricType: r.metricType,
      sentiment,
      sentimentScore,
      answers: r.answers === null ? Prisma.JsonNull : (r.answers as Prisma.InputJsonValue),
      singleUseId: r.singleUseId,
      properties: { createMany: { data: r.properties } },
      projects: { createMany: { data: [...new Set(r.projectIds)].map((projectId) => ({ projectId, feedbackDate: r.feedbackDate })) } },
      tags: { createMany: { data: [...new Set(r.manualTagIds)].map((tagId) => ({ tagId, feedbackDate: r.feedbackDate })) } },
    },
    select: { id: true },
  });
  await applyAutoTags(tx, r.workspaceId, { responseIds: [created.id] });
  return created.id;
}

export async function createResponse(ctx: ServiceContext, input: CreateResponseInput): Promise<string> {
  const workspaceId = await feedbackWorkspace(ctx);
  const issues: FieldIssue[] = [];
  const feedback = input.feedback?.trim() || null;
  if (feedback && feedback.length > MAX_FEEDBACK)
    issues.push({ path: ['input', 'feedback'], code: 'TOO_LONG', message: `feedback is at most ${MAX_FEEDBACK} characters` });
  const metricType = input.metricType ?? 'OTHER';
  issues.push(...scoreIssues(input.score, metricType, ['input', 'score']));
  const properties = commonIssues(input, issues);
  if ((input.tagIds?.length ?? 0) > 100) issues.push({ path: ['input', 'tagIds'], code: 'TOO_MANY', message: 'At most 100 tags' });
  assertNoIssues(issues);
  return ctx.db.$transaction(async (tx) => {
    await checkRefs(tx, workspaceId, input.projectIds ?? [], input.tagIds ?? [], issues);
    assertNoIssues(issues);
    const id = await insertResponse(tx, {
      workspaceId,
      surveyId: null,
      feedback,
      feedbackDate: input.feedbackDate ?? new Date(),
      userId: input.userId ?? null,
      score: input.score ?? null,
      metricType,
      answers: null,
      singleUseId: null,
      projectIds: input.projectIds ?? [],
      properties,
      manualTagIds: input.tagIds ?? [],
    });
    // MANUAL tags with filter rules only go on responses that satisfy them (checked before commit)
    const broken: { id: string; name: string }[] = await tx.$queryRaw`
      SELECT t.id, t.name FROM "ResponseTag" rt JOIN "Tag" t ON t.id = rt."tagId" JOIN "Response" r ON r.id = rt."responseId"
      WHERE r.id = CAST(${id} AS uuid) AND t.mode = 'MANUAL' AND NOT ${rulesHoldSql(Prisma.sql`t."filterRules"`)}`;
    for (const b of broken)
      issues.push({
        path: ['input', 'tagIds', String(input.tagIds!.indexOf(b.id))],
        code: 'RULES_NOT_MET',
        message: `The response does not satisfy the rules of tag ${b.name}`,
      });
    assertNoIssues(issues);
    return id;
  });
}

/**
 * A response to a survey that is IN_PROGRESS: answers are validated against its questions; the
 * score, metric type and feedback text are derived from them (see survey.questions.ts).
 */
export async function submitResponse(ctx: ServiceContext, input: SubmitResponseInput): Promise<string> {
  // collecting survey answers is the survey product's: it needs no feedback onboarding
  const { workspaceId } = requireWorkspace(ctx);
  const issues: FieldIssue[] = [];
  const properties = commonIssues(input, issues);
  return ctx.db.$transaction(async (tx) => {
    const survey = await tx.survey.findFirst({ where: { id: input.surveyId, workspaceId } });
    if (!survey) throw notFound('Survey');
    if (survey.status !== 'IN_PROGRESS') throw conflict(`Survey is not accepting responses: it is ${survey.status}`);
    const { derived, issues: a } = validateAnswers(survey.questions as unknown as Question[], input.answers, ['input', 'answers']);
    issues.push(...a);
    const singleUseId = input.singleUseId?.trim() || null;
    if (survey.singleUseEnabled && !singleUseId)
      issues.push({ path: ['input', 'singleUseId'], code: 'REQUIRED', message: 'This survey takes single-use links: singleUseId is required' });
    if (!survey.singleUseEnabled && singleUseId)
      issues.push({ path: ['input', 'singleUseId'], code: 'NOT_ALLOWED', message: 'This survey has no single-use links' });
    await checkRefs(tx, workspaceId, input.projectIds ?? [], [], issues);
    assertNoIssues(issues);
    if (singleUseId && (await tx.response.findFirst({ where: { surveyId: survey.id, singleUseId }, select: { id: true } })))
      throw conflict('This single-use link has already been used');
    return conflictOnDuplicate(
      insertResponse(tx, {
        workspaceId,
        surveyId: survey.id,
        feedback: derived!.feedback,
        feedbackDate: input.feedbackDate ?? new Date(),
        userId: input.userId ?? null,
        score: derived!.score,
        metricType: derived!.metricType,
        answers: derived!.answers,
        singleUseId,
        projectIds: input.projectIds ?? [],
        properties,
        manualTagIds: [],
      }),
      'This single-use link has already been used',
    );
  });
}

export async function deleteResponse(ctx: ServiceContext, id: string) {
  const workspaceId = await feedbackWorkspace(ctx);
  const { count } = await ctx.db.response.deleteMany({ where: { id, workspaceId } });
  if (count === 0) throw notFound('Response');
  return id;
}

/** Adds MANUAL tags to a response (idempotent); each tag's filter rules must hold for it. */
export async function addResponseTags(ctx: ServiceContext, responseId: string, tagIds: string[]) {
  const workspaceId = await feedbackWorkspace(ctx);
  const issues: FieldIssue[] = [];
  return ctx.db.$transaction(async (tx) => {
    const response = await tx.response.findFirst({ where: { id: responseId, workspaceId }, select: { id: true, feedbackDate: true } });
    if (!response) throw notFound('Response');
    await checkRefs(tx, workspaceId, [], tagIds, issues, []);
    assertNoIssues(issues);
    const broken: { id: string; name: string }[] = await tx.$queryRaw`
      SELECT t.id, t.name FROM "Tag" t, "Response" r
      WHERE r.id = CAST(${responseId} AS uuid) AND t.id = ANY(CAST(${tagIds} AS uuid[])) AND NOT ${rulesHoldSql(Prisma.sql`t."filterRules"`)}`;
    for (const b of broken)
      issues.push({
        path: ['tagIds', String(tagIds.indexOf(b.id))],
        code: 'RULES_NOT_MET',
        message: `The response does not satisfy the rules of tag ${b.name}`,
      });
    assertNoIssues(issues);
    await tx.responseTag.createMany({
      data: [...new Set(tagIds)].map((tagId) => ({ responseId, tagId, feedbackDate: response.feedbackDate })),
      skipDuplicates: true,
    });
    return responseId;
  });
}

export async function removeResponseTags(ctx: ServiceContext, responseId: string, tagIds: string[]) {
  const workspaceId = await feedbackWorkspace(ctx);
  const issues: FieldIssue[] = [];
  return ctx.db.$transaction(async (tx) => {
    const response = await tx.response.findFirst({ where: { id: responseId, workspaceId }, select: { id: true } });
    if (!response) throw notFound('Response');
    await checkRefs(tx, workspaceId, [], tagIds, issues, []);
    assertNoIssues(issues);
    await tx.responseTag.deleteMany({ where: { responseId, tagId: { in: tagIds } } });
    return responseId;
  });
}

export const RESPONSE_SORTS = ['FEEDBACK_DATE_DESC', 'FEEDBACK_DATE_ASC'] as const;
export type ResponseSort = (typeof RESPONSE_SORTS)[number];

const responseKeys = (sort: ResponseSort): SortKey[] => {
  const dir = sort === 'FEEDBACK_DATE_ASC' ? 'ASC' : 'DESC';
  return [
    { sql: Prisma.sql`r."feedbackDate"`, dir, type: 'timestamp' },
    { sql: Prisma.sql`r.id`, dir, type: 'uuid' },
  ];
};

/**
 * The SQL of one page of response ids (plus one to tell whether more follow) with their sort
 * keys. Filtering by exactly one tag walks that tag's (tagId, feedbackDate, responseId) index in
 * list order and joins each row to its response, so the page costs about `limit` index entries
 * whether the tag is rare or common; the copied feedbackDate equals the response's, so cursors
 * are the same either way.
 */
export function responsePageSql(workspaceId: string, filter: ResponseFilter, sort: ResponseSort, args: PageArgs) {
  const source = responseSourceSql(workspaceId, filter);
  const dir = sort === 'FEEDBACK_DATE_ASC' ? 'ASC' : 'DESC';
  // walking the tag's index, sort by its copies of the keys so the index gives the order
  const keys: SortKey[] = source.singleTag
    ? [
        { sql: Prisma.sql`rt."feedbackDate"`, dir, type: 'timestamp' },
        { sql: Prisma.sql`rt."responseId"`, dir, type: 'uuid' },
      ]
    : responseKeys(sort);
  const page = keysetPage(keys, `responses:${sort}`, args);
  return {
    page,
    sql: Prisma.sql`SELECT r.id, ${selectKeysSql(keys)} FROM ${source.from}
    WHERE ${source.where} AND ${page.after}
    ORDER BY ${page.orderBy} ${page.limit}`,
  };
}

export async function responsePage(ctx: ServiceContext, args: PageArgs & { filter?: ResponseFilter | null; sortBy?: ResponseSort | null }) {
  const { workspaceId } = requireWorkspace(ctx);
  const sort = args.sortBy ?? 'FEEDBACK_DATE_DESC';
  const { page, sql } = await gateBeforeRefusal(ctx, () => responsePageSql(workspaceId, args.filter ?? {}, sort, args));
  const { facts, rows } = await pageWithFacts<{ onboarded: boolean }, KeyRow>(ctx.db, [onboardedColumn(workspaceId)], sql);
  passOnboardingGate(ctx, workspaceId, facts.onboarded);
  return { rows, page, workspaceId };
}

export async function countResponses(ctx: ServiceContext, filter: ResponseFilter | null | undefined): Promise<number> {
  const workspaceId = await feedbackWorkspace(ctx);
  const source = responseSourceSql(workspaceId, filter ?? {});
  const rows: { n: number }[] = await ctx.db.$queryRaw`SELECT CAST(count(*) AS int) AS n FROM ${source.from} WHERE ${source.where}`;
  return rows[0]!.n;
}
