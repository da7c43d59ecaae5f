import { builder } from '../../graphql/builder.js';
import { METRIC_TYPES } from './tag.rules.js';
import { QUESTION_TYPES } from './survey.questions.js';
import { PROPERTY_DATA_TYPES } from './response.properties.js';
import { SURVEY_STATUSES, SURVEY_TYPES } from './survey.service.js';
import { PRODUCT_CATEGORIES } from './onboarding.catalog.js';

export const MetricTypeEnum = builder.enumType('MetricType', {
  description: 'What a response score measures: NPS 0..10, CSAT 1..5, CES 1..7, OTHER any number',
  values: METRIC_TYPES,
});
export const SentimentEnum = builder.enumType('Sentiment', {
  description: 'From the AFINN comparative score of the feedback text: >= 0.05 POSITIVE, <= -0.05 NEGATIVE, otherwise NEUTRAL; null without text',
  values: ['POSITIVE', 'NEGATIVE', 'NEUTRAL'] as const,
});
export const SentimentFilterEnum = builder.enumType('SentimentFilter', {
  description: 'A sentiment to filter by; NONE selects responses without sentiment (no feedback text)',
  values: ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'NONE'] as const,
});
export const TagModeEnum = builder.enumType('TagMode', {
  description: 'How a tag gets onto responses.',
  values: {
    MANUAL: { description: 'added and removed by hand' },
    SMART: { description: 'created by onboarding for the chosen category; applied automatically by built-in terms' },
    TEXT_MATCH: { description: 'applied automatically when the feedback contains a term as whole words (case-insensitive) and the filter rules hold' },
  },
});
export const UserTagModeEnum = builder.enumType('UserTagMode', { description: 'The tag modes users can create', values: ['MANUAL', 'TEXT_MATCH'] as const });
export const TagFilterRuleTypeEnum = builder.enumType('TagFilterRuleType', {
  description: 'A condition a response must meet for a TEXT_MATCH tag to apply.',
  values: {
    SCORE_RANGE: { description: 'score between min and max (inclusive; either may be omitted); responses without a score fail it' },
    METRIC_TYPE: { description: 'metricType is one of metricTypes' },
    PROPERTY_EQUALS: { description: 'the custom property `key` has exactly `value` (canonical form of its data type)' },
  },
});
export const SurveyTypeEnum = builder.enumType('SurveyType', {
  description: 'Where a survey is shown to respondents.',
  values: SURVEY_TYPES,
});
export const SurveyStatusEnum = builder.enumType('SurveyStatus', {
  description: 'DRAFT -> IN_PROGRESS; IN_PROGRESS <-> PAUSED; IN_PROGRESS or PAUSED -> COMPLETED (final). Only IN_PROGRESS accepts responses.',
  values: SURVEY_STATUSES,
});
export const QuestionTypeEnum = builder.enumType('QuestionType', {
  description: 'The kind of answer a survey question takes.',
  values: QUESTION_TYPES,
});
export const PropertyDataTypeEnum = builder.enumType('PropertyDataType', {
  description: "The data type of a response's custom property, which fixes the canonical form of its value.",
  values: PROPERTY_DATA_TYPES,
});
export const ProductCategoryEnum = builder.enumType('ProductCategory', {
  description: 'The product category chosen at onboarding; it selects the SMART tags.',
  values: Object.fromEntries(PRODUCT_CATEGORIES.map((c) => [c.key, { description: c.name }])) as Record<string, { description: string }>,
});
