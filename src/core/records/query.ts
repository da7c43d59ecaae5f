import { assertNoIssues, type FieldIssue } from '../../errors.js';
import { FIELD_TYPE_SPECS, SYSTEM_FIELDS, type SystemField } from './field-types.js';
import { cast, scalarExpr, systemExpr, valuesSelect, type ScalarExpr } from './expressions.js';
import { compileFilter, compileSearch, type FilterInput } from './filter.js';
import type { CollectionSchema } from './schema.js';
import { join, query, raw, sql, uuidLiteral, type Runner, type Sql } from './sql.js';
import type { Json } from './values.js';
import { CRM_PAGE, cursorBinding, decodeCursor, encodeCursor, pageRequest, slicePage, type PageArgs } from '../paging/index.js';

export interface OrderInput {
  field: string;
  direction?: 'ASC' | 'DESC' | null;
  /** default: LAST for ASC, FIRST for DESC (PostgreSQL's default, so plain indexes serve both) */
  nulls?: 'FIRST' | 'LAST' | null;
}

export interface QueryArgs extends PageArgs {
  filter?: FilterInput | null;
  search?: string | null;
  orderBy?: OrderInput[] | null;
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
        issues.push({
          path: [...path, String(i), 'field'],
          code: 'NOT_SORTABLE',
          message: `Field "${o.field}" (${field.type}${field.allowMultiple ? ', multiple' : ''}) cannot be sorted`,
        });
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
  if (!terms.some((t) => t.name === 'id'))
    terms.push({ name: '#', expr: { sql: raw('r."autoNumber"'), type: 'int', nullable: false }, desc: last?.desc ?? true, nullsFirst: false });
  return terms;
}

const orderSql = (terms: OrderTerm[]) =>
  join(
    terms.map((t) => sql`${t.expr.sql} ${raw(t.desc ? 'desc' : 'asc')} ${raw(t.expr.nullable ? (t.nullsFirst ? 'nulls first' : 'nulls last') : '')}`),
    ', ',
  );

const reversed = (terms: OrderTerm[]) => terms.map((t) => ({ ...t, desc: !t.desc, nullsFirst: !t.nullsFirst }));

/** Rows strictly after the cursor position in the order of `terms`. */
function keyset(terms: OrderTerm[], values: (string | null)[]): Sql {
  const sameDirection = terms.every((t) => t.desc === terms[0]!.desc);
  if (sameDirection && terms.every((t) => !t.expr.nullable) && values.every((v) => v !== null)) {
    // a row comparison is an index condition: deep pages cost the same as the first
    const lhs = join(
      terms.map((t) => t.expr.sql),
      ', ',
    );
    const rhs = join(
      terms.map((t, i) => cast(values[i], t.expr.type)),
      ', ',
    );
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

/**
 * One page of records: the filter, search and order compile to one SELECT over the indexes
 * (collectionId, createdAt, id) or a field's expression index; `totalCount` is a second,
 * lazy statement.
 */
export async function pageRecords(db: Runner, schema: CollectionSchema, args: QueryArgs): Promise<RecordPage> {
  const request = pageRequest(args, CRM_PAGE);
  const terms = compileOrder(schema, args.orderBy);
  const where = whereClause(schema, args);
  const bind = cursorBinding([
    schema.collection.id,
    args.filter ?? null,
    args.search?.trim() || null,
    terms.map((t) => [t.name, t.desc, t.nullsFirst]),
    !!args.includeArchived,
  ]);
  const effective = request.backward ? reversed(terms) : terms;
  const conditions = [where];
  if (request.cursor) conditions.push(keyset(effective, decodeCursor(request.cursor, bind, terms.length, request.cursorArg)));
  const orderColumns = join(
    terms.map((t, i) => sql`(${t.expr.sql})::text as ${raw(`"_o${i}"`)}`),
    ', ',
  );
  const rows =
    request.size === 0
      ? []
      : await query<RecordRow & Record<string, string | null>>(
          db,
          sql`select ${ROW_COLUMNS(schema)}, ${orderColumns} from "Record" r where ${join(conditions, ' and ')} order by ${orderSql(effective)} limit ${request.size + 1} offset ${request.offset}`,
        );
  const page = slicePage(rows, request);
  return {
    rows: page.rows.map(stripOrderColumns),
    cursors: page.rows.map((r) =>
      encodeCursor(
        bind,
        terms.map((_, i) => r[`_o${i}`] ?? null),
      ),
    ),
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
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
