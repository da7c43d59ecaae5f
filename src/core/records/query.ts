import { createHash } from 'node:crypto';
import { assertNoIssues, badInput, type FieldIssue } from '../../errors.js';
import { FIELD_TYPE_SPECS, SYSTEM_FIELDS, type SystemField } from './field-types.js';
import { cast, scalarExpr, systemExpr, valuesSelect, type ScalarExpr } from './expressions.js';
import { compileFilter, compileSearch, type FilterInput } from './filter.js';
import type { CollectionSchema } from './schema.js';
import { join, query, raw, sql, uuidLiteral, type Runner, type Sql } from './sql.js';
import type { Json } from './values.js';

export interface OrderInput {
  field: string;
  direction?: 'ASC' | 'DESC' | null;
  /** default: LAST for ASC, FIRST for DESC (PostgreSQL's default, so plain indexes serve both) */
  nulls?: 'FIRST' | 'LAST' | null;
}

export interface QueryArgs {
  filter?: FilterInput | null;
  search?: string | null;
  orderBy?: OrderInput[] | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  includeArchived?: boolean | null;
}

/** A record as the engine reads it: the DataRecord row, with computed values merged in. */
export interface RecordRow {
  id: string;
  workspaceId: string;
  collectionId: string;
  values: Record<string, Json>;
  version: number;
  archived: boolean;
  autoNumber: number;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RecordPage {
  rows: RecordRow[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** runs the count only when asked for */
  totalCount(): Promise<number>;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const MAX_ORDER_TERMS = 5;

interface OrderTerm {
  name: string;
  expr: ScalarExpr;
  desc: boolean;
  nullsFirst: boolean;
}

export const DEFAULT_ORDER: OrderInput[] = [{ field: 'createdAt', direction: 'DESC' }];

export function compileOrder(schema: CollectionSchema, orderBy: OrderInput[] | null | undefined, path = ['orderBy']): OrderTerm[] {
  const list = orderBy?.length ? orderBy : DEFAULT_ORDER;
  const issues: FieldIssue[] = [];
  if (list.length > MAX_ORDER_TERMS) issues.push({ path, code: 'TOO_MANY', message: `orderBy takes at most ${MAX_ORDER_TERMS} terms` });
  const terms: OrderTerm[] = [];
  list.forEach((o, i) => {
    const desc = o.direction === 'DESC';
    const nullsFirst = o.nulls ? o.nulls === 'FIRST' : desc;
    let expr: ScalarExpr | null = null;
    if ((SYSTEM_FIELDS as readonly string[]).includes(o.field)) expr = systemExpr(o.field as SystemField);
    else {
      const field = schema.byKey.get(o.field);
      if (!field) {
        issues.push({ path: [...path, String(i), 'field'], code: 'UNKNOWN_FIELD', message: `No field with key "${o.field}"` });
        return;
      }
      expr = FIELD_TYPE_SPECS[field.type].sortable ? scalarExpr(schema, field) : null;
      if (!expr) {
        issues.push({ path: [...path, String(i), 'field'], code: 'NOT_SORTABLE', message: `Field "${o.field}" (${field.type}${field.allowMultiple ? ', multiple' : ''}) cannot be sorted` });
        return;
      }
      if (field.type === 'STATIC_SELECT') {
        // options sort in their own order, not by id
        const ids = field.options.map((x) => x.id);
        expr = { sql: sql`array_position(${ids}::text[], ${expr.sql})`, type: 'int', nullable: true };
      }
    }
    terms.push({ name: o.field, expr, desc, nullsFirst });
  });
  assertNoIssues(issues, 'Invalid orderBy');
  // a stable tie-break in the direction of the last term: the auto-number, unique per collection
  // and increasing in creation order, so entries created in the same millisecond (bulk) keep it
  const last = terms[terms.length - 1];
  if (!terms.some((t) => t.name === 'id')) terms.push({ name: '#', expr: { sql: raw('r."autoNumber"'), type: 'int', nullable: false }, desc: last?.desc ?? true, nullsFirst: false });
  return terms;
}

const orderSql = (terms: OrderTerm[]) =>
  join(terms.map((t) => sql`${t.expr.sql} ${raw(t.desc ? 'desc' : 'asc')} ${raw(t.expr.nullable ? (t.nullsFirst ? 'nulls first' : 'nulls last') : '')}`), ', ');

const reversed = (terms: OrderTerm[]) => terms.map((t) => ({ ...t, desc: !t.desc, nullsFirst: !t.nullsFirst }));

/** Rows strictly after the cursor position in the order of `terms`. */
function keyset(terms: OrderTerm[], values: (string | null)[]): Sql {
  const sameDirection = terms.every((t) => t.desc === terms[0]!.desc);
  if (sameDirection && terms.every((t) => !t.expr.nullable) && values.every((v) => v !== null)) {
    // a row comparison is an index condition: deep pages cost the same as the first
    const lhs = join(terms.map((t) => t.expr.sql), ', ');
    const rhs = join(terms.map((t, i) => cast(values[i], t.expr.type)), ', ');
    return sql`(${lhs}) ${raw(terms[0]!.desc ? '<' : '>')} (${rhs})`;
  }
  const ors: Sql[] = [];
  terms.forEach((t, i) => {
    const eqs = terms.slice(0, i).map((p, j) => (values[j] === null ? sql`${p.expr.sql} is null` : sql`${p.expr.sql} = ${cast(values[j], p.expr.type)}`));
    const v = values[i];
    let after: Sql;
    if (v === null) after = t.nullsFirst ? sql`${t.expr.sql} is not null` : sql`false`;
    else {
      const cmp = sql`${t.expr.sql} ${raw(t.desc ? '<' : '>')} ${cast(v, t.expr.type)}`;
      after = t.expr.nullable && !t.nullsFirst ? sql`(${cmp} or ${t.expr.sql} is null)` : cmp;
    }
    ors.push(eqs.length ? sql`(${join([...eqs, after], ' and ')})` : after);
  });
  return sql`(${join(ors, ' or ')})`;
}

// cursors: base64url of [binding, values, ...]; the binding is a hash of filter, search and order
function binding(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

function encodeCursor(bind: string, values: (string | null)[]): string {
  return Buffer.from(JSON.stringify([bind, ...values])).toString('base64url');
}

function decodeCursor(cursor: string, bind: string, terms: OrderTerm[], arg: string): (string | null)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== terms.length + 1 || !parsed.every((x) => x === null || typeof x === 'string')) {
    throw badInput(`\`${arg}\` is not a cursor of this connection`, [{ path: [arg], code: 'INVALID_CURSOR', message: 'Not a cursor of this connection' }]);
  }
  if (parsed[0] !== bind) {
    throw badInput(`\`${arg}\` was made for another filter, search or order; start again without it`, [
      { path: [arg], code: 'CURSOR_MISMATCH', message: 'The cursor was made for another filter, search or order' },
    ]);
  }
  return parsed.slice(1) as (string | null)[];
}

export const ROW_COLUMNS = (schema: CollectionSchema) =>
  sql`r.id::text as id, r."workspaceId"::text as "workspaceId", r."collectionId"::text as "collectionId", ${valuesSelect(schema)} as values, r.version, r.archived, r."autoNumber", r."createdById"::text as "createdById", r."createdAt", r."updatedAt"`;

/** The WHERE clause shared by pages, counts and aggregates. */
export function whereClause(schema: CollectionSchema, args: { filter?: FilterInput | null; search?: string | null; includeArchived?: boolean | null }): Sql {
  const parts = [sql`r."collectionId" = ${uuidLiteral(schema.collection.id)}`];
  if (!args.includeArchived) parts.push(sql`not r.archived`);
  if (args.filter) parts.push(compileFilter(schema, args.filter));
  if (args.search?.trim()) parts.push(compileSearch(schema, args.search));
  return join(parts, ' and ');
}

function pageSize(args: QueryArgs): { size: number; backward: boolean } {
  const check = (name: 'first' | 'last', v: number | null | undefined) => {
    if (v != null && (!Number.isInteger(v) || v < 0 || v > MAX_PAGE_SIZE)) {
      throw badInput(`\`${name}\` must be between 0 and ${MAX_PAGE_SIZE}`, [{ path: [name], code: 'OUT_OF_RANGE', message: `between 0 and ${MAX_PAGE_SIZE}` }]);
    }
  };
  check('first', args.first);
  check('last', args.last);
  if (args.first != null && args.last != null) throw badInput('Pass `first` or `last`, not both');
  if (args.after && args.before) throw badInput('Pass `after` or `before`, not both');
  const backward = args.last != null || (args.before != null && args.first == null);
  return { size: (backward ? args.last : args.first) ?? DEFAULT_PAGE_SIZE, backward };
}

/**
 * One page of records: the filter, search and order compile to one SELECT over the indexes
 * (collectionId, createdAt, id) or a field's expression index; `totalCount` is a second,
 * lazy statement.
 */
export async function pageRecords(db: Runner, schema: CollectionSchema, args: QueryArgs): Promise<RecordPage> {
  const { size, backward } = pageSize(args);
  const terms = compileOrder(schema, args.orderBy);
  const where = whereClause(schema, args);
  const bind = binding([schema.collection.id, args.filter ?? null, args.search?.trim() || null, terms.map((t) => [t.name, t.desc, t.nullsFirst]), !!args.includeArchived]);
  const effective = backward ? reversed(terms) : terms;
  const cursorArg = backward ? 'before' : 'after';
  const cursor = backward ? args.before : args.after;
  const conditions = [where];
  if (cursor) conditions.push(keyset(effective, decodeCursor(cursor, bind, terms, cursorArg)));
  const orderColumns = join(terms.map((t, i) => sql`(${t.expr.sql})::text as ${raw(`"_o${i}"`)}`), ', ');
  const rows =
    size === 0
      ? []
      : await query<RecordRow & Record<string, string | null>>(
          db,
          sql`select ${ROW_COLUMNS(schema)}, ${orderColumns} from "Record" r where ${join(conditions, ' and ')} order by ${orderSql(effective)} limit ${size + 1}`,
        );
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (backward) page.reverse();
  return {
    rows: page.map(stripOrderColumns),
    cursors: page.map((r) => encodeCursor(bind, terms.map((_, i) => r[`_o${i}`] ?? null))),
    hasNextPage: backward ? !!args.before : more,
    hasPreviousPage: backward ? more : !!args.after,
    totalCount: async () => {
      const [row] = await query<{ n: number }>(db, sql`select count(*)::int as n from "Record" r where ${where}`);
      return row!.n;
    },
  };
}

function stripOrderColumns(row: RecordRow & Record<string, unknown>): RecordRow {
  const out = { ...row };
  for (const k of Object.keys(out)) if (k.startsWith('_o')) delete (out as Record<string, unknown>)[k];
  return out as RecordRow;
}

/** Records by id within one collection (archived included), with computed values; input order kept. */
export async function readRecords(db: Runner, schema: CollectionSchema, ids: string[]): Promise<RecordRow[]> {
  if (ids.length === 0) return [];
  const rows = await query<RecordRow>(
    db,
    sql`select ${ROW_COLUMNS(schema)} from "Record" r where r."collectionId" = ${uuidLiteral(schema.collection.id)} and r.id = any(${ids}::uuid[])`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is RecordRow => !!r);
}
