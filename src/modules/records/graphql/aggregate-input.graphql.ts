/** What aggregates a client asks for: functions per field and an optional grouping. */
import { AGGREGATE_FUNCTIONS, BUCKETS } from '../../../core/records/index.js';
import { builder } from '../../../graphql/builder.js';

export const AggregateFunctionEnum = builder.enumType('AggregateFunction', { values: AGGREGATE_FUNCTIONS });
export const DateBucketEnum = builder.enumType('DateBucket', { values: BUCKETS });

export const AggregateInput = builder.inputType('AggregateInput', {
  fields: (t) => ({ field: t.string(), functions: t.field({ type: [AggregateFunctionEnum] }) }),
});
export const GroupByInput = builder.inputType('GroupByInput', {
  fields: (t) => ({
    field: t.string(),
    bucket: t.field({ type: DateBucketEnum, required: false, description: 'Date-time fields: DAY, WEEK (ISO, Monday), MONTH (default), YEAR; in UTC' }),
  }),
});
