import { requireWorkspace } from '../../context.js';
import { assertNoIssues, failedDependency, type FieldIssue } from '../../errors.js';
import { checkField, fieldData, MAX_FIELDS } from './field-check.js';
import type { FieldInput } from './field-input.js';
import { KEY_PATTERN } from './field-types.js';
import { syncIndex } from './indexes.js';
import { buildSchema, forgetSchema, loadSchema, type FieldDefinition, type RecordScope, type RecordsContext } from './schema.js';

export interface CollectionInput {
  name: string;
  description?: string | null;
  handle?: string | null;
  fields?: FieldInput[] | null;
}

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
