import { builder } from '../../../graphql/builder.js';
import { OPERATORS, type FilterInput } from '../../../core/records/index.js';

export const FilterOperatorEnum = builder.enumType('FilterOperator', {
  description: 'How a record filter compares a field with its value.',
  values: OPERATORS,
});

export const RecordFilterInput = builder.inputRef<FilterInput>('RecordFilter').implement({
  description:
    'A filter tree. A node is a condition `{ field, operator, value | values }` and/or `and` / `or` / `not` sub-trees; the parts of one node are ANDed. `field` is a field key or a system field: id, createdAt, updatedAt, archived.',
  fields: (t) => ({
    and: t.field({ type: [RecordFilterInput], required: false }),
    or: t.field({ type: [RecordFilterInput], required: false }),
    not: t.field({ type: RecordFilterInput, required: false }),
    field: t.string({ required: false }),
    operator: t.field({ type: FilterOperatorEnum, required: false }),
    value: t.field({ type: 'JSON', required: false }),
    values: t.field({ type: ['JSON'], required: false, description: 'IN / NOT_IN: the candidates; BETWEEN: [low, high] (inclusive)' }),
  }),
});
