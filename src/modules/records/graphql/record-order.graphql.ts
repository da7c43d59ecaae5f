import { builder } from '../../../graphql/builder.js';

export const SortDirectionEnum = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });
export const NullsOrderEnum = builder.enumType('NullsOrder', { values: ['FIRST', 'LAST'] as const });

export const RecordOrderInput = builder.inputType('RecordOrder', {
  fields: (t) => ({
    field: t.string({ description: 'A sortable field key or createdAt, updatedAt, id' }),
    direction: t.field({ type: SortDirectionEnum, required: false, defaultValue: 'ASC' }),
    nulls: t.field({ type: NullsOrderEnum, required: false, description: 'Default: LAST when ASC, FIRST when DESC' }),
  }),
});
