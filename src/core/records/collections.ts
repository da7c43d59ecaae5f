import { createHash, randomUUID } from 'node:crypto';
import { requireWorkspace } from '../../context.js';
import { assertNoIssues, badInput, failedDependency, notFound, type FieldIssue, type IssueCode } from '../../errors.js';
import { Prisma } from '../../generated/prisma/client.js';
import { effectiveType, FIELD_TYPE_SPECS, isFieldType, KEY_PATTERN, RESERVED_KEYS, type FieldType } from './field-types.js';
import { scalarExpr } from './expressions.js';
import { compileFormula, formulaReferences, FormulaError } from './formula/compile.js';
import { compileFilter } from './filter.js';
import { compileOrder, type OrderInput } from './query.js';
import {
  buildSchema,
  forgetSchema,
  loadSchema,
  type CollectionSchema,
  type FieldConfig,
  type FieldDefinition,
  type RecordScope,
  type RecordsContext,
  type RollupFunction,
  type SelectOption,
} from './schema.js';
import { execute, isUuid, keyLiteral, query, sql, uuidLiteral } from './sql.js';
import type { Db } from '../../db/prisma.js';
import { isCurrencyCode, normalizeValue, type Json } from './values.js';
import type { FilterInput } from './filter.js';

export interface FieldInput {
  key: string;
  label: string;
  description?: string | null;
  type: string;
  required?: boolean | null;
  allowMultiple?: boolean | null;
  options?: Array<{ id?: string | null; label: string; order?: number | null }> | null;
  defaultValue?: unknown;
  visible?: boolean | null;
  indexed?: boolean | null;
  config?: FieldConfig | null;
}

export type FieldUpdate = Partial<Omit<FieldInput, 'key'>>;

export interface CollectionInput {
  name: string;
  description?: string | null;
  handle?: string | null;
  fields?: FieldInput[] | null;
}

const ROLLUP_FUNCTIONS: RollupFunction[] = ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT'];
export const MAX_FIELDS = 500;

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40) || 'option';

/** Options of one STATIC_SELECT field; more is refused (TOO_MANY), documented in README "Limits". */
export const MAX_OPTIONS = 1000;

/**
 * The options to store: an option without an id takes the slug of its label. Two options with
 * the same id are refused (DUPLICATE_OPTION, at the second one), never renamed: a client keeps the
 * ids it chose. One pass with a set, so any number of options costs linear time.
 */
function normalizeOptions(input: FieldInput['options'], path: string[], issues: FieldIssue[]): SelectOption[] {
  const given = input ?? [];
  if (given.length > MAX_OPTIONS) {
    issues.push({ path: [...path, 'options'], code: 'TOO_MANY', message: `At most ${MAX_OPTIONS} options` });
    return [];
  }
  const used = new Set<string>();
  return given.map((o, i) => {
    const id = o.id?.trim() || slug(o.label);
    if (used.has(id)) issues.push({ path: [...path, 'options', String(i), 'id'], code: 'DUPLICATE_OPTION', message: `Another option has the id "${id}"` });
    used.add(id);
    return { id, label: o.label.trim(), order: o.order ?? i };
  });
}

/**
 * Checks one field definition in the context of its collection (`siblings`: the other fields,
 * including new ones of the same call). Returns the definition to store.
 */
async function checkField(
  db: Db,
  workspaceId: string,
  input: FieldInput,
  siblings: FieldDefinition[],
  path: string[],
  issues: FieldIssue[],
  existing?: FieldDefinition,
): Promise<FieldDefinition | null> {
  const before = issues.length;
  const add = (sub: string, code: IssueCode, message: string) => issues.push({ path: [...path, sub], code, message });
  if (!existing) {
    if (!KEY_PATTERN.test(input.key)) add('key', 'INVALID_KEY', 'A key matches [a-z][a-z0-9_]* and has at most 63 characters');
    else if (RESERVED_KEYS.has(input.key)) add('key', 'RESERVED_KEY', `"${input.key}" is reserved`);
    else if (siblings.some((f) => f.key === input.key)) add('key', 'DUPLICATE_KEY', `Another field has the key "${input.key}"`);
  }
  if (!input.label?.trim()) add('label', 'REQUIRED', 'A field needs a label');
  if (!isFieldType(input.type)) {
    add('type', 'INVALID_VALUE', `Unknown field type ${input.type}`);
    return null;
  }
  const type: FieldType = input.type;
  const spec = FIELD_TYPE_SPECS[type];
  const allowMultiple = !!input.allowMultiple;
  if (allowMultiple && !spec.settings.includes('allowMultiple')) add('allowMultiple', 'NOT_APPLICABLE', `${type} fields hold one value`);
  const optionIssues = issues.length;
  const options = type === 'STATIC_SELECT' ? normalizeOptions(input.options, path, issues) : [];
  if (type === 'STATIC_SELECT') {
    if (issues.length === optionIssues && options.length === 0) add('options', 'REQUIRED', 'A STATIC_SELECT field needs options');
    if (options.some((o) => !o.label)) add('options', 'REQUIRED', 'Every option needs a label');
  } else if (input.options?.length) add('options', 'NOT_APPLICABLE', `${type} fields have no options`);
  const given = input.config ?? {};
  const config: FieldConfig = {};
  if (type === 'LINK') {
    const target = given.targetCollectionId;
    const found = isUuid(target) ? await db.collection.findFirst({ where: { id: target, workspaceId }, select: { id: true } }) : null;
    if (!found) add('config', 'NOT_FOUND', 'A LINK field needs config.targetCollectionId of a collection in this workspace');
    else config.targetCollectionId = found.id;
  }
  if (type === 'COUNT' || type === 'ROLLUP') {
    const link = siblings.find((f) => f.key === given.linkField);
    if (link?.type !== 'LINK') add('config', 'INVALID_VALUE', `${type} needs config.linkField naming a LINK field of the same collection`);
    else config.linkField = link.key;
    if (type === 'ROLLUP') {
      const fn = given.function ?? 'SUM';
      if (!ROLLUP_FUNCTIONS.includes(fn)) add('config', 'INVALID_VALUE', `config.function is one of ${ROLLUP_FUNCTIONS.join(', ')}`);
      config.function = fn;
      if (link?.type === 'LINK' && link.config.targetCollectionId) {
        const target = await db.fieldDef.findFirst({ where: { collectionId: link.config.targetCollectionId, key: given.targetField ?? '' } });
        if (target?.type !== 'NUMBER') add('config', 'INVALID_VALUE', 'ROLLUP needs config.targetField naming a NUMBER field of the linked collection');
        else config.targetField = target.key;
      }
    }
  }
  if (type === 'CURRENCY') {
    if (!isCurrencyCode(given.currency)) add('config', 'INVALID_CURRENCY', 'A CURRENCY field needs config.currency, an ISO 4217 code such as "EUR"');
    else config.currency = given.currency;
  }
  if (type === 'FORMULA') checkFormula(input, given, siblings, existing, config, [...path, 'config', 'expression'], issues);
  if (input.indexed && !['TEXT', 'NUMBER', 'DATETIME', 'BOOLEAN', 'STATIC_SELECT', 'USER', 'WEBSITE', 'EMAIL', 'PHONE_NUMBER', 'CURRENCY'].includes(type)) {
    add('indexed', 'NOT_APPLICABLE', `${type} fields cannot be indexed`);
  }
  const def: FieldDefinition = {
    id: existing?.id ?? randomUUID(),
    collectionId: existing?.collectionId ?? '',
    key: existing?.key ?? input.key,
    label: input.label?.trim() ?? '',
    description: input.description ?? null,
    type,
    required: !!input.required && !spec.readOnly,
    allowMultiple,
    options,
    defaultValue: null,
    position: existing?.position ?? 0,
    visible: input.visible ?? true,
    indexed: !!input.indexed,
    config,
  };
  if (input.indexed && type === 'USER' && allowMultiple) add('indexed', 'NOT_APPLICABLE', 'Multi-user fields cannot be indexed');
  if (input.defaultValue !== undefined && input.defaultValue !== null && issues.length === before) {
    if (type === 'LINK' || type === 'USER' || type === 'FILE' || spec.readOnly) add('defaultValue', 'NOT_APPLICABLE', `${type} fields have no default value`);
    else {
      const r = normalizeValue(def, input.defaultValue);
      if (!r.ok) add('defaultValue', r.code, r.message);
      else def.defaultValue = r.value ?? null;
    }
  }
  return issues.length === before ? def : null;
}

/**
 * Parses and type-checks a FORMULA's expression against the collection as it would be (siblings
 * plus this field), and re-checks every other formula, so no change leaves a formula that no
 * longer compiles or changes type under another one.
 */
function checkFormula(
  input: FieldInput,
  given: FieldConfig,
  siblings: FieldDefinition[],
  existing: FieldDefinition | undefined,
  config: FieldConfig,
  path: string[],
  issues: FieldIssue[],
) {
  const expression = typeof given.expression === 'string' ? given.expression.trim() : '';
  if (!expression) {
    issues.push({ path, code: 'REQUIRED', message: 'A FORMULA field needs config.expression, e.g. "price * quantity"' });
    return;
  }
  const key = existing?.key ?? input.key;
  const self: FieldDefinition = {
    id: existing?.id ?? '',
    collectionId: existing?.collectionId ?? '',
    key,
    label: input.label ?? key,
    description: null,
    type: 'FORMULA',
    required: false,
    allowMultiple: false,
    options: [],
    defaultValue: null,
    position: 0,
    visible: true,
    indexed: false,
    config: { expression },
  };
  const fields = [...siblings.filter((f) => f.key !== key), self];
  const schema = { collection: {} as CollectionSchema['collection'], fields, byKey: new Map(fields.map((f) => [f.key, f])) } as CollectionSchema;
  const compile = (f: FieldDefinition) => compileFormula(schema, f, (x) => scalarExpr(schema, x));
  try {
    self.config.resultType = compile(self).type;
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    issues.push({ path, code: e.code, message: e.message });
    return;
  }
  for (const other of fields) {
    if (other.type !== 'FORMULA' || other === self || !formulaReferences(other.config.expression ?? '').has(key)) continue;
    let problem: string | null = null;
    try {
      const type = compile(other).type;
      if (type !== other.config.resultType) problem = `it would turn "${other.key}" from ${other.config.resultType} into ${type}`;
    } catch (e) {
      if (!(e instanceof FormulaError)) throw e;
      problem = `"${other.key}" would not compute: ${e.message}`;
    }
    if (problem) issues.push({ path, code: e2code(problem), message: `The formula "${other.key}" uses "${key}": ${problem}` });
  }
  config.expression = expression;
  config.resultType = self.config.resultType;
}

const e2code = (problem: string) => (problem.includes('refers to itself') ? 'CIRCULAR_REFERENCE' : 'BREAKS_DEPENDENT_FORMULA');

/** Formula fields whose expression names `key`. */
const formulasUsing = (fields: FieldDefinition[], key: string) =>
  fields.filter((f) => f.type === 'FORMULA' && f.key !== key && formulaReferences(f.config.expression ?? '').has(key));

const fieldData = (f: FieldDefinition) => ({
  key: f.key,
  label: f.label,
  description: f.description,
  type: f.type,
  required: f.required,
  allowMultiple: f.allowMultiple,
  options: f.type === 'STATIC_SELECT' ? (f.options as unknown as Prisma.InputJsonValue) : undefined,
  defaultValue: f.defaultValue === null ? undefined : (f.defaultValue as Prisma.InputJsonValue),
  position: f.position,
  visible: f.visible,
  indexed: f.indexed,
  config: Object.keys(f.config).length ? (f.config as Prisma.InputJsonValue) : undefined,
});

// ---------------------------------------------------------------- expression indexes

/** The name of a field's expression index (stable for a collection and key). */
export function indexName(collectionId: string, key: string) {
  return `rx_${collectionId.replace(/-/g, '').slice(0, 12)}_${createHash('sha256').update(`${collectionId}/${key}`).digest('hex').slice(0, 16)}`;
}

/**
 * Creates (or drops) the partial expression index of an `indexed` field: the exact expression
 * the filter compiler emits, then id for a stable order, over the collection's rows only.
 * CONCURRENTLY, so writes continue while a large collection is indexed; never inside a transaction.
 */
export async function syncIndex(db: Db, schema: CollectionSchema, field: FieldDefinition, wanted: boolean) {
  const name = indexName(schema.collection.id, field.key);
  if (!wanted) {
    await db.$executeRawUnsafe(`drop index concurrently if exists "${name}"`);
    await db.$executeRawUnsafe(`drop index concurrently if exists "${name}_t"`);
    return;
  }
  const expr = scalarExpr(schema, field, '');
  if (!expr) return;
  const text = expr.sql.sql;
  if (expr.sql.values.length) throw new Error('index expressions take no parameters');
  const where = `where "collectionId" = '${schema.collection.id}'`;
  // (value, createdAt, autoNumber): equality filters serve the default order (createdAt, then the
  // auto-number tie-break) straight from the index; range filters sorted by the value use it too
  await db.$executeRawUnsafe(`create index concurrently if not exists "${name}" on "Record" ((${text}), "createdAt", "autoNumber") ${where}`);
  if (FIELD_TYPE_SPECS[field.type].searchable && field.type !== 'CHECKLIST') {
    // trigram index: CONTAINS and free-text search (ILIKE '%...%') use it
    await db.$executeRawUnsafe(`create index concurrently if not exists "${name}_t" on "Record" using gin ((${text}) gin_trgm_ops) ${where}`);
  }
}

// ---------------------------------------------------------------- collections

export async function createCollection(ctx: RecordsContext, scope: RecordScope, input: CollectionInput) {
  const { workspaceId } = requireWorkspace(ctx);
  const issues: FieldIssue[] = [];
  if (!input.name?.trim()) issues.push({ path: ['name'], code: 'REQUIRED', message: 'A name is required' });
  if (input.handle != null && !KEY_PATTERN.test(input.handle))
    issues.push({ path: ['handle'], code: 'INVALID_KEY', message: 'A handle matches [a-z][a-z0-9_]*' });
  if ((input.fields?.length ?? 0) > MAX_FIELDS) issues.push({ path: ['fields'], code: 'TOO_MANY', message: `At most ${MAX_FIELDS} fields` });
  const defs: FieldDefinition[] = [];
  for (const [i, f] of (input.fields ?? []).entries()) {
    if ((input.fields ?? []).slice(0, i).some((g) => g.key === f.key) && !defs.some((d) => d.key === f.key)) {
      issues.push({ path: ['fields', String(i), 'key'], code: 'DUPLICATE_KEY', message: `Another field has the key "${f.key}"` });
      continue;
    }
    const def = await checkField(ctx.db, workspaceId, f, defs, ['fields', String(i)], issues);
    if (def) defs.push({ ...def, position: i });
  }
  if (input.handle && (await ctx.db.collection.findFirst({ where: { workspaceId, kind: scope.kind, handle: input.handle }, select: { id: true } }))) {
    issues.push({ path: ['handle'], code: 'DUPLICATE', message: `Another ${scope.collectionNoun.toLowerCase()} has the handle "${input.handle}"` });
  }
  assertNoIssues(issues);
  const collection = await ctx.db.collection.create({
    data: {
      workspaceId,
      kind: scope.kind,
      name: input.name.trim(),
      description: input.description ?? null,
      handle: input.handle ?? null,
      fields: { create: defs.map((d) => ({ id: d.id, ...fieldData(d) })) },
    },
    include: { fields: true },
  });
  const { fields, ...rest } = collection;
  const schema = buildSchema(rest, fields);
  for (const f of schema.fields) if (f.indexed) await syncIndex(ctx.db, schema, f, true);
  return rest;
}

export async function updateCollection(
  ctx: RecordsContext,
  scope: RecordScope,
  id: string,
  input: { name?: string | null; description?: string | null; handle?: string | null },
) {
  const schema = await loadSchema(ctx, id, scope);
  const issues: FieldIssue[] = [];
  if (input.name !== undefined && !input.name?.trim()) issues.push({ path: ['name'], code: 'REQUIRED', message: 'A name is required' });
  if (input.handle != null && !KEY_PATTERN.test(input.handle))
    issues.push({ path: ['handle'], code: 'INVALID_KEY', message: 'A handle matches [a-z][a-z0-9_]*' });
  if (
    input.handle &&
    (await ctx.db.collection.findFirst({
      where: { workspaceId: schema.collection.workspaceId, kind: scope.kind, handle: input.handle, id: { not: id } },
      select: { id: true },
    }))
  ) {
    issues.push({ path: ['handle'], code: 'DUPLICATE', message: `Another ${scope.collectionNoun.toLowerCase()} has the handle "${input.handle}"` });
  }
  assertNoIssues(issues);
  forgetSchema(ctx, id);
  return ctx.db.collection.update({
    where: { id },
    data: {
      name: input.name?.trim() ?? undefined,
      description: input.description === undefined ? undefined : input.description,
      handle: input.handle === undefined ? undefined : input.handle,
    },
  });
}

/** Deletes a collection with its fields, records and views; refused while LINK fields of others point at it. */
export async function deleteCollection(ctx: RecordsContext, scope: RecordScope, id: string) {
  const schema = await loadSchema(ctx, id, scope);
  const linking = await ctx.db.fieldDef.findMany({
    where: {
      type: 'LINK',
      collectionId: { not: id },
      collection: { workspaceId: schema.collection.workspaceId },
      config: { path: ['targetCollectionId'], equals: id },
    },
    include: { collection: { select: { name: true } } },
  });
  if (linking.length) {
    throw failedDependency(
      `LINK fields point at this ${scope.collectionNoun.toLowerCase()}: ${linking.map((f) => `${f.collection.name}.${f.key}`).join(', ')}; remove them first`,
    );
  }
  await ctx.db.collection.delete({ where: { id } });
  for (const f of schema.fields) if (f.indexed) await syncIndex(ctx.db, schema, f, false);
  forgetSchema(ctx, id);
  return schema.collection;
}

// ---------------------------------------------------------------- fields

async function fieldOf(ctx: RecordsContext, scope: RecordScope, fieldId: string): Promise<{ schema: CollectionSchema; field: FieldDefinition }> {
  const { workspaceId } = requireWorkspace(ctx);
  const row = isUuid(fieldId)
    ? await ctx.db.fieldDef.findFirst({ where: { id: fieldId, collection: { workspaceId, kind: scope.kind } }, select: { collectionId: true } })
    : null;
  if (!row) throw notFound('Field');
  const schema = await loadSchema(ctx, row.collectionId, scope);
  return { schema, field: schema.fields.find((f) => f.id === fieldId)! };
}

export async function createField(ctx: RecordsContext, scope: RecordScope, collectionId: string, input: FieldInput) {
  const { workspaceId } = requireWorkspace(ctx);
  const schema = await loadSchema(ctx, collectionId, scope);
  const issues: FieldIssue[] = [];
  if (schema.fields.length >= MAX_FIELDS) issues.push({ path: [], code: 'TOO_MANY', message: `At most ${MAX_FIELDS} fields` });
  const def = await checkField(ctx.db, workspaceId, input, schema.fields, [], issues);
  assertNoIssues(issues);
  const position = Math.max(-1, ...schema.fields.map((f) => f.position)) + 1;
  const row = await ctx.db.fieldDef.create({ data: { id: def!.id, collectionId, ...fieldData({ ...def!, position }) } });
  forgetSchema(ctx, collectionId);
  if (def!.indexed) await syncIndex(ctx.db, await loadSchema(ctx, collectionId, scope), { ...def!, collectionId }, true);
  return row;
}

/** A value as plain data, to carry it across a type change. */
function plain(field: FieldDefinition, v: Json, forType: FieldType): unknown {
  if (field.type === 'STATIC_SELECT' && forType !== 'STATIC_SELECT') {
    const label = (id: Json) => field.options.find((o) => o.id === id)?.label ?? id;
    return Array.isArray(v) ? v.map(label) : label(v);
  }
  if (field.type === 'CURRENCY' && forType !== 'CURRENCY') return (v as { amount: string }).amount;
  return v;
}

function convert(from: FieldDefinition, to: FieldDefinition, v: Json) {
  let p = plain(from, v, to.type);
  if (Array.isArray(p) && !to.allowMultiple && p.length === 1 && to.type !== 'CHECKLIST') p = p[0];
  if (['TEXT', 'EMAIL', 'WEBSITE', 'PHONE_NUMBER'].includes(to.type) && (typeof p === 'number' || typeof p === 'boolean')) p = String(p);
  if (to.type === 'NUMBER' && typeof p === 'string' && /^-?\d+(\.\d+)?$/.test(p.trim())) p = Number(p);
  if (to.type === 'CURRENCY' && typeof p === 'number') p = String(p);
  if (to.type === 'BOOLEAN' && typeof p === 'string' && /^(true|false)$/i.test(p.trim())) p = p.trim().toLowerCase() === 'true';
  return normalizeValue(to, p);
}

/**
 * Changes a field. A change of type, multiplicity, options or currency is checked against every
 * stored value: when all convert, they are rewritten in one statement; otherwise nothing changes
 * and the error says how many values do not convert and why (with an example).
 */
export async function updateField(ctx: RecordsContext, scope: RecordScope, fieldId: string, input: FieldUpdate) {
  const { workspaceId } = requireWorkspace(ctx);
  const { schema, field } = await fieldOf(ctx, scope, fieldId);
  const merged: FieldInput = {
    key: field.key,
    label: input.label ?? field.label,
    description: input.description === undefined ? field.description : input.description,
    type: input.type ?? field.type,
    required: input.required ?? field.required,
    allowMultiple: input.allowMultiple ?? field.allowMultiple,
    options: input.options ?? field.options,
    defaultValue: input.defaultValue === undefined ? field.defaultValue : input.defaultValue,
    visible: input.visible ?? field.visible,
    indexed: input.indexed ?? field.indexed,
    config: input.config ?? field.config,
  };
  const issues: FieldIssue[] = [];
  const siblings = schema.fields.filter((f) => f.id !== field.id);
  const def = await checkField(ctx.db, workspaceId, merged, siblings, [], issues, field);
  assertNoIssues(issues);
  const next = def!;
  if (next.type !== field.type) {
    const dependents = [...siblings.filter((f) => f.config.linkField === field.key), ...formulasUsing(siblings, field.key)];
    if (dependents.length) throw failedDependency(`${dependents.map((f) => f.key).join(', ')} depend on "${field.key}"; change them first`);
  }
  const reshaped =
    next.type !== field.type ||
    next.allowMultiple !== field.allowMultiple ||
    JSON.stringify(next.options.map((o) => o.id)) !== JSON.stringify(field.options.map((o) => o.id)) ||
    next.config.currency !== field.config.currency;
  const rewrites: Array<{ id: string; v: Json }> = [];
  if (reshaped && !FIELD_TYPE_SPECS[field.type].readOnly) {
    const rows = await query<{ id: string; v: Json }>(
      ctx.db,
      sql`select id::text, values->${keyLiteral(field.key)} as v from "Record" where "collectionId" = ${uuidLiteral(schema.collection.id)} and values->${keyLiteral(field.key)} is not null`,
    );
    const failures: string[] = [];
    for (const row of rows) {
      if (FIELD_TYPE_SPECS[next.type].readOnly || (['LINK', 'USER', 'FILE'].includes(next.type) && next.type !== field.type)) {
        failures.push(`record ${row.id}: ${next.type} values cannot come from ${field.type}`);
        continue;
      }
      const r = convert(field, next, row.v);
      if (!r.ok) failures.push(`record ${row.id}: ${r.message}`);
      else if (JSON.stringify(r.value) !== JSON.stringify(row.v)) rewrites.push({ id: row.id, v: r.value ?? null });
    }
    if (failures.length) {
      throw badInput(
        `${failures.length} of ${rows.length} stored values of "${field.key}" do not convert to ${next.type}${next.allowMultiple ? ' (multiple)' : ''}; e.g. ${failures[0]}`,
        [{ path: ['type'], code: 'VALUES_DO_NOT_CONVERT', message: `${failures.length} stored values do not convert; e.g. ${failures[0]}` }],
      );
    }
  }
  await ctx.db.$transaction(async (tx) => {
    await tx.fieldDef.update({
      where: { id: field.id },
      data: {
        ...fieldData(next),
        options: next.type === 'STATIC_SELECT' ? (next.options as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
        config: Object.keys(next.config).length ? (next.config as Prisma.InputJsonValue) : Prisma.DbNull,
        defaultValue: next.defaultValue === null ? Prisma.DbNull : (next.defaultValue as Prisma.InputJsonValue),
      },
    });
    if (rewrites.length) {
      await execute(
        tx,
        sql`update "Record" r set values = case when x.v is null or x.v = 'null'::jsonb then r.values - ${keyLiteral(field.key)} else jsonb_set(r.values, array[${keyLiteral(field.key)}], x.v) end, version = r.version + 1, "updatedAt" = now()
            from jsonb_to_recordset(${JSON.stringify(rewrites)}::jsonb) as x(id uuid, v jsonb) where r.id = x.id`,
      );
    }
  });
  forgetSchema(ctx, schema.collection.id);
  if (next.indexed !== field.indexed || (next.indexed && reshaped)) {
    const fresh = await loadSchema(ctx, schema.collection.id, scope);
    if (field.indexed) await syncIndex(ctx.db, schema, field, false);
    if (next.indexed) await syncIndex(ctx.db, fresh, fresh.byKey.get(field.key)!, true);
  }
  return ctx.db.fieldDef.findUniqueOrThrow({ where: { id: field.id } });
}

/** Sets the field order: `fieldIds` lists every field of the collection exactly once. */
export async function reorderFields(ctx: RecordsContext, scope: RecordScope, collectionId: string, fieldIds: string[]) {
  const schema = await loadSchema(ctx, collectionId, scope);
  const known = new Set(schema.fields.map((f) => f.id));
  if (fieldIds.length !== known.size || new Set(fieldIds).size !== fieldIds.length || !fieldIds.every((id) => known.has(id))) {
    throw badInput('fieldIds must list every field of the collection exactly once', [
      { path: ['fieldIds'], code: 'INVALID_VALUE', message: 'List every field exactly once' },
    ]);
  }
  await ctx.db.$transaction(fieldIds.map((id, position) => ctx.db.fieldDef.update({ where: { id }, data: { position } })));
  forgetSchema(ctx, collectionId);
  return schema.collection;
}

/** Removes a field and its stored values; refused while COUNT/ROLLUP fields depend on it. */
export async function removeField(ctx: RecordsContext, scope: RecordScope, fieldId: string) {
  const { schema, field } = await fieldOf(ctx, scope, fieldId);
  const dependents = [...schema.fields.filter((f) => f.config.linkField === field.key), ...formulasUsing(schema.fields, field.key)];
  const rollups = await ctx.db.fieldDef.findMany({
    where: { type: 'ROLLUP', config: { path: ['targetField'], equals: field.key } },
    select: { key: true, config: true, collectionId: true },
  });
  const remote = [];
  for (const r of rollups) {
    const link = await ctx.db.fieldDef.findFirst({ where: { collectionId: r.collectionId, key: (r.config as FieldConfig).linkField ?? '' } });
    if ((link?.config as FieldConfig | null)?.targetCollectionId === schema.collection.id) remote.push(r.key);
  }
  if (dependents.length || remote.length)
    throw failedDependency(`${[...dependents.map((f) => f.key), ...remote].join(', ')} depend on "${field.key}"; remove them first`);
  await ctx.db.$transaction(async (tx) => {
    await tx.fieldDef.delete({ where: { id: field.id } });
    await execute(
      tx,
      sql`update "Record" set values = values - ${keyLiteral(field.key)} where "collectionId" = ${uuidLiteral(schema.collection.id)} and values->${keyLiteral(field.key)} is not null`,
    );
    await execute(
      tx,
      sql`update "View" set "visibleFields" = array_remove("visibleFields", ${field.key}), "groupByField" = nullif("groupByField", ${field.key}) where "collectionId" = ${uuidLiteral(schema.collection.id)}`,
    );
  });
  if (field.indexed) await syncIndex(ctx.db, schema, field, false);
  forgetSchema(ctx, schema.collection.id);
  return field;
}

// ---------------------------------------------------------------- views

export interface ViewInput {
  name?: string | null;
  filter?: FilterInput | null;
  orderBy?: OrderInput[] | null;
  search?: string | null;
  visibleFields?: string[] | null;
  isDefault?: boolean | null;
  description?: string | null;
  kind?: ViewKind | null;
  groupByField?: string | null;
}

export const VIEW_KINDS = ['TABLE', 'BOARD', 'CALENDAR', 'GALLERY', 'LIST'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

function checkView(schema: CollectionSchema, input: ViewInput, requireName: boolean) {
  const issues: FieldIssue[] = [];
  if ((requireName || input.name !== undefined) && !input.name?.trim()) issues.push({ path: ['name'], code: 'REQUIRED', message: 'A view needs a name' });
  for (const [i, key] of (input.visibleFields ?? []).entries()) {
    if (!schema.byKey.has(key)) issues.push({ path: ['visibleFields', String(i)], code: 'UNKNOWN_FIELD', message: `No field with key "${key}"` });
  }
  if (input.groupByField != null) {
    const field = schema.byKey.get(input.groupByField);
    if (!field) issues.push({ path: ['groupByField'], code: 'UNKNOWN_FIELD', message: `No field with key "${input.groupByField}"` });
    else if (!FIELD_TYPE_SPECS[effectiveType(field)].groupable || !scalarExpr(schema, field))
      issues.push({ path: ['groupByField'], code: 'NOT_GROUPABLE', message: `Records cannot be grouped by "${field.key}" (${field.type})` });
  }
  if (input.kind === 'BOARD' && !input.groupByField) issues.push({ path: ['groupByField'], code: 'REQUIRED', message: 'A BOARD view needs groupByField' });
  assertNoIssues(issues);
  // compiling proves the filter and order are valid for this collection (throws BAD_USER_INPUT)
  if (input.filter) compileFilter(schema, input.filter);
  if (input.orderBy) compileOrder(schema, input.orderBy);
}

export async function createView(ctx: RecordsContext, scope: RecordScope, collectionId: string, input: ViewInput) {
  const schema = await loadSchema(ctx, collectionId, scope);
  checkView(schema, input, true);
  return ctx.db
    .$transaction(async (tx) => {
      if (input.isDefault) await tx.view.updateMany({ where: { collectionId }, data: { isDefault: false } });
      return tx.view.create({
        data: {
          workspaceId: schema.collection.workspaceId,
          collectionId,
          name: input.name!.trim(),
          filter: (input.filter ?? undefined) as unknown as Prisma.InputJsonValue | undefined,
          orderBy: (input.orderBy ?? undefined) as unknown as Prisma.InputJsonValue | undefined,
          search: input.search ?? null,
          visibleFields: input.visibleFields ?? [],
          isDefault: !!input.isDefault,
          description: input.description ?? null,
          kind: input.kind ?? 'TABLE',
          groupByField: input.groupByField ?? null,
        },
      });
    })
    .finally(() => forgetSchema(ctx, collectionId));
}

export async function viewOf(ctx: RecordsContext, scope: RecordScope, viewId: string) {
  const { workspaceId } = requireWorkspace(ctx);
  const view = isUuid(viewId) ? await ctx.db.view.findFirst({ where: { id: viewId, workspaceId, collection: { kind: scope.kind } } }) : null;
  if (!view) throw notFound('View');
  return view;
}

export async function updateView(ctx: RecordsContext, scope: RecordScope, viewId: string, input: ViewInput) {
  const view = await viewOf(ctx, scope, viewId);
  const schema = await loadSchema(ctx, view.collectionId, scope);
  checkView(
    schema,
    { ...input, kind: input.kind ?? (view.kind as ViewKind), groupByField: input.groupByField === undefined ? view.groupByField : input.groupByField },
    false,
  );
  forgetSchema(ctx, view.collectionId);
  return ctx.db.$transaction(async (tx) => {
    if (input.isDefault) await tx.view.updateMany({ where: { collectionId: view.collectionId, id: { not: viewId } }, data: { isDefault: false } });
    return tx.view.update({
      where: { id: viewId },
      data: {
        name: input.name?.trim() ?? undefined,
        filter: input.filter === undefined ? undefined : input.filter ? (input.filter as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
        orderBy: input.orderBy === undefined ? undefined : input.orderBy ? (input.orderBy as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
        search: input.search === undefined ? undefined : input.search,
        visibleFields: input.visibleFields ?? undefined,
        isDefault: input.isDefault ?? undefined,
        description: input.description === undefined ? undefined : input.description,
        kind: input.kind ?? undefined,
        groupByField: input.groupByField === undefined ? undefined : input.groupByField,
      },
    });
  });
}

export async function deleteView(ctx: RecordsContext, scope: RecordScope, viewId: string) {
  const view = await viewOf(ctx, scope, viewId);
  await ctx.db.view.delete({ where: { id: viewId } });
  forgetSchema(ctx, view.collectionId);
  return view;
}

/** Query arguments with a view applied: the view's filter ANDed with the given one; the given order wins. */
export function applyView<T extends { filter?: FilterInput | null; orderBy?: OrderInput[] | null; search?: string | null }>(
  args: T,
  view: { filter: unknown; orderBy: unknown; search: string | null } | null,
): T {
  if (!view) return args;
  const filters = [view.filter as FilterInput | null, args.filter].filter((f): f is FilterInput => !!f);
  return {
    ...args,
    filter: filters.length > 1 ? { and: filters } : (filters[0] ?? null),
    orderBy: args.orderBy?.length ? args.orderBy : ((view.orderBy as OrderInput[] | null) ?? null),
    search: args.search ?? view.search,
  };
}
