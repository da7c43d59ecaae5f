import { requireWorkspace } from '../../context.js';
import { assertNoIssues, badInput, failedDependency, notFound, type FieldIssue } from '../../errors.js';
import { Prisma } from '../../generated/prisma/client.js';
import { checkField, fieldData, MAX_FIELDS } from './field-check.js';
import { convertValue } from './field-conversion.js';
import type { FieldInput, FieldUpdate } from './field-input.js';
import { FIELD_TYPE_SPECS } from './field-types.js';
import { formulasUsing } from './formula-check.js';
import { syncIndex } from './indexes.js';
import { forgetSchema, loadSchema, type CollectionSchema, type FieldConfig, type FieldDefinition, type RecordScope, type RecordsContext } from './schema.js';
import { execute, isUuid, keyLiteral, query, sql, uuidLiteral } from './sql.js';
import type { Json } from './values.js';

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
      const r = convertValue(field, next, row.v);
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
