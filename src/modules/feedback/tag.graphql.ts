import { encodeGlobalID } from '@pothos/plugin-relay';
import { deletedTypeWithOldId, deleteResult, type DeletedShape } from '../../graphql/deleted.js';
import { builder } from '../../graphql/builder.js';
import type { GraphQLContext } from '../../context.js';
import { requireWorkspace } from '../../context.js';
import { loaderFor } from '../../loaders.js';
import { MetricTypeEnum, TagFilterRuleTypeEnum, TagModeEnum, UserTagModeEnum } from './feedback.enums.js';
import { storedRules, type FilterRule } from './tag.rules.js';
import { createTag, deleteTag, tagPage, tagStats, updateTag, workspaceResponseCount, type TagSort, type TagStats } from './tag.service.js';
import { listOrder, orderInput, type ListOrder } from '../../graphql/list-order.js';
import { loadEdges } from './connection.js';
import { selects } from '../../graphql/selects.js';
import { pagedDescription, pagingArgs } from '../../graphql/paging.js';
import { FEEDBACK_PAGE } from '../../core/paging/index.js';
import { RETAG, retagOnCommit } from './retag.job.js';
import { JobType } from '../jobs/job.graphql.js';

/** Marks tags listed with `noStats`: their statistics fields answer null. */
const NO_STATS = Symbol('noStats');

const statsLoader = (ctx: GraphQLContext) =>
  loaderFor(ctx, 'feedback:tagStats', async (ids): Promise<TagStats[]> => {
    const stats = await tagStats(ctx.db, ids);
    return ids.map((id) => stats.get(id) ?? { responseCount: 0, positive: 0, neutral: 0, negative: 0, none: 0 });
  });

/** The workspace's response count, once per request. */
const responseTotalLoader = (ctx: GraphQLContext) =>
  loaderFor(ctx, 'feedback:responseTotal', (workspaceIds) => Promise.all(workspaceIds.map((id) => workspaceResponseCount(ctx.db, id))));
const totalResponses = (ctx: GraphQLContext): Promise<number> => responseTotalLoader(ctx).load(requireWorkspace(ctx).workspaceId);

const pct = (part: number, whole: number) => (whole === 0 ? 0 : (part / whole) * 100);

const SentimentBreakdown = builder.simpleObject('SentimentBreakdown', {
  description: "Shares of a tag's responses by sentiment, in percent (0..100; they add up to 100 unless there are none)",
  fields: (t) => ({
    positive: t.float({ description: 'Share with POSITIVE sentiment' }),
    neutral: t.float({ description: 'Share with NEUTRAL sentiment' }),
    negative: t.float({ description: 'Share with NEGATIVE sentiment' }),
    none: t.float({ description: 'responses without sentiment (no feedback text)' }),
  }),
});

const TagFilterRuleType = builder.objectRef<FilterRule>('TagFilterRule').implement({
  description: 'A condition a response must satisfy for the tag (all rules of a tag must hold)',
  fields: (t) => ({
    type: t.field({ description: 'Which condition', type: TagFilterRuleTypeEnum, resolve: (r) => r.type }),
    min: t.float({
      description: 'SCORE_RANGE: lowest score (inclusive); null: no lower bound',
      nullable: true,
      resolve: (r) => (r.type === 'SCORE_RANGE' ? r.min : null),
    }),
    max: t.float({
      description: 'SCORE_RANGE: highest score (inclusive); null: no upper bound',
      nullable: true,
      resolve: (r) => (r.type === 'SCORE_RANGE' ? r.max : null),
    }),
    metricTypes: t.field({
      description: 'METRIC_TYPE: the metric types that pass',
      type: [MetricTypeEnum],
      nullable: true,
      resolve: (r) => (r.type === 'METRIC_TYPE' ? r.metricTypes : null),
    }),
    key: t.string({ description: 'PROPERTY_EQUALS: the custom property', nullable: true, resolve: (r) => (r.type === 'PROPERTY_EQUALS' ? r.key : null) }),
    value: t.string({
      description: 'PROPERTY_EQUALS: the value it must have',
      nullable: true,
      resolve: (r) => (r.type === 'PROPERTY_EQUALS' ? r.value : null),
    }),
  }),
});

export const TagType = builder.prismaNode('Tag', {
  description: 'A label on responses, added by hand or applied automatically (see `mode`).',
  id: { field: 'id' },
  // another workspace's object (or a missing one) loads as null: node(id) answers null
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Upper-cased, unique in the workspace' }),
    displayName: t.exposeString('displayName', { description: 'Upper-cased, as the feedback product shows it (`my-tag` reads `MY-TAG`)' }),
    description: t.exposeString('description', { description: 'What the tag means', nullable: true }),
    mode: t.field({ description: 'How it gets onto responses', type: TagModeEnum, resolve: (tag) => tag.mode }),
    enabled: t.exposeBoolean('enabled', { description: 'Disabled automatic tags apply to no response' }),
    parent: t.relation('parent', { description: 'The tag it sits under; null for a top-level tag', nullable: true }),
    children: t.relation('children', { description: 'The tags under it, by name', query: { orderBy: { name: 'asc' } } }),
    scopeByParent: t.exposeBoolean('scopeByParent', { description: 'Applied automatically only to responses that carry the parent tag' }),
    textMatchTerms: t.exposeStringList('textMatchTerms', { description: 'TEXT_MATCH: the terms that apply it (whole words, any case)' }),
    filterRules: t.field({
      description: 'Conditions a response must also meet for it to apply automatically',
      type: [TagFilterRuleType],
      resolve: (tag) => storedRules(tag.filterRules),
    }),
    responseCount: t.int({
      nullable: true,
      description: 'Responses carrying the tag; null when listed with noStats',
      resolve: async (tag, _a, ctx) => (NO_STATS in tag ? null : (await statsLoader(ctx).load(tag.id)).responseCount),
    }),
    usage: t.float({
      nullable: true,
      description: "Percent of the workspace's responses carrying the tag (0..100); null when listed with noStats",
      resolve: async (tag, _a, ctx) => {
        if (NO_STATS in tag) return null;
        const [s, total] = await Promise.all([statsLoader(ctx).load(tag.id), totalResponses(ctx)]);
        return pct(s.responseCount, total);
      },
    }),
    sentimentBreakdown: t.field({
      description: 'Its responses by sentiment',
      type: SentimentBreakdown,
      nullable: true,
      resolve: async (tag, _a, ctx) => {
        if (NO_STATS in tag) return null;
        const s = await statsLoader(ctx).load(tag.id);
        return {
          positive: pct(s.positive, s.responseCount),
          neutral: pct(s.neutral, s.responseCount),
          negative: pct(s.negative, s.responseCount),
          none: pct(s.none, s.responseCount),
        };
      },
    }),
    retagJob: t.prismaField({
      type: JobType,
      nullable: true,
      description:
        'The latest RETAG job that re-applied this tag to existing responses; follow it with jobUpdated. One query per tag: meant for a tag just created or changed, not for long lists.',
      resolve: (query, tag, _args, ctx) =>
        ctx.db.job.findFirst({
          ...query,
          where: { workspaceId: tag.workspaceId, kind: RETAG.name, payload: { path: ['tagIds'], array_contains: [tag.id] } },
          orderBy: { createdAt: 'desc' },
        }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const TagOrderInput = orderInput('Tag', {
  RESPONSE_COUNT: { description: 'responses carrying the tag (DESC is the default), then name A to Z; refused with noStats' },
  NAME: { description: 'the tag name' },
});

/** The deprecated sortBy values as order terms. */
const SORT_BY_ORDER = {
  RESPONSE_COUNT_DESC: { field: 'RESPONSE_COUNT', direction: 'DESC' },
  RESPONSES_ASC: { field: 'RESPONSE_COUNT', direction: 'ASC' },
  NAME_ASC: { field: 'NAME', direction: 'ASC' },
  NAME_DESC: { field: 'NAME', direction: 'DESC' },
} as const satisfies Record<TagSort, ListOrder<'RESPONSE_COUNT' | 'NAME'>>;
const tagSortOf = (order: ListOrder<'RESPONSE_COUNT' | 'NAME'>) =>
  (Object.keys(SORT_BY_ORDER) as TagSort[]).find((s) => SORT_BY_ORDER[s].field === order.field && SORT_BY_ORDER[s].direction === order.direction)!;

const TagSortEnum = builder.enumType('TagSort', {
  description: 'The order of the `tags` list.',
  values: {
    RESPONSE_COUNT_DESC: { description: 'most responses first, then name (default)' },
    NAME_ASC: {},
    NAME_DESC: {},
    RESPONSES_ASC: { description: 'fewest responses first, then name' },
  },
});

interface ConnectionWithCount {
  totalCount: () => Promise<number>;
}

const TagConnection = builder.connectionObject(
  {
    type: TagType,
    name: 'TagConnection',
    fields: (t) => ({
      totalCount: t.int({ description: 'All tags matching, on every page', resolve: (c) => (c as unknown as ConnectionWithCount).totalCount() }),
    }),
  },
  { name: 'TagEdge' },
);

export const TagFilterRuleInput = builder.inputType('TagFilterRuleInput', {
  description: 'SCORE_RANGE takes min and/or max; METRIC_TYPE takes metricTypes; PROPERTY_EQUALS takes key and value',
  fields: (t) => ({
    type: t.field({ description: 'Which condition', type: TagFilterRuleTypeEnum }),
    min: t.float({ description: 'SCORE_RANGE: lowest score (inclusive)', required: false }),
    max: t.float({ description: 'SCORE_RANGE: highest score (inclusive)', required: false }),
    metricTypes: t.field({ description: 'METRIC_TYPE: the metric types that pass', type: [MetricTypeEnum], required: false }),
    key: t.string({ description: 'PROPERTY_EQUALS: the custom property', required: false }),
    value: t.string({ description: 'PROPERTY_EQUALS: the value it must have, in the canonical form of its data type', required: false }),
  }),
});

const CreateTagInput = builder.inputType('CreateTagInput', {
  description: 'A new MANUAL or TEXT_MATCH tag.',
  fields: (t) => ({
    name: t.string({ description: 'Stored upper-cased; unique in the workspace' }),
    displayName: t.string({ required: false, description: 'Stored upper-cased; defaults to the name' }),
    description: t.string({ description: 'What the tag means', required: false }),
    mode: t.field({ description: 'How it gets onto responses', type: UserTagModeEnum }),
    enabled: t.boolean({ required: false, description: 'Default true' }),
    parentId: t.globalID({ description: 'The tag to put it under; none: a top-level tag', required: false, for: TagType }),
    scopeByParent: t.boolean({ description: 'Apply it automatically only to responses that carry the parent tag', required: false }),
    textMatchTerms: t.stringList({ required: false, description: 'TEXT_MATCH only, 1..100 terms; each starts and ends with a letter or digit' }),
    filterRules: t.field({ description: 'Conditions a response must also meet for it to apply automatically', type: [TagFilterRuleInput], required: false }),
  }),
});

const UpdateTagInput = builder.inputType('UpdateTagInput', {
  description: 'Omitted fields stay. SMART tags accept only displayName, description and enabled.',
  fields: (t) => ({
    name: t.string({ required: false }),
    displayName: t.string({ required: false, description: 'Stored upper-cased' }),
    description: t.string({ required: false }),
    enabled: t.boolean({ required: false }),
    parentId: t.globalID({ required: false, for: TagType, description: 'null makes it a top-level tag' }),
    scopeByParent: t.boolean({ required: false }),
    textMatchTerms: t.stringList({ required: false }),
    filterRules: t.field({ type: [TagFilterRuleInput], required: false }),
  }),
});

const DeletedTag = deletedTypeWithOldId('DeletedTag', 'A deleted tag');

builder.queryFields((t) => ({
  tags: t.field({
    type: TagConnection,
    authScopes: { scope: 'READ' },
    description: pagedDescription('Tags of the workspace. Fails FAILED_DEPENDENCY before onboarding.', FEEDBACK_PAGE),
    args: {
      search: t.arg.string({ required: false, description: 'Case-insensitive substring of name or displayName (<= 512 chars)' }),
      nested: t.arg.boolean({ required: false, description: 'Only top-level tags; their children are under `children`. Default false (flat: every tag).' }),
      noStats: t.arg.boolean({
        required: false,
        description: 'Skip statistics: responseCount, usage and sentimentBreakdown answer null; default order becomes NAME ASC',
      }),
      excludeDisabled: t.arg.boolean({ required: false }),
      orderBy: t.arg({ type: [TagOrderInput], required: false, description: 'One term; default RESPONSE_COUNT DESC (NAME ASC with noStats)' }),
      sortBy: t.arg({ type: TagSortEnum, required: false, deprecationReason: 'Use orderBy' }),
      ...pagingArgs,
    },
    resolve: async (_root, args, ctx, info) => {
      const usage = !args.noStats && (selects(info, ['edges', 'node', 'usage']) || selects(info, ['nodes', 'usage']));
      const order = listOrder(args, SORT_BY_ORDER);
      const page = await tagPage(ctx, { ...args, sortBy: order && tagSortOf(order), sortArg: args.sortBy ? 'sortBy' : 'orderBy' }, { responseTotal: usage });
      // the page query counted every listed tag already: no second pass for their statistics
      const loader = statsLoader(ctx);
      for (const [id, stats] of page.stats) loader.prime(id, stats);
      if (page.responseTotal !== undefined) responseTotalLoader(ctx).prime(requireWorkspace(ctx).workspaceId, page.responseTotal);
      const connection = await loadEdges(ctx, info, 'Tag', page, (query, ids) => ctx.db.tag.findMany({ ...query, where: { id: { in: ids } } }));
      if (args.noStats) for (const e of connection.edges) Object.assign(e.node, { [NO_STATS]: true });
      return Object.assign(connection, { totalCount: page.totalCount });
    },
  }),
}));

builder.mutationFields((t) => ({
  createTag: t.prismaField({
    type: TagType,
    authScopes: { scope: 'WRITE' },
    description: 'Creates a MANUAL or TEXT_MATCH tag. A TEXT_MATCH tag is applied to existing responses by a RETAG job.',
    errors: {},
    args: { input: t.arg({ type: CreateTagInput }) },
    resolve: async (query, _root, { input }, ctx) => {
      const tag = await createTag(ctx, { ...input, parentId: input.parentId?.id ?? null }, retagOnCommit(ctx));
      return ctx.db.tag.findUniqueOrThrow({ ...query, where: { id: tag.id } });
    },
  }),
  updateTag: t.prismaField({
    type: TagType,
    authScopes: { scope: 'WRITE' },
    description: 'Changes a tag. Changing the terms, rules, parent scope or enabled flag of an automatic tag re-tags existing responses in a RETAG job.',
    errors: {},
    args: { id: t.arg.globalID({ for: TagType }), input: t.arg({ type: UpdateTagInput }) },
    resolve: async (query, _root, { id, input }, ctx) => {
      const parentId = input.parentId === undefined ? undefined : (input.parentId?.id ?? null);
      await updateTag(ctx, id.id, { ...input, parentId }, retagOnCommit(ctx));
      return ctx.db.tag.findUniqueOrThrow({ ...query, where: { id: id.id } });
    },
  }),
  deleteTag: t.field({
    type: DeletedTag,
    authScopes: { scope: 'WRITE' },
    description: 'Deletes a MANUAL or TEXT_MATCH tag and removes it from every response; its children become top-level.',
    errors: deleteResult((deleted: DeletedShape) => deleted),
    args: { id: t.arg.globalID({ for: TagType }) },
    resolve: async (_root, { id }, ctx) => {
      await deleteTag(ctx, id.id);
      return { __typename: 'DeletedTag', id: encodeGlobalID('Tag', id.id) };
    },
  }),
}));
