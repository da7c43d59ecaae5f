import { assertNoIssues, type FieldIssue, type IssueCode } from '../../errors.js';
import { effectiveType, FIELD_TYPE_SPECS, OPERATORS, SYSTEM_FIELD_OPERATORS, SYSTEM_FIELDS, type Operator, type SystemField } from './field-types.js';
import { cast, emptyExpr, jsonExpr, scalarExpr, systemExpr, type ScalarExpr, type SqlType } from './expressions.js';
import type { CollectionSchema, FieldDefinition } from './schema.js';
import { rawId, REFERENCE_TYPENAMES } from './ids.js';
import { join, likePattern, raw, sql, type Sql } from './sql.js';
import { normalizeDecimal, normalizePhone } from './values.js';
import { dateComparison, isWholeDay, parseDateBound, type DateBound, type DateRelation } from '../date-bounds.js';

/** A filter tree: `and` / `or` / `not` over conditions; the parts of one node are ANDed. */
export interface FilterInput {
  and?: FilterInput[] | null;
  or?: FilterInput[] | null;
  not?: FilterInput | null;
  field?: string | null;
  operator?: Operator | null;
  value?: unknown;
  values?: unknown[] | null;
}

export const MAX_FILTER_DEPTH = 8;
export const MAX_FILTER_CONDITIONS = 100;
export const MAX_IN_VALUES = 1000;

const isSystem = (name: string): name is SystemField => (SYSTEM_FIELDS as readonly string[]).includes(name);
const NO_VALUE: Operator[] = ['IS_EMPTY', 'IS_NOT_EMPTY'];
const LIST_VALUE: Operator[] = ['IN', 'NOT_IN', 'BETWEEN'];

interface Target {
  name: string;
  /** the field, or null for a system field */
  field: FieldDefinition | null;
  typeName: string;
  operators: Operator[];
}

/**
 * Compiles a filter tree to a parameterised SQL predicate over the alias `r`. Every problem in
 * the tree is reported at once as BAD_USER_INPUT (path e.g. ["filter", "or", "1", "operator"]).
 */
export function compileFilter(schema: CollectionSchema, filter: FilterInput | null | undefined, path: string[] = ['filter']): Sql {
  if (!filter) return sql`true`;
  const issues: FieldIssue[] = [];
  let conditions = 0;
  const walk = (node: FilterInput, at: string[], depth: number): Sql => {
    if (depth > MAX_FILTER_DEPTH) {
      issues.push({ path: at, code: 'TOO_DEEP', message: `Filters nest at most ${MAX_FILTER_DEPTH} levels` });
      return sql`true`;
    }
    const parts: Sql[] = [];
    if (node.and)
      parts.push(
        node.and.length
          ? sql`(${join(
              node.and.map((n, i) => walk(n, [...at, 'and', String(i)], depth + 1)),
              ' and ',
            )})`
          : sql`true`,
      );
    if (node.or)
      parts.push(
        node.or.length
          ? sql`(${join(
              node.or.map((n, i) => walk(n, [...at, 'or', String(i)], depth + 1)),
              ' or ',
            )})`
          : sql`false`,
      );
    if (node.not) parts.push(sql`not coalesce(${walk(node.not, [...at, 'not'], depth + 1)}, false)`);
    if (node.field != null || node.operator != null) {
      if (++conditions > MAX_FILTER_CONDITIONS)
        issues.push({ path: at, code: 'TOO_MANY_CONDITIONS', message: `A filter holds at most ${MAX_FILTER_CONDITIONS} conditions` });
      else parts.push(condition(schema, node, at, issues));
    }
    if (parts.length === 0) return sql`true`;
    return parts.length === 1 ? parts[0]! : sql`(${join(parts, ' and ')})`;
  };
  const compiled = walk(filter, path, 1);
  assertNoIssues(issues, 'Invalid filter');
  return compiled;
}

export function resolveTarget(schema: CollectionSchema, name: string): Target | null {
  if (isSystem(name)) return { name, field: null, typeName: `system field ${name}`, operators: SYSTEM_FIELD_OPERATORS[name] };
  const field = schema.byKey.get(name);
  if (!field) return null;
  const operators = FIELD_TYPE_SPECS[effectiveType(field)].operators;
  return { name, field, typeName: field.type, operators };
}

function condition(schema: CollectionSchema, node: FilterInput, at: string[], issues: FieldIssue[]): Sql {
  const { field: name, operator } = node;
  if (name == null) {
    issues.push({ path: [...at, 'field'], code: 'REQUIRED', message: 'A condition needs a field' });
    return sql`true`;
  }
  if (operator == null || !OPERATORS.includes(operator)) {
    issues.push({ path: [...at, 'operator'], code: 'REQUIRED', message: `A condition needs an operator (${OPERATORS.join(', ')})` });
    return sql`true`;
  }
  const target = resolveTarget(schema, name);
  if (!target) {
    issues.push({ path: [...at, 'field'], code: 'UNKNOWN_FIELD', message: `No field with key "${name}"` });
    return sql`true`;
  }
  if (!target.operators.includes(operator)) {
    issues.push({
      path: [...at, 'operator'],
      code: 'OPERATOR_NOT_APPLICABLE',
      message: `Operator ${operator} does not apply to field "${name}" (${target.typeName}); it takes ${target.operators.join(', ')}`,
    });
    return sql`true`;
  }
  // operand shape
  let operands: unknown[] = [];
  if (NO_VALUE.includes(operator)) {
    operands = [];
  } else if (LIST_VALUE.includes(operator)) {
    const list = node.values ?? (Array.isArray(node.value) ? node.value : null);
    const want = operator === 'BETWEEN' ? 2 : null;
    if (!list || list.length === 0 || (want !== null && list.length !== want) || list.length > MAX_IN_VALUES) {
      issues.push({
        path: [...at, 'values'],
        code: 'INVALID_VALUE',
        message: operator === 'BETWEEN' ? 'BETWEEN takes `values` with exactly two bounds' : `${operator} takes \`values\` with 1 to ${MAX_IN_VALUES} items`,
      });
      return sql`true`;
    }
    operands = list;
  } else {
    if (node.value === undefined || node.value === null) {
      issues.push({ path: [...at, 'value'], code: 'REQUIRED', message: `${operator} takes a \`value\`` });
      return sql`true`;
    }
    operands = [node.value];
  }
  const normalized: unknown[] = [];
  for (const [i, raw] of operands.entries()) {
    const r = operand(target, operator, raw);
    if (r instanceof OperandError) {
      issues.push({
        path: [...at, LIST_VALUE.includes(operator) ? 'values' : 'value', ...(LIST_VALUE.includes(operator) ? [String(i)] : [])],
        code: r.code,
        message: r.error,
      });
      return sql`true`;
    }
    normalized.push(r);
  }
  return predicate(schema, target, operator, normalized);
}

class OperandError {
  constructor(
    readonly code: IssueCode,
    readonly error: string,
  ) {}
}
const operandError = (code: IssueCode, error: string) => new OperandError(code, error);

/** Checks one filter operand against the field type and returns it normalised like stored values. */
function operand(target: Target, operator: Operator, v: unknown): unknown {
  const field = target.field && target.field.type === 'FORMULA' ? { ...target.field, type: effectiveType(target.field) } : target.field;
  const type = field?.type;
  const what = `field "${target.name}" (${target.typeName})`;
  if (operator === 'CONTAINS' || operator === 'DOES_NOT_CONTAIN') {
    if (type === 'LINK') return rawId(v, REFERENCE_TYPENAMES.LINK!) ?? operandError('INVALID_VALUE', `${operator} on ${what} takes a record id`);
    return typeof v === 'string' && v.length > 0 ? v : operandError('INVALID_TYPE', `${operator} on ${what} takes non-empty text`);
  }
  if (!field) {
    if (target.name === 'id') return rawId(v, REFERENCE_TYPENAMES.LINK!) ?? operandError('INVALID_VALUE', `${what} takes record ids`);
    if (target.name === 'archived') return typeof v === 'boolean' ? v : operandError('INVALID_TYPE', `${what} takes true or false`);
    return parseDateBound(v) ?? operandError('INVALID_VALUE', `${what} takes an ISO 8601 date (a whole day) or date-time`);
  }
  switch (field.type) {
    case 'NUMBER':
    case 'COUNT':
    case 'ROLLUP':
    case 'CURRENCY': {
      const d = normalizeDecimal(typeof v === 'object' && v !== null ? (v as { amount?: unknown }).amount : v);
      return d ?? operandError('INVALID_TYPE', `${what} takes a number`);
    }
    case 'AUTO_NUMBER':
      return Number.isInteger(v) ? v : operandError('INVALID_TYPE', `${what} takes an integer`);
    case 'DATETIME':
      return parseDateBound(v) ?? operandError('INVALID_VALUE', `${what} takes an ISO 8601 date (a whole day) or date-time`);
    case 'BOOLEAN':
      return typeof v === 'boolean' ? v : operandError('INVALID_TYPE', `${what} takes true or false`);
    case 'STATIC_SELECT': {
      if (typeof v !== 'string') return operandError('INVALID_TYPE', `${what} takes option ids`);
      const o = field.options.find((x) => x.id === v) ?? field.options.find((x) => x.label.toLowerCase() === v.toLowerCase());
      return o ? o.id : operandError('UNKNOWN_OPTION', `"${v}" is not an option of "${field.key}"`);
    }
    case 'USER':
      return rawId(v, REFERENCE_TYPENAMES.USER!) ?? operandError('INVALID_VALUE', `${what} takes user ids`);
    case 'EMAIL':
      return typeof v === 'string' ? v.trim().toLowerCase() : operandError('INVALID_TYPE', `${what} takes text`);
    case 'PHONE_NUMBER':
      return typeof v === 'string' ? (normalizePhone(v) ?? v) : operandError('INVALID_TYPE', `${what} takes text`);
    default:
      return typeof v === 'string' ? v : operandError('INVALID_TYPE', `${what} takes text`);
  }
}

function predicate(schema: CollectionSchema, target: Target, op: Operator, vs: unknown[]): Sql {
  const field = target.field;
  if (field && (op === 'IS_EMPTY' || op === 'IS_NOT_EMPTY')) {
    const e = emptyExpr(schema, field);
    return op === 'IS_EMPTY' ? e : sql`not ${e}`;
  }
  const scalar: ScalarExpr | null = field ? scalarExpr(schema, field) : systemExpr(target.name as SystemField);
  if (!scalar) return listPredicate(field!, op, vs);
  const e = scalar.sql;
  const t: SqlType = scalar.type;
  if (isDateTarget(target)) return datePredicate(e, t, op, vs as DateBound[]);
  const p = (i: number) => cast(vs[i], t);
  switch (op) {
    case 'IS':
      return sql`${e} = ${p(0)}`;
    case 'IS_NOT':
      return sql`${e} is distinct from ${p(0)}`;
    case 'GREATER':
      return sql`${e} > ${p(0)}`;
    case 'GREATER_OR_EQUAL':
      return sql`${e} >= ${p(0)}`;
    case 'LESS':
      return sql`${e} < ${p(0)}`;
    case 'LESS_OR_EQUAL':
      return sql`${e} <= ${p(0)}`;
    case 'BETWEEN':
      return sql`${e} between ${p(0)} and ${p(1)}`;
    case 'IN':
      return sql`${e} in (${join(
        vs.map((_, i) => p(i)),
        ', ',
      )})`;
    case 'NOT_IN':
      return sql`not coalesce(${e} in (${join(
        vs.map((_, i) => p(i)),
        ', ',
      )}), false)`;
    case 'CONTAINS':
      return sql`${e} ilike ${likePattern(String(vs[0]))}`;
    case 'DOES_NOT_CONTAIN':
      return sql`not coalesce(${e} ilike ${likePattern(String(vs[0]))}, false)`;
    default:
      throw new Error(`unhandled operator ${op}`);
  }
}

const isDateTarget = (target: Target) => (target.field ? target.field.type === 'DATETIME' : target.name === 'createdAt' || target.name === 'updatedAt');

/** Date conditions by the rule of core/date-bounds.ts: a date-only operand is its whole day. */
function datePredicate(e: Sql, t: SqlType, op: Operator, bounds: DateBound[]): Sql {
  const compare = (relation: DateRelation, b: DateBound) => {
    const c = dateComparison(relation, b);
    return sql`${e} ${raw(c.op)} ${cast(c.at.toISOString(), t)}`;
  };
  const on = (b: DateBound) =>
    isWholeDay(b) ? sql`(${compare('ON_OR_AFTER', b)} and ${compare('ON_OR_BEFORE', b)})` : sql`${e} = ${cast(b.start.toISOString(), t)}`;
  const [first, second] = bounds as [DateBound, DateBound];
  switch (op) {
    case 'IS':
      return on(first);
    case 'IS_NOT':
      return sql`not coalesce(${on(first)}, false)`;
    case 'GREATER':
      return compare('AFTER', first);
    case 'GREATER_OR_EQUAL':
      return compare('ON_OR_AFTER', first);
    case 'LESS':
      return compare('BEFORE', first);
    case 'LESS_OR_EQUAL':
      return compare('ON_OR_BEFORE', first);
    case 'BETWEEN':
      return sql`(${compare('ON_OR_AFTER', first)} and ${compare('ON_OR_BEFORE', second)})`;
    default:
      throw new Error(`unhandled date operator ${op}`);
  }
}

/** Operators over list-valued fields: multi-select, multi-user, LINK, FILE, CHECKLIST. */
function listPredicate(field: FieldDefinition, op: Operator, vs: unknown[]): Sql {
  const j = jsonExpr(field);
  const has = (v: unknown) => sql`coalesce(${j} @> jsonb_build_array(${String(v)}::text), false)`;
  const hasAny = sql`coalesce(jsonb_exists_any(${j}, array[${join(
    vs.map((v) => sql`${String(v)}::text`),
    ', ',
  )}]), false)`;
  const itemMatches = (prop: string) =>
    sql`exists (select 1 from jsonb_array_elements(coalesce(${j}, '[]'::jsonb)) x where x->>${prop} ilike ${likePattern(String(vs[0]))})`;
  switch (op) {
    case 'IS':
      return has(vs[0]);
    case 'IS_NOT':
      return sql`not ${has(vs[0])}`;
    case 'IN':
      return hasAny;
    case 'NOT_IN':
      return sql`not ${hasAny}`;
    case 'CONTAINS':
    case 'DOES_NOT_CONTAIN': {
      const positive = field.type === 'LINK' ? has(vs[0]) : itemMatches(field.type === 'FILE' ? 'name' : 'label');
      return op === 'CONTAINS' ? positive : sql`not ${positive}`;
    }
    default:
      throw new Error(`unhandled operator ${op} on ${field.type}`);
  }
}

/** Free-text search: any text-like field contains the text (case-insensitive). */
export function compileSearch(schema: CollectionSchema, search: string | null | undefined): Sql {
  const q = search?.trim();
  if (!q) return sql`true`;
  const pattern = likePattern(q);
  const parts: Sql[] = [];
  for (const f of schema.fields) {
    if (!FIELD_TYPE_SPECS[f.type].searchable) continue;
    if (f.type === 'CHECKLIST')
      parts.push(sql`exists (select 1 from jsonb_array_elements(coalesce(${jsonExpr(f)}, '[]'::jsonb)) x where x->>'label' ilike ${pattern})`);
    else parts.push(sql`${scalarExpr(schema, f)!.sql} ilike ${pattern}`);
  }
  return parts.length ? sql`(${join(parts, ' or ')})` : sql`false`;
}
