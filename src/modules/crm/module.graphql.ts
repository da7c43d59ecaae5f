/**
 * The CRM face of the records engine: Module (a collection of kind MODULE) and ModuleRecord.
 * Field types, values, filters, order, paging, aggregates and the field/view/record mutations are
 * the engine's and the shared face builder's (src/modules/records/face.graphql.ts); only names and
 * CRM rules (handle, delete refused while pages use a module) live here.
 */
import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { deletedObject, deleteResult } from '../../graphql/deleted.js';
import { CRM_PAGE } from '../../core/paging/index.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace, type GraphQLContext } from '../../context.js';
import { badInput } from '../../errors.js';
import { loadSchema } from '../../core/records/index.js';
import { FieldInputType, toFieldInput } from '../records/records.graphql.js';
import { loaderFor } from '../records/loaders.js';
import {
  collectionTypeFields,
  defineCollectionRecordFields,
  defineRecordFaceMutations,
  recordTypeFields,
  reloadCollection,
  type RecordFace,
} from '../records/face.graphql.js';
import { createModule, deleteModule, MODULE_SCOPE, updateModule } from './module.service.js';

export const ModuleType = builder.prismaNode('Collection', {
  variant: 'Module',
  description: 'A CRM module: a record schema (typed fields, the same field types as forms) and its records.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', kind: 'MODULE' }),
  nullable: true,
  fields: (t) => ({
    ...collectionTypeFields(t, MODULE_SCOPE, 'Field definitions in order'),
    handle: t.string({ description: 'Unique in the workspace: [a-z][a-z0-9_]*', resolve: (m) => m.handle ?? '' }),
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
  description: 'A record of a module: values keyed by field key, with a version for optimistic concurrency.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', collection: { kind: 'MODULE' } }),
  nullable: true,
  fields: (t) => ({
    ...recordTypeFields(t, MODULE_SCOPE),
    module: t.field({ type: ModuleType, resolve: async (row, _a, ctx) => (await moduleLoader(ctx).load(row.collectionId))! }),
  }),
});

/** Modules call their records records (no archive); field and view mutations carry the Module prefix (createModuleField). */
const MODULE_FACE: RecordFace = {
  scope: MODULE_SCOPE,
  collectionType: ModuleType,
  collectionArg: 'module',
  recordType: ModuleRecordType,
  recordTypeName: 'ModuleRecord',
  recordTypeNamePlural: 'ModuleRecords',
  schemaPrefix: 'Module',
  noun: { one: 'record', many: 'records' },
  archivable: false,
};

defineCollectionRecordFields(MODULE_FACE, {
  count: { name: 'recordCount' },
  records: { name: 'records', orderNote: ' (default: newest first)' },
  aggregates: 'recordAggregates',
});
defineRecordFaceMutations(MODULE_FACE);

function moduleWhere(ctx: GraphQLContext, search: string | null | undefined) {
  const text = search?.trim();
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
