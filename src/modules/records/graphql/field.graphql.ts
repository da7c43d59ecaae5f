import { encodeGlobalID } from '@pothos/plugin-relay';
import { requireWorkspace } from '../../../context.js';
import {
  createField,
  FIELD_TYPE_SPECS,
  removeField,
  reorderFields,
  toFieldDefinition,
  updateField,
  type FieldDefinition,
} from '../../../core/records/index.js';
import { builder } from '../../../graphql/builder.js';
import { collectionIdIn, reloadCollection, type RecordFace } from './face.js';
import { FieldInputType, FieldUpdateInputType, toFieldInput } from './field-input.graphql.js';
import { SelectOptionType } from './select-option.graphql.js';
import { FieldTypeEnum, FieldTypeInfo } from './field-type.graphql.js';

/** Field definitions come from the engine's memoised schema (one cheap load per collection and request). */
export const FieldRef = builder.objectRef<FieldDefinition>('Field');
builder.node(FieldRef, {
  description: 'A field of a form or module: its key, label, type and settings.',
  id: { resolve: (f) => f.id },
  loadMany: async (ids, ctx) => {
    const { workspaceId } = requireWorkspace(ctx);
    const rows = await ctx.db.fieldDef.findMany({ where: { id: { in: ids as string[] }, collection: { workspaceId } } });
    return ids.map((id) => {
      const row = rows.find((r) => r.id === id);
      return row ? toFieldDefinition(row) : null;
    }) as FieldDefinition[];
  },
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'key' in v && 'allowMultiple' in v && 'config' in v,
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable, immutable, unique in its collection: [a-z][a-z0-9_]*' }),
    label: t.exposeString('label'),
    description: t.exposeString('description', { nullable: true }),
    type: t.field({ type: FieldTypeEnum, resolve: (f) => f.type }),
    typeInfo: t.field({ type: FieldTypeInfo, resolve: (f) => FIELD_TYPE_SPECS[f.type] }),
    required: t.exposeBoolean('required'),
    allowMultiple: t.exposeBoolean('allowMultiple'),
    readOnly: t.boolean({ resolve: (f) => FIELD_TYPE_SPECS[f.type].readOnly }),
    options: t.field({ type: [SelectOptionType], resolve: (f) => f.options }),
    defaultValue: t.field({ type: 'JSON', nullable: true, resolve: (f) => f.defaultValue ?? null }),
    position: t.exposeInt('position'),
    visible: t.exposeBoolean('visible'),
    indexed: t.exposeBoolean('indexed', { description: 'The server keeps an expression index on this field' }),
    config: t.field({
      type: 'JSON',
      description:
        'Type settings: LINK { targetCollectionId }, COUNT { linkField }, ROLLUP { linkField, targetField, function }, CURRENCY { currency }, FORMULA { expression, resultType }',
      resolve: (f) => f.config,
    }),
  }),
});

export interface FieldMutationNames {
  create: string;
  update: string;
  reorder: string;
  remove: string;
}

/** The face's field mutations: create, update, reorder and remove, under the names the face gives them. */
export function defineFieldMutations(face: RecordFace, names: FieldMutationNames) {
  const { scope, collectionType, noun } = face;
  builder.mutationFields((t) => {
    const collectionArg = { [face.collectionArg]: t.arg.globalID({ for: collectionType }) };
    return {
      [names.create]: t.field({
        description: `Adds a field to the ${face.collectionArg}; existing ${noun.many} have no value for it`,
        type: FieldRef,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { ...collectionArg, input: t.arg({ type: FieldInputType }) },
        resolve: async (_r, args, ctx) =>
          toFieldDefinition(await createField(ctx, scope, collectionIdIn(face, args), toFieldInput(args.input, ['input', 'config']))),
      }),
      [names.update]: t.field({
        type: FieldRef,
        description: 'A type change is refused (BAD_USER_INPUT, code VALUES_DO_NOT_CONVERT) unless every stored value converts.',
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { id: t.arg.globalID({ for: FieldRef }), input: t.arg({ type: FieldUpdateInputType }) },
        resolve: async (_r, { id, input }, ctx) => {
          const given = toFieldInput(input, ['input', 'config']);
          // absent settings stay; null clears only description and defaultValue
          const update = Object.fromEntries(
            Object.entries(given).filter(([k, v]) => v !== undefined && (v !== null || k === 'description' || k === 'defaultValue')),
          );
          return toFieldDefinition(await updateField(ctx, scope, id.id, update));
        },
      }),
      [names.reorder]: t.prismaField({
        description: `Sets the order of the ${face.collectionArg}'s fields; the list must hold each field exactly once`,
        type: collectionType,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { ...collectionArg, fieldIds: t.arg.globalIDList({ for: FieldRef }) },
        resolve: async (query, _r, args, ctx) => {
          const collectionId = collectionIdIn(face, args);
          await reorderFields(
            ctx,
            scope,
            collectionId,
            args.fieldIds.map((f) => f.id),
          );
          return reloadCollection(ctx, query, collectionId);
        },
      }),
      [names.remove]: t.field({
        type: 'ID',
        description: `Removes the field and its values from every ${noun.one}. Returns its id.`,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { id: t.arg.globalID({ for: FieldRef }) },
        resolve: async (_r, { id }, ctx) => {
          await removeField(ctx, scope, id.id);
          return encodeGlobalID('Field', id.id);
        },
      }),
    };
  });
}
