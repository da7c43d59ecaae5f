/**
 * The forms face of the records engine: Form (a collection of kind FORM) and Entry. Field, view
 * and entry mutations and the entries/aggregates fields are the shared ones of
 * src/modules/records/graphql/, named here; only form names and form CRUD live here.
 */
import { STANDARD_PAGE } from '../../core/paging/index.js';
import { deletedObject, deleteResult } from '../../graphql/deleted.js';
import { offsetArg, pothosPaging, withOffset } from '../../graphql/paging.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace } from '../../context.js';
import { createCollection, deleteCollection, loadSchema, updateCollection } from '../../core/records/index.js';
import { FieldInputType, toFieldInput } from '../records/graphql/field-input.graphql.js';
import { defineCollectionRecordFields, defineCollectionSchemaFields } from '../records/graphql/collection.graphql.js';
import { reloadCollection, type RecordFace } from '../records/graphql/face.js';
import { defineFieldMutations } from '../records/graphql/field.graphql.js';
import { defineRecordMutations } from '../records/graphql/record.graphql.js';
import { defineViewMutations } from '../records/graphql/view.graphql.js';
import { EntryType } from './entry.graphql.js';
import { FORM_SCOPE } from './forms.service.js';

export const FormType = builder.prismaNode('Collection', {
  variant: 'Form',
  description: 'A form: typed fields, and entries that hold values for them.',
  id: { field: 'id' },
  // a missing or foreign id answers null, not an error
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', kind: 'FORM' }),
});
defineCollectionSchemaFields(FormType, FORM_SCOPE, 'Field definitions in order (one cheap query, shared with entries in the same request)');

/** Forms name their records entries; entries can be archived; field and view mutations carry no prefix (createField). */
const FORM_FACE: RecordFace = {
  scope: FORM_SCOPE,
  collectionType: FormType,
  collectionArg: 'form',
  recordType: EntryType,
  recordTypeName: 'Entry',
  noun: { one: 'entry', many: 'entries' },
};

defineCollectionRecordFields(FORM_FACE, {
  count: { name: 'entryCount', description: 'Entries that are not archived' },
  records: { name: 'entries', connection: 'EntryConnection' },
  aggregates: 'entryAggregates',
});
defineFieldMutations(FORM_FACE, { create: 'createField', update: 'updateField', reorder: 'reorderFields', remove: 'removeField' });
defineViewMutations(FORM_FACE, { create: 'createView', update: 'updateView', delete: 'deleteView' });
defineRecordMutations(FORM_FACE, {
  create: 'createEntry',
  createMany: 'createEntries',
  update: 'updateEntry',
  patch: 'patchEntry',
  delete: 'deleteEntry',
  archive: { archive: 'archiveEntry', unarchive: 'unarchiveEntry' },
});

builder.queryFields((t) => ({
  forms: t.prismaConnection({
    type: FormType,
    cursor: 'id',
    ...pothosPaging(STANDARD_PAGE),
    args: offsetArg,
    authScopes: { scope: 'READ' },
    totalCount: (_root, _args, ctx) => ctx.db.collection.count({ where: { workspaceId: requireWorkspace(ctx).workspaceId, kind: 'FORM' } }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.collection.findMany({
        ...withOffset(query, args),
        where: { workspaceId: requireWorkspace(ctx).workspaceId, kind: 'FORM' },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  form: t.field({
    description: 'A form by id; null when it does not exist in your workspace',
    type: FormType,
    nullable: true,
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: FormType }) },
    // the engine's schema load (one statement, memoised) serves the form, its fields and its entries
    resolve: async (_root, { id }, ctx) => (await loadSchema(ctx, id.id, FORM_SCOPE).catch(() => null))?.collection ?? null,
  }),
}));

const FormInput = builder.inputType('FormInput', {
  description: 'A new form and its fields.',
  fields: (t) => ({
    name: t.string({ description: 'Display name' }),
    description: t.string({ description: 'What the form collects', required: false }),
    fields: t.field({ description: 'Its fields, in order', type: [FieldInputType], required: false }),
  }),
});
const FormUpdateInput = builder.inputType('FormUpdateInput', {
  description: 'Changes to a form; fields left out keep their value.',
  fields: (t) => ({ name: t.string({ required: false }), description: t.string({ required: false }) }),
});

builder.mutationFields((t) => ({
  createForm: t.prismaField({
    description: 'Creates a form with its fields',
    type: FormType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { input: t.arg({ type: FormInput }) },
    resolve: async (query, _r, { input }, ctx) => {
      const fields = (input.fields ?? []).map((f, i) => toFieldInput(f, ['input', 'fields', String(i), 'config']));
      const form = await createCollection(ctx, FORM_SCOPE, { ...input, fields });
      return reloadCollection(ctx, query, form.id);
    },
  }),
  updateForm: t.prismaField({
    description: "Changes a form's name or description",
    type: FormType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: FormType }), input: t.arg({ type: FormUpdateInput }) },
    resolve: async (query, _r, { id, input }, ctx) => {
      await updateCollection(ctx, FORM_SCOPE, id.id, { name: input.name ?? undefined, description: input.description });
      return reloadCollection(ctx, query, id.id);
    },
  }),
  deleteForm: t.field({
    type: 'ID',
    description: 'Deletes the form with its fields, entries and views. Returns its id.',
    authScopes: { scope: 'MANAGE' },
    errors: deleteResult(deletedObject),
    args: { id: t.arg.globalID({ for: FormType }) },
    resolve: async (_r, { id }, ctx) => {
      await deleteCollection(ctx, FORM_SCOPE, id.id);
      return encodeGlobalID('Form', id.id);
    },
  }),
}));
