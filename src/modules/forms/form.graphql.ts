import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace, type GraphQLContext } from '../../context.js';
import {
  aggregateRecords,
  countRecords,
  runnerFor,
  createCollection,
  createField,
  createView,
  deleteCollection,
  deleteView,
  loadSchema,
  queryRecords,
  removeField,
  reorderFields,
  toFieldDefinition,
  updateCollection,
  updateField,
  updateView,
  type FilterInput,
  type OrderInput,
} from '../../core/records/index.js';
import {
  FieldInputType,
  FieldRef,
  FieldUpdateInputType,
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
} from '../records/records.graphql.js';
import { loaderFor } from '../records/loaders.js';
import { EntryType, createEntries, fromEngine } from './entry.graphql.js';
import { FORM_SCOPE } from './forms.service.js';

const entryCount = (ctx: GraphQLContext, formId: string) =>
  loaderFor<number>(ctx, 'forms:entryCount', async (ids) => {
    const counts = await countRecords(runnerFor(ctx), [...ids]);
    return ids.map((id) => counts.get(id) ?? 0);
  }).load(formId);

export const FormType = builder.prismaNode('Collection', {
  variant: 'Form',
  description: 'A form: typed fields, and entries that hold values for them.',
  id: { field: 'id' },
  // a missing or foreign id answers null, not an error
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '', kind: 'FORM' }),
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    fields: t.field({
      type: [FieldRef],
      description: 'Field definitions in order (one cheap query, shared with entries in the same request)',
      args: { includeHidden: t.arg.boolean({ required: false, defaultValue: true }) },
      resolve: async (form, { includeHidden }, ctx) => (await loadSchema(ctx, form.id, FORM_SCOPE)).fields.filter((f) => includeHidden || f.visible),
    }),
    field: t.field({
      type: FieldRef,
      nullable: true,
      args: { key: t.arg.string() },
      resolve: async (form, { key }, ctx) => (await loadSchema(ctx, form.id, FORM_SCOPE)).byKey.get(key) ?? null,
    }),
    entryCount: t.int({ description: 'Entries that are not archived', resolve: async (form, _a, ctx) => (await entryCount(ctx, form.id)) ?? 0 }),
    entries: t.connection(
      {
        type: EntryType,
        description: 'Entries, filtered, searched and ordered in SQL; cursors are bound to the filter and order that made them.',
        args: recordQueryArgs(t),
        resolve: async (form, args, ctx) => {
          const q = await resolveQueryArgs(ctx, FORM_SCOPE, form.id, args as never);
          const page = await queryRecords(ctx, FORM_SCOPE, form.id, q);
          fromEngine(page.rows);
          return toConnection(page) as never;
        },
      },
      {
        name: 'EntryConnection',
        fields: (c) => ({
          totalCount: c.int({ description: 'Entries matching the filter (all pages)', resolve: (conn) => (conn as unknown as { totalCount(): Promise<number> }).totalCount() }),
        }),
      },
    ),
    entryAggregates: t.field({
      type: RecordAggregatesType,
      description: 'count, per-field aggregates and optional groups over the filtered entries, computed in SQL',
      args: aggregateArgs(t),
      resolve: async (form, args, ctx) => {
        const a = await resolveAggregateArgs(ctx, FORM_SCOPE, form.id, args as never);
        const schema = await loadSchema(ctx, form.id, FORM_SCOPE);
        return { ...(await aggregateRecords(ctx, FORM_SCOPE, form.id, a)), labels: groupLabels(schema.fields, a.groupBy) };
      },
    }),
    views: t.relation('views', { type: ViewType, query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
  }),
});

builder.queryFields((t) => ({
  forms: t.prismaConnection({
    type: FormType,
    cursor: 'id',
    authScopes: { scope: 'READ' },
    totalCount: (_root, _args, ctx) => ctx.db.collection.count({ where: { workspaceId: requireWorkspace(ctx).workspaceId, kind: 'FORM' } }),
    resolve: (query, _root, _args, ctx) =>
      ctx.db.collection.findMany({ ...query, where: { workspaceId: requireWorkspace(ctx).workspaceId, kind: 'FORM' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
  form: t.field({
    type: FormType,
    nullable: true,
    authScopes: { scope: 'READ' },
    args: { id: t.arg.globalID({ for: FormType }) },
    // the engine's schema load (one statement, memoised) serves the form, its fields and its entries
    resolve: async (_root, { id }, ctx) => (await loadSchema(ctx, id.id, FORM_SCOPE).catch(() => null))?.collection ?? null,
  }),
}));

const FormInput = builder.inputType('FormInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string({ required: false }),
    fields: t.field({ type: [FieldInputType], required: false }),
  }),
});
const FormUpdateInput = builder.inputType('FormUpdateInput', {
  fields: (t) => ({ name: t.string({ required: false }), description: t.string({ required: false }) }),
});

const reloadForm = (ctx: GraphQLContext, query: object, id: string) => ctx.db.collection.findUniqueOrThrow({ ...query, where: { id } });

builder.mutationFields((t) => ({
  createForm: t.prismaField({
    type: FormType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { input: t.arg({ type: FormInput }) },
    resolve: async (query, _r, { input }, ctx) => {
      const fields = (input.fields ?? []).map((f, i) => toFieldInput(f, ['input', 'fields', String(i), 'config']));
      const form = await createCollection(ctx, FORM_SCOPE, { ...input, fields });
      return reloadForm(ctx, query, form.id);
    },
  }),
  updateForm: t.prismaField({
    type: FormType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: FormType }), input: t.arg({ type: FormUpdateInput }) },
    resolve: async (query, _r, { id, input }, ctx) => {
      await updateCollection(ctx, FORM_SCOPE, id.id, { name: input.name ?? undefined, description: input.description });
      return reloadForm(ctx, query, id.id);
    },
  }),
  deleteForm: t.field({
    type: 'ID',
    description: 'Deletes the form with its fields, entries and views. Returns its id.',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: FormType }) },
    resolve: async (_r, { id }, ctx) => {
      await deleteCollection(ctx, FORM_SCOPE, id.id);
      return encodeGlobalID('Form', id.id);
    },
  }),
  createField: t.field({
    type: FieldRef,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { form: t.arg.globalID({ for: FormType }), input: t.arg({ type: FieldInputType }) },
    resolve: async (_r, { form, input }, ctx) => toFieldDefinition(await createField(ctx, FORM_SCOPE, form.id, toFieldInput(input, ['input', 'config']))),
  }),
  updateField: t.field({
    type: FieldRef,
    description: 'A type change is refused (BAD_USER_INPUT, code VALUES_DO_NOT_CONVERT) unless every stored value converts.',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: FieldRef }), input: t.arg({ type: FieldUpdateInputType }) },
    resolve: async (_r, { id, input }, ctx) => {
      const given = toFieldInput(input, ['input', 'config']) as unknown as Record<string, unknown>;
      // absent settings stay; null clears only description and defaultValue
      const update = Object.fromEntries(Object.entries(given).filter(([k, v]) => v !== undefined && (v !== null || k === 'description' || k === 'defaultValue')));
      return toFieldDefinition(await updateField(ctx, FORM_SCOPE, id.id, update));
    },
  }),
  reorderFields: t.prismaField({
    type: FormType,
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { form: t.arg.globalID({ for: FormType }), fieldIds: t.arg.globalIDList({ for: FieldRef }) },
    resolve: async (query, _r, { form, fieldIds }, ctx) => {
      await reorderFields(ctx, FORM_SCOPE, form.id, fieldIds.map((f) => f.id));
      return reloadForm(ctx, query, form.id);
    },
  }),
  removeField: t.field({
    type: 'ID',
    description: 'Removes the field and its values from every entry. Returns its id.',
    authScopes: { scope: 'MANAGE' },
    errors: {},
    args: { id: t.arg.globalID({ for: FieldRef }) },
    resolve: async (_r, { id }, ctx) => {
      await removeField(ctx, FORM_SCOPE, id.id);
      return encodeGlobalID('Field', id.id);
    },
  }),
  createEntry: t.field({
    type: EntryType,
    description: 'Creates one entry; every invalid value is reported at once (path ["values", key]).',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { form: t.arg.globalID({ for: FormType }), values: t.arg({ type: 'JSON' }) },
    resolve: async (_r, { form, values }, ctx) => (await createEntries(ctx, form.id, [values], ['values']))[0]!,
  }),
  createEntries: t.field({
    type: [EntryType],
    description: 'Creates up to 1000 entries atomically: all or none (issues at path ["values", index, key]).',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { form: t.arg.globalID({ for: FormType }), values: t.arg({ type: ['JSON'] }) },
    resolve: async (_r, { form, values }, ctx) => createEntries(ctx, form.id, values, ['values']),
  }),
  createView: t.prismaField({
    type: ViewType,
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { form: t.arg.globalID({ for: FormType }), input: t.arg({ type: ViewInputType }) },
    resolve: async (query, _r, { form, input }, ctx) => {
      const view = await createView(ctx, FORM_SCOPE, form.id, viewInput(input));
      return ctx.db.view.findUniqueOrThrow({ ...query, where: { id: view.id } });
    },
  }),
  updateView: t.prismaField({
    type: ViewType,
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { id: t.arg.globalID({ for: ViewType }), input: t.arg({ type: ViewInputType }) },
    resolve: async (query, _r, { id, input }, ctx) => {
      await updateView(ctx, FORM_SCOPE, id.id, viewInput(input));
      return ctx.db.view.findUniqueOrThrow({ ...query, where: { id: id.id } });
    },
  }),
  deleteView: t.field({
    type: 'ID',
    authScopes: { scope: 'WRITE' },
    errors: {},
    args: { id: t.arg.globalID({ for: ViewType }) },
    resolve: async (_r, { id }, ctx) => {
      await deleteView(ctx, FORM_SCOPE, id.id);
      return encodeGlobalID('View', id.id);
    },
  }),
}));

function viewInput(input: { name?: string | null; filter?: FilterInput | null; orderBy?: OrderInput[] | null; search?: string | null; visibleFields?: string[] | null; isDefault?: boolean | null }) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out;
}
