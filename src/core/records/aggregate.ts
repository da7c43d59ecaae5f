import { assertNoIssues, type FieldIssue } from '../../errors.js';
import { minorDigits } from '../rounding.js';
import { effectiveType, FIELD_TYPE_SPECS, SYSTEM_FIELDS, type AggregateFunction, type SystemField } from './field-types.js';
import { emptyExpr, scalarExpr, systemExpr, type ScalarExpr } from './expressions.js';
import type { FilterInput } from './filter.js';
import { whereClause } from './query.js';
import type { CollectionSchema, FieldDefinition } from './schema.js';
import { join, query, raw, sql, type Runner, type Sql } from './sql.js';

export const BUCKETS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const MAX_GROUPS = 1000;

export interface AggregateRequest {
  field: string;
  functions: AggregateFunction[];
}

export interface AggregateArgs {
  filter?: FilterInput | null;
  search?: string | null;
  includeArchived?: boolean | null;
  aggregates?: AggregateRequest[] | null;
  groupBy?: { field: string; bucket?: Bucket | null } | null;
}

/** Results as exact strings (sum/avg/min/max) or integers (counts); null where nothing to aggregate. */
export interface FieldAggregate {
  field: string;
  count: number | null;
  countEmpty: number | null;
  countNotEmpty: number | null;
  sum: string | null;
  avg: string | null;
  min: string | null;
  max: string | null;
}

export interface AggregateGroup {
  /** the group's value as text (option id, user id, "true", a bucket's first day "2026-05-01", ...); null = empty */
  key: string | null;
  count: number;
  aggregates: FieldAggregate[];
}

export interface AggregateResult {
  count: number;
  aggregates: FieldAggregate[];
  groups: AggregateGroup[] | null;
}

const COLUMN: Record<AggregateFunction, keyof FieldAggregate> = {
  COUNT: 'count',
  COUNT_EMPTY: 'countEmpty',
  COUNT_NOT_EMPTY: 'countNotEmpty',
  SUM: 'sum',
  AVG: 'avg',
  MIN: 'min',
  MAX: 'max',
};

function aggregateSql(schema: CollectionSchema, field: FieldDefinition, fn: AggregateFunction): Sql {
  switch (fn) {
    case 'COUNT':
      return sql`count(*)::int`;
    case 'COUNT_EMPTY':
      return sql`(count(*) filter (where ${emptyExpr(schema, field)}))::int`;
    case 'COUNT_NOT_EMPTY':
      return sql`(count(*) filter (where not ${emptyExpr(schema, field)}))::int`;
    default: {
      const e = scalarExpr(schema, field)!.sql;
      // an average of amounts is an amount: in the currency's minor unit, not 16 decimals
      if (fn === 'AVG' && field.type === 'CURRENCY') return sql`round(avg(${e}), ${raw(String(minorDigits(field.config.currency)))})::text`;
      return sql`${raw(fn.toLowerCase())}(${e})::text`;
    }
  }
}

function groupKey(schema: CollectionSchema, name: string, bucket: Bucket | null | undefined, issues: FieldIssue[], path: string[] = ['groupBy']): Sql | null {
  let expr: ScalarExpr | null = null;
  let isDate = false;
  if ((SYSTEM_FIELDS as readonly string[]).includes(name)) {
    expr = systemExpr(name as SystemField);
    isDate = name === 'createdAt' || name === 'updatedAt';
    if (name === 'id') expr = null;
  } else {
    const field = schema.byKey.get(name);
    if (!field) {
      issues.push({ path: [...path, 'field'], code: 'UNKNOWN_FIELD', message: `No field with key "${name}"` });
      return null;
    }
    expr = FIELD_TYPE_SPECS[effectiveType(field)].groupable ? scalarExpr(schema, field) : null;
    isDate = effectiveType(field) === 'DATETIME';
    if (isDate && expr) expr = { ...expr, sql: sql`(${expr.sql})::timestamptz` };
  }
  if (!expr) {
    issues.push({ path: [...path, 'field'], code: 'NOT_GROUPABLE', message: `Records cannot be grouped by "${name}"` });
    return null;
  }
  if (!isDate) {
    if (bucket) issues.push({ path: [...path, 'bucket'], code: 'NOT_APPLICABLE', message: `bucket applies to date-time fields, not "${name}"` });
    return sql`(${expr.sql})::text`;
  }
  const unit = raw(`'${(bucket ?? 'MONTH').toLowerCase()}'`);
  // buckets are UTC days/ISO weeks/months/years, keyed by their first day
  const utc = expr.type === 'timestamp' ? sql`date_trunc(${unit}, ${expr.sql})` : sql`(date_trunc(${unit}, ${expr.sql}, 'UTC') at time zone 'UTC')`;
  return sql`to_char(${utc}, 'YYYY-MM-DD')`;
}

type CheckedRequest = { field: FieldDefinition; functions: AggregateFunction[] } | null;

/** Checks requested aggregates against the field-type catalog; issues go to `issues`. */
function checkRequests(schema: CollectionSchema, aggregates: AggregateRequest[] | null | undefined, issues: FieldIssue[]): CheckedRequest[] {
  return (aggregates ?? []).map((a, i) => {
    const field = schema.byKey.get(a.field);
    if (!field) {
      issues.push({ path: ['aggregates', String(i), 'field'], code: 'UNKNOWN_FIELD', message: `No field with key "${a.field}"` });
      return null;
    }
    const allowed = FIELD_TYPE_SPECS[effectiveType(field)].aggregations;
    const wrong = a.functions.filter(
      (f) => !allowed.includes(f) || (f !== 'COUNT' && f !== 'COUNT_EMPTY' && f !== 'COUNT_NOT_EMPTY' && !scalarExpr(schema, field)),
    );
    if (wrong.length) {
      issues.push({
        path: ['aggregates', String(i), 'functions'],
        code: 'AGGREGATE_NOT_APPLICABLE',
        message: `${wrong.join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not apply to field "${a.field}" (${field.type}); it takes ${allowed.join(', ')}`,
      });
      return null;
    }
    return { field, functions: [...new Set(a.functions)] };
  });
}

/** count, per-field aggregates and optional groups over the filtered set, each in one SQL statement. */
export async function aggregate(db: Runner, schema: CollectionSchema, args: AggregateArgs): Promise<AggregateResult> {
  const issues: FieldIssue[] = [];
  const requests = checkRequests(schema, args.aggregates, issues);
  const key = args.groupBy ? groupKey(schema, args.groupBy.field, args.groupBy.bucket, issues) : null;
  assertNoIssues(issues, 'Invalid aggregates');
  const where = whereClause(schema, args);
  const columns: Sql[] = [sql`count(*)::int as "_count"`];
  const valid = requests.filter((r): r is NonNullable<typeof r> => r !== null);
  valid.forEach((r, i) => r.functions.forEach((fn) => columns.push(sql`${aggregateSql(schema, r.field, fn)} as ${raw(`"a${i}_${fn}"`)}`)));
  const read = (row: Record<string, unknown>): FieldAggregate[] =>
    valid.map((r, i) => {
      const out: FieldAggregate = { field: r.field.key, count: null, countEmpty: null, countNotEmpty: null, sum: null, avg: null, min: null, max: null };
      for (const fn of r.functions) (out as unknown as Record<string, unknown>)[COLUMN[fn]] = row[`a${i}_${fn}`] ?? null;
      return out;
    });
  if (!key) {
    const [row] = await query<Record<string, unknown>>(db, sql`select ${join(columns, ', ')} from "Record" r where ${where}`);
    return { count: row!._count as number, aggregates: read(row!), groups: null };
  }
  // grouping sets: the groups and the overall figures in one statement (overall row first)
  const rows = await query<Record<string, unknown>>(
    db,
    // the key is computed once in a subquery: an expression with bound parameters (a FORMULA's
    // literals) repeated in GROUP BY would not match the select list's copy
    sql`select r."_gk" as "_key", grouping(r."_gk") as "_total", ${join(columns, ', ')} from (select r.*, ${key} as "_gk" from "Record" r where ${where}) r group by grouping sets ((r."_gk"), ()) order by 2 desc, 1 asc nulls last limit ${MAX_GROUPS + 1}`,
  );
  const total = rows.find((r) => Number(r._total) === 1)!;
  const groups = rows
    .filter((r) => Number(r._total) === 0)
    .map((row) => ({ key: (row._key as string | null) ?? null, count: row._count as number, aggregates: read(row) }));
  return { count: total._count as number, aggregates: read(total), groups };
}

export interface GroupSpec {
  field: string;
  bucket?: Bucket | null;
}

/** A group of `aggregateByKeys`: one key per GroupSpec, in the same order. */
export interface KeyedGroup {
  keys: (string | null)[];
  count: number;
  aggregates: FieldAggregate[];
}

/**
 * Groups the filtered set by several keys at once (e.g. a chart's x axis and its series), in one
 * statement, ordered by the keys (nulls last). Same filter, search, bucket and aggregate rules as
 * `aggregate`; at most MAX_GROUPS groups (`truncated` says when there were more).
 */
export async function aggregateByKeys(
  db: Runner,
  schema: CollectionSchema,
  args: Omit<AggregateArgs, 'groupBy'> & { groupBy: GroupSpec[] },
): Promise<{ groups: KeyedGroup[]; truncated: boolean }> {
  const issues: FieldIssue[] = [];
  const requests = checkRequests(schema, args.aggregates, issues);
  const keys = args.groupBy.map((g, i) => groupKey(schema, g.field, g.bucket, issues, ['groupBy', String(i)]));
  if (keys.length === 0) issues.push({ path: ['groupBy'], code: 'REQUIRED', message: 'Group by at least one field' });
  assertNoIssues(issues, 'Invalid aggregates');
  const valid = requests.filter((r): r is NonNullable<typeof r> => r !== null);
  const columns: Sql[] = [...keys.map((k, i) => sql`${k!} as ${raw(`"_k${i}"`)}`), sql`count(*)::int as "_count"`];
  valid.forEach((r, i) => r.functions.forEach((fn) => columns.push(sql`${aggregateSql(schema, r.field, fn)} as ${raw(`"a${i}_${fn}"`)}`)));
  const positions = raw(keys.map((_, i) => String(i + 1)).join(', '));
  const order = raw(keys.map((_, i) => `${i + 1} asc nulls last`).join(', '));
  const rows = await query<Record<string, unknown>>(
    db,
    sql`select ${join(columns, ', ')} from "Record" r where ${whereClause(schema, args)} group by ${positions} order by ${order} limit ${MAX_GROUPS + 1}`,
  );
  return {
    truncated: rows.length > MAX_GROUPS,
    groups: rows.slice(0, MAX_GROUPS).map((row) => ({
      keys: keys.map((_, i) => (row[`_k${i}`] as string | null) ?? null),
      count: row._count as number,
      aggregates: valid.map((r, i) => {
        const out: FieldAggregate = { field: r.field.key, count: null, countEmpty: null, countNotEmpty: null, sum: null, avg: null, min: null, max: null };
        for (const fn of r.functions) (out as unknown as Record<string, unknown>)[COLUMN[fn]] = row[`a${i}_${fn}`] ?? null;
        return out;
      }),
    })),
  };
}
