/**
 * Charts: saved configurations over a module's records, and their data, computed in SQL by the
 * records engine (aggregateByKeys: one statement per chart) and shaped by chart-data.ts.
 */
import { requireWorkspace } from '../../context.js';
import { AppError, assertNoIssues, badInput, notFound, type FieldIssue } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import {
  aggregate,
  aggregateByKeys,
  compileFilter,
  FIELD_TYPE_SPECS,
  isFieldType,
  isUuid,
  runnerFor,
  loadSchema,
  type AggregateFunction,
  type CollectionSchema,
  type FieldAggregate,
  type FilterInput,
  type RecordsContext,
} from '../../core/records/index.js';
import { minorDigits, roundTo } from '../../core/rounding.js';
import { checkChartConfiguration, measureOf, type ChartConfiguration } from './chart-config.js';
import { shapeChartData, type ChartCell, type ChartData, type ChartLabels } from './chart-data.js';
import { MODULE_SCOPE } from './module.service.js';

const capsOf = (type: string) => (isFieldType(type) ? FIELD_TYPE_SPECS[type] : undefined);

/** The configuration checked against the module: shape, field types, and the filter (all issues at once). */
export function checkConfiguration(schema: CollectionSchema, input: unknown, prefix: string[] = ['configuration']): ChartConfiguration {
  const { config, issues } = checkChartConfiguration(input, schema.fields, capsOf, prefix);
  const filter = (input as { filter?: unknown } | null)?.filter;
  if (filter) {
    try {
      compileFilter(schema, filter as FilterInput, [...prefix, 'filter']);
    } catch (e) {
      if (!(e instanceof AppError) || e.issues.length === 0) throw e;
      issues.push(...e.issues);
    }
  }
  // the x axis range becomes filter conditions: the engine must accept its bounds too
  if (config?.x) {
    for (const side of ['min', 'max'] as const) {
      const condition = rangeCondition(schema, config, side);
      if (!condition) continue;
      try {
        compileFilter(schema, condition, [...prefix, 'x', side]);
      } catch (e) {
        if (!(e instanceof AppError) || e.issues.length === 0) throw e;
        issues.push(...e.issues.map((i) => ({ ...i, path: [...prefix, 'x', side] })));
      }
    }
  }
  assertNoIssues(issues, 'The chart configuration does not fit the module');
  return config!;
}

function rangeCondition(schema: CollectionSchema, config: ChartConfiguration, side: 'min' | 'max'): FilterInput | null {
  const bound = config.x?.[side];
  if (!config.x || bound == null) return null;
  const value = schema.byKey.get(config.x.field)?.type === 'NUMBER' ? Number(bound) : bound;
  return { field: config.x.field, operator: side === 'min' ? 'GREATER_OR_EQUAL' : 'LESS_OR_EQUAL', value };
}

/** The filter with the x axis range added. */
function effectiveFilter(schema: CollectionSchema, config: ChartConfiguration): FilterInput | null {
  const parts = [config.filter as FilterInput | null, rangeCondition(schema, config, 'min'), rangeCondition(schema, config, 'max')].filter(
    (p): p is FilterInput => !!p,
  );
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { and: parts };
}

const AGGREGATE_COLUMN: Record<string, keyof FieldAggregate> = { SUM: 'sum', AVG: 'avg', MIN: 'min', MAX: 'max', COUNT_NOT_EMPTY: 'countNotEmpty' };

/** Labels for stored keys: option labels for selects, member names for users, the key otherwise. */
async function labelsFor(ctx: RecordsContext, schema: CollectionSchema, config: ChartConfiguration, cells: ChartCell[]): Promise<ChartLabels> {
  const { workspaceId } = requireWorkspace(ctx);
  const fieldOf = (key: string | null | undefined) => (key ? schema.byKey.get(key) : undefined);
  const x = fieldOf(config.x?.field);
  const series = fieldOf(config.groupBy);
  const userIds = new Set<string>();
  if (x?.type === 'USER') cells.forEach((c) => c.x && isUuid(c.x) && userIds.add(c.x));
  if (series?.type === 'USER') cells.forEach((c) => c.series && isUuid(c.series) && userIds.add(c.series));
  const users = userIds.size
    ? new Map(
        (await ctx.db.user.findMany({ where: { id: { in: [...userIds] }, memberships: { some: { workspaceId } } }, select: { id: true, name: true } })).map(
          (u) => [u.id, u.name],
        ),
      )
    : new Map<string, string>();
  const label = (f: typeof x) => (key: string | null) => {
    if (key === null) return null;
    if (f?.type === 'STATIC_SELECT') return f.options.find((o) => o.id === key)?.label ?? key;
    if (f?.type === 'USER') return users.get(key) ?? key;
    return key;
  };
  // select options in their own order, members by name, numbers numerically, the rest as text; empty last
  const order = (f: typeof x) => (keys: (string | null)[]) => {
    const rank = (k: string | null) => (k === null ? Infinity : f?.type === 'STATIC_SELECT' ? f.options.findIndex((o) => o.id === k) : 0);
    const text = (k: string) => (f?.type === 'USER' ? (users.get(k) ?? k) : k);
    return [...keys].sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a === null ? 1 : b === null ? -1 : f?.type === 'NUMBER' ? Number(a) - Number(b) : text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0),
    );
  };
  return { x: label(x), series: label(series), xOrder: order(x), seriesOrder: order(series) };
}

/** Decimals a measure is read with: an amount in its currency's minor unit, any other number to two. */
function readableDigits(schema: CollectionSchema, fieldKey: string | null | undefined): number {
  const field = fieldKey ? schema.byKey.get(fieldKey) : undefined;
  return field?.type === 'CURRENCY' ? minorDigits(field.config.currency) : 2;
}

/** Computes a chart's data from the module's records (nothing saved). */
export async function chartData(
  ctx: RecordsContext,
  moduleId: string,
  configuration: unknown,
  prefix: string[] = ['configuration'],
): Promise<ChartData & { kind: ChartConfiguration['kind'] }> {
  const schema = await loadSchema(ctx, moduleId, MODULE_SCOPE);
  const config = checkConfiguration(schema, configuration, prefix);
  const measure = measureOf(config);
  const filter = effectiveFilter(schema, config);
  const aggregates = measure.field ? [{ field: measure.field, functions: [measure.aggregate as AggregateFunction] }] : [];
  const digits = readableDigits(schema, measure.field);
  const measured = (count: number, aggs: FieldAggregate[]) => {
    const value = measure.field ? (aggs[0]?.[AGGREGATE_COLUMN[measure.aggregate]!] ?? null) : count;
    return value === null ? null : String(roundTo(value, digits));
  };

  let cells: ChartCell[];
  if (config.kind === 'GAUGE') {
    const result = await aggregate(runnerFor(ctx), schema, { filter, aggregates });
    cells = [{ x: null, series: null, value: measured(result.count, result.aggregates) }];
  } else {
    const groupBy = [{ field: config.x!.field, bucket: config.x!.bucket }, ...(config.groupBy ? [{ field: config.groupBy }] : [])];
    const { groups, truncated } = await aggregateByKeys(runnerFor(ctx), schema, { filter, aggregates, groupBy });
    if (truncated)
      throw badInput('The chart has too many groups; narrow it with a filter, the x axis min and max, or a larger bucket', [
        { path: [...prefix, 'x', 'field'], code: 'TOO_MANY_LABELS', message: 'Too many groups' },
      ]);
    cells = groups.map((g) => ({ x: g.keys[0] ?? null, series: g.keys[1] ?? null, value: measured(g.count, g.aggregates) }));
  }
  return { kind: config.kind, ...shapeChartData(config, measure, cells, await labelsFor(ctx, schema, config, cells)) };
}

// ---------------------------------------------------------------- saved charts

export interface ChartInput {
  name?: string | null;
  description?: string | null;
  moduleId?: string | null;
  configuration?: unknown;
}

function textIssues(input: ChartInput, creating: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (creating || input.name != null) {
    const name = input.name?.trim() ?? '';
    if (!name) issues.push({ path: ['name'], code: 'REQUIRED', message: 'A chart needs a name' });
    else if (name.length > 200) issues.push({ path: ['name'], code: 'TOO_LONG', message: 'At most 200 characters' });
  }
  if (input.description != null && input.description.length > 2000)
    issues.push({ path: ['description'], code: 'TOO_LONG', message: 'At most 2000 characters' });
  return issues;
}

/** The module as a BAD_USER_INPUT issue when it is missing (or of another workspace). */
async function moduleSchema(ctx: RecordsContext, moduleId: string): Promise<CollectionSchema> {
  try {
    return await loadSchema(ctx, moduleId, MODULE_SCOPE);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND')
      throw badInput('Module not found', [{ path: ['module'], code: 'NOT_FOUND', message: 'Module not found' }]);
    throw e;
  }
}

export async function createChart(
  ctx: RecordsContext,
  input: ChartInput & { moduleId: string },
  query: { include?: Prisma.ChartInclude; select?: Prisma.ChartSelect } = {},
) {
  const { workspaceId } = requireWorkspace(ctx);
  assertNoIssues(textIssues(input, true));
  const schema = await moduleSchema(ctx, input.moduleId);
  const configuration = checkConfiguration(schema, input.configuration);
  return ctx.db.chart.create({
    ...query,
    data: {
      workspaceId,
      moduleId: schema.collection.id,
      name: input.name!.trim(),
      description: input.description?.trim() ?? '',
      configuration: configuration as Prisma.InputJsonValue,
    },
  });
}

export async function updateChart(
  ctx: RecordsContext,
  id: string,
  input: ChartInput,
  query: { include?: Prisma.ChartInclude; select?: Prisma.ChartSelect } = {},
) {
  const { workspaceId } = requireWorkspace(ctx);
  const chart = isUuid(id) ? await ctx.db.chart.findFirst({ where: { id, workspaceId } }) : null;
  if (!chart) throw notFound('Chart');
  assertNoIssues(textIssues(input, false));
  const moving = input.moduleId != null && input.moduleId !== chart.moduleId;
  let configuration: ChartConfiguration | undefined;
  // a new module or a new configuration is checked; so is the old configuration on a new module
  if (moving || input.configuration != null) {
    const schema = await moduleSchema(ctx, input.moduleId ?? chart.moduleId);
    configuration = checkConfiguration(schema, input.configuration ?? chart.configuration);
  }
  return ctx.db.chart.update({
    ...query,
    where: { id },
    data: {
      name: input.name?.trim() ?? undefined,
      description: input.description != null ? input.description.trim() : undefined,
      moduleId: moving ? input.moduleId! : undefined,
      configuration: configuration ? (configuration as Prisma.InputJsonValue) : undefined,
    },
  });
}

export async function deleteChart(ctx: RecordsContext, id: string) {
  const { workspaceId } = requireWorkspace(ctx);
  const chart = isUuid(id) ? await ctx.db.chart.findFirst({ where: { id, workspaceId } }) : null;
  if (!chart) throw notFound('Chart');
  await ctx.db.chart.delete({ where: { id } });
  return chart;
}
