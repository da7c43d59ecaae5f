import { deletedObject, deleteResult } from '../../../graphql/deleted.js';
/**
 * What every record type (Entry, ModuleRecord) has: its value fields, and its mutations under the
 * names its face gives them.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { deleteRecord, loadSchema, MAX_BULK_CREATE, presentValues, setArchived, updateRecord, type RecordScope } from '../../../core/records/index.js';
import { badInput } from '../../../errors.js';
import { builder } from '../../../graphql/builder.js';
import type { PrismaRefOf } from '../../../graphql/builder-types.js';
import { UserType } from '../../identity/user.graphql.js';
import { markEngineRows, recordValues, visibleKeys } from '../record-rows.js';
import { userLoader } from '../user-loader.js';
import { collectionIdIn, createFaceRecords, type RecordFace } from './face.js';
import { FieldValueType } from './field-value.graphql.js';

/** The value fields every record type has: values, typed values, version, auto number, timestamps, creator. */
export function defineRecordValueFields(recordType: PrismaRefOf<'DataRecord'>, scope: RecordScope) {
  builder.prismaObjectFields(recordType, (t) => ({
    values: t.field({
      type: 'JSON',
      description:
        'All values keyed by field key, computed ones (AUTO_NUMBER, COUNT, ROLLUP, FORMULA) included. LINK, USER and FILE values hold global ids (Entry/ModuleRecord, User, File).',
      resolve: async (row, _a, ctx) => {
        const values = presentValues(await loadSchema(ctx, row.collectionId, scope), await recordValues(ctx, scope, row));
        const keys = visibleKeys(row);
        return keys ? Object.fromEntries(Object.entries(values).filter(([k]) => keys.has(k))) : values;
      },
    }),
    value: t.field({
      type: FieldValueType,
      description: 'The typed value of one field',
      args: { key: t.arg.string() },
      resolve: async (row, { key }, ctx) => {
        const schema = await loadSchema(ctx, row.collectionId, scope);
        const field = schema.byKey.get(key);
        if (!field) throw badInput(`No field with key "${key}"`, [{ path: ['key'], code: 'UNKNOWN_FIELD', message: `No field with key "${key}"` }]);
        return { field, value: (await recordValues(ctx, scope, row))[key] };
      },
    }),
    fieldValues: t.field({
      type: [FieldValueType],
      description: 'Typed values of every field, in field order',
      resolve: async (row, _a, ctx) => {
        const schema = await loadSchema(ctx, row.collectionId, scope);
        const values = await recordValues(ctx, scope, row);
        const keys = visibleKeys(row);
        return schema.fields.filter((f) => !keys || keys.has(f.key)).map((field) => ({ field, value: values[field.key] }));
      },
    }),
    version: t.exposeInt('version', { description: 'Increases with every change; pass it as expectedVersion to update safely' }),
    autoNumber: t.exposeInt('autoNumber'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    createdBy: t.field({
      type: UserType,
      nullable: true,
      resolve: (row, _a, ctx) => (row.createdById ? userLoader(ctx).load(row.createdById) : null),
    }),
  }));
}

export interface RecordMutationNames {
  create: string;
  createMany: string;
  update: string;
  patch: string;
  delete: string;
  /** Only faces whose records can be archived; delete is then "for good". */
  archive?: { archive: string; unarchive: string };
}

/** The face's record mutations: create (one, bulk), update, patch, delete, and archive/unarchive when named. */
export function defineRecordMutations(face: RecordFace, names: RecordMutationNames) {
  const { scope, collectionType, recordType, noun } = face;

  builder.mutationFields((t) => {
    const collectionArg = { [face.collectionArg]: t.arg.globalID({ for: collectionType }) };
    const writeRecord = (mode: 'replace' | 'patch', description: string) =>
      t.field({
        type: recordType,
        description,
        authScopes: { scope: 'WRITE' },
        errors: {},
        args: {
          id: t.arg.globalID({ for: recordType }),
          values: t.arg({ type: 'JSON' }),
          expectedVersion: t.arg.int({ required: false, description: `Answer CONFLICT (and write nothing) unless the ${noun.one} is at this version` }),
        },
        resolve: async (_r, args, ctx) =>
          markEngineRows([await updateRecord(ctx, scope, args.id.id, args.values, { mode, expectedVersion: args.expectedVersion })])[0]!,
      });
    const archive = (archived: boolean, description: string) =>
      t.field({
        type: recordType,
        description,
        authScopes: { $any: { scope: 'INTERNAL', admin: true } },
        errors: {},
        args: { id: t.arg.globalID({ for: recordType }), expectedVersion: t.arg.int({ required: false }) },
        resolve: async (_r, args, ctx) => markEngineRows([await setArchived(ctx, scope, args.id.id, archived, args.expectedVersion)])[0]!,
      });

    return {
      [names.create]: t.field({
        type: recordType,
        description: `Creates one ${noun.one}; every invalid value is reported at once (path ["values", key]).`,
        authScopes: { scope: 'WRITE' },
        errors: {},
        args: { ...collectionArg, values: t.arg({ type: 'JSON' }) },
        resolve: async (_r, args, ctx) => (await createFaceRecords(ctx, face, collectionIdIn(face, args), [args.values], ['values']))[0]!,
      }),
      [names.createMany]: t.field({
        type: [recordType],
        description: `Creates up to ${MAX_BULK_CREATE} ${noun.many} atomically: all or none (issues at path ["values", index, key]).`,
        authScopes: { scope: 'WRITE' },
        errors: {},
        args: { ...collectionArg, values: t.arg({ type: ['JSON'] }) },
        resolve: async (_r, args, ctx) => createFaceRecords(ctx, face, collectionIdIn(face, args), args.values, ['values']),
      }),
      [names.update]: writeRecord('replace', 'Replaces all values: absent optional fields become empty, absent required fields are an error.'),
      [names.patch]: writeRecord('patch', 'Changes only the given fields; null clears one.'),
      ...(names.archive
        ? {
            [names.archive.archive]: archive(
              true,
              `Hides the ${noun.one} from queries unless includeArchived. Needs the INTERNAL scope or an OWNER/ADMIN user.`,
            ),
            [names.archive.unarchive]: archive(false, `Shows an archived ${noun.one} in queries again.`),
          }
        : {}),
      [names.delete]: t.field({
        type: 'ID',
        description: `Deletes the ${noun.one}${names.archive ? ' for good' : ''} (and removes it from LINK fields pointing at it). Returns its id.`,
        authScopes: { scope: 'WRITE' },
        errors: deleteResult(deletedObject),
        args: { id: t.arg.globalID({ for: recordType }) },
        resolve: async (_r, { id }, ctx) => {
          await deleteRecord(ctx, scope, id.id);
          return encodeGlobalID(face.recordTypeName, id.id);
        },
      }),
    };
  });
}
