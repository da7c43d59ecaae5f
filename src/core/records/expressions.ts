import { FIELD_TYPE_SPECS, type SystemField } from './field-types.js';
import type { CollectionSchema, FieldDefinition } from './schema.js';
import { compileFormula, formulaScalar } from './formula/compile.js';
import { join, keyLiteral, raw, sql, uuidLiteral, type Sql } from './sql.js';

/** SQL type a scalar expression compares as; parameters are cast to it. */
export type SqlType = 'text' | 'numeric' | 'boolean' | 'int' | 'uuid' | 'timestamp';

export interface ScalarExpr {
  sql: Sql;
  type: SqlType;
  /** can be NULL (system columns cannot) */
  nullable: boolean;
}

export const cast = (value: unknown, type: SqlType): Sql => sql`${value}::${raw(type)}`;

/** `alias` '' gives unqualified columns, as index definitions need. */
const col = (alias: string, name: string) => raw(alias ? `${alias}.${name}` : name);
const json = (alias: string, key: string) => sql`${col(alias, 'values')}->${keyLiteral(key)}`;
const text = (alias: string, key: string) => sql`${col(alias, 'values')}->>${keyLiteral(key)}`;

export function systemExpr(name: SystemField, alias = 'r'): ScalarExpr {
  switch (name) {
    case 'id':
      return { sql: raw(`${alias}.id`), type: 'uuid', nullable: false };
    case 'createdAt':
      return { sql: raw(`${alias}."createdAt"`), type: 'timestamp', nullable: false };
    case 'updatedAt':
      return { sql: raw(`${alias}."updatedAt"`), type: 'timestamp', nullable: false };
    case 'archived':
      return { sql: raw(`${alias}.archived`), type: 'boolean', nullable: false };
  }
}

/** The ids a LINK field holds, as a uuid set expression usable in `= any(...)`. */
function linkedIds(alias: string, link: FieldDefinition): Sql {
  return sql`array(select jsonb_array_elements_text(coalesce(${json(alias, link.key)}, '[]'::jsonb))::uuid)`;
}

function linkedRecords(schema: CollectionSchema, field: FieldDefinition, alias: string): { link: FieldDefinition; from: Sql } {
  const link = schema.byKey.get(field.config.linkField ?? '');
  if (link?.type !== 'LINK' || !link.config.targetCollectionId) throw new Error(`${field.type} field ${field.key} has no LINK field`);
  return {
    link,
    from: sql`from "Record" t where t."collectionId" = ${uuidLiteral(link.config.targetCollectionId)} and not t.archived and t.id = any(${linkedIds(alias, link)})`,
  };
}

/**
 * The typed scalar SQL of a field's value, or null when the field holds a list (multi-select,
 * multi-user, LINK, FILE, CHECKLIST). Indexes on `indexed` fields are built on exactly these
 * expressions, so the planner matches them.
 */
export function scalarExpr(schema: CollectionSchema, field: FieldDefinition, alias = 'r'): ScalarExpr | null {
  switch (field.type) {
    case 'TEXT':
    case 'WEBSITE':
    case 'EMAIL':
    case 'PHONE_NUMBER':
    case 'DATETIME':
      return { sql: sql`(${text(alias, field.key)})`, type: 'text', nullable: true };
    case 'STATIC_SELECT':
    case 'USER':
      return field.allowMultiple ? null : { sql: sql`(${text(alias, field.key)})`, type: 'text', nullable: true };
    case 'NUMBER':
      return { sql: sql`((${text(alias, field.key)})::numeric)`, type: 'numeric', nullable: true };
    case 'BOOLEAN':
      return { sql: sql`((${text(alias, field.key)})::boolean)`, type: 'boolean', nullable: true };
    case 'CURRENCY':
      return { sql: sql`((${col(alias, 'values')}->${keyLiteral(field.key)}->>'amount')::numeric)`, type: 'numeric', nullable: true };
    case 'AUTO_NUMBER':
      return { sql: col(alias, '"autoNumber"'), type: 'int', nullable: false };
    case 'COUNT': {
      const { from } = linkedRecords(schema, field, alias);
      return { sql: sql`((select count(*) ${from})::numeric)`, type: 'numeric', nullable: false };
    }
    case 'FORMULA':
      return formulaScalar(compileFormula(schema, field, (f) => scalarExpr(schema, f, alias)));
    case 'ROLLUP': {
      const { from } = linkedRecords(schema, field, alias);
      const target = sql`((t.values->>${keyLiteral(field.config.targetField ?? '')})::numeric)`;
      const fn = field.config.function ?? 'SUM';
      const agg = fn === 'COUNT' ? sql`count(${target})::numeric` : sql`${raw(fn.toLowerCase())}(${target})`;
      return { sql: sql`(select ${agg} ${from})`, type: 'numeric', nullable: true };
    }
    default:
      return null;
  }
}

/** The raw JSON of a stored field (lists included). */
export const jsonExpr = (field: FieldDefinition, alias = 'r') => json(alias, field.key);

/** True when the field has no value. Empty values are never stored, so absence is emptiness. */
export function emptyExpr(schema: CollectionSchema, field: FieldDefinition, alias = 'r'): Sql {
  if (field.type === 'AUTO_NUMBER' || field.type === 'COUNT') return sql`false`;
  if (field.type === 'ROLLUP' || field.type === 'FORMULA') return sql`(${scalarExpr(schema, field, alias)!.sql} is null)`;
  return sql`(${json(alias, field.key)} is null)`;
}

/** Fields computed at read time, merged into `values` by the select list. */
export function computedFields(schema: CollectionSchema) {
  return schema.fields.filter((f) => FIELD_TYPE_SPECS[f.type].readOnly);
}

/** `values` as clients read them: stored values plus AUTO_NUMBER, COUNT and ROLLUP. */
export function valuesSelect(schema: CollectionSchema, alias = 'r'): Sql {
  const computed = computedFields(schema);
  if (computed.length === 0) return sql`${raw(alias)}.values`;
  const pairs = computed.map((f) => sql`${keyLiteral(f.key)}, ${scalarExpr(schema, f, alias)!.sql}`);
  return sql`jsonb_strip_nulls(${raw(alias)}.values || jsonb_build_object(${join(pairs, ', ')}))`;
}
