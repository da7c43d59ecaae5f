import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { deletedObject, deleteResult } from '../../graphql/deleted.js';
import { CRM_PAGE } from '../../core/paging/index.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace } from '../../context.js';
import { DateBucketEnum } from '../records/graphql/aggregate-input.graphql.js';
import { RecordFilterInput } from '../records/graphql/record-filter.graphql.js';
import { CHART_KINDS, ChartConfigurationSchema, Y_AGGREGATES, type ChartConfiguration } from './chart-config.js';
import type { ChartData, ChartDataset } from './chart-data.js';
import { chartData, createChart, deleteChart, updateChart } from './chart.service.js';
import { moduleLoader, ModuleType } from './module.graphql.js';

export const ChartKindEnum = builder.enumType('ChartKind', {
  description: 'How a chart draws its data.',
  values: CHART_KINDS,
});
const ChartAggregateEnum = builder.enumType('ChartAggregate', {
  description: 'How a y axis field is measured per group',
  values: Y_AGGREGATES,
});

const ChartXAxisInput = builder.inputType('ChartXAxisInput', {
  description: "A chart's x axis: the field whose values are the labels.",
  fields: (t) => ({
    field: t.string({ description: 'A groupable field key, or createdAt / updatedAt' }),
    min: t.string({ required: false, description: 'Lowest value included (ISO date-time for DATETIME, a number for NUMBER)' }),
    max: t.string({ required: false, description: 'Highest value included' }),
    bucket: t.field({ type: DateBucketEnum, required: false, description: 'DATETIME only; default DAY' }),
  }),
});
const ChartYAxisInput = builder.inputType('ChartYAxisInput', {
  description: "A chart's y axis: the measured field and how its values add up.",
  fields: (t) => ({
    field: t.string({ description: 'The field measured' }),
    aggregate: t.field({ type: ChartAggregateEnum, required: false, description: 'default SUM' }),
    min: t.float({ required: false, description: 'Scale minimum (display; a GAUGE range)' }),
    max: t.float({ required: false, description: 'Scale maximum (display; a GAUGE range)' }),
  }),
});

export const ChartConfigurationInput = builder.inputType('ChartConfigurationInput', {
  description:
    'Records (after `filter` and the x axis range) are grouped by the x axis field, optionally split into one dataset per `groupBy` value, and measured by `sum`, `count`, or `y`; with none of them, by the number of records. Give at most one measure.',
  fields: (t) => ({
    kind: t.field({ description: 'How the chart draws its data', type: ChartKindEnum }),
    x: t.field({ type: ChartXAxisInput, required: false, description: 'Required except for GAUGE' }),
    y: t.field({ type: ChartYAxisInput, required: false, description: 'A field measured with any aggregate its type allows' }),
    groupBy: t.string({ required: false, description: 'One dataset per value of this field (not for PIE, DONUT, GAUGE)' }),
    sum: t.string({ required: false, description: 'Measure: the total of this numeric field' }),
    count: t.string({ required: false, description: 'Measure: the number of records where this field is set' }),
    filter: t.field({ description: 'Only records matching it are measured', type: RecordFilterInput, required: false }),
  }),
});

const ChartXAxis = builder.objectRef<NonNullable<ChartConfiguration['x']>>('ChartXAxis').implement({
  description: "A chart's x axis: the field whose values are the labels.",
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The field whose values are the labels' }),
    min: t.exposeString('min', { description: 'Lowest value included; null: no bound', nullable: true }),
    max: t.exposeString('max', { description: 'Highest value included; null: no bound', nullable: true }),
    bucket: t.field({ description: 'DATETIME: the period values are grouped by', type: DateBucketEnum, nullable: true, resolve: (x) => x.bucket }),
  }),
});
const ChartYAxis = builder.objectRef<NonNullable<ChartConfiguration['y']>>('ChartYAxis').implement({
  description: "A chart's y axis: the measured field and how its values add up.",
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The field measured' }),
    aggregate: t.field({ description: 'How its values add up', type: ChartAggregateEnum, resolve: (y) => y.aggregate }),
    min: t.exposeFloat('min', { description: 'Scale minimum; null: automatic', nullable: true }),
    max: t.exposeFloat('max', { description: 'Scale maximum; null: automatic', nullable: true }),
  }),
});
const ChartConfigurationType = builder.objectRef<ChartConfiguration>('ChartConfiguration').implement({
  description: 'What a chart measures and how it draws it.',
  fields: (t) => ({
    kind: t.field({ description: 'How the chart draws its data', type: ChartKindEnum, resolve: (c) => c.kind }),
    x: t.field({ description: 'The x axis; null for GAUGE', type: ChartXAxis, nullable: true, resolve: (c) => c.x }),
    y: t.field({ description: 'The measured field, when it measures one', type: ChartYAxis, nullable: true, resolve: (c) => c.y }),
    groupBy: t.exposeString('groupBy', { description: 'One dataset per value of this field', nullable: true }),
    sum: t.exposeString('sum', { description: 'Measure: the total of this numeric field', nullable: true }),
    count: t.exposeString('count', { description: 'Measure: the number of records where this field is set', nullable: true }),
    filter: t.field({ description: 'Only records matching this RecordFilter are measured', type: 'JSON', nullable: true, resolve: (c) => c.filter }),
  }),
});

const ChartDatasetType = builder.objectRef<ChartDataset>('ChartDataset').implement({
  description: 'One series of a chart: a value per label.',
  fields: (t) => ({
    label: t.exposeString('label', { nullable: true, description: "The groupBy value's label (null = records without one), or the measure" }),
    key: t.exposeString('key', { nullable: true, description: 'The groupBy value as stored (option id, user id, ...)' }),
    data: t.field({
      type: ['Float'],
      nullable: { list: false, items: true },
      description:
        "One value per label, rounded for reading (amounts to their currency's minor unit, other numbers to two decimals); null where nothing was measured",
      resolve: (d) => d.data,
    }),
    exact: t.field({
      type: ['Decimal'],
      nullable: { list: false, items: true },
      description: 'The same values as decimal text, free of binary floating-point error',
      resolve: (d) => d.exact,
    }),
  }),
});

const ChartDataType = builder.objectRef<ChartData & { kind: ChartConfiguration['kind'] }>('ChartData').implement({
  description: 'Labels and datasets computed in SQL from the module’s records.',
  fields: (t) => ({
    kind: t.field({ description: 'How the chart draws its data', type: ChartKindEnum, resolve: (d) => d.kind }),
    labels: t.field({
      type: ['String'],
      nullable: { list: false, items: true },
      description: 'x axis labels: option labels, member names, bucket dates (2026-05-01, 2026-05, 2026); null = no value',
      resolve: (d) => d.labels,
    }),
    keys: t.field({ type: ['String'], nullable: { list: false, items: true }, description: 'The x values as stored, one per label', resolve: (d) => d.keys }),
    datasets: t.field({ description: 'One series per groupBy value, or one', type: [ChartDatasetType], resolve: (d) => d.datasets }),
  }),
});

export const ChartType = builder.prismaNode('Chart', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  nullable: true,
  description: 'A saved chart over the records of a module.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'A label' }),
    description: t.exposeString('description', { description: 'What the chart shows' }),
    module: t.field({
      description: 'The module whose records it measures',
      type: ModuleType,
      select: { moduleId: true },
      resolve: async (c, _a, ctx) => (await moduleLoader(ctx).load(c.moduleId))!,
    }),
    configuration: t.field({
      description: 'What it measures and how it draws it',
      type: ChartConfigurationType,
      select: { configuration: true },
      resolve: (c) => ChartConfigurationSchema.parse(c.configuration),
    }),
    data: t.field({
      type: ChartDataType,
      description: 'Computed now from the records; BAD_USER_INPUT when the configuration no longer fits the module (a field was removed or changed type)',
      select: { moduleId: true, configuration: true },
      resolve: (c, _a, ctx) => chartData(ctx, c.moduleId, c.configuration),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  chart: t.prismaField({
    description: 'A saved chart by id; null when it does not exist in your workspace',
    type: 'Chart',
    nullable: true,
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: ChartType }) },
    resolve: (query, _root, { id }, ctx) => ctx.db.chart.findFirst({ ...query, where: { id: id.id, workspaceId: requireWorkspace(ctx).workspaceId } }),
  }),
  charts: t.prismaConnection({
    type: 'Chart',
    cursor: 'id',
    ...pothosPaging(CRM_PAGE),
    description: 'Saved charts, newest first; of one module when given',
    authScopes: { scope: 'READ' },
    args: { ...offsetArg, module: t.arg.globalID({ for: ModuleType, required: false }) },
    totalCount: (_root, args, ctx) =>
      ctx.db.chart.count({ where: { workspaceId: requireWorkspace(ctx).workspaceId, moduleId: args.module ? String(args.module.id) : undefined } }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.chart.findMany({
        ...withOffset(query, args),
        where: { workspaceId: requireWorkspace(ctx).workspaceId, moduleId: args.module ? String(args.module.id) : undefined },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  chartData: t.field({
    type: ChartDataType,
    description:
      'Computes a chart from a configuration without saving it. A configuration that does not fit the module is BAD_USER_INPUT naming the part (path ["configuration", ...]).',
    authScopes: { scope: 'READ' },
    args: { module: t.arg.globalID({ for: ModuleType }), configuration: t.arg({ type: ChartConfigurationInput }) },
    resolve: (_root, { module, configuration }, ctx) => chartData(ctx, String(module.id), configuration),
  }),
}));

const CreateChartInput = builder.inputType('CreateChartInput', {
  description: 'A new chart over the records of a module.',
  fields: (t) => ({
    name: t.string({ description: 'A label' }),
    description: t.string({ description: 'What the chart shows', required: false }),
    module: t.globalID({ description: 'The module whose records it measures', for: ModuleType }),
    configuration: t.field({ description: 'What it measures and how it draws it', type: ChartConfigurationInput }),
  }),
});
const UpdateChartInput = builder.inputType('UpdateChartInput', {
  description: 'Only the given fields change; a new module or configuration is checked against the module.',
  fields: (t) => ({
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    module: t.globalID({ for: ModuleType, required: false }),
    configuration: t.field({ type: ChartConfigurationInput, required: false }),
  }),
});

builder.mutationFields((t) => ({
  createChart: t.prismaField({
    description: 'Saves a chart of a module',
    type: 'Chart',
    errors: {},
    authScopes: { scope: 'MANAGE' },
    args: { input: t.arg({ type: CreateChartInput }) },
    resolve: (query, _root, { input }, ctx) => createChart(ctx, { ...input, moduleId: String(input.module.id) }, query),
  }),
  updateChart: t.prismaField({
    description: "Changes a saved chart's name or configuration",
    type: 'Chart',
    errors: {},
    authScopes: { scope: 'MANAGE' },
    args: { id: t.arg.globalID({ for: ChartType }), input: t.arg({ type: UpdateChartInput }) },
    resolve: (query, _root, { id, input }, ctx) => updateChart(ctx, id.id, { ...input, moduleId: input.module ? String(input.module.id) : undefined }, query),
  }),
  deleteChart: t.field({
    type: 'ID',
    errors: deleteResult(deletedObject),
    description: 'Deletes the chart; chart blocks that showed it show nothing. Returns its id.',
    authScopes: { scope: 'MANAGE' },
    args: { id: t.arg.globalID({ for: ChartType }) },
    resolve: async (_root, { id }, ctx) => {
      await deleteChart(ctx, id.id);
      return encodeGlobalID('Chart', id.id);
    },
  }),
}));
