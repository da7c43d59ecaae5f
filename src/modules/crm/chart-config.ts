/**
 * Chart configurations: their shape (zod) and whether they make sense for a module's fields.
 * What a field type allows (summing, grouping) comes from the records engine's field-type
 * catalog; nothing type-specific is decided here beyond "a date bucket needs a date".
 *
 * A chart groups the module's records (after `filter` and the x axis range) by the x axis field
 * (dates in buckets), optionally split into one dataset per `groupBy` value, and measures each
 * group: `sum` of a numeric field, `count` of records where a field is set, `y` (a field with any
 * aggregate it allows), or, with none of them, the number of records.
 */
import { z } from 'zod';
import type { FieldIssue, IssueCode } from '../../errors.js';
import { parseDateBound } from '../../core/date-bounds.js';

export const CHART_KINDS = ['LINE', 'SPLINE', 'STEP', 'AREA', 'AREA_SPLINE', 'AREA_STEP', 'BAR', 'SCATTER', 'PIE', 'DONUT', 'GAUGE'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
/** One dataset only: a slice per label (PIE, DONUT) or a single value (GAUGE). */
export const SINGLE_SERIES_KINDS: readonly ChartKind[] = ['PIE', 'DONUT', 'GAUGE'];

export const DATE_BUCKETS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export type DateBucket = (typeof DATE_BUCKETS)[number];
export const Y_AGGREGATES = ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT_NOT_EMPTY'] as const;
export type YAggregate = (typeof Y_AGGREGATES)[number];

/** The most labels a chart returns; more is refused, with the part to narrow named. */
export const MAX_LABELS = 1000;
export const MAX_DATASETS = 50;

const key = z.string().min(1, 'Required');
const bound = z
  .string()
  .max(64)
  .nullish()
  .transform((v) => v ?? null);

export const ChartConfigurationSchema = z.object({
  kind: z.enum(CHART_KINDS),
  x: z
    .object({
      field: key,
      min: bound,
      max: bound,
      bucket: z
        .enum(DATE_BUCKETS)
        .nullish()
        .transform((v) => v ?? null),
    })
    .nullish()
    .transform((v) => v ?? null),
  y: z
    .object({
      field: key,
      aggregate: z.enum(Y_AGGREGATES).default('SUM'),
      min: z
        .number()
        .nullish()
        .transform((v) => v ?? null),
      max: z
        .number()
        .nullish()
        .transform((v) => v ?? null),
    })
    .nullish()
    .transform((v) => v ?? null),
  groupBy: key.nullish().transform((v) => v ?? null),
  sum: key.nullish().transform((v) => v ?? null),
  count: key.nullish().transform((v) => v ?? null),
  /** the records engine's filter tree, validated by the engine */
  filter: z
    .unknown()
    .nullish()
    .transform((v) => v ?? null),
});
export type ChartConfiguration = z.output<typeof ChartConfigurationSchema>;

/** What the chart needs to know of a field; the engine's field definitions fit it. */
export interface ChartField {
  key: string;
  label: string;
  type: string;
  allowMultiple?: boolean;
}
/** What the chart needs to know of a field type; the engine's FieldTypeSpec fits it. */
export interface ChartTypeCaps {
  aggregations: readonly string[];
  groupable: boolean;
}
/** Fields every record has, usable as an x axis or groupBy. */
export const SYSTEM_CHART_FIELDS: ChartField[] = [
  { key: 'createdAt', label: 'Created', type: 'DATETIME' },
  { key: 'updatedAt', label: 'Updated', type: 'DATETIME' },
];

/** The measure a configuration asks for, resolved. */
export interface Measure {
  aggregate: 'COUNT' | YAggregate;
  /** null for COUNT of records */
  field: string | null;
}

export function measureOf(config: ChartConfiguration): Measure {
  if (config.sum) return { aggregate: 'SUM', field: config.sum };
  if (config.count) return { aggregate: 'COUNT_NOT_EMPTY', field: config.count };
  if (config.y) return { aggregate: config.y.aggregate, field: config.y.field };
  return { aggregate: 'COUNT', field: null };
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Parses and checks a configuration against the module's fields. Every problem is reported at
 * once, each with the path of the part that is wrong (`prefix` + e.g. `sum`, `x.bucket`).
 */
export function checkChartConfiguration(
  input: unknown,
  fields: readonly ChartField[],
  capsOf: (type: string) => ChartTypeCaps | undefined,
  prefix: string[] = ['configuration'],
): { config: ChartConfiguration | null; issues: FieldIssue[] } {
  const parsed = ChartConfigurationSchema.safeParse(input);
  if (!parsed.success)
    return {
      config: null,
      issues: parsed.error.issues.map((i) => ({ path: [...prefix, ...i.path.map(String)], code: 'INVALID_VALUE', message: i.message })),
    };
  const config = parsed.data;
  const issues: FieldIssue[] = [];
  const issue = (path: string[], code: IssueCode, message: string) => issues.push({ path: [...prefix, ...path], code, message });
  const byKey = new Map([...SYSTEM_CHART_FIELDS, ...fields].map((f) => [f.key, f]));
  const describe = (f: ChartField) => `'${f.key}' (${f.type})`;
  const lookup = (path: string[], k: string): ChartField | null => {
    const f = byKey.get(k);
    if (!f) issue(path, 'UNKNOWN_FIELD', `The module has no field '${k}'`);
    return f ?? null;
  };
  const groupable = (path: string[], f: ChartField, role: string) => {
    if (!capsOf(f.type)?.groupable || f.allowMultiple)
      issue(path, 'NOT_GROUPABLE', `Field ${describe(f)} cannot be ${role}: records cannot be grouped by its values`);
  };

  const single = SINGLE_SERIES_KINDS.includes(config.kind);
  if (config.kind === 'GAUGE') {
    if (config.x) issue(['x'], 'NOT_ALLOWED', 'A GAUGE shows one value: it has no x axis');
  } else if (!config.x) issue(['x'], 'REQUIRED', `A ${config.kind} chart needs an x axis field`);
  if (single && config.groupBy) issue(['groupBy'], 'NOT_ALLOWED', `A ${config.kind} chart has one dataset: it cannot be split by groupBy`);

  if (config.x) {
    const f = lookup(['x', 'field'], config.x.field);
    if (f) {
      groupable(['x', 'field'], f, 'an x axis');
      const isDate = f.type === 'DATETIME';
      // dates always chart in buckets; a day unless asked otherwise
      if (isDate && !config.x.bucket) config.x.bucket = 'DAY';
      if (config.x.bucket && !isDate) issue(['x', 'bucket'], 'BUCKET_NEEDS_DATE', `A date bucket needs a DATETIME field; ${describe(f)} is not one`);
      for (const side of ['min', 'max'] as const) {
        const v = config.x[side];
        if (v === null) continue;
        if (isDate ? !parseDateBound(v) : f.type === 'NUMBER' ? !NUMBER.test(v) : true)
          issue(
            ['x', side],
            isDate || f.type === 'NUMBER' ? 'INVALID_VALUE' : 'NOT_ALLOWED',
            isDate
              ? 'Not an ISO 8601 date (a whole day) or date-time'
              : f.type === 'NUMBER'
                ? 'Not a number'
                : `A range needs a DATETIME or NUMBER x axis; ${describe(f)} is neither`,
          );
      }
      const { min, max } = config.x;
      if (min !== null && max !== null && !issues.some((i) => i.path[prefix.length] === 'x')) {
        // a date-only max is its whole day (core/date-bounds.ts)
        const [a, b] = isDate ? [parseDateBound(min)!.start.getTime(), parseDateBound(max)!.end.getTime()] : [Number(min), Number(max)];
        if (a > b) issue(['x', 'max'], 'OUT_OF_RANGE', 'max is before min');
      }
    }
  }
  if (config.groupBy) {
    const f = lookup(['groupBy'], config.groupBy);
    if (f) groupable(['groupBy'], f, 'a groupBy');
    if (f && f.type === 'DATETIME') issue(['groupBy'], 'NOT_GROUPABLE', `Split by a date on the x axis, with a bucket; ${describe(f)} cannot be a groupBy`);
    if (config.x && config.groupBy === config.x.field) issue(['groupBy'], 'SAME_AS_X', 'groupBy repeats the x axis field');
  }

  const measures = (['sum', 'count', 'y'] as const).filter((m) => config[m] !== null);
  if (measures.length > 1) issue([measures[1]!], 'CONFLICT', `Give one measure: ${measures.join(' and ')} were both given`);
  const aggregatable = (path: string[], k: string, aggregate: string, verb: 'summed' | 'counted' | 'aggregated') => {
    const f = lookup(path, k);
    if (f && !capsOf(f.type)?.aggregations.includes(aggregate))
      issue(path, `NOT_${verb.toUpperCase() as Uppercase<typeof verb>}`, `Field ${describe(f)} cannot be ${verb}`);
  };
  if (config.sum) aggregatable(['sum'], config.sum, 'SUM', 'summed');
  if (config.count) aggregatable(['count'], config.count, 'COUNT_NOT_EMPTY', 'counted');
  if (config.y) {
    const verb = config.y.aggregate === 'COUNT_NOT_EMPTY' ? 'counted' : config.y.aggregate === 'SUM' ? 'summed' : 'aggregated';
    aggregatable(['y', 'field'], config.y.field, config.y.aggregate, verb);
    // a chart plots numbers: the min or max of a text or a date is not one
    const f = byKey.get(config.y.field);
    if (
      f &&
      ['MIN', 'MAX'].includes(config.y.aggregate) &&
      capsOf(f.type)?.aggregations.includes(config.y.aggregate) &&
      !capsOf(f.type)?.aggregations.includes('SUM')
    )
      issue(['y', 'field'], 'NOT_NUMERIC', `Field ${describe(f)} has no numeric ${config.y.aggregate.toLowerCase()} to plot`);
    if (config.y.min !== null && config.y.max !== null && config.y.min > config.y.max) issue(['y', 'max'], 'OUT_OF_RANGE', 'max is below min');
  }
  return { config: issues.length ? null : config, issues };
}
