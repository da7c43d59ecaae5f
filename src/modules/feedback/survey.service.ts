import { Prisma } from '../../generated/prisma/client.js';
import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import { assertNoIssues, conflict, notFound, type FieldIssue } from '../../errors.js';
import { questionIssues, type QuestionInput } from './survey.questions.js';
import { keysetPage, pageWithFacts, reversed, selectKeysSql, type KeyRow, type SortKey } from './paging.js';
import type { PageArgs } from '../../core/paging/index.js';
import { escapeLike } from '../../db/like.js';

export const SURVEY_TYPES = ['LINK', 'APP'] as const;
export type SurveyType = (typeof SURVEY_TYPES)[number];
export const SURVEY_STATUSES = ['DRAFT', 'IN_PROGRESS', 'PAUSED', 'COMPLETED'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

/**
 * Legal status changes. DRAFT is where a survey is built; IN_PROGRESS collects responses; PAUSED
 * stops collecting for a while; COMPLETED is final.
 */
export const SURVEY_TRANSITIONS: Record<SurveyStatus, readonly SurveyStatus[]> = {
  DRAFT: ['IN_PROGRESS'],
  IN_PROGRESS: ['PAUSED', 'COMPLETED'],
  PAUSED: ['IN_PROGRESS', 'COMPLETED'],
  COMPLETED: [],
};

export const MAX_SURVEY_NAME = 512;

export interface SurveyInput {
  name?: string | null;
  type?: SurveyType | null;
  questions?: QuestionInput[] | null;
  singleUse?: { enabled: boolean; isEncrypted?: boolean | null } | null;
}

function surveyIssues(input: SurveyInput, creating: boolean) {
  const issues: FieldIssue[] = [];
  const name = input.name?.trim();
  if (creating || input.name != null) {
    if (!name) issues.push({ path: ['input', 'name'], code: 'REQUIRED', message: 'Survey name is required' });
    else if (name.length > MAX_SURVEY_NAME)
      issues.push({ path: ['input', 'name'], code: 'TOO_LONG', message: `Survey name is at most ${MAX_SURVEY_NAME} characters` });
  }
  if (creating && !input.type) issues.push({ path: ['input', 'type'], code: 'REQUIRED', message: 'Survey type is required' });
  if (input.singleUse && !input.singleUse.enabled && input.singleUse.isEncrypted)
    issues.push({ path: ['input', 'singleUse', 'isEncrypted'], code: 'NOT_ALLOWED', message: 'Encryption applies only to enabled single-use links' });
  const q = input.questions ? questionIssues(input.questions, ['input', 'questions']) : null;
  if (q) issues.push(...q.issues);
  return { issues, name, questions: q?.questions ?? null };
}

export async function createSurvey(ctx: ServiceContext, input: SurveyInput) {
  const { workspaceId } = requireWorkspace(ctx);
  const { issues, name, questions } = surveyIssues(input, true);
  assertNoIssues(issues);
  return ctx.db.survey.create({
    data: {
      workspaceId,
      name: name!,
      type: input.type!,
      questions: (questions ?? []) as unknown as Prisma.InputJsonValue,
      singleUseEnabled: input.singleUse?.enabled ?? false,
      singleUseEncrypted: (input.singleUse?.enabled && input.singleUse.isEncrypted) ?? false,
      createdById: requireWorkspace(ctx).userId,
    },
    select: { id: true },
  });
}

/** Questions change only while the survey is DRAFT or PAUSED (never while collecting or after). */
export async function updateSurvey(ctx: ServiceContext, id: string, input: SurveyInput) {
  const { workspaceId } = requireWorkspace(ctx);
  const { issues, name, questions } = surveyIssues(input, false);
  assertNoIssues(issues);
  return ctx.db.$transaction(async (tx) => {
    const survey = await tx.survey.findFirst({ where: { id, workspaceId } });
    if (!survey) throw notFound('Survey');
    if (questions && survey.status !== 'DRAFT' && survey.status !== 'PAUSED')
      throw conflict(`Questions can change only while the survey is DRAFT or PAUSED; it is ${survey.status}`);
    return tx.survey.update({
      where: { id },
      data: {
        ...(name ? { name } : {}),
        ...(input.type ? { type: input.type } : {}),
        ...(questions ? { questions: questions as unknown as Prisma.InputJsonValue } : {}),
        ...(input.singleUse
          ? { singleUseEnabled: input.singleUse.enabled, singleUseEncrypted: input.singleUse.enabled && (input.singleUse.isEncrypted ?? false) }
          : {}),
      },
      select: { id: true },
    });
  });
}

export async function changeSurveyStatus(ctx: ServiceContext, id: string, status: SurveyStatus) {
  const { workspaceId } = requireWorkspace(ctx);
  return ctx.db.$transaction(async (tx) => {
    const survey = await tx.survey.findFirst({ where: { id, workspaceId }, select: { status: true, questions: true } });
    if (!survey) throw notFound('Survey');
    if (!SURVEY_TRANSITIONS[survey.status].includes(status)) {
      const allowed = SURVEY_TRANSITIONS[survey.status];
      throw conflict(`A survey cannot go from ${survey.status} to ${status}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (COMPLETED is final)'}`);
    }
    if (status === 'IN_PROGRESS' && (survey.questions as unknown[]).length === 0) throw conflict('A survey needs at least one question before it starts');
    // compare-and-set, so two concurrent changes cannot both pass the check
    const { count } = await tx.survey.updateMany({ where: { id, status: survey.status }, data: { status } });
    if (count === 0) throw conflict('The survey changed meanwhile; try again');
    return { id };
  });
}

/** Deletes the survey and all its responses. */
export async function deleteSurvey(ctx: ServiceContext, id: string) {
  const { workspaceId } = requireWorkspace(ctx);
  return ctx.db.$transaction(async (tx) => {
    const survey = await tx.survey.findFirst({ where: { id, workspaceId }, select: { id: true } });
    if (!survey) throw notFound('Survey');
    const { count } = await tx.response.deleteMany({ where: { surveyId: id } });
    await tx.survey.delete({ where: { id } });
    return { id, deletedResponses: count };
  });
}

export const SURVEY_ORDER_FIELDS = ['CREATED_AT', 'UPDATED_AT', 'NAME', 'RELEVANCE'] as const;
export interface SurveyOrder {
  field: (typeof SURVEY_ORDER_FIELDS)[number];
  direction: 'ASC' | 'DESC';
}
export interface SurveyFilter {
  nameContains?: string | null;
  statusIn?: SurveyStatus[] | null;
  typeIn?: SurveyType[] | null;
}

/** The direction each field's keys below are written in; the other direction reverses them. */
const WRITTEN: Record<SurveyOrder['field'], SurveyOrder['direction']> = { CREATED_AT: 'DESC', UPDATED_AT: 'DESC', NAME: 'ASC', RELEVANCE: 'DESC' };

/**
 * Sort keys. RELEVANCE (DESC: best match first) ranks by how the name matches `nameContains`
 * (case-insensitive): 0 exact name, 1 name starts with it, 2 a word of the name starts with it,
 * 3 contains it elsewhere; then the earlier the match the better; then most recently updated;
 * then id. Without nameContains it is UPDATED_AT.
 */
function surveyKeys(order: SurveyOrder, term: string | null): SortKey[] {
  const keys = writtenKeys(order.field, term);
  return order.direction === WRITTEN[order.field] ? keys : reversed(keys);
}

function writtenKeys(field: SurveyOrder['field'], term: string | null): SortKey[] {
  const id = (dir: 'ASC' | 'DESC'): SortKey => ({ sql: Prisma.sql`s.id`, dir, type: 'uuid' });
  const updated: SortKey = { sql: Prisma.sql`s."updatedAt"`, dir: 'DESC', type: 'timestamp' };
  switch (field) {
    case 'CREATED_AT':
      return [{ sql: Prisma.sql`s."createdAt"`, dir: 'DESC', type: 'timestamp' }, id('DESC')];
    case 'UPDATED_AT':
      return [updated, id('DESC')];
    case 'NAME':
      return [{ sql: Prisma.sql`lower(s.name)`, dir: 'ASC', type: 'text' }, { sql: Prisma.sql`s.name`, dir: 'ASC', type: 'text' }, id('ASC')];
    case 'RELEVANCE': {
      if (!term) return [updated, id('DESC')];
      const t = term.toLowerCase();
      const rank = Prisma.sql`(CASE WHEN lower(s.name) = ${t} THEN 0 WHEN starts_with(lower(s.name), ${t}) THEN 1
        WHEN lower(s.name) LIKE ${`% ${escapeLike(t)}%`} THEN 2 ELSE 3 END)`;
      return [{ sql: rank, dir: 'ASC', type: 'int' }, { sql: Prisma.sql`strpos(lower(s.name), ${t})`, dir: 'ASC', type: 'int' }, updated, id('DESC')];
    }
  }
}

export function surveyFilterIssues(f: SurveyFilter): FieldIssue[] {
  if (f.nameContains && f.nameContains.length > MAX_SURVEY_NAME)
    return [{ path: ['filter', 'nameContains'], code: 'TOO_LONG', message: `nameContains is at most ${MAX_SURVEY_NAME} characters` }];
  return [];
}

function surveyWhere(workspaceId: string, f: SurveyFilter) {
  const parts = [Prisma.sql`s."workspaceId" = CAST(${workspaceId} AS uuid)`];
  if (f.nameContains) parts.push(Prisma.sql`s.name ILIKE ${`%${escapeLike(f.nameContains)}%`}`);
  if (f.statusIn) parts.push(Prisma.sql`CAST(s.status AS text) = ANY(CAST(${f.statusIn} AS text[]))`);
  if (f.typeIn) parts.push(Prisma.sql`CAST(s.type AS text) = ANY(CAST(${f.typeIn} AS text[]))`);
  return Prisma.join(parts, ' AND ');
}

export async function surveyPage(
  ctx: ServiceContext,
  args: PageArgs & { filter?: SurveyFilter | null; order?: SurveyOrder | null },
  want: { totalCount?: boolean } = {},
) {
  const { workspaceId } = requireWorkspace(ctx);
  const filter = args.filter ?? {};
  assertNoIssues(surveyFilterIssues(filter), 'Invalid filter');
  const order = args.order ?? { field: 'UPDATED_AT', direction: 'DESC' };
  const term = filter.nameContains || null;
  const keys = surveyKeys(order, term);
  // a RELEVANCE cursor depends on the search term too
  const binding = `surveys:${order.field}:${order.direction}${order.field === 'RELEVANCE' ? `:${term?.toLowerCase() ?? ''}` : ''}`;
  const page = keysetPage(keys, binding, args);
  const where = surveyWhere(workspaceId, filter);
  const countSql = Prisma.sql`SELECT CAST(count(*) AS int) AS n FROM "Survey" s WHERE ${where}`;
  const { facts, rows } = await pageWithFacts<{ totalCount?: number }, KeyRow>(
    ctx.db,
    want.totalCount ? [Prisma.sql`(${countSql}) AS "totalCount"`] : [],
    Prisma.sql`SELECT s.id, ${selectKeysSql(keys)} FROM "Survey" s WHERE ${where} AND ${page.after} ORDER BY ${page.orderBy} ${page.limit}`,
  );
  return {
    rows,
    page,
    totalCount: async () => facts.totalCount ?? ((await ctx.db.$queryRaw(countSql)) as { n: number }[])[0]!.n,
  };
}
