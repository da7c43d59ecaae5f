/**
 * FORMULA fields: an expression over other fields of the same record, parsed by jsep, type-checked,
 * and compiled to one SQL expression so it filters, sorts and aggregates like a stored field.
 * Field values enter the SQL through the engine's own field expressions; literals are bound
 * parameters; function names come from a fixed table. Nothing of the text reaches SQL verbatim.
 *
 * Language: numbers, "text" or 'text', true/false, field keys; + - * / % (numbers; + or & joins
 * text; date - date = days; date ± number = date shifted by days), comparisons == != < <= > >=,
 * && || !, cond ? a : b, and the functions below. An empty number, date or boolean makes the result
 * empty; empty text joins as "". Division by zero is empty.
 */
import jsep from 'jsep';
import type { CollectionSchema, FieldDefinition } from '../schema.js';
import { raw, sql, join, type Sql } from '../sql.js';
import type { ScalarExpr } from '../expressions.js';

export const FORMULA_TYPES = ['NUMBER', 'TEXT', 'BOOLEAN', 'DATETIME'] as const;
export type FormulaType = (typeof FORMULA_TYPES)[number];
export const MAX_EXPRESSION_LENGTH = 2000;
const MAX_DEPTH = 40;

export class FormulaError extends Error {
  constructor(
    readonly code: 'SYNTAX_ERROR' | 'UNKNOWN_FIELD' | 'TYPE_MISMATCH' | 'CIRCULAR_REFERENCE' | 'UNKNOWN_FUNCTION',
    message: string,
  ) {
    super(message);
  }
}

interface Typed {
  sql: Sql;
  type: FormulaType;
}

/** The SQL of a field's value inside a formula, resolved by the caller (it knows the engine's expressions). */
export type FieldResolver = (key: string, stack: string[]) => Typed;

const parsed = new Map<string, jsep.Expression>();

export function parseFormula(expression: string): jsep.Expression {
  const cached = parsed.get(expression);
  if (cached) return cached;
  if (expression.length > MAX_EXPRESSION_LENGTH) throw new FormulaError('SYNTAX_ERROR', `An expression has at most ${MAX_EXPRESSION_LENGTH} characters`);
  let ast: jsep.Expression;
  try {
    ast = jsep(expression);
  } catch (e) {
    throw new FormulaError('SYNTAX_ERROR', (e as Error).message);
  }
  if (ast.type === 'Compound' || (ast.type as string) === '') throw new FormulaError('SYNTAX_ERROR', 'An expression is one formula, e.g. price * quantity');
  if (parsed.size > 1000) parsed.clear();
  parsed.set(expression, ast);
  return ast;
}

/** The field keys an expression names (for dependency checks). */
export function formulaReferences(expression: string): Set<string> {
  const keys = new Set<string>();
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (n.type === 'Identifier') keys.add(n.name);
    if (n.type === 'CallExpression') return n.arguments.forEach(walk);
    for (const k of ['left', 'right', 'argument', 'test', 'consequent', 'alternate']) walk(n[k]);
  };
  try {
    walk(parseFormula(expression));
  } catch {
    // an unparsable expression references nothing
  }
  return keys;
}

const num = (s: Sql): Typed => ({ sql: s, type: 'NUMBER' });
const bool = (s: Sql): Typed => ({ sql: s, type: 'BOOLEAN' });
const text = (s: Sql): Typed => ({ sql: s, type: 'TEXT' });
const date = (s: Sql): Typed => ({ sql: s, type: 'DATETIME' });
const asText = (x: Typed): Sql =>
  x.type === 'DATETIME' ? sql`coalesce(to_char(${x.sql} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')` : sql`coalesce((${x.sql})::text, '')`;

const DATE_UNITS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400, weeks: 604800 };

function expect(x: Typed, type: FormulaType, what: string): Typed {
  if (x.type !== type) throw new FormulaError('TYPE_MISMATCH', `${what} takes ${type.toLowerCase()}, not ${x.type.toLowerCase()}`);
  return x;
}

/** Compiles an AST to typed SQL. */
function compileNode(node: jsep.Expression, field: FieldResolver, stack: string[], depth: number): Typed {
  if (depth > MAX_DEPTH) throw new FormulaError('SYNTAX_ERROR', `An expression nests at most ${MAX_DEPTH} levels`);
  const sub = (n: jsep.Expression) => compileNode(n, field, stack, depth + 1);
  const n = node as any;
  switch (node.type) {
    case 'Literal':
      if (typeof n.value === 'number') return num(sql`${String(n.value)}::numeric`);
      if (typeof n.value === 'string') return text(sql`${n.value}::text`);
      if (typeof n.value === 'boolean') return bool(sql`${n.value}::boolean`);
      throw new FormulaError('SYNTAX_ERROR', `Unsupported literal ${n.raw}`);
    case 'Identifier':
      return field(n.name, stack);
    case 'UnaryExpression': {
      const a = sub(n.argument);
      if (n.operator === '-') return num(sql`(- ${expect(a, 'NUMBER', 'Minus').sql})`);
      if (n.operator === '+') return expect(a, 'NUMBER', 'Plus');
      if (n.operator === '!') return bool(sql`(not ${expect(a, 'BOOLEAN', '!').sql})`);
      throw new FormulaError('SYNTAX_ERROR', `Unsupported operator ${n.operator}`);
    }
    case 'BinaryExpression':
      return binary(n.operator, sub(n.left), sub(n.right));
    case 'ConditionalExpression':
      return ifThen(sub(n.test), sub(n.consequent), sub(n.alternate));
    case 'CallExpression': {
      if (n.callee.type !== 'Identifier') throw new FormulaError('SYNTAX_ERROR', 'Only named functions can be called');
      return call(String(n.callee.name).toUpperCase(), (n.arguments as jsep.Expression[]).map(sub), n.arguments as jsep.Expression[]);
    }
    default:
      throw new FormulaError('SYNTAX_ERROR', `Unsupported syntax (${node.type}); use field keys, literals, operators and functions`);
  }
}

function binary(op: string, a: Typed, b: Typed): Typed {
  switch (op) {
    case '+':
      if (a.type === 'TEXT' || b.type === 'TEXT') return text(sql`(${asText(a)} || ${asText(b)})`);
      if (a.type === 'DATETIME' && b.type === 'NUMBER') return date(sql`(${a.sql} + ${b.sql} * interval '1 day')`);
      return num(sql`(${expect(a, 'NUMBER', '+').sql} + ${expect(b, 'NUMBER', '+').sql})`);
    case '&':
      return text(sql`(${asText(a)} || ${asText(b)})`);
    case '-':
      if (a.type === 'DATETIME' && b.type === 'DATETIME') return num(sql`(extract(epoch from (${a.sql} - ${b.sql})) / 86400)`);
      if (a.type === 'DATETIME' && b.type === 'NUMBER') return date(sql`(${a.sql} - ${b.sql} * interval '1 day')`);
      return num(sql`(${expect(a, 'NUMBER', '-').sql} - ${expect(b, 'NUMBER', '-').sql})`);
    case '*':
      return num(sql`(${expect(a, 'NUMBER', '*').sql} * ${expect(b, 'NUMBER', '*').sql})`);
    case '/':
      return num(sql`(${expect(a, 'NUMBER', '/').sql} / nullif(${expect(b, 'NUMBER', '/').sql}, 0))`);
    case '%':
      return num(sql`mod(${expect(a, 'NUMBER', '%').sql}, nullif(${expect(b, 'NUMBER', '%').sql}, 0))`);
    case '&&':
    case '||':
      return bool(sql`(${expect(a, 'BOOLEAN', op).sql} ${raw(op === '&&' ? 'and' : 'or')} ${expect(b, 'BOOLEAN', op).sql})`);
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (a.type !== b.type)
        throw new FormulaError('TYPE_MISMATCH', `${op} compares values of one type, not ${a.type.toLowerCase()} and ${b.type.toLowerCase()}`);
      if (a.type === 'BOOLEAN' && op !== '==' && op !== '!=') throw new FormulaError('TYPE_MISMATCH', `${op} does not apply to booleans`);
      const sqlOp = op === '==' ? '=' : op === '!=' ? '<>' : op;
      return bool(sql`(${a.sql} ${raw(sqlOp)} ${b.sql})`);
    }
    default:
      throw new FormulaError('SYNTAX_ERROR', `Unsupported operator ${op}`);
  }
}

function ifThen(test: Typed, a: Typed, b: Typed | null): Typed {
  expect(test, 'BOOLEAN', 'The condition of IF');
  if (b && a.type !== b.type)
    throw new FormulaError('TYPE_MISMATCH', `IF returns one type; its branches are ${a.type.toLowerCase()} and ${b.type.toLowerCase()}`);
  return { type: a.type, sql: sql`(case when ${test.sql} then ${a.sql} else ${b ? b.sql : sql`null`} end)` };
}

function arity(name: string, args: Typed[], min: number, max = min) {
  if (args.length < min || args.length > max)
    throw new FormulaError('SYNTAX_ERROR', `${name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}`);
}

function call(name: string, args: Typed[], nodes: jsep.Expression[]): Typed {
  switch (name) {
    case 'IF':
      arity(name, args, 2, 3);
      return ifThen(args[0]!, args[1]!, args[2] ?? null);
    case 'CONCAT':
      arity(name, args, 1, 50);
      return text(sql`(${join(args.map(asText), ' || ')})`);
    case 'ROUND': {
      arity(name, args, 1, 2);
      const places = args[1] ? sql`(${expect(args[1], 'NUMBER', 'ROUND places').sql})::int` : sql`0`;
      return num(sql`round(${expect(args[0]!, 'NUMBER', name).sql}, ${places})`);
    }
    case 'ABS':
      arity(name, args, 1);
      return num(sql`abs(${expect(args[0]!, 'NUMBER', name).sql})`);
    case 'MIN':
    case 'MAX':
      arity(name, args, 1, 50);
      return num(
        sql`${raw(name === 'MIN' ? 'least' : 'greatest')}(${join(
          args.map((a) => expect(a, 'NUMBER', name).sql),
          ', ',
        )})`,
      );
    case 'UPPER':
    case 'LOWER':
      arity(name, args, 1);
      return text(sql`${raw(name.toLowerCase())}(${asText(args[0]!)})`);
    case 'LEN':
      arity(name, args, 1);
      return num(sql`length(${asText(args[0]!)})::numeric`);
    case 'AND':
    case 'OR':
      arity(name, args, 1, 50);
      return bool(
        sql`(${join(
          args.map((a) => expect(a, 'BOOLEAN', name).sql),
          name === 'AND' ? ' and ' : ' or ',
        )})`,
      );
    case 'NOT':
      arity(name, args, 1);
      return bool(sql`(not ${expect(args[0]!, 'BOOLEAN', name).sql})`);
    case 'ISBLANK':
      arity(name, args, 1);
      return bool(args[0]!.type === 'TEXT' ? sql`(coalesce(${args[0]!.sql}, '') = '')` : sql`(${args[0]!.sql} is null)`);
    case 'NOW':
      arity(name, args, 0);
      return date(sql`now()`);
    case 'DATEDIFF': {
      // DATEDIFF(end, start, "days"): whole units from start to end
      arity(name, args, 2, 3);
      const unitNode = nodes[2] as any;
      const unit = unitNode ? unitNode.value : 'days';
      if (unitNode && (unitNode.type !== 'Literal' || typeof unit !== 'string' || !(unit in DATE_UNITS))) {
        throw new FormulaError(
          'SYNTAX_ERROR',
          `DATEDIFF's unit is one of ${Object.keys(DATE_UNITS)
            .map((u) => `"${u}"`)
            .join(', ')}`,
        );
      }
      const end = expect(args[0]!, 'DATETIME', name).sql;
      const start = expect(args[1]!, 'DATETIME', name).sql;
      return num(sql`trunc(extract(epoch from (${end} - ${start})) / ${raw(String(DATE_UNITS[unit as string]))})`);
    }
    default:
      throw new FormulaError(
        'UNKNOWN_FUNCTION',
        `Unknown function ${name}; use IF, CONCAT, ROUND, ABS, MIN, MAX, UPPER, LOWER, LEN, AND, OR, NOT, ISBLANK, NOW, DATEDIFF`,
      );
  }
}

/** The formula type a field contributes, or null when its type cannot be used in a formula. */
function operandType(field: FieldDefinition): FormulaType | null {
  switch (field.type) {
    case 'NUMBER':
    case 'CURRENCY':
    case 'COUNT':
    case 'ROLLUP':
    case 'AUTO_NUMBER':
      return 'NUMBER';
    case 'TEXT':
    case 'EMAIL':
    case 'WEBSITE':
    case 'PHONE_NUMBER':
      return 'TEXT';
    case 'STATIC_SELECT':
      return field.allowMultiple ? null : 'TEXT';
    case 'DATETIME':
      return 'DATETIME';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'FORMULA':
      return field.config.resultType ?? null;
    default:
      return null;
  }
}

/**
 * Compiles a FORMULA field of `schema` (which must contain it) to typed SQL over the alias.
 * `scalar` gives the engine's expression of a stored or computed field.
 */
export function compileFormula(
  schema: CollectionSchema,
  formula: FieldDefinition,
  scalar: (field: FieldDefinition) => ScalarExpr | null,
  stack: string[] = [],
): Typed {
  if (stack.includes(formula.key)) throw new FormulaError('CIRCULAR_REFERENCE', `The formula refers to itself: ${[...stack, formula.key].join(' -> ')}`);
  const resolve: FieldResolver = (key, at) => {
    const field = schema.byKey.get(key);
    if (!field) throw new FormulaError('UNKNOWN_FIELD', `No field with key "${key}"`);
    if (field.type === 'FORMULA') return compileFormula(schema, field, scalar, at);
    const type = operandType(field);
    const expr = type ? scalar(field) : null;
    if (!type || !expr)
      throw new FormulaError('TYPE_MISMATCH', `"${key}" (${field.type}${field.allowMultiple ? ', multiple' : ''}) cannot be used in a formula`);
    // option labels read better than ids in text; dates compute as timestamps
    if (field.type === 'STATIC_SELECT')
      return text(sql`(select x->>'label' from jsonb_array_elements(${JSON.stringify(field.options)}::jsonb) x where x->>'id' = ${expr.sql})`);
    if (type === 'DATETIME') return date(sql`(${expr.sql})::timestamptz`);
    return { type, sql: expr.sql };
  };
  const expression = formula.config.expression ?? '';
  return compileNode(parseFormula(expression), resolve, [...stack, formula.key], 0);
}

/** A formula's value as the engine reads it: dates as ISO 8601 UTC text, like DATETIME fields. */
export function formulaScalar(compiled: Typed): ScalarExpr {
  switch (compiled.type) {
    case 'NUMBER':
      return { sql: compiled.sql, type: 'numeric', nullable: true };
    case 'BOOLEAN':
      return { sql: compiled.sql, type: 'boolean', nullable: true };
    case 'TEXT':
      return { sql: compiled.sql, type: 'text', nullable: true };
    case 'DATETIME':
      return { sql: sql`to_char((${compiled.sql}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, type: 'text', nullable: true };
  }
}
