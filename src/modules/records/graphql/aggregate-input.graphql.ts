/** What aggregates a client asks for: functions per field and an optional grouping. */
import { AGGREGATE_FUNCTIONS, BUCKETS } from '../../../core/records/index.js';
import { builder } from '../../../graphql/builder.js';

export const AggregateFunctionEnum = builder.enumType('AggregateFunction', {
  description: 'How an aggregate combines the values of a field.',
  values: AGGREGATE_FUNCTIONS,
});
export const DateBucketEnum = builder.enumType('DateBucket', { description: 'The period date values are grouped by.', values: BUCKETS });

export const AggregateInput = builder.inputType('AggregateInput', {
  description: 'One aggregate to compute over a record list.',
  fields: (t) => ({ field: t.string(), functions: t.field({ type: [AggregateFunctionEnum] }) }),
});
export const GroupByInput = builder.inputType('GroupByInput', {
  description: 'How aggregates group the records.',
  fields: (t) => ({
    field: t.string(),
    bucket: t.field({ type: DateBucketEnum, required: false, description: 'Date-time fields: DAY, WEEK (ISO, Monday), MONTH (default), YEAR; in UTC' }),
  }),
});
