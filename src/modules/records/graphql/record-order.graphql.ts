import { builder } from '../../../graphql/builder.js';

import { SortDirectionEnum } from '../../../graphql/enums.js';

export { SortDirectionEnum };
export const NullsOrderEnum = builder.enumType('NullsOrder', {
  description: 'Whether empty values sort before or after the others.',
  values: ['FIRST', 'LAST'] as const,
});

export const RecordOrderInput = builder.inputType('RecordOrder', {
  description: 'One term of the order of a record list: a field and its direction.',
  fields: (t) => ({
    field: t.string({ description: 'A sortable field key or createdAt, updatedAt, id' }),
    direction: t.field({ type: SortDirectionEnum, required: false, defaultValue: 'ASC' }),
    nulls: t.field({ type: NullsOrderEnum, required: false, description: 'Default: LAST when ASC, FIRST when DESC' }),
  }),
});
