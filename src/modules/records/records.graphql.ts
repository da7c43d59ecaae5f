/**
 * GraphQL building blocks shared by every face of the typed-records engine (Form/Entry here,
 * Module/ModuleRecord in CRM): field types, Field, filter/order/aggregate inputs, typed values,
 * views, and helpers that turn engine pages into Relay connections. No root fields for a
 * specific face live here.
 */
import { offsetArg } from '../../graphql/paging.js';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace, type GraphQLContext } from '../../context.js';
import {
  AGGREGATE_FUNCTIONS,
  BUCKETS,
  FIELD_TYPE_SPECS,
  FIELD_TYPES,
  OPERATORS,
  applyView,
  effectiveType,
  loadSchema,
  VIEW_KINDS,
  type SavedView,
  presentValue,
  toGlobalId,
  viewOf,
  type AggregateArgs,
  type AggregateResult,
  type FieldDefinition,
  type FieldInput,
  type FieldType,
  type FieldTypeSpec,
  type FieldUpdate,
  type FilterInput,
  type Json,
  type OrderInput,
  type QueryArgs,
  type RecordPage,
  type RecordScope,
  type SelectOption,
} from '../../core/records/index.js';
import { invalidField } from '../../errors.js';
import { UserType } from '../identity/user.graphql.js';
import { loaderFor } from './loaders.js';

export const FieldTypeEnum = builder.enumType('FieldType', { values: FIELD_TYPES });
export const FilterOperatorEnum = builder.enumType('FilterOperator', { values: OPERATORS });
export const AggregateFunctionEnum = builder.enumType('AggregateFunction', { values: AGGREGATE_FUNCTIONS });
export { SortDirectionEnum } from '../../graphql/enums.js';
import { BYTE_SIZE_DESCRIPTION } from '../../graphql/byte-size.js';
import { SortDirectionEnum } from '../../graphql/enums.js';
export const NullsOrderEnum = builder.enumType('NullsOrder', { values: ['FIRST', 'LAST'] as const });
export const DateBucketEnum = builder.enumType('DateBucket', { values: BUCKETS });
export const RollupFunctionEnum = builder.enumType('RollupFunction', { values: ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT'] as const });

// ------------------------------------------------------------------ catalog

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

// ------------------------------------------------------------------ fields

export const SelectOptionType = builder.objectRef<SelectOption>('SelectOption').implement({
  fields: (t) => ({ id: t.exposeString('id'), label: t.exposeString('label'), order: t.exposeInt('order') }),
});

/** Field definitions come from the engine's memoised schema (one cheap load per collection and request). */
export const FieldRef = builder.objectRef<FieldDefinition>('Field');
builder.node(FieldRef, {
  id: { resolve: (f) => f.id },
  loadMany: async (ids, ctx) => {
    const { workspaceId } = requireWorkspace(ctx);
    const rows = await ctx.db.fieldDef.findMany({ where: { id: { in: ids as string[] }, collection: { workspaceId } } });
    const { toFieldDefinition } = await import('../../core/records/schema.js');
    return ids.map((id) => {
      const row = rows.find((r) => r.id === id);
      return row ? toFieldDefinition(row) : null;
    }) as FieldDefinition[];
  },
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'key' in v && 'allowMultiple' in v && 'config' in v,
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable, immutable, unique in its collection: [a-z][a-z0-9_]*' }),
    label: t.exposeString('label'),
    description: t.exposeString('description', { nullable: true }),
    type: t.field({ type: FieldTypeEnum, resolve: (f) => f.type }),
    typeInfo: t.field({ type: FieldTypeInfo, resolve: (f) => FIELD_TYPE_SPECS[f.type] }),
    required: t.exposeBoolean('required'),
    allowMultiple: t.exposeBoolean('allowMultiple'),
    readOnly: t.boolean({ resolve: (f) => FIELD_TYPE_SPECS[f.type].readOnly }),
    options: t.field({ type: [SelectOptionType], resolve: (f) => f.options }),
    defaultValue: t.field({ type: 'JSON', nullable: true, resolve: (f) => f.defaultValue ?? null }),
    position: t.exposeInt('position'),
    visible: t.exposeBoolean('visible'),
    indexed: t.exposeBoolean('indexed', { description: 'The server keeps an expression index on this field' }),
    config: t.field({
      type: 'JSON',
      description:
        'Type settings: LINK { targetCollectionId }, COUNT { linkField }, ROLLUP { linkField, targetField, function }, CURRENCY { currency }, FORMULA { expression, resultType }',
      resolve: (f) => f.config,
    }),
  }),
});

export const SelectOptionInput = builder.inputType('SelectOptionInput', {
  fields: (t) => ({
    id: t.string({ required: false, description: 'Stable id; derived from the label when absent' }),
    label: t.string(),
    order: t.int({ required: false }),
  }),
});

export const FieldConfigInput = builder.inputType('FieldConfigInput', {
  fields: (t) => ({
    target: t.globalID({ required: false, description: 'LINK: the Form (or Module) whose records it links' }),
    linkField: t.string({ required: false, description: 'COUNT, ROLLUP: key of a LINK field of the same collection' }),
    targetField: t.string({ required: false, description: 'ROLLUP: key of a NUMBER field of the linked collection' }),
    function: t.field({ type: RollupFunctionEnum, required: false }),
    currency: t.string({ required: false, description: 'CURRENCY: ISO 4217 code' }),
    expression: t.string({
      required: false,
      description:
        'FORMULA: an expression over other fields\' keys, e.g. `price * quantity`, `first_name & " " & last_name`, `DATEDIFF(closed_at, opened_at, "days")`, `IF(amount > 1000, "big", "small")`. Operators + - * / % & == != < <= > >= && || ! and ?:, functions IF, CONCAT, ROUND, ABS, MIN, MAX, UPPER, LOWER, LEN, AND, OR, NOT, ISBLANK, NOW, DATEDIFF',
    }),
  }),
});

const fieldInputFields = (t: any, creating: boolean) => ({
  label: t.string({ required: creating }),
  description: t.string({ required: false }),
  type: t.field({ type: FieldTypeEnum, required: creating }),
  required: t.boolean({ required: false }),
  allowMultiple: t.boolean({ required: false }),
  options: t.field({ type: [SelectOptionInput], required: false }),
  defaultValue: t.field({ type: 'JSON', required: false }),
  visible: t.boolean({ required: false }),
  indexed: t.boolean({ required: false }),
  config: t.field({ type: FieldConfigInput, required: false }),
});

export const FieldInputType = builder.inputType('FieldInput', {
  fields: (t) => ({ key: t.string({ description: 'Stable key [a-z][a-z0-9_]*; cannot change later' }), ...fieldInputFields(t, true) }),
});
export const FieldUpdateInputType = builder.inputType('FieldUpdateInput', {
  description: 'Changes to a field; absent settings stay. A type change is refused unless every stored value converts.',
  fields: (t) => fieldInputFields(t, false),
});

type GivenConfig =
  | {
      target?: { typename: string; id: string } | null;
      linkField?: string | null;
      targetField?: string | null;
      function?: string | null;
      currency?: string | null;
      expression?: string | null;
    }
  | null
  | undefined;

/** GraphQL field input -> engine field input (global ids decoded). */
export function toFieldInput(input: object, path: string[] = ['config']): FieldInput {
  const { config, ...rest } = input as { config?: GivenConfig };
  if (!config) return { ...rest, config: config === null ? {} : undefined } as never;
  if (config.target && !['Form', 'Module'].includes(config.target.typename))
    throw invalidField([...path, 'target'], 'INVALID_VALUE', 'A LINK target is a Form or a Module');
  return {
    ...rest,
    config: {
      targetCollectionId: config.target?.id,
      linkField: config.linkField ?? undefined,
      targetField: config.targetField ?? undefined,
      function: (config.function ?? undefined) as never,
      currency: config.currency ?? undefined,
      expression: config.expression ?? undefined,
    },
  } as never;
}
export type { FieldInput, FieldUpdate };

// ------------------------------------------------------------------ filter, order, aggregates

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

export const RecordOrderInput = builder.inputType('RecordOrder', {
  fields: (t) => ({
    field: t.string({ description: 'A sortable field key or createdAt, updatedAt, id' }),
    direction: t.field({ type: SortDirectionEnum, required: false, defaultValue: 'ASC' }),
    nulls: t.field({ type: NullsOrderEnum, required: false, description: 'Default: LAST when ASC, FIRST when DESC' }),
  }),
});

export const AggregateInput = builder.inputType('AggregateInput', {
  fields: (t) => ({ field: t.string(), functions: t.field({ type: [AggregateFunctionEnum] }) }),
});
export const GroupByInput = builder.inputType('GroupByInput', {
  fields: (t) => ({
    field: t.string(),
    bucket: t.field({ type: DateBucketEnum, required: false, description: 'Date-time fields: DAY, WEEK (ISO, Monday), MONTH (default), YEAR; in UTC' }),
  }),
});

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

// ------------------------------------------------------------------ values

export interface TypedValue {
  field: FieldDefinition;
  value: Json | undefined;
}

export const ChecklistItemType = builder.objectRef<{ label: string; checked: boolean }>('ChecklistItem').implement({
  fields: (t) => ({ label: t.exposeString('label'), checked: t.exposeBoolean('checked') }),
});

export const FileType = builder.prismaNode('StoredFile', {
  variant: 'File',
  id: { field: 'id' },
  // a missing or foreign id answers null, not an error
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    name: t.exposeString('name'),
    size: t.exposeInt('size', { deprecationReason: 'Use byteSize' }),
    byteSize: t.float({ description: BYTE_SIZE_DESCRIPTION, resolve: (f) => f.size }),
    contentType: t.exposeString('contentType'),
    url: t.string({ description: 'Download URL; send the same credential', resolve: (f, _a, ctx) => fileUrl(ctx, f.id) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const fileUrl = (ctx: GraphQLContext, id: string) => `${ctx.config.publicUrl ?? ''}/files/${id}`;

const FileValueType = builder.objectRef<{ id: string; name: string; size: number; contentType: string }>('FileValue').implement({
  description: 'An uploaded file as stored in a FILE value',
  fields: (t) => ({
    id: t.id({ description: "The file's global id (as in `values`)", resolve: (f) => toGlobalId('File', f.id) }),
    name: t.exposeString('name'),
    size: t.exposeInt('size', { deprecationReason: 'Use byteSize' }),
    byteSize: t.float({ description: BYTE_SIZE_DESCRIPTION, resolve: (f) => f.size }),
    contentType: t.exposeString('contentType'),
    url: t.string({ resolve: (f, _a, ctx) => fileUrl(ctx, f.id) }),
  }),
});

const list = (v: Json | undefined): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The typed per-field accessor: one slot per shape, filled for the field's type. */
export const FieldValueType = builder.objectRef<TypedValue>('FieldValue').implement({
  description: "One field's value of a record, typed: read the slot of the field's type (e.g. `number` for NUMBER, `decimal` + `currency` for CURRENCY).",
  fields: (t) => ({
    key: t.string({ resolve: (v) => v.field.key }),
    type: t.field({ type: FieldTypeEnum, resolve: (v) => v.field.type }),
    field: t.field({ type: FieldRef, resolve: (v) => v.field }),
    isEmpty: t.boolean({ resolve: (v) => v.value === undefined || v.value === null }),
    json: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The value as in `values` (ids are global ids)',
      resolve: (v) => presentValue(v.field, v.value) ?? null,
    }),
    text: t.string({
      nullable: true,
      resolve: (v) => (['TEXT', 'WEBSITE', 'EMAIL', 'PHONE_NUMBER'].includes(effectiveType(v.field)) && typeof v.value === 'string' ? v.value : null),
    }),
    number: t.float({
      nullable: true,
      resolve: (v) => (['NUMBER', 'COUNT', 'ROLLUP', 'AUTO_NUMBER'].includes(effectiveType(v.field)) && typeof v.value === 'number' ? v.value : null),
    }),
    decimal: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'CURRENCY amount (exact), or a NUMBER as a decimal string',
      resolve: (v) => (v.field.type === 'CURRENCY' && v.value ? (v.value as { amount: string }).amount : typeof v.value === 'number' ? String(v.value) : null),
    }),
    currency: t.string({ nullable: true, resolve: (v) => (v.field.type === 'CURRENCY' && v.value ? (v.value as { currency: string }).currency : null) }),
    dateTime: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (v) => (effectiveType(v.field) === 'DATETIME' && typeof v.value === 'string' ? v.value : null),
    }),
    boolean: t.boolean({ nullable: true, resolve: (v) => (effectiveType(v.field) === 'BOOLEAN' && typeof v.value === 'boolean' ? v.value : null) }),
    options: t.field({
      type: [SelectOptionType],
      nullable: true,
      resolve: (v) =>
        v.field.type === 'STATIC_SELECT'
          ? list(v.value)
              .map((id) => v.field.options.find((o) => o.id === id))
              .filter((o): o is SelectOption => !!o)
          : null,
    }),
    ids: t.idList({
      nullable: true,
      description: 'LINK: linked record ids; USER: user ids (global ids, as in `values`)',
      resolve: (v) => (v.field.type === 'LINK' || v.field.type === 'USER' ? (list(presentValue(v.field, v.value)) as string[]) : null),
    }),
    users: t.field({
      type: [UserType],
      nullable: true,
      resolve: async (v, _a, ctx) => {
        if (v.field.type !== 'USER') return null;
        const users = await Promise.all((list(v.value) as string[]).map((id) => userLoader(ctx).load(id)));
        return users.filter((u): u is NonNullable<typeof u> => !!u);
      },
    }),
    files: t.field({ type: [FileValueType], nullable: true, resolve: (v) => (v.field.type === 'FILE' ? (list(v.value) as never) : null) }),
    items: t.field({ type: [ChecklistItemType], nullable: true, resolve: (v) => (v.field.type === 'CHECKLIST' ? (list(v.value) as never) : null) }),
  }),
});

/** Users by id, one statement per request, only members of the caller's workspace. */
export function userLoader(ctx: GraphQLContext) {
  const { workspaceId } = requireWorkspace(ctx);
  return loaderFor(ctx, 'records:users', async (ids) => {
    const users = await ctx.db.user.findMany({ where: { id: { in: [...ids] }, memberships: { some: { workspaceId } } } });
    return ids.map((id) => users.find((u) => u.id === id) ?? null);
  });
}

// ------------------------------------------------------------------ views

export const ViewKindEnum = builder.enumType('ViewKind', { values: VIEW_KINDS });

export const ViewType = builder.prismaNode('View', {
  variant: 'View',
  id: { field: 'id' },
  // a missing or foreign id answers null, not an error
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    name: t.exposeString('name'),
    filter: t.expose('filter', { type: 'JSON', nullable: true }),
    orderBy: t.expose('orderBy', { type: 'JSON', nullable: true }),
    search: t.exposeString('search', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    kind: t.field({ type: ViewKindEnum, description: 'How clients lay the view out', resolve: (v) => v.kind }),
    groupByField: t.exposeString('groupByField', { nullable: true, description: "The key of the field the view groups by (a BOARD's columns)" }),
    visibleFields: t.exposeStringList('visibleFields', {
      description: '`values` and `fieldValues` of the records this view returns hold only these fields; empty: all',
    }),
    isDefault: t.exposeBoolean('isDefault', { description: 'Applied by `entries`/`records` when no view is given' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const ViewInputType = builder.inputType('ViewInput', {
  fields: (t) => ({
    name: t.string({ required: false }),
    filter: t.field({ type: RecordFilterInput, required: false }),
    orderBy: t.field({ type: [RecordOrderInput], required: false }),
    search: t.string({ required: false }),
    visibleFields: t.stringList({ required: false }),
    isDefault: t.boolean({ required: false, description: 'The view entries/records apply when no view is given; one per form or module' }),
    description: t.string({ required: false }),
    kind: t.field({ type: ViewKindEnum, required: false, description: 'Default TABLE' }),
    groupByField: t.string({ required: false, description: 'A groupable field key; required for BOARD' }),
  }),
});

// ------------------------------------------------------------------ connection helpers

/** Arguments every records connection takes (first/last/after/before are added by the relay plugin). */
export const recordQueryArgs = (t: any) => ({
  filter: t.arg({ type: RecordFilterInput, required: false }),
  search: t.arg.string({ required: false, description: 'Free text, matched case-insensitively in text-like fields' }),
  orderBy: t.arg({ type: [RecordOrderInput], required: false, description: 'Default: createdAt DESC; ties broken by id' }),
  includeArchived: t.arg.boolean({ required: false, defaultValue: false }),
  view: t.arg.globalID({
    required: false,
    description:
      'A saved View: its filter is ANDed with `filter`, its order applies unless `orderBy` is given, its visibleFields limit `values`. Absent: the default view (isDefault), if any; null: no view',
  }),
  ...offsetArg,
});

export const aggregateArgs = (t: any) => ({
  filter: t.arg({ type: RecordFilterInput, required: false }),
  search: t.arg.string({ required: false }),
  includeArchived: t.arg.boolean({ required: false, defaultValue: false }),
  view: t.arg.globalID({ required: false }),
  aggregates: t.arg({ type: [AggregateInput], required: false }),
  groupBy: t.arg({ type: GroupByInput, required: false }),
});

interface GivenQueryArgs {
  filter?: FilterInput | null;
  search?: string | null;
  orderBy?: Array<{ field: string; direction?: 'ASC' | 'DESC' | null; nulls?: 'FIRST' | 'LAST' | null }> | null;
  includeArchived?: boolean | null;
  view?: { typename: string; id: string } | null;
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  offset?: number | null;
}

/**
 * Connection arguments with the view applied, ready for queryRecords, and the view's visible
 * fields. With `useDefault`, an absent `view` means the collection's default view (null: none).
 */
export async function resolveQueryArgs(
  ctx: GraphQLContext,
  scope: RecordScope,
  collectionId: string,
  args: GivenQueryArgs,
  useDefault = false,
): Promise<QueryArgs & { visibleFields: string[] }> {
  let view: SavedView | null = null;
  if (args.view) {
    const found = await viewOf(ctx, scope, args.view.id);
    if (found.collectionId !== collectionId) throw invalidField(['view'], 'NOT_FOUND', 'View not found');
    view = found;
  } else if (useDefault && args.view === undefined) {
    view = (await loadSchema(ctx, collectionId, scope)).defaultView ?? null;
  }
  const visibleFields = view?.visibleFields ?? [];
  return {
    visibleFields,
    ...applyView(
      {
        filter: args.filter,
        search: args.search,
        orderBy: args.orderBy as OrderInput[] | null,
        includeArchived: args.includeArchived,
        first: args.first,
        last: args.last,
        after: args.after,
        before: args.before,
        offset: args.offset,
      },
      view,
    ),
  };
}

export async function resolveAggregateArgs(
  ctx: GraphQLContext,
  scope: RecordScope,
  collectionId: string,
  args: GivenQueryArgs & Pick<AggregateArgs, 'aggregates' | 'groupBy'>,
): Promise<AggregateArgs> {
  const q = await resolveQueryArgs(ctx, scope, collectionId, args);
  return { filter: q.filter, search: q.search, includeArchived: q.includeArchived, aggregates: args.aggregates, groupBy: args.groupBy };
}

/** An engine page as a Relay connection object, totalCount lazy. */
export function toConnection(page: RecordPage) {
  return {
    edges: page.rows.map((node, i) => ({ cursor: page.cursors[i]!, node })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors[page.cursors.length - 1] ?? null,
    },
    totalCount: page.totalCount,
  };
}

/** Option labels of a STATIC_SELECT groupBy field, for AggregateGroup.label. */
export function groupLabels(fields: FieldDefinition[], groupBy: { field: string } | null | undefined): Map<string, string> {
  const f = fields.find((x) => x.key === groupBy?.field);
  return new Map((f?.type === 'STATIC_SELECT' ? f.options : []).map((o) => [o.id, o.label]));
}

export type { FieldType };
