import { builder } from '../../../graphql/builder.js';
import type { AggregateResult, FieldDefinition } from '../../../core/records/index.js';

type FieldAggregateShape = AggregateResult['aggregates'][number];
export const FieldAggregateType = builder.objectRef<FieldAggregateShape>('FieldAggregate').implement({
  description: 'Aggregates of one field; sum/avg/min/max are exact decimal strings (ISO strings for dates); null when not asked for or nothing to aggregate.',
  fields: (t) => ({
    field: t.exposeString('field'),
    count: t.exposeInt('count', { nullable: true }),
    countEmpty: t.exposeInt('countEmpty', { nullable: true }),
    countNotEmpty: t.exposeInt('countNotEmpty', { nullable: true }),
    sum: t.exposeString('sum', { nullable: true }),
    avg: t.exposeString('avg', { nullable: true }),
    min: t.exposeString('min', { nullable: true }),
    max: t.exposeString('max', { nullable: true }),
  }),
});

type GroupShape = NonNullable<AggregateResult['groups']>[number] & { label: string | null };
export const AggregateGroupType = builder.objectRef<GroupShape>('AggregateGroup').implement({
  description: 'The aggregates of one group of records.',
  fields: (t) => ({
    key: t.exposeString('key', {
      nullable: true,
      description: 'The group value as text (option id, user id, "true", a bucket\'s first day "2026-05-01"); null = empty',
    }),
    label: t.exposeString('label', { nullable: true, description: 'The option label, for STATIC_SELECT groups' }),
    count: t.exposeInt('count'),
    aggregates: t.field({ type: [FieldAggregateType], resolve: (g) => g.aggregates }),
  }),
});

export const RecordAggregatesType = builder.objectRef<AggregateResult & { labels: Map<string, string> }>('RecordAggregates').implement({
  description: 'Computed in SQL over the filtered set',
  fields: (t) => ({
    count: t.exposeInt('count'),
    aggregates: t.field({ type: [FieldAggregateType], resolve: (a) => a.aggregates }),
    groups: t.field({
      type: [AggregateGroupType],
      nullable: true,
      resolve: (a) => a.groups?.map((g) => ({ ...g, label: g.key === null ? null : (a.labels.get(g.key) ?? null) })) ?? null,
    }),
  }),
});

/** Option labels of a STATIC_SELECT groupBy field, for AggregateGroup.label. */
export function groupLabels(fields: FieldDefinition[], groupBy: { field: string } | null | undefined): Map<string, string> {
  const f = fields.find((x) => x.key === groupBy?.field);
  return new Map((f?.type === 'STATIC_SELECT' ? f.options : []).map((o) => [o.id, o.label]));
}
