import { encodeGlobalID } from '@pothos/plugin-relay';
import { deletedTypeWithOldId, deleteResult, type DeletedShape } from '../../graphql/deleted.js';
import { builder } from '../../graphql/builder.js';
import { MetricTypeEnum, PropertyDataTypeEnum, SentimentEnum, SentimentFilterEnum } from './feedback.enums.js';
import type { StoredAnswer } from './survey.questions.js';
import {
  addResponseTags,
  countResponses,
  createResponse,
  deleteResponse,
  removeResponseTags,
  RESPONSE_SORTS,
  type ResponseSort,
  responsePage,
  submitResponse,
} from './response.service.js';
import type { ResponseFilter } from './response.filter.js';
import { responseMetrics, type ResponseMetrics } from './metrics.service.js';
import { feedbackWorkspace } from './onboarding.service.js';
import { loadEdges } from './connection.js';
import { pagedDescription, pagingArgs } from '../../graphql/paging.js';
import { FEEDBACK_PAGE } from '../../core/paging/index.js';
import { TagType } from './tag.graphql.js';
import { listOrder, orderInput, type ListOrder } from '../../graphql/list-order.js';
import { ProjectType } from './project.graphql.js';
import { SurveyType } from './survey.graphql.js';

const ResponseAnswer = builder.objectRef<StoredAnswer>('ResponseAnswer').implement({
  description: "A respondent's answer to one survey question.",
  fields: (t) => ({
    questionId: t.exposeString('questionId', { description: 'The question it answers' }),
    text: t.string({ description: 'OPEN_TEXT: the text', nullable: true, resolve: (a) => a.text ?? null }),
    number: t.int({ description: 'NPS and RATING: the number', nullable: true, resolve: (a) => a.number ?? null }),
    choices: t.stringList({ description: 'SINGLE_CHOICE and MULTIPLE_CHOICE: the chosen choices', nullable: true, resolve: (a) => a.choices ?? null }),
  }),
});

builder.prismaObject('ResponseProperty', {
  description: 'A custom property; value is the canonical text of its data type (NUMBER "2.5", BOOLEAN "true", DATE ISO 8601 UTC)',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The property’s name, unique per response' }),
    dataType: t.field({ description: 'Its data type', type: PropertyDataTypeEnum, resolve: (p) => p.dataType }),
    value: t.exposeString('value', { description: 'Its value in the canonical form of the data type' }),
  }),
});

builder.prismaObject('ResponseTag', {
  name: 'ResponseTagAssignment',
  description: 'A tag on a response',
  fields: (t) => ({
    tag: t.relation('tag', { description: 'The tag' }),
    sentiment: t.field({
      type: SentimentEnum,
      nullable: true,
      description:
        "The sentiment of the text that made a TEXT_MATCH tag match (the clauses holding its terms); for MANUAL and SMART tags, the response's. Tag statistics (sentimentBreakdown) count this one.",
      resolve: (rt) => rt.sentiment,
    }),
  }),
});

export const ResponseType = builder.prismaNode('Response', {
  description: 'One piece of customer feedback: its text, score, sentiment, tags and properties.',
  id: { field: 'id' },
  // another workspace's object (or a missing one) loads as null: node(id) answers null
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    feedback: t.exposeString('feedback', { description: 'The feedback text; null when there is none', nullable: true }),
    feedbackDate: t.expose('feedbackDate', { description: 'When the feedback was given', type: 'DateTime' }),
    userId: t.exposeString('userId', { nullable: true, description: "The respondent's id in the customer's own system" }),
    score: t.exposeFloat('score', { description: 'The score, in the range of its metric type', nullable: true }),
    metricType: t.field({ description: 'What the score measures', type: MetricTypeEnum, resolve: (r) => r.metricType }),
    sentiment: t.field({ description: 'Computed from the feedback text; null without text', type: SentimentEnum, nullable: true, resolve: (r) => r.sentiment }),
    sentimentScore: t.exposeFloat('sentimentScore', { nullable: true, description: 'AFINN comparative score the sentiment comes from' }),
    answers: t.field({
      description: 'Survey answers as submitted; null for responses without a survey',
      type: [ResponseAnswer],
      nullable: true,
      resolve: (r) => (r.answers as StoredAnswer[] | null) ?? null,
    }),
    survey: t.relation('survey', { description: 'The survey it answers; null for responses created or imported', nullable: true }),
    tags: t.field({
      description: 'Its tags, by name',
      type: [TagType],
      select: (_args, _ctx, nested) => ({ tags: { orderBy: { tag: { name: 'asc' } }, select: { tag: nested(true) } } }),
      resolve: (r) => r.tags.map((rt) => rt.tag),
    }),
    tagAssignments: t.relation('tags', {
      description: "Its tags, each with the tag's own sentiment in this response",
      query: { orderBy: { tag: { name: 'asc' } } },
    }),
    projects: t.field({
      description: 'The projects it belongs to, by name',
      type: [ProjectType],
      select: (_args, _ctx, nested) => ({ projects: { orderBy: { project: { name: 'asc' } }, select: { project: nested(true) } } }),
      resolve: (r) => r.projects.map((rp) => rp.project),
    }),
    properties: t.relation('properties', { description: 'Its custom properties, by key', query: { orderBy: { key: 'asc' } } }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ResponseSortEnum = builder.enumType('ResponseSort', { description: 'The order of the `responses` list.', values: RESPONSE_SORTS });

const ResponseOrderInput = orderInput('Response', { FEEDBACK_DATE: { description: 'when the feedback was given (DESC is the default), then id' } });

/** The deprecated sortBy values as order terms. */
const SORT_BY_ORDER = {
  FEEDBACK_DATE_DESC: { field: 'FEEDBACK_DATE', direction: 'DESC' },
  FEEDBACK_DATE_ASC: { field: 'FEEDBACK_DATE', direction: 'ASC' },
} as const satisfies Record<ResponseSort, ListOrder<'FEEDBACK_DATE'>>;

export const ResponseFilterInput = builder.inputType('ResponseFilter', {
  description: 'All given filters apply; list filters match any of their values',
  fields: (t) => ({
    surveyIds: t.globalIDList({ description: 'Responses to any of these surveys', required: false, for: SurveyType }),
    projectIds: t.globalIDList({ description: 'Responses in any of these projects', required: false, for: ProjectType }),
    tagIds: t.globalIDList({ required: false, for: TagType, description: 'Responses carrying any of these tags' }),
    tagSentimentIn: t.field({
      type: [SentimentFilterEnum],
      required: false,
      description: 'Responses carrying a tag (one of tagIds, else any) whose own sentiment (see Response.tagAssignments) is one of these',
    }),
    sentimentIn: t.field({ description: 'Responses with any of these sentiments (NONE: without)', type: [SentimentFilterEnum], required: false }),
    metricTypeIn: t.field({ description: 'Responses of any of these metric types', type: [MetricTypeEnum], required: false }),
    scoreMin: t.float({ required: false, description: 'Inclusive' }),
    scoreMax: t.float({ required: false, description: 'Inclusive' }),
    feedbackDateFrom: t.field({ type: 'DateBound', required: false, description: 'Inclusive: a day "2018-01-01" from its first instant, or a date-time' }),
    feedbackDateTo: t.field({ type: 'DateBound', required: false, description: 'Inclusive: a day "2018-12-31" up to its last instant, or a date-time' }),
    search: t.string({ required: false, description: 'Case-insensitive substring of the feedback, <= 512 characters' }),
    text: t.string({ description: 'The old name of `search`', required: false, deprecationReason: 'Use search' }),
  }),
});

type FilterArg = typeof ResponseFilterInput.$inferInput | null | undefined;

/** GraphQL filter (global ids) -> service filter (row ids). */
export function toResponseFilter(f: FilterArg): ResponseFilter {
  if (!f) return {};
  const ids = (list: { id: string }[] | null | undefined) => list?.map((x) => x.id) ?? null;
  const { search, ...rest } = f;
  return { ...rest, text: search ?? f.text, surveyIds: ids(f.surveyIds), projectIds: ids(f.projectIds), tagIds: ids(f.tagIds) };
}

const ResponseMetricsType = builder.objectRef<ResponseMetrics>('ResponseMetrics').implement({
  description:
    'Score metrics of a set of responses. NPS = % promoters (9-10) - % detractors (0-6) over NPS responses (-100..100). CSAT = % of CSAT scores >= 4 (on 1..5). CES = average CES score (1..7). Null when the set has no responses of that metric.',
  fields: (t) => ({
    responseCount: t.exposeInt('responseCount', { description: 'All responses in the set' }),
    nps: t.exposeFloat('nps', { description: 'Net Promoter Score, -100..100', nullable: true }),
    npsResponseCount: t.exposeInt('npsResponseCount', { description: 'Responses with an NPS score' }),
    promoters: t.exposeInt('promoters', { description: 'NPS scores of 9 or 10' }),
    passives: t.exposeInt('passives', { description: 'NPS scores of 7 or 8' }),
    detractors: t.exposeInt('detractors', { description: 'NPS scores of 0 to 6' }),
    csat: t.exposeFloat('csat', { description: 'Share of CSAT scores of 4 or 5, in percent', nullable: true }),
    csatResponseCount: t.exposeInt('csatResponseCount', { description: 'Responses with a CSAT score' }),
    ces: t.exposeFloat('ces', { description: 'Average CES score, 1..7', nullable: true }),
    cesResponseCount: t.exposeInt('cesResponseCount', { description: 'Responses with a CES score' }),
  }),
});

export interface ResponseConnectionExtras {
  totalCount: () => Promise<number>;
  metrics: () => Promise<ResponseMetrics>;
}

/** The one list type of responses: `responses` and `Import.responses`. */
export const ResponseConnection = builder.connectionObject(
  {
    type: ResponseType,
    name: 'ResponseConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: 'All responses of the list (matching its filter)',
        resolve: (c) => (c as unknown as ResponseConnectionExtras).totalCount(),
      }),
      metrics: t.field({
        type: ResponseMetricsType,
        description: 'Score metrics of all responses of the list (matching its filter)',
        resolve: (c) => (c as unknown as ResponseConnectionExtras).metrics(),
      }),
    }),
  },
  { name: 'ResponseEdge' },
);

const PropertyInput = builder.inputType('ResponsePropertyInput', {
  description: 'A custom property of a response.',
  fields: (t) => ({
    key: t.string({ description: '1-100 characters, unique per response' }),
    dataType: t.field({ description: 'Its data type', type: PropertyDataTypeEnum }),
    value: t.string({ description: 'Stored in the canonical form of dataType' }),
  }),
});

const AnswerInput = builder.inputType('ResponseAnswerInput', {
  description: 'text for OPEN_TEXT, number for NPS and RATING, choices for SINGLE_CHOICE (exactly one) and MULTIPLE_CHOICE',
  fields: (t) => ({
    questionId: t.string({ description: 'The question it answers' }),
    text: t.string({ description: 'OPEN_TEXT: the text', required: false }),
    number: t.int({ description: 'NPS and RATING: the number', required: false }),
    choices: t.stringList({ description: 'SINGLE_CHOICE and MULTIPLE_CHOICE: the chosen choices', required: false }),
  }),
});

const CreateResponseInput = builder.inputType('CreateResponseInput', {
  description: 'A response without a survey (e.g. from another tool)',
  fields: (t) => ({
    feedback: t.string({ required: false, description: 'At most 10,000 characters; sentiment is computed from it' }),
    feedbackDate: t.field({ type: 'DateTime', required: false, description: 'Default now' }),
    userId: t.string({ description: 'The respondent’s id in your own system', required: false }),
    score: t.float({ required: false, description: 'NPS integer 0..10, CSAT 1..5, CES 1..7, OTHER any number' }),
    metricType: t.field({ type: MetricTypeEnum, required: false, description: 'Default OTHER' }),
    projectIds: t.globalIDList({ description: 'Projects it joins', required: false, for: ProjectType }),
    tagIds: t.globalIDList({ required: false, for: TagType, description: 'MANUAL tags to add; automatic tags apply by themselves' }),
    properties: t.field({ description: 'Its custom properties', type: [PropertyInput], required: false }),
  }),
});

const SubmitResponseInput = builder.inputType('SubmitResponseInput', {
  description: 'The answers of a respondent to an IN_PROGRESS survey.',
  fields: (t) => ({
    surveyId: t.globalID({ description: 'The survey answered (IN_PROGRESS)', for: SurveyType }),
    answers: t.field({ description: 'One answer per answered question', type: [AnswerInput] }),
    feedbackDate: t.field({ description: 'When the answers were given; default now', type: 'DateTime', required: false }),
    userId: t.string({ description: 'The respondent’s id in your own system', required: false }),
    singleUseId: t.string({ required: false, description: 'Required when the survey has single-use links; each id answers once' }),
    projectIds: t.globalIDList({ description: 'Projects it joins', required: false, for: ProjectType }),
    properties: t.field({ description: 'Its custom properties', type: [PropertyInput], required: false }),
  }),
});

const DeletedResponse = deletedTypeWithOldId('DeletedResponse', 'A deleted response');

builder.queryFields((t) => ({
  responses: t.field({
    type: ResponseConnection,
    authScopes: { scope: 'READ' },
    description: pagedDescription(
      'Responses of the workspace, newest feedbackDate first by default. Fails FAILED_DEPENDENCY before onboarding.',
      FEEDBACK_PAGE,
    ),
    args: {
      filter: t.arg({ type: ResponseFilterInput, required: false }),
      orderBy: t.arg({ type: [ResponseOrderInput], required: false, description: 'One term; default FEEDBACK_DATE DESC' }),
      sortBy: t.arg({ type: ResponseSortEnum, required: false, deprecationReason: 'Use orderBy' }),
      ...pagingArgs,
    },
    resolve: async (_root, args, ctx, info) => {
      const filter = toResponseFilter(args.filter);
      const order = listOrder(args, SORT_BY_ORDER);
      const page = await responsePage(ctx, { ...args, filter, sortBy: order && `FEEDBACK_DATE_${order.direction}` });
      const connection = await loadEdges(ctx, info, 'Response', page, (query, ids) => ctx.db.response.findMany({ ...query, where: { id: { in: ids } } }));
      return Object.assign(connection, {
        totalCount: () => countResponses(ctx, filter),
        metrics: () => responseMetrics(ctx.db, page.workspaceId, filter),
      });
    },
  }),
  responseMetrics: t.field({
    type: ResponseMetricsType,
    authScopes: { scope: 'READ' },
    description: 'Score metrics of the responses matching the filter (computed in one SQL aggregate)',
    args: { filter: t.arg({ type: ResponseFilterInput, required: false }) },
    resolve: async (_root, args, ctx) => responseMetrics(ctx.db, await feedbackWorkspace(ctx), toResponseFilter(args.filter)),
  }),
}));

const ids = (list: { id: string }[] | null | undefined) => list?.map((x) => x.id) ?? null;

builder.mutationFields((t) => ({
  createResponse: t.prismaField({
    description: 'Creates a response with its score and feedback; sentiment and automatic tags are computed on write',
    type: ResponseType,
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { input: t.arg({ type: CreateResponseInput }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await createResponse(ctx, { ...input, projectIds: ids(input.projectIds), tagIds: ids(input.tagIds) });
      return ctx.db.response.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  submitResponse: t.prismaField({
    type: ResponseType,
    authScopes: { scope: 'WRITE' },
    description:
      'Answers an IN_PROGRESS survey. Answers are validated against its questions; score and metricType come from the first answered NPS question, else the first answered RATING question; feedback is the open-text answers.',
    errors: {},
    args: { input: t.arg({ type: SubmitResponseInput }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await submitResponse(ctx, { ...input, surveyId: input.surveyId.id, projectIds: ids(input.projectIds) });
      return ctx.db.response.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  deleteResponse: t.field({
    description: 'Deletes the response for good. Returns its id.',
    type: DeletedResponse,
    authScopes: { scope: 'WRITE' },
    errors: deleteResult((deleted: DeletedShape) => deleted),
    args: { id: t.arg.globalID({ for: ResponseType }) },
    resolve: async (_root, { id }, ctx) => {
      await deleteResponse(ctx, id.id);
      return { __typename: 'DeletedResponse', id: encodeGlobalID('Response', id.id) };
    },
  }),
  addResponseTags: t.prismaField({
    type: ResponseType,
    authScopes: { scope: 'WRITE' },
    description: 'Adds MANUAL tags (idempotent); each tag’s filter rules must hold for the response',
    errors: {},
    args: { responseId: t.arg.globalID({ for: ResponseType }), tagIds: t.arg.globalIDList({ for: TagType }) },
    resolve: async (query, _root, args, ctx) => {
      await addResponseTags(
        ctx,
        args.responseId.id,
        args.tagIds.map((x) => x.id),
      );
      return ctx.db.response.findUniqueOrThrow({ ...query, where: { id: args.responseId.id } });
    },
  }),
  removeResponseTags: t.prismaField({
    type: ResponseType,
    authScopes: { scope: 'WRITE' },
    description: 'Removes MANUAL tags',
    errors: {},
    args: { responseId: t.arg.globalID({ for: ResponseType }), tagIds: t.arg.globalIDList({ for: TagType }) },
    resolve: async (query, _root, args, ctx) => {
      await removeResponseTags(
        ctx,
        args.responseId.id,
        args.tagIds.map((x) => x.id),
      );
      return ctx.db.response.findUniqueOrThrow({ ...query, where: { id: args.responseId.id } });
    },
  }),
}));
