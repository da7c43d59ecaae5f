/**
 * A "face" of the typed-records engine: the GraphQL names one kind of collection goes by
 * (Form/Entry, Module/ModuleRecord). Everything a face shares with the others is defined here
 * once, from its RecordFace description: the record type's value fields, the collection's
 * fields/records/aggregates/views fields, and the field, view and record mutations. A face file
 * declares only its types, its collection CRUD and what RecordFace lets it choose.
 */
import { pagedDescription } from '../../graphql/paging.js';
import { deletedObject, deleteResult } from '../../graphql/deleted.js';
import { CRM_PAGE } from '../../core/paging/index.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { requireWorkspace, type GraphQLContext } from '../../context.js';
import { badInput } from '../../errors.js';
import {
  aggregateRecords,
  countRecords,
  createField,
  createRecords,
  createView,
  deleteRecord,
  deleteView,
  loadSchema,
  presentValues,
  queryRecords,
  removeField,
  reorderFields,
  runnerFor,
  setArchived,
  toFieldDefinition,
  updateField,
  updateRecord,
  updateView,
  MAX_BULK_CREATE,
  type RecordRow,
  type RecordScope,
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
} from './records.graphql.js';
import { loaderFor } from './loaders.js';
import { limitFields, markEngineRows, recordValues, visibleKeys } from './record-rows.js';
import { UserType } from '../identity/user.graphql.js';

/* Pothos refs and field builders of the faces' prismaNode types: one builder serves several types, so it takes them untyped. */
type TypeRef = any;
type FieldBuilder = any;

export interface RecordFace {
  scope: RecordScope;
  /** The collection's type (Form, Module) and the argument naming it in mutations (form, module). */
  collectionType: TypeRef;
  collectionArg: string;
  /** The record's type and its name (Entry, ModuleRecord), plural in mutation names (Entries, ModuleRecords). */
  recordType: TypeRef;
  recordTypeName: string;
  recordTypeNamePlural: string;
  /** Inserted into field and view mutation names: '' gives createField, 'Module' gives createModuleField. */
  schemaPrefix: string;
  /** How descriptions and errors call a record: entry/entries, record/records. */
  noun: { one: string; many: string };
  /** Records can be archived: adds archive/unarchive mutations, and delete is "for good". */
  archivable: boolean;
}

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Reads a collection again with the caller's Prisma selection, after a mutation changed it. */
export const reloadCollection = (ctx: GraphQLContext, query: object, id: string) => ctx.db.collection.findUniqueOrThrow({ ...query, where: { id } });

/** Creates records through the engine (all or none), refusing more than MAX_BULK_CREATE at once. */
export async function createFaceRecords(ctx: GraphQLContext, face: RecordFace, collectionId: string, values: unknown[], path: string[]) {
  requireWorkspace(ctx);
  if (values.length > MAX_BULK_CREATE)
    throw badInput(`At most ${MAX_BULK_CREATE} ${face.noun.many} per call`, [{ path, code: 'TOO_MANY', message: `At most ${MAX_BULK_CREATE}` }]);
  return markEngineRows(await createRecords(ctx, face.scope, collectionId, values, path));
}

// ------------------------------------------------------------------ record type

/** The value fields every record type has: values, typed values, version, auto number, timestamps, creator. */
export function recordTypeFields(t: FieldBuilder, scope: RecordScope) {
  return {
    values: t.field({
      type: 'JSON',
      description:
        'All values keyed by field key, computed ones (AUTO_NUMBER, COUNT, ROLLUP, FORMULA) included. LINK, USER and FILE values hold global ids (Entry/ModuleRecord, User, File).',
      resolve: async (row: RecordRow, _a: unknown, ctx: GraphQLContext) => {
        const values = presentValues(await loadSchema(ctx, row.collectionId, scope), await recordValues(ctx, scope, row));
        const keys = visibleKeys(row);
        return keys ? Object.fromEntries(Object.entries(values).filter(([k]) => keys.has(k))) : values;
      },
    }),
    value: t.field({
      type: FieldValueType,
      description: 'The typed value of one field',
      args: { key: t.arg.string() },
      resolve: async (row: RecordRow, { key }: { key: string }, ctx: GraphQLContext) => {
        const schema = await loadSchema(ctx, row.collectionId, scope);
        const field = schema.byKey.get(key);
        if (!field) throw badInput(`No field with key "${key}"`, [{ path: ['key'], code: 'UNKNOWN_FIELD', message: `No field with key "${key}"` }]);
        return { field, value: (await recordValues(ctx, scope, row))[key] };
      },
    }),
    fieldValues: t.field({
      type: [FieldValueType],
      description: 'Typed values of every field, in field order',
      resolve: async (row: RecordRow, _a: unknown, ctx: GraphQLContext) => {
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
      resolve: (row: RecordRow & { createdById: string | null }, _a: unknown, ctx: GraphQLContext) =>
        row.createdById ? userLoader(ctx).load(row.createdById) : null,
    }),
  };
}

// ------------------------------------------------------------------ collection type

/** The schema fields every collection type has: name, description, timestamps, field definitions. */
export function collectionTypeFields(t: FieldBuilder, scope: RecordScope, fieldsDescription: string) {
  return {
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    fields: t.field({
      type: [FieldRef],
      description: fieldsDescription,
      args: { includeHidden: t.arg.boolean({ required: false, defaultValue: true }) },
      resolve: async (c: { id: string }, { includeHidden }: { includeHidden: boolean }, ctx: GraphQLContext) =>
        (await loadSchema(ctx, c.id, scope)).fields.filter((f) => includeHidden || f.visible),
    }),
    field: t.field({
      type: FieldRef,
      nullable: true,
      args: { key: t.arg.string() },
      resolve: async (c: { id: string }, { key }: { key: string }, ctx: GraphQLContext) => (await loadSchema(ctx, c.id, scope)).byKey.get(key) ?? null,
    }),
  };
}

export interface CollectionRecordFieldNames {
  /** The record count field (entryCount, recordCount) and its description, if any. */
  count: { name: string; description?: string };
  /** The records connection field (entries, records); `orderNote` follows "ordered in SQL" in its description. */
  records: { name: string; orderNote?: string };
  /** The aggregates field (entryAggregates, recordAggregates). */
  aggregates: string;
}

/**
 * Adds a collection type's record fields: count, the records connection (`<Record>Connection`
 * with totalCount), aggregates computed in SQL, and saved views. Added after both types exist,
 * since collection and record types reference each other.
 */
export function defineCollectionRecordFields(face: RecordFace, names: CollectionRecordFieldNames) {
  const { scope, noun } = face;
  const count = (ctx: GraphQLContext, collectionId: string) =>
    loaderFor<number>(ctx, `${scope.kind}:recordCount`, async (ids) => {
      const counts = await countRecords(runnerFor(ctx), [...ids]);
      return ids.map((id) => counts.get(id) ?? 0);
    }).load(collectionId);

  builder.prismaObjectFields(face.collectionType, (t: FieldBuilder) => ({
    [names.count.name]: t.int({
      description: names.count.description,
      resolve: async (c: { id: string }, _a: unknown, ctx: GraphQLContext) => (await count(ctx, c.id)) ?? 0,
    }),
    [names.records.name]: t.connection(
      {
        type: face.recordType,
        description: pagedDescription(
          `${capitalize(noun.many)}, filtered, searched and ordered in SQL${names.records.orderNote ?? ''}; cursors are bound to the filter and order that made them.`,
          CRM_PAGE,
        ),
        args: recordQueryArgs(t),
        resolve: async (c: { id: string }, args: unknown, ctx: GraphQLContext) => {
          const { visibleFields, ...q } = await resolveQueryArgs(ctx, scope, c.id, args as never, true);
          const page = await queryRecords(ctx, scope, c.id, q);
          limitFields(markEngineRows(page.rows), visibleFields);
          return toConnection(page) as never;
        },
      },
      {
        name: `${face.recordTypeName}Connection`,
        fields: (conn: FieldBuilder) => ({
          totalCount: conn.int({
            description: `${capitalize(noun.many)} matching the filter (all pages)`,
            resolve: (c: { totalCount(): Promise<number> }) => c.totalCount(),
          }),
        }),
      },
    ),
    [names.aggregates]: t.field({
      type: RecordAggregatesType,
      description: `count, per-field aggregates and optional groups over the filtered ${noun.many}, computed in SQL`,
      args: aggregateArgs(t),
      resolve: async (c: { id: string }, args: unknown, ctx: GraphQLContext) => {
        const a = await resolveAggregateArgs(ctx, scope, c.id, args as never);
        const schema = await loadSchema(ctx, c.id, scope);
        return { ...(await aggregateRecords(ctx, scope, c.id, a)), labels: groupLabels(schema.fields, a.groupBy) };
      },
    }),
    views: t.relation('views', { type: ViewType, query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
  }));
}

// ------------------------------------------------------------------ mutations

type GlobalId = { id: string };
const definedOnly = (input: object) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

/**
 * The face's field, view and record mutations: create/update/reorder/remove field,
 * create/update/delete view, create (one, bulk)/update/patch/delete record, and archive/unarchive
 * when the face's records are archivable.
 */
export function defineRecordFaceMutations(face: RecordFace) {
  const { scope, collectionType, collectionArg, recordType, recordTypeName, schemaPrefix: p, noun } = face;

  builder.mutationFields((t: FieldBuilder) => {
    const collectionArgs = { [collectionArg]: t.arg.globalID({ for: collectionType }) };
    const expectedVersion = () => t.arg.int({ required: false, description: `Answer CONFLICT (and write nothing) unless the ${noun.one} is at this version` });
    const writeRecord = (mode: 'replace' | 'patch', description: string) =>
      t.field({
        type: recordType,
        description,
        authScopes: { scope: 'WRITE' },
        errors: {},
        args: { id: t.arg.globalID({ for: recordType }), values: t.arg({ type: 'JSON' }), expectedVersion: expectedVersion() },
        resolve: async (_r: unknown, args: { id: GlobalId; values: unknown; expectedVersion?: number | null }, ctx: GraphQLContext) =>
          markEngineRows([await updateRecord(ctx, scope, args.id.id, args.values, { mode, expectedVersion: args.expectedVersion })])[0]!,
      });
    const archive = (archived: boolean, description?: string) =>
      t.field({
        type: recordType,
        description,
        authScopes: { $any: { scope: 'INTERNAL', admin: true } },
        errors: {},
        args: { id: t.arg.globalID({ for: recordType }), expectedVersion: t.arg.int({ required: false }) },
        resolve: async (_r: unknown, args: { id: GlobalId; expectedVersion?: number | null }, ctx: GraphQLContext) =>
          markEngineRows([await setArchived(ctx, scope, args.id.id, archived, args.expectedVersion)])[0]!,
      });

    return {
      // ---- fields
      [`create${p}Field`]: t.field({
        description: `Adds a field to the ${face.collectionArg}; existing ${noun.many} have no value for it`,
        type: FieldRef,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { ...collectionArgs, input: t.arg({ type: FieldInputType }) },
        resolve: async (_r: unknown, args: Record<string, any>, ctx: GraphQLContext) =>
          toFieldDefinition(await createField(ctx, scope, args[collectionArg].id, toFieldInput(args.input, ['input', 'config']))),
      }),
      [`update${p}Field`]: t.field({
        type: FieldRef,
        description: 'A type change is refused (BAD_USER_INPUT, code VALUES_DO_NOT_CONVERT) unless every stored value converts.',
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { id: t.arg.globalID({ for: FieldRef }), input: t.arg({ type: FieldUpdateInputType }) },
        resolve: async (_r: unknown, { id, input }: { id: GlobalId; input: object }, ctx: GraphQLContext) => {
          const given = toFieldInput(input, ['input', 'config']) as unknown as Record<string, unknown>;
          // absent settings stay; null clears only description and defaultValue
          const update = Object.fromEntries(
            Object.entries(given).filter(([k, v]) => v !== undefined && (v !== null || k === 'description' || k === 'defaultValue')),
          );
          return toFieldDefinition(await updateField(ctx, scope, id.id, update));
        },
      }),
      [`reorder${p}Fields`]: t.prismaField({
        description: `Sets the order of the ${face.collectionArg}'s fields; the list must hold each field exactly once`,
        type: collectionType,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { ...collectionArgs, fieldIds: t.arg.globalIDList({ for: FieldRef }) },
        resolve: async (query: object, _r: unknown, args: Record<string, any>, ctx: GraphQLContext) => {
          const collectionId: string = args[collectionArg].id;
          await reorderFields(
            ctx,
            scope,
            collectionId,
            (args.fieldIds as GlobalId[]).map((f) => f.id),
          );
          return reloadCollection(ctx, query, collectionId);
        },
      }),
      [`remove${p}Field`]: t.field({
        type: 'ID',
        description: `Removes the field and its values from every ${noun.one}. Returns its id.`,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { id: t.arg.globalID({ for: FieldRef }) },
        resolve: async (_r: unknown, { id }: { id: GlobalId }, ctx: GraphQLContext) => {
          await removeField(ctx, scope, id.id);
          return encodeGlobalID('Field', id.id);
        },
      }),

      // ---- views
      [`create${p}View`]: t.prismaField({
        description: `Saves a view of the ${face.collectionArg}: a filter, an order and visible fields`,
        type: ViewType,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { ...collectionArgs, input: t.arg({ type: ViewInputType }) },
        resolve: async (query: object, _r: unknown, args: Record<string, any>, ctx: GraphQLContext) => {
          const view = await createView(ctx, scope, args[collectionArg].id, definedOnly(args.input));
          return ctx.db.view.findUniqueOrThrow({ ...query, where: { id: view.id } });
        },
      }),
      [`update${p}View`]: t.prismaField({
        description: 'Changes a saved view; omitted fields stay',
        type: ViewType,
        authScopes: { scope: 'MANAGE' },
        errors: {},
        args: { id: t.arg.globalID({ for: ViewType }), input: t.arg({ type: ViewInputType }) },
        resolve: async (query: object, _r: unknown, { id, input }: { id: GlobalId; input: object }, ctx: GraphQLContext) => {
          await updateView(ctx, scope, id.id, definedOnly(input));
          return ctx.db.view.findUniqueOrThrow({ ...query, where: { id: id.id } });
        },
      }),
      [`delete${p}View`]: t.field({
        description: 'Deletes a saved view. Returns its id.',
        type: 'ID',
        authScopes: { scope: 'MANAGE' },
        errors: deleteResult(deletedObject),
        args: { id: t.arg.globalID({ for: ViewType }) },
        resolve: async (_r: unknown, { id }: { id: GlobalId }, ctx: GraphQLContext) => {
          await deleteView(ctx, scope, id.id);
          return encodeGlobalID('View', id.id);
        },
      }),

      // ---- records
      [`create${recordTypeName}`]: t.field({
        type: recordType,
        description: `Creates one ${noun.one}; every invalid value is reported at once (path ["values", key]).`,
        authScopes: { scope: 'WRITE' },
        errors: {},
        args: { ...collectionArgs, values: t.arg({ type: 'JSON' }) },
        resolve: async (_r: unknown, args: Record<string, any>, ctx: GraphQLContext) =>
          (await createFaceRecords(ctx, face, args[collectionArg].id, [args.values], ['values']))[0]!,
      }),
      [`create${face.recordTypeNamePlural}`]: t.field({
        type: [recordType],
        description: `Creates up to ${MAX_BULK_CREATE} ${noun.many} atomically: all or none (issues at path ["values", index, key]).`,
        authScopes: { scope: 'WRITE' },
        errors: {},
        args: { ...collectionArgs, values: t.arg({ type: ['JSON'] }) },
        resolve: async (_r: unknown, args: Record<string, any>, ctx: GraphQLContext) =>
          createFaceRecords(ctx, face, args[collectionArg].id, args.values, ['values']),
      }),
      [`update${recordTypeName}`]: writeRecord('replace', 'Replaces all values: absent optional fields become empty, absent required fields are an error.'),
      [`patch${recordTypeName}`]: writeRecord('patch', 'Changes only the given fields; null clears one.'),
      ...(face.archivable
        ? {
            [`archive${recordTypeName}`]: archive(
              true,
              `Hides the ${noun.one} from queries unless includeArchived. Needs the INTERNAL scope or an OWNER/ADMIN user.`,
            ),
            [`unarchive${recordTypeName}`]: archive(false, `Shows an archived ${noun.one} in queries again.`),
          }
        : {}),
      [`delete${recordTypeName}`]: t.field({
        type: 'ID',
        description: `Deletes the ${noun.one}${face.archivable ? ' for good' : ''} (and removes it from LINK fields pointing at it). Returns its id.`,
        authScopes: { scope: 'WRITE' },
        errors: deleteResult(deletedObject),
        args: { id: t.arg.globalID({ for: recordType }) },
        resolve: async (_r: unknown, { id }: { id: GlobalId }, ctx: GraphQLContext) => {
          await deleteRecord(ctx, scope, id.id);
          return encodeGlobalID(recordTypeName, id.id);
        },
      }),
    };
  });
}
