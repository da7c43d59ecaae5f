import { Prisma } from '../../generated/prisma/client.js';
import type { ServiceContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import type { Db, Tx } from '../../db/prisma.js';
import { assertNoIssues, conflict, notFound, type FieldIssue } from '../../errors.js';
import { feedbackWorkspace, gateBeforeRefusal, onboardedColumn, passOnboardingGate } from './onboarding.service.js';
import { conflictOnDuplicate } from './unique.js';
import { LIMITS, ruleIssues, termIssues, type FilterRuleInput } from './tag.rules.js';
import { keysetPage, pageWithFacts, selectKeysSql, type KeyRow, type SortKey } from './paging.js';
import type { PageArgs } from '../../core/paging/index.js';
import { escapeLike } from '../../db/like.js';

export type UserTagMode = 'MANUAL' | 'TEXT_MATCH';

export interface TagInput {
  name?: string | null;
  displayName?: string | null;
  description?: string | null;
  mode?: UserTagMode | 'SMART' | null;
  enabled?: boolean | null;
  parentId?: string | null;
  scopeByParent?: boolean | null;
  textMatchTerms?: string[] | null;
  filterRules?: FilterRuleInput[] | null;
}

/** Tag names and display names are trimmed, inner whitespace collapsed, and upper-cased, as the feedback product shows them; names are unique per workspace. */
export const normalizeTagName = (name: string) => name.trim().replace(/\s+/g, ' ').toUpperCase();

interface TagRow {
  id: string;
  mode: 'MANUAL' | 'SMART' | 'TEXT_MATCH';
  parentId: string | null;
  textMatchTerms: string[];
  filterRules: Prisma.JsonValue;
  enabled: boolean;
  scopeByParent: boolean;
}

/** Validates a create (current = null) or an update; every problem at once. */
async function validateTag(tx: Tx, workspaceId: string, input: TagInput, current: (TagRow & { name: string }) | null) {
  const issues: FieldIssue[] = [];
  const path = (f: string) => ['input', f];
  const mode = current?.mode ?? input.mode ?? null;
  if (!current) {
    if (!input.mode) issues.push({ path: path('mode'), code: 'REQUIRED', message: 'mode is required' });
    else if (input.mode === 'SMART')
      issues.push({ path: path('mode'), code: 'NOT_ALLOWED', message: 'SMART tags come from onboarding; create MANUAL or TEXT_MATCH tags' });
  } else if (input.mode && input.mode !== current.mode) {
    issues.push({ path: path('mode'), code: 'NOT_ALLOWED', message: 'The mode of a tag cannot change; create another tag' });
  }
  if (current?.mode === 'SMART') {
    for (const f of ['name', 'textMatchTerms', 'filterRules', 'parentId', 'scopeByParent'] as const)
      if (input[f] !== undefined && input[f] !== null) issues.push({ path: path(f), code: 'NOT_ALLOWED', message: `${f} of a SMART tag cannot change` });
    assertNoIssues(issues);
  }
  let name: string | undefined;
  if (!current || input.name != null) {
    name = normalizeTagName(input.name ?? '');
    if (!name) issues.push({ path: path('name'), code: 'REQUIRED', message: 'Tag name is required' });
    else if (name.length > LIMITS.name) issues.push({ path: path('name'), code: 'TOO_LONG', message: `Tag name is at most ${LIMITS.name} characters` });
    else if (name !== current?.name && (await tx.tag.findUnique({ where: { workspaceId_name: { workspaceId, name } }, select: { id: true } })))
      issues.push({ path: path('name'), code: 'DUPLICATE', message: `A tag named ${name} already exists` });
  }
  const displayName = normalizeTagName(input.displayName ?? '') || (!current ? name : undefined);
  if (displayName && displayName.length > LIMITS.displayName)
    issues.push({ path: path('displayName'), code: 'TOO_LONG', message: `displayName is at most ${LIMITS.displayName} characters` });
  if (input.description && input.description.length > LIMITS.description)
    issues.push({ path: path('description'), code: 'TOO_LONG', message: `description is at most ${LIMITS.description} characters` });
  let terms: string[] | undefined;
  if (input.textMatchTerms != null) {
    if (mode !== 'TEXT_MATCH') issues.push({ path: path('textMatchTerms'), code: 'NOT_ALLOWED', message: 'Only TEXT_MATCH tags have text-match terms' });
    else {
      const t = termIssues(input.textMatchTerms, path('textMatchTerms'));
      issues.push(...t.issues);
      terms = t.terms;
    }
  }
  if (mode === 'TEXT_MATCH' && !current && !input.textMatchTerms?.length)
    issues.push({ path: path('textMatchTerms'), code: 'REQUIRED', message: 'A TEXT_MATCH tag needs at least one term' });
  if (mode === 'TEXT_MATCH' && current && input.textMatchTerms && input.textMatchTerms.length === 0)
    issues.push({ path: path('textMatchTerms'), code: 'REQUIRED', message: 'A TEXT_MATCH tag needs at least one term' });
  let rules: unknown[] | undefined;
  if (input.filterRules != null) {
    const r = ruleIssues(input.filterRules, path('filterRules'));
    issues.push(...r.issues);
    rules = r.rules;
  }
  const parentId = input.parentId === undefined ? (current?.parentId ?? null) : input.parentId;
  if (input.parentId) {
    const parent = await tx.tag.findFirst({ where: { id: input.parentId, workspaceId }, select: { id: true } });
    if (!parent) issues.push({ path: path('parentId'), code: 'NOT_FOUND', message: 'Parent tag not found' });
    else if (current && (await isDescendantOrSelf(tx, workspaceId, input.parentId, current.id)))
      issues.push({ path: path('parentId'), code: 'CYCLE', message: 'A tag cannot be its own ancestor' });
  }
  const scopeByParent = input.scopeByParent ?? current?.scopeByParent ?? false;
  if (scopeByParent && !parentId) issues.push({ path: path('scopeByParent'), code: 'NOT_ALLOWED', message: 'scopeByParent needs a parent tag' });
  assertNoIssues(issues);
  return { name, displayName, terms, rules, parentId, scopeByParent };
}

async function isDescendantOrSelf(tx: Tx, workspaceId: string, candidate: string, of: string): Promise<boolean> {
  const rows: { id: string }[] = await tx.$queryRaw`
    WITH RECURSIVE tree AS (
      SELECT id FROM "Tag" WHERE id = CAST(${of} AS uuid) AND "workspaceId" = CAST(${workspaceId} AS uuid)
      UNION SELECT c.id FROM "Tag" c JOIN tree ON c."parentId" = tree.id
    ) SELECT id FROM tree WHERE id = CAST(${candidate} AS uuid)`;
  return rows.length > 0;
}

/** Creates a MANUAL or TEXT_MATCH tag. Returns its id and whether existing responses need re-tagging. */
export async function createTag(ctx: ServiceContext, input: TagInput, onCommit: (tx: Tx, tagIds: string[]) => Promise<void>) {
  const workspaceId = await feedbackWorkspace(ctx);
  return ctx.db.$transaction(async (tx) => {
    const v = await validateTag(tx, workspaceId, input, null);
    const tag = await conflictOnDuplicate(
      tx.tag.create({
        data: {
          workspaceId,
          name: v.name!,
          displayName: v.displayName ?? v.name!,
          description: input.description?.trim() || null,
          mode: input.mode as UserTagMode,
          enabled: input.enabled ?? true,
          parentId: v.parentId,
          scopeByParent: v.scopeByParent,
          textMatchTerms: v.terms ?? [],
          filterRules: (v.rules ?? []) as Prisma.InputJsonValue,
        },
        select: { id: true, mode: true },
      }),
      `A tag named ${v.name} already exists`,
    );
    if (tag.mode === 'TEXT_MATCH') await onCommit(tx, [tag.id]);
    return tag;
  });
}

export async function updateTag(ctx: ServiceContext, id: string, input: TagInput, onCommit: (tx: Tx, tagIds: string[]) => Promise<void>) {
  const workspaceId = await feedbackWorkspace(ctx);
  return ctx.db.$transaction(async (tx) => {
    const current = await tx.tag.findFirst({ where: { id, workspaceId } });
    if (!current) throw notFound('Tag');
    const v = await validateTag(tx, workspaceId, input, current);
    const tag = await conflictOnDuplicate(
      tx.tag.update({
        where: { id },
        data: {
          ...(v.name ? { name: v.name } : {}),
          ...(v.displayName ? { displayName: v.displayName } : {}),
          ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
          ...(input.enabled != null ? { enabled: input.enabled } : {}),
          ...(input.parentId !== undefined ? { parentId: input.parentId } : {}),
          ...(input.scopeByParent != null ? { scopeByParent: input.scopeByParent } : {}),
          ...(v.terms ? { textMatchTerms: v.terms } : {}),
          ...(v.rules ? { filterRules: v.rules as Prisma.InputJsonValue } : {}),
        },
      }),
      `A tag named ${v.name} already exists`,
    );
    const changed =
      tag.enabled !== current.enabled ||
      tag.parentId !== current.parentId ||
      tag.scopeByParent !== current.scopeByParent ||
      JSON.stringify(tag.textMatchTerms) !== JSON.stringify(current.textMatchTerms) ||
      JSON.stringify(tag.filterRules) !== JSON.stringify(current.filterRules);
    if (changed && tag.mode !== 'MANUAL') await onCommit(tx, [tag.id]);
    return { id: tag.id };
  });
}

/** Deletes the tag: it leaves every response; its children become top-level tags. */
export async function deleteTag(ctx: ServiceContext, id: string) {
  const workspaceId = await feedbackWorkspace(ctx);
  return ctx.db.$transaction(async (tx) => {
    const tag = await tx.tag.findFirst({ where: { id, workspaceId }, select: { id: true, mode: true } });
    if (!tag) throw notFound('Tag');
    if (tag.mode === 'SMART') throw conflict('SMART tags cannot be deleted; disable them instead');
    await tx.tag.updateMany({ where: { parentId: id }, data: { parentId: null, scopeByParent: false } });
    await tx.tag.delete({ where: { id } });
    return id;
  });
}

export const TAG_SORTS = ['RESPONSE_COUNT_DESC', 'NAME_ASC', 'NAME_DESC', 'RESPONSES_ASC'] as const;
export type TagSort = (typeof TAG_SORTS)[number];

export interface TagListArgs extends PageArgs {
  search?: string | null;
  nested?: boolean | null;
  noStats?: boolean | null;
  excludeDisabled?: boolean | null;
  sortBy?: TagSort | null;
  /** the argument the client ordered by, for issue paths */
  sortArg?: 'orderBy' | 'sortBy';
}

/** Per-tag counts for the whole workspace in one pass over (tagId, sentiment); they also feed the page's statistics. */
const countSql = (workspaceId: string) => Prisma.sql`(
  SELECT rt."tagId", count(*) AS n,
    count(*) FILTER (WHERE rt.sentiment = 'POSITIVE') AS pos, count(*) FILTER (WHERE rt.sentiment = 'NEUTRAL') AS neu,
    count(*) FILTER (WHERE rt.sentiment = 'NEGATIVE') AS neg, count(*) FILTER (WHERE rt.sentiment IS NULL) AS none
  FROM "ResponseTag" rt
  WHERE rt."tagId" IN (SELECT id FROM "Tag" WHERE "workspaceId" = CAST(${workspaceId} AS uuid)) GROUP BY rt."tagId")`;

function tagKeys(sort: TagSort): SortKey[] {
  const n = Prisma.sql`COALESCE(c.n, 0)`;
  const name = (dir: 'ASC' | 'DESC'): SortKey => ({ sql: Prisma.sql`t.name`, dir, type: 'text' });
  const id = (dir: 'ASC' | 'DESC'): SortKey => ({ sql: Prisma.sql`t.id`, dir, type: 'uuid' });
  switch (sort) {
    case 'RESPONSE_COUNT_DESC':
      return [{ sql: n, dir: 'DESC', type: 'int' }, name('ASC'), id('ASC')];
    case 'RESPONSES_ASC':
      return [{ sql: n, dir: 'ASC', type: 'int' }, name('ASC'), id('ASC')];
    case 'NAME_ASC':
      return [name('ASC'), id('ASC')];
    case 'NAME_DESC':
      return [name('DESC'), id('DESC')];
  }
}

/**
 * A page of tags. `nested` lists only top-level tags (their `children` hold the rest); `search`
 * matches name or displayName (case-insensitive substring). With `noStats` no counts are computed
 * at all: the stats fields are null and the count sorts are refused; the default sort is then NAME_ASC.
 */
export async function tagPage(ctx: ServiceContext, args: TagListArgs, want: { responseTotal?: boolean } = {}) {
  const { workspaceId } = requireWorkspace(ctx);
  const { keys, page } = await gateBeforeRefusal(ctx, () => {
    const issues: FieldIssue[] = [];
    if (args.search && args.search.length > 512) issues.push({ path: ['search'], code: 'TOO_LONG', message: 'search is at most 512 characters' });
    const sort: TagSort = args.sortBy ?? (args.noStats ? 'NAME_ASC' : 'RESPONSE_COUNT_DESC');
    if (args.noStats && (sort === 'RESPONSE_COUNT_DESC' || sort === 'RESPONSES_ASC'))
      issues.push({ path: [args.sortArg ?? 'orderBy'], code: 'NOT_ALLOWED', message: 'noStats computes no response counts to sort by' });
    assertNoIssues(issues, 'Invalid arguments');
    const keys = tagKeys(sort);
    return { keys, page: keysetPage(keys, `tags:${sort}`, args) };
  });
  const parts = [Prisma.sql`t."workspaceId" = CAST(${workspaceId} AS uuid)`];
  if (args.nested) parts.push(Prisma.sql`t."parentId" IS NULL`);
  if (args.excludeDisabled) parts.push(Prisma.sql`t.enabled`);
  if (args.search) {
    const like = `%${escapeLike(args.search)}%`;
    parts.push(Prisma.sql`(t.name ILIKE ${like} OR t."displayName" ILIKE ${like})`);
  }
  const where = Prisma.join(parts, ' AND ');
  const join = args.noStats ? Prisma.empty : Prisma.sql`LEFT JOIN ${countSql(workspaceId)} c ON c."tagId" = t.id`;
  const statsColumns = args.noStats
    ? Prisma.empty
    : Prisma.sql`, CAST(COALESCE(c.n, 0) AS int) AS "sN", CAST(COALESCE(c.pos, 0) AS int) AS "sPos", CAST(COALESCE(c.neu, 0) AS int) AS "sNeu",
        CAST(COALESCE(c.neg, 0) AS int) AS "sNeg", CAST(COALESCE(c.none, 0) AS int) AS "sNone"`;
  const facts = [onboardedColumn(workspaceId)];
  if (want.responseTotal) facts.push(Prisma.sql`(${responseCountSql(workspaceId)}) AS "responseTotal"`);
  const { facts: answered, rows } = await pageWithFacts<
    { onboarded: boolean; responseTotal?: number },
    KeyRow & { sN?: number; sPos?: number; sNeu?: number; sNeg?: number; sNone?: number }
  >(
    ctx.db,
    facts,
    Prisma.sql`SELECT t.id, ${selectKeysSql(keys)} ${statsColumns} FROM "Tag" t ${join}
    WHERE ${where} AND ${page.after} ORDER BY ${page.orderBy} ${page.limit}`,
  );
  passOnboardingGate(ctx, workspaceId, answered.onboarded);
  const stats = new Map<string, TagStats>(
    args.noStats ? [] : rows.map((r) => [r.id, { responseCount: r.sN!, positive: r.sPos!, neutral: r.sNeu!, negative: r.sNeg!, none: r.sNone! }]),
  );
  return {
    rows,
    stats,
    page,
    responseTotal: answered.responseTotal,
    totalCount: async () => ((await ctx.db.$queryRaw`SELECT CAST(count(*) AS int) AS n FROM "Tag" t WHERE ${where}`) as { n: number }[])[0]!.n,
  };
}

export interface TagStats {
  responseCount: number;
  positive: number;
  neutral: number;
  negative: number;
  none: number;
}

/** Response counts per tag and sentiment, for a batch of tags: one index-only scan of (tagId, sentiment). */
export async function tagStats(db: Db, tagIds: readonly string[]): Promise<Map<string, TagStats>> {
  const rows: Array<{ tagId: string; n: number; pos: number; neu: number; neg: number; none: number }> = await db.$queryRaw`
    SELECT rt."tagId", CAST(count(*) AS int) AS n,
      CAST(count(*) FILTER (WHERE rt.sentiment = 'POSITIVE') AS int) AS pos,
      CAST(count(*) FILTER (WHERE rt.sentiment = 'NEUTRAL') AS int) AS neu,
      CAST(count(*) FILTER (WHERE rt.sentiment = 'NEGATIVE') AS int) AS neg,
      CAST(count(*) FILTER (WHERE rt.sentiment IS NULL) AS int) AS none
    FROM "ResponseTag" rt
    WHERE rt."tagId" = ANY(CAST(${tagIds} AS uuid[])) GROUP BY rt."tagId"`;
  return new Map(rows.map((r) => [r.tagId, { responseCount: r.n, positive: r.pos, neutral: r.neu, negative: r.neg, none: r.none }]));
}

const responseCountSql = (workspaceId: string) =>
  Prisma.sql`SELECT CAST(count(*) AS int) FROM "Response" r WHERE r."workspaceId" = CAST(${workspaceId} AS uuid)`;

export async function workspaceResponseCount(db: Db, workspaceId: string): Promise<number> {
  return (await db.$queryRaw<{ count: number }[]>(responseCountSql(workspaceId)))[0]!.count;
}
