import { deletedObject, deleteResult } from '../../../graphql/deleted.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createView, deleteView, updateView, VIEW_KINDS } from '../../../core/records/index.js';
import { builder } from '../../../graphql/builder.js';
import { collectionIdIn, type RecordFace } from './face.js';
import { RecordFilterInput } from './record-filter.graphql.js';
import { RecordOrderInput } from './record-order.graphql.js';

export const ViewKindEnum = builder.enumType('ViewKind', { description: 'How a view shows its records.', values: VIEW_KINDS });

export const ViewType = builder.prismaNode('View', {
  description: 'A saved view of a record list: its filter, order and columns.',
  variant: 'View',
  id: { field: 'id' },
  // a missing or foreign id answers null, not an error
  nullable: true,
  findUnique: (id, ctx) => ({ id, workspaceId: ctx.principal?.workspaceId ?? '' }),
  fields: (t) => ({
    name: t.exposeString('name'),
    filter: t.expose('filter', { type: 'JSON', nullable: true }),
    orderBy: t.expose('orderBy', { type: 'JSON', nullable: true }),
    search: t.exposeString('search', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    kind: t.field({ type: ViewKindEnum, description: 'How clients lay the view out', resolve: (v) => v.kind }),
    groupByField: t.exposeString('groupByField', { nullable: true, description: "The key of the field the view groups by (a BOARD's columns)" }),
    visibleFields: t.exposeStringList('visibleFields', {
      description: '`values` and `fieldValues` of the records this view returns hold only these fields; empty: all',
    }),
    isDefault: t.exposeBoolean('isDefault', { description: 'Applied by `entries`/`records` when no view is given' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const ViewInputType = builder.inputType('ViewInput', {
  description: 'A saved view of a record list: its filter, order and columns.',
  fields: (t) => ({
    name: t.string({ required: false }),
    filter: t.field({ type: RecordFilterInput, required: false }),
    orderBy: t.field({ type: [RecordOrderInput], required: false }),
    search: t.string({ required: false }),
    visibleFields: t.stringList({ required: false }),
    isDefault: t.boolean({ required: false, description: 'The view entries/records apply when no view is given; one per form or module' }),
    description: t.string({ required: false }),
    kind: t.field({ type: ViewKindEnum, required: false, description: 'Default TABLE' }),
    groupByField: t.string({ required: false, description: 'A groupable field key; required for BOARD' }),
  }),
});

export interface ViewMutationNames {
  create: string;
  update: string;
  delete: string;
}

const definedOnly = (input: object) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

/** The face's saved-view mutations: create, update and delete, under the names the face gives them. */
export function defineViewMutations(face: RecordFace, names: ViewMutationNames) {
  const { scope, collectionType } = face;
  builder.mutationFields((t) => {
    const collectionArg = { [face.collectionArg]: t.arg.globalID({ for: collectionType }) };
    return {
      [names.create]: t.prismaField({
        description: `Saves a view of the ${face.collectionArg}: a filter, an order and visible fields`,
        type: ViewType,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { ...collectionArg, input: t.arg({ type: ViewInputType }) },
        resolve: async (query, _r, args, ctx) => {
          const view = await createView(ctx, scope, collectionIdIn(face, args), definedOnly(args.input));
          return ctx.db.view.findUniqueOrThrow({ ...query, where: { id: view.id } });
        },
      }),
      [names.update]: t.prismaField({
        description: 'Changes a saved view; omitted fields stay',
        type: ViewType,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { id: t.arg.globalID({ for: ViewType }), input: t.arg({ type: ViewInputType }) },
        resolve: async (query, _r, { id, input }, ctx) => {
          await updateView(ctx, scope, id.id, definedOnly(input));
          return ctx.db.view.findUniqueOrThrow({ ...query, where: { id: id.id } });
        },
      }),
      [names.delete]: t.field({
        description: 'Deletes a saved view. Returns its id.',
        type: 'ID',
        authScopes: { scope: 'MANAGE' },
        errors: deleteResult(deletedObject),
        args: { id: t.arg.globalID({ for: ViewType }) },
        resolve: async (_r, { id }, ctx) => {
          await deleteView(ctx, scope, id.id);
          return encodeGlobalID('View', id.id);
        },
      }),
    };
  });
}
