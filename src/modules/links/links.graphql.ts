/**
 * Following LINK values (its own module: it knows both faces, forms and CRM, which know only records): `Entry.links` / `ModuleRecord.links` and `FieldValue.linked` return the
 * linked entries or module records with their display value, limited by `first`. Linked rows load
 * through one DataLoader per target collection and request, so a page of 50 records following
 * their links costs the same few statements as a page of 5.
 */
import { builder } from '../../graphql/builder.js';
import type { GraphQLContext } from '../../context.js';
import { invalidField } from '../../errors.js';
import {
  displayValue,
  linkedIds,
  loadSchema,
  readRecords,
  runnerFor,
  toGlobalId,
  RECORD_TYPENAME,
  type CollectionKind,
  type FieldDefinition,
  type RecordRow,
  type RecordScope,
} from '../../core/records/index.js';
import { EntryType } from '../forms/entry.graphql.js';
import { FORM_SCOPE } from '../forms/forms.service.js';
import { ModuleRecordType } from '../crm/module.graphql.js';
import { MODULE_SCOPE } from '../crm/module.service.js';
import { inKeyOrder, loaderFor } from '../../loaders.js';
import { markEngineRows, recordValues } from '../records/record-rows.js';
import { FieldValueType } from '../records/graphql/field-value.graphql.js';

export const MAX_LINKS_PAGE = 100;
const SCOPES: Record<CollectionKind, RecordScope> = { FORM: FORM_SCOPE, MODULE: MODULE_SCOPE };

interface LinkedItem {
  row: RecordRow;
  kind: CollectionKind;
  display: string;
}
interface LinkedPage {
  totalCount: number;
  items: LinkedItem[];
}

const kindOf = new WeakMap<object, CollectionKind>();

const LinkedRecordTarget = builder.unionType('LinkedRecordTarget', {
  description: 'A linked entry (LINK to a form) or module record (LINK to a module)',
  types: [EntryType, ModuleRecordType],
  resolveType: (row) => RECORD_TYPENAME[kindOf.get(row) ?? 'FORM'],
});

const LinkedRecordType = builder.objectRef<LinkedItem>('LinkedRecord').implement({
  description: 'A record a LINK field points to.',
  fields: (t) => ({
    id: t.id({
      description: 'The global id of the linked entry or module record (as in `values`)',
      resolve: (i) => toGlobalId(RECORD_TYPENAME[i.kind], i.row.id),
    }),
    displayValue: t.string({
      description: 'The linked record\'s first non-empty text field (visible fields first), else "#<autoNumber>"',
      resolve: (i) => i.display,
    }),
    record: t.field({ type: LinkedRecordTarget, resolve: (i) => i.row as never }),
  }),
});

const LinkedRecordsType = builder.objectRef<LinkedPage>('LinkedRecords').implement({
  description: 'The records a LINK value points to: how many, and the first of them.',
  fields: (t) => ({
    totalCount: t.exposeInt('totalCount', { description: 'How many records the LINK value holds' }),
    items: t.field({ type: [LinkedRecordType], description: 'The first `first` linked records, in the order of the value', resolve: (p) => p.items }),
  }),
});

async function follow(ctx: GraphQLContext, field: FieldDefinition, value: unknown, first: number): Promise<LinkedPage> {
  if (!Number.isInteger(first) || first < 0 || first > MAX_LINKS_PAGE)
    throw invalidField(['first'], 'OUT_OF_RANGE', `first is between 0 and ${MAX_LINKS_PAGE}`);
  const ids = linkedIds(value);
  const target = field.config.targetCollectionId;
  const kind = field.targetKind;
  if (!target || !kind || first === 0 || ids.length === 0) return { totalCount: ids.length, items: [] };
  const schema = await loadSchema(ctx, target, SCOPES[kind]);
  const loader = loaderFor(ctx, 'records:linked', async (keys) => inKeyOrder(keys, markEngineRows(await readRecords(runnerFor(ctx), schema, [...keys]))), {
    group: target,
  });
  const rows = (await loader.loadMany(ids.slice(0, first))).filter((r): r is RecordRow => !!r && !(r instanceof Error));
  return {
    totalCount: ids.length,
    items: rows.map((row) => {
      kindOf.set(row, kind);
      return { row, kind, display: displayValue(schema, row) };
    }),
  };
}

const firstArg = (t: any) => t.arg.int({ required: false, defaultValue: 10, description: `How many linked records to return (at most ${MAX_LINKS_PAGE})` });

for (const [recordType, kind] of [
  [EntryType, 'FORM'],
  [ModuleRecordType, 'MODULE'],
] as const) {
  builder.prismaObjectField(recordType as any, 'links', (t: any) =>
    t.field({
      type: LinkedRecordsType,
      description: 'The records a LINK field of this record points at, with their display value',
      args: { field: t.arg.string({ description: 'The key of a LINK field' }), first: firstArg(t) },
      resolve: async (row: RecordRow, args: { field: string; first: number }, ctx: GraphQLContext) => {
        const schema = await loadSchema(ctx, row.collectionId, SCOPES[kind]);
        const field = schema.byKey.get(args.field);
        if (field?.type !== 'LINK') throw invalidField(['field'], 'INVALID_VALUE', `"${args.field}" is not a LINK field`);
        return follow(ctx, field, (await recordValues(ctx, SCOPES[kind], row))[field.key], args.first);
      },
    }),
  );
}

builder.objectField(FieldValueType, 'linked', (t) =>
  t.field({
    type: LinkedRecordsType,
    nullable: true,
    description: 'LINK: the linked records with their display value; null for other types',
    args: { first: firstArg(t) },
    resolve: (v, args, ctx) => (v.field.type === 'LINK' ? follow(ctx, v.field, v.value, (args.first as number | null) ?? 10) : null),
  }),
);
