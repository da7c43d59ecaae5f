import { builder } from '../../../graphql/builder.js';
import { FIELD_TYPE_SPECS, FIELD_TYPES, type FieldTypeSpec } from '../../../core/records/index.js';
import { AggregateFunctionEnum } from './aggregate-input.graphql.js';
import { FilterOperatorEnum } from './record-filter.graphql.js';

export const FieldTypeEnum = builder.enumType('FieldType', {
  description: 'The data type of a field of a form or module, which fixes the shape of its values.',
  values: FIELD_TYPES,
});

export const FieldTypeInfo = builder.objectRef<FieldTypeSpec>('FieldTypeInfo').implement({
  description: 'What a field type stores and which operators, aggregations and settings apply to it.',
  fields: (t) => ({
    id: t.field({ type: FieldTypeEnum, resolve: (s) => s.id }),
    description: t.exposeString('description'),
    valueShape: t.exposeString('valueShape', { description: 'The JSON shape of a value in `values`' }),
    settings: t.exposeStringList('settings', {
      description: 'Field settings the type reads: options, allowMultiple, targetCollectionId, linkField, targetField, function, currency, expression',
    }),
    operators: t.field({ type: [FilterOperatorEnum], resolve: (s) => s.operators }),
    aggregations: t.field({ type: [AggregateFunctionEnum], resolve: (s) => s.aggregations }),
    sortable: t.exposeBoolean('sortable'),
    readOnly: t.exposeBoolean('readOnly', { description: 'Computed or assigned by the server; writing it is an error' }),
    searchable: t.exposeBoolean('searchable', { description: 'Free-text `search` looks into it' }),
    groupable: t.exposeBoolean('groupable'),
  }),
});

builder.queryFields((t) => ({
  fieldTypes: t.field({
    description: 'Every field type with its operators, options and capabilities',
    type: [FieldTypeInfo],
    authScopes: { scope: 'READ' },
    resolve: () => FIELD_TYPES.map((id) => FIELD_TYPE_SPECS[id]),
  }),
  fieldType: t.field({
    description: 'One field type of the catalog',
    type: FieldTypeInfo,
    authScopes: { scope: 'READ' },
    args: { id: t.arg({ type: FieldTypeEnum }) },
    resolve: (_r, { id }) => FIELD_TYPE_SPECS[id],
  }),
}));
