/**
 * The CRM face of the records engine: Module (a collection of kind MODULE) and ModuleRecord.
 * Field types, values, filters, order, paging and aggregates are the engine's and the shared
 * GraphQL building blocks' (src/modules/records); only names and CRM rules live here.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace, type GraphQLContext } from '../../context.js';
import { badInput } from '../../graphql/errors.js';
import {
  aggregateRecords,
  countRecords,
  createField,
  createRecords,
  createView,
  deleteRecord,
  deleteView,
  loadSchema,
  queryRecords,
  removeField,
  reorderFields,
  toFieldDefinition,
  updateField,
  updateRecord,
  updateView,
  MAX_BULK_CREATE,
  type FilterInput,
  type OrderInput,
} from '../../core/records/index.js';
import {
  FieldInputType,
  FieldRef,
  FieldUpdateInputType,
  FieldValueType,
  RecordAggregatesType,
  ViewInputType,
  ViewType,
  aggregateArgs,
  groupLabels,
  recordQueryArgs,
  resolveAggregateArgs,
  resolveQueryArgs,
  toConnection,
  toFieldInput,
  userLoader,
} from '../records/records.graphql.js';
import { loaderFor } from '../records/loaders.js';
import { markEngineRows, recordValues } from '../records/record-rows.js';
import { UserType } from '../identity/user.graphql.js';
import { createModule, deleteModule, MODULE_SCOPE, updateModule } from './module.service.js';

const recordCount = (ctx: GraphQLContext, moduleId: string) =>
  loaderFor<number>(ctx, 'crm:recordCount', async (ids) => {
    const counts = await countRecords(ctx.db, [...ids]);
    return ids.map((id) => counts.get(id) ?? 0);
  }).load(moduleId);

export const ModuleType = builder.prismaNode('Collection', {
  variant: 'Module',
  description: 'A CRM module: a record schema (typed fields, the same field types as forms) and its records.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', kind: 'MODULE' }),
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    handle: t.string({ description: 'Unique in the workspace: [a-z][a-z0-9_]*', resolve: (m) => m.handle ?? '' }),
    description: t.exposeString('description', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    fields: t.field({
      type: [FieldRef],
      description: 'Field definitions in order',
      args: { includeHidden: t.arg.boolean({ required: false, defaultValue: true }) },
      resolve: async (m, { includeHidden }, ctx) => (await loadSchema(ctx, m.id, MODULE_SCOPE)).fields.filter((f) => includeHidden || f.visible),
    }),
    field: t.field({
      type: FieldRef,
      nullable: true,
      args: { key: t.arg.string() },
      resolve: async (m, { key }, ctx) => (await loadSchema(ctx, m.id, MODULE_SCOPE)).byKey.get(key) ?? null,
    }),
    recordCount: t.int({ resolve: async (m, _a, ctx) => (await recordCount(ctx, m.id)) ?? 0 }),
    recordAggregates: t.field({
      type: RecordAggregatesType,
      description: 'count, per-field aggregates and optional groups over the filtered records, computed in SQL',
      args: aggregateArgs(t),
      resolve: async (m, args, ctx) => {
        const a = await resolveAggregateArgs(ctx, MODULE_SCOPE, m.id, args as never);
        const schema = await loadSchema(ctx, m.id, MODULE_SCOPE);
        return { ...(await aggregateRecords(ctx, MODULE_SCOPE, m.id, a)), labels: groupLabels(schema.fields, a.groupBy) };
      },
    }),
    views: t.relation('views', { type: ViewType, query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
  }),
});

/** Modules by id within the caller's workspace, one statement per request. */
export function moduleLoader(ctx: GraphQLContext) {
  const { workspaceId } = requireWorkspace(ctx);
  return loaderFor(ctx, 'crm:modules', async (ids) => {
    const rows = await ctx.db.collection.findMany({ where: { id: { in: [...ids] }, workspaceId, kind: 'MODULE' } });
    return ids.map((id) => rows.find((r) => r.id === id) ?? null);
  });
}

export const ModuleRecordType = builder.prismaNode('DataRecord', {
  variant: 'ModuleRecord',
  description: "A record of a module: values keyed by field key, with a version for optimistic concurrency.",
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', collection: { kind: 'MODULE' } }),
  nullable: true,
  fields: (t) => ({
    module: t.field({ type: ModuleType, resolve: async (row, _a, ctx) => (await moduleLoader(ctx).load(row.collectionId))! }),
    values: t.field({
      type: 'JSON',
      description: 'All values keyed by field key, computed ones (AUTO_NUMBER, COUNT, ROLLUP) included. LINK, USER and FILE values hold raw ids.',
      resolve: (row, _a, ctx) => recordValues(ctx, MODULE_SCOPE, row),
    }),
    value: t.field({
      type: FieldValueType,
      description: 'The typed value of one field',
      args: { key: t.arg.string() },
      resolve: async (row, { key }, ctx) => {
        const schema = await loadSchema(ctx, row.collectionId, MODULE_SCOPE);
        const field = schema.byKey.get(key);
        if (!field) throw badInput(`No field with key "${key}"`, [{ path: ['key'], code: 'UNKNOWN_FIELD', message: `No field with key "${key}"` }]);
        return { field, value: (await recordValues(ctx, MODULE_SCOPE, row))[key] };
      },
    }),
    fieldValues: t.field({
      type: [FieldValueType],
      description: 'Typed values of every field, in field order',
      resolve: async (row, _a, ctx) => {
        const schema = await loadSchema(ctx, row.collectionId, MODULE_SCOPE);
        const values = await recordValues(ctx, MODULE_SCOPE, row);
        return schema.fields.map((field) => ({ field, value: values[field.key] }));
      },
    }),
    version: t.exposeInt('version', { description: 'Increases with every change; pass it as expectedVersion to update safely' }),
    autoNumber: t.exposeInt('autoNumber'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    createdBy: t.field({ type: UserType, nullable: true, resolve: (row, _a, ctx) => (row.createdById ? userLoader(ctx).load(row.createdById) : null) }),
  }),
});

// records is added after ModuleRecord exists (the two types reference each other)
builder.prismaObjectFields(ModuleType, (t) => ({
    records: t.connection(
      {
        type: ModuleRecordType,
        description: 'Records, filtered, searched and ordered in SQL (default: newest first); cursors are bound to the filter and order that made them.',
        args: recordQueryArgs(t),
        resolve: async (m, args, ctx) => {
          const q = await resolveQueryArgs(ctx, MODULE_SCOPE, m.id, args as never);
          const page = await queryRecords(ctx, MODULE_SCOPE, m.id, q);
          markEngineRows(page.rows);
          return toConnection(page) as never;
        },
      },
      {
        name: 'ModuleRecordConnection',
        fields: (c) => ({
          totalCount: c.int({ description: 'Records matching the filter (all pages)', resolve: (conn) => (conn as unknown as { totalCount(): Promise<number> }).totalCount() }),
        }),
      },
    ),
}));

builder.queryFields((t) => ({
  modules: t.prismaConnection({
    type: ModuleType,
    cursor: 'id',
    authScopes: { scope: 'READ' },
    totalCount: (_root, _args, ctx) => ctx.db.collection.count({ where: { workspaceId: requireWorkspace(ctx).workspaceId, kind: 'MODULE' } }),
    resolve: (query, _root, _args, ctx) =>
      ctx.db.collection.findMany({ ...query, where: { workspaceId: requireWorkspace(ctx).workspaceId, kind: 'MODULE' }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
  module: t.prismaField({
    type: ModuleType,
    nullable: true,
    description: 'A module by id or by handle',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: ModuleType, required: false }), handle: t.arg.string({ required: false }) },
    resolve: (query, _root, { id, handle }, ctx) => {
      if (!id === !handle) throw badInput('Give the id or the handle of the module', [{ path: ['id'], code: 'REQUIRED', message: 'id or handle' }]);
      const workspaceId = requireWorkspace(ctx).workspaceId;
      return ctx.db.collection.findFirst({ ...query, where: id ? { id: String(id.id), workspaceId, kind: 'MODULE' } : { handle: handle!, workspaceId, kind: 'MODULE' } });
    },
  }),
}));

const ModuleInput = builder.inputType('ModuleInput', {
  fields: (t) => ({
    name: t.string(),
    handle: t.string({ description: 'Unique in the workspace: [a-z][a-z0-9_]*' }),
    description: t.string({ required: false }),
    fields: t.field({ type: [FieldInputType], required: false }),
  }),
});
const ModuleUpdateInput = builder.inputType('ModuleUpdateInput', {
  fields: (t) => ({ name: t.string({ required: false }), handle: t.string({ required: false }), description: t.string({ required: false }) }),
});

const reloadModule = (ctx: GraphQLContext, query: object, id: string) => ctx.db.collection.findUniqueOrThrow({ ...query, where: { id } });
const withoutUndefined = (input: object) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

export async function createModuleRecords(ctx: GraphQLContext, moduleId: string, values: unknown[], path: string[]) {
  if (values.length > MAX_BULK_CREATE) throw badInput(`At most ${MAX_BULK_CREATE} records per call`, [{ path, code: 'TOO_MANY', message: `At most ${MAX_BULK_CREATE}` }]);
  return markEngineRows(await createRecords(ctx, MODULE_SCOPE, moduleId, values, path));
}

builder.mutationFields((t) => ({
  createModule: t.prismaField({
    type: ModuleType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { input: t.arg({ type: ModuleInput }) },
    resolve: async (query, _r, { input }, ctx) => {
      const fields = (input.fields ?? []).map((f, i) => toFieldInput(f, ['input', 'fields', String(i), 'config']));
      const m = await createModule(ctx, { ...input, fields });
      return reloadModule(ctx, query, m.id);
    },
  }),
  updateModule: t.prismaField({
    type: ModuleType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: ModuleType }), input: t.arg({ type: ModuleUpdateInput }) },
    resolve: async (query, _r, { id, input }, ctx) => {
      await updateModule(ctx, id.id, { name: input.name ?? undefined, handle: input.handle, description: input.description });
      return reloadModule(ctx, query, id.id);
    },
  }),
  deleteModule: t.field({
    type: 'ID',
    description:
      'Deletes the module with its fields, records, views and charts. Refused (FAILED_DEPENDENCY) while pages use it, unless `force`: then its record pages become ordinary pages and blocks that referenced it show nothing.',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: ModuleType }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: async (_r, { id, force }, ctx) => {
      await deleteModule(ctx, id.id, force);
      return encodeGlobalID('Module', id.id);
    },
  }),
  createModuleField: t.field({
    type: FieldRef,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { module: t.arg.globalID({ for: ModuleType }), input: t.arg({ type: FieldInputType }) },
    resolve: async (_r, { module, input }, ctx) => toFieldDefinition(await createField(ctx, MODULE_SCOPE, module.id, toFieldInput(input, ['input', 'config']))),
  }),
  updateModuleField: t.field({
    type: FieldRef,
    description: 'A type change is refused (BAD_USER_INPUT, code VALUES_DO_NOT_CONVERT) unless every stored value converts.',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: FieldRef }), input: t.arg({ type: FieldUpdateInputType }) },
    resolve: async (_r, { id, input }, ctx) => {
      const given = toFieldInput(input, ['input', 'config']) as unknown as Record<string, unknown>;
      // absent settings stay; null clears only description and defaultValue
      const update = Object.fromEntries(Object.entries(given).filter(([k, v]) => v !== undefined && (v !== null || k === 'description' || k === 'defaultValue')));
      return toFieldDefinition(await updateField(ctx, MODULE_SCOPE, id.id, update));
    },
  }),
  reorderModuleFields: t.prismaField({
    type: ModuleType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { module: t.arg.globalID({ for: ModuleType }), fieldIds: t.arg.globalIDList({ for: FieldRef }) },
    resolve: async (query, _r, { module, fieldIds }, ctx) => {
      await reorderFields(ctx, MODULE_SCOPE, module.id, fieldIds.map((f) => f.id));
      return reloadModule(ctx, query, module.id);
    },
  }),
  removeModuleField: t.field({
    type: 'ID',
    description: 'Removes the field and its values from every record. Returns its id.',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: FieldRef }) },
    resolve: async (_r, { id }, ctx) => {
      await removeField(ctx, MODULE_SCOPE, id.id);
      return encodeGlobalID('Field', id.id);
    },
  }),
  createModuleView: t.prismaField({
    type: ViewType,
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { module: t.arg.globalID({ for: ModuleType }), input: t.arg({ type: ViewInputType }) },
    resolve: async (query, _r, { module, input }, ctx) => {
      const view = await createView(ctx, MODULE_SCOPE, module.id, withoutUndefined(input) as { filter?: FilterInput; orderBy?: OrderInput[] });
      return ctx.db.view.findUniqueOrThrow({ ...query, where: { id: view.id } });
    },
  }),
  updateModuleView: t.prismaField({
    type: ViewType,
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { id: t.arg.globalID({ for: ViewType }), input: t.arg({ type: ViewInputType }) },
    resolve: async (query, _r, { id, input }, ctx) => {
      await updateView(ctx, MODULE_SCOPE, id.id, withoutUndefined(input) as { filter?: FilterInput; orderBy?: OrderInput[] });
      return ctx.db.view.findUniqueOrThrow({ ...query, where: { id: id.id } });
    },
  }),
  deleteModuleView: t.field({
    type: 'ID',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { id: t.arg.globalID({ for: ViewType }) },
    resolve: async (_r, { id }, ctx) => {
      await deleteView(ctx, MODULE_SCOPE, id.id);
      return encodeGlobalID('View', id.id);
    },
  }),
  createModuleRecord: t.field({
    type: ModuleRecordType,
    description: 'Creates one record; every invalid value is reported at once (path ["values", key]).',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { module: t.arg.globalID({ for: ModuleType }), values: t.arg({ type: 'JSON' }) },
    resolve: async (_r, { module, values }, ctx) => (await createModuleRecords(ctx, module.id, [values], ['values']))[0]!,
  }),
  createModuleRecords: t.field({
    type: [ModuleRecordType],
    description: `Creates up to ${MAX_BULK_CREATE} records atomically: all or none (issues at path ["values", index, key]).`,
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { module: t.arg.globalID({ for: ModuleType }), values: t.arg({ type: ['JSON'] }) },
    resolve: async (_r, { module, values }, ctx) => createModuleRecords(ctx, module.id, values, ['values']),
  }),
  updateModuleRecord: t.field({
    type: ModuleRecordType,
    description: 'Replaces all values: absent optional fields become empty, absent required fields are an error.',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: {
      id: t.arg.globalID({ for: ModuleRecordType }),
      values: t.arg({ type: 'JSON' }),
      expectedVersion: t.arg.int({ required: false, description: 'Answer CONFLICT (and write nothing) unless the record is at this version' }),
    },
    resolve: async (_r, args, ctx) => markEngineRows([await updateRecord(ctx, MODULE_SCOPE, args.id.id, args.values, { mode: 'replace', expectedVersion: args.expectedVersion })])[0]!,
  }),
  patchModuleRecord: t.field({
    type: ModuleRecordType,
    description: 'Changes only the given fields; null clears one.',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: {
      id: t.arg.globalID({ for: ModuleRecordType }),
      values: t.arg({ type: 'JSON' }),
      expectedVersion: t.arg.int({ required: false, description: 'Answer CONFLICT (and write nothing) unless the record is at this version' }),
    },
    resolve: async (_r, args, ctx) => markEngineRows([await updateRecord(ctx, MODULE_SCOPE, args.id.id, args.values, { mode: 'patch', expectedVersion: args.expectedVersion })])[0]!,
  }),
  deleteModuleRecord: t.field({
    type: 'ID',
    description: 'Deletes the record (and removes it from LINK fields pointing at it). Returns its id.',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: ModuleRecordType }) },
    resolve: async (_r, args, ctx) => {
      await deleteRecord(ctx, MODULE_SCOPE, args.id.id);
      return encodeGlobalID('ModuleRecord', args.id.id);
    },
  }),
}));
