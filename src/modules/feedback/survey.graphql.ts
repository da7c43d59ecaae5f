import { encodeGlobalID } from '@pothos/plugin-relay';
import { deleteResult, DeletedInterface, type DeletedShape } from '../../graphql/deleted.js';
import { builder } from '../../graphql/builder.js';
import { MetricTypeEnum, QuestionTypeEnum, SurveyStatusEnum, SurveyTypeEnum } from './feedback.enums.js';
import type { Question } from './survey.questions.js';
import { changeSurveyStatus, createSurvey, deleteSurvey, SURVEY_TRANSITIONS, surveyPage, updateSurvey, type SurveyOrder } from './survey.service.js';
import { listOrder, orderInput } from '../../graphql/list-order.js';
import { loadEdges } from './connection.js';
import { selects } from '../../graphql/selects.js';
import { pagedDescription, pagingArgs } from '../../graphql/paging.js';
import { FEEDBACK_PAGE } from '../../core/paging/index.js';

const SurveyQuestionType = builder.objectRef<Question>('SurveyQuestion').implement({
  description:
    'NPS: integer 0..10. RATING: integer 1..scale (CSAT 1..5, CES 1..7, OTHER 3/4/5/7/10). SINGLE_CHOICE / MULTIPLE_CHOICE: from choices. OPEN_TEXT: text, becomes the response feedback.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Stable id within the survey, used by answers' }),
    type: t.field({ description: 'The kind of answer it takes', type: QuestionTypeEnum, resolve: (q) => q.type }),
    headline: t.exposeString('headline', { description: 'The question as respondents read it' }),
    required: t.exposeBoolean('required', { description: 'A submission must answer it' }),
    choices: t.exposeStringList('choices', { description: 'Choice questions: the choices', nullable: true }),
    scale: t.exposeInt('scale', { description: 'RATING: the highest rating', nullable: true }),
    metricType: t.field({ description: 'RATING: the metric its answers are scored in', type: MetricTypeEnum, nullable: true, resolve: (q) => q.metricType }),
  }),
});

const SingleUse = builder.simpleObject('SurveySingleUse', {
  description: 'Single-use links: when enabled, each submission carries a singleUseId that can be used once',
  fields: (t) => ({
    enabled: t.boolean({ description: 'Each submission needs a singleUseId, which answers once' }),
    isEncrypted: t.boolean({ description: 'The single-use ids are encrypted (only with enabled)' }),
  }),
});

export const SurveyType = builder.prismaNode('Survey', {
  description: 'Questions respondents answer; each submission is a response.',
  id: { field: 'id' },
  // another workspace's object (or a missing one) loads as null: node(id) answers null
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'A label' }),
    type: t.field({ description: 'Where it is shown', type: SurveyTypeEnum, resolve: (s) => s.type }),
    status: t.field({ description: 'Where it is in its life; only IN_PROGRESS accepts responses', type: SurveyStatusEnum, resolve: (s) => s.status }),
    nextStatuses: t.field({ type: [SurveyStatusEnum], description: 'The statuses it may change to now', resolve: (s) => [...SURVEY_TRANSITIONS[s.status]] }),
    questions: t.field({ description: 'Its questions, in order', type: [SurveyQuestionType], resolve: (s) => s.questions as unknown as Question[] }),
    singleUse: t.field({
      description: 'Whether each link answers once',
      type: SingleUse,
      resolve: (s) => ({ enabled: s.singleUseEnabled, isEncrypted: s.singleUseEncrypted }),
    }),
    createdBy: t.relation('createdBy', { nullable: true, description: 'The user who created it; null when created with an API key' }),
    responseCount: t.relationCount('responses', { description: 'Responses submitted' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const SurveyOrderInput = orderInput('Survey', {
  CREATED_AT: { description: 'DESC: newest first' },
  UPDATED_AT: { description: 'DESC: most recently updated first (the default)' },
  NAME: { description: 'ASC: A to Z, case-insensitive' },
  RELEVANCE: {
    description:
      'DESC: best match of filter.search first: exact name, then name starting with it, then a word starting with it, then containing it; within each, earlier match first; then most recently updated. Without search: as UPDATED_AT. The cursor is bound to the search term too.',
  },
});

/** The deprecated sortBy values as order terms. */
const SORT_BY_ORDER = {
  CREATED_AT: { field: 'CREATED_AT', direction: 'DESC' },
  UPDATED_AT: { field: 'UPDATED_AT', direction: 'DESC' },
  NAME: { field: 'NAME', direction: 'ASC' },
  RELEVANCE: { field: 'RELEVANCE', direction: 'DESC' },
} as const satisfies Record<string, SurveyOrder>;

const SurveySortEnum = builder.enumType('SurveySort', {
  description: 'The order of the `surveys` list.',
  values: {
    CREATED_AT: { description: 'newest first' },
    UPDATED_AT: { description: 'most recently updated first (default)' },
    NAME: { description: 'A to Z, case-insensitive' },
    RELEVANCE: {
      description:
        'By match of filter.nameContains (case-insensitive): exact name, then name starting with it, then a word starting with it, then containing it; within each, earlier match first; then most recently updated. Without nameContains: as UPDATED_AT. The cursor is bound to the search term too.',
    },
  },
});

const SurveyFilter = builder.inputType('SurveyFilter', {
  description: 'Which surveys the `surveys` list holds; all given filters apply.',
  fields: (t) => ({
    search: t.string({ required: false, description: 'Case-insensitive substring of the name, <= 512 characters; the RELEVANCE sort ranks by it' }),
    nameContains: t.string({ description: 'The old name of `search`', required: false, deprecationReason: 'Use search' }),
    statusIn: t.field({ description: 'Surveys in any of these statuses', type: [SurveyStatusEnum], required: false }),
    typeIn: t.field({ description: 'Surveys of any of these types', type: [SurveyTypeEnum], required: false }),
  }),
});

const SurveyConnection = builder.connectionObject(
  {
    type: SurveyType,
    name: 'SurveyConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: 'All surveys matching the filter',
        resolve: (c) => (c as unknown as { totalCount: () => Promise<number> }).totalCount(),
      }),
    }),
  },
  { name: 'SurveyEdge' },
);

const QuestionInput = builder.inputType('SurveyQuestionInput', {
  description: 'One question of a survey.',
  fields: (t) => ({
    id: t.string({ required: false, description: 'Stable id (1-64 of A-Z a-z 0-9 _ -); generated when omitted' }),
    type: t.field({ description: 'The kind of answer it takes', type: QuestionTypeEnum }),
    headline: t.string({ description: 'The question as respondents read it' }),
    required: t.boolean({ required: false, description: 'Default true' }),
    choices: t.stringList({ required: false, description: 'Choice questions only: at least 2, distinct' }),
    scale: t.int({ required: false, description: 'RATING only: 3, 4, 5, 7 or 10 (CSAT is 5, CES is 7)' }),
    metricType: t.field({ type: MetricTypeEnum, required: false, description: 'RATING only: CSAT, CES or OTHER (default)' }),
  }),
});

const SingleUseInput = builder.inputType('SurveySingleUseInput', {
  description: 'Single-use links: each id answers the survey once.',
  fields: (t) => ({
    enabled: t.boolean({ description: 'Each submission needs a singleUseId, which answers once' }),
    isEncrypted: t.boolean({ required: false, description: 'The single-use ids are encrypted; only with enabled' }),
  }),
});

const CreateSurveyInput = builder.inputType('CreateSurveyInput', {
  description: 'A new survey, created as DRAFT.',
  fields: (t) => ({
    name: t.string({ description: 'A label' }),
    type: t.field({ description: 'Where it is shown', type: SurveyTypeEnum }),
    questions: t.field({ description: 'Its questions, in order', type: [QuestionInput], required: false }),
    singleUse: t.field({ description: 'Whether each link answers once; default off', type: SingleUseInput, required: false }),
  }),
});

const UpdateSurveyInput = builder.inputType('UpdateSurveyInput', {
  description: 'Omitted fields stay. Questions change only while DRAFT or PAUSED.',
  fields: (t) => ({
    name: t.string({ required: false }),
    type: t.field({ type: SurveyTypeEnum, required: false }),
    questions: t.field({ type: [QuestionInput], required: false }),
    singleUse: t.field({ type: SingleUseInput, required: false }),
  }),
});

const DeletedSurvey = builder.objectRef<DeletedShape & { deletedResponses: number }>('DeletedSurvey').implement({
  description: 'A deleted survey, which took its responses with it',
  interfaces: [DeletedInterface],
  fields: (t) => ({
    deletedId: t.exposeID('id', { deprecationReason: 'Use id' }),
    deletedResponses: t.exposeInt('deletedResponses', { description: 'Responses deleted with it' }),
  }),
});

builder.queryFields((t) => ({
  surveys: t.field({
    type: SurveyConnection,
    authScopes: { scope: 'READ' },
    description: pagedDescription('Surveys of the workspace. Needs no feedback onboarding: surveys are a product of their own.', FEEDBACK_PAGE),
    args: {
      filter: t.arg({ type: SurveyFilter, required: false }),
      orderBy: t.arg({ type: [SurveyOrderInput], required: false, description: 'One term; default UPDATED_AT DESC' }),
      sortBy: t.arg({ type: SurveySortEnum, required: false, deprecationReason: 'Use orderBy' }),
      ...pagingArgs,
    },
    resolve: async (_root, args, ctx, info) => {
      const { search, ...filter } = args.filter ?? {};
      const order = listOrder(args, SORT_BY_ORDER);
      const page = await surveyPage(
        ctx,
        { ...args, order, filter: { ...filter, nameContains: search ?? filter.nameContains } },
        { totalCount: selects(info, ['totalCount']) },
      );
      const connection = await loadEdges(ctx, info, 'Survey', page, (query, ids) => ctx.db.survey.findMany({ ...query, where: { id: { in: ids } } }));
      return Object.assign(connection, { totalCount: page.totalCount });
    },
  }),
}));

builder.mutationFields((t) => ({
  createSurvey: t.prismaField({
    type: SurveyType,
    authScopes: { scope: 'WRITE' },
    description: 'Creates a DRAFT survey',
    errors: {},
    args: { input: t.arg({ type: CreateSurveyInput }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await createSurvey(ctx, input);
      return ctx.db.survey.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  updateSurvey: t.prismaField({
    description: 'Changes a survey; omitted fields stay',
    type: SurveyType,
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { id: t.arg.globalID({ for: SurveyType }), input: t.arg({ type: UpdateSurveyInput }) },
    resolve: async (query, _root, { id, input }, ctx) => {
      await updateSurvey(ctx, id.id, input);
      return ctx.db.survey.findUniqueOrThrow({ ...query, where: { id: id.id } });
    },
  }),
  changeSurveyStatus: t.prismaField({
    type: SurveyType,
    authScopes: { scope: 'WRITE' },
    description: 'Legal changes only (see SurveyStatus); anything else fails CONFLICT',
    errors: {},
    args: { id: t.arg.globalID({ for: SurveyType }), status: t.arg({ type: SurveyStatusEnum }) },
    resolve: async (query, _root, { id, status }, ctx) => {
      await changeSurveyStatus(ctx, id.id, status);
      return ctx.db.survey.findUniqueOrThrow({ ...query, where: { id: id.id } });
    },
  }),
  deleteSurvey: t.field({
    type: DeletedSurvey,
    authScopes: { scope: 'WRITE' },
    description: 'Deletes the survey with all its responses',
    errors: deleteResult((deleted: DeletedShape) => deleted),
    args: { id: t.arg.globalID({ for: SurveyType }) },
    resolve: async (_root, { id }, ctx) => {
      const r = await deleteSurvey(ctx, id.id);
      return { __typename: 'DeletedSurvey', id: encodeGlobalID('Survey', r.id), deletedResponses: r.deletedResponses };
    },
  }),
}));
