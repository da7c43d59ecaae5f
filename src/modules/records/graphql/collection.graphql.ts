/**
 * What every collection type (Form, Module) has: its schema fields, and its record fields (count,
 * the records connection, aggregates, saved views) under the names its face gives them.
 */
import type { GraphQLContext } from '../../../context.js';
import { CRM_PAGE } from '../../../core/paging/index.js';
import { aggregateRecords, countRecords, loadSchema, queryRecords, runnerFor, type RecordScope } from '../../../core/records/index.js';
import { builder } from '../../../graphql/builder.js';
import type { PrismaRefOf } from '../../../graphql/builder-types.js';
import { pagedDescription } from '../../../graphql/paging.js';
import { loaderFor } from '../../../loaders.js';
import { limitFields, markEngineRows } from '../record-rows.js';
import type { RecordFace } from './face.js';
import { FieldRef } from './field.graphql.js';
import { groupLabels, RecordAggregatesType } from './record-aggregates.graphql.js';
import { aggregateArgs, recordQueryArgs, resolveAggregateArgs, resolveQueryArgs, toConnection } from './record-query.graphql.js';
import { ViewType } from './view.graphql.js';

/** The schema fields every collection type has: name, description, timestamps, field definitions. */
export function defineCollectionSchemaFields(collectionType: PrismaRefOf<'Collection'>, scope: RecordScope, fieldsDescription: string) {
  builder.prismaObjectFields(collectionType, (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    fields: t.field({
      type: [FieldRef],
      description: fieldsDescription,
      args: { includeHidden: t.arg.boolean({ required: false, defaultValue: true }) },
      resolve: async (c, { includeHidden }, ctx) => (await loadSchema(ctx, c.id, scope)).fields.filter((f) => includeHidden || f.visible),
    }),
    field: t.field({
      type: FieldRef,
      nullable: true,
      args: { key: t.arg.string() },
      resolve: async (c, { key }, ctx) => (await loadSchema(ctx, c.id, scope)).byKey.get(key) ?? null,
    }),
  }));
}

export interface CollectionRecordFieldNames {
  /** The record count field (entryCount, recordCount) and its description, if any. */
  count: { name: string; description?: string };
  /** The records connection field (entries, records), its type (EntryConnection) and what follows "ordered in SQL" in its description. */
  records: { name: string; connection: string; orderNote?: string };
  /** The aggregates field (entryAggregates, recordAggregates). */
  aggregates: string;
}

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/**
 * Adds a collection type's record fields: count, the records connection with totalCount,
 * aggregates computed in SQL, and saved views. Added after both types exist, since collection and
 * record types reference each other.
 */
export function defineCollectionRecordFields(face: RecordFace, names: CollectionRecordFieldNames) {
  const { scope, noun } = face;
  const count = (ctx: GraphQLContext, collectionId: string) =>
    loaderFor<number>(ctx, `${scope.kind}:recordCount`, async (ids) => {
      const counts = await countRecords(runnerFor(ctx), [...ids]);
      return ids.map((id) => counts.get(id) ?? 0);
    }).load(collectionId);

  builder.prismaObjectFields(face.collectionType, (t) => ({
    [names.count.name]: t.int({
      description: names.count.description,
      resolve: async (c, _a, ctx) => (await count(ctx, c.id)) ?? 0,
    }),
    [names.records.name]: t.connection(
      {
        type: face.recordType,
        description: pagedDescription(
          `${capitalize(noun.many)}, filtered, searched and ordered in SQL${names.records.orderNote ?? ''}; cursors are bound to the filter and order that made them.`,
          CRM_PAGE,
        ),
        args: recordQueryArgs,
        resolve: async (c, args, ctx) => {
          const { visibleFields, ...q } = await resolveQueryArgs(ctx, scope, c.id, args, true);
          const page = await queryRecords(ctx, scope, c.id, q);
          limitFields(markEngineRows(page.rows), visibleFields);
          return toConnection(page);
        },
      },
      {
        name: names.records.connection,
        fields: (conn) => ({
          totalCount: conn.int({
            description: `${capitalize(noun.many)} matching the filter (all pages)`,
            resolve: (c) => c.totalCount(),
          }),
        }),
      },
    ),
    [names.aggregates]: t.field({
      type: RecordAggregatesType,
      description: `count, per-field aggregates and optional groups over the filtered ${noun.many}, computed in SQL`,
      args: aggregateArgs,
      resolve: async (c, args, ctx) => {
        const a = await resolveAggregateArgs(ctx, scope, c.id, args);
        const schema = await loadSchema(ctx, c.id, scope);
        return { ...(await aggregateRecords(ctx, scope, c.id, a)), labels: groupLabels(schema.fields, a.groupBy) };
      },
    }),
    views: t.relation('views', { type: ViewType, query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
  }));
}
