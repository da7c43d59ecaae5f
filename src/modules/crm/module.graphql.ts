/**
 * The CRM face of the records engine: Module (a collection of kind MODULE) and ModuleRecord.
 * Field types, values, filters, order, paging, aggregates and the field/view/record mutations are
 * the engine's and the shared ones of src/modules/records/graphql/, named here; only names and
 * CRM rules (handle, delete refused while pages use a module) live here.
 */
import { escapeLike } from '../../db/like.js';
import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { deletedObject, deleteResult } from '../../graphql/deleted.js';
import { CRM_PAGE } from '../../core/paging/index.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace, type GraphQLContext } from '../../context.js';
import { badInput } from '../../errors.js';
import { loadSchema } from '../../core/records/index.js';
import { FieldInputType, toFieldInput } from '../records/graphql/field-input.graphql.js';
import { inKeyOrder, loaderFor } from '../../loaders.js';
import { defineCollectionRecordFields, defineCollectionSchemaFields } from '../records/graphql/collection.graphql.js';
import { reloadCollection, type RecordFace } from '../records/graphql/face.js';
import { defineFieldMutations } from '../records/graphql/field.graphql.js';
import { defineRecordMutations, defineRecordValueFields } from '../records/graphql/record.graphql.js';
import { defineViewMutations } from '../records/graphql/view.graphql.js';
import { createModule, deleteModule, MODULE_SCOPE, updateModule } from './module.service.js';

export const ModuleType = builder.prismaNode('Collection', {
  variant: 'Module',
  description: 'A CRM module: a record schema (typed fields, the same field types as forms) and its records.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', kind: 'MODULE' }),
  nullable: true,
  fields: (t) => ({
    handle: t.string({ description: 'Unique in the workspace: [a-z][a-z0-9_]*', resolve: (m) => m.handle ?? '' }),
  }),
});
defineCollectionSchemaFields(ModuleType, MODULE_SCOPE, 'Field definitions in order');

/** Modules by id within the caller's workspace, one statement per request. */
export const moduleLoader = (ctx: GraphQLContext) =>
  loaderFor(ctx, 'crm:modules', async (ids, workspaceId) =>
    inKeyOrder(ids, await ctx.db.collection.findMany({ where: { id: { in: [...ids] }, workspaceId, kind: 'MODULE' } })),
  );

export const ModuleRecordType = builder.prismaNode('DataRecord', {
  variant: 'ModuleRecord',
  description: 'A record of a module: values keyed by field key, with a version for optimistic concurrency.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', collection: { kind: 'MODULE' } }),
  nullable: true,
  fields: (t) => ({
    module: t.field({ type: ModuleType, resolve: async (row, _a, ctx) => (await moduleLoader(ctx).load(row.collectionId))! }),
  }),
});

defineRecordValueFields(ModuleRecordType, MODULE_SCOPE);

/** Modules call their records records (no archive); field and view mutations carry the Module prefix (createModuleField). */
const MODULE_FACE: RecordFace = {
  scope: MODULE_SCOPE,
  collectionType: ModuleType,
  collectionArg: 'module',
  recordType: ModuleRecordType,
  recordTypeName: 'ModuleRecord',
  noun: { one: 'record', many: 'records' },
};

defineCollectionRecordFields(MODULE_FACE, {
  count: { name: 'recordCount' },
  records: { name: 'records', connection: 'ModuleRecordConnection', orderNote: ' (default: newest first)' },
  aggregates: 'recordAggregates',
});
defineFieldMutations(MODULE_FACE, { create: 'createModuleField', update: 'updateModuleField', reorder: 'reorderModuleFields', remove: 'removeModuleField' });
defineViewMutations(MODULE_FACE, { create: 'createModuleView', update: 'updateModuleView', delete: 'deleteModuleView' });
defineRecordMutations(MODULE_FACE, {
  create: 'createModuleRecord',
  createMany: 'createModuleRecords',
  update: 'updateModuleRecord',
  patch: 'patchModuleRecord',
  delete: 'deleteModuleRecord',
});

function moduleWhere(ctx: GraphQLContext, search: string | null | undefined) {
  const trimmed = search?.trim();
  const text = trimmed ? escapeLike(trimmed) : null;
  return {
    workspaceId: requireWorkspace(ctx).workspaceId,
    kind: 'MODULE' as const,
    ...(text ? { OR: [{ name: { contains: text, mode: 'insensitive' as const } }, { handle: { contains: text, mode: 'insensitive' as const } }] } : {}),
  };
}

builder.queryFields((t) => ({
  modules: t.prismaConnection({
    type: ModuleType,
    cursor: 'id',
    ...pothosPaging(CRM_PAGE),
    authScopes: { scope: 'READ' },
    description: 'Modules by name; `search` keeps those whose name or handle contains the text (case-insensitive)',
    args: { ...offsetArg, search: t.arg.string({ required: false }) },
    totalCount: (_root, { search }, ctx) => ctx.db.collection.count({ where: moduleWhere(ctx, search) }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.collection.findMany({ ...withOffset(query, args), where: moduleWhere(ctx, args.search), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
  module: t.field({
    type: ModuleType,
    nullable: true,
    description: 'A module by id or by handle',
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: ModuleType, required: false }), handle: t.arg.string({ required: false }) },
    resolve: async (_root, { id, handle }, ctx) => {
      if (!id === !handle) throw badInput('Give the id or the handle of the module', [{ path: ['id'], code: 'REQUIRED', message: 'id or handle' }]);
      const workspaceId = requireWorkspace(ctx).workspaceId;
      // by id, the engine's schema load (one statement, memoised) serves the module, its fields and its records
      if (id) return (await loadSchema(ctx, String(id.id), MODULE_SCOPE).catch(() => null))?.collection ?? null;
      return ctx.db.collection.findFirst({ where: { handle: handle!, workspaceId, kind: 'MODULE' } });
    },
  }),
}));

const ModuleInput = builder.inputType('ModuleInput', {
  description: 'A new CRM module and its fields.',
  fields: (t) => ({
    name: t.string({ description: 'Display name' }),
    handle: t.string({ description: 'Unique in the workspace: [a-z][a-z0-9_]*' }),
    description: t.string({ description: 'What the module holds', required: false }),
    fields: t.field({ description: 'Its fields, in order', type: [FieldInputType], required: false }),
  }),
});
const ModuleUpdateInput = builder.inputType('ModuleUpdateInput', {
  description: 'Changes to a module; fields left out keep their value.',
  fields: (t) => ({ name: t.string({ required: false }), handle: t.string({ required: false }), description: t.string({ required: false }) }),
});

builder.mutationFields((t) => ({
  createModule: t.prismaField({
    description: 'Creates a module (a record schema) with its fields',
    type: ModuleType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { input: t.arg({ type: ModuleInput }) },
    resolve: async (query, _r, { input }, ctx) => {
      const fields = (input.fields ?? []).map((f, i) => toFieldInput(f, ['input', 'fields', String(i), 'config']));
      const m = await createModule(ctx, { ...input, fields });
      return reloadCollection(ctx, query, m.id);
    },
  }),
  updateModule: t.prismaField({
    description: "Changes a module's name, handle or description",
    type: ModuleType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: ModuleType }), input: t.arg({ type: ModuleUpdateInput }) },
    resolve: async (query, _r, { id, input }, ctx) => {
      await updateModule(ctx, id.id, { name: input.name ?? undefined, handle: input.handle, description: input.description });
      return reloadCollection(ctx, query, id.id);
    },
  }),
  deleteModule: t.field({
    type: 'ID',
    description:
      'Deletes the module with its fields, records, views and charts. Refused (FAILED_DEPENDENCY) while pages use it, unless `force`: then its record pages become ordinary pages and blocks that referenced it show nothing.',
    authScopes: { scope: 'MANAGE' },
    errors: deleteResult(deletedObject),
    args: { id: t.arg.globalID({ for: ModuleType }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: async (_r, { id, force }, ctx) => {
      await deleteModule(ctx, id.id, force);
      return encodeGlobalID('Module', id.id);
    },
  }),
}));
