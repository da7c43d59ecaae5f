import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace, type GraphQLContext } from '../../context.js';
import { badInput } from '../../graphql/errors.js';
import {
  createRecords,
  deleteRecord,
  loadSchema,
  readRecords,
  runnerFor,
  setArchived,
  updateRecord,
  MAX_BULK_CREATE,
  type Json,
  type RecordRow,
  type RecordScope,
} from '../../core/records/index.js';
import { FieldValueType, userLoader } from '../records/records.graphql.js';
import { loaderFor } from '../records/loaders.js';
import { UserType } from '../identity/user.graphql.js';
import { FORM_SCOPE } from './forms.service.js';

/** Rows the engine read carry computed values (AUTO_NUMBER, COUNT, ROLLUP); rows Prisma read (node lookups) do not. */
const engineRows = new WeakSet<object>();
export const fromEngine = <T extends RecordRow>(rows: T[]): T[] => {
  for (const r of rows) engineRows.add(r);
  return rows;
};

async function valuesOf(ctx: GraphQLContext, scope: RecordScope, row: RecordRow): Promise<Record<string, Json>> {
  if (engineRows.has(row)) return row.values;
  const loader = loaderFor<RecordRow>(ctx, `records:values:${row.collectionId}`, async (ids) => {
    const schema = await loadSchema(ctx, row.collectionId, scope);
    const rows = await readRecords(runnerFor(ctx), schema, [...ids]);
    return ids.map((id) => rows.find((r) => r.id === id) ?? null);
  });
  return (await loader.load(row.id))?.values ?? (row.values as Record<string, Json>);
}

export const EntryType = builder.prismaNode('DataRecord', {
  variant: 'Entry',
  description: 'An entry of a form: values keyed by field key, with a version for optimistic concurrency.',
  id: { field: 'id' },
  // a missing or foreign id answers null, not an error
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', collection: { kind: 'FORM' } }),
  fields: (t) => ({
    values: t.field({
      type: 'JSON',
      description: 'All values keyed by field key, computed ones (AUTO_NUMBER, COUNT, ROLLUP) included. LINK, USER and FILE values hold raw ids.',
      resolve: (row, _a, ctx) => valuesOf(ctx, FORM_SCOPE, row as RecordRow),
    }),
    value: t.field({
      type: FieldValueType,
      description: 'The typed value of one field',
      args: { key: t.arg.string() },
      resolve: async (row, { key }, ctx) => {
        const schema = await loadSchema(ctx, row.collectionId, FORM_SCOPE);
        const field = schema.byKey.get(key);
        if (!field) throw badInput(`No field with key "${key}"`, [{ path: ['key'], code: 'UNKNOWN_FIELD', message: `No field with key "${key}"` }]);
        return { field, value: (await valuesOf(ctx, FORM_SCOPE, row as RecordRow))[key] };
      },
    }),
    fieldValues: t.field({
      type: [FieldValueType],
      description: 'Typed values of every field, in field order',
      resolve: async (row, _a, ctx) => {
        const schema = await loadSchema(ctx, row.collectionId, FORM_SCOPE);
        const values = await valuesOf(ctx, FORM_SCOPE, row as RecordRow);
        return schema.fields.map((field) => ({ field, value: values[field.key] }));
      },
    }),
    version: t.exposeInt('version', { description: 'Increases with every change; pass it as expectedVersion to update safely' }),
    archived: t.exposeBoolean('archived'),
    autoNumber: t.exposeInt('autoNumber'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    createdBy: t.field({ type: UserType, nullable: true, resolve: (row, _a, ctx) => (row.createdById ? userLoader(ctx).load(row.createdById) : null) }),
  }),
});


builder.mutationFields((t) => ({
  updateEntry: t.field({
    type: EntryType,
    description: 'Replaces all values: absent optional fields become empty, absent required fields are an error.',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: {
      id: t.arg.globalID({ for: EntryType }),
      values: t.arg({ type: 'JSON' }),
      expectedVersion: t.arg.int({ required: false, description: 'Answer CONFLICT (and write nothing) unless the entry is at this version' }),
    },
    resolve: async (_r, args, ctx) => fromEngine([await updateRecord(ctx, FORM_SCOPE, args.id.id, args.values, { mode: 'replace', expectedVersion: args.expectedVersion })])[0]!,
  }),
  patchEntry: t.field({
    type: EntryType,
    description: 'Changes only the given fields; null clears one.',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: {
      id: t.arg.globalID({ for: EntryType }),
      values: t.arg({ type: 'JSON' }),
      expectedVersion: t.arg.int({ required: false, description: 'Answer CONFLICT (and write nothing) unless the entry is at this version' }),
    },
    resolve: async (_r, args, ctx) => fromEngine([await updateRecord(ctx, FORM_SCOPE, args.id.id, args.values, { mode: 'patch', expectedVersion: args.expectedVersion })])[0]!,
  }),
  archiveEntry: t.field({
    type: EntryType,
    description: 'Hides the entry from queries unless includeArchived. Needs the INTERNAL scope or an OWNER/ADMIN user.',
    authScopes: { $any: { scope: 'INTERNAL', admin: true } },
    errors: {},
    args: { id: t.arg.globalID({ for: EntryType }), expectedVersion: t.arg.int({ required: false }) },
    resolve: async (_r, args, ctx) => fromEngine([await setArchived(ctx, FORM_SCOPE, args.id.id, true, args.expectedVersion)])[0]!,
  }),
  unarchiveEntry: t.field({
    type: EntryType,
    authScopes: { $any: { scope: 'INTERNAL', admin: true } },
    errors: {},
    args: { id: t.arg.globalID({ for: EntryType }), expectedVersion: t.arg.int({ required: false }) },
    resolve: async (_r, args, ctx) => fromEngine([await setArchived(ctx, FORM_SCOPE, args.id.id, false, args.expectedVersion)])[0]!,
  }),
  deleteEntry: t.field({
    type: 'ID',
    description: 'Deletes the entry for good (and removes it from LINK fields pointing at it). Returns its id.',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: EntryType }) },
    resolve: async (_r, args, ctx) => {
      await deleteRecord(ctx, FORM_SCOPE, args.id.id);
      return encodeGlobalID('Entry', args.id.id);
    },
  }),
}));

export async function createEntries(ctx: GraphQLContext, formId: string, values: unknown[], path: string[]) {
  requireWorkspace(ctx);
  if (values.length > MAX_BULK_CREATE) throw badInput(`At most ${MAX_BULK_CREATE} entries per call`, [{ path, code: 'TOO_MANY', message: `At most ${MAX_BULK_CREATE}` }]);
  return fromEngine(await createRecords(ctx, FORM_SCOPE, formId, values, path));
}
