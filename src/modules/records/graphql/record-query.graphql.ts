import { builder } from '../../../graphql/builder.js';
import type { GraphQLContext } from '../../../context.js';
import { invalidField } from '../../../errors.js';
import { offsetArg } from '../../../graphql/paging.js';
import {
  applyView,
  loadSchema,
  viewOf,
  type AggregateArgs,
  type FilterInput,
  type OrderInput,
  type QueryArgs,
  type RecordPage,
  type RecordScope,
  type SavedView,
} from '../../../core/records/index.js';
import { AggregateInput, GroupByInput } from './aggregate-input.graphql.js';
import { RecordFilterInput } from './record-filter.graphql.js';
import { RecordOrderInput } from './record-order.graphql.js';

/** Arguments every records connection takes (first/last/after/before are added by the relay plugin). */
export const recordQueryArgs = builder.args((t) => ({
  filter: t.field({ type: RecordFilterInput, required: false }),
  search: t.string({ required: false, description: 'Free text, matched case-insensitively in text-like fields' }),
  orderBy: t.field({ type: [RecordOrderInput], required: false, description: 'Default: createdAt DESC; ties broken by id' }),
  includeArchived: t.boolean({ required: false, defaultValue: false }),
  view: t.globalID({
    required: false,
    description:
      'A saved View: its filter is ANDed with `filter`, its order applies unless `orderBy` is given, its visibleFields limit `values`. Absent: the default view (isDefault), if any; null: no view',
  }),
  ...offsetArg,
}));

export const aggregateArgs = builder.args((t) => ({
  filter: t.field({ type: RecordFilterInput, required: false }),
  search: t.string({ required: false }),
  includeArchived: t.boolean({ required: false, defaultValue: false }),
  view: t.globalID({ required: false }),
  aggregates: t.field({ type: [AggregateInput], required: false }),
  groupBy: t.field({ type: GroupByInput, required: false }),
}));

interface GivenQueryArgs {
  filter?: FilterInput | null;
  search?: string | null;
  orderBy?: Array<{ field: string; direction?: 'ASC' | 'DESC' | null; nulls?: 'FIRST' | 'LAST' | null }> | null;
  includeArchived?: boolean | null;
  view?: { typename: string; id: string } | null;
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  offset?: number | null;
}

/**
 * Connection arguments with the view applied, ready for queryRecords, and the view's visible
 * fields. With `useDefault`, an absent `view` means the collection's default view (null: none).
 */
export async function resolveQueryArgs(
  ctx: GraphQLContext,
  scope: RecordScope,
  collectionId: string,
  args: GivenQueryArgs,
  useDefault = false,
): Promise<QueryArgs & { visibleFields: string[] }> {
  let view: SavedView | null = null;
  if (args.view) {
    const found = await viewOf(ctx, scope, args.view.id);
    if (found.collectionId !== collectionId) throw invalidField(['view'], 'NOT_FOUND', 'View not found');
    view = found;
  } else if (useDefault && args.view === undefined) {
    view = (await loadSchema(ctx, collectionId, scope)).defaultView ?? null;
  }
  const visibleFields = view?.visibleFields ?? [];
  return {
    visibleFields,
    ...applyView(
      {
        filter: args.filter,
        search: args.search,
        orderBy: args.orderBy as OrderInput[] | null,
        includeArchived: args.includeArchived,
        first: args.first,
        last: args.last,
        after: args.after,
        before: args.before,
        offset: args.offset,
      },
      view,
    ),
  };
}

export async function resolveAggregateArgs(
  ctx: GraphQLContext,
  scope: RecordScope,
  collectionId: string,
  args: GivenQueryArgs & Pick<AggregateArgs, 'aggregates' | 'groupBy'>,
): Promise<AggregateArgs> {
  const q = await resolveQueryArgs(ctx, scope, collectionId, args);
  return { filter: q.filter, search: q.search, includeArchived: q.includeArchived, aggregates: args.aggregates, groupBy: args.groupBy };
}

/** An engine page as a Relay connection object, totalCount lazy. */
export function toConnection(page: RecordPage) {
  return {
    edges: page.rows.map((node, i) => ({ cursor: page.cursors[i]!, node })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors[page.cursors.length - 1] ?? null,
    },
    totalCount: page.totalCount,
  };
}
